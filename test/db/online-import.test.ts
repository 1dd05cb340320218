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
  registrationChoices,
} from "../../app/attendance/online-import.server";
import { freshDatabase } from "../support/database";
import { addRegistration } from "../support/inputs";
import { addMeeting } from "../support/registration";

const fixture = (name: string) => readFileSync(path.join("test/fixtures/attendance", name));

/** Online attendance imported from the sample exports of each platform, on real PostgreSQL. */
describe("importing webinar attendance reports", async () => {
  const { db } = await freshDatabase();
  const organiser = await db.insertInto("users").values({ email: "organiser@example.org", role: "administrator" }).returning("id").executeTakeFirstOrThrow();

  /** A meeting in Bangkok on the sample reports' days (1–2 June 2026) with the three people they show, registered (Minh's address in another case). */
  async function meetingWithPeople(): Promise<{ meeting: Meeting; ana: number; minh: number; chen: number }> {
    const meeting = await addMeeting(db, { timezone: "Asia/Bangkok", mode: "hybrid", starts_on: "2026-06-01", ends_on: "2026-06-02" });
    const ana = await addRegistration(db, meeting, { first: "Ana", last: "Lima", email: "ana.lima@example.org" });
    const minh = await addRegistration(db, meeting, { first: "Minh", last: "Bui Van", email: "minh.bui@example.org" });
    const chen = await addRegistration(db, meeting, { first: "Wei", last: "Chen", email: "chen.wei@example.org" });
    return { meeting, ana: ana.id, minh: minh.id, chen: chen.id };
  }

  const importFile = (meeting: Meeting, file: string, platform: "auto" | "zoom" | "teams" | "webex" = "auto") =>
    importAttendanceReport(db, { meeting, fileName: file, bytes: fixture(file), platform, zone: meeting.timezone, by: organiser.id });

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
      assert.deepEqual(people.find((p) => p.registrationId === ana)?.days, ["Mon 1 Jun 2026"]);
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
    const second = await importAttendanceReport(db, { meeting, fileName: "day2.csv", bytes: later, platform: "teams", zone: meeting.timezone, by: organiser.id });
    assert.ok(second.ok && !second.alreadyImportedAt);
    assert.deepEqual([second.matchedPeople, second.unmatchedPeople, second.newSessions], [1, 0, 1]);
    const ana2 = (await onlineAttendance(db, meeting)).people.find((p) => p.registrationId === ana);
    assert.deepEqual([ana2?.minutes, ana2?.days], [149 + 45, ["Mon 1 Jun 2026", "Tue 2 Jun 2026"]]);
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
    assert.equal(await deleteImport(db, other.meeting.id, outcome.importId, null), false, "not through another meeting");
    assert.equal(await deleteImport(db, meeting.id, outcome.importId, null), true);
    assert.equal(await sessionCount(meeting.id), 0);
    const again = await importFile(meeting, "zoom-plain.csv");
    assert.ok(again.ok && !again.alreadyImportedAt && again.newSessions === 6, "a deleted import can be imported again");
  });

  it("refuses an unreadable file without recording anything", async () => {
    const { meeting } = await meetingWithPeople();
    const bytes = Buffer.from("Name,Email,Join time,Leave time\nAna Lima,ana.lima@example.org,31/31/2026 9:00,31/31/2026 10:00\n");
    const outcome = await importAttendanceReport(db, { meeting, fileName: "bad.csv", bytes, platform: "webex", zone: meeting.timezone, by: organiser.id });
    assert.deepEqual(outcome, { ok: false, message: "Line 2: the join time “31/31/2026 9:00” is not a date and time." });
    assert.equal((await attendanceImports(db, meeting.id)).length, 0);
  });

  it("moves the sessions a link gave when the name is linked to someone else, leaving those matched by their own address", async () => {
    const { meeting, ana, minh, chen } = await meetingWithPeople();
    await importFile(meeting, "teams-legacy.csv");
    await importFile(meeting, "zoom-plain.csv");
    const sessionsOf = async (registrationId: number) =>
      (await db.selectFrom("online_sessions").select("id").where("meeting_id", "=", meeting.id).where("registration_id", "=", registrationId).execute()).length;
    const link = (identity: string, registrationId: number) => linkIdentity(db, { meetingId: meeting.id, identity, registrationId, by: organiser.id });

    assert.deepEqual(await link("name:ana lima", chen), { ok: true, sessions: 2 }, "a mistake: Ana's name linked to Chen");
    assert.deepEqual(await link("name:ana lima", ana), { ok: true, sessions: 2 }, "corrected: her two sessions go to Ana");
    assert.equal(await sessionsOf(chen), 1, "Chen keeps the session matched by his own address");
    assert.equal(await sessionsOf(ana), 3 + 2);

    // Ana's address linked to Minh (another mistake), then back: her own address's sessions never moved.
    assert.deepEqual(await link("email:ana.lima@example.org", minh), { ok: true, sessions: 0 });
    assert.deepEqual(await link("email:ana.lima@example.org", chen), { ok: true, sessions: 0 });
    assert.equal(await sessionsOf(ana), 5);
    assert.equal(await sessionsOf(minh), 1);
  });

  it("links to confirmed registrations only, and offers only those", async () => {
    const { meeting, ana } = await meetingWithPeople();
    const pending = await addRegistration(db, meeting, { first: "Pat", last: "Pending", email: "pat@example.org", status: "pending" });
    await importFile(meeting, "teams-legacy.csv");
    const refused = await linkIdentity(db, { meetingId: meeting.id, identity: "name:kiri tuhoe", registrationId: pending.id, by: organiser.id });
    assert.deepEqual(refused, { ok: false, message: "Choose one of this meeting's confirmed registrations." });
    const choices = await registrationChoices(db, meeting.id);
    assert.equal(choices.length, 3);
    assert.ok(choices.some((choice) => choice.value === String(ana)));
    assert.ok(!choices.some((choice) => choice.value === String(pending.id)));
  });

  it("refuses an identity with a NUL character or too long, without a database error", async () => {
    const { meeting, ana } = await meetingWithPeople();
    for (const identity of ["name:a\u0000b", `name:${"x".repeat(700)}`]) {
      const linked = await linkIdentity(db, { meetingId: meeting.id, identity, registrationId: ana, by: organiser.id });
      assert.deepEqual(linked, { ok: false, message: "Not a name or address from the reports." });
    }
  });

  it("counts the people of a report with more people than a statement takes parameters (66,000)", async () => {
    const { meeting } = await meetingWithPeople();
    const lines = ["Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest"];
    for (let i = 0; i < 66_000; i++) lines.push(`Person ${i},person${i}@example.org,06/01/2026 09:00:00 AM,06/01/2026 10:00:00 AM,60,Yes`);
    lines.push("Ana Lima,ana.lima@example.org,06/01/2026 09:00:00 AM,06/01/2026 10:00:00 AM,60,No");
    const outcome = await importAttendanceReport(db, { meeting, fileName: "large.csv", bytes: Buffer.from(lines.join("\n")), platform: "zoom", zone: meeting.timezone, by: organiser.id });
    assert.ok(outcome.ok && !outcome.alreadyImportedAt, JSON.stringify(outcome).slice(0, 200));
    assert.deepEqual([outcome.rowCount, outcome.newSessions, outcome.matchedPeople, outcome.unmatchedPeople], [66_001, 66_001, 1, 66_000]);
  });

  it("imports sessions far from the meeting's days, but says so with the first one's line", async () => {
    const { meeting } = await meetingWithPeople();
    const report = (date: string) => Buffer.from(`Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
Ana Lima,ana.lima@example.org,06/01/2026 09:00:00 AM,06/01/2026 10:00:00 AM,60,No
Chen Wei,chen.wei@example.org,${date} 09:00:00 AM,${date} 10:00:00 AM,60,No
Bui Van Minh,minh.bui@example.org,${date} 11:00:00 AM,${date} 12:00:00 PM,60,No
`);
    const near = await importAttendanceReport(db, { meeting, fileName: "near.csv", bytes: report("06/05/2026"), platform: "zoom", zone: meeting.timezone, by: organiser.id });
    assert.ok(near.ok && !near.alreadyImportedAt);
    assert.equal(near.farFromMeeting, null, "three days after the last day is near");
    const far = await importAttendanceReport(db, { meeting, fileName: "far.csv", bytes: report("06/06/2026"), platform: "zoom", zone: meeting.timezone, by: organiser.id });
    assert.ok(far.ok && !far.alreadyImportedAt);
    assert.deepEqual(far.farFromMeeting, { rows: 2, firstLine: 3 });
    assert.equal(far.newSessions, 2, "imported all the same");
    assert.match(importSummary(far, meeting.timezone), / Check the report: 2 rows are more than 3 days from the meeting’s days \(the first on line 3\); /);
  });

  it("does not link a name to an address that is registered but not confirmed", async () => {
    const { meeting } = await meetingWithPeople();
    await addRegistration(db, meeting, { first: "Kiri", last: "Tuhoe", email: "kiri@partner.example.net", status: "cancelled" });
    await importFile(meeting, "teams-legacy.csv");
    const added = await addReportedPerson(db, {
      meetingId: meeting.id,
      identity: "name:kiri tuhoe",
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
    assert.equal(added.ok, false);
    assert.equal((await onlineAttendance(db, meeting)).unmatched.filter((entry) => entry.identity === "name:kiri tuhoe").length, 1);
  });
});
