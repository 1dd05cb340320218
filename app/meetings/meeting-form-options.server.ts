import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { countryChoices } from "~/lib/countries.server";
import { timeZoneNames } from "~/lib/timezones";
import { programmeOptions, programmeTree } from "~/programmes/programmes.server";
import type { MeetingFormOptions } from "./meeting-form";
import type { MeetingWithProgramme } from "./meetings.server";

export async function meetingFormOptions(db: Kysely<Database>): Promise<MeetingFormOptions> {
  const programmes = await programmeTree(db);
  return {
    timezones: timeZoneNames(),
    countries: countryChoices(),
    programmes: programmeOptions(programmes),
  };
}

/** A saved meeting as the form's typed values. */
export function meetingFormValues(meeting: MeetingWithProgramme): Record<string, string> {
  return {
    title: meeting.title,
    summary: meeting.summary ?? "",
    description: meeting.description ?? "",
    organisingBody: meeting.organising_body,
    partners: meeting.partners.join(", "),
    kind: meeting.kind,
    mode: meeting.mode,
    timezone: meeting.timezone,
    startsOn: meeting.starts_on,
    endsOn: meeting.ends_on,
    programme: meeting.programme_slug ?? "",
    venueName: meeting.venue_name ?? "",
    venueAddress: meeting.venue_address ?? "",
    venueCity: meeting.venue_city ?? "",
    venueCountry: meeting.venue_country ?? "",
    onlineUrl: meeting.online_url ?? "",
    contactEmail: meeting.contact_email ?? "",
    registrationPolicy: meeting.registration_policy,
    registrationOpensAt: meeting.registration_opens_local ?? "",
    registrationClosesAt: meeting.registration_closes_local ?? "",
    capacity: meeting.capacity === null ? "" : String(meeting.capacity),
  };
}

/** Blank form defaults for a new meeting. */
export function newMeetingValues(): Record<string, string> {
  return { registrationPolicy: "open" };
}
