import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireUser } from "~/accounts/session.server";
import { database } from "~/database.server";
import { fileResponse } from "~/documents/downloads.server";
import { inputFileFor } from "~/documents/inputs.server";
import { downloadsMeeting } from "~/documents/public-documents.server";
import { recordId } from "~/lib/form";

const paramsSchema = z.object({
  id: recordId,
  inputId: recordId,
});

const notFound = () =>
  new Response("Not found: there is no such file, or it is not yours to read.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });

/** The file sent with an input: for organisers, its author, and the other invitees when inputs are visible. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = database();
  const ids = paramsSchema.safeParse(params);
  if (!ids.success) throw notFound();
  // Drafts are the organisers' alone, as for the documents themselves.
  const meeting = await downloadsMeeting(db, params.slug, user);
  const file = await inputFileFor(db, { meetingId: meeting.id, documentId: ids.data.id, inputId: ids.data.inputId, user });
  if (!file) throw notFound();
  const stored = { content_key: file.key, size: file.size, media_type: file.mediaType, file_name: file.name };
  return fileResponse(request, stored, { isPublic: false });
}
