import assert from "node:assert/strict";
import { describe, it } from "node:test";
import ICAL from "ical.js";
import { changeMeetingStatus } from "../../app/meetings/meetings.server";
import { changeRegistrationStatus, register } from "../../app/registration/registrations.server";
import { addAgendaItem } from "../support/agenda";
import { freshDatabase } from "../support/database";
import { addMeeting } from "../support/registration";
import { registrationInput } from "../support/registration-extras";

/** A confirmation carries the meeting's .ics, so one click puts it (and its agenda) in the person's calendar. */

describe("the meeting's .ics on confirmations", async () => {
  const { db } = await freshDatabase();

  async function lastEmailTo(email: string) {
    return db.selectFrom("outbox").select(["template", "attachments"]).where("to_address", "=", email).orderBy("id", "desc").executeTakeFirstOrThrow();
  }

  it("attaches the meeting and its agenda when the place is confirmed at once", async () => {
    const meeting = await addMeeting(db, { registration_policy: "open", mode: "hybrid", online_url: "https://meet.example.org/j/123" });
    const item = await addAgendaItem(db, meeting, { title: "Opening", date: meeting.starts_on, start: "09:00", end: "10:00" });
    await register(db, meeting.id, registrationInput({ email: "tashi@example.bt" }), null);
    const email = await lastEmailTo("tashi@example.bt");
    assert.equal(email.template, "registration-received");
    assert.equal(email.attachments.length, 1);
    assert.equal(email.attachments[0]!.filename, `${meeting.slug}.ics`);
    const ics = Buffer.from(email.attachments[0]!.contentBase64, "base64").toString("utf8");
    const calendar = new ICAL.Component(ICAL.parse(ics));
    assert.equal(calendar.getFirstPropertyValue("method"), "PUBLISH");
    const uids = calendar.getAllSubcomponents("vevent").map((event) => event.getFirstPropertyValue("uid")).sort();
    assert.deepEqual(uids, [`meeting-${meeting.id}-item-${item}@localhost:3000`, `meeting-${meeting.id}@localhost:3000`].sort());
    assert.ok(!ics.includes("meet.example.org"), "the attachment is the public calendar");
  });

  it("attaches nothing while pending, and the .ics once an organiser confirms", async () => {
    const meeting = await addMeeting(db, { registration_policy: "moderated" });
    const outcome = await register(db, meeting.id, registrationInput({ email: "nilufar@example.uz" }), null);
    assert.deepEqual(outcome, { kind: "registered", status: "pending" });
    assert.equal((await lastEmailTo("nilufar@example.uz")).attachments.length, 0);
    const registration = await db.selectFrom("registrations").select("id").where("email", "=", "nilufar@example.uz").executeTakeFirstOrThrow();
    const changed = await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId: registration.id, to: "confirmed", by: null });
    assert.deepEqual(changed, { ok: true, changed: true });
    const email = await lastEmailTo("nilufar@example.uz");
    assert.equal(email.template, "registration-status-changed");
    assert.equal(email.attachments.length, 1);
  });

  it("tells everyone still registered when the meeting is cancelled, with the cancelling .ics for those confirmed", async () => {
    const meeting = await addMeeting(db, { registration_policy: "open", capacity: 1 });
    const item = await addAgendaItem(db, meeting, { title: "Opening", date: meeting.starts_on, start: "09:00", end: "10:00" });
    await register(db, meeting.id, registrationInput({ email: "first@example.ws" }), null);
    await register(db, meeting.id, registrationInput({ email: "second@example.ws" }), null);
    await register(db, meeting.id, registrationInput({ email: "third@example.ws" }), null);
    await db.updateTable("registrations").set({ status: "declined" }).where("email", "=", "third@example.ws").execute();
    assert.ok(await changeMeetingStatus(db, meeting, "cancel", null));
    const sent = await db.selectFrom("outbox").select(["to_address", "attachments"]).where("template", "=", "meeting-cancelled").orderBy("id").execute();
    assert.deepEqual(sent.map((email) => email.to_address), ["first@example.ws", "second@example.ws"], "the confirmed and the waiting, not the declined");
    assert.equal(sent[1]!.attachments.length, 0, "nothing to remove from the calendar of someone waiting");
    const ics = Buffer.from(sent[0]!.attachments[0]!.contentBase64, "base64").toString("utf8");
    const events = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents("vevent");
    assert.deepEqual(events.map((event) => event.getFirstPropertyValue("uid")).sort(), [`meeting-${meeting.id}-item-${item}@localhost:3000`, `meeting-${meeting.id}@localhost:3000`].sort());
    assert.ok(events.every((event) => event.getFirstPropertyValue("status") === "CANCELLED"));
  });
});
