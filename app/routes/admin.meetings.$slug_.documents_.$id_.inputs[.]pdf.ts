import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { database } from "~/database.server";
import { inputsFilename, inputsPdf } from "~/documents/inputs-exports.server";
import { liveDocument } from "~/documents/inputs.server";
import { organisersMeetingForDownload } from "~/registration/organiser-meeting.server";

const paramsSchema = z.object({ id: z.coerce.number<unknown>().int().positive().max(2_147_483_647) });

/** A document's inputs compiled as a PDF, for the organisers preparing the revision. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeetingForDownload(request, params.slug);
  const db = database();
  const id = paramsSchema.safeParse(params);
  const document = id.success ? await liveDocument(db, meeting.id, id.data.id) : undefined;
  if (!document) throw new Response("Not found: there is no such document.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const pdf = await inputsPdf(db, meeting, document);
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${inputsFilename(meeting, document, "pdf")}"`,
      "Content-Length": String(pdf.length),
      "Cache-Control": "private, no-store",
    },
  });
}
