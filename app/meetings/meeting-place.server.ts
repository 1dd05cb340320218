import type { Meeting } from "../../db/schema";
import { countryName } from "~/lib/countries.server";

/** Where a meeting is, in words for emails and calendars: "Venue, City, Country (and online)" or "Online". */
export function meetingPlace(meeting: Pick<Meeting, "mode" | "venue_name" | "venue_city" | "venue_country">, room: string | null = null): string {
  if (meeting.mode === "online") return "Online";
  const place = [room, meeting.venue_name, meeting.venue_city, countryName(meeting.venue_country)].filter(Boolean).join(", ");
  return meeting.mode === "hybrid" ? `${place} (and online)` : place;
}
