import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { Kysely } from "kysely";
import { checkIn, undoCheckIn } from "../../app/attendance/check-ins.server";
import { createDatabase } from "../../db/connection.server";
import type { Database } from "../../db/schema";
import { freshDatabase } from "../support/database";
import { addRegistration } from "../support/inputs";
import { addMeeting } from "../support/registration";

/** Present online, then in person; and desks undoing while others check in. */
describe("check-ins online and in person", async () => {
  let wide: Kysely<Database> | undefined;
  after(async () => {
    await wide?.destroy();
  });
  const { db, url } = await freshDatabase();
  wide = createDatabase(url, 12);
  const meeting = await addMeeting(db, { mode: "hybrid" });
  const day = meeting.starts_on;
  const rows = (registrationId: number) => db.selectFrom("check_ins").selectAll().where("registration_id", "=", registrationId).orderBy("id").execute();

  it("checks in at the door someone who had checked themselves in online, undoing the online record", async () => {
    const person = await addRegistration(db, meeting, { first: "Mere", last: "Tuilagi" });
    const online = await checkIn(db, { meetingId: meeting.id, registrationId: person.id, target: { day }, mode: "online", method: "self", by: null });
    assert.ok(online.ok && online.created);
    const desk = await checkIn(db, { meetingId: meeting.id, registrationId: person.id, target: { day }, mode: "in_person", method: "badge", by: null });
    assert.ok(desk.ok && desk.created, "the desk records the person in person");
    const [first, second] = await rows(person.id);
    assert.equal(first!.mode, "online");
    assert.notEqual(first!.undone_at, null, "the online record is kept, undone");
    assert.equal(second!.mode, "in_person");
    assert.equal(second!.undone_at, null);
  });

  it("leaves an in-person check-in standing when the person then opens their online link", async () => {
    const person = await addRegistration(db, meeting, { first: "Tevita", last: "Fifita" });
    const desk = await checkIn(db, { meetingId: meeting.id, registrationId: person.id, target: { day }, mode: "in_person", method: "desk", by: null });
    const online = await checkIn(db, { meetingId: meeting.id, registrationId: person.id, target: { day }, mode: "online", method: "self", by: null });
    assert.ok(desk.ok && online.ok);
    assert.equal(online.created, false);
    assert.equal(online.checkIn.id, desk.checkIn.id);
    assert.equal((await rows(person.id)).length, 1);
  });

  it("answers every desk with the check-in that stands while others undo it at the same time", async () => {
    const person = await addRegistration(db, meeting, { first: "Sione", last: "Vea" });
    const target = { day };
    for (let round = 0; round < 15; round++) {
      const outcomes = await Promise.all([
        checkIn(wide!, { meetingId: meeting.id, registrationId: person.id, target, mode: "in_person", method: "desk", by: null }),
        undoCheckIn(wide!, { meetingId: meeting.id, registrationId: person.id, target, by: null }),
        checkIn(wide!, { meetingId: meeting.id, registrationId: person.id, target, mode: "online", method: "self", by: null }),
        undoCheckIn(wide!, { meetingId: meeting.id, registrationId: person.id, target, by: null }),
      ]);
      for (const outcome of [outcomes[0], outcomes[2]]) {
        assert.ok(typeof outcome === "object" && outcome.ok, `round ${round}`);
        assert.ok(outcome.checkIn.id > 0, `round ${round}: a check-in is given back`);
      }
      const standing = (await rows(person.id)).filter((row) => row.undone_at === null);
      assert.ok(standing.length <= 1, `round ${round}: ${standing.length} standing`);
    }
  });

  it("cannot hold a check-in or an online stretch that names one meeting and another meeting's registration", async () => {
    const elsewhere = await addMeeting(db);
    const person = await addRegistration(db, meeting, { first: "Losa", last: "Moala" });
    await assert.rejects(
      db.insertInto("check_ins").values({ meeting_id: elsewhere.id, registration_id: person.id, day, mode: "in_person", method: "desk" }).execute(),
      /check_ins_registration_fkey/,
    );
    const report = await db
      .insertInto("attendance_imports")
      .values({ meeting_id: elsewhere.id, platform: "zoom", file_name: "r.csv", content_sha256: Buffer.alloc(32), timezone: "UTC", row_count: 1, new_session_count: 1 })
      .returning("id")
      .executeTakeFirstOrThrow();
    await assert.rejects(
      db
        .insertInto("online_sessions")
        .values({ meeting_id: elsewhere.id, import_id: report.id, registration_id: person.id, name: "Losa Moala", joined_at: new Date(), left_at: new Date(), line: 2 })
        .execute(),
      /online_sessions_registration_fkey/,
    );
  });
});
