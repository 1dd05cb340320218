import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Kysely, sql } from "kysely";
import { addRoom, deleteAgendaItem, renameRoom } from "../../app/agenda/agenda.server";
import { checkIn, undoCheckIn } from "../../app/attendance/check-ins.server";
import { auditLogPage, listAuditEvents } from "../../app/audit/audit-log.server";
import { changeMeetingStatus } from "../../app/meetings/meetings.server";
import { inviteByEmail, issueCode, revokeInvitation } from "../../app/registration/invitations.server";
import { sendMailing } from "../../app/registration/mailings.server";
import { addQuestion, deleteQuestion, parseQuestionForm, updateQuestion } from "../../app/registration/questions.server";
import { parseRegistrationFilters } from "../../app/registration/registration-filters";
import { decide } from "../../app/registration/registration-console.server";
import type { Database, Meeting } from "../../db/schema";
import { addAgendaItem } from "../support/agenda";
import { freshDatabase } from "../support/database";
import { addRegistration } from "../support/inputs";
import { addMeeting } from "../support/registration";

async function eventsOf(db: Kysely<Database>, meetingId: number) {
  return db.selectFrom("audit_events").selectAll().where("meeting_id", "=", meetingId).orderBy("id").execute();
}

async function organiser(db: Kysely<Database>, email: string): Promise<number> {
  const row = await db.insertInto("users").values({ email, role: "administrator" }).returning("id").executeTakeFirstOrThrow();
  return row.id;
}

function questionInput(label: string) {
  const form = new FormData();
  form.set("label", label);
  form.set("kind", "short_text");
  const parsed = parseQuestionForm(form);
  assert.ok(parsed.ok);
  return parsed.input;
}

describe("the audit log", async () => {
  const { db } = await freshDatabase();
  const ana = await organiser(db, "ana.organiser@example.org");

  it("records a registration's status change with who, before and after, and nothing for a refused one", async () => {
    const meeting = await addMeeting(db, { registration_policy: "moderated", capacity: 1 });
    const first = await addRegistration(db, meeting, { first: "Lan", last: "Nguyen", status: "pending" });
    const second = await addRegistration(db, meeting, { first: "Bao", last: "Tran", status: "pending" });
    const [confirmed] = await decide(db, { meetingId: meeting.id, registrationIds: [first.id], to: "confirmed", by: ana });
    assert.equal(confirmed?.ok, true);
    const [refused] = await decide(db, { meetingId: meeting.id, registrationIds: [second.id], to: "confirmed", by: ana });
    assert.equal(refused?.ok, false, "no place left");
    const events = await eventsOf(db, meeting.id);
    assert.equal(events.length, 1);
    const [event] = events;
    assert.equal(event!.action, "registration.status_changed");
    assert.equal(event!.actor_user_id, ana);
    assert.equal(event!.actor_email, "ana.organiser@example.org");
    assert.equal(event!.subject_type, "registration");
    assert.equal(event!.subject_id, String(first.id));
    assert.deepEqual([event!.before, event!.after], [{ status: "pending" }, { status: "confirmed" }]);
  });

  it("records a meeting's status change", async () => {
    const meeting = await addMeeting(db);
    assert.equal(await changeMeetingStatus(db, meeting, "unpublish", ana), true);
    assert.equal(await changeMeetingStatus(db, meeting, "unpublish", ana), false, "already a draft");
    const events = await eventsOf(db, meeting.id);
    assert.deepEqual(
      events.map((e) => [e.action, e.before, e.after]),
      [["meeting.status_changed", { status: "published" }, { status: "draft" }]],
    );
  });

  it("records agenda and room changes by an organiser, not those made by nobody (the demo data, the system)", async () => {
    const meeting = await addMeeting(db);
    const item = await addAgendaItem(db, meeting, { title: "Opening <session>", date: meeting.starts_on, start: "09:00", end: "10:00" });
    assert.equal((await eventsOf(db, meeting.id)).length, 0, "added with no organiser: not an organiser's action");
    const room = await addRoom(db, meeting.id, "Room A", ana);
    assert.ok(room.ok);
    assert.ok((await renameRoom(db, meeting.id, room.value, "Room B", ana)).ok);
    assert.equal(await deleteAgendaItem(db, meeting.id, item, ana), true);
    const events = await eventsOf(db, meeting.id);
    assert.deepEqual(
      events.map((e) => e.action),
      ["room.created", "room.renamed", "agenda_item.deleted"],
    );
    assert.deepEqual([events[1]!.before, events[1]!.after], [{ name: "Room A" }, { name: "Room B" }]);
    assert.equal(events[2]!.before?.title, "Opening <session>");
    assert.equal(events[2]!.after, null);
  });

  it("records check-ins at the desk and their undoing, not a participant's own check-in", async () => {
    const meeting = await addMeeting(db);
    const person = await addRegistration(db, meeting, { first: "Mei", last: "Lin" });
    const other = await addRegistration(db, meeting, { first: "Sione", last: "Tupou" });
    const day = meeting.starts_on;
    assert.ok((await checkIn(db, { meetingId: meeting.id, registrationId: person.id, target: { day }, mode: "in_person", method: "desk", by: ana })).ok);
    assert.ok((await checkIn(db, { meetingId: meeting.id, registrationId: person.id, target: { day }, mode: "in_person", method: "badge", by: ana })).ok);
    assert.ok((await checkIn(db, { meetingId: meeting.id, registrationId: other.id, target: { day }, mode: "online", method: "self", by: null })).ok);
    assert.equal(await undoCheckIn(db, { meetingId: meeting.id, registrationId: person.id, target: { day }, by: ana }), true);
    const events = await eventsOf(db, meeting.id);
    assert.deepEqual(
      events.map((e) => [e.action, e.subject_id]),
      [
        ["check_in.recorded", String(person.id)],
        ["check_in.undone", String(person.id)],
      ],
      "the second scan changed nothing, and the self check-in is the participant's",
    );
  });

  it("records questions edited, invitations, codes (not the code itself) and mailings", async () => {
    const meeting = await addMeeting(db, { registration_policy: "invitation" });
    await addRegistration(db, meeting, { first: "Lan", last: "Nguyen" });
    const question = await addQuestion(db, meeting.id, questionInput("Dietary needs"), ana);
    assert.ok(question.ok);
    assert.ok((await updateQuestion(db, meeting.id, question.id, questionInput("Dietary requirements"), ana)).ok);
    const form = (fields: Record<string, string>) => {
      const data = new FormData();
      for (const [name, value] of Object.entries(fields)) data.set(name, value);
      return data;
    };
    assert.ok((await inviteByEmail(db, meeting, form({ emails: "invitee@example.org" }), ana)).ok);
    const code = await issueCode(db, meeting, form({ label: "Fiji focal point", maxUses: "3" }), ana);
    assert.ok(code.ok);
    const invitation = await db.selectFrom("invitations").select("id").where("meeting_id", "=", meeting.id).where("kind", "=", "email").executeTakeFirstOrThrow();
    assert.equal(await revokeInvitation(db, meeting.id, invitation.id, ana), true);
    const filters = parseRegistrationFilters(new URLSearchParams("status=confirmed"));
    assert.ok(filters.ok);
    assert.ok((await sendMailing(db, { meeting, subject: "Visa <letters>", body: "Hello", filters: filters.filters, sentBy: ana })).ok);

    const events = await eventsOf(db, meeting.id);
    assert.deepEqual(
      events.map((e) => e.action),
      ["question.created", "question.updated", "invitation.sent", "invitation.code_issued", "invitation.revoked", "mailing.sent"],
    );
    assert.deepEqual([events[1]!.before, events[1]!.after], [{ label: "Dietary needs" }, { label: "Dietary requirements" }]);
    assert.deepEqual(events[2]!.after, { invited: ["invitee@example.org"] });
    assert.ok(!JSON.stringify(events[3]).includes(code.code), "the code lets people register: it stays out of the log");
    assert.equal(events[5]!.summary, "Sent “Visa <letters>” to 1 registrant");
  });

  it("rolls the event back with the change, and the change back with the event", async () => {
    const meeting = await addMeeting(db);
    const added = await addQuestion(db, meeting.id, questionInput("Dietary needs"), ana);
    assert.ok(added.ok);
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        assert.equal(await deleteQuestion(trx, meeting.id, added.id, ana), true);
        throw new Error("the caller's transaction fails after the deletion");
      }),
      /fails after the deletion/,
    );
    assert.ok(await db.selectFrom("registration_questions").select("id").where("id", "=", added.id).executeTakeFirst(), "the question is still there");
    assert.deepEqual((await eventsOf(db, meeting.id)).map((e) => e.action), ["question.created"], "and no deletion was recorded");

    // Writing the event fails: the status change it records does not happen either.
    const person = await addRegistration(db, meeting, { first: "Kiri", last: "Walker", status: "pending" });
    await sql`create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit log unavailable'; end $$`.execute(db);
    await sql`create trigger refuse_audit before insert on audit_events for each row execute function refuse_audit()`.execute(db);
    try {
      await assert.rejects(decide(db, { meetingId: meeting.id, registrationIds: [person.id], to: "confirmed", by: ana }), /audit log unavailable/);
    } finally {
      await sql`drop trigger refuse_audit on audit_events`.execute(db);
      await sql`drop function refuse_audit()`.execute(db);
    }
    const after = await db.selectFrom("registrations").select("status").where("id", "=", person.id).executeTakeFirstOrThrow();
    assert.equal(after.status, "pending");
    assert.equal(await db.selectFrom("outbox").select("id").where("to_address", "=", person.email).executeTakeFirst(), undefined, "no email left");
  });

  it("keeps the actor's address after their account is deleted, and lists a meeting's events newest first, by action, a page at a time", async () => {
    const meeting: Meeting = await addMeeting(db);
    const bea = await organiser(db, "bea.organiser@example.org");
    for (let i = 0; i < 55; i++) assert.ok((await addRoom(db, meeting.id, `Room ${i}`, bea)).ok);
    assert.equal(await changeMeetingStatus(db, meeting, "cancel", bea), true);
    await db.deleteFrom("users").where("id", "=", bea).execute();

    const first = await auditLogPage(db, { meetingId: meeting.id, action: null, page: 1 });
    assert.equal(first.total, 56);
    assert.equal(first.pageCount, 2);
    assert.equal(first.rows.length, 50);
    assert.equal(first.rows[0]!.action, "Meeting status changed");
    assert.deepEqual(first.rows[0]!.changes, [{ field: "status", before: "published", after: "cancelled" }]);
    assert.equal(first.rows[0]!.who, "bea.organiser@example.org");
    assert.match(first.rows[0]!.when, /Bangkok time$/, "in the meeting's zone, named");
    const second = await auditLogPage(db, { meetingId: meeting.id, action: null, page: 2 });
    assert.equal(second.rows.length, 6);
    assert.equal(second.rows.at(-1)!.summary, "Added room “Room 0”");

    const cancelled = await listAuditEvents(db, { meetingId: meeting.id, action: "meeting.status_changed", page: 1 });
    assert.equal(cancelled.total, 1);
    assert.equal(cancelled.entries[0]!.actorEmail, "bea.organiser@example.org");
    const row = await db.selectFrom("audit_events").select("actor_user_id").where("meeting_id", "=", meeting.id).executeTakeFirstOrThrow();
    assert.equal(row.actor_user_id, null, "the account is gone; its address stays");
  });
});
