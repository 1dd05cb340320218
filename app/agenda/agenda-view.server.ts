import { AGENDA_ROLES, type AgendaItemKind, type AgendaRole } from "../../db/schema";
import { renderMarkdown } from "~/lib/markdown.server";
import { dayBounds, formatDay, isoInstant, wallClockDate, wallClockDay, wallClockOf, wallClockTime, zoneLabel, zoneOffsetLabel } from "~/lib/time";
import type { AgendaEntry } from "./agenda.server";
import { AGENDA_ROLE_LABELS, AGENDA_ROLE_PLURALS } from "./labels";

/**
 * The public agenda as people read it, computed on the server for one displayed zone: every
 * string is final, so the browser renders exactly what the server did (no hydration mismatch).
 * Days are days of the displayed zone: 01:00 Tuesday in Bangkok is Monday evening in Geneva.
 */


/** An item's times in one zone, as shown: "Tue 1 Dec", "09:00", "10:30" (or "Wed 00:30" past midnight). */
export interface ClockReading {
  zoneName: string;
  date: string;
  start: string;
  end: string;
}

/**
 * An item's times in one zone, as its card shows them: "09:00", "10:30" (or "Wed 00:30" past
 * midnight), and its date ("Tue 1 Dec 2026") only where the date differs between the displayed
 * zone and the meeting's. The zone is named once for the whole agenda (AgendaView).
 */
export interface CardReading {
  start: string;
  end: string;
  date?: string;
}

export interface AgendaPeopleGroup {
  label: string;
  people: { name: string; affiliation?: string }[];
}

/**
 * One item as its card shows it. Sent for every item of agendas of hundreds, so what is empty is
 * left out rather than sent as null, and labels the browser can look up (the kind's) are not sent.
 */
export interface AgendaCard {
  id: number;
  title: string;
  kind: AgendaItemKind;
  room?: string;
  /** UTC instants for `<time dateTime>`. */
  startsAt: string;
  endsAt: string;
  /** In the displayed zone. */
  shown: CardReading;
  /** In the meeting's zone: in the "both" view, or where the date differs from the displayed one. */
  meeting?: CardReading;
  people?: AgendaPeopleGroup[];
  descriptionHtml?: string;
  /** Talks within a panel, in order. */
  parts?: AgendaCard[];
}

/** Items that run at the same time, each lane a column of items that do not overlap. */
export interface AgendaSlot {
  lanes: AgendaCard[][];
}

export interface AgendaDay {
  date: string;
  label: string;
  /** Set on a day the clocks change in the displayed zone. */
  clockChange: string | null;
  slots: AgendaSlot[];
}

export interface AgendaView {
  zone: string;
  meetingZone: string;
  zoneDiffers: boolean;
  both: boolean;
  /** "Bangkok time (GMT+7)"; "Zurich time (GMT+2, then GMT+1)" when the clocks change. */
  zoneName: string;
  meetingZoneName: string;
  /** "Bangkok time", as each card's times name their zones. */
  zoneLabel: string;
  meetingZoneLabel: string;
  days: AgendaDay[];
}

export interface AgendaViewOptions {
  meetingZone: string;
  /** The zone to show; the meeting's by default. */
  zone: string;
  /** Show the meeting's time beside the displayed zone's. */
  both: boolean;
}

/** The day (`YYYY-MM-DD`) of the instant in the zone. */
function dayIn(zone: string, at: Date): string {
  return wallClockDay(wallClockOf(at, zone));
}

export function clockReading(startsAt: Date, endsAt: Date, zone: string): ClockReading {
  const start = wallClockOf(startsAt, zone);
  const end = wallClockOf(endsAt, zone);
  const sameDay = wallClockDay(start) === wallClockDay(end);
  return {
    zoneName: zoneLabel(zone),
    date: wallClockDate(start),
    start: wallClockTime(start),
    end: sameDay ? wallClockTime(end) : `${wallClockDate(end).slice(0, 3)} ${wallClockTime(end)}`,
  };
}

/** "Bangkok time (GMT+7)", or with every offset the zone has during these items. */
export function zoneNameWithOffsets(zone: string, instants: Date[]): string {
  const offsets = [...new Set(instants.map((at) => zoneOffsetLabel(zone, at)))];
  return offsets.length ? `${zoneLabel(zone)} (${offsets.join(", then ")})` : zoneLabel(zone);
}

function peopleByRole(people: AgendaEntry["people"]): AgendaPeopleGroup[] {
  return AGENDA_ROLES.map((role) => {
    const holders = people.filter((person) => person.role === role).map(({ name, affiliation }) => (affiliation ? { name, affiliation } : { name }));
    return { label: holders.length > 1 ? AGENDA_ROLE_PLURALS[role] : AGENDA_ROLE_LABELS[role], people: holders };
  }).filter((group) => group.people.length > 0);
}

function cardReading(startsAt: Date, endsAt: Date, zone: string, withDate: boolean): CardReading {
  const { date, start, end } = clockReading(startsAt, endsAt, zone);
  return withDate ? { start, end, date } : { start, end };
}

function card(entry: AgendaEntry, parts: AgendaEntry[], options: AgendaViewOptions): AgendaCard {
  const { zone, meetingZone, both } = options;
  const datesDiffer = zone !== meetingZone && dayIn(zone, entry.startsAt) !== dayIn(meetingZone, entry.startsAt);
  const people = peopleByRole(entry.people);
  const descriptionHtml = renderMarkdown(entry.description);
  return {
    id: entry.id,
    title: entry.title,
    kind: entry.kind,
    ...(entry.roomName !== null && { room: entry.roomName }),
    startsAt: isoInstant(entry.startsAt),
    endsAt: isoInstant(entry.endsAt),
    shown: cardReading(entry.startsAt, entry.endsAt, zone, datesDiffer),
    ...(((both && zone !== meetingZone) || datesDiffer) && { meeting: cardReading(entry.startsAt, entry.endsAt, meetingZone, datesDiffer) }),
    ...(people.length > 0 && { people }),
    ...(descriptionHtml && { descriptionHtml }),
    ...(parts.length > 0 && {
      // A talk in its panel's room does not repeat the room.
      parts: parts.map((part) => {
        const { room, ...rest } = card(part, [], options);
        return part.roomName === entry.roomName ? rest : { ...rest, room };
      }),
    }),
  };
}

/**
 * Puts items in slots of items that overlap one another, directly or through a chain; within a
 * slot, lanes are columns of items that follow each other, the same room's kept together.
 */
export function parallelSlots<T extends { startsAt: Date; endsAt: Date; roomId: number | null }>(items: T[]): T[][][] {
  const slots: T[][][] = [];
  let slotEndsAt = Number.NEGATIVE_INFINITY;
  for (const item of [...items].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())) {
    if (item.startsAt.getTime() >= slotEndsAt) slots.push([]);
    const lanes = slots[slots.length - 1]!;
    const free = lanes.filter((lane) => lane[lane.length - 1]!.endsAt <= item.startsAt);
    const lane = free.find((candidate) => candidate[0]!.roomId === item.roomId) ?? free[0];
    if (lane) lane.push(item);
    else lanes.push([item]);
    slotEndsAt = Math.max(slotEndsAt, item.endsAt.getTime());
  }
  return slots;
}

function clockChangeOn(date: string, zone: string): string | null {
  const { startsAt, endsAt } = dayBounds(date, zone);
  const before = zoneOffsetLabel(zone, startsAt);
  const after = zoneOffsetLabel(zone, new Date(endsAt.getTime() - 1));
  return before === after ? null : `The clocks change on this day: ${before} before, ${after} after.`;
}

/** The agenda grouped by day of the displayed zone, then by time, parallel items side by side and parts within their item. */
export function agendaView(items: AgendaEntry[], options: AgendaViewOptions): AgendaView {
  const { zone, meetingZone, both } = options;
  const ids = new Set(items.map((item) => item.id));
  const topLevel = items.filter((item) => item.parentId === null || !ids.has(item.parentId));
  const partsOf = (item: AgendaEntry) => items.filter((part) => part.parentId === item.id);
  const byDay = new Map<string, AgendaEntry[]>();
  for (const item of topLevel) {
    const date = dayIn(zone, item.startsAt);
    byDay.set(date, [...(byDay.get(date) ?? []), item]);
  }
  const days = [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, dayItems]) => ({
      date,
      label: formatDay(date, "long"),
      clockChange: clockChangeOn(date, zone),
      slots: parallelSlots(dayItems).map((lanes) => ({ lanes: lanes.map((lane) => lane.map((item) => card(item, partsOf(item), options))) })),
    }));
  const starts = items.map((item) => item.startsAt);
  return {
    zone,
    meetingZone,
    zoneDiffers: zone !== meetingZone,
    both: both && zone !== meetingZone,
    zoneName: zoneNameWithOffsets(zone, starts),
    meetingZoneName: zoneNameWithOffsets(meetingZone, starts),
    zoneLabel: zoneLabel(zone),
    meetingZoneLabel: zoneLabel(meetingZone),
    days,
  };
}

export interface OnNowItem {
  id: number;
  title: string;
  room: string | null;
  startsAt: string;
  endsAt: string;
  reading: ClockReading;
}

function onNowItem(entry: AgendaEntry, zone: string): OnNowItem {
  return {
    id: entry.id,
    title: entry.title,
    room: entry.roomName,
    startsAt: isoInstant(entry.startsAt),
    endsAt: isoInstant(entry.endsAt),
    reading: clockReading(entry.startsAt, entry.endsAt, zone),
  };
}

/** What runs at `now` and what starts next (every item starting at that next time), in the zone; top-level items only. */
export function onNowAndNext(items: AgendaEntry[], zone: string, now: Date): { now: OnNowItem[]; next: OnNowItem[] } {
  const topLevel = items.filter((item) => item.parentId === null);
  const running = topLevel.filter((item) => item.startsAt <= now && now < item.endsAt);
  const upcoming = topLevel.filter((item) => item.startsAt > now);
  const nextStart = Math.min(...upcoming.map((item) => item.startsAt.getTime()));
  return {
    now: running.map((item) => onNowItem(item, zone)),
    next: upcoming.filter((item) => item.startsAt.getTime() === nextStart).map((item) => onNowItem(item, zone)),
  };
}
