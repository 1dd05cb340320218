import type { Kysely } from "kysely";
import type { Database, User } from "../../db/schema";
import { documentReader, readableLevels } from "~/documents/access.server";
import { documentsByAgendaItem } from "~/documents/documents.server";
import { formatInstant, isoInstant, zoneOffsetLabel } from "~/lib/time";
import { meetingCalendarLinks } from "~/calendar/feeds.server";
import { normaliseTimeZone, timeZoneNames } from "~/lib/timezones";
import { publicMeetingData, requirePublicMeeting } from "~/meetings/meeting-page.server";
import { listAgendaItems } from "./agenda.server";
import { agendaView, clockReading } from "./agenda-view.server";
import { type StarredItem, starItem, starredAgenda, starredItemIds, unstarItem } from "./stars.server";

/** What the public agenda was asked for: `?tz=Area/City` and `?view=both`. */
export interface AgendaQuery {
  tz?: string;
  view?: "both";
}

/**
 * The public agenda of a meeting in the zone asked for. A zone that is not one falls back to the
 * meeting's, and the page says so; legacy names are shown by their current name.
 */
export async function loadAgendaPage(db: Kysely<Database>, slug: string | undefined, query: AgendaQuery, user: User | null) {
  const meeting = await requirePublicMeeting(db, slug);
  const asked = query.tz?.trim() || null;
  const normalised = asked ? normaliseTimeZone(asked) : null;
  const zone = normalised ?? meeting.timezone;
  const [items, reader] = await Promise.all([listAgendaItems(db, meeting.id), documentReader(db, user, meeting.id)]);
  const updatedAt = meeting.agenda_updated_at;
  return {
    meeting: publicMeetingData(meeting),
    agenda: agendaView(items, { meetingZone: meeting.timezone, zone, both: query.view === "both" }),
    unknownZone: asked && !normalised ? asked.slice(0, 100) : null,
    lastUpdated: updatedAt && items.length ? { at: isoInstant(updatedAt), text: formatInstant(updatedAt, zone) } : null,
    /** null for visitors who are not signed in. */
    starred: user === null ? null : await starredItemIds(db, user.id, meeting.id),
    documents: await documentsByAgendaItem(db, meeting, readableLevels(reader)),
    timezones: timeZoneNames(),
    calendar: meetingCalendarLinks(meeting),
  };
}

/** Stars or unstars an item of the meeting's agenda; false if the meeting has no such item. */
export async function changeStar(db: Kysely<Database>, slug: string | undefined, userId: number, itemId: number, starred: boolean): Promise<boolean> {
  const meeting = await requirePublicMeeting(db, slug);
  if (starred) return starItem(db, userId, meeting.id, itemId);
  await unstarItem(db, userId, itemId);
  return true;
}

function personalItem(item: StarredItem, personZone: string | null) {
  const zone = item.meeting.timezone;
  const theirs = personZone && personZone !== zone && zoneOffsetLabel(personZone, item.startsAt) !== zoneOffsetLabel(zone, item.startsAt);
  return {
    id: item.id,
    title: item.title,
    room: item.room,
    startsAt: isoInstant(item.startsAt),
    endsAt: isoInstant(item.endsAt),
    meeting: { slug: item.meeting.slug, title: item.meeting.title, cancelled: item.meeting.status === "cancelled" },
    inMeetingZone: clockReading(item.startsAt, item.endsAt, zone),
    inPersonZone: theirs ? clockReading(item.startsAt, item.endsAt, personZone) : null,
  };
}

export type PersonalAgendaItem = ReturnType<typeof personalItem>;

/** The person's starred items, upcoming first, each in its meeting's zone and, where it differs, in the person's own. */
export async function loadMyAgenda(db: Kysely<Database>, user: { id: number; timezone: string | null }, now: Date = new Date()) {
  const { upcoming, past } = await starredAgenda(db, user.id, now);
  return {
    timezone: user.timezone,
    upcoming: upcoming.map((item) => personalItem(item, user.timezone)),
    past: past.map((item) => personalItem(item, user.timezone)),
  };
}
