import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { parseRegistrationForm } from "../../app/registration/registration-form.server";
import {
  changeRegistrationStatus,
  findRegistrationByToken,
  register,
} from "../../app/registration/registrations.server";
import type { MeetingMode, RegistrationQuestion, RegistrationStatus } from "../../db/schema";
import { freshDatabase } from "../support/database";
import {
  DAY,
  type FormFields,
  MANAGE_LINK,
  addMeeting,
  assertCountsMatchRows,
  emailsTo,
  manageToken,
  outboxCount,
  registrationForm,
  registrationOf,
} from "../support/registration";

/** The registration core: policies, capacity, the outbox, manage links and the meeting's counts. */

function input(overrides: FormFields = {}, mode: MeetingMode = "in_person", questions: RegistrationQuestion[] = []) {
  const parsed = parseRegistrationForm(registrationForm(overrides), mode, questions);
  if (!parsed.ok) assert.fail(`the form was refused: ${JSON.stringify(parsed.errors)}`);
  return parsed.input;
}

function question(id: number, kind: RegistrationQuestion["kind"], required: boolean, options: string[] = []): RegistrationQuestion {
  return { id, meeting_id: 1, position: id, label: `Question ${id}`, kind, required, options, created_at: new Date() };
}

describe("register", async () => {
  const { db } = await freshDatabase();

  it("confirms under the open policy while places remain, then waitlists", async () => {
    const meeting = await addMeeting(db, { capacity: 2 });
    const outcomes = [];
    for (const email of ["a@example.org", "b@example.org", "c@example.org", "d@example.org"]) {
      outcomes.push(await register(db, meeting.id, input({ email }), null));
      await assertCountsMatchRows(db, meeting.id, `after ${email}`);
    }
    assert.deepEqual(outcomes, [
      { kind: "registered", status: "confirmed" },
      { kind: "registered", status: "confirmed" },
      { kind: "registered", status: "waitlisted" },
      { kind: "registered", status: "waitlisted" },
    ]);
    const counts = await db.selectFrom("meetings").select(["confirmed_count", "waitlisted_count", "pending_count"]).where("id", "=", meeting.id).executeTakeFirstOrThrow();
    assert.deepEqual(counts, { confirmed_count: 2, waitlisted_count: 2, pending_count: 0 });
    const email = (await emailsTo(db, "c@example.org"))[0];
    assert.match(email?.subject ?? "", /^On the waiting list: /);
  });

  it("takes the meeting as the caller read it, and reads it again when it changed since", async () => {
    const meeting = await addMeeting(db, { capacity: 1 });
    assert.deepEqual(await register(db, meeting, input({ email: "as-read@example.org" }), null), { kind: "registered", status: "confirmed" });
    // `meeting` now says one place is free; the row says none: the registration follows the row.
    assert.deepEqual(await register(db, meeting, input({ email: "stale-row@example.org" }), null), { kind: "registered", status: "waitlisted" });
    // An organiser cancels the meeting (an edit stamps updated_at) after the row was read.
    await db.updateTable("meetings").set({ status: "cancelled", cancelled_at: new Date(), updated_at: new Date() }).where("id", "=", meeting.id).execute();
    assert.deepEqual(await register(db, meeting, input({ email: "after-cancelling@example.org" }), null), { kind: "closed" });
    await assertCountsMatchRows(db, meeting.id, "stale rows");
  });

  it("confirms everyone when the meeting has no capacity", async () => {
    const meeting = await addMeeting(db, { capacity: null });
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(await register(db, meeting.id, input({ email: `nolimit${i}@example.org` }), null), { kind: "registered", status: "confirmed" });
    }
    await assertCountsMatchRows(db, meeting.id, "no capacity");
  });

  it("leaves registrations pending under the moderated policy, even with places free", async () => {
    const meeting = await addMeeting(db, { registration_policy: "moderated", capacity: 10 });
    assert.deepEqual(await register(db, meeting.id, input({ email: "moderated@example.org" }), null), { kind: "registered", status: "pending" });
    await assertCountsMatchRows(db, meeting.id, "moderated");
    const [email] = await emailsTo(db, "moderated@example.org");
    assert.match(email?.subject ?? "", /^Registration received: /);
    assert.match(email?.text ?? "", /The organisers will review it/);
  });

  it("refuses an invitation-only meeting without a code, storing and sending nothing", async () => {
    const meeting = await addMeeting(db, { registration_policy: "invitation", kind: "ministerial_conference" });
    const before = await outboxCount(db);
    const outcome = await register(db, meeting.id, input({ email: "uninvited@example.org" }), null);
    assert.equal(outcome.kind, "refused");
    if (outcome.kind !== "refused") return;
    assert.match(outcome.errors.invitationCode ?? "", /by invitation: enter your invitation code/);
    const wrong = await register(db, meeting.id, input({ email: "uninvited@example.org", invitationCode: "NOPE-1234" }), null);
    assert.equal(wrong.kind, "refused");
    if (wrong.kind === "refused") assert.match(wrong.errors.invitationCode ?? "", /not valid/);
    const rows = await db.selectFrom("registrations").select("id").where("meeting_id", "=", meeting.id).execute();
    assert.equal(rows.length, 0);
    assert.equal(await outboxCount(db), before);
    await assertCountsMatchRows(db, meeting.id, "invitation refused");
  });

  it("says closed before registration opens, after it closes, and for drafts and cancelled meetings", async () => {
    const now = new Date();
    const notYet = await addMeeting(db, { registration_opens_at: new Date(now.getTime() + DAY) });
    const over = await addMeeting(db, { registration_opens_at: new Date(now.getTime() - 10 * DAY), registration_closes_at: new Date(now.getTime() - DAY) });
    const draft = await addMeeting(db, { status: "draft", published_at: null });
    const cancelled = await addMeeting(db, { status: "cancelled", cancelled_at: now });
    const before = await outboxCount(db);
    for (const meeting of [notYet, over, draft, cancelled]) {
      assert.deepEqual(await register(db, meeting.id, input({ email: "early-or-late@example.org" }), null, now), { kind: "closed" }, meeting.slug);
      await assertCountsMatchRows(db, meeting.id, meeting.slug);
    }
    assert.equal(await outboxCount(db), before, "no email for a closed registration");
    // The window's edges: open at the opening instant, closed at the closing one.
    const window = await addMeeting(db, { registration_opens_at: new Date("2026-01-10T02:00:00Z"), registration_closes_at: new Date("2026-01-20T10:00:00Z"), starts_on: "2026-02-01", ends_on: "2026-02-02", starts_at: "2026-02-01T00:00:00+07:00", ends_at: "2026-02-03T00:00:00+07:00" });
    assert.deepEqual(await register(db, window.id, input({ email: "edge1@example.org" }), null, new Date("2026-01-10T01:59:59Z")), { kind: "closed" });
    assert.deepEqual(await register(db, window.id, input({ email: "edge1@example.org" }), null, new Date("2026-01-10T02:00:00Z")), { kind: "registered", status: "confirmed" });
    assert.deepEqual(await register(db, window.id, input({ email: "edge2@example.org" }), null, new Date("2026-01-20T10:00:00Z")), { kind: "closed" });
  });

  it("treats the same email twice, in any case, as one registration: re-sends a rotated manage link", async () => {
    const meeting = await addMeeting(db, { capacity: 5 });
    const email = "twice@example.org";
    assert.deepEqual(await register(db, meeting.id, input({ email: "Twice@Example.org" }), null), { kind: "registered", status: "confirmed" });
    const registration = await registrationOf(db, meeting.id, email);
    const [confirmation] = await emailsTo(db, email);
    assert.ok(confirmation);
    const firstToken = manageToken(confirmation.text);
    assert.equal((await findRegistrationByToken(db, firstToken))?.registration.id, registration.id, "the first link opens it");

    const before = await outboxCount(db);
    assert.deepEqual(await register(db, meeting.id, input({ email: "  TWICE@example.ORG ", firstName: "Someone else" }), null), { kind: "already-registered" });
    const rows = await db.selectFrom("registrations").selectAll().where("meeting_id", "=", meeting.id).execute();
    assert.equal(rows.length, 1, "no new row");
    assert.equal(rows[0]?.first_name, "Siriporn", "nothing about the registration changed");
    assert.equal(await outboxCount(db), before + 1, "one email: the manage link");
    const resent = (await emailsTo(db, email)).at(-1);
    assert.equal(resent?.template, "manage-link");
    assert.match(resent?.subject ?? "", /^Your registration: /);
    assert.match(resent?.text ?? "", /already registered .* \(status: Confirmed\)/);
    const secondToken = manageToken(resent?.text ?? "");
    assert.notEqual(secondToken, firstToken);
    assert.equal(await findRegistrationByToken(db, firstToken), undefined, "the old link no longer opens it");
    assert.equal((await findRegistrationByToken(db, secondToken))?.registration.id, registration.id, "the new link does");
    await assertCountsMatchRows(db, meeting.id, "after the second attempt");

    // The database holds the rule too: a second row for the same meeting and address is refused.
    await assert.rejects(
      sql`insert into registrations (meeting_id, email, first_name, last_name, organisation, country, gender, category, attendance_mode, status, manage_token_hash, consent_at)
          values (${meeting.id}, ${email}, 'X', 'Y', 'Z', 'TH', 'male', 'expert', 'in_person', 'confirmed', ${Buffer.alloc(32, 7)}, now())`.execute(db),
      /registrations_meeting_email_key/,
    );
    await assert.rejects(
      sql`insert into registrations (meeting_id, email, first_name, last_name, organisation, country, gender, category, attendance_mode, status, manage_token_hash, consent_at)
          values (${meeting.id}, 'TWICE@example.org', 'X', 'Y', 'Z', 'TH', 'male', 'expert', 'in_person', 'confirmed', ${Buffer.alloc(32, 8)}, now())`.execute(db),
      /check constraint/,
      "emails are stored in lower case only",
    );
  });

  it("queues exactly one email per registration, in the registration's own transaction", async () => {
    const meeting = await addMeeting(db, { capacity: 1 });
    for (const [i, expected] of (["confirmed", "waitlisted"] as const).entries()) {
      const email = `one-email-${i}@example.org`;
      const before = await outboxCount(db);
      assert.deepEqual(await register(db, meeting.id, input({ email }), null), { kind: "registered", status: expected });
      assert.equal(await outboxCount(db), before + 1);
      const [message] = await emailsTo(db, email);
      assert.equal(message?.template, "registration-received");
      assert.match(message?.text ?? "", MANAGE_LINK);
      assert.match(message?.text ?? "", /Dates: .*Bangkok time/);
    }
    // When the email cannot be queued, the registration is not kept either.
    await sql`create function refuse_outbox() returns trigger language plpgsql as $$ begin raise exception 'outbox refused for the test'; end $$`.execute(db);
    await sql`create trigger refuse_outbox before insert on outbox for each row execute function refuse_outbox()`.execute(db);
    try {
      await assert.rejects(register(db, meeting.id, input({ email: "no-mail@example.org" }), null), /outbox refused for the test/);
    } finally {
      await sql`drop trigger refuse_outbox on outbox`.execute(db);
      await sql`drop function refuse_outbox()`.execute(db);
    }
    const lost = await db.selectFrom("registrations").select("id").where("email", "=", "no-mail@example.org").execute();
    assert.equal(lost.length, 0, "no registration without its email");
    await assertCountsMatchRows(db, meeting.id, "after the refused email");
  });

  it("records each status change, with who made it", async () => {
    const meeting = await addMeeting(db, { registration_policy: "moderated", capacity: 3 });
    const organiser = await db.insertInto("users").values({ email: "history-organiser@example.org", role: "administrator" }).returning("id").executeTakeFirstOrThrow();
    await register(db, meeting.id, input({ email: "history@example.org" }), null);
    const registration = await registrationOf(db, meeting.id, "history@example.org");
    assert.deepEqual(await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: registration.id, to: "confirmed", by: organiser.id }), { ok: true, changed: true });
    assert.deepEqual(await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: registration.id, to: "confirmed", by: organiser.id }), { ok: true, changed: false }, "no change, no record");
    assert.deepEqual(
      await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: registration.id, to: "cancelled", by: null, byParticipant: true }),
      { ok: true, changed: true },
    );
    const history = await db
      .selectFrom("registration_status_changes")
      .select(["from_status", "to_status", "changed_by", "note"])
      .where("registration_id", "=", registration.id)
      .orderBy("id")
      .execute();
    assert.deepEqual(history, [
      { from_status: null, to_status: "pending", changed_by: null, note: null },
      { from_status: "pending", to_status: "confirmed", changed_by: organiser.id, note: null },
      { from_status: "confirmed", to_status: "cancelled", changed_by: null, note: "by the participant" },
    ]);
    await assertCountsMatchRows(db, meeting.id, "history");
  });
});

describe("changeRegistrationStatus", async () => {
  const { db } = await freshDatabase();

  it("refuses to confirm when the meeting is full, with a message, and changes nothing", async () => {
    const meeting = await addMeeting(db, { registration_policy: "moderated", capacity: 1 });
    await register(db, meeting.id, input({ email: "first@example.org" }), null);
    await register(db, meeting.id, input({ email: "second@example.org" }), null);
    await assertCountsMatchRows(db, meeting.id, "two pending");
    const first = await registrationOf(db, meeting.id, "first@example.org");
    const second = await registrationOf(db, meeting.id, "second@example.org");
    assert.deepEqual(await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: first.id, to: "confirmed", by: null }), { ok: true, changed: true });
    await assertCountsMatchRows(db, meeting.id, "one confirmed");
    const before = await outboxCount(db);
    const refused = await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: second.id, to: "confirmed", by: null });
    assert.equal(refused.ok, false);
    if (!refused.ok) assert.match(refused.message, /No places left \(1 of 1 confirmed\)/);
    assert.equal((await registrationOf(db, meeting.id, "second@example.org")).status, "pending");
    assert.equal(await outboxCount(db), before, "no email for a refused change");
    await assertCountsMatchRows(db, meeting.id, "refused");
    // Waitlisting instead is allowed.
    assert.deepEqual(await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: second.id, to: "waitlisted", by: null }), { ok: true, changed: true });
    await assertCountsMatchRows(db, meeting.id, "waitlisted instead");
  });

  it("refuses a registration of another meeting", async () => {
    const one = await addMeeting(db);
    const other = await addMeeting(db);
    await register(db, one.id, input({ email: "elsewhere@example.org" }), null);
    const registration = await registrationOf(db, one.id, "elsewhere@example.org");
    const result = await changeRegistrationStatus(db, { meetingId: other.id, registrationId: registration.id, to: "cancelled", by: null });
    assert.deepEqual(result, { ok: false, message: "No such registration for this meeting." });
  });

  it("promotes the oldest waitlisted person when a confirmed place is cancelled, and emails them", async () => {
    const meeting = await addMeeting(db, { capacity: 2 });
    const people = ["p1", "p2", "w1", "w2", "w3"].map((name) => `${name}@example.org`);
    for (const email of people) await register(db, meeting.id, input({ email }), null);
    await assertCountsMatchRows(db, meeting.id, "2 confirmed, 3 waitlisted");
    // w2 is made older than w1: order is by when they registered, not by id.
    await sql`update registrations set created_at = now() - interval '1 day' where meeting_id = ${meeting.id} and email = 'w2@example.org'`.execute(db);

    const p1 = await registrationOf(db, meeting.id, "p1@example.org");
    const before = await outboxCount(db);
    assert.deepEqual(await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: p1.id, to: "cancelled", by: null, byParticipant: true }), { ok: true, changed: true });
    await assertCountsMatchRows(db, meeting.id, "after the cancellation");
    const statuses = Object.fromEntries(
      (await db.selectFrom("registrations").select(["email", "status"]).where("meeting_id", "=", meeting.id).execute()).map((r) => [r.email, r.status]),
    );
    assert.deepEqual(statuses, {
      "p1@example.org": "cancelled",
      "p2@example.org": "confirmed",
      "w1@example.org": "waitlisted",
      "w2@example.org": "confirmed",
      "w3@example.org": "waitlisted",
    });
    assert.equal(await outboxCount(db), before + 2, "the cancelled person and the promoted one");

    const promoted = (await emailsTo(db, "w2@example.org")).at(-1);
    assert.equal(promoted?.template, "registration-status-changed");
    assert.match(promoted?.subject ?? "", /^Registration confirmed: /);
    assert.match(promoted?.text ?? "", /A place has become free: your place is now confirmed\./);
    const promotedToken = manageToken(promoted?.text ?? "");
    assert.equal((await findRegistrationByToken(db, promotedToken))?.registration.email, "w2@example.org");
    const history = await db
      .selectFrom("registration_status_changes")
      .innerJoin("registrations", "registrations.id", "registration_status_changes.registration_id")
      .select(["from_status", "to_status"])
      .where("registrations.email", "=", "w2@example.org")
      .where("registrations.meeting_id", "=", meeting.id)
      .orderBy("registration_status_changes.id")
      .execute();
    assert.deepEqual(history, [
      { from_status: null, to_status: "waitlisted" },
      { from_status: "waitlisted", to_status: "confirmed" },
    ]);

    const cancelled = (await emailsTo(db, "p1@example.org")).at(-1);
    assert.match(cancelled?.subject ?? "", /^Registration cancelled: /);
    assert.match(cancelled?.text ?? "", /As you asked, your registration has been cancelled/);
  });

  /** What changed and who was emailed since `sinceChange` and `sinceMail` (the largest ids before). */
  async function changesAndMail(meetingId: number, sinceChange: number, sinceMail: string) {
    const changes = await db
      .selectFrom("registration_status_changes")
      .innerJoin("registrations", "registrations.id", "registration_status_changes.registration_id")
      .select(["registrations.email", "from_status", "to_status"])
      .where("registrations.meeting_id", "=", meetingId)
      .where("registration_status_changes.id", ">", sinceChange)
      .orderBy("registration_status_changes.id")
      .execute();
    const mail = await db.selectFrom("outbox").select(["to_address", "template", "subject"]).where("id", ">", sinceMail).orderBy("id").execute();
    return { changes: changes.map((c) => `${c.email}: ${c.from_status} → ${c.to_status}`), mail };
  }
  async function lastIds() {
    const change = await db.selectFrom("registration_status_changes").select((eb) => eb.fn.max("id").as("id")).executeTakeFirstOrThrow();
    const mail = await db.selectFrom("outbox").select((eb) => eb.fn.max("id").as("id")).executeTakeFirstOrThrow();
    return [Number(change.id ?? 0), String(mail.id ?? 0)] as const;
  }

  it("promotes only when a confirmed place is cancelled or declined, with exactly one email per change", async () => {
    const meeting = await addMeeting(db, { capacity: 1 });
    for (const email of ["seated@example.org", "first-waiting@example.org", "second-waiting@example.org"]) await register(db, meeting.id, input({ email }), null);
    const seated = await registrationOf(db, meeting.id, "seated@example.org");
    const change = (to: RegistrationStatus) => changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: seated.id, to, by: null });

    // Back to pending: the organisers reconsider this person; the place is not handed on.
    let [sinceChange, sinceMail] = await lastIds();
    assert.deepEqual(await change("pending"), { ok: true, changed: true });
    let since = await changesAndMail(meeting.id, sinceChange, sinceMail);
    assert.deepEqual(since.changes, ["seated@example.org: confirmed → pending"]);
    assert.deepEqual(since.mail.map((m) => m.to_address), ["seated@example.org"]);
    assert.equal((await registrationOf(db, meeting.id, "first-waiting@example.org")).status, "waitlisted");
    await assertCountsMatchRows(db, meeting.id, "confirmed → pending");

    // Confirmed again (the place is free); then declined: the place goes to the first waiting, and only to them.
    assert.deepEqual(await change("confirmed"), { ok: true, changed: true });
    [sinceChange, sinceMail] = await lastIds();
    assert.deepEqual(await change("declined"), { ok: true, changed: true });
    since = await changesAndMail(meeting.id, sinceChange, sinceMail);
    assert.deepEqual(since.changes, ["seated@example.org: confirmed → declined", "first-waiting@example.org: waitlisted → confirmed"]);
    assert.deepEqual(
      since.mail.map((m) => [m.to_address, m.template, m.subject.replace(/:.*/, "")]),
      [
        ["seated@example.org", "registration-status-changed", "Registration not accepted"],
        ["first-waiting@example.org", "registration-status-changed", "Registration confirmed"],
      ],
      "one email for each change, none for the second person waiting",
    );
    assert.equal((await registrationOf(db, meeting.id, "second-waiting@example.org")).status, "waitlisted");
    await assertCountsMatchRows(db, meeting.id, "declined, one promoted");

    // Declined again, or confirmed into a full meeting: nothing happens, nobody is emailed.
    [sinceChange, sinceMail] = await lastIds();
    assert.deepEqual(await change("declined"), { ok: true, changed: false });
    assert.equal((await change("confirmed")).ok, false);
    since = await changesAndMail(meeting.id, sinceChange, sinceMail);
    assert.deepEqual([since.changes, since.mail], [[], []]);
  });

  it("does not move a confirmed place to the waiting list, where its holder would be first in line for it again", async () => {
    const meeting = await addMeeting(db, { capacity: 1 });
    // The confirmed person registered first: on the waiting list they would be its oldest entry.
    for (const email of ["holder@example.org", "next@example.org"]) await register(db, meeting.id, input({ email }), null);
    const holder = await registrationOf(db, meeting.id, "holder@example.org");
    const [sinceChange, sinceMail] = await lastIds();
    const result = await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: holder.id, to: "waitlisted", by: null });
    assert.equal(result.ok, false);
    assert.match(result.ok ? "" : result.message, /not moved to the waiting list.*Cancel or decline it instead/);
    assert.equal((await registrationOf(db, meeting.id, "holder@example.org")).status, "confirmed");
    assert.equal((await registrationOf(db, meeting.id, "next@example.org")).status, "waitlisted");
    const since = await changesAndMail(meeting.id, sinceChange, sinceMail);
    assert.deepEqual([since.changes, since.mail], [[], []], "no change recorded, nobody emailed");
  });

  it("promotes no one when a waitlisted or pending registration is cancelled", async () => {
    const meeting = await addMeeting(db, { capacity: 1 });
    for (const email of ["q1@example.org", "q2@example.org", "q3@example.org"]) await register(db, meeting.id, input({ email }), null);
    const q2 = await registrationOf(db, meeting.id, "q2@example.org");
    await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: q2.id, to: "cancelled", by: null });
    assert.equal((await registrationOf(db, meeting.id, "q3@example.org")).status, "waitlisted");
    await assertCountsMatchRows(db, meeting.id, "waitlisted cancelled");
  });

  it("sends declined and cancelled emails without a manage link, and the old link stops working", async () => {
    const meeting = await addMeeting(db, { registration_policy: "moderated", capacity: 5 });
    await register(db, meeting.id, input({ email: "declined@example.org" }), null);
    await register(db, meeting.id, input({ email: "cancelled-by-organiser@example.org" }), null);
    const declined = await registrationOf(db, meeting.id, "declined@example.org");
    const cancelled = await registrationOf(db, meeting.id, "cancelled-by-organiser@example.org");
    const declinedToken = manageToken((await emailsTo(db, "declined@example.org"))[0]?.text ?? "");
    assert.ok(await findRegistrationByToken(db, declinedToken));

    await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: declined.id, to: "declined", by: null });
    await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: cancelled.id, to: "confirmed", by: null });
    await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: cancelled.id, to: "cancelled", by: null });
    await assertCountsMatchRows(db, meeting.id, "declined and cancelled");

    const declinedEmail = (await emailsTo(db, "declined@example.org")).at(-1);
    assert.match(declinedEmail?.subject ?? "", /^Registration not accepted: /);
    const cancelledEmail = (await emailsTo(db, "cancelled-by-organiser@example.org")).at(-1);
    assert.match(cancelledEmail?.subject ?? "", /^Registration cancelled: /);
    assert.match(cancelledEmail?.text ?? "", /The organisers have cancelled your registration/);
    for (const email of [declinedEmail, cancelledEmail]) {
      assert.doesNotMatch(email?.text ?? "", /\/registrations\//, "no manage link in the text");
      assert.doesNotMatch(email?.html ?? "", /\/registrations\//, "no manage link in the HTML");
    }
    // The confirmation in between carried a link; the statuses' emails before it did too.
    const confirmedEmail = (await emailsTo(db, "cancelled-by-organiser@example.org")).find((m) => m.subject.startsWith("Registration confirmed"));
    assert.match(confirmedEmail?.text ?? "", MANAGE_LINK);
    // The declined person's earlier link still opens the (declined) registration read-only: it was not rotated.
    assert.equal((await findRegistrationByToken(db, declinedToken))?.registration.status, "declined");
  });

  it("keeps the counts exact through every kind of change", async () => {
    const meeting = await addMeeting(db, { registration_policy: "moderated", capacity: 2 });
    const emails = ["k1", "k2", "k3", "k4"].map((n) => `${n}@example.org`);
    for (const email of emails) await register(db, meeting.id, input({ email }), null);
    const ids = await Promise.all(emails.map(async (email) => (await registrationOf(db, meeting.id, email)).id));
    const steps: [number, RegistrationStatus][] = [
      [ids[0]!, "confirmed"],
      [ids[1]!, "waitlisted"],
      [ids[2]!, "confirmed"],
      [ids[3]!, "declined"],
      [ids[0]!, "pending"],
      [ids[2]!, "cancelled"],
      [ids[1]!, "pending"],
      [ids[3]!, "confirmed"],
    ];
    for (const [id, to] of steps) {
      const result = await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: id, to, by: null });
      assert.equal(result.ok, true, `${id} → ${to}`);
      await assertCountsMatchRows(db, meeting.id, `${id} → ${to}`);
    }
    // Deleting rows (e.g. a meeting's registration removed by hand) keeps them too.
    await db.deleteFrom("registrations").where("id", "=", ids[3]!).execute();
    await assertCountsMatchRows(db, meeting.id, "after a delete");
  });

  it("has the database refuse an overbooking update, whatever the code does", async () => {
    const meeting = await addMeeting(db, { capacity: 1 });
    await register(db, meeting.id, input({ email: "seat@example.org" }), null);
    await register(db, meeting.id, input({ email: "queue@example.org" }), null);
    const queued = await registrationOf(db, meeting.id, "queue@example.org");
    assert.equal(queued.status, "waitlisted");
    await assert.rejects(
      sql`update registrations set status = 'confirmed' where id = ${queued.id}`.execute(db),
      /meetings_capacity_holds/,
    );
    await assert.rejects(
      sql`insert into registrations (meeting_id, email, first_name, last_name, organisation, country, gender, category, attendance_mode, status, manage_token_hash, consent_at)
          values (${meeting.id}, 'sneaky@example.org', 'X', 'Y', 'Z', 'TH', 'male', 'expert', 'in_person', 'confirmed', ${Buffer.alloc(32, 9)}, now())`.execute(db),
      /meetings_capacity_holds/,
    );
    await assert.rejects(
      sql`update meetings set confirmed_count = confirmed_count + 1 where id = ${meeting.id}`.execute(db),
      /meetings_capacity_holds/,
      "nor can the count itself be pushed past the capacity",
    );
    assert.equal((await registrationOf(db, meeting.id, "queue@example.org")).status, "waitlisted");
    await assertCountsMatchRows(db, meeting.id, "after the refused updates");
  });
});

describe("parseRegistrationForm", () => {
  const questions = [
    question(11, "single_choice", true, ["Plenary", "Field visit"]),
    question(12, "multiple_choice", false, ["Spectrum", "Backhaul", "Financing"]),
    question(13, "yes_no", true),
    question(14, "short_text", false),
    question(15, "long_text", true),
  ];
  const answered = { "question-11": "Field visit", "question-12": ["Spectrum", "Financing", "Spectrum"], "question-13": "no", "question-15": "Our pilot in Sindh." };

  it("accepts a complete form, normalising email and country, with the answers", () => {
    const result = parseRegistrationForm(registrationForm({ ...answered, email: " Siriporn@Example.ORG ", country: "th" }), "in_person", questions);
    assert.equal(result.ok, true);
    if (!result.ok) return;
    assert.equal(result.input.email, "siriporn@example.org");
    assert.equal(result.input.country, "TH");
    assert.equal(result.input.attendanceMode, "in_person");
    assert.equal(result.input.jobTitle, "Director");
    assert.equal(result.input.needs, null, "empty text is null");
    assert.deepEqual(result.input.answers, { "11": "Field visit", "12": ["Spectrum", "Financing"], "13": "no", "15": "Our pilot in Sindh." });
  });

  /** Each bad field is refused with its own message; the other fields stay valid, and what was typed is kept. */
  const cases: [string, FormFields, string, RegExp][] = [
    ["a bad email", { email: "not-an-email" }, "email", /An email address/],
    ["a missing email", { email: undefined }, "email", /Give your email address/],
    ["an unknown country", { country: "XX" }, "country", /Choose your country from the list/],
    ["a three-letter country", { country: "THA" }, "country", /Choose your country from the list/],
    ["an unknown category", { category: "astronaut" }, "category", /Choose the category/],
    ["an unknown gender", { gender: "robot" }, "gender", /Choose one/],
    ["an unknown salutation", { salutation: "Lord" }, "salutation", /Choose a salutation/],
    ["a missing consent", { consent: undefined }, "consent", /accept the privacy notice/],
    ["a consent with another value", { consent: "maybe" }, "consent", /accept the privacy notice/],
    ["a missing first name", { firstName: "   " }, "firstName", /Give your first name/],
    ["an over-long first name", { firstName: "x".repeat(101) }, "firstName", /At most 100 characters/],
    ["an over-long organisation", { organisation: "x".repeat(201) }, "organisation", /At most 200 characters/],
    ["an over-long job title", { jobTitle: "x".repeat(201) }, "jobTitle", /At most 200 characters/],
    ["over-long needs", { needs: "x".repeat(1001) }, "needs", /At most 1000 characters/],
    ["an over-long email", { email: `${"x".repeat(250)}@example.org` }, "email", /At most 254 characters|An email address/],
    ["an unknown time zone", { timezone: "Mars/Base" }, "timezone", /Not a time zone/],
    ["an unknown single-choice answer", { "question-11": "Karaoke" }, "question-11", /Choose one of the options/],
    ["an unknown multiple-choice answer", { "question-12": ["Spectrum", "Satellites"] }, "question-12", /Choose among the options/],
    ["a yes/no answer that is neither", { "question-13": "perhaps" }, "question-13", /Answer yes or no/],
    ["a missing required choice", { "question-11": undefined }, "question-11", /This question needs an answer/],
    ["a missing required yes/no", { "question-13": "" }, "question-13", /This question needs an answer/],
    ["a missing required long text", { "question-15": "  " }, "question-15", /This question needs an answer/],
    ["an over-long short text", { "question-14": "x".repeat(301) }, "question-14", /At most 300 characters/],
    ["an over-long long text", { "question-15": "x".repeat(5001) }, "question-15", /At most 5000 characters/],
  ];
  for (const [what, overrides, field, message] of cases) {
    it(`refuses ${what} next to its field, keeping the values`, () => {
      const result = parseRegistrationForm(registrationForm({ ...answered, ...overrides }), "in_person", questions);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.deepEqual(Object.keys(result.errors), [field], `only ${field} is wrong`);
      assert.match(result.errors[field] ?? "", message);
      assert.equal(result.values.firstName, typeof overrides.firstName === "string" ? overrides.firstName : "Siriporn");
      assert.equal(result.values.organisation, typeof overrides.organisation === "string" ? overrides.organisation : "Ministry of Digital Economy and Society");
      const typed = overrides[field];
      if (typeof typed === "string") assert.equal(result.values[field], typed, "the refused value is kept as typed");
    });
  }

  it("reports every wrong field at once", () => {
    const result = parseRegistrationForm(
      registrationForm({ email: "nope", country: "XX", gender: "robot", category: "astronaut", consent: undefined, firstName: "" }),
      "hybrid",
      questions,
    );
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(Object.keys(result.errors).sort(), [
      "attendanceMode",
      "category",
      "consent",
      "country",
      "email",
      "firstName",
      "gender",
      "question-11",
      "question-13",
      "question-15",
    ]);
    assert.equal(result.values.email, "nope");
    assert.equal(result.values.country, "XX");
    assert.equal(result.values.lastName, "Chaiyaporn");
  });

  it("keeps every ticked box of a multiple-choice question when refusing", () => {
    const result = parseRegistrationForm(registrationForm({ ...answered, email: "bad", "question-12": ["Spectrum", "Backhaul"] }), "in_person", questions);
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.values["question-12"], "Spectrum\nBackhaul");
  });

  it("asks for the attendance mode only for hybrid meetings", () => {
    const hybrid = parseRegistrationForm(registrationForm(), "hybrid", []);
    assert.equal(hybrid.ok, false);
    if (!hybrid.ok) assert.deepEqual(hybrid.errors, { attendanceMode: "Choose whether you attend in person or online" });
    const badMode = parseRegistrationForm(registrationForm({ attendanceMode: "by-carrier-pigeon" }), "hybrid", []);
    assert.equal(badMode.ok, false);
    if (!badMode.ok) assert.ok(badMode.errors.attendanceMode);
    assert.equal(input({ attendanceMode: "online" }, "hybrid").attendanceMode, "online");
    assert.equal(input({ attendanceMode: "in_person" }, "hybrid").attendanceMode, "in_person");
    assert.equal(input({}, "in_person").attendanceMode, "in_person");
    assert.equal(input({}, "online").attendanceMode, "online");
    assert.equal(input({ attendanceMode: "online" }, "in_person").attendanceMode, "in_person", "an in-person meeting is attended in person");
  });
});
