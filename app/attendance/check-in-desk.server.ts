import { type Kysely, type Transaction, sql } from "kysely";
import type { ConsoleAccess } from "~/accounts/roles.server";
import type { CheckInMethod, Database, Meeting, Registration, RegistrationStatus } from "../../db/schema";
import { meetingDayOptions } from "~/agenda/agenda-builder.server";
import { clockReading } from "~/agenda/agenda-view.server";
import { type AgendaEntry, listAgendaItems } from "~/agenda/agenda.server";
import { countryName, countryOptions } from "~/lib/countries.server";
import type { FormFailure } from "~/lib/form";
import { perDatabase } from "~/lib/per-database.server";
import { RenderCache } from "~/lib/render-cache.server";
import { formatDay, formatInstant, todayIn } from "~/lib/time";
import { CATEGORY_LABELS, REGISTRATION_STATUS_LABELS } from "~/registration/labels";
import { fullName, matchingRegistrations } from "~/registration/registration-console.server";
import type { RegistrationDetails } from "~/registration/registration-form.server";
import { changeRegistrationStatus, registerOnTheSpot } from "~/registration/registrations.server";
import { registrationOfBadge, reissueBadge } from "./check-in-reference.server";
import { type AttendanceTarget, type CheckInOutcome, checkIn, undoCheckIn } from "./check-ins.server";

/**
 * The check-in desk: the day or agenda item people are checked in for, the people a search finds
 * with whether they are in, the counts and the latest check-ins, and what the desk's buttons do.
 */

type Executor = Kysely<Database> | Transaction<Database>;
type DeskMeeting = Pick<Meeting, "id" | "timezone" | "starts_on" | "ends_on">;
/** A meeting as the desk's target reads it: with its page version, which names its dates, zone and agenda. */
type VersionedDeskMeeting = DeskMeeting & Pick<Meeting, "page_version">;

const CHECK_IN_METHOD_LABELS: Record<CheckInMethod, string> = {
  desk: "at the desk",
  badge: "badge scanned",
  walk_in: "registered on the spot",
  self: "self check-in",
};

/** The meeting's days and (non-deleted) agenda items, as the desk offers them. */
function deskChoices(meeting: DeskMeeting, items: AgendaEntry[]) {
  return {
    days: meetingDayOptions(meeting),
    items: items.map((item) => {
      const reading = clockReading(item.startsAt, item.endsAt, meeting.timezone);
      return { value: String(item.id), label: `${reading.date}, ${reading.start}–${reading.end} ${reading.zoneName}: ${item.title}` };
    }),
  };
}

/**
 * The meeting's agenda items and the desk's choices, kept by the meeting's page version (database
 * triggers change it with the meeting's dates, zone and items): every search and check-in at the
 * desk reads them, and they change a few times in a meeting's life. Not from inside a transaction.
 */
const deskAgendasKeptFor = perDatabase((_db: Executor) => new RenderCache<{ items: AgendaEntry[]; choices: DeskChoices }>(4 * 1024 * 1024, 10 * 60_000, ({ items }) => 500 * (items.length + 1)));

type DeskChoices = ReturnType<typeof deskChoices>;

async function deskAgenda(db: Executor, meeting: VersionedDeskMeeting) {
  // What a transaction reads may be rolled back, and its version given again to other rows.
  if (db.isTransaction) return agendaChoices(db, meeting);
  return deskAgendasKeptFor(db).get(`${meeting.id}:${meeting.page_version}`, () => agendaChoices(db, meeting));
}

async function agendaChoices(db: Executor, meeting: DeskMeeting) {
  const items = await listAgendaItems(db, meeting.id);
  return { items, choices: deskChoices(meeting, items) };
}

/** Today in the meeting's zone when it is a meeting day; before the meeting its first day, after it its last. */
export function defaultDeskDay(meeting: DeskMeeting, now: Date = new Date()): string {
  const today = todayIn(meeting.timezone, now);
  if (today < meeting.starts_on) return meeting.starts_on;
  if (today > meeting.ends_on) return meeting.ends_on;
  return today;
}

/** What the desk checks people in for, with the choices it offers; `otherDay` names the day when it is not today in the meeting's zone. */
interface DeskTarget {
  target: AttendanceTarget;
  label: string;
  params: Record<string, string>;
  choices: DeskChoices;
  otherDay: { day: string; today: string } | null;
}

/**
 * The day or agenda item the desk checks people in for, from the address: an agenda item of the
 * meeting, else a day of the meeting, else the default day.
 */
export async function deskTarget(
  db: Executor,
  meeting: VersionedDeskMeeting,
  asked: { day?: string; item?: number },
  now: Date = new Date(),
): Promise<({ ok: true } & DeskTarget) | { ok: false; status: 400 | 404; message: string }> {
  const { items, choices } = await deskAgenda(db, meeting);
  const today = todayIn(meeting.timezone, now);
  const otherDay = (day: string) => (day === today ? null : { day: formatDay(day), today: formatDay(today) });
  if (asked.item !== undefined) {
    const item = items.find((entry) => entry.id === asked.item);
    if (!item) return { ok: false, status: 404, message: "This meeting's agenda has no such item." };
    const label = choices.items.find((choice) => choice.value === String(item.id))!.label;
    return { ok: true, target: { agendaItemId: item.id }, label, params: { item: String(item.id) }, choices, otherDay: otherDay(todayIn(meeting.timezone, item.startsAt)) };
  }
  const day = asked.day ?? defaultDeskDay(meeting, now);
  const dayChoice = choices.days.find((choice) => choice.value === day);
  if (!dayChoice) return { ok: false, status: 400, message: `${day} is not a day of this meeting: choose one of its days.` };
  return { ok: true, target: { day }, label: dayChoice.label, params: { day }, choices, otherDay: otherDay(day) };
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

/**
 * The meeting's registrations, each joined to its standing check-in for the day or item as `c` (a
 * person has at most one, so a registration stays one row): the desk's people and its counts read this.
 */
function withStandingCheckIn(db: Executor, meetingId: number, target: AttendanceTarget) {
  return db
    .selectFrom("registrations")
    .leftJoin("check_ins as c", (join) => {
      const standing = join.onRef("c.registration_id", "=", "registrations.id").on("c.undone_at", "is", null);
      return "day" in target ? standing.on("c.day", "=", target.day) : standing.on("c.agenda_item_id", "=", target.agendaItemId);
    })
    .where("registrations.meeting_id", "=", meetingId);
}

/** The meeting's registrations as the desk shows them, with their standing check-in and who recorded it: one query, to be narrowed. */
function deskPeople(db: Executor, meetingId: number, target: AttendanceTarget) {
  return withStandingCheckIn(db, meetingId, target)
    .leftJoin("users as u", "u.id", "c.recorded_by")
    .select(["registrations.id", "registrations.salutation", "registrations.first_name", "registrations.last_name", "registrations.organisation", "registrations.country", "registrations.category", "registrations.status"])
    .select(["c.recorded_at as checked_in_at", "c.method as check_in_method", "u.name as recorded_by_name", "u.email as recorded_by_email"]);
}

type DeskPersonRow = Pick<Registration, "id" | "salutation" | "first_name" | "last_name" | "organisation" | "country" | "category" | "status"> & { checked_in_at: Date | null; check_in_method: CheckInMethod | null; recorded_by_name: string | null; recorded_by_email: string | null };

function asDeskPerson(row: DeskPersonRow, meeting: DeskMeeting): DeskPerson {
  return {
    id: row.id,
    name: fullName(row),
    organisation: row.organisation,
    country: countryName(row.country) ?? row.country,
    category: CATEGORY_LABELS[row.category],
    status: row.status,
    statusLabel: REGISTRATION_STATUS_LABELS[row.status],
    checkedIn:
      row.checked_in_at && row.check_in_method
        ? { at: formatInstant(row.checked_in_at, meeting.timezone), method: CHECK_IN_METHOD_LABELS[row.check_in_method], by: row.recorded_by_name ?? row.recorded_by_email }
        : null,
  };
}

export const SEARCH_LIMIT = 25;

/** The desk's order of people: by last name, then first name (then id, so that a page is stable). */
const BY_NAME = sql`registrations.last_name, registrations.first_name, registrations.id`;

/**
 * The meeting's registrations whose name, email or organisation contains the text, or whose
 * country's name contains it or whose country code it is; by last name, at most SEARCH_LIMIT.
 */
export async function searchDesk(db: Executor, meeting: DeskMeeting, q: string, target: AttendanceTarget): Promise<DeskPerson[]> {
  const text = q.trim().toLowerCase();
  const countries = countryOptions()
    .filter((country) => country.code.toLowerCase() === text || (text.length >= 3 && country.name.toLowerCase().includes(text)))
    .map((country) => country.code);
  // The people shown are chosen before their check-ins are joined. A common name matches hundreds of
  // a conference's people while the planner expects one, and the join it planned for one, scanning
  // the day's check-ins once per person found, took 20–45 ms instead of 2.
  const found = db
    .selectFrom("registrations")
    .select("registrations.id")
    .where("registrations.meeting_id", "=", meeting.id)
    .where((eb) =>
      eb.or([
        matchingRegistrations(meeting.id, { q: text })(eb),
        ...(countries.length > 0 ? [eb("registrations.country", "in", countries)] : []),
      ]),
    )
    .orderBy(BY_NAME)
    .limit(SEARCH_LIMIT);
  // Ordered again: `in` keeps no order.
  const rows = await deskPeople(db, meeting.id, target).where("registrations.id", "in", found).orderBy(BY_NAME).execute();
  return rows.map((row) => asDeskPerson(row, meeting));
}

/** One registration of the meeting as the desk shows it; undefined when the meeting has no such registration. */
async function deskPerson(db: Executor, meeting: DeskMeeting, registrationId: number, target: AttendanceTarget): Promise<DeskPerson | undefined> {
  const row = await deskPeople(db, meeting.id, target).where("registrations.id", "=", registrationId).executeTakeFirst();
  return row && asDeskPerson(row, meeting);
}

/** How many confirmed participants are checked in for the day or item, of how many confirmed: one query (a person has at most one standing check-in for it). */
export async function deskCounts(db: Executor, meetingId: number, target: AttendanceTarget): Promise<{ checkedIn: number; confirmed: number }> {
  const counts = await withStandingCheckIn(db, meetingId, target)
    .select((eb) => [eb.fn.countAll<string>().as("confirmed"), eb.fn.count<string>("c.id").as("checked_in")])
    .where("registrations.status", "=", "confirmed")
    .executeTakeFirstOrThrow();
  return { checkedIn: Number(counts.checked_in), confirmed: Number(counts.confirmed) };
}

/** The latest standing check-ins for the day or item, newest first: the latest taken before their people are joined. */
export async function latestCheckIns(db: Executor, meeting: DeskMeeting, target: AttendanceTarget, limit = 8) {
  let latest = db
    .selectFrom("check_ins")
    .select(["id", "registration_id", "recorded_at", "method"])
    .where("meeting_id", "=", meeting.id)
    .where("undone_at", "is", null);
  latest = "day" in target ? latest.where("day", "=", target.day) : latest.where("agenda_item_id", "=", target.agendaItemId);
  const rows = await db
    .selectFrom(latest.orderBy("recorded_at", "desc").orderBy("id", "desc").limit(limit).as("c"))
    .innerJoin("registrations as r", "r.id", "c.registration_id")
    .select(["c.id", "c.recorded_at", "c.method", "r.salutation", "r.first_name", "r.last_name", "r.organisation"])
    .orderBy("c.recorded_at", "desc")
    .orderBy("c.id", "desc")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: fullName(row),
    organisation: row.organisation,
    at: formatInstant(row.recorded_at, meeting.timezone),
    method: CHECK_IN_METHOD_LABELS[row.method],
  }));
}

/** What the desk says after an action: the headline, why, and the person it was about. */
export type Outcome = { tone: "ok" | "info" | "refused"; headline: string; detail?: string; person?: DeskPerson };

const FORGED_BADGE =
  "This badge is not valid for this meeting: it may be another meeting's badge, or one that was reissued. Search for the person by name instead.";

const BADGE_NOT_RECOGNISED: Outcome = { tone: "refused", headline: "Badge not recognised", detail: FORGED_BADGE };
const NO_SUCH_REGISTRATION = { status: 404, outcome: { tone: "refused", headline: "No such registration", detail: "This meeting has no such registration." } } as const;

/** A badge's address opened on the desk (by a phone's camera app): the person, or why the badge is refused. Nothing is recorded. */
export async function deskBadge(db: Executor, meeting: DeskMeeting, code: string, target: AttendanceTarget): Promise<{ code: string; person: DeskPerson } | { refused: Outcome }> {
  const registration = await registrationOfBadge(db, meeting.id, code);
  const person = registration ? await deskPerson(db, meeting, registration.id, target) : undefined;
  return person ? { code, person } : { refused: BADGE_NOT_RECOGNISED };
}

/** What the desk is asked to do, as parsed from its forms. */
export type DeskRequest =
  | { intent: "walk-in"; input: RegistrationDetails & { email: string }; values: Record<string, string> }
  | { intent: "scan"; code: string }
  | { intent: "check-in" | "undo" | "confirm-and-check-in" | "reissue"; registrationId: number };

/** The desk's answer: what it says (or the walk-in form refused), and the HTTP status that goes with it. */
type DeskAnswer = { status: 200 | 403 | 404 | 409; outcome?: Outcome; walkIn?: FormFailure };

type Desk = { meeting: DeskMeeting; target: AttendanceTarget; by: number };

/** Decisions about a registration, not check-ins: confirming someone, registering a walk-in, voiding a badge. */
const MANAGERS_INTENTS = new Set<unknown>(["walk-in", "confirm-and-check-in", "reissue"]);

/**
 * The desk's managers do everything there; check-in staff find people and check them in. Asked
 * before the form is read: staff are not told what is wrong with a form they may not send.
 */
export function refusedAtDesk(access: ConsoleAccess, intent: unknown): DeskAnswer | null {
  if (access === "manage" || !MANAGERS_INTENTS.has(intent)) return null;
  return {
    status: 403,
    outcome: { tone: "refused", headline: "For the meeting's managers", detail: "Check-in staff find people and check them in: ask one of the meeting's managers to confirm, register or reissue." },
  };
}

function checkInOutcome(result: CheckInOutcome, person: DeskPerson | undefined, headline: string): DeskAnswer {
  // When and how they were checked in is in the person's details; someone not confirmed is offered confirmation with them.
  if (!result.ok) return { status: 200, outcome: { tone: "refused", headline: "Not checked in", detail: result.message, person } };
  return { status: 200, outcome: result.created ? { tone: "ok", headline, person } : { tone: "info", headline: "Already checked in", person } };
}

async function checkInAtDesk(db: Kysely<Database>, desk: Desk, registrationId: number, method: "desk" | "badge" | "walk_in", headline: string): Promise<DeskAnswer> {
  const result = await checkIn(db, { meetingId: desk.meeting.id, registrationId, target: desk.target, mode: "in_person", method, by: desk.by });
  if (!result.ok && result.reason === "unknown") return NO_SUCH_REGISTRATION;
  return checkInOutcome(result, await deskPerson(db, desk.meeting, registrationId, desk.target), headline);
}

async function walkIn(db: Kysely<Database>, desk: Desk, request: Extract<DeskRequest, { intent: "walk-in" }>): Promise<DeskAnswer> {
  const registered = await registerOnTheSpot(db, desk.meeting.id, request.input, desk.by);
  if (!registered.ok) return { status: 409, walkIn: { errors: { form: registered.message }, values: request.values } };
  const { registration } = registered;
  if (!registered.existing) return checkInAtDesk(db, desk, registration.id, "walk_in", "Registered and checked in");
  const person = await deskPerson(db, desk.meeting, registration.id, desk.target);
  const detail = `${request.input.email} already has a registration for this meeting (${REGISTRATION_STATUS_LABELS[registration.status].toLowerCase()}): nothing new was created.`;
  return { status: 200, outcome: { tone: "info", headline: "Already registered", detail, person } };
}

async function scan(db: Kysely<Database>, desk: Desk, code: string): Promise<DeskAnswer> {
  const registration = await registrationOfBadge(db, desk.meeting.id, code);
  if (!registration) return { status: 404, outcome: BADGE_NOT_RECOGNISED };
  return checkInAtDesk(db, desk, registration.id, "badge", "Checked in");
}

/** Does what the desk's buttons and forms ask, for the desk's day or agenda item, recorded as done by `desk.by`. */
export async function deskAction(db: Kysely<Database>, desk: Desk, request: DeskRequest): Promise<DeskAnswer> {
  if (request.intent === "walk-in") return walkIn(db, desk, request);
  if (request.intent === "scan") return scan(db, desk, request.code);
  const { registrationId } = request;
  if (request.intent === "check-in") return checkInAtDesk(db, desk, registrationId, "desk", "Checked in");
  if (request.intent === "undo") {
    const undone = await undoCheckIn(db, { meetingId: desk.meeting.id, registrationId, target: desk.target, by: desk.by });
    const person = await deskPerson(db, desk.meeting, registrationId, desk.target);
    if (!person) return NO_SUCH_REGISTRATION;
    return { status: 200, outcome: undone ? { tone: "ok", headline: "Check-in undone", person } : { tone: "info", headline: "Was not checked in", person } };
  }
  const before = await deskPerson(db, desk.meeting, registrationId, desk.target);
  if (!before) return NO_SUCH_REGISTRATION;
  switch (request.intent) {
    case "confirm-and-check-in": {
      // Two steps: confirming (with its email) commits first; should the check-in then fail, the desk shows the person confirmed and not in.
      const confirmed = await changeRegistrationStatus(db, { meetingId: desk.meeting.id, registrationId, to: "confirmed", by: desk.by });
      if (!confirmed.ok) return { status: 409, outcome: { tone: "refused", headline: "Not confirmed", detail: confirmed.message, person: before } };
      return checkInAtDesk(db, desk, registrationId, "desk", "Confirmed and checked in");
    }
    case "reissue": {
      if (before.status !== "confirmed") return { status: 409, outcome: { tone: "refused", headline: "No badge", detail: "Only confirmed participants have badges.", person: before } };
      await reissueBadge(db, desk.meeting.id, registrationId, desk.by);
      const detail = "The old badge's QR code no longer works: print the new badge (the Badge link) and hand it over.";
      return { status: 200, outcome: { tone: "ok", headline: "Badge reissued", detail, person: before } };
    }
  }
}
