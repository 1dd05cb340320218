import type { LoaderFunctionArgs } from "@remix-run/node";
import { database } from "~/database.server";
import { apiError, apiJson } from "~/lib/api.server";
import { listAgendaItems } from "~/agenda/agenda.server";
import { agendaJson, meetingJson } from "~/meetings/meeting-json.server";
import { findPublicMeeting } from "~/meetings/meetings.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const db = database();
  const meeting = await findPublicMeeting(db, params.slug ?? "");
  if (!meeting) return apiError(404, "No such meeting");
  return apiJson({ ...meetingJson(meeting), agenda: agendaJson(await listAgendaItems(db, meeting.id)), documents: [] });
}
