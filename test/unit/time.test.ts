import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import {
  dayBounds,
  formatDay,
  formatDayRange,
  formatInstant,
  formatInstantForPerson,
  isoInstant,
  resolveWallTime,
  todayIn,
  wallClockDate,
  wallClockDay,
  wallClockOf,
  wallClockTime,
  zoneLabel,
  zoneOffsetLabel,
} from "../../app/lib/time";

describe("formatDayRange", () => {
  it("writes a range within a month, across months and across years", () => {
    assert.equal(formatDayRange("2026-12-01", "2026-12-03"), "1–3 Dec 2026");
    assert.equal(formatDayRange("2026-11-30", "2026-12-02"), "30 Nov – 2 Dec 2026");
    assert.equal(formatDayRange("2026-12-30", "2027-01-02"), "30 Dec 2026 – 2 Jan 2027");
    assert.equal(formatDayRange("2026-12-01", "2026-12-01"), "1 Dec 2026");
  });
});

describe("formatDay", () => {
  it("writes a day in each style, the same again when asked twice", () => {
    for (let round = 0; round < 2; round++) {
      assert.equal(formatDay("2026-12-01"), "Tue 1 Dec 2026");
      assert.equal(formatDay("2026-12-01", "long"), "Tuesday 1 December 2026");
      assert.equal(formatDay("2026-12-01", "formal"), "1 December 2026");
      assert.equal(formatDay("2027-01-02", "short"), "Sat 2 Jan 2027");
    }
  });
});

describe("zone names", () => {
  it("names a zone by its city", () => {
    assert.equal(zoneLabel("Asia/Bangkok"), "Bangkok time");
    assert.equal(zoneLabel("America/Argentina/Buenos_Aires"), "Buenos Aires time");
    assert.equal(zoneLabel("UTC"), "UTC");
  });
  it("gives the offset at an instant, with half hours and summer time", () => {
    assert.equal(zoneOffsetLabel("Asia/Bangkok", new Date("2026-12-01T00:00:00Z")), "GMT+7");
    assert.equal(zoneOffsetLabel("Asia/Kolkata", new Date("2026-12-01T00:00:00Z")), "GMT+5:30");
    assert.equal(zoneOffsetLabel("Europe/Zurich", new Date("2026-07-01T00:00:00Z")), "GMT+2");
    assert.equal(zoneOffsetLabel("Europe/Zurich", new Date("2026-12-01T00:00:00Z")), "GMT+1");
    assert.equal(zoneOffsetLabel("America/New_York", new Date("2026-12-01T00:00:00Z")), "GMT-5");
    assert.equal(zoneOffsetLabel("Europe/London", new Date("2026-12-01T00:00:00Z")), "GMT");
  });
  it("formats an instant in the zone and names the zone", () => {
    assert.equal(formatInstant("2026-12-01T02:30:00Z", "Asia/Bangkok"), "Tue 1 Dec 2026, 09:30 Bangkok time");
    assert.equal(formatInstant("2026-12-01T02:30:00Z", "Pacific/Fiji"), "Tue 1 Dec 2026, 14:30 Fiji time");
    assert.equal(isoInstant("2026-12-01T02:30:00.000Z"), "2026-12-01T02:30:00Z");
  });
});

describe("resolveWallTime", () => {
  it("finds the one instant of an ordinary time", () => {
    assert.deepEqual(resolveWallTime("2026-12-01T09:30", "Asia/Bangkok"), {
      kind: "exact",
      instant: new Date("2026-12-01T02:30:00Z"),
    });
  });
  it("refuses a time the clocks skip (Zurich, last Sunday of March)", () => {
    assert.deepEqual(resolveWallTime("2026-03-29T02:30", "Europe/Zurich"), { kind: "gap" });
    assert.deepEqual(resolveWallTime("2026-03-08T02:30", "America/New_York"), { kind: "gap" });
    assert.deepEqual(resolveWallTime("2026-10-04T02:30", "Australia/Sydney"), { kind: "gap" });
  });
  it("offers both instants of a time the clocks show twice", () => {
    assert.deepEqual(resolveWallTime("2026-10-25T02:30", "Europe/Zurich"), {
      kind: "ambiguous",
      earlier: new Date("2026-10-25T00:30:00Z"),
      later: new Date("2026-10-25T01:30:00Z"),
    });
    assert.deepEqual(resolveWallTime("2026-11-01T01:30", "America/New_York"), {
      kind: "ambiguous",
      earlier: new Date("2026-11-01T05:30:00Z"),
      later: new Date("2026-11-01T06:30:00Z"),
    });
    assert.deepEqual(resolveWallTime("2026-04-05T02:30", "Australia/Sydney"), {
      kind: "ambiguous",
      earlier: new Date("2026-04-04T15:30:00Z"),
      later: new Date("2026-04-04T16:30:00Z"),
    });
  });
  it("treats times next to a change as ordinary", () => {
    assert.deepEqual(resolveWallTime("2026-03-29T03:00", "Europe/Zurich"), {
      kind: "exact",
      instant: new Date("2026-03-29T01:00:00Z"),
    });
    assert.deepEqual(resolveWallTime("2026-10-25T03:00", "Europe/Zurich"), {
      kind: "exact",
      instant: new Date("2026-10-25T02:00:00Z"),
    });
  });
  it("refuses dates that do not exist and malformed input", () => {
    assert.deepEqual(resolveWallTime("2026-02-30T09:00", "Asia/Bangkok"), { kind: "invalid" });
    assert.deepEqual(resolveWallTime("2026-12-01T24:00", "Asia/Bangkok"), { kind: "invalid" });
    assert.deepEqual(resolveWallTime("tomorrow", "Asia/Bangkok"), { kind: "invalid" });
    assert.deepEqual(resolveWallTime("2026-12-01T09:00", "Mars/Olympus"), { kind: "invalid" });
  });
});

describe("days in a zone", () => {
  it("knows a day with a skipped hour is 23 hours long", () => {
    const { startsAt, endsAt } = dayBounds("2026-03-29", "Europe/Zurich");
    assert.equal(startsAt.toISOString(), "2026-03-28T23:00:00.000Z");
    assert.equal(endsAt.getTime() - startsAt.getTime(), 23 * 3_600_000);
  });
  it("gives today's date in the zone, not the server's", () => {
    const instant = new Date("2026-12-01T20:00:00Z");
    assert.equal(todayIn("Pacific/Fiji", instant), "2026-12-02");
    assert.equal(todayIn("America/New_York", instant), "2026-12-01");
  });
});

describe("formatInstantForPerson", () => {
  const instant = "2026-12-01T02:30:00Z";
  it("gives the meeting's time and, where it differs, the person's, with the date when that differs too", () => {
    assert.equal(formatInstantForPerson(instant, "Asia/Bangkok", "Europe/Zurich"), "Tue 1 Dec 2026, 09:30 Bangkok time (03:30 your time, Zurich)");
    assert.equal(formatInstantForPerson(instant, "Asia/Bangkok", "America/New_York"), "Tue 1 Dec 2026, 09:30 Bangkok time (Mon 30 Nov, 21:30 your time, New York)");
  });
  it("says it once when the person has no zone or the same clock", () => {
    assert.equal(formatInstantForPerson(instant, "Asia/Bangkok", null), "Tue 1 Dec 2026, 09:30 Bangkok time");
    assert.equal(formatInstantForPerson(instant, "Asia/Bangkok", "Asia/Bangkok"), "Tue 1 Dec 2026, 09:30 Bangkok time");
    assert.equal(formatInstantForPerson(instant, "Asia/Bangkok", "Asia/Jakarta"), "Tue 1 Dec 2026, 09:30 Bangkok time");
  });
});

describe("wall clocks", () => {
  it("reads a zone's clock as luxon does, every 97 minutes of a year, across the days the clocks change both ways", () => {
    const zones = ["Europe/Zurich", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kathmandu", "UTC"];
    for (const zone of zones) {
      for (let at = Date.parse("2026-01-01T00:00:00Z"); at < Date.parse("2027-01-01T00:00:00Z"); at += 97 * 60_000) {
        const clock = wallClockOf(new Date(at), zone);
        const expected = DateTime.fromMillis(at, { zone });
        const read = `${wallClockDay(clock)} ${wallClockDate(clock)} ${wallClockTime(clock)}`;
        assert.equal(read, expected.toFormat("yyyy-MM-dd ccc d LLL yyyy HH:mm"), `${zone} at ${new Date(at).toISOString()}`);
      }
    }
  });

  it("shows both passes of an hour the clocks repeat, each at its own instant", () => {
    // Zurich, Sunday 25 October 2026: 02:30 CEST is 00:30Z, 02:30 CET is 01:30Z.
    assert.equal(wallClockTime(wallClockOf(new Date("2026-10-25T00:30:00Z"), "Europe/Zurich")), "02:30");
    assert.equal(wallClockTime(wallClockOf(new Date("2026-10-25T01:30:00Z"), "Europe/Zurich")), "02:30");
    // New York, Sunday 8 March 2026: 01:59 EST is followed by 03:00 EDT.
    assert.equal(wallClockTime(wallClockOf(new Date("2026-03-08T06:59:00Z"), "America/New_York")), "01:59");
    assert.equal(wallClockTime(wallClockOf(new Date("2026-03-08T07:00:00Z"), "America/New_York")), "03:00");
  });
});
