import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/accounts/session.server";
import { database } from "~/database.server";
import { contentDisposition } from "~/lib/content-disposition";
import { personalData } from "~/personal-data/export.server";

/** Everything held about the signed-in person, as a JSON file; only ever their own (no parameter names anyone else). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const now = new Date();
  const data = await personalData(database(), user, now);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": contentDisposition(`my-data-${now.toISOString().slice(0, 10)}.json`),
      "Cache-Control": "no-store",
    },
  });
}
