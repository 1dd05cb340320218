import assert from "node:assert/strict";
import { describe, it } from "node:test";
import ICAL from "ical.js";
import { DateTime } from "luxon";
import { deleteAgendaItem, moveAgendaItem } from "../../app/agenda/agenda.server";
import { register } from "../../app/registration/registrations.server";
import { addAgendaItem } from "../support/agenda";
import { freshDatabase } from "../support/database";
import { addMeeting } from "../support/registration";
import { registrationInput } from "../support/registration-extras";

/** A change within 48 hours of an item goes out by email to those confirmed, with the updated .ics. */

const ZONE = "Asia/Bangkok";

function attachedEvents(attachments: { contentBase64: string }[]) {
  assert.equal(attachments.length, 1);
  const text = Buffer.from(attachments[0]!.contentBase64, "base64").toString("utf8");
  return new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vevent");
}

describe("emails about imminent agenda changes", async () => {
  const { db } = await freshDatabase();
  const today = DateTime.now().setZone(ZONE);
  const meeting = await addMeeting(db, {
    timezone: ZONE,
    starts_on: today.toISODate()!,
    ends_on: today.plus({ days: 6 }).toISODate()!,
    registration_policy: "open",
  });
  const tomorrow = today.plus({ days: 1 }).toISODate()!;
  const nextWeek = today.plus({ days: 5 }).toISODate()!;
  await register(db, meeting.id, registrationInput({ email: "ana.silva@example.tl", firstName: "Ana", timezone: "Europe/Zurich" }), null);
  await register(db, meeting.id, registrationInput({ email: "sione.tupou@example.to", firstName: "Sione", timezone: ZONE }), null);
  await db.updateTable("registrations").set({ status: "cancelled" }).where("email", "=", "sione.tupou@example.to").execute();
  const confirmed = await db.selectFrom("registrations").select("email").where("meeting_id", "=", meeting.id).where("status", "=", "confirmed").execute();
  assert.deepEqual(confirmed.map((r) => r.email), ["ana.silva@example.tl"]);

  const changeEmails = () =>
    db.selectFrom("outbox").select(["to_address", "subject", "text", "attachments"]).where("template", "=", "agenda-change").orderBy("id").execute();

  it("emails those confirmed when an item tomorrow moves, with the .ics that updates it in place", async () => {
    const item = await addAgendaItem(db, meeting, { title: "Regional backbone session", date: tomorrow, start: "09:30", end: "11:00" });
    const before = await db.selectFrom("agenda_items").select(["sequence"]).where("id", "=", item).executeTakeFirstOrThrow();
    const moved = await moveAgendaItem(db, meeting, item, { date: tomorrow, start: "14:00" }, null);
    assert.ok(moved.ok);
    const emails = await changeEmails();
    assert.equal(emails.length, 1, "one email, to the confirmed person only");
    const [email] = emails;
    assert.equal(email!.to_address, "ana.silva@example.tl");
    assert.match(email!.subject, /^Time change: Regional backbone session/);
    const inZurich = (time: string) => DateTime.fromISO(`${tomorrow}T${time}`, { zone: ZONE }).setZone("Europe/Zurich").toFormat("HH:mm");
    assert.match(email!.text, new RegExp(`Now .*14:00 Bangkok time \\(${inZurich("14:00")} your time, Zurich\\); it was .*09:30 Bangkok time \\(${inZurich("09:30")} your time`));
    const [event] = attachedEvents(email!.attachments);
    assert.equal(event!.getFirstPropertyValue("uid"), `meeting-${meeting.id}-item-${item}@localhost:3000`);
    assert.ok(Number(event!.getFirstPropertyValue("sequence")) > before.sequence);
    const start = (event!.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate();
    assert.equal(DateTime.fromJSDate(start, { zone: ZONE }).toFormat("yyyy-MM-dd HH:mm"), `${tomorrow} 14:00`);
  });

  it("emails a cancellation of an item within 48 hours, as CANCELLED", async () => {
    const item = await addAgendaItem(db, meeting, { title: "Field visit", date: tomorrow, start: "15:00", end: "17:00" });
    const count = (await changeEmails()).length;
    assert.ok(await deleteAgendaItem(db, meeting.id, item, null));
    const emails = await changeEmails();
    assert.equal(emails.length, count + 1);
    assert.match(emails.at(-1)!.subject, /^Cancelled: Field visit/);
    const [event] = attachedEvents(emails.at(-1)!.attachments);
    assert.equal(event!.getFirstPropertyValue("status"), "CANCELLED");
  });

  it("sends nothing for changes further ahead, which feeds carry in time", async () => {
    const item = await addAgendaItem(db, meeting, { title: "Closing", date: nextWeek, start: "09:00", end: "10:00" });
    const count = (await changeEmails()).length;
    assert.ok((await moveAgendaItem(db, meeting, item, { date: nextWeek, start: "11:00" }, null)).ok);
    assert.ok(await deleteAgendaItem(db, meeting.id, item, null));
    assert.equal((await changeEmails()).length, count);
  });

  it("emails when an item from next week is brought forward into the next 48 hours", async () => {
    const item = await addAgendaItem(db, meeting, { title: "Donor round table", date: nextWeek, start: "09:00", end: "10:00" });
    const count = (await changeEmails()).length;
    assert.ok((await moveAgendaItem(db, meeting, item, { date: tomorrow, start: "08:00" }, null)).ok);
    assert.equal((await changeEmails()).length, count + 1);
  });

  it("emails when an item under way is cancelled", async () => {
    const start = DateTime.now().setZone(ZONE).minus({ minutes: 30 }).startOf("minute");
    const end = start.plus({ hours: 1 });
    const item = await addAgendaItem(db, meeting, {
      title: "Session under way",
      date: start.toISODate()!,
      start: start.toFormat("HH:mm"),
      endDate: end.toISODate()!,
      end: end.toFormat("HH:mm"),
    });
    const count = (await changeEmails()).length;
    assert.ok(await deleteAgendaItem(db, meeting.id, item, null));
    const emails = await changeEmails();
    assert.equal(emails.length, count + 1);
    assert.match(emails.at(-1)!.subject, /^Cancelled: Session under way/);
  });
});
