import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AgendaEntry } from "../../app/agenda/agenda.server";
import { type AgendaView, agendaView, clockReading, onNowAndNext, parallelSlots } from "../../app/agenda/agenda-view.server";

let nextId = 1;

/** An agenda item at two UTC instants; the wall-clock fields are not read by the view. */
function item(startsAt: string, endsAt: string, extra: Partial<AgendaEntry> = {}): AgendaEntry {
  const id = nextId++;
  return {
    id,
    parentId: null,
    title: `Item ${id}`,
    kind: "session",
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
    ...extra,
  };
}

const BANGKOK = "Asia/Bangkok";
const ZURICH = "Europe/Zurich";

function cards(view: AgendaView) {
  return view.days.flatMap((day) => day.slots.flatMap((slot) => slot.lanes.flat()));
}

function titlesByDay(view: AgendaView): Record<string, string[]> {
  return Object.fromEntries(view.days.map((day) => [day.date, day.slots.flatMap((slot) => slot.lanes.flat().map((card) => card.title))]));
}

describe("agenda view: days of the displayed zone", () => {
  // Tue 1 Dec 2026 09:00 Bangkok, and Wed 2 Dec 01:00 Bangkok (a late side event), 09:00 Bangkok.
  const opening = item("2026-12-01T02:00:00Z", "2026-12-01T03:30:00Z", { title: "Opening" });
  const late = item("2026-12-01T18:00:00Z", "2026-12-01T19:00:00Z", { title: "Late side event" });
  const morning = item("2026-12-02T02:00:00Z", "2026-12-02T03:00:00Z", { title: "Second morning" });
  const items = [opening, late, morning];

  it("groups by the meeting's days in the meeting's zone, and names the zone with its offset", () => {
    const view = agendaView(items, { meetingZone: BANGKOK, zone: BANGKOK, both: false });
    assert.deepEqual(titlesByDay(view), { "2026-12-01": ["Opening"], "2026-12-02": ["Late side event", "Second morning"] });
    assert.equal(view.days[0]!.label, "Tuesday 1 December 2026");
    assert.equal(view.zoneName, "Bangkok time (GMT+7)");
    assert.equal(view.zoneDiffers, false);
    const [first] = cards(view);
    assert.equal(view.zoneLabel, "Bangkok time");
    assert.deepEqual(first!.shown, { start: "09:00", end: "10:30" }, "no date where it is the same in both zones");
    assert.equal(first!.startsAt, "2026-12-01T02:00:00Z");
    assert.equal(first!.meeting, undefined);
  });

  it("regroups across midnight: 01:00 Wednesday in Bangkok is Tuesday evening in Geneva, and both dates are shown", () => {
    const view = agendaView(items, { meetingZone: BANGKOK, zone: ZURICH, both: false });
    // In Bangkok the late side event opens Wednesday; in Zurich it is Tuesday evening, after the opening.
    assert.deepEqual(titlesByDay(view), { "2026-12-01": ["Opening", "Late side event"], "2026-12-02": ["Second morning"] });
    assert.equal(view.zoneDiffers, true);
    assert.equal(view.zoneName, "Zurich time (GMT+1)");
    assert.equal(view.meetingZoneName, "Bangkok time (GMT+7)");
    const byTitle = new Map(cards(view).map((card) => [card.title, card]));
    const lateCard = byTitle.get("Late side event")!;
    assert.equal(view.zoneLabel, "Zurich time");
    assert.equal(view.meetingZoneLabel, "Bangkok time");
    assert.deepEqual(lateCard.shown, { date: "Tue 1 Dec 2026", start: "19:00", end: "20:00" });
    assert.deepEqual(lateCard.meeting, { date: "Wed 2 Dec 2026", start: "01:00", end: "02:00" });
    // 09:00 Tuesday in Bangkok is 03:00 Tuesday in Zurich: same date, so the meeting's time is not repeated.
    const openingCard = byTitle.get("Opening")!;
    assert.deepEqual(openingCard.shown, { start: "03:00", end: "04:30" });
    assert.equal(openingCard.meeting, undefined);
  });

  it("shows the meeting's time beside every item in the both view, only when the zones differ", () => {
    const both = agendaView(items, { meetingZone: BANGKOK, zone: ZURICH, both: true });
    assert.equal(both.both, true);
    assert.equal(both.meetingZoneLabel, "Bangkok time");
    for (const card of cards(both)) assert.ok(card.meeting?.start, card.title);
    assert.deepEqual(cards(both).find((card) => card.title === "Opening")!.meeting, { start: "09:00", end: "10:30" });
    const same = agendaView(items, { meetingZone: BANGKOK, zone: BANGKOK, both: true });
    assert.equal(same.both, false);
    for (const card of cards(same)) assert.equal(card.meeting, undefined);
  });

  it("marks an end past midnight with its day", () => {
    const dinner = item("2026-12-01T15:00:00Z", "2026-12-01T17:30:00Z");
    assert.deepEqual(clockReading(dinner.startsAt, dinner.endsAt, BANGKOK), {
      zoneName: "Bangkok time",
      date: "Tue 1 Dec 2026",
      start: "22:00",
      end: "Wed 00:30",
    });
  });
});

describe("agenda view: parallel items and parts", () => {
  const plenary = item("2026-12-01T02:00:00Z", "2026-12-01T03:30:00Z", { title: "Plenary", roomId: 1, roomName: "Plenary Hall" });
  const sideA = item("2026-12-01T02:30:00Z", "2026-12-01T03:00:00Z", { title: "Side A", roomId: 2, roomName: "Room 103" });
  const sideB = item("2026-12-01T03:00:00Z", "2026-12-01T03:30:00Z", { title: "Side B", roomId: 2, roomName: "Room 103" });
  const lunch = item("2026-12-01T05:00:00Z", "2026-12-01T06:00:00Z", { title: "Lunch", kind: "lunch" });
  const panel = item("2026-12-01T07:00:00Z", "2026-12-01T08:30:00Z", { title: "Panel", kind: "panel", roomId: 1, roomName: "Plenary Hall" });
  const talk1 = item("2026-12-01T07:00:00Z", "2026-12-01T07:30:00Z", { title: "Talk 1", parentId: panel.id, roomId: 1, roomName: "Plenary Hall" });
  const talk2 = item("2026-12-01T07:30:00Z", "2026-12-01T08:00:00Z", { title: "Talk 2", parentId: panel.id, roomId: 1 });

  it("puts overlapping items in lanes side by side, a room's items in one lane", () => {
    const slots = parallelSlots([plenary, sideA, sideB, lunch]);
    assert.deepEqual(
      slots.map((lanes) => lanes.map((lane) => lane.map((entry) => entry.title))),
      [[["Plenary"], ["Side A", "Side B"]], [["Lunch"]]],
    );
  });

  it("keeps items that merely touch in one lane", () => {
    const slots = parallelSlots([sideA, sideB]);
    assert.deepEqual(slots.map((lanes) => lanes.length), [1, 1]);
  });

  it("shows parts within their item, not as items of their own", () => {
    const view = agendaView([plenary, sideA, sideB, lunch, panel, talk1, talk2], { meetingZone: BANGKOK, zone: BANGKOK, both: false });
    const [day] = view.days;
    assert.equal(day!.slots.length, 3);
    assert.deepEqual(day!.slots.map((slot) => slot.lanes.length), [2, 1, 1]);
    const panelCard = day!.slots[2]!.lanes[0]![0]!;
    assert.equal(panelCard.title, "Panel");
    assert.deepEqual(panelCard.parts!.map((part) => [part.title, part.shown.start]), [["Talk 1", "14:00"], ["Talk 2", "14:30"]]);
    assert.equal(panelCard.room, "Plenary Hall");
    assert.deepEqual(panelCard.parts!.map((part) => part.room), [undefined, undefined], "a talk in its panel's room does not repeat it");
    assert.equal(panelCard.kind, "panel");
    assert.equal(day!.slots[0]!.lanes[0]![0]!.parts, undefined, "no parts, none sent");
  });

  it("groups people by role in the roles' order, plural when several, and sanitises the description", () => {
    const session = item("2026-12-01T02:00:00Z", "2026-12-01T03:00:00Z", {
      description: "**Bold** <script>alert(1)</script><img src=x onerror=alert(1)>",
      people: [
        { name: "Ana", role: "speaker", affiliation: "ITU" },
        { name: "Bo", role: "chair", affiliation: null },
        { name: "Cy", role: "speaker", affiliation: "ESCAP" },
      ],
    });
    const [card] = cards(agendaView([session], { meetingZone: BANGKOK, zone: BANGKOK, both: false }));
    assert.deepEqual(card!.people, [
      { label: "Chair", people: [{ name: "Bo" }] },
      { label: "Speakers", people: [{ name: "Ana", affiliation: "ITU" }, { name: "Cy", affiliation: "ESCAP" }] },
    ]);
    assert.match(card!.descriptionHtml!, /<strong>Bold<\/strong>/);
    assert.doesNotMatch(card!.descriptionHtml!, /script|onerror|<img/);
  });
});

describe("agenda view: a day the clocks change (Europe/Zurich, Sunday 25 October 2026)", () => {
  // Saturday 24 Oct 09:00 CEST, then Sunday 02:30 twice (CEST, then CET), Sunday 09:00 CET, Sunday 23:30 CET.
  const saturday = item("2026-10-24T07:00:00Z", "2026-10-24T08:00:00Z", { title: "Saturday 09:00" });
  const firstPass = item("2026-10-25T00:30:00Z", "2026-10-25T00:45:00Z", { title: "02:30 first" });
  const secondPass = item("2026-10-25T01:30:00Z", "2026-10-25T01:45:00Z", { title: "02:30 second" });
  const sunday = item("2026-10-25T08:00:00Z", "2026-10-25T09:00:00Z", { title: "Sunday 09:00" });
  const night = item("2026-10-25T22:30:00Z", "2026-10-25T22:50:00Z", { title: "Sunday 23:30" });
  const items = [saturday, firstPass, secondPass, sunday, night];

  it("shows every item at its wall-clock time on its own day of 25 hours, and says the clocks change", () => {
    const view = agendaView(items, { meetingZone: ZURICH, zone: ZURICH, both: false });
    assert.deepEqual(titlesByDay(view), {
      "2026-10-24": ["Saturday 09:00"],
      "2026-10-25": ["02:30 first", "02:30 second", "Sunday 09:00", "Sunday 23:30"],
    });
    assert.deepEqual(cards(view).map((card) => card.shown.start), ["09:00", "02:30", "02:30", "09:00", "23:30"]);
    assert.equal(view.days[0]!.clockChange, null);
    assert.equal(view.days[1]!.clockChange, "The clocks change on this day: GMT+2 before, GMT+1 after.");
    assert.equal(view.zoneName, "Zurich time (GMT+2, then GMT+1)");
  });

  it("regroups the same items in Bangkok, where the late Sunday item is Monday morning", () => {
    const view = agendaView(items, { meetingZone: ZURICH, zone: BANGKOK, both: false });
    assert.deepEqual(titlesByDay(view), {
      "2026-10-24": ["Saturday 09:00"],
      "2026-10-25": ["02:30 first", "02:30 second", "Sunday 09:00"],
      "2026-10-26": ["Sunday 23:30"],
    });
    const nightCard = cards(view).find((card) => card.title === "Sunday 23:30")!;
    assert.equal(nightCard.shown.start, "05:30");
    assert.equal(nightCard.shown.date, "Mon 26 Oct 2026", "the dates differ, so both are shown");
    assert.deepEqual(nightCard.meeting, { date: "Sun 25 Oct 2026", start: "23:30", end: "23:50" });
    assert.equal(view.days.every((day) => day.clockChange === null), true, "Bangkok has no summer time");
  });
});

describe("on now and next", () => {
  const first = item("2026-12-01T02:00:00Z", "2026-12-01T03:00:00Z", { title: "First", roomName: "Plenary Hall" });
  const partOfFirst = item("2026-12-01T02:00:00Z", "2026-12-01T02:30:00Z", { title: "Talk", parentId: first.id });
  const parallelA = item("2026-12-01T04:00:00Z", "2026-12-01T05:00:00Z", { title: "Parallel A" });
  const parallelB = item("2026-12-01T04:00:00Z", "2026-12-01T05:30:00Z", { title: "Parallel B" });
  const items = [first, partOfFirst, parallelA, parallelB];

  it("says what runs now and every item that starts next, in the zone", () => {
    const during = onNowAndNext(items, BANGKOK, new Date("2026-12-01T02:15:00Z"));
    assert.deepEqual(during.now.map((entry) => [entry.title, entry.reading.start, entry.room]), [["First", "09:00", "Plenary Hall"]]);
    assert.deepEqual(during.next.map((entry) => entry.title), ["Parallel A", "Parallel B"]);
    assert.equal(during.next[0]!.startsAt, "2026-12-01T04:00:00Z");
  });

  it("has nothing now between items and nothing next after the last", () => {
    const between = onNowAndNext(items, BANGKOK, new Date("2026-12-01T03:30:00Z"));
    assert.deepEqual([between.now.length, between.next.length], [0, 2]);
    const after = onNowAndNext(items, BANGKOK, new Date("2026-12-01T05:15:00Z"));
    assert.deepEqual([after.now.map((entry) => entry.title), after.next.length], [["Parallel B"], 0]);
  });
});
