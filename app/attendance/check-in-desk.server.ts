import type { Kysely, Transaction } from "kysely";
import type { CheckInMethod, Database, Meeting, Registration, RegistrationStatus } from "../../db/schema";
import { meetingDays } from "~/agenda/agenda-builder.server";
import { clockReading } from "~/agenda/agenda-view.server";
import type { AgendaEntry } from "~/agenda/agenda.server";
import { countryName, countryOptions } from "~/lib/countries.server";
import { formatInstant, todayIn } from "~/lib/time";
import { CATEGORY_LABELS, REGISTRATION_STATUS_LABELS } from "~/registration/labels";
import { fullName, matchingRegistrations } from "~/registration/registration-console.server";
import type { AttendanceTarget } from "./check-ins.server";

/**
 * What the check-in desk shows: the day or agenda item people are checked in for, the people a
 * search finds with whether they are in, the counts and the latest check-ins.
 */

type Executor = Kysely<Database> | Transaction<Database>;
type DeskMeeting = Pick<Meeting, "id" | "timezone" | "starts_on" | "ends_on">;

export const CHECK_IN_METHOD_LABELS: Record<CheckInMethod, string> = {
  desk: "at the desk",
  badge: "badge scanned",
  walk_in: "registered on the spot",
  self: "self check-in",
};

/** The meeting's days and (non-deleted) agenda items, as the desk offers them. */
export function deskChoices(meeting: DeskMeeting, items: AgendaEntry[]) {
  return {
    days: meetingDays(meeting),
    items: items.map((item) => {
      const reading = clockReading(item.startsAt, item.endsAt, meeting.timezone);
      return { value: String(item.id), label: `${reading.date}, ${reading.start}–${reading.end} ${reading.zoneName}: ${item.title}` };
    }),
  };
}

/** Today in the meeting's zone when it is a meeting day; before the meeting its first day, after it its last. */
export function defaultDeskDay(meeting: DeskMeeting, now: Date = new Date()): string {
  const today = todayIn(meeting.timezone, now);
  if (today < meeting.starts_on) return meeting.starts_on;
  if (today > meeting.ends_on) return meeting.ends_on;
  return today;
}

export function isMeetingDay(meeting: DeskMeeting, day: string): boolean {
  return meetingDays(meeting).some((option) => option.value === day);
}

export interface DeskPerson {
  id: number;
  name: string;
  organisation: string;
  country: string;
  category: string;
  status: RegistrationStatus;
  statusLabel: string;
  /** Their standing check-in for the desk's day or item: when (with the zone), how and by whom. */
  checkedIn: { at: string; method: string; by: string | null } | null;
}

async function withCheckIns(db: Executor, meeting: DeskMeeting, target: AttendanceTarget, registrations: Registration[]): Promise<DeskPerson[]> {
  if (registrations.length === 0) return [];
  let query = db
    .selectFrom("check_ins as c")
    .leftJoin("users as u", "u.id", "c.recorded_by")
    .select(["c.registration_id", "c.recorded_at", "c.method", "u.name", "u.email"])
    .where("c.registration_id", "in", registrations.map((r) => r.id))
    .where("c.undone_at", "is", null);
  query = "day" in target ? query.where("c.day", "=", target.day) : query.where("c.agenda_item_id", "=", target.agendaItemId);
  const standing = new Map((await query.execute()).map((row) => [row.registration_id, row]));
  return registrations.map((registration) => {
    const checkIn = standing.get(registration.id);
    return {
      id: registration.id,
      name: fullName(registration),
      organisation: registration.organisation,
      country: countryName(registration.country) ?? registration.country,
      category: CATEGORY_LABELS[registration.category],
      status: registration.status,
      statusLabel: REGISTRATION_STATUS_LABELS[registration.status],
      checkedIn: checkIn
        ? { at: formatInstant(checkIn.recorded_at, meeting.timezone), method: CHECK_IN_METHOD_LABELS[checkIn.method], by: checkIn.name ?? checkIn.email }
        : null,
    };
  });
}

export const SEARCH_LIMIT = 25;

/**
 * The meeting's registrations whose name, email or organisation contains the text, or whose
 * country's name contains it or whose country code it is; by last name, at most SEARCH_LIMIT.
 */
export async function searchDesk(db: Executor, meeting: DeskMeeting, q: string, target: AttendanceTarget): Promise<DeskPerson[]> {
  const text = q.trim().toLowerCase();
  const countries = countryOptions()
    .filter((country) => country.code.toLowerCase() === text || (text.length >= 3 && country.name.toLowerCase().includes(text)))
    .map((country) => country.code);
  const rows = await db
    .selectFrom("registrations")
    .selectAll()
    .where((eb) =>
      eb.or([
        matchingRegistrations(meeting.id, { q: text })(eb),
        ...(countries.length > 0 ? [eb.and([eb("meeting_id", "=", meeting.id), eb("country", "in", countries)])] : []),
      ]),
    )
    .orderBy("last_name")
    .orderBy("first_name")
    .orderBy("id")
    .limit(SEARCH_LIMIT)
    .execute();
  return withCheckIns(db, meeting, target, rows);
}

/** One registration of the meeting as the desk shows it; undefined when the meeting has no such registration. */
export async function deskPerson(db: Executor, meeting: DeskMeeting, registrationId: number, target: AttendanceTarget): Promise<DeskPerson | undefined> {
  const registration = await db.selectFrom("registrations").selectAll().where("id", "=", registrationId).where("meeting_id", "=", meeting.id).executeTakeFirst();
  if (!registration) return undefined;
  return (await withCheckIns(db, meeting, target, [registration]))[0];
}

/** How many confirmed participants are checked in for the day or item, of how many confirmed. */
export async function deskCounts(db: Executor, meetingId: number, target: AttendanceTarget): Promise<{ checkedIn: number; confirmed: number }> {
  let checkedIn = db
    .selectFrom("check_ins as c")
    .innerJoin("registrations as r", "r.id", "c.registration_id")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("c.meeting_id", "=", meetingId)
    .where("c.undone_at", "is", null)
    .where("r.status", "=", "confirmed");
  checkedIn = "day" in target ? checkedIn.where("c.day", "=", target.day) : checkedIn.where("c.agenda_item_id", "=", target.agendaItemId);
  const [inside, confirmed] = await Promise.all([
    checkedIn.executeTakeFirstOrThrow(),
    db
      .selectFrom("registrations")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("meeting_id", "=", meetingId)
      .where("status", "=", "confirmed")
      .executeTakeFirstOrThrow(),
  ]);
  return { checkedIn: Number(inside.n), confirmed: Number(confirmed.n) };
}

/** The latest standing check-ins for the day or item, newest first. */
export async function latestCheckIns(db: Executor, meeting: DeskMeeting, target: AttendanceTarget, limit = 8) {
  let query = db
    .selectFrom("check_ins as c")
    .innerJoin("registrations as r", "r.id", "c.registration_id")
    .select(["c.id", "c.recorded_at", "c.method", "r.salutation", "r.first_name", "r.last_name", "r.organisation"])
    .where("c.meeting_id", "=", meeting.id)
    .where("c.undone_at", "is", null);
  query = "day" in target ? query.where("c.day", "=", target.day) : query.where("c.agenda_item_id", "=", target.agendaItemId);
  const rows = await query.orderBy("c.recorded_at", "desc").orderBy("c.id", "desc").limit(limit).execute();
  return rows.map((row) => ({
    id: row.id,
    name: fullName(row),
    organisation: row.organisation,
    at: formatInstant(row.recorded_at, meeting.timezone),
    method: CHECK_IN_METHOD_LABELS[row.method],
  }));
}
