import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Kysely, sql } from "kysely";
import { DateTime } from "luxon";
import { attendanceReport, publicParticipation, whoAttended } from "../../app/attendance/attendance-report.server";
import { grantMeetingRole } from "../../app/accounts/roles.server";
import { reissueBadge } from "../../app/attendance/check-in-reference.server";
import { deleteAccount, purgeMeeting } from "../../app/personal-data/erasure.server";
import { inviteByEmail } from "../../app/registration/invitations.server";
import { changeRegistrationStatus } from "../../app/registration/registrations.server";
import { personalData } from "../../app/personal-data/export.server";
import { emailAddress } from "../../app/lib/form";
import { loadDemoData } from "../../db/demo-data";
import { enqueueEmail } from "../../emails/outbox.server";
import type { Database, Meeting } from "../../db/schema";
import { freshDatabase } from "../support/database";
import { addRegistration } from "../support/inputs";
import { addMeeting } from "../support/registration";

/**
 * What reports say about a meeting, without saying who: every figure of the attendance report, its
 * breakdowns and the public figures, each participant by registration id with the facts counted.
 */
async function reportFacts(db: Kysely<Database>, meeting: Meeting) {
  const report = await attendanceReport(db, meeting);
  const participants = report.participants
    .map(({ registrationId, country, gender, category, registeredMode, days, items, daysAttended, mode, onlineMinutes }) => ({
      registrationId,
      country,
      gender,
      category,
      registeredMode,
      days,
      items,
      daysAttended,
      mode,
      onlineMinutes,
    }))
    .sort((a, b) => a.registrationId - b.registrationId);
  const breakdowns = whoAttended(report.participants);
  const afterTheMeeting = DateTime.fromJSDate(meeting.ends_at).plus({ days: 1 }).toJSDate();
  return { days: report.days, items: report.items, totals: report.totals, participants, breakdowns, figures: await publicParticipation(db, meeting, afterTheMeeting) };
}

async function meetingBySlug(db: Kysely<Database>, slug: string): Promise<Meeting> {
  return db.selectFrom("meetings").selectAll().where("slug", "=", slug).executeTakeFirstOrThrow();
}

/** A confirmed registration of the meeting whose attendance was recorded, and its address. */
async function attendee(db: Kysely<Database>, meeting: Meeting, notEmail = ""): Promise<{ id: number; email: string }> {
  return db
    .selectFrom("registrations")
    .select(["id", "email"])
    .where("meeting_id", "=", meeting.id)
    .where("status", "=", "confirmed")
    .where("email", "!=", notEmail)
    .where("id", "in", (eb) => eb.selectFrom("check_ins").select("registration_id").where("undone_at", "is", null))
    .orderBy("id")
    .limit(1)
    .executeTakeFirstOrThrow();
}

describe("personal data", async () => {
  const { db } = await freshDatabase();
  await loadDemoData(db);
  const steering = await meetingBySlug(db, "apis-steering-committee-eighth-session");
  const training = await meetingBySlug(db, "regional-training-on-broadband-mapping");
  const person = await attendee(db, steering);
  const user = await db.insertInto("users").values({ email: person.email, name: "Delegate" }).returning(["id", "email"]).executeTakeFirstOrThrow();
  // A full upcoming meeting where they hold the only place and someone waits for it.
  const upcoming = await addMeeting(db, { capacity: 1 });
  const upcomingPlace = await addRegistration(db, upcoming, { first: "Same", last: "Person", email: person.email });
  const waiting = await addRegistration(db, upcoming, { first: "Next", last: "Inline", status: "waitlisted" });
  const other = await attendee(db, training, person.email);
  await db.insertInto("follows").values({ email: person.email, programme_id: null, salt: Buffer.alloc(16, 1), token_hash: Buffer.alloc(32, 2) }).execute();
  await db.insertInto("outbox").values({ to_address: person.email, subject: "Not yet sent", html: "<p>Hello</p>", text: "Hello", template: "test" }).execute();
  await db.insertInto("sessions").values({ id_hash: Buffer.alloc(32, 3), user_id: user.id, expires_at: new Date(Date.now() + 86_400_000) }).execute();

  it("exports everything kept under the person's address, and nothing of anyone else", async () => {
    const data = await personalData(db, user);
    const text = JSON.stringify(data);
    const parsed = JSON.parse(text) as typeof data;
    assert.equal(parsed.account.email, person.email);
    const theirs = await db.selectFrom("registrations").select("id").where("email", "=", person.email).execute();
    assert.equal(parsed.registrations.length, theirs.length);
    assert.ok([steering.slug, upcoming.slug].every((slug) => parsed.registrations.some((r) => r.meeting.slug === slug)));
    const past = parsed.registrations.find((r) => r.meeting.slug === steering.slug)!;
    assert.ok(past.checkIns.length > 0, "their check-ins");
    assert.ok(past.statusHistory.length > 0, "their registration's history");
    assert.equal(parsed.follows.length, 1);
    assert.deepEqual(parsed.emails.map((e) => e.subject).includes("Not yet sent"), true);
    assert.equal(parsed.sessions.length, 1);
    const others = await db.selectFrom("registrations").select("email").where("email", "!=", person.email).execute();
    for (const { email } of others) assert.ok(!text.includes(email), `no other person's address (${email})`);
    assert.ok(!/hash|salt|token/i.test(Object.keys(flatten(parsed)).join(" ")), "no secrets");
  });

  it("deletes the account: the person is gone, their place goes to the next in line, reports are unchanged", async () => {
    const before = await reportFacts(db, steering);
    const othersBefore = await db.selectFrom("registrations").selectAll().where("email", "!=", person.email).orderBy("id").execute();
    await deleteAccount(db, user);

    assert.deepEqual(await reportFacts(db, steering), before);
    assert.equal(await db.selectFrom("users").select("id").where("id", "=", user.id).executeTakeFirst(), undefined);
    assert.equal((await db.selectFrom("sessions").select("user_id").where("user_id", "=", user.id).execute()).length, 0);
    assert.equal((await db.selectFrom("follows").select("id").where("email", "=", person.email).execute()).length, 0);
    assert.equal((await db.selectFrom("registrations").select("id").where("email", "=", person.email).execute()).length, 0);
    const erased = await db.selectFrom("registrations").selectAll().where("id", "in", [person.id, upcomingPlace.id]).execute();
    for (const registration of erased) {
      assert.ok(registration.anonymised_at);
      assert.equal(registration.first_name, "Anonymised");
      assert.equal(registration.organisation, "");
      assert.deepEqual(registration.answers, {});
    }
    assert.equal(erased.find((r) => r.id === upcomingPlace.id)?.status, "cancelled");
    const next = await db.selectFrom("registrations").select("status").where("id", "=", waiting.id).executeTakeFirstOrThrow();
    assert.equal(next.status, "confirmed", "the freed place went to the person waiting");
    const unsent = await db.selectFrom("outbox").select(["status", "to_address", "text"]).where("subject", "=", "Not yet sent").executeTakeFirstOrThrow();
    assert.equal(unsent.status, "failed");
    assert.match(unsent.to_address, /@anonymised\.invalid$/);
    assert.equal((await db.selectFrom("outbox").select("id").where("to_address", "=", person.email).execute()).length, 0);

    const othersAfter = await db.selectFrom("registrations").selectAll().where("email", "!=", person.email).where("anonymised_at", "is", null).orderBy("id").execute();
    const untouched = (rows: typeof othersBefore) => rows.filter((r) => r.id !== waiting.id).map(({ updated_at: _, ...rest }) => rest);
    assert.deepEqual(untouched(othersAfter), untouched(othersBefore), "everyone else's registrations as they were");
  });

  it("purges a past meeting only after its retention period, keeping its reports", async () => {
    const before = await reportFacts(db, training);
    const otherMeetingsBefore = await db.selectFrom("registrations").selectAll().where("meeting_id", "!=", training.id).orderBy("id").execute();
    const ended = DateTime.fromJSDate(training.ends_at);
    const early = await purgeMeeting(db, training, { by: null, retentionDays: 365, now: ended.plus({ days: 364 }).toJSDate() });
    assert.equal(early.ok, false);
    assert.match(!early.ok ? early.message : "", /365 days/);
    assert.equal((await db.selectFrom("registrations").select("id").where("id", "=", other.id).where("anonymised_at", "is", null).execute()).length, 1);

    const purged = await purgeMeeting(db, training, { by: null, retentionDays: 365, now: ended.plus({ days: 366 }).toJSDate() });
    assert.ok(purged.ok && purged.registrations > 0);
    assert.deepEqual(await reportFacts(db, training), before);
    const left = await db.selectFrom("registrations").select(["email", "first_name", "anonymised_at"]).where("meeting_id", "=", training.id).execute();
    assert.ok(left.every((r) => r.anonymised_at && r.email.endsWith("@anonymised.invalid") && r.first_name === "Anonymised"));
    const sessions = await db.selectFrom("online_sessions").select(["name", "email"]).where("meeting_id", "=", training.id).execute();
    assert.ok(sessions.every((s) => s.email === null && s.name.startsWith("Anonymised ")));
    const record = await db.selectFrom("personal_data_purges").selectAll().where("meeting_id", "=", training.id).execute();
    assert.equal(record.length, 1);
    assert.equal(record[0]?.registrations, purged.ok ? purged.registrations : -1);
    assert.deepEqual(
      await db.selectFrom("registrations").selectAll().where("meeting_id", "!=", training.id).orderBy("id").execute(),
      otherMeetingsBefore,
      "other meetings untouched",
    );
  });

  it("never sends to an erased person's stand-in address", async () => {
    const erased = await db.selectFrom("registrations").select("email").where("anonymised_at", "is not", null).limit(1).executeTakeFirstOrThrow();
    const id = await enqueueEmail(db, { to: erased.email, template: "mailing", content: { subject: "To everyone confirmed", html: "<p>Hi</p>", text: "Hi" } });
    const row = await db.selectFrom("outbox").select(["status", "last_error"]).where("id", "=", id).executeTakeFirstOrThrow();
    assert.equal(row.status, "failed");
    assert.match(row.last_error ?? "", /erased/);
    assert.equal(emailAddress().safeParse(erased.email).success, false, "nobody can give such an address");
  });
});

/** Every key path of a JSON value, to look for secrets' names. */
function flatten(value: unknown, prefix = ""): Record<string, unknown> {
  if (value === null || typeof value !== "object") return { [prefix]: value };
  return Object.assign({}, ...Object.entries(value).map(([key, inner]) => flatten(inner, prefix ? `${prefix}.${key}` : key)));
}

describe("erasure reaches every place a person is kept", async () => {
  const { db } = await freshDatabase();
  const day = 86_400_000;
  /** A moment when the meeting may be purged, with a retention of one day. */
  const purgeable = (meeting: Meeting) => ({ retentionDays: 1, now: new Date(meeting.ends_at.getTime() + 2 * day) });

  it("purging a meeting erases every email about it, and stops those not yet sent", async () => {
    const meeting = await addMeeting(db);
    const elsewhere = await addMeeting(db);
    const registration = await addRegistration(db, meeting, { first: "Mailed", last: "Person" });
    const sent = await enqueueEmail(db, { to: registration.email, template: "registration-received", meetingId: meeting.id, content: { subject: "Received", html: "<p>Dear Mailed</p>", text: "Dear Mailed" } });
    await db.updateTable("outbox").set({ status: "sent", sent_at: new Date() }).where("id", "=", sent).execute();
    const unsent = await enqueueEmail(db, { to: registration.email, template: "agenda-changed", meetingId: meeting.id, content: { subject: "Agenda", html: "<p>Dear Mailed</p>", text: "Dear Mailed" } });
    const other = await enqueueEmail(db, { to: "someone@example.org", template: "agenda-changed", meetingId: elsewhere.id, content: { subject: "Agenda", html: "<p>Hi</p>", text: "Hi" } });

    const purged = await purgeMeeting(db, meeting, { by: null, ...purgeable(meeting) });
    assert.ok(purged.ok && purged.emails === 2);
    const rows = await db.selectFrom("outbox").select(["id", "to_address", "text", "status"]).where("id", "in", [sent, unsent, other]).execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    assert.match(byId.get(sent)?.to_address ?? "", /@anonymised\.invalid$/);
    assert.equal(byId.get(sent)?.status, "sent");
    assert.equal(byId.get(sent)?.text, "");
    assert.equal(byId.get(unsent)?.status, "failed", "never sent");
    assert.match(byId.get(unsent)?.to_address ?? "", /@anonymised\.invalid$/);
    assert.equal(byId.get(other)?.to_address, "someone@example.org", "another meeting's email untouched");
  });

  it("deletes an account all at once: a failure anywhere leaves the places, the waiting list and the emails as they were", async () => {
    const meeting = await addMeeting(db, { capacity: 1 });
    const user = await db.insertInto("users").values({ email: "atomic@example.org", name: "Atomic" }).returning(["id", "email"]).executeTakeFirstOrThrow();
    const place = await addRegistration(db, meeting, { first: "Atomic", last: "Person", email: user.email });
    const waiting = await addRegistration(db, meeting, { first: "Still", last: "Waiting", status: "waitlisted" });
    // The account's row cannot be deleted: the last step of the deletion fails.
    await sql`create function refuse_deletion() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$`.execute(db);
    await sql`create trigger refuse_deletion before delete on users for each row when (old.email = 'atomic@example.org') execute function refuse_deletion()`.execute(db);
    try {
      await assert.rejects(deleteAccount(db, user), /refused/);
    } finally {
      await sql`drop trigger refuse_deletion on users`.execute(db);
      await sql`drop function refuse_deletion()`.execute(db);
    }
    const statuses = await db.selectFrom("registrations").select(["id", "status", "anonymised_at"]).where("id", "in", [place.id, waiting.id]).orderBy("id").execute();
    assert.deepEqual(statuses, [
      { id: place.id, status: "confirmed", anonymised_at: null },
      { id: waiting.id, status: "waitlisted", anonymised_at: null },
    ]);
    assert.equal((await db.selectFrom("outbox").select("id").where("meeting_id", "=", meeting.id).execute()).length, 0, "no cancellation or promotion emailed");

    await deleteAccount(db, user);
    const after = await db.selectFrom("registrations").select(["id", "status"]).where("id", "in", [place.id, waiting.id]).orderBy("id").execute();
    assert.deepEqual(after.map((row) => row.status), ["cancelled", "confirmed"]);
  });

  it("refuses to delete the last administrator's account, unless ADMIN_EMAILS names someone who becomes one on signing in", async () => {
    const configured = process.env.ADMIN_EMAILS;
    delete process.env.ADMIN_EMAILS;
    try {
      const admin = await db.insertInto("users").values({ email: "only-admin@example.org", name: "Only", role: "administrator" }).returning(["id", "email"]).executeTakeFirstOrThrow();
      const meeting = await addMeeting(db);
      const place = await addRegistration(db, meeting, { first: "Only", last: "Admin", email: admin.email });
      const refused = await deleteAccount(db, admin);
      assert.equal(refused.ok, false);
      assert.match(!refused.ok ? refused.message : "", /last administrator/);
      assert.ok(await db.selectFrom("users").select("id").where("id", "=", admin.id).executeTakeFirst(), "the account is kept");
      const kept = await db.selectFrom("registrations").select(["status", "anonymised_at"]).where("id", "=", place.id).executeTakeFirstOrThrow();
      assert.deepEqual(kept, { status: "confirmed", anonymised_at: null }, "nothing cancelled nor erased");

      process.env.ADMIN_EMAILS = admin.email;
      assert.deepEqual(await deleteAccount(db, admin), { ok: true }, "an ADMIN_EMAILS address is an administrator again at its next sign-in");
      delete process.env.ADMIN_EMAILS;

      const first = await db.insertInto("users").values({ email: "first-admin@example.org", name: "First", role: "administrator" }).returning(["id", "email"]).executeTakeFirstOrThrow();
      await db.insertInto("users").values({ email: "second-admin@example.org", name: "Second", role: "administrator" }).execute();
      assert.deepEqual(await deleteAccount(db, first), { ok: true }, "another administrator remains");
    } finally {
      if (configured === undefined) delete process.env.ADMIN_EMAILS;
      else process.env.ADMIN_EMAILS = configured;
    }
  });

  /** The invitation form with these addresses. */
  const addresses = (emails: string) => {
    const form = new FormData();
    form.set("emails", emails);
    return form;
  };

  /** Every audit event of the meeting (or of none), as one text to search. */
  const auditText = async (meetingId: number | null) =>
    JSON.stringify(
      await db
        .selectFrom("audit_events")
        .select(["actor_email", "summary", "before", "after"])
        .where((eb) => (meetingId === null ? eb("meeting_id", "is", null) : eb("meeting_id", "=", meetingId)))
        .execute(),
    );

  it("erases a deleted account from the audit log: events about them lose their name and address, their own actions their address", async () => {
    const organiser = await db.insertInto("users").values({ email: "organiser-a@example.org", name: "Organiser" }).returning("id").executeTakeFirstOrThrow();
    const person = await db.insertInto("users").values({ email: "zelda.quorum@example.org", name: "Zelda" }).returning(["id", "email"]).executeTakeFirstOrThrow();
    const meeting = await addMeeting(db);
    const later = await addMeeting(db);
    const place = await addRegistration(db, meeting, { first: "Zelda", last: "Quorum", email: person.email, status: "pending" });
    await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: place.id, to: "confirmed", by: organiser.id });
    await reissueBadge(db, meeting.id, place.id, organiser.id);
    await grantMeetingRole(db, { meetingId: meeting.id, email: person.email, role: "manager", grantedBy: organiser.id });
    await inviteByEmail(db, later, addresses(`${person.email.toUpperCase()}, kept.person@example.org`), organiser.id);
    // What they did as a manager stays in the log.
    await grantMeetingRole(db, { meetingId: meeting.id, email: "kept.helper@example.org", role: "check_in", grantedBy: person.id });
    const count = async () => Number((await db.selectFrom("audit_events").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
    const events = await count();

    assert.deepEqual(await deleteAccount(db, person), { ok: true });
    assert.equal(await count(), events, "every event kept");
    const text = (await auditText(meeting.id)) + (await auditText(later.id));
    assert.doesNotMatch(text, /zelda|quorum/i);
    assert.match(text, /kept\.person@example\.org/, "the others invited stay");
    assert.match(text, /kept\.helper@example\.org/);
    const status = await db.selectFrom("audit_events").select(["summary", "before", "after"]).where("action", "=", "registration.status_changed").where("subject_id", "=", String(place.id)).executeTakeFirstOrThrow();
    assert.deepEqual(status, { summary: `Registration #${place.id} (personal data erased)`, before: { status: "pending" }, after: { status: "confirmed" } });
    const role = await db.selectFrom("audit_events").select(["summary", "after"]).where("action", "=", "team.role_granted").where("subject_id", "=", String(person.id)).executeTakeFirstOrThrow();
    assert.deepEqual(role, { summary: `Account #${person.id} (personal data erased)`, after: { role: "manager" } });
    const invited = await db.selectFrom("audit_events").select("after").where("action", "=", "invitation.sent").where("meeting_id", "=", later.id).executeTakeFirstOrThrow();
    assert.deepEqual(invited.after, { invited: ["(personal data erased)", "kept.person@example.org"] });
    const acted = await db.selectFrom("audit_events").select(["actor_email", "summary"]).where("action", "=", "team.role_granted").where("summary", "like", "kept.helper%").executeTakeFirstOrThrow();
    assert.equal(acted.actor_email, `erased-account-${person.id}@anonymised.invalid`);
  });

  it("purging a meeting erases the people named in its audit log, and leaves other meetings' events alone", async () => {
    const organiser = await db.insertInto("users").values({ email: "organiser-b@example.org", name: "Organiser" }).returning("id").executeTakeFirstOrThrow();
    const meeting = await addMeeting(db);
    const elsewhere = await addMeeting(db);
    const place = await addRegistration(db, meeting, { first: "Yorick", last: "Plinth", email: "yorick.plinth@example.org", status: "pending" });
    await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: place.id, to: "confirmed", by: organiser.id });
    await reissueBadge(db, meeting.id, place.id, organiser.id);
    await grantMeetingRole(db, { meetingId: meeting.id, email: "xanthe.staff@example.org", role: "check_in", grantedBy: organiser.id });
    await inviteByEmail(db, meeting, addresses("wilma.guest@example.org, vera.guest@example.org"), organiser.id);
    const other = await addRegistration(db, elsewhere, { first: "Ursula", last: "Other", status: "pending" });
    await changeRegistrationStatus(db, { meetingId: elsewhere.id, registrationId: other.id, to: "confirmed", by: organiser.id });
    const elsewhereBefore = await auditText(elsewhere.id);

    const purged = await purgeMeeting(db, meeting, { by: organiser.id, ...purgeable(meeting) });
    assert.ok(purged.ok);
    const text = await auditText(meeting.id);
    assert.doesNotMatch(text, /yorick|plinth|xanthe|wilma|vera/i);
    assert.match(text, /Registration #\d+ \(personal data erased\)/);
    assert.match(text, /"status":"confirmed"/, "statuses stay");
    assert.match(text, /"role":"check_in"/, "roles stay");
    const invited = await db.selectFrom("audit_events").select("after").where("action", "=", "invitation.sent").where("meeting_id", "=", meeting.id).executeTakeFirstOrThrow();
    assert.deepEqual(invited.after, { invited: 2 });
    assert.equal(await auditText(elsewhere.id), elsewhereBefore);
  });

  it("exports the person's team roles, the invitations sent to them and the audit log's events about them or by them", async () => {
    const organiser = await db.insertInto("users").values({ email: "organiser-c@example.org", name: "Organiser" }).returning("id").executeTakeFirstOrThrow();
    const person = await db.insertInto("users").values({ email: "tamsin.export@example.org", name: "Tamsin" }).returning(["id", "email"]).executeTakeFirstOrThrow();
    const meeting = await addMeeting(db);
    const invitedTo = await addMeeting(db);
    const place = await addRegistration(db, meeting, { first: "Tamsin", last: "Export", email: person.email, status: "pending" });
    await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: place.id, to: "confirmed", by: organiser.id });
    await grantMeetingRole(db, { meetingId: meeting.id, email: person.email, role: "manager", grantedBy: organiser.id });
    await inviteByEmail(db, invitedTo, addresses(`${person.email}, someone.else@example.org`), organiser.id);
    await grantMeetingRole(db, { meetingId: meeting.id, email: "sam.helper@example.org", role: "check_in", grantedBy: person.id });

    const data = JSON.parse(JSON.stringify(await personalData(db, person))) as Awaited<ReturnType<typeof personalData>>;
    assert.deepEqual(data.teamRoles.map(({ meeting: slug, role }) => ({ slug, role })), [{ slug: meeting.slug, role: "manager" }]);
    assert.deepEqual(data.invitations.map(({ meeting: slug, email }) => ({ slug, email })), [{ slug: invitedTo.slug, email: person.email }]);
    const actions = data.auditEvents.map((event) => `${event.action}:${event.byYou}`);
    assert.deepEqual(actions, ["registration.status_changed:false", "team.role_granted:false", "team.role_granted:true"]);
    const status = data.auditEvents[0];
    assert.deepEqual(status && "after" in status ? status.after : null, { status: "confirmed" });
    const text = JSON.stringify(data);
    assert.doesNotMatch(text, /sam\.helper|someone\.else|organiser-c/, "nothing of the other people involved");
    for (const key of Object.keys(flatten(data))) assert.doesNotMatch(key, /hash|salt|token|code/i, key);
  });
});
