import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { checkIn } from "../../app/attendance/check-ins.server";
import { publicFigures } from "../../app/attendance/public-figures.server";
import { freshDatabase } from "../support/database";
import { addRegistration } from "../support/inputs";
import { addMeeting } from "../support/registration";

describe("a past meeting's public participation figures", async () => {
  const { db } = await freshDatabase();
  const zone = "Asia/Bangkok";
  const day = DateTime.now().setZone(zone).minus({ days: 10 }).toISODate()!;
  const meeting = await addMeeting(db, {
    timezone: zone,
    starts_on: day,
    ends_on: day,
    starts_at: DateTime.fromISO(day, { zone }).toJSDate(),
    ends_at: DateTime.fromISO(day, { zone }).plus({ days: 1 }).toJSDate(),
    shows_participation: true,
  });
  const attend = async (first: string) => {
    const person = await addRegistration(db, meeting, { first, last: "Delegate" });
    const outcome = await checkIn(db, { meetingId: meeting.id, registrationId: person.id, target: { day }, mode: "in_person", method: "desk", by: null });
    assert.ok(outcome.ok && outcome.created);
  };

  it("are worked out at most once a minute, and hidden at once when the organisers turn them off", async () => {
    await attend("Ana");
    const now = new Date();
    assert.equal((await publicFigures(db, meeting, now))?.attended, 1);
    await attend("Ben");
    assert.equal((await publicFigures(db, meeting, new Date(now.getTime() + 30_000)))?.attended, 1, "kept for a minute");
    assert.equal((await publicFigures(db, meeting, new Date(now.getTime() + 61_000)))?.attended, 2, "then worked out again");
    assert.equal(await publicFigures(db, { ...meeting, shows_participation: false }, new Date(now.getTime() + 62_000)), null);
  });
});
