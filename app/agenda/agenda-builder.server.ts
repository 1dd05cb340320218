import { DateTime } from "luxon";
import type { Meeting } from "../../db/schema";
import { daysOfMeeting, formatDay, formatInstant, zoneLabel, zoneOffsetLabel } from "~/lib/time";
import type { AgendaFormContext } from "./agenda-form.server";
import type { AgendaEntry, RoomEntry } from "./agenda.server";

/** What the organisers' agenda pages need beside the rows: the meeting's days, its zone named, the form's choices. */

type Option = { value: string; label: string };

/** The meeting's days, `YYYY-MM-DD` with a label: "Tue 1 Dec 2026". */
export function meetingDayOptions(meeting: Pick<Meeting, "starts_on" | "ends_on">): Option[] {
  return daysOfMeeting(meeting).map((day) => ({ value: day, label: formatDay(day) }));
}

/** The zone's offset on that day at noon, when meetings happen: "GMT+7". */
function noonOffset(zone: string, day: string): string {
  return zoneOffsetLabel(zone, DateTime.fromISO(`${day}T12:00`, { zone }).toJSDate());
}

/** "Bangkok time (Asia/Bangkok, GMT+7)" on that day. */
function zoneOfDay(zone: string, day: string): string {
  return `${zoneLabel(zone)} (${zone}, ${noonOffset(zone, day)})`;
}

/** The line every agenda form shows: "Times in Bangkok time (Asia/Bangkok, GMT+7)", naming both offsets when the clocks change during the meeting. */
function zoneLine(meeting: Pick<Meeting, "timezone" | "starts_on" | "ends_on">): string {
  const offsets = [...new Set(meetingDayOptions(meeting).map((day) => noonOffset(meeting.timezone, day.value)))];
  return `Times in ${zoneLabel(meeting.timezone)} (${meeting.timezone}, ${offsets.join(", then ")})`;
}

/** The choices of the item form and what parsing it checks against; `editing` leaves the item itself out of its possible parents. */
export function agendaFormChoices(meeting: Pick<Meeting, "timezone" | "starts_on" | "ends_on" | "mode">, rooms: RoomEntry[], items: AgendaEntry[], editing?: AgendaEntry) {
  const parts = editing ? items.filter((item) => item.parentId === editing.id) : [];
  // An item with parts cannot become a part itself: one level deep.
  const parents = parts.length ? [] : items.filter((item) => item.parentId === null && item.id !== editing?.id);
  const context: AgendaFormContext = {
    timezone: meeting.timezone,
    startsOn: meeting.starts_on,
    endsOn: meeting.ends_on,
    roomIds: rooms.map((room) => room.id),
    parents: parents.map(({ id, title, startsLocal, endsLocal }) => ({ id, title, startsLocal, endsLocal })),
    parts: parts.map(({ title, startsLocal, endsLocal }) => ({ title, startsLocal, endsLocal })),
  };
  const choices = {
    days: meetingDayOptions(meeting),
    rooms: meeting.mode === "online" ? [] : rooms.map((room) => ({ value: String(room.id), label: room.name })),
    parents: parents.map((item) => ({
      value: String(item.id),
      label: `${item.title} (${DateTime.fromISO(item.startsLocal).toFormat("ccc d LLL, HH:mm")}–${item.endsLocal.slice(11)})`,
    })),
    zoneLine: zoneLine(meeting),
  };
  return { context, choices };
}

/** An item as the form's inputs show it. */
export function agendaItemFormValues(item: AgendaEntry): Record<string, string> {
  const values: Record<string, string> = {
    title: item.title,
    kind: item.kind,
    date: item.startsLocal.slice(0, 10),
    start: item.startsLocal.slice(11),
    end: item.endsLocal.slice(11),
    room: item.roomId ? String(item.roomId) : "",
    parent: item.parentId ? String(item.parentId) : "",
    description: item.description ?? "",
  };
  item.people.forEach((person, i) => {
    values[`people[${i}].name`] = person.name;
    values[`people[${i}].role`] = person.role;
    values[`people[${i}].affiliation`] = person.affiliation ?? "";
  });
  return values;
}

/** The agenda's rows for the organisers' page, grouped by the day they start on (wall clock, the meeting's zone). */
export function agendaDays(meeting: Pick<Meeting, "timezone" | "starts_on" | "ends_on">, items: AgendaEntry[]) {
  const row = (item: AgendaEntry) => ({
    id: item.id,
    parentId: item.parentId,
    title: item.title,
    kind: item.kind,
    roomId: item.roomId,
    roomName: item.roomName,
    date: item.startsLocal.slice(0, 10),
    start: item.startsLocal.slice(11),
    end: item.endsLocal.slice(11),
    endDate: item.endsLocal.slice(0, 10),
    startsAt: item.startsAt.toISOString(),
    endsAt: item.endsAt.toISOString(),
    people: item.people,
  });
  const rows = items.map(row);
  const known = new Set(meetingDayOptions(meeting).map((day) => day.value));
  // Items outside the meeting's days (after its dates changed) are listed too, on their own days.
  const dates = [...new Set([...known, ...rows.map((r) => r.date)])].sort();
  return dates.map((date) => ({
    date,
    label: formatDay(date, "long"),
    zone: zoneOfDay(meeting.timezone, date),
    outsideMeeting: !known.has(date),
    items: rows.filter((r) => r.date === date && r.parentId === null).map((r) => ({ ...r, parts: rows.filter((p) => p.parentId === r.id) })),
  }));
}

/** "Last updated Tue 1 Dec 2026, 09:30 Bangkok time by Amina Rahman". */
export function lastUpdatedLine(updated: { at: Date; by: string | null } | null, zone: string): string | null {
  if (!updated) return null;
  return `Last updated ${formatInstant(updated.at, zone)}${updated.by ? ` by ${updated.by}` : ""}`;
}
