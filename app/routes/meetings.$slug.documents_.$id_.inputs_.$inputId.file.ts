import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { z } from "zod";
import { requireUser } from "~/accounts/session.server";
import { database } from "~/database.server";
import { DocumentNotFound, documentStore } from "~/documents/document-store.server";
import { attachmentDisposition, inputFileFor } from "~/documents/inputs.server";
import { findMeeting } from "~/meetings/meetings.server";

const paramsSchema = z.object({
  id: z.coerce.number<unknown>().int().positive().max(2_147_483_647),
  inputId: z.coerce.number<unknown>().int().positive().max(2_147_483_647),
});

const notFound = () =>
  new Response("Not found: there is no such file, or it is not yours to read.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });

/** The file sent with an input: for organisers, its author, and the other invitees when inputs are visible. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = database();
  const ids = paramsSchema.safeParse(params);
  const meeting = ids.success ? await findMeeting(db, params.slug ?? "") : undefined;
  const file = meeting && ids.success ? await inputFileFor(db, { meetingId: meeting.id, documentId: ids.data.id, inputId: ids.data.inputId, user }) : undefined;
  if (!file) throw notFound();
  const opened = await documentStore()
    .open(file.key)
    .catch((error: unknown) => {
      if (error instanceof DocumentNotFound) throw notFound();
      throw error;
    });
  const { stream, size } = opened;
  return new Response(createReadableStreamFromReadable(stream), {
    headers: {
      "Content-Type": file.mediaType,
      "Content-Length": String(size),
      "Content-Disposition": attachmentDisposition(file.name),
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
