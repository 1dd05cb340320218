import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AgendaEntry } from "../../app/agenda/agenda.server";
import { isDue, meetingProgramme, recipientZone, reminderSchedule } from "../../app/attendance/attendance-reminders.server";
import { checkInWindows, openWindows } from "../../app/attendance/self-check-in.server";
import type { AgendaItemKind } from "../../db/schema";

/** When reminders are due in each recipient's zone, and when self check-in is open: instants worked out by hand. */

let ids = 0;
function item(startsAt: string, endsAt: string, more: { kind?: AgendaItemKind; parentId?: number; title?: string } = {}): AgendaEntry {
  const id = ++ids;
  return {
    id,
    parentId: more.parentId ?? null,
    title: more.title ?? `Item ${id}`,
    kind: more.kind ?? "session",
    description: null,
    roomId: null,
    roomName: null,
    startsLocal: "",
    endsLocal: "",
    startsAt: new Date(startsAt),
    endsAt: new Date(endsAt),
    sequence: 0,
    updatedAt: new Date(startsAt),
    people: [],
  };
}

function schedule(meeting: { starts_on: string; ends_on: string; timezone: string }, items: AgendaEntry[], zone: string) {
  return reminderSchedule(meetingProgramme(meeting, items), zone).map((r) => ({ day: r.day, kind: r.kind, due: r.dueAt.toISOString(), until: r.expiresAt.toISOString() }));
}

describe("when attendance reminders are due", () => {
  // Bangkok (GMT+7), 1–2 Dec 2026: day 1 from 09:00 (02:00Z), day 2 from 15:00 (08:00Z).
  const bangkok = { starts_on: "2026-12-01", ends_on: "2026-12-02", timezone: "Asia/Bangkok" };
  const items = [
    item("2026-12-01T02:00:00Z", "2026-12-01T03:30:00Z"),
    item("2026-12-01T08:00:00Z", "2026-12-01T09:00:00Z"),
    item("2026-12-02T08:00:00Z", "2026-12-02T10:00:00Z"),
  ];

  it("sends at 17:00 the day before and 07:00 each morning in the meeting's zone", () => {
    assert.deepEqual(schedule(bangkok, items, "Asia/Bangkok"), [
      { day: "2026-12-01", kind: "day_before", due: "2026-11-30T10:00:00.000Z", until: "2026-12-01T00:00:00.000Z" },
      { day: "2026-12-01", kind: "morning", due: "2026-12-01T00:00:00.000Z", until: "2026-12-01T09:00:00.000Z" },
      { day: "2026-12-02", kind: "morning", due: "2026-12-02T00:00:00.000Z", until: "2026-12-02T10:00:00.000Z" },
    ]);
  });

  it("follows a recipient in New York, the evening before when the day starts at 03:00 there", () => {
    // Day 1 starts at 21:00 on 30 Nov in New York (GMT-5); day 2 at 03:00 on 2 Dec.
    assert.deepEqual(schedule(bangkok, items, "America/New_York"), [
      { day: "2026-12-01", kind: "day_before", due: "2026-11-29T22:00:00.000Z", until: "2026-11-30T12:00:00.000Z" },
      { day: "2026-12-01", kind: "morning", due: "2026-11-30T12:00:00.000Z", until: "2026-12-01T09:00:00.000Z" },
      { day: "2026-12-02", kind: "morning", due: "2026-12-02T01:00:00.000Z", until: "2026-12-02T10:00:00.000Z" },
    ]);
  });

  it("follows a recipient in Fiji, a day ahead", () => {
    // Day 1 starts at 14:00 on 1 Dec in Fiji (GMT+12); day 2 at 20:00 on 2 Dec.
    assert.deepEqual(schedule(bangkok, items, "Pacific/Fiji"), [
      { day: "2026-12-01", kind: "day_before", due: "2026-11-30T05:00:00.000Z", until: "2026-11-30T19:00:00.000Z" },
      { day: "2026-12-01", kind: "morning", due: "2026-11-30T19:00:00.000Z", until: "2026-12-01T09:00:00.000Z" },
      { day: "2026-12-02", kind: "morning", due: "2026-12-01T19:00:00.000Z", until: "2026-12-02T10:00:00.000Z" },
    ]);
  });

  it("sends one reminder the evening before, not two, when the first day starts at 07:00 for the recipient", () => {
    // 14:00 in New York is 07:00 the next day in Fiji: no hour left after 07:00, so 20:00 the evening before.
    const newYork = { starts_on: "2026-12-01", ends_on: "2026-12-01", timezone: "America/New_York" };
    assert.deepEqual(schedule(newYork, [item("2026-12-01T19:00:00Z", "2026-12-01T21:00:00Z")], "Pacific/Fiji"), [
      { day: "2026-12-01", kind: "morning", due: "2026-12-01T08:00:00.000Z", until: "2026-12-01T21:00:00.000Z" },
    ]);
  });

  it("keeps local hours across the change to summer time, and starts a day without items at 09:00 in the meeting's zone", () => {
    // Zurich moves to GMT+2 at 01:00Z on Sunday 28 March 2027; New York moved on 14 March (GMT-4).
    const zurich = { starts_on: "2027-03-28", ends_on: "2027-03-29", timezone: "Europe/Zurich" };
    const opening = [item("2027-03-28T07:00:00Z", "2027-03-28T10:00:00Z")];
    assert.deepEqual(schedule(zurich, opening, "Europe/Zurich"), [
      { day: "2027-03-28", kind: "day_before", due: "2027-03-27T16:00:00.000Z", until: "2027-03-28T05:00:00.000Z" },
      { day: "2027-03-28", kind: "morning", due: "2027-03-28T05:00:00.000Z", until: "2027-03-28T10:00:00.000Z" },
      { day: "2027-03-29", kind: "morning", due: "2027-03-29T05:00:00.000Z", until: "2027-03-29T22:00:00.000Z" },
    ]);
    // 09:00 in Zurich is 03:00 in New York on both days.
    assert.deepEqual(schedule(zurich, opening, "America/New_York"), [
      { day: "2027-03-28", kind: "morning", due: "2027-03-28T00:00:00.000Z", until: "2027-03-28T10:00:00.000Z" },
      { day: "2027-03-29", kind: "morning", due: "2027-03-29T00:00:00.000Z", until: "2027-03-29T22:00:00.000Z" },
    ]);
  });

  it("is never sent late", () => {
    const [dayBefore, morning] = reminderSchedule(meetingProgramme(bangkok, items), "Asia/Bangkok");
    assert.equal(isDue(dayBefore!, new Date("2026-11-30T09:59:59Z")), false, "not before it is due");
    assert.equal(isDue(dayBefore!, new Date("2026-11-30T10:00:00Z")), true);
    assert.equal(isDue(dayBefore!, new Date("2026-12-01T00:00:00Z")), false, "the morning's reminder replaces it");
    assert.equal(isDue(morning!, new Date("2026-12-01T08:59:00Z")), true, "a server back during the day still sends it");
    assert.equal(isDue(morning!, new Date("2026-12-01T09:00:00Z")), false, "not once the day's programme has ended");
  });

  it("reads the registration's zone, else the account's, else the meeting's", () => {
    assert.equal(recipientZone("Pacific/Fiji", "Europe/Zurich", "Asia/Bangkok"), "Pacific/Fiji");
    assert.equal(recipientZone(null, "Europe/Zurich", "Asia/Bangkok"), "Europe/Zurich");
    assert.equal(recipientZone(null, null, "Asia/Bangkok"), "Asia/Bangkok");
    assert.equal(recipientZone("Mars/Olympus", null, "Asia/Bangkok"), "Asia/Bangkok");
  });
});

describe("when self check-in is open", () => {
  const meeting = { starts_on: "2026-12-01", ends_on: "2026-12-02", timezone: "Asia/Bangkok" };
  const opening = item("2026-12-01T02:00:00Z", "2026-12-01T03:00:00Z", { title: "Opening" });
  const coffee = item("2026-12-01T03:00:00Z", "2026-12-01T03:30:00Z", { kind: "break" });
  const panel = item("2026-12-01T03:30:00Z", "2026-12-01T05:00:00Z", { kind: "panel", title: "Panel" });
  const talk = item("2026-12-01T03:40:00Z", "2026-12-01T04:00:00Z", { parentId: panel.id });
  const parallel = item("2026-12-01T03:30:00Z", "2026-12-01T04:30:00Z", { title: "Side event", kind: "side_event" });
  const windows = checkInWindows(meetingProgramme(meeting, [opening, coffee, panel, talk, parallel]), meeting.timezone);
  const openAt = (at: string) => openWindows(windows, new Date(at)).map((window) => window.title);

  it("opens each session 15 minutes before it starts until it ends; breaks and talks within a panel are not sessions", () => {
    assert.deepEqual(
      windows.map((window) => [window.title, window.opensAt.toISOString(), window.closesAt.toISOString()]),
      [
        ["Opening", "2026-12-01T01:45:00.000Z", "2026-12-01T03:00:00.000Z"],
        ["Panel", "2026-12-01T03:15:00.000Z", "2026-12-01T05:00:00.000Z"],
        ["Side event", "2026-12-01T03:15:00.000Z", "2026-12-01T04:30:00.000Z"],
        ["the meeting day of Wednesday 2 December 2026", "2026-12-01T17:00:00.000Z", "2026-12-02T17:00:00.000Z"],
      ],
    );
    assert.deepEqual(openAt("2026-12-01T01:44:00Z"), []);
    assert.deepEqual(openAt("2026-12-01T01:45:00Z"), ["Opening"]);
    assert.deepEqual(openAt("2026-12-01T03:00:00Z"), [], "during the coffee break, until the next sessions open");
    assert.deepEqual(openAt("2026-12-01T03:20:00Z"), ["Panel", "Side event"], "parallel sessions: the person chooses");
    assert.deepEqual(openAt("2026-12-02T12:00:00Z"), ["the meeting day of Wednesday 2 December 2026"], "a day without items: all day in the meeting's zone");
  });

  it("prefers the session under way to the one about to open", () => {
    const a = item("2026-12-01T02:00:00Z", "2026-12-01T03:00:00Z", { title: "A" });
    const b = item("2026-12-01T03:00:00Z", "2026-12-01T04:00:00Z", { title: "B" });
    const back = checkInWindows(meetingProgramme({ ...meeting, ends_on: "2026-12-01" }, [a, b]), meeting.timezone);
    assert.deepEqual(openWindows(back, new Date("2026-12-01T02:50:00Z")).map((window) => window.title), ["A"]);
    assert.deepEqual(openWindows(back, new Date("2026-12-01T03:00:00Z")).map((window) => window.title), ["B"]);
  });
});
