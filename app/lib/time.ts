import { DateTime, IANAZone } from "luxon";

/** Time rules and formats shared by server and browser. Every displayed time names its zone. */

const DAY = "yyyy-MM-dd";
const WALL = "yyyy-MM-dd'T'HH:mm";

/** "Asia/Bangkok" → "Bangkok", "America/Argentina/Buenos_Aires" → "Buenos Aires". */
export function zoneCity(zone: string): string {
  return (zone.split("/").pop() ?? zone).replaceAll("_", " ");
}

/** How a meeting's zone is named to people: "Bangkok time". */
export function zoneLabel(zone: string): string {
  return zone === "UTC" ? "UTC" : `${zoneCity(zone)} time`;
}

/** A pure function's answer for `key`, kept in `answers` (the oldest dropped past `limit`). */
function remembered<V>(answers: Map<string, V>, limit: number, key: string, answer: () => V): V {
  let value = answers.get(key);
  if (value === undefined) {
    value = answer();
    if (answers.size >= limit) answers.delete(answers.keys().next().value!);
    answers.set(key, value);
  }
  return value;
}

const offsets = new Map<string, number>();

/**
 * The zone's offset from UTC in minutes at the instant. Asking the zone database costs about 10 µs;
 * a page of 300 agenda items asks it a thousand times, for the same instants request after request,
 * so answers are kept (an instant's offset in a zone never changes while the process runs).
 */
export function zoneOffsetMinutes(zone: string, at: Date): number {
  return remembered(offsets, 50_000, `${zone} ${at.getTime()}`, () => IANAZone.create(zone).offset(at.getTime()));
}

/** A wall clock's reading in a zone at an instant; `weekday` 0 is Sunday, `month` 1 is January. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
}

/** The wall clock in the zone at the instant, from the zone's offset then: exact on the days the clocks change. */
export function wallClockOf(at: Date, zone: string): WallClock {
  const wall = new Date(at.getTime() + zoneOffsetMinutes(zone, at) * 60_000);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    weekday: wall.getUTCDay(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
  };
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const two = (n: number) => String(n).padStart(2, "0");

/** "2026-12-01", the wall clock's day. */
export function wallClockDay(clock: WallClock): string {
  return `${String(clock.year).padStart(4, "0")}-${two(clock.month)}-${two(clock.day)}`;
}

/** "Tue 1 Dec 2026", as luxon's "ccc d LLL yyyy" in English. */
export function wallClockDate(clock: WallClock): string {
  return `${WEEKDAYS[clock.weekday]!.slice(0, 3)} ${clock.day} ${MONTHS[clock.month - 1]!.slice(0, 3)} ${String(clock.year).padStart(4, "0")}`;
}

/** "09:30". */
export function wallClockTime(clock: WallClock): string {
  return `${two(clock.hour)}:${two(clock.minute)}`;
}

/** "GMT+7", "GMT+5:30", "GMT" at the given instant. */
export function zoneOffsetLabel(zone: string, at: Date = new Date()): string {
  const minutes = zoneOffsetMinutes(zone, at);
  if (minutes === 0) return "GMT";
  const sign = minutes > 0 ? "+" : "-";
  const hours = Math.floor(Math.abs(minutes) / 60);
  const rest = Math.abs(minutes) % 60;
  return `GMT${sign}${hours}${rest ? `:${String(rest).padStart(2, "0")}` : ""}`;
}

const dayRanges = new Map<string, string>();

/**
 * "1–3 Dec 2026", "30 Nov – 2 Dec 2026", "30 Dec 2026 – 2 Jan 2027", "1 Dec 2026". Days are already in
 * the meeting's zone. Lists show twenty meetings' dates on every request, for the same few hundred
 * meetings: the texts are kept.
 */
export function formatDayRange(startsOn: string, endsOn: string): string {
  return remembered(dayRanges, 10_000, `${startsOn} ${endsOn}`, () => dayRangeText(startsOn, endsOn));
}

function dayRangeText(startsOn: string, endsOn: string): string {
  const start = DateTime.fromISO(startsOn, { zone: "UTC" });
  const end = DateTime.fromISO(endsOn, { zone: "UTC" });
  if (startsOn === endsOn) return start.toFormat("d LLL yyyy");
  if (start.year !== end.year) return `${start.toFormat("d LLL yyyy")} – ${end.toFormat("d LLL yyyy")}`;
  if (start.month !== end.month) return `${start.toFormat("d LLL")} – ${end.toFormat("d LLL yyyy")}`;
  return `${start.toFormat("d")}–${end.toFormat("d LLL yyyy")}`;
}

/**
 * "Tue 1 Dec 2026, 09:30 Bangkok time". Read from the wall clock, as the agenda's times are: a
 * check-in desk shows dozens of these per request, and luxon's formatting costs 10 to 14 µs each,
 * the wall clock 1 to 2.5.
 */
export function formatInstant(at: Date | string, zone: string): string {
  const clock = wallClockOf(new Date(at), zone);
  return `${wallClockDate(clock)}, ${wallClockTime(clock)} ${zoneLabel(zone)}`;
}

/** The ISO instant in UTC for `<time datetime>` and the API: "2026-12-01T02:00:00Z". */
export function isoInstant(at: Date | string): string {
  return new Date(at).toISOString().replace(/\.000Z$/, "Z");
}

/** The day (`YYYY-MM-DD`) it is now in the zone. */
export function todayIn(zone: string, now: Date = new Date()): string {
  return DateTime.fromJSDate(now, { zone }).toFormat(DAY);
}

/** The instants a day begins and ends in the zone (a day may be 23 or 25 hours long). */
export function dayBounds(day: string, zone: string): { startsAt: Date; endsAt: Date } {
  const start = DateTime.fromISO(day, { zone }).startOf("day");
  return { startsAt: start.toJSDate(), endsAt: start.plus({ days: 1 }).startOf("day").toJSDate() };
}

/** A wall-clock time in the zone, as an `<input type="datetime-local">` shows it: "2026-12-01T09:30". */
export function wallTimeOf(at: Date | string, zone: string): string {
  return DateTime.fromJSDate(new Date(at), { zone }).toFormat(WALL);
}

export type WallTimeResolution =
  | { kind: "exact"; instant: Date }
  /** The clocks skip this time (start of summer time). */
  | { kind: "gap" }
  /** The clocks show this time twice (end of summer time): earlier is the first pass. */
  | { kind: "ambiguous"; earlier: Date; later: Date }
  | { kind: "invalid" };

/**
 * The instant(s) a wall-clock time (`YYYY-MM-DDTHH:mm`) names in a zone. Decided from the zone's
 * offsets, not by luxon's guess, which silently moves a time in a gap and picks one side of an overlap.
 */
export function resolveWallTime(wallTime: string, zone: string): WallTimeResolution {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(wallTime);
  const tz = IANAZone.create(zone);
  if (!match || !tz.isValid) return { kind: "invalid" };
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const asIfUtc = Date.UTC(y, mo - 1, d, h, mi);
  const check = new Date(asIfUtc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) {
    return { kind: "invalid" };
  }
  const hour = 3_600_000;
  const offsets = new Set([tz.offset(asIfUtc - 24 * hour), tz.offset(asIfUtc), tz.offset(asIfUtc + 24 * hour)]);
  const instants = [...offsets]
    .map((offset) => asIfUtc - offset * 60_000)
    .filter((instant) => tz.offset(instant) * 60_000 === asIfUtc - instant)
    .sort((a, b) => a - b);
  const [first, second] = instants;
  if (first === undefined) return { kind: "gap" };
  if (second === undefined) return { kind: "exact", instant: new Date(first) };
  return { kind: "ambiguous", earlier: new Date(first), later: new Date(second) };
}

/**
 * A time for a person: in the meeting's zone and, where theirs differs, in theirs, with the date
 * when it differs: "Tue 1 Dec 2026, 09:30 Bangkok time (03:30 your time, Zurich)".
 */
export function formatInstantForPerson(at: Date | string, meetingZone: string, personZone: string | null): string {
  const inMeetingZone = formatInstant(at, meetingZone);
  if (!personZone || personZone === meetingZone) return inMeetingZone;
  const there = DateTime.fromJSDate(new Date(at), { zone: meetingZone });
  const here = DateTime.fromJSDate(new Date(at), { zone: personZone });
  if (there.offset === here.offset) return inMeetingZone;
  const sameDay = there.toFormat(DAY) === here.toFormat(DAY);
  const local = sameDay ? here.toFormat("HH:mm") : here.toFormat("ccc d LLL, HH:mm");
  return `${inMeetingZone} (${local} your time, ${zoneCity(personZone)})`;
}

/** The two readings of a time that occurs twice, labelled for a person to choose from. */
export interface OverlapReadings {
  earlier: string;
  later: string;
}

export type WallTimeAnswer = { ok: true; at: Date } | { ok: false; message: string; overlap?: OverlapReadings };

/**
 * The instant a typed wall-clock time (`YYYY-MM-DDTHH:mm`) names in the zone, or why it names
 * none: a time the clocks skip is refused, one they show twice needs `side` (asked of the person).
 */
export function instantOfWallTime(local: string, zone: string, side?: "earlier" | "later"): WallTimeAnswer {
  const resolution = resolveWallTime(local, zone);
  const shown = local.replace("T", " ");
  switch (resolution.kind) {
    case "exact":
      return { ok: true, at: resolution.instant };
    case "invalid":
      return { ok: false, message: "Not a real date and time" };
    case "gap":
      return { ok: false, message: `${shown} does not exist in ${zone}: the clocks skip it when summer time starts. Choose another time.` };
    case "ambiguous":
      if (side) return { ok: true, at: side === "earlier" ? resolution.earlier : resolution.later };
      return {
        ok: false,
        message: `${shown} happens twice in ${zone} (the clocks go back). Choose which one.`,
        overlap: {
          earlier: `${formatInstant(resolution.earlier, zone)} (${zoneOffsetLabel(zone, resolution.earlier)}, first)`,
          later: `${formatInstant(resolution.later, zone)} (${zoneOffsetLabel(zone, resolution.later)}, second)`,
        },
      };
  }
}

/** The meeting's days, `YYYY-MM-DD` in its zone, first to last. */
export function daysOfMeeting(meeting: { starts_on: string; ends_on: string }): string[] {
  const days: string[] = [];
  const last = DateTime.fromISO(meeting.ends_on, { zone: "UTC" });
  for (let day = DateTime.fromISO(meeting.starts_on, { zone: "UTC" }); day <= last; day = day.plus({ days: 1 })) {
    days.push(day.toFormat("yyyy-MM-dd"));
  }
  return days;
}

const DAY_FORMATS = { short: "ccc d LLL yyyy", long: "cccc d LLLL yyyy", formal: "d LLLL yyyy" } as const;

const dayTexts = new Map<string, string>();

/**
 * A day (`YYYY-MM-DD`, a date with no zone) as people read it: "Tue 1 Dec 2026", "Tuesday 1 December
 * 2026" or, in letters and certificates, "1 December 2026". Pages name the same few days request
 * after request (a check-in desk its day and today on every search): the texts are kept, as day
 * ranges are.
 */
export function formatDay(day: string, style: keyof typeof DAY_FORMATS = "short"): string {
  return remembered(dayTexts, 10_000, `${style} ${day}`, () => {
    const date = DateTime.fromISO(day, { zone: "UTC" });
    return (style === "formal" ? date.setLocale("en-GB") : date).toFormat(DAY_FORMATS[style]);
  });
}

/** A meeting's days with its zone named: "1–3 Dec 2026, Bangkok time". */
export function meetingDays(meeting: { starts_on: string; ends_on: string; timezone: string }): string {
  return `${formatDayRange(meeting.starts_on, meeting.ends_on)}, ${zoneLabel(meeting.timezone)}`;
}

/** A wall-clock time (`YYYY-MM-DDTHH:mm`) moved by whole minutes, as on a clock face (no zone involved). */
export function shiftWallTime(local: string, minutes: number): string {
  return DateTime.fromISO(local, { zone: "UTC" }).plus({ minutes }).toFormat(WALL);
}

/** Minutes from one wall-clock time to another, as on a clock face. */
export function minutesBetweenWallTimes(from: string, to: string): number {
  return DateTime.fromISO(to, { zone: "UTC" }).diff(DateTime.fromISO(from, { zone: "UTC" }), "minutes").minutes;
}
