import type { LoaderFunctionArgs } from "@remix-run/node";
import { signedInUser } from "~/accounts/session.server";
import { database } from "~/database.server";
import { documentsJson } from "~/documents/public-documents.server";
import { apiError, apiJson } from "~/lib/api.server";
import { listAgendaItems } from "~/agenda/agenda.server";
import { agendaJson, meetingJson } from "~/meetings/meeting-json.server";
import { findPublicMeeting } from "~/meetings/meetings.server";

/** One meeting with its agenda and the documents the caller (by session cookie; anonymous sees public ones) may read. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const db = database();
  const meeting = await findPublicMeeting(db, params.slug ?? "");
  if (!meeting) return apiError(404, "No such meeting");
  const user = await signedInUser(request);
  const [agenda, documents] = await Promise.all([listAgendaItems(db, meeting.id), documentsJson(db, meeting, user)]);
  return apiJson({ ...meetingJson(meeting), agenda: agendaJson(agenda), documents }, { headers: { Vary: "Cookie" } });
}
