import type { AgendaEntry } from "~/agenda/agenda.server";
import { countryName } from "~/lib/countries.server";
import { isoInstant } from "~/lib/time";
import { appUrl } from "~/settings.server";
import type { MeetingWithProgramme } from "./meetings.server";
import { type RegistrationCounts, type RegistrationState, registrationLabel, registrationState } from "./registration-state";

/** The API's `Meeting` (PRODUCT.md). The online joining link is never part of it. */
export interface MeetingJson {
  slug: string;
  title: string;
  kind: string;
  mode: string;
  status: string;
  timezone: string;
  startsOn: string;
  endsOn: string;
  url: string;
  calendarUrl: string;
  programme: { slug: string; title: string } | null;
  venue: { name: string | null; city: string | null; country: string | null } | null;
  registration: RegistrationState;
}

/** An item of the API's `agenda`: instants in UTC; `parentId` names the item a talk is part of (null for top-level items). */
export interface AgendaItemJson {
  id: number;
  parentId: number | null;
  title: string;
  kind: string;
  startsAt: string;
  endsAt: string;
  room: string | null;
  people: { name: string; role: string; affiliation: string | null }[];
}

export function agendaJson(items: AgendaEntry[]): AgendaItemJson[] {
  return items.map((item) => ({
    id: item.id,
    parentId: item.parentId,
    title: item.title,
    kind: item.kind,
    startsAt: isoInstant(item.startsAt),
    endsAt: isoInstant(item.endsAt),
    room: item.roomName,
    people: item.people.map(({ name, role, affiliation }) => ({ name, role, affiliation })),
  }));
}

function counts(meeting: MeetingWithProgramme): RegistrationCounts {
  return { confirmed: meeting.confirmed_count, waitlisted: meeting.waitlisted_count, pending: meeting.pending_count };
}

export function meetingJson(meeting: MeetingWithProgramme, now: Date = new Date()): MeetingJson {
  const url = `${appUrl()}/meetings/${meeting.slug}`;
  return {
    slug: meeting.slug,
    title: meeting.title,
    kind: meeting.kind,
    mode: meeting.mode,
    status: meeting.status,
    timezone: meeting.timezone,
    startsOn: meeting.starts_on,
    endsOn: meeting.ends_on,
    url,
    calendarUrl: `${url}/calendar.ics`,
    programme:
      meeting.programme_slug && meeting.programme_title
        ? { slug: meeting.programme_slug, title: meeting.programme_title }
        : null,
    venue:
      meeting.mode === "online"
        ? null
        : { name: meeting.venue_name, city: meeting.venue_city, country: meeting.venue_country },
    registration: registrationState(meeting, counts(meeting), now),
  };
}

/** What a public page needs of a meeting: the row's public fields, labelled for people. Never the joining link. */
export function meetingCard(meeting: MeetingWithProgramme, now: Date = new Date()) {
  const registration = registrationState(meeting, counts(meeting), now);
  return {
    slug: meeting.slug,
    title: meeting.title,
    summary: meeting.summary,
    kind: meeting.kind,
    mode: meeting.mode,
    status: meeting.status,
    timezone: meeting.timezone,
    startsOn: meeting.starts_on,
    endsOn: meeting.ends_on,
    startsAt: meeting.starts_at.toISOString(),
    city: meeting.venue_city,
    country: countryName(meeting.venue_country),
    programme: meeting.programme_slug ? { slug: meeting.programme_slug, title: meeting.programme_title ?? "" } : null,
    registration,
    registrationText: registrationLabel(registration, meeting.timezone, now),
  };
}

export type MeetingCardData = ReturnType<typeof meetingCard>;

/** What a list's card shows, and no more: a list page carries twenty, in its HTML and again in its data. */
export function meetingListEntry(meeting: MeetingWithProgramme, now: Date = new Date()) {
  const { slug, title, kind, mode, status, timezone, startsOn, endsOn, city, country, registrationText } = meetingCard(meeting, now);
  return { slug, title, kind, mode, status, timezone, startsOn, endsOn, city, country, registrationText };
}

export type MeetingListEntry = ReturnType<typeof meetingListEntry>;
