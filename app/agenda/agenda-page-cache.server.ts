import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { etagMatches } from "~/documents/downloads.server";
import { RenderCache } from "~/lib/render-cache.server";

/**
 * A meeting's public agenda, as anonymous visitors see it, kept rendered: the 300-item agenda of a
 * conference is half a megabyte of HTML that takes tens of milliseconds of CPU to render, and
 * everyone not signed in gets the same bytes. A kept page is named by the meeting's page version
 * (kept by database triggers: any change to the meeting, its counts, programme, rooms, items,
 * people or documents changes it), by which registration dates have passed (the header says
 * "Registration open"/"closed"), by the build and by the address. Signed-in visitors (their stars,
 * their name in the header) and addresses with other parameters are rendered as before.
 */
const AGENDA_PATH = /^\/meetings\/([a-z0-9]+(?:-[a-z0-9]+)*)\/agenda$/;
const PAGE_PARAMS = new Set(["tz", "view"]);

interface KeptPage {
  status: number;
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer>;
}

/** 48 MB: about ninety 300-item agendas, or every zone asked of the busiest few. */
const keptPages = new RenderCache<KeptPage>(
  48 * 1024 * 1024,
  5 * 60_000,
  (page) => page.body.byteLength,
  (page) => page.status === 200 && !page.headers.some(([name]) => name === "set-cookie"),
);

/** The name of the kept page that answers this request, or null when it is not one the cache answers. */
export async function agendaPageKey(db: Kysely<Database>, request: Request, build: string, now: Date = new Date()): Promise<string | null> {
  if (request.method !== "GET") return null;
  const url = new URL(request.url);
  const slug = AGENDA_PATH.exec(url.pathname)?.[1];
  if (!slug || /(?:^|;\s*)__session=/.test(request.headers.get("Cookie") ?? "")) return null;
  for (const name of url.searchParams.keys()) if (!PAGE_PARAMS.has(name)) return null;
  const meeting = await db
    .selectFrom("meetings")
    .select(["id", "page_version", "registration_opens_at", "registration_closes_at", "ends_at"])
    .where("slug", "=", slug)
    .where("status", "in", ["published", "cancelled"])
    .executeTakeFirst();
  if (!meeting) return null;
  const passed = [meeting.registration_opens_at, meeting.registration_closes_at, meeting.ends_at].map((at) => (at && at <= now ? 1 : 0)).join("");
  return `${build}:${meeting.id}:${meeting.page_version}:${passed}:${url.search}`;
}

/**
 * The anonymous agenda page from memory, or rendered by `render` and kept. The render is asked
 * without the visitor's conditional headers, so that it is the whole page; the visitor's
 * `If-None-Match` is then answered here.
 */
export async function keptAgendaPage(request: Request, key: string, render: (request: Request) => Promise<Response>): Promise<Response> {
  const page = await keptPages.get(key, async () => {
    const headers = new Headers(request.headers);
    headers.delete("If-None-Match");
    headers.delete("If-Modified-Since");
    const response = await render(new Request(request.url, { method: "GET", headers }));
    return { status: response.status, headers: [...response.headers], body: new Uint8Array(await response.arrayBuffer()) };
  });
  const headers = new Headers(page.headers);
  const etag = headers.get("ETag")?.replace(/^W\//, "");
  if (page.status === 200 && etag && etagMatches(request.headers.get("If-None-Match"), etag)) {
    headers.delete("Content-Type");
    headers.delete("Content-Length");
    return new Response(null, { status: 304, headers });
  }
  return new Response(page.body, { status: page.status, headers });
}
