import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { Kysely } from "kysely";
import { isoInstant } from "../../app/lib/time";
import { parseRegistrationForm } from "../../app/registration/registration-form.server";
import { changeRegistrationStatus, register } from "../../app/registration/registrations.server";
import { createDatabase } from "../../db/connection.server";
import type { Database, Meeting } from "../../db/schema";
import { freshDatabase } from "../support/database";
import {
  addMeeting,
  assertCountsMatchRows,
  meetingCounts,
  registeredRedirect,
  registrationBody,
  registrationForm,
  rowCounts,
} from "../support/registration";

/**
 * Capacity under load: many registrations at once into one meeting, through the domain with a
 * wide connection pool (so that they really contend in PostgreSQL), and through the built app.
 */

const PEOPLE = 200;
/** Of whom this many also submit a second time, in upper case, in the same burst. */
const TWICE = 40;
const PLACES = 50;

function inputFor(email: string) {
  const parsed = parseRegistrationForm(registrationForm({ email, firstName: email.split("@")[0] }), "in_person", []);
  if (!parsed.ok) assert.fail(JSON.stringify(parsed.errors));
  return parsed.input;
}

async function registrationsOf(db: Kysely<Database>, meeting: Meeting) {
  return db
    .selectFrom("registrations")
    .select(["id", "email", "status", "created_at", "manage_token_hash"])
    .where("meeting_id", "=", meeting.id)
    .orderBy("id")
    .execute();
}

describe("capacity under concurrent registrations", async () => {
  // Registered before freshDatabase's own cleanup, so the pool closes before the database is dropped.
  let wide: Kysely<Database> | undefined;
  after(async () => {
    await wide?.destroy();
  });
  const { url } = await freshDatabase();
  wide = createDatabase(url, 20);
  const db = wide;
  const meeting = await addMeeting(db, { capacity: PLACES, title: "Concurrency Workshop" });
  const emails = Array.from({ length: PEOPLE }, (_, i) => `burst-${String(i).padStart(3, "0")}@example.org`);

  it(`${PEOPLE} people register at once (${TWICE} of them twice) into ${PLACES} places: exactly ${PLACES} confirmed, the rest waitlisted, none lost or doubled`, async () => {
    // Some submit twice (in upper case), in the same burst: one attempt registers, the other is told it is already registered.
    const attempts = [...emails, ...emails.slice(0, TWICE).map((email) => email.toUpperCase())];
    const outcomes = await Promise.all(attempts.map((email) => register(db, meeting.id, inputFor(email.toLowerCase()), null)));
    const registered = outcomes.filter((o) => o.kind === "registered");
    assert.equal(registered.length, PEOPLE, "one registration per address");
    assert.equal(outcomes.filter((o) => o.kind === "already-registered").length, TWICE, "the other attempt of each pair");
    assert.equal(registered.filter((o) => o.status === "confirmed").length, PLACES);
    assert.equal(registered.filter((o) => o.status === "waitlisted").length, PEOPLE - PLACES);

    const rows = await registrationsOf(db, meeting);
    assert.equal(rows.length, PEOPLE, "none lost");
    assert.equal(new Set(rows.map((r) => r.email)).size, PEOPLE, "none duplicated");
    assert.deepEqual(new Set(rows.map((r) => r.email)), new Set(emails));
    assert.equal(new Set(rows.map((r) => r.manage_token_hash.toString("hex"))).size, PEOPLE, "each its own manage link");
    assert.deepEqual(await rowCounts(db, meeting.id), { pending: 0, confirmed: PLACES, waitlisted: PEOPLE - PLACES, declined: 0, cancelled: 0 });
    assert.deepEqual(await meetingCounts(db, meeting.id), { confirmed: PLACES, waitlisted: PEOPLE - PLACES, pending: 0 });
    // Registrations took the meeting's lock one after another: the first fifty rows written are the confirmed ones.
    assert.deepEqual(
      rows.slice(0, PLACES).map((r) => r.status),
      Array(PLACES).fill("confirmed"),
      "places went in the order the registrations were written",
    );

    const mail = await db
      .selectFrom("outbox")
      .select(["to_address", "template"])
      .where("to_address", "like", "burst-%")
      .execute();
    assert.equal(mail.filter((m) => m.template === "registration-received").length, PEOPLE, "one confirmation each");
    assert.equal(mail.filter((m) => m.template === "manage-link").length, TWICE, "one manage link for each second attempt");
    assert.equal(new Set(mail.filter((m) => m.template === "registration-received").map((m) => m.to_address)).size, PEOPLE);
    const history = await db
      .selectFrom("registration_status_changes")
      .innerJoin("registrations", "registrations.id", "registration_status_changes.registration_id")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("registrations.meeting_id", "=", meeting.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(history.n), PEOPLE);
  });

  it(`${PLACES} cancellations at once promote exactly ${PLACES} from the waiting list, oldest first`, async () => {
    const before = await registrationsOf(db, meeting);
    const confirmed = before.filter((r) => r.status === "confirmed");
    // Ordered by PostgreSQL, whose timestamps have microseconds: JavaScript's Dates keep milliseconds, and two rows written in one millisecond would tie.
    const oldestWaiting = (
      await db
        .selectFrom("registrations")
        .select("email")
        .where("meeting_id", "=", meeting.id)
        .where("status", "=", "waitlisted")
        .orderBy("created_at")
        .orderBy("id")
        .limit(PLACES)
        .execute()
    )
      .map((r) => r.email)
      .sort();
    assert.equal(confirmed.length, PLACES);

    const results = await Promise.all(
      confirmed.map((r) => changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: r.id, to: "cancelled", by: null, byParticipant: true })),
    );
    assert.ok(results.every((r) => r.ok && r.changed), "every cancellation went through");

    const rows = await registrationsOf(db, meeting);
    assert.equal(rows.length, PEOPLE);
    const nowConfirmed = rows.filter((r) => r.status === "confirmed").map((r) => r.email).sort();
    assert.deepEqual(nowConfirmed, oldestWaiting, "the oldest fifty on the waiting list got the places");
    assert.deepEqual(await rowCounts(db, meeting.id), {
      pending: 0,
      confirmed: PLACES,
      waitlisted: PEOPLE - 2 * PLACES,
      declined: 0,
      cancelled: PLACES,
    });
    await assertCountsMatchRows(db, meeting.id, "after the cancellations");
    const promotedMail = await db
      .selectFrom("outbox")
      .select("to_address")
      .where("to_address", "in", oldestWaiting)
      .where("subject", "like", "Registration confirmed:%")
      .execute();
    assert.deepEqual(promotedMail.map((m) => m.to_address).sort(), oldestWaiting, "each promoted person is emailed once");
  });

  it("mixed concurrent changes keep the counts exact and within capacity", async () => {
    const rows = await registrationsOf(db, meeting);
    const waiting = rows.filter((r) => r.status === "waitlisted");
    const confirmed = rows.filter((r) => r.status === "confirmed");
    // Organisers try to confirm everyone waiting while participants cancel and others register.
    const results = await Promise.all([
      ...waiting.map((r) => changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: r.id, to: "confirmed", by: null })),
      ...confirmed.slice(0, 10).map((r) => changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: r.id, to: "cancelled", by: null })),
      ...Array.from({ length: 20 }, (_, i) => register(db, meeting.id, inputFor(`late-${i}@example.org`), null)),
    ]);
    assert.equal(results.length, waiting.length + 30);
    const counts = await meetingCounts(db, meeting.id);
    assert.equal(counts.confirmed, PLACES, "full again, never over");
    await assertCountsMatchRows(db, meeting.id, "after the mixed changes");
  });
});

const built = existsSync(path.resolve("build/index.js"));

describe("the API's registration counts, through the built app", { skip: built ? false : "no build: run `npm test -- db http`" }, () => {
  it("reflect concurrent registrations and changes at once", async () => {
    // Imported here: the built app is there only when the http suite runs.
    const { startApp } = await import("../http/app");
    const { db, request, thanksPage } = await startApp();
    const meeting = await addMeeting(db, { capacity: 20, title: "API Counts Workshop" });
    const api = async () => {
      const response = await request(`/api/v1/meetings/${meeting.slug}`);
      assert.equal(response.status, 200);
      return (response.json() as { registration: Record<string, unknown> }).registration;
    };
    assert.deepEqual(await api(), {
      policy: "open",
      opensAt: meeting.registration_opens_at ? isoInstant(meeting.registration_opens_at) : null,
      closesAt: null,
      isOpen: true,
      capacity: 20,
      confirmed: 0,
      waitlisted: 0,
      pending: 0,
    });

    // 30 people submit the form at the same moment, and each reads the thanks it is sent to.
    const answers = await Promise.all(
      Array.from({ length: 30 }, async (_, i) =>
        thanksPage(
          await request(`/meetings/${meeting.slug}/register`, {
            method: "POST",
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
            body: registrationBody({ email: `api-${i}@example.org` }),
          }),
        ),
      ),
    );
    assert.deepEqual(answers.map((a) => a.status), Array(30).fill(200));
    assert.equal(answers.filter((a) => a.body.includes("Your place is confirmed.")).length, 20);
    assert.equal(answers.filter((a) => a.body.includes("you are on the waiting list")).length, 10);
    const full = await api();
    assert.deepEqual([full.confirmed, full.waitlisted, full.pending], [20, 10, 0]);

    // A cancellation promotes someone: the API says so on the next request.
    const first = await db.selectFrom("registrations").select("id").where("meeting_id", "=", meeting.id).where("status", "=", "confirmed").orderBy("id").executeTakeFirstOrThrow();
    await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: first.id, to: "cancelled", by: null });
    const afterCancel = await api();
    assert.equal(afterCancel.confirmed, 20);
    assert.equal(afterCancel.waitlisted, 9);

    // Moderated: pending counts.
    await db.updateTable("meetings").set({ registration_policy: "moderated" }).where("id", "=", meeting.id).execute();
    const pending = await request(`/meetings/${meeting.slug}/register`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: registrationBody({ email: "api-moderated@example.org" }),
    });
    registeredRedirect(pending);
    const moderated = await api();
    assert.equal(moderated.policy, "moderated");
    assert.equal(moderated.pending, 1);

    // Registration closed: isOpen follows at once.
    await db.updateTable("meetings").set({ status: "cancelled", cancelled_at: new Date() }).where("id", "=", meeting.id).execute();
    assert.equal((await api()).isOpen, false);
  });
});
