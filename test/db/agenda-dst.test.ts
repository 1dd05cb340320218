import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import { DateTime } from "luxon";
import { parseAgendaItemForm } from "../../app/agenda/agenda-form.server";
import { createAgendaItem, listAgendaItems, moveAgendaItem, rederiveFutureInstants } from "../../app/agenda/agenda.server";
import { dayBounds } from "../../app/lib/time";
import type { Database, Meeting } from "../../db/schema";
import { freshDatabase } from "../support/database";
import { addMeeting } from "../support/registration";

/**
 * A meeting in Geneva across a clock change: items typed at 09:00 each day stay at 09:00 in
 * Zurich while their UTC instants shift by the hour, and other zones see the shift. Expected
 * instants are worked out by hand: Zurich is UTC+1 in winter (CET), UTC+2 in summer (CEST);
 * Bangkok is UTC+7 all year.
 */

const ZURICH = "Europe/Zurich";
const HOUR = 3_600_000;

async function zurichMeeting(db: Kysely<Database>, startsOn: string, endsOn: string): Promise<Meeting> {
  return addMeeting(db, {
    timezone: ZURICH,
    starts_on: startsOn,
    ends_on: endsOn,
    starts_at: dayBounds(startsOn, ZURICH).startsAt,
    ends_at: dayBounds(endsOn, ZURICH).endsAt,
  });
}

/** Adds "Morning session" at 09:00–10:30 on each day, through the organisers' form. */
async function nineOClockEachDay(db: Kysely<Database>, meeting: Meeting, days: string[]): Promise<void> {
  const context = { timezone: meeting.timezone, startsOn: meeting.starts_on, endsOn: meeting.ends_on, roomIds: [], parents: [] };
  for (const date of days) {
    const form = new FormData();
    for (const [name, value] of Object.entries({ title: `Morning session ${date}`, kind: "session", date, start: "09:00", end: "10:30" })) form.set(name, value);
    const result = parseAgendaItemForm(form, context);
    if (!result.ok) assert.fail(`refused: ${JSON.stringify(result.errors)}`);
    await createAgendaItem(db, meeting.id, result.input, null);
  }
}

/** The meeting's items as a clock in the zone shows them: "2027-03-28 09:00–10:30". */
async function clockTimes(db: Kysely<Database>, meetingId: number, zone: string): Promise<string[]> {
  const shown = (at: Date) => DateTime.fromJSDate(at, { zone });
  return (await listAgendaItems(db, meetingId)).map((item) => `${shown(item.startsAt).toFormat("yyyy-MM-dd HH:mm")}–${shown(item.endsAt).toFormat("HH:mm")}`);
}

async function startInstants(db: Kysely<Database>, meetingId: number): Promise<string[]> {
  return (await listAgendaItems(db, meetingId)).map((item) => item.startsAt.toISOString());
}

describe("an agenda in Europe/Zurich across the start of summer time (Sun 28 March 2027)", async () => {
  const { db } = await freshDatabase();
  const meeting = await zurichMeeting(db, "2027-03-27", "2027-03-29");
  const days = ["2027-03-27", "2027-03-28", "2027-03-29"];
  await nineOClockEachDay(db, meeting, days);

  it("shows every item at 09:00 in Zurich, as typed", async () => {
    assert.deepEqual(await clockTimes(db, meeting.id, ZURICH), ["2027-03-27 09:00–10:30", "2027-03-28 09:00–10:30", "2027-03-29 09:00–10:30"]);
    const items = await listAgendaItems(db, meeting.id);
    assert.deepEqual(
      items.map((item) => item.startsLocal),
      days.map((day) => `${day}T09:00`),
    );
  });

  it("keeps the instants an hour earlier in UTC from the Sunday: 23 hours between Saturday's and Sunday's", async () => {
    const instants = await startInstants(db, meeting.id);
    assert.deepEqual(instants, ["2027-03-27T08:00:00.000Z", "2027-03-28T07:00:00.000Z", "2027-03-29T07:00:00.000Z"]);
    const [sat, sun, mon] = instants.map((at) => Date.parse(at)) as [number, number, number];
    assert.equal(sun - sat, 23 * HOUR);
    assert.equal(mon - sun, 24 * HOUR);
  });

  it("shows Bangkok the shift: 15:00 on Saturday, 14:00 from Sunday", async () => {
    assert.deepEqual(await clockTimes(db, meeting.id, "Asia/Bangkok"), ["2027-03-27 15:00–16:30", "2027-03-28 14:00–15:30", "2027-03-29 14:00–15:30"]);
  });

  it("moves Saturday's item to Monday at 09:00 on the clock, an hour earlier in UTC", async () => {
    const saturday = (await listAgendaItems(db, meeting.id))[0]!;
    const moved = await moveAgendaItem(db, meeting, saturday.id, { date: "2027-03-29", start: "09:00" }, null);
    assert.deepEqual(moved, { ok: true, value: undefined });
    const item = (await listAgendaItems(db, meeting.id)).find((entry) => entry.id === saturday.id)!;
    assert.equal(item.startsLocal, "2027-03-29T09:00");
    assert.equal(item.startsAt.toISOString(), "2027-03-29T07:00:00.000Z");
    assert.equal(item.endsAt.toISOString(), "2027-03-29T08:30:00.000Z");
  });

  it("re-derives nothing while the zone's rules are the ones the instants came from", async () => {
    assert.deepEqual(await rederiveFutureInstants(db, new Date("2027-01-01T00:00:00Z")), []);
  });
});

describe("an agenda in Europe/Zurich across the end of summer time (Sun 25 October 2026)", async () => {
  const { db } = await freshDatabase();
  const meeting = await zurichMeeting(db, "2026-10-24", "2026-10-26");
  await nineOClockEachDay(db, meeting, ["2026-10-24", "2026-10-25", "2026-10-26"]);

  it("shows every item at 09:00 in Zurich, as typed", async () => {
    assert.deepEqual(await clockTimes(db, meeting.id, ZURICH), ["2026-10-24 09:00–10:30", "2026-10-25 09:00–10:30", "2026-10-26 09:00–10:30"]);
  });

  it("keeps the instants an hour later in UTC from the Sunday: 25 hours between Saturday's and Sunday's", async () => {
    const instants = await startInstants(db, meeting.id);
    assert.deepEqual(instants, ["2026-10-24T07:00:00.000Z", "2026-10-25T08:00:00.000Z", "2026-10-26T08:00:00.000Z"]);
    const [sat, sun, mon] = instants.map((at) => Date.parse(at)) as [number, number, number];
    assert.equal(sun - sat, 25 * HOUR);
    assert.equal(mon - sun, 24 * HOUR);
  });

  it("shows Bangkok the shift: 14:00 on Saturday, 15:00 from Sunday", async () => {
    assert.deepEqual(await clockTimes(db, meeting.id, "Asia/Bangkok"), ["2026-10-24 14:00–15:30", "2026-10-25 15:00–16:30", "2026-10-26 15:00–16:30"]);
  });
});
