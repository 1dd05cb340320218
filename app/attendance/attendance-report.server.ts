import { type Kysely, type Transaction, sql } from "kysely";
import type { AgendaItemKind, AttendanceMode, Database, Gender, Meeting, ParticipantCategory, RegistrationStatus } from "../../db/schema";
import { GENDERS, PARTICIPANT_CATEGORIES } from "../../db/schema";
import { PAUSE_KINDS } from "~/agenda/labels";
import { changedFields, inTransaction, recordAuditEvent } from "~/audit/audit-log.server";
import { countryName } from "~/lib/countries.server";
import { groupBy } from "~/lib/group-by";
import { perDatabase } from "~/lib/per-database.server";
import { RenderCache } from "~/lib/render-cache.server";
import { daysOfMeeting } from "~/lib/time";
import { CATEGORY_LABELS, GENDER_LABELS } from "~/registration/labels";
import { type Interval, attendedOnline, coveredMinutes, mergeIntervals } from "./intervals";

/**
 * Who attended a meeting, day by day and item by item, from the standing check-ins, the online
 * sessions read from webinar reports (those linked to a registration) and the meeting's minimum
 * share for online presence. The page, the exports, the certificates and the public figures all
 * read this, so they agree.
 *
 * A person attended a day in person with a standing in-person check-in for the day or any of its
 * items. Online: a standing online check-in for the day or one of its items, or online sessions
 * covering the minimum share of one of the day's items (breaks and lunch aside), or, on a day
 * without such items, of the day's webinar (first join to last leave of everyone that day).
 * Someone present both ways counts once, as in person. Only confirmed registrations count.
 *
 * An item (breaks and lunch aside) is attended by whoever was checked in for it or for its day
 * (desks mostly check people in once a day), and online by presence for the minimum share of it.
 */

type Executor = Kysely<Database> | Transaction<Database>;

type ReportMeeting = Pick<Meeting, "id" | "timezone" | "starts_on" | "ends_on" | "online_attendance_percent" | "page_version">;

interface ReportItem {
  id: number;
  parentId: number | null;
  title: string;
  kind: AgendaItemKind;
  /** The day it starts, `YYYY-MM-DD` in the meeting's zone. */
  day: string;
  startsAt: Date;
  endsAt: Date;
}

export interface ParticipantAttendance {
  registrationId: number;
  salutation: string | null;
  firstName: string;
  lastName: string;
  email: string;
  organisation: string;
  country: string;
  gender: Gender;
  category: ParticipantCategory;
  /** How they said they would attend. */
  registeredMode: AttendanceMode;
  /** Each meeting day: how they attended it, or null. */
  days: Record<string, AttendanceMode | null>;
  /** The reported items they attended, and how: checked in for the item or its day, or online for the minimum share of it. */
  items: Record<number, AttendanceMode>;
  daysAttended: number;
  /** In person if they attended any day in person, online if only online, null if not at all. */
  mode: AttendanceMode | null;
  /** Minutes online over the whole meeting, overlapping sessions counted once. */
  onlineMinutes: number;
}

/** Confirmed and attended, in person and online, for a day, an item or a group of people. */
export interface Tally {
  confirmed: number;
  attended: number;
  inPerson: number;
  online: number;
  /** 1 − attended/confirmed; null when nobody was confirmed. */
  noShowRate: number | null;
}

export interface BreakdownRow extends Tally {
  key: string;
  label: string;
}

export interface AttendanceReport {
  timezone: string;
  percent: number;
  days: (Tally & { day: string })[];
  items: (Tally & ReportItem)[];
  participants: ParticipantAttendance[];
  totals: Tally & { countries: number; women: number; womenShare: number | null };
}

/** Whom figures are about: the whole meeting, one of its days, or one of its reported items. */
export type ReportScope = { kind: "meeting" } | { kind: "day"; day: string } | { kind: "item"; itemId: number };

/** Who attended, in a scope: how many, from how many countries, the women among them, and the breakdowns. */
interface WhoAttended {
  attended: number;
  countries: number;
  women: number;
  /** Women among those who attended; null when nobody did. */
  womenShare: number | null;
  byCountry: BreakdownRow[];
  byCategory: BreakdownRow[];
  byGender: BreakdownRow[];
}

interface Rows {
  registrations: Awaited<ReturnType<typeof confirmedRegistrations>>;
  items: ReportItem[];
  checkIns: { registration_id: number; day: string | null; agenda_item_id: number | null; mode: AttendanceMode }[];
  sessions: { registration_id: number | null; joined_at: Date; left_at: Date }[];
  webinarWindows: Map<string, Interval>;
}

function confirmedRegistrations(db: Executor, meetingId: number, registrationId?: number) {
  let query = db
    .selectFrom("registrations")
    .select(["id", "salutation", "first_name", "last_name", "email", "organisation", "country", "gender", "category", "attendance_mode"])
    .where("meeting_id", "=", meetingId)
    .where("status", "=", "confirmed");
  if (registrationId !== undefined) query = query.where("id", "=", registrationId);
  return query.orderBy(sql`lower(last_name)`).orderBy(sql`lower(first_name)`).orderBy("id").execute();
}

async function reportItems(db: Executor, meeting: ReportMeeting): Promise<ReportItem[]> {
  const rows = await db
    .selectFrom("agenda_items")
    .select(["id", "parent_id", "title", "kind", "starts_local", "starts_at", "ends_at"])
    .where("meeting_id", "=", meeting.id)
    .where("deleted_at", "is", null)
    .orderBy("starts_at")
    .orderBy("ends_at")
    .orderBy("id")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    parentId: row.parent_id,
    title: row.title,
    kind: row.kind,
    day: row.starts_local.slice(0, 10),
    startsAt: row.starts_at,
    endsAt: row.ends_at,
  }));
}

/** Each day's webinar, first join to last leave of every session that began that day (linked or not), in the meeting's zone. */
async function webinarWindows(db: Executor, meeting: ReportMeeting): Promise<Map<string, Interval>> {
  const rows = await db
    .selectFrom("online_sessions")
    .select([
      sql<string>`to_char(joined_at at time zone ${meeting.timezone}, 'YYYY-MM-DD')`.as("day"),
      (eb) => eb.fn.min("joined_at").as("start"),
      (eb) => eb.fn.max("left_at").as("end"),
    ])
    .where("meeting_id", "=", meeting.id)
    .groupBy(sql`1`)
    .execute();
  return new Map(rows.map((row) => [row.day, { start: new Date(row.start), end: new Date(row.end) }]));
}

async function loadRows(db: Executor, meeting: ReportMeeting, registrationId?: number): Promise<Rows> {
  let checkIns = db
    .selectFrom("check_ins")
    .select(["registration_id", "day", "agenda_item_id", "mode"])
    .where("meeting_id", "=", meeting.id)
    .where("undone_at", "is", null);
  let sessions = db
    .selectFrom("online_sessions")
    .select(["registration_id", "joined_at", "left_at"])
    .where("meeting_id", "=", meeting.id)
    .where("registration_id", "is not", null);
  if (registrationId !== undefined) {
    checkIns = checkIns.where("registration_id", "=", registrationId);
    sessions = sessions.where("registration_id", "=", registrationId);
  }
  const [registrations, items, checkInRows, sessionRows, windows] = await Promise.all([
    confirmedRegistrations(db, meeting.id, registrationId),
    reportItems(db, meeting),
    checkIns.execute(),
    sessions.execute(),
    webinarWindows(db, meeting),
  ]);
  return { registrations, items, checkIns: checkInRows, sessions: sessionRows, webinarWindows: windows };
}

/** One person's attendance, by the rules above. */
function attendanceOf(
  registration: Rows["registrations"][number],
  context: { days: string[]; items: ReportItem[]; percent: number; webinarWindows: Map<string, Interval>; itemDay: Map<number, string> },
  checkIns: Rows["checkIns"],
  intervals: Interval[],
): ParticipantAttendance {
  const inPersonDays = new Set<string>();
  const onlineDays = new Set<string>();
  // Checked in for the item itself or for its whole day: either way, there for the item.
  const inPersonTargets = new Set<number | string>();
  const onlineTargets = new Set<number | string>();
  for (const checkIn of checkIns) {
    const day = checkIn.day ?? context.itemDay.get(checkIn.agenda_item_id!);
    if (day) (checkIn.mode === "in_person" ? inPersonDays : onlineDays).add(day);
    (checkIn.mode === "in_person" ? inPersonTargets : onlineTargets).add(checkIn.agenda_item_id ?? checkIn.day!);
  }
  const merged = mergeIntervals(intervals);
  const items: Record<number, AttendanceMode> = {};
  for (const item of context.items) {
    if (inPersonTargets.has(item.id) || inPersonTargets.has(item.day)) items[item.id] = "in_person";
    else if (onlineTargets.has(item.id) || onlineTargets.has(item.day) || attendedOnline(merged, { start: item.startsAt, end: item.endsAt }, context.percent)) {
      items[item.id] = "online";
      onlineDays.add(item.day);
    }
  }
  for (const day of context.days) {
    if (context.items.some((item) => item.day === day)) continue;
    const window = context.webinarWindows.get(day);
    if (window && attendedOnline(merged, window, context.percent)) onlineDays.add(day);
  }
  const days: Record<string, AttendanceMode | null> = {};
  for (const day of context.days) days[day] = inPersonDays.has(day) ? "in_person" : onlineDays.has(day) ? "online" : null;
  const modes = Object.values(days);
  return {
    registrationId: registration.id,
    salutation: registration.salutation,
    firstName: registration.first_name,
    lastName: registration.last_name,
    email: registration.email,
    organisation: registration.organisation,
    country: registration.country,
    gender: registration.gender,
    category: registration.category,
    registeredMode: registration.attendance_mode,
    days,
    items,
    daysAttended: modes.filter((mode) => mode !== null).length,
    mode: modes.includes("in_person") ? "in_person" : modes.includes("online") ? "online" : null,
    onlineMinutes: coveredMinutes(merged),
  };
}

function participantsFrom(meeting: ReportMeeting, rows: Rows): { days: string[]; items: ReportItem[]; participants: ParticipantAttendance[] } {
  const days = daysOfMeeting(meeting);
  const onDays = new Set(days);
  const reported = rows.items.filter((item) => !PAUSE_KINDS.includes(item.kind) && onDays.has(item.day));
  const context = {
    days,
    items: reported,
    percent: meeting.online_attendance_percent,
    webinarWindows: rows.webinarWindows,
    itemDay: new Map(rows.items.map((item) => [item.id, item.day])),
  };
  const checkIns = groupBy(rows.checkIns, (row) => row.registration_id);
  const sessions = groupBy(rows.sessions, (row) => row.registration_id);
  const participants = rows.registrations.map((registration) =>
    attendanceOf(
      registration,
      context,
      checkIns.get(registration.id) ?? [],
      (sessions.get(registration.id) ?? []).map((s) => ({ start: s.joined_at, end: s.left_at })),
    ),
  );
  return { days, items: reported, participants };
}

function tally(confirmed: number, modes: (AttendanceMode | null | undefined)[]): Tally {
  const inPerson = modes.filter((mode) => mode === "in_person").length;
  const online = modes.filter((mode) => mode === "online").length;
  const attended = inPerson + online;
  return { confirmed, attended, inPerson, online, noShowRate: confirmed === 0 ? null : 1 - attended / confirmed };
}

type ModeOf = (p: ParticipantAttendance) => AttendanceMode | null | undefined;

function modeIn(scope: ReportScope): ModeOf {
  if (scope.kind === "day") return (p) => p.days[scope.day];
  if (scope.kind === "item") return (p) => p.items[scope.itemId];
  return (p) => p.mode;
}

function breakdown(
  participants: ParticipantAttendance[],
  modeOf: ModeOf,
  keyOf: (p: ParticipantAttendance) => string,
  labelOf: (key: string) => string,
  order?: readonly string[],
): BreakdownRow[] {
  const groups = groupBy(participants, keyOf);
  const rows = [...groups].map(([key, people]) => ({ key, label: labelOf(key), ...tally(people.length, people.map(modeOf)) }));
  if (order) return rows.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
  return rows.sort((a, b) => b.attended - a.attended || b.confirmed - a.confirmed || a.label.localeCompare(b.label));
}

/** Who attended the whole meeting, one of its days or one of its items, by country, category and gender. */
export function whoAttended(participants: ParticipantAttendance[], scope: ReportScope = { kind: "meeting" }): WhoAttended {
  const modeOf = modeIn(scope);
  const attendedPeople = participants.filter((p) => modeOf(p));
  const women = attendedPeople.filter((p) => p.gender === "female").length;
  return {
    attended: attendedPeople.length,
    countries: new Set(attendedPeople.map((p) => p.country)).size,
    women,
    womenShare: attendedPeople.length === 0 ? null : women / attendedPeople.length,
    byCountry: breakdown(participants, modeOf, (p) => p.country, (code) => countryName(code) ?? code),
    byCategory: breakdown(participants, modeOf, (p) => p.category, (key) => CATEGORY_LABELS[key as ParticipantCategory], PARTICIPANT_CATEGORIES),
    byGender: breakdown(participants, modeOf, (p) => p.gender, (key) => GENDER_LABELS[key as Gender], GENDERS),
  };
}

/** Roughly what a report holds in memory: its participants, with a day or item they attended a few dozen bytes each. */
function reportBytes(report: AttendanceReport): number {
  const attended = report.participants.reduce((total, p) => total + p.daysAttended + Object.keys(p.items).length, 0);
  return 1_000 + report.participants.length * 600 + attended * 40 + report.items.length * 300;
}

/**
 * Reports kept by what they were made from: the meeting's row and agenda (its page version) and
 * its check-ins, online sessions and registrations (its attendance version, see migration 0016).
 * The page, the exports and the certificates of a conference of thousands read the same report
 * without computing everyone's attendance again; a check-in is a new version, shown at once.
 * One keep per database (tests run several in a process). Kept reports are shared: never changed.
 */
const reportsKeptFor = perDatabase((_db: Executor) => new RenderCache<AttendanceReport>(48 * 1024 * 1024, 60 * 60_000, reportBytes));

/**
 * The meeting's attendance report: every confirmed participant, each day and reported item, and the
 * totals. Kept by version outside a transaction (inside one, what it reads may not be committed).
 * The version is read before the rows: a change committed in between makes the kept report newer
 * than its version, never older.
 */
export async function attendanceReport(db: Executor, meeting: ReportMeeting): Promise<AttendanceReport> {
  if (db.isTransaction) return computeReport(db, meeting);
  const row = await db.selectFrom("attendance_versions").select("version").where("meeting_id", "=", meeting.id).executeTakeFirst();
  // Meetings written around the triggers (the bench's generated data) have no version: not kept.
  if (!row) return computeReport(db, meeting);
  return reportsKeptFor(db).get(`${meeting.id}:${meeting.page_version}:${row.version}`, () => computeReport(db, meeting));
}

/** What is made from a report (its CSV, who attended a day), by name: made once per report, since a report is never changed and a new version is a new report. */
const madeFromReports = new WeakMap<AttendanceReport, Map<string, unknown>>();

export function madeFromReport<T>(report: AttendanceReport, name: string, make: () => T): T {
  let made = madeFromReports.get(report);
  if (!made) madeFromReports.set(report, (made = new Map()));
  if (!made.has(name)) made.set(name, make());
  return made.get(name) as T;
}

async function computeReport(db: Executor, meeting: ReportMeeting): Promise<AttendanceReport> {
  const { days, items, participants } = participantsFrom(meeting, await loadRows(db, meeting));
  const confirmed = participants.length;
  const { countries, women, womenShare } = whoAttended(participants);
  return {
    timezone: meeting.timezone,
    percent: meeting.online_attendance_percent,
    days: days.map((day) => ({ day, ...tally(confirmed, participants.map((p) => p.days[day])) })),
    items: items.map((item) => ({ ...item, ...tally(confirmed, participants.map((p) => p.items[item.id])) })),
    participants,
    totals: { ...tally(confirmed, participants.map((p) => p.mode)), countries, women, womenShare },
  };
}

/** One person's attendance (a confirmed registration of the meeting), or undefined. */
export async function participantAttendance(db: Executor, meeting: ReportMeeting, registrationId: number): Promise<ParticipantAttendance | undefined> {
  return participantsFrom(meeting, await loadRows(db, meeting, registrationId)).participants[0];
}

/**
 * Whether the person has attended a day so far (their manage page then offers a certificate).
 * Nothing is read for a registration not confirmed, or before the meeting begins.
 */
export async function hasAttended(
  db: Executor,
  meeting: ReportMeeting & Pick<Meeting, "starts_at">,
  registration: { id: number; status: RegistrationStatus },
  now: Date = new Date(),
): Promise<boolean> {
  if (registration.status !== "confirmed" || now < meeting.starts_at) return false;
  return (await participantAttendance(db, meeting, registration.id))?.mode != null;
}

/** What the public page may show after the meeting: numbers only, nobody named. */
export interface ParticipationFigures {
  attended: number;
  inPerson: number;
  online: number;
  countries: number;
  womenShare: number | null;
}

/**
 * The figures the meeting's public page shows, when its organisers chose to and the meeting is
 * over (`ends_at` passed); null otherwise, or when nobody's attendance was recorded.
 */
/** Whether the public page shows the figures now: the organisers chose to, and the published meeting is over. */
export function showsParticipation(meeting: Pick<Meeting, "shows_participation" | "ends_at" | "status">, now: Date): boolean {
  return meeting.shows_participation && meeting.status === "published" && now >= meeting.ends_at;
}

export async function publicParticipation(
  db: Executor,
  meeting: ReportMeeting & Pick<Meeting, "shows_participation" | "ends_at" | "status">,
  now: Date = new Date(),
): Promise<ParticipationFigures | null> {
  if (!showsParticipation(meeting, now)) return null;
  const { totals } = await attendanceReport(db, meeting);
  if (totals.attended === 0) return null;
  return { attended: totals.attended, inPerson: totals.inPerson, online: totals.online, countries: totals.countries, womenShare: totals.womenShare };
}

/** The meeting's attendance settings, as the organisers' form saves them. */
export async function saveAttendanceSettings(
  db: Executor,
  meetingId: number,
  settings: { onlineAttendancePercent: number; showsParticipation: boolean; selfCheckIn: boolean },
  by: number | null,
): Promise<void> {
  const columns = { online_attendance_percent: settings.onlineAttendancePercent, shows_participation: settings.showsParticipation, self_check_in: settings.selfCheckIn };
  await inTransaction(db, async (trx) => {
    const before = await trx.selectFrom("meetings").select(["online_attendance_percent", "shows_participation", "self_check_in"]).where("id", "=", meetingId).forUpdate().executeTakeFirstOrThrow();
    await trx.updateTable("meetings").set({ ...columns, updated_by: by, updated_at: new Date() }).where("id", "=", meetingId).execute();
    const changed = changedFields(before, columns);
    if (changed.names.length === 0) return;
    const summary = `Changed the attendance settings: ${changed.names.join(", ")}`;
    await recordAuditEvent(trx, { actor: by, meetingId, action: "attendance.settings_changed", subject: { type: "meeting", id: meetingId }, summary, before: changed.before, after: changed.after });
  });
}

/** "45%", "33.3%": a share as people read it. */
export function percentText(share: number | null): string {
  if (share === null) return "—";
  const percent = Math.round(share * 1000) / 10;
  return `${percent}%`;
}
