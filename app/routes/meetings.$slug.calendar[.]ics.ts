import type { LoaderFunctionArgs } from "@remix-run/node";
import { database } from "~/database.server";
import { calendarResponse, meetingsCalendar } from "~/calendar/feeds.server";
import { findPublicMeeting } from "~/meetings/meetings.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const meeting = await findPublicMeeting(database(), params.slug ?? "");
  if (!meeting) throw new Response("No such meeting.", { status: 404 });
  return calendarResponse(meetingsCalendar([meeting], meeting.title), `${meeting.slug}.ics`);
}
