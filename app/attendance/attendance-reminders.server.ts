import { type Kysely, sql } from "kysely";
import { DateTime, IANAZone } from "luxon";
import type { AttendanceMode, AttendanceReminderKind, Database, Meeting } from "../../db/schema";
import { type ReminderAgendaLine, attendanceReminderEmail } from "../../emails/attendance-reminder";
import { enqueueEmails } from "../../emails/outbox.server";
import { type AgendaEntry, listAgendaItems } from "~/agenda/agenda.server";
import { clockReading } from "~/agenda/agenda-view.server";
import { repeatEvery } from "~/lib/repeat.server";
import { dayBounds, daysOfMeeting, formatDay, todayIn, zoneLabel } from "~/lib/time";
import { venueText } from "~/meetings/meeting-place.server";
import { appUrl } from "~/settings.server";
import { selfCheckInUrl } from "./check-in-reference.server";

/**
 * Reminders to confirmed participants of published meetings: one the day before the meeting and
 * one on the morning of each meeting day, with that day's agenda, each sent at a sensible hour
 * where the recipient is (the registration's zone, else their account's, else the meeting's).
 *
 * The rule, in the recipient's zone, for a meeting day whose programme starts at S (the day's first
 * agenda item; 09:00 in the meeting's zone on a day without items, as midnight would push every
 * morning reminder to the evening before):
 * - morning: 07:00 on S's local date; when that leaves less than an hour before S (S is at 03:00
 *   for someone far away) or comes after it, 20:00 on the evening before instead;
 * - day before (first day only): 17:00 on the day before S's local date, unless the first morning
 *   reminder already falls on that evening: two emails three hours apart would say the same thing.
 * A reminder is never sent late: a morning one not sent by the end of its day's programme (a server
 * that was down) is dropped, and so is a day-before one not sent by the time the first morning's is due.
 */

const EVERY_MS = 10 * 60 * 1000;
const HOUR_MS = 3_600_000;
const DAY_BEFORE_HOUR = 17;
const MORNING_HOUR = 7;
const EVENING_BEFORE_HOUR = 20;
/** Where the morning reminder would leave less than this before the programme starts, it goes the evening before. */
const MIN_LEAD_MS = HOUR_MS;
/** The start of a day without agenda items, in the meeting's zone. */
const NOMINAL_DAY_START = { hour: 9, minute: 0 };

/** One day of the meeting (`YYYY-MM-DD` in its zone), when its programme starts and ends, and its items. */
export interface MeetingDay {
  day: string;
  startsAt: Date;
  endsAt: Date;
  items: AgendaEntry[];
}

/** A reminder of one day, due in one recipient's zone; sent from `dueAt` until (not at) `expiresAt`. */
interface ScheduledReminder {
  day: string;
  kind: AttendanceReminderKind;
  dueAt: Date;
  expiresAt: Date;
}

/** Each meeting day with the items that start on it (in the meeting's zone) and the times its programme spans. */
export function meetingProgramme(meeting: Pick<Meeting, "starts_on" | "ends_on" | "timezone">, items: AgendaEntry[]): MeetingDay[] {
  return daysOfMeeting(meeting).map((day) => {
    const own = items.filter((item) => todayIn(meeting.timezone, item.startsAt) === day);
    if (own.length === 0) {
      const start = DateTime.fromISO(day, { zone: meeting.timezone }).set(NOMINAL_DAY_START);
      return { day, startsAt: start.toJSDate(), endsAt: dayBounds(day, meeting.timezone).endsAt, items: [] };
    }
    const startsAt = new Date(Math.min(...own.map((item) => item.startsAt.getTime())));
    const endsAt = new Date(Math.max(...own.map((item) => item.endsAt.getTime())));
    return { day, startsAt, endsAt, items: own };
  });
}

/** The zone a person reads times in: their registration's, else their account's, else the meeting's. */
export function recipientZone(registrationZone: string | null, accountZone: string | null, meetingZone: string): string {
  return [registrationZone, accountZone].find((zone): zone is string => !!zone && IANAZone.isValidZone(zone)) ?? meetingZone;
}

function atHour(day: DateTime, hour: number): DateTime {
  return day.set({ hour, minute: 0, second: 0, millisecond: 0 });
}

function morningDue(startsAt: Date, zone: string): { dueAt: Date; eveningBefore: boolean } {
  const start = DateTime.fromJSDate(startsAt, { zone });
  const morning = atHour(start, MORNING_HOUR);
  if (startsAt.getTime() - morning.toMillis() >= MIN_LEAD_MS) return { dueAt: morning.toJSDate(), eveningBefore: false };
  return { dueAt: atHour(start.minus({ days: 1 }), EVENING_BEFORE_HOUR).toJSDate(), eveningBefore: true };
}

/** When each of one recipient's reminders for the meeting is due, in order. */
export function reminderSchedule(days: MeetingDay[], zone: string): ScheduledReminder[] {
  const mornings = days.map((day) => ({ day, ...morningDue(day.startsAt, zone) }));
  const first = mornings[0];
  if (!first) return [];
  const schedule: ScheduledReminder[] = mornings.map(({ day, dueAt }) => ({ day: day.day, kind: "morning", dueAt, expiresAt: day.endsAt }));
  if (first.eveningBefore) return schedule;
  const dayBefore = atHour(DateTime.fromJSDate(first.day.startsAt, { zone }).minus({ days: 1 }), DAY_BEFORE_HOUR).toJSDate();
  return [{ day: first.day.day, kind: "day_before", dueAt: dayBefore, expiresAt: first.dueAt }, ...schedule];
}

/** Whether the reminder is to be sent at `now`. */
export function isDue(reminder: ScheduledReminder, now: Date): boolean {
  return reminder.dueAt.getTime() <= now.getTime() && now.getTime() < reminder.expiresAt.getTime();
}

/** Whether someone with this attendance mode takes part online in a meeting of this mode (a meeting's mode may have changed since they registered). */
function joinsOnline(meetingMode: Meeting["mode"], attendanceMode: AttendanceMode): boolean {
  return meetingMode === "online" || (meetingMode === "hybrid" && attendanceMode === "online");
}

type Recipient = {
  id: number;
  email: string;
  first_name: string;
  attendance_mode: AttendanceMode;
  timezone: string | null;
  account_timezone: string | null;
  checkin_salt: Buffer;
};

/** Reminders are due from about 31 hours before a meeting's first day (17:00 the day before, far west of it) to the end of its last. */
const LOOK_AHEAD_MS = 48 * HOUR_MS;

/**
 * Sends the reminders due now. For each meeting, in one transaction, the reminders are recorded
 * (INSERT … ON CONFLICT DO NOTHING RETURNING) and only those this run recorded are queued, so two
 * servers running at once never send one twice. Returns how many were queued.
 */
export async function sendDueAttendanceReminders(db: Kysely<Database>, now: Date = new Date()): Promise<number> {
  const meetings = await db
    .selectFrom("meetings")
    .selectAll()
    .where("status", "=", "published")
    .where("starts_at", "<=", new Date(now.getTime() + LOOK_AHEAD_MS))
    .where("ends_at", ">", new Date(now.getTime() - 24 * HOUR_MS))
    .execute();
  let sent = 0;
  for (const meeting of meetings) sent += await remindForMeeting(db, meeting, now);
  return sent;
}

async function remindForMeeting(db: Kysely<Database>, meeting: Meeting, now: Date): Promise<number> {
  const days = meetingProgramme(meeting, await listAgendaItems(db, meeting.id));
  const recipients = await db
    .selectFrom("registrations as r")
    .leftJoin("users as u", "u.id", "r.user_id")
    .select(["r.id", "r.email", "r.first_name", "r.attendance_mode", "r.timezone", "u.timezone as account_timezone", "r.checkin_salt"])
    .where("r.meeting_id", "=", meeting.id)
    .where("r.status", "=", "confirmed")
    .execute();
  if (recipients.length === 0) return 0;
  const sentBefore = await db
    .selectFrom("attendance_reminders as a")
    .innerJoin("registrations as r", "r.id", "a.registration_id")
    .select(["a.registration_id", "a.day", "a.kind"])
    .where("r.meeting_id", "=", meeting.id)
    .execute();
  const done = new Set(sentBefore.map((row) => `${row.registration_id} ${row.day} ${row.kind}`));
  const due = recipients.flatMap((recipient) => {
    const zone = recipientZone(recipient.timezone, recipient.account_timezone, meeting.timezone);
    return reminderSchedule(days, zone)
      .filter((reminder) => isDue(reminder, now) && !done.has(`${recipient.id} ${reminder.day} ${reminder.kind}`))
      .map((reminder) => ({ recipient, zone, reminder }));
  });
  if (due.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const recorded = await trx
      .insertInto("attendance_reminders")
      .values(due.map(({ recipient, reminder }) => ({ registration_id: recipient.id, day: reminder.day, kind: reminder.kind })))
      .onConflict((oc) => oc.columns(["registration_id", "day", "kind"]).doNothing())
      .returning(["registration_id", "day", "kind"])
      .execute();
    const won = new Set(recorded.map((row) => `${row.registration_id} ${row.day} ${row.kind}`));
    const ours = due.filter(({ recipient, reminder }) => won.has(`${recipient.id} ${reminder.day} ${reminder.kind}`));
    if (ours.length === 0) return 0;
    const ids = await enqueueEmails(
      trx,
      ours.map(({ recipient, zone, reminder }) => ({
        to: recipient.email,
        meetingId: meeting.id,
        template: "attendance-reminder",
        content: reminderContent(meeting, days, recipient, zone, reminder),
      })),
    );
    const links = ours.map(({ recipient, reminder }, index) => sql`(${recipient.id}::int, ${reminder.day}::date, ${reminder.kind}::text, ${ids[index]!}::bigint)`);
    await sql`update attendance_reminders a set outbox_id = v.outbox_id
      from (values ${sql.join(links)}) as v(registration_id, day, kind, outbox_id)
      where a.registration_id = v.registration_id and a.day = v.day and a.kind = v.kind`.execute(trx);
    return ours.length;
  });
}

function reminderContent(meeting: Meeting, days: MeetingDay[], recipient: Recipient, zone: string, reminder: ScheduledReminder) {
  const index = days.findIndex((day) => day.day === reminder.day);
  const day = days[index]!;
  const online = joinsOnline(meeting.mode, recipient.attendance_mode);
  const heading = formatDay(todayIn(zone, day.startsAt));
  return attendanceReminderEmail({
    kind: reminder.kind,
    firstName: recipient.first_name,
    meetingTitle: meeting.title,
    meetingUrl: `${appUrl()}/meetings/${encodeURIComponent(meeting.slug)}`,
    agendaUrl: `${appUrl()}/meetings/${encodeURIComponent(meeting.slug)}/agenda?tz=${encodeURIComponent(zone)}`,
    date: heading,
    dayNumber: index + 1,
    dayCount: days.length,
    zoneName: zoneLabel(zone),
    meetingZoneName: zone === meeting.timezone ? null : zoneLabel(meeting.timezone),
    lines: agendaLines(day.items, zone, meeting.timezone, heading, !online),
    venue: online ? null : venueText(meeting),
    joinUrl: online ? meeting.online_url : null,
    selfCheckInUrl: online && meeting.self_check_in ? selfCheckInUrl(meeting.slug, recipient) : null,
  });
}

/** The day's items read in the recipient's zone, and in the meeting's beside them where it differs; talks within a panel under it. */
function agendaLines(items: AgendaEntry[], zone: string, meetingZone: string, heading: string, withRoom: boolean): ReminderAgendaLine[] {
  const line = (item: AgendaEntry): ReminderAgendaLine => ({
    time: timeText(item, zone, heading),
    meetingTime: zone === meetingZone ? null : timeText(item, meetingZone, heading),
    title: item.title,
    room: withRoom ? item.roomName : null,
    parts: items.filter((part) => part.parentId === item.id).map(line),
  });
  return items.filter((item) => item.parentId === null || !items.some((parent) => parent.id === item.parentId)).map(line);
}

/** "09:00–10:30 Bangkok time", with the date first when it is not the heading's. */
function timeText(item: AgendaEntry, zone: string, heading: string): string {
  const reading = clockReading(item.startsAt, item.endsAt, zone);
  const times = `${reading.start}–${reading.end} ${reading.zoneName}`;
  return reading.date === heading ? times : `${reading.date}, ${times}`;
}

/** Runs sendDueAttendanceReminders() at start and every 10 minutes; returns the function that stops it (awaiting a run in progress). */
export function startAttendanceReminders(db: Kysely<Database>, options: { everyMs?: number; log?: (line: string) => void } = {}): () => Promise<void> {
  const log = (line: string) => options.log?.(`attendance reminders: ${line}`);
  return repeatEvery(
    options.everyMs ?? EVERY_MS,
    async () => {
      const sent = await sendDueAttendanceReminders(db);
      if (sent > 0) log(`${sent} sent to the outbox`);
    },
    { log },
  );
}
