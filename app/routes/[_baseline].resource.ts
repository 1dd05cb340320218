import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { keptBody } from "~/lib/render-cache.server";

/**
 * A bare resource route for `npm run bench` (bench/run.ts): a constant text, so feeds, the API and
 * downloads can be measured against the cost of Remix itself. `?bytes=N` answers N bytes instead
 * (at most 2 MB, from one constant buffer): what sending a large feed's bytes costs on the machine,
 * whatever makes them. Public and harmless; not linked.
 */

const MAX_BYTES = 2 * 1024 * 1024;
const baselineQuery = z.object({ bytes: z.coerce.number().int().min(1).max(MAX_BYTES).optional() });
let filler: Buffer | null = null;

export function loader({ request }: LoaderFunctionArgs) {
  const parsed = baselineQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return new Response(`bytes: a whole number from 1 to ${MAX_BYTES}.\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const headers = { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" };
  const { bytes } = parsed.data;
  if (!bytes) return new Response("baseline\n", { headers });
  filler ??= Buffer.alloc(MAX_BYTES, "baseline\n");
  // As the feeds are sent: kept bytes, streamed without a copy, with their length.
  return new Response(keptBody([filler.subarray(0, bytes)]).body, { headers: { ...headers, "Content-Length": String(bytes) } });
}
