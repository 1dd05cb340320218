import type { Meeting } from "../../db/schema";
import { countryName } from "~/lib/countries.server";

type Venue = Pick<Meeting, "venue_name" | "venue_city" | "venue_country">;

/** The venue in words, "Room, Venue, City, Country", whatever the meeting's mode; empty when none is given. */
export function venueText(meeting: Venue, room: string | null = null): string {
  return [room, meeting.venue_name, meeting.venue_city, countryName(meeting.venue_country)].filter(Boolean).join(", ");
}

/** Where a meeting is, in words for emails and calendars: "Venue, City, Country (and online)" or "Online". */
export function meetingPlace(meeting: Venue & Pick<Meeting, "mode">, room: string | null = null): string {
  if (meeting.mode === "online") return "Online";
  const place = venueText(meeting, room);
  return meeting.mode === "hybrid" ? `${place} (and online)` : place;
}
