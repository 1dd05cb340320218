import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import type { Meeting } from "../../db/schema";
import {
  addReportedPerson,
  attendanceImports,
  deleteImport,
  importAttendanceReport,
  importSummary,
  linkIdentity,
  onlineAttendance,
} from "../../app/attendance/online-import.server";
import { freshDatabase } from "../support/database";
import { addRegistration } from "../support/inputs";
import { addMeeting } from "../support/registration";

const fixture = (name: string) => readFileSync(path.join("test/fixtures/attendance", name));

/** Online attendance imported from the sample exports of each platform, on real PostgreSQL. */
describe("importing webinar attendance reports", async () => {
  const { db } = await freshDatabase();
  const organiser = await db.insertInto("users").values({ email: "organiser@example.org", role: "organiser" }).returning("id").executeTakeFirstOrThrow();

  /** A meeting in Bangkok with the three people the sample reports show, registered (Minh's address in another case). */
  async function meetingWithPeople(): Promise<{ meeting: Meeting; ana: number; minh: number; chen: number }> {
    const meeting = await addMeeting(db, { timezone: "Asia/Bangkok", mode: "hybrid" });
    const ana = await addRegistration(db, meeting, { first: "Ana", last: "Lima", email: "ana.lima@example.org" });
    const minh = await addRegistration(db, meeting, { first: "Minh", last: "Bui Van", email: "minh.bui@example.org" });
    const chen = await addRegistration(db, meeting, { first: "Wei", last: "Chen", email: "chen.wei@example.org" });
    return { meeting, ana: ana.id, minh: minh.id, chen: chen.id };
  }

  const importFile = (meeting: Meeting, file: string, platform: "auto" | "zoom" | "teams" | "webex" = "auto") =>
    importAttendanceReport(db, { meetingId: meeting.id, fileName: file, bytes: fixture(file), platform, zone: meeting.timezone, by: organiser.id });

  const sessionCount = async (meetingId: number) =>
    Number((await db.selectFrom("online_sessions").select((eb) => eb.fn.countAll<string>().as("n")).where("meeting_id", "=", meetingId).executeTakeFirstOrThrow()).n);

  const minutesOf = async (meeting: Meeting) => {
    const { people, unmatched } = await onlineAttendance(db, meeting);
    return {
      people: Object.fromEntries(people.map((person) => [person.email, person.minutes])),
      unmatched: unmatched.map(({ identity, rows, minutes }) => ({ identity, rows, minutes })),
    };
  };

  for (const [file, platform] of [
    ["zoom-with-summary.csv", "zoom"],
    ["zoom-plain.csv", "zoom"],
    ["teams-attendance.csv", "teams"],
    ["teams-german.csv", "teams"],
    ["webex-attendees.csv", "webex"],
  ] as const) {
    it(`imports ${file}: people matched by address whatever its case, overlapping rejoins counted once, the stranger listed`, async () => {
      const { meeting, ana, minh, chen } = await meetingWithPeople();
      const outcome = await importFile(meeting, file);
      assert.ok(outcome.ok && !outcome.alreadyImportedAt, JSON.stringify(outcome));
      assert.equal(outcome.platform, platform);
      assert.deepEqual({ rows: outcome.rowCount, new: outcome.newSessions, matched: outcome.matchedPeople, unmatched: outcome.unmatchedPeople }, { rows: 6, new: 6, matched: 3, unmatched: 1 });
      assert.match(importSummary(outcome, meeting.timezone), /^Read 6 rows from a .+ report: 4 people, 6 new sessions; 1 not matched\.$/);

      // Ana: 09:00:12–10:30 and 10:20–12:00 overlap (two devices), then 13:00–14:00: 2 h 59 min 48 s + 1 h.
      assert.deepEqual(await minutesOf(meeting), {
        people: { "ana.lima@example.org": 239, "minh.bui@example.org": 115, "chen.wei@example.org": 60 },
        unmatched: [{ identity: "email:kiri@partner.example.net", rows: 1, minutes: 30 }],
      });
      const sessions = await db.selectFrom("online_sessions").select(["registration_id", "email", "joined_at"]).where("meeting_id", "=", meeting.id).execute();
      assert.deepEqual(new Set(sessions.map((s) => s.registration_id)), new Set([ana, minh, chen, null]));
      // Times without an offset are Bangkok's: 09:00:12 there is 02:00:12 UTC.
      assert.equal(sessions.map((s) => s.joined_at.toISOString()).sort()[0], "2026-06-01T02:00:00.000Z");
      const { people } = await onlineAttendance(db, meeting);
      assert.deepEqual(people.find((p) => p.registrationId === ana)?.days, ["1 Jun 2026"]);
      assert.equal(people.find((p) => p.registrationId === ana)?.sessions, 3);
    });
  }

  it("changes nothing when the same file is imported again, and adds nothing for the same rows in another file", async () => {
    const { meeting } = await meetingWithPeople();
    const first = await importFile(meeting, "zoom-with-summary.csv");
    assert.ok(first.ok && !first.alreadyImportedAt);
    const before = await minutesOf(meeting);

    const again = await importFile(meeting, "zoom-with-summary.csv");
    assert.ok(again.ok && again.alreadyImportedAt, "the same content is recognised");
    assert.match(importSummary(again, meeting.timezone), /^This Zoom report was already imported on \w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2} Bangkok time: nothing changed\. To read it again with other settings, delete that import first\.$/);
    assert.equal((await attendanceImports(db, meeting.id)).length, 1);
    assert.equal(await sessionCount(meeting.id), 6);

    // Another export (no summary block, a byte-order mark) and other platforms' files of the same meeting: the same sessions.
    for (const file of ["zoom-plain.csv", "teams-attendance.csv", "webex-attendees.csv"]) {
      const other = await importFile(meeting, file);
      assert.ok(other.ok && !other.alreadyImportedAt, file);
      assert.equal(other.newSessions, 0, file);
    }
    assert.equal(await sessionCount(meeting.id), 6);
    assert.deepEqual(await minutesOf(meeting), before);
    const imports = await attendanceImports(db, meeting.id);
    assert.deepEqual(imports.map((i) => [i.file_name, i.row_count, i.new_session_count]).reverse(), [
      ["zoom-with-summary.csv", 6, 6],
      ["zoom-plain.csv", 6, 0],
      ["teams-attendance.csv", 6, 0],
      ["webex-attendees.csv", 6, 0],
    ]);
  });

  it("imports the older Teams list of events by name, and a name linked by the organiser is used by later imports", async () => {
    const { meeting, ana } = await meetingWithPeople();
    const outcome = await importFile(meeting, "teams-legacy.csv");
    assert.ok(outcome.ok && !outcome.alreadyImportedAt);
    assert.deepEqual({ rows: outcome.rowCount, matched: outcome.matchedPeople, unmatched: outcome.unmatchedPeople }, { rows: 6, matched: 0, unmatched: 4 });
    const { unmatched } = await onlineAttendance(db, meeting);
    assert.deepEqual(
      unmatched.map(({ identity, name, email, rows, minutes }) => ({ identity, name, email, rows, minutes })),
      [
        // Joined before the list began at 09:00:12, left 10:30; rejoined 13:00–14:00.
        { identity: "name:ana lima", name: "Ana Lima", email: null, rows: 2, minutes: 149 },
        { identity: "name:bui van minh", name: "Bui Van Minh", email: null, rows: 1, minutes: 115 },
        { identity: "name:chen wei", name: "Chen Wei", email: null, rows: 1, minutes: 60 },
        // Still there when the list ends at 14:00: counted to then.
        { identity: "name:kiri tuhoe", name: "Kiri Tuhoe", email: null, rows: 2, minutes: 60 },
      ],
    );

    const linked = await linkIdentity(db, { meetingId: meeting.id, identity: "name:ana lima", registrationId: ana, by: organiser.id });
    assert.deepEqual(linked, { ok: true, sessions: 2 });
    const afterLink = await onlineAttendance(db, meeting);
    assert.deepEqual(afterLink.people.map((p) => [p.registrationId, p.minutes]), [[ana, 149]]);
    assert.equal(afterLink.unmatched.length, 3);
    const identity = await db.selectFrom("online_identities").selectAll().where("meeting_id", "=", meeting.id).executeTakeFirstOrThrow();
    assert.deepEqual([identity.identity, identity.registration_id, identity.created_by], ["name:ana lima", ana, organiser.id]);

    // A later report with Ana by name only: matched through the link.
    const later = Buffer.from("Full Name\tUser Action\tTimestamp\nANA LIMA\tJoined\t6/2/2026, 9:00:00 AM\nAna Lima\tLeft\t6/2/2026, 9:45:00 AM\n", "utf8");
    const second = await importAttendanceReport(db, { meetingId: meeting.id, fileName: "day2.csv", bytes: later, platform: "teams", zone: meeting.timezone, by: organiser.id });
    assert.ok(second.ok && !second.alreadyImportedAt);
    assert.deepEqual([second.matchedPeople, second.unmatchedPeople, second.newSessions], [1, 0, 1]);
    const ana2 = (await onlineAttendance(db, meeting)).people.find((p) => p.registrationId === ana);
    assert.deepEqual([ana2?.minutes, ana2?.days], [149 + 45, ["1 Jun 2026", "2 Jun 2026"]]);
  });

  it("refuses a link to another meeting's registration or to something that is no identity", async () => {
    const { meeting } = await meetingWithPeople();
    const elsewhere = await meetingWithPeople();
    await importFile(meeting, "zoom-plain.csv");
    const other = await linkIdentity(db, { meetingId: meeting.id, identity: "email:kiri@partner.example.net", registrationId: elsewhere.ana, by: organiser.id });
    assert.equal(other.ok, false);
    const bogus = await linkIdentity(db, { meetingId: meeting.id, identity: "kiri", registrationId: elsewhere.ana, by: organiser.id });
    assert.equal(bogus.ok, false);
    assert.equal((await onlineAttendance(db, meeting)).unmatched.length, 1);
  });

  it("adds an unmatched person as a confirmed participant with the usual email, linked to their sessions", async () => {
    const { meeting } = await meetingWithPeople();
    await importFile(meeting, "webex-attendees.csv");
    const added = await addReportedPerson(db, {
      meetingId: meeting.id,
      identity: "email:kiri@partner.example.net",
      details: {
        salutation: null,
        firstName: "Kiri",
        lastName: "Tuhoe",
        organisation: "Pacific Islands Forum Secretariat",
        jobTitle: null,
        country: "FJ",
        gender: "female",
        category: "international_organization",
        attendanceMode: "online",
        needs: null,
        timezone: null,
        answers: {},
        email: "kiri@partner.example.net",
      },
      by: organiser.id,
    });
    assert.deepEqual(added, { ok: true, existing: false, name: "Kiri Tuhoe", sessions: 1 });
    const registration = await db.selectFrom("registrations").selectAll().where("meeting_id", "=", meeting.id).where("email", "=", "kiri@partner.example.net").executeTakeFirstOrThrow();
    assert.equal(registration.status, "confirmed");
    const email = await db.selectFrom("outbox").select("to_address").where("to_address", "=", "kiri@partner.example.net").execute();
    assert.equal(email.length, 1, "the acknowledgement is sent");
    const { people, unmatched } = await onlineAttendance(db, meeting);
    assert.equal(unmatched.length, 0);
    assert.equal(people.find((p) => p.registrationId === registration.id)?.minutes, 30);
  });

  it("deletes an import with the sessions it brought", async () => {
    const { meeting } = await meetingWithPeople();
    const outcome = await importFile(meeting, "zoom-plain.csv");
    assert.ok(outcome.ok && !outcome.alreadyImportedAt);
    const other = await meetingWithPeople();
    assert.equal(await deleteImport(db, other.meeting.id, outcome.importId), false, "not through another meeting");
    assert.equal(await deleteImport(db, meeting.id, outcome.importId), true);
    assert.equal(await sessionCount(meeting.id), 0);
    const again = await importFile(meeting, "zoom-plain.csv");
    assert.ok(again.ok && !again.alreadyImportedAt && again.newSessions === 6, "a deleted import can be imported again");
  });

  it("refuses an unreadable file without recording anything", async () => {
    const { meeting } = await meetingWithPeople();
    const bytes = Buffer.from("Name,Email,Join time,Leave time\nAna Lima,ana.lima@example.org,31/31/2026 9:00,31/31/2026 10:00\n");
    const outcome = await importAttendanceReport(db, { meetingId: meeting.id, fileName: "bad.csv", bytes, platform: "webex", zone: meeting.timezone, by: organiser.id });
    assert.deepEqual(outcome, { ok: false, message: "Line 2: the join time “31/31/2026 9:00” is not a date and time." });
    assert.equal((await attendanceImports(db, meeting.id)).length, 0);
  });
});

