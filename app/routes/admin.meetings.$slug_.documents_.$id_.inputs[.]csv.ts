import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { database } from "~/database.server";
import { inputsCsv, inputsFilename } from "~/documents/inputs-exports.server";
import { liveDocument } from "~/documents/inputs.server";
import { organisersMeetingForDownload } from "~/registration/organiser-meeting.server";

const paramsSchema = z.object({ id: z.coerce.number<unknown>().int().positive().max(2_147_483_647) });

/** A document's inputs as CSV (UTF-8 with a byte order mark), for the organisers. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeetingForDownload(request, params.slug);
  const db = database();
  const id = paramsSchema.safeParse(params);
  const document = id.success ? await liveDocument(db, meeting.id, id.data.id) : undefined;
  if (!document) throw new Response("Not found: there is no such document.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(await inputsCsv(db, meeting, document), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${inputsFilename(meeting, document, "csv")}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
