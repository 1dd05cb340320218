import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { DateTime } from "luxon";
import { countryName } from "~/lib/countries.server";
import type { MeetingWithProgramme } from "~/meetings/meetings.server";
import { appUrl } from "~/settings.server";

/** A calendar `DATE` for a meeting day: midnight UTC, which ical-generator writes as that same day wherever the server runs. */
function calendarDay(day: string, plusDays = 0): Date {
  return DateTime.fromISO(day, { zone: "UTC" }).plus({ days: plusDays }).toJSDate();
}

function location(meeting: MeetingWithProgramme): string | null {
  if (meeting.mode === "online") return "Online";
  const place = [meeting.venue_name, meeting.venue_city, countryName(meeting.venue_country)].filter(Boolean).join(", ");
  return meeting.mode === "hybrid" ? `${place} (and online)` : place;
}

/** An iCalendar of meetings, each an all-day span over its days. Never carries the online joining link. */
export function meetingsCalendar(meetings: MeetingWithProgramme[], name: string): string {
  const host = new URL(appUrl()).host;
  const calendar = ical({
    name,
    prodId: { company: host, product: "Meetings", language: "EN" },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 60 * 60,
  });
  for (const meeting of meetings) {
    const url = `${appUrl()}/meetings/${meeting.slug}`;
    calendar.createEvent({
      id: `meeting-${meeting.id}@${host}`,
      allDay: true,
      start: calendarDay(meeting.starts_on),
      end: calendarDay(meeting.ends_on, 1),
      summary: meeting.status === "cancelled" ? `Cancelled: ${meeting.title}` : meeting.title,
      description: [meeting.summary, url].filter(Boolean).join("\n\n"),
      location: location(meeting),
      url,
      status: meeting.status === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      stamp: meeting.updated_at,
      lastModified: meeting.updated_at,
    });
  }
  return calendar.toString();
}

/** Feeds are served uncompressed and inline: Google rejects attachments, Outlook has failed on compressed feeds. */
export function calendarResponse(body: string, filename: string): Response {
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `inline; filename="${filename}"`,
      "Cache-Control": "public, max-age=300",
    },
  });
}
