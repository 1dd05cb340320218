import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import ICAL from "ical.js";
import { type Kysely, type Transaction, sql } from "kysely";
import { DateTime } from "luxon";
import { hashSecretToken } from "../../app/accounts/secret-token.server";
import { register, registrationsWaiting } from "../../app/registration/registrations.server";
import { createDatabase } from "../../db/connection.server";
import type { Database, Meeting, OutboxMessage } from "../../db/schema";
import { freshDatabase } from "../support/database";
import { addMeeting, meetingCounts, rowCounts } from "../support/registration";
import { registrationInput } from "../support/registration-extras";

/**
 * A registration burst: people register for one meeting at the same moment, through the domain with
 * a wide connection pool. Each registration is prepared before the meeting's lock (its row, its
 * acknowledgement, the meeting's .ics) and written by one statement under it; those that arrive
 * while one is written wait in the process and are then written together, in one transaction.
 * These tests hold what that must keep: the places, the emails, a meeting changed by an organiser
 * while registrations wait, and one failing registration failing only itself.
 */

function person(email: string) {
  return registrationInput({ email, firstName: email.split("@")[0]!, attendanceMode: "in_person" });
}

async function emailsTo(db: Kysely<Database>, addresses: string[]): Promise<OutboxMessage[]> {
  return db.selectFrom("outbox").selectAll().where("to_address", "in", addresses).orderBy("id").execute();
}

/** The events' UIDs and summaries of an email's .ics attachment, parsed by an independent parser. */
function attachedEvents(email: OutboxMessage): { uid: string; summary: string }[] {
  assert.equal(email.attachments.length, 1, `one attachment to ${email.to_address}`);
  const ics = Buffer.from(email.attachments[0]!.contentBase64, "base64").toString("utf8");
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return calendar.getAllSubcomponents("vevent").map((event) => ({
    uid: String(event.getFirstPropertyValue("uid")),
    summary: String(event.getFirstPropertyValue("summary")),
  }));
}

/** How many connections to this database wait for a lock. */
async function lockWaiters(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
  return rows[0]!.n;
}

/**
 * Waits until `count` registrations for the meeting are in line: one being written, waiting in
 * PostgreSQL for the meeting's lock, and the others waiting in this process for it.
 */
async function inLine(db: Kysely<Database>, pool: Kysely<Database>, meetingId: number, count: number): Promise<void> {
  for (let tries = 0; tries < 500; tries++) {
    if ((await lockWaiters(db)) === 1 && registrationsWaiting(pool, meetingId) === count - 1) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`${count} registrations never got in line for the meeting's lock`);
}

/**
 * Holds the meeting's lock (as an organiser's change does) while `registrations` start on `pool` and
 * get in line behind it, then makes `change` and commits; returns the registrations' outcomes.
 */
async function whileLocked<T>(
  db: Kysely<Database>,
  pool: Kysely<Database>,
  meeting: Meeting,
  registrations: () => Promise<T>[],
  change: (trx: Transaction<Database>) => Promise<unknown> = async () => {},
): Promise<T[]> {
  // Settled, not all: one failing while the lock is held must not go unhandled.
  let outcomes: Promise<PromiseSettledResult<T>[]> | undefined;
  await db.transaction().execute(async (trx) => {
    await trx.selectFrom("meetings").select("id").where("id", "=", meeting.id).forUpdate().execute();
    const started = registrations();
    outcomes = Promise.allSettled(started);
    await inLine(db, pool, meeting.id, started.length);
    await change(trx);
  });
  return (await outcomes!).map((outcome) => {
    if (outcome.status === "rejected") throw outcome.reason;
    return outcome.value;
  });
}

describe("a registration burst", async () => {
  // Registered before freshDatabase's own cleanup, so the pool closes before the database is dropped.
  let wide: Kysely<Database> | undefined;
  after(async () => {
    await wide?.destroy();
  });
  const { db, url } = await freshDatabase();
  wide = createDatabase(url, 20);
  const burst = wide;

  it("60 people at once into 10 places, 6 of them twice at once: 10 confirmed with the .ics, 50 waitlisted without, one acknowledgement each, one manage link per second submission", async () => {
    const meeting = await addMeeting(db, { capacity: 10, title: "Burst Workshop" });
    const emails = Array.from({ length: 60 }, (_, i) => `burst-${String(i).padStart(2, "0")}@example.org`);
    const twice = emails.filter((_, i) => i % 10 === 0);
    const outcomes = await Promise.all([...emails, ...twice].map((email) => register(burst, meeting.id, person(email), null)));

    const registered = outcomes.filter((o) => o.kind === "registered");
    assert.equal(registered.length, 60, "one registration per address");
    assert.equal(registered.filter((o) => o.status === "confirmed").length, 10);
    assert.equal(registered.filter((o) => o.status === "waitlisted").length, 50);
    assert.equal(outcomes.filter((o) => o.kind === "already-registered").length, 6, "the other submission of each pair");

    const rows = await db.selectFrom("registrations").selectAll().where("meeting_id", "=", meeting.id).orderBy("id").execute();
    assert.deepEqual(rows.map((r) => r.email).sort(), emails, "none lost, none doubled");
    assert.deepEqual(await rowCounts(db, meeting.id), { pending: 0, confirmed: 10, waitlisted: 50, declined: 0, cancelled: 0 });
    assert.deepEqual(await meetingCounts(db, meeting.id), { confirmed: 10, waitlisted: 50, pending: 0 }, "the meeting's counts match its rows");
    assert.deepEqual(
      rows.slice(0, 10).map((r) => r.status),
      Array(10).fill("confirmed"),
      "places went in the order the registrations were written",
    );
    const history = await db
      .selectFrom("registration_status_changes")
      .select(["registration_id", "from_status", "to_status"])
      .where("registration_id", "in", rows.map((r) => r.id))
      .execute();
    assert.deepEqual(
      history.map((h) => `${h.registration_id} ${h.from_status} ${h.to_status}`).sort(),
      rows.map((r) => `${r.id} null ${r.status}`).sort(),
      "each registration's first status recorded once",
    );

    const mail = await emailsTo(db, emails);
    for (const row of rows) {
      const acknowledgements = mail.filter((m) => m.to_address === row.email && m.template === "registration-received");
      assert.equal(acknowledgements.length, 1, `one acknowledgement to ${row.email}`);
      const [acknowledgement] = acknowledgements;
      if (row.status === "confirmed") {
        assert.equal(acknowledgement!.subject, "Registration confirmed: Burst Workshop");
        assert.match(acknowledgement!.text, /Your place is confirmed/);
        assert.deepEqual(attachedEvents(acknowledgement!), [{ uid: `meeting-${meeting.id}@localhost:3000`, summary: "Burst Workshop" }]);
      } else {
        assert.equal(acknowledgement!.subject, "On the waiting list: Burst Workshop");
        assert.deepEqual(acknowledgement!.attachments, [], `no .ics for ${row.email}, who is waiting`);
      }
      assert.match(acknowledgement!.text, new RegExp(`Dear ${row.first_name},`));
    }

    const manageLinks = mail.filter((m) => m.template === "manage-link");
    assert.deepEqual(manageLinks.map((m) => m.to_address).sort(), twice);
    for (const message of manageLinks) {
      const token = /\/registrations\/([\w-]+)/.exec(message.text)?.[1];
      const row = rows.find((r) => r.email === message.to_address)!;
      assert.deepEqual(hashSecretToken(token!), row.manage_token_hash, `the link emailed to ${row.email} again is the one that works`);
    }
  });

  it("registrations arriving while one is written wait in the process, not on the pool, and are written together in one transaction", async () => {
    const meeting = await addMeeting(db, { capacity: 5 });
    const emails = Array.from({ length: 11 }, (_, i) => `in-line-${String(i).padStart(2, "0")}@example.org`);
    // inLine: one connection waits for the meeting's lock while the ten others wait in the process.
    const outcomes = await whileLocked(db, burst, meeting, () => emails.map((email) => register(burst, meeting.id, person(email), null)));
    assert.equal(outcomes.filter((o) => o.kind === "registered" && o.status === "confirmed").length, 5);
    assert.equal(outcomes.filter((o) => o.kind === "registered" && o.status === "waitlisted").length, 6);
    assert.deepEqual(await meetingCounts(db, meeting.id), { confirmed: 5, waitlisted: 6, pending: 0 });
    // Rows written by one transaction share its id.
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from registrations where meeting_id = ${meeting.id} group by xmin::text order by n`.execute(db);
    assert.deepEqual(
      rows.map((row) => row.n),
      [1, 10],
    );
    assert.equal((await emailsTo(db, emails)).length, 11, "one acknowledgement each");
  });

  it("a registration that cannot be written fails alone: those in line with it are then written each on its own", async () => {
    const meeting = await addMeeting(db, { capacity: 10 });
    const gone = 2_000_000_000; // an account deleted while its owner registered
    let outcomes: Promise<PromiseSettledResult<unknown>[]> | undefined;
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom("meetings").select("id").where("id", "=", meeting.id).forUpdate().execute();
      const first = register(burst, meeting.id, person("line-first@example.org"), null);
      await inLine(db, burst, meeting.id, 1);
      const after = [
        register(burst, meeting.id, person("line-a@example.org"), null),
        register(burst, meeting.id, person("line-gone@example.org"), gone),
        register(burst, meeting.id, person("line-b@example.org"), null),
      ];
      outcomes = Promise.allSettled([first, ...after]);
      await inLine(db, burst, meeting.id, 4);
    });
    const settled = await outcomes!;
    assert.deepEqual(
      settled.map((outcome) => outcome.status),
      ["fulfilled", "fulfilled", "rejected", "fulfilled"],
    );
    assert.match(String((settled[2] as PromiseRejectedResult).reason), /foreign key/);
    const rows = await db.selectFrom("registrations").select(["email", "status"]).where("meeting_id", "=", meeting.id).orderBy("email").execute();
    assert.deepEqual(rows, [
      { email: "line-a@example.org", status: "confirmed" },
      { email: "line-b@example.org", status: "confirmed" },
      { email: "line-first@example.org", status: "confirmed" },
    ]);
    assert.deepEqual(await meetingCounts(db, meeting.id), { confirmed: 3, waitlisted: 0, pending: 0 });
    assert.deepEqual((await emailsTo(db, ["line-first@example.org", "line-a@example.org", "line-gone@example.org", "line-b@example.org"])).map((m) => m.to_address).sort(), [
      "line-a@example.org",
      "line-b@example.org",
      "line-first@example.org",
    ]);
  });

  it("20 at once into a moderated meeting: all pending, acknowledged without an .ics", async () => {
    const meeting = await addMeeting(db, { capacity: 5, registration_policy: "moderated" });
    const emails = Array.from({ length: 20 }, (_, i) => `moderated-${i}@example.org`);
    const outcomes = await Promise.all(emails.map((email) => register(burst, meeting.id, person(email), null)));
    assert.deepEqual(outcomes, Array(20).fill({ kind: "registered", status: "pending" }));
    assert.deepEqual(await meetingCounts(db, meeting.id), { confirmed: 0, waitlisted: 0, pending: 20 });
    const mail = await emailsTo(db, emails);
    assert.equal(mail.length, 20);
    assert.ok(mail.every((m) => m.subject.startsWith("Registration received:") && m.attachments.length === 0));
  });

  it("registrations waiting while an organiser renames the meeting, adds places and an agenda item are written from the meeting as changed", async () => {
    const meeting = await addMeeting(db, { capacity: 2, title: "Before the Change" });
    const emails = Array.from({ length: 8 }, (_, i) => `waiting-${i}@example.org`);
    const registrations = () => emails.map((email) => register(burst, meeting.id, person(email), null));
    const outcomes = await whileLocked(db, burst, meeting, registrations, async (trx) => {
      const at = new Date();
      await trx.updateTable("meetings").set({ title: "After the Change", capacity: 5, updated_at: at, agenda_updated_at: at }).where("id", "=", meeting.id).execute();
      const startsAt = new Date(meeting.starts_at.getTime() + 9 * 3_600_000);
      await trx
        .insertInto("agenda_items")
        .values({ meeting_id: meeting.id, title: "Opening", kind: "session", starts_local: "2000-01-01T09:00", ends_local: "2000-01-01T10:00", starts_at: startsAt, ends_at: new Date(startsAt.getTime() + 3_600_000) })
        .execute();
    });
    assert.equal(outcomes.filter((o) => o.kind === "registered" && o.status === "confirmed").length, 5, "the places added while they waited");
    assert.equal(outcomes.filter((o) => o.kind === "registered" && o.status === "waitlisted").length, 3);
    assert.deepEqual(await meetingCounts(db, meeting.id), { confirmed: 5, waitlisted: 3, pending: 0 });
    const mail = await emailsTo(db, emails);
    assert.equal(mail.length, 8);
    assert.ok(mail.every((m) => m.subject.endsWith(": After the Change")), "the emails name the meeting as it is");
    for (const confirmation of mail.filter((m) => m.subject.startsWith("Registration confirmed"))) {
      assert.deepEqual(attachedEvents(confirmation).map((event) => event.summary).sort(), ["After the Change", "Opening (After the Change)"], "the .ics shows the agenda as it is");
    }
  });

  it("registrations waiting while an organiser closes registration are refused, and none is written", async () => {
    const meeting = await addMeeting(db, { capacity: 10 });
    const emails = Array.from({ length: 6 }, (_, i) => `too-late-${i}@example.org`);
    const registrations = () => emails.map((email) => register(burst, meeting.id, person(email), null));
    const outcomes = await whileLocked(db, burst, meeting, registrations, (trx) => {
      const closed = DateTime.now().setZone(meeting.timezone).minus({ minutes: 1 }).startOf("minute");
      return trx
        .updateTable("meetings")
        .set({ registration_closes_local: closed.toFormat("yyyy-MM-dd'T'HH:mm"), registration_closes_at: closed.toJSDate(), updated_at: new Date() })
        .where("id", "=", meeting.id)
        .execute();
    });
    assert.deepEqual(outcomes, Array(6).fill({ kind: "closed" }));
    assert.deepEqual(await rowCounts(db, meeting.id), { pending: 0, confirmed: 0, waitlisted: 0, declined: 0, cancelled: 0 });
    assert.deepEqual(await emailsTo(db, emails), []);
  });

  it("a registration prepared for a full meeting gets the place freed while it waits, with the .ics", async () => {
    const meeting = await addMeeting(db, { capacity: 1, title: "One Place" });
    assert.deepEqual(await register(burst, meeting.id, person("first@example.org"), null), { kind: "registered", status: "confirmed" });
    const registrations = () => [register(burst, meeting.id, person("second@example.org"), null)];
    const [outcome] = await whileLocked(db, burst, meeting, registrations, (trx) =>
      trx.updateTable("registrations").set({ status: "cancelled" }).where("meeting_id", "=", meeting.id).execute(),
    );
    assert.deepEqual(outcome, { kind: "registered", status: "confirmed" });
    const [confirmation] = await emailsTo(db, ["second@example.org"]);
    assert.equal(confirmation!.subject, "Registration confirmed: One Place");
    assert.deepEqual(attachedEvents(confirmation!), [{ uid: `meeting-${meeting.id}@localhost:3000`, summary: "One Place" }]);
  });
});
