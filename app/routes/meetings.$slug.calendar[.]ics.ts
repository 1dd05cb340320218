import type { LoaderFunctionArgs } from "@remix-run/node";
import { listCalendarAgendaItems } from "~/agenda/agenda-calendar.server";
import { calendarResponse, feedVersion, notModified, renderCalendar } from "~/calendar/feeds.server";
import { database } from "~/database.server";
import { findPublicMeeting } from "~/meetings/meetings.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = database();
  const meeting = await findPublicMeeting(db, params.slug ?? "");
  if (!meeting) throw new Response("No such meeting.", { status: 404 });
  const lastChange = meeting.agenda_updated_at && meeting.agenda_updated_at > meeting.updated_at ? meeting.agenda_updated_at : meeting.updated_at;
  const version = feedVersion(lastChange, meeting.id, meeting.calendar_sequence);
  const unchanged = notModified(request, version, "public");
  if (unchanged) return unchanged;
  const items = await listCalendarAgendaItems(db, [meeting.id]);
  const body = renderCalendar({ name: meeting.title, timezone: meeting.timezone, meetings: [meeting], items });
  return calendarResponse(body, `${meeting.slug}.ics`, version, "public");
}
