import type { Kysely } from "kysely";
import { database } from "../../db/connection.server";
import type { Database } from "../../db/schema";
import { listAgendaItems } from "~/agenda/agenda.server";
import { onNowAndNext } from "~/agenda/agenda-view.server";
import { percentText } from "~/attendance/attendance-report.server";
import { publicFigures } from "~/attendance/public-figures.server";
import { meetingCalendarLinks } from "~/calendar/feeds.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { zoneOffsetLabel } from "~/lib/time";
import { meetingCard } from "./meeting-json.server";
import { type MeetingWithProgramme, findPublicMeeting } from "./meetings.server";

/** The public meeting at this address, or a 404 for unknown slugs and drafts. */
export async function requirePublicMeeting(db: Kysely<Database>, slug: string | undefined): Promise<MeetingWithProgramme> {
  const meeting = await findPublicMeeting(db, slug ?? "");
  if (!meeting) throw new Response("There is no public meeting at this address.", { status: 404 });
  return meeting;
}

/** A public meeting as its pages show it. */
export function publicMeetingData(meeting: MeetingWithProgramme) {
  return {
    ...meetingCard(meeting),
    descriptionHtml: renderMarkdown(meeting.description),
    organisingBody: meeting.organising_body,
    partners: meeting.partners,
    venueName: meeting.venue_name,
    venueAddress: meeting.venue_address,
    contactEmail: meeting.contact_email,
    registrationPolicy: meeting.registration_policy,
    offsetLabel: zoneOffsetLabel(meeting.timezone, meeting.starts_at),
  };
}

/** A public meeting as its pages show it, or a 404 for unknown slugs and drafts. */
export async function loadPublicMeeting(slug: string | undefined) {
  return publicMeetingData(await requirePublicMeeting(database(), slug));
}

export type PublicMeetingData = ReturnType<typeof publicMeetingData>;

/** The meeting's own page: the meeting, while it runs what is on now and next in its zone, and after it the participation figures if shown. */
export async function loadMeetingPage(slug: string | undefined, now: Date = new Date()) {
  const db = database();
  const meeting = await requirePublicMeeting(db, slug);
  const running = meeting.status === "published" && meeting.starts_at <= now && now < meeting.ends_at;
  const onNow = running ? onNowAndNext(await listAgendaItems(db, meeting.id), meeting.timezone, now) : null;
  const participation = await publicFigures(db, meeting, now);
  return {
    meeting: publicMeetingData(meeting),
    onNow: onNow && (onNow.now.length || onNow.next.length) ? onNow : null,
    calendar: meetingCalendarLinks(meeting),
    /** After the meeting, if its organisers chose to show them: numbers only. */
    participation: participation && { ...participation, womenShare: percentText(participation.womenShare) },
  };
}
