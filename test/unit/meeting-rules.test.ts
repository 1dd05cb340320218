import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normaliseTimeZone, timeZoneNames } from "../../app/lib/timezones";
import { registrationLabel, registrationState } from "../../app/meetings/registration-state";
import { retryDelayMs } from "../../emails/delivery.server";

describe("normaliseTimeZone", () => {
  it("gives current IANA names whatever the case or legacy alias", () => {
    assert.equal(normaliseTimeZone("Asia/Calcutta"), "Asia/Kolkata");
    assert.equal(normaliseTimeZone("Asia/Kolkata"), "Asia/Kolkata");
    assert.equal(normaliseTimeZone("asia/bangkok"), "Asia/Bangkok");
    assert.equal(normaliseTimeZone(" Europe/Zurich "), "Europe/Zurich");
    assert.equal(normaliseTimeZone("Europe/Kiev"), "Europe/Kyiv");
  });
  it("refuses what is not a zone", () => {
    assert.equal(normaliseTimeZone("Mars/Olympus"), null);
    assert.equal(normaliseTimeZone(""), null);
    assert.equal(normaliseTimeZone("Bangkok"), null);
  });
  it("lists zones by their current names", () => {
    const zones = timeZoneNames();
    assert.ok(zones.includes("Asia/Kolkata") && zones.includes("Pacific/Fiji") && zones.includes("Europe/Zurich"));
    assert.ok(!zones.includes("Asia/Calcutta"));
  });
});

describe("registrationState", () => {
  const meeting = {
    status: "published",
    ends_at: new Date("2026-12-04T00:00:00Z"),
    registration_policy: "open" as const,
    registration_opens_at: new Date("2026-11-01T02:00:00Z"),
    registration_closes_at: new Date("2026-11-30T10:00:00Z"),
    capacity: 40,
  };
  const counts = { confirmed: 0, waitlisted: 0, pending: 0 };

  it("is open only inside the window of a published meeting", () => {
    assert.equal(registrationState(meeting, counts, new Date("2026-10-31T00:00:00Z")).isOpen, false);
    assert.equal(registrationState(meeting, counts, new Date("2026-11-15T00:00:00Z")).isOpen, true);
    assert.equal(registrationState(meeting, counts, new Date("2026-11-30T10:00:00Z")).isOpen, false);
    assert.equal(registrationState({ ...meeting, status: "cancelled" }, counts, new Date("2026-11-15T00:00:00Z")).isOpen, false);
  });
  it("gives instants in UTC without milliseconds", () => {
    const state = registrationState(meeting, counts, new Date("2026-11-15T00:00:00Z"));
    assert.equal(state.opensAt, "2026-11-01T02:00:00Z");
    assert.equal(state.closesAt, "2026-11-30T10:00:00Z");
  });
  it("says when registration opens and until when it is open, in the meeting's zone", () => {
    const before = new Date("2026-10-31T00:00:00Z");
    assert.equal(
      registrationLabel(registrationState(meeting, counts, before), "Asia/Bangkok", before),
      "Registration opens Sun 1 Nov 2026, 09:00 Bangkok time",
    );
    const during = new Date("2026-11-15T00:00:00Z");
    assert.equal(
      registrationLabel(registrationState(meeting, counts, during), "Asia/Bangkok", during),
      "Registration open until Mon 30 Nov 2026, 17:00 Bangkok time",
    );
    assert.equal(
      registrationLabel(registrationState(meeting, { ...counts, confirmed: 40 }, during), "Asia/Bangkok", during),
      "Full: waiting list open until Mon 30 Nov 2026, 17:00 Bangkok time",
    );
    const after = new Date("2026-12-01T00:00:00Z");
    assert.equal(registrationLabel(registrationState(meeting, counts, after), "Asia/Bangkok", after), "Registration closed");
  });
});

describe("retryDelayMs", () => {
  it("backs off exponentially, with jitter, up to an hour", () => {
    const middle = () => 0.5;
    assert.equal(retryDelayMs(1, middle), 30_000);
    assert.equal(retryDelayMs(2, middle), 60_000);
    assert.equal(retryDelayMs(20, middle), 3_600_000);
    assert.ok(retryDelayMs(1, () => 0) >= 22_500 && retryDelayMs(1, () => 0.999) <= 37_500);
  });
});
