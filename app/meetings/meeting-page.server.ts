import { database } from "../../db/connection.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { zoneOffsetLabel } from "~/lib/time";
import { meetingCard } from "./meeting-json.server";
import { findPublicMeeting } from "./meetings.server";

/** A public meeting as its pages show it, or a 404 for unknown slugs and drafts. */
export async function loadPublicMeeting(slug: string | undefined) {
  const meeting = await findPublicMeeting(database(), slug ?? "");
  if (!meeting) throw new Response("There is no public meeting at this address.", { status: 404 });
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

export type PublicMeetingData = Awaited<ReturnType<typeof loadPublicMeeting>>;
