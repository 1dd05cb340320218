import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import { deleteAgendaItem } from "../../app/agenda/agenda.server";
import { sendDueAttendanceReminders } from "../../app/attendance/attendance-reminders.server";
import { registrationOfSelfCheckIn } from "../../app/attendance/check-in-reference.server";
import type { AttendanceMode, Database, Meeting, RegistrationStatus } from "../../db/schema";
import { addAgendaItem } from "../support/agenda";
import { freshDatabase } from "../support/database";
import { addRegistration } from "../support/inputs";
import { addMeeting } from "../support/registration";

/**
 * The reminder job against a hybrid meeting in Bangkok (GMT+7) on 9–10 Feb 2027, with participants
 * there, in New York (GMT-5) and in Fiji (GMT+12, from their account). Runs at chosen instants.
 */

const SELF_CHECK_IN = /http:\/\/localhost:3000\/meetings\/[a-z0-9-]+\/attend\/(\d+\.[A-Za-z0-9_-]{43})/;

async function bangkokMeeting(db: Kysely<Database>, overrides: Partial<Meeting> = {}): Promise<Meeting> {
  return addMeeting(db, {
    mode: "hybrid",
    online_url: "https://meet.example.org/j/escap-dtf",
    starts_on: "2027-02-09",
    ends_on: "2027-02-10",
    starts_at: new Date("2027-02-08T17:00:00Z"),
    ends_at: new Date("2027-02-10T17:00:00Z"),
    ...overrides,
  });
}

async function participant(
  db: Kysely<Database>,
  meeting: Meeting,
  input: { first: string; mode: AttendanceMode; timezone: string | null; status?: RegistrationStatus; accountZone?: string },
) {
  const registration = await addRegistration(db, meeting, { first: input.first, last: "Tester", status: input.status });
  let userId: number | null = null;
  if (input.accountZone) {
    const user = await db.insertInto("users").values({ email: registration.email, timezone: input.accountZone }).returning("id").executeTakeFirstOrThrow();
    userId = user.id;
  }
  await db.updateTable("registrations").set({ attendance_mode: input.mode, timezone: input.timezone, user_id: userId }).where("id", "=", registration.id).execute();
  return registration;
}

async function reminders(db: Kysely<Database>) {
  return db
    .selectFrom("outbox")
    .select(["id", "to_address", "subject", "text", "html"])
    .where("template", "=", "attendance-reminder")
    .orderBy("id")
    .execute();
}

describe("attendance reminders", async () => {
  const { db } = await freshDatabase();
  const meeting = await bangkokMeeting(db);
  await addAgendaItem(db, meeting, { title: "Opening of the forum", date: "2027-02-09", start: "09:00", end: "10:30", room: "Hall A" });
  await addAgendaItem(db, meeting, { title: "Data governance panel", date: "2027-02-09", start: "10:45", end: "12:00", room: "Hall A" });
  const dropped = await addAgendaItem(db, meeting, { title: "Withdrawn side event", date: "2027-02-09", start: "13:00", end: "14:00" });
  assert.ok(await deleteAgendaItem(db, meeting.id, dropped, null));
  await addAgendaItem(db, meeting, { title: "Closing", date: "2027-02-10", start: "15:00", end: "16:00" });

  const inBangkok = await participant(db, meeting, { first: "Siriporn", mode: "in_person", timezone: "Asia/Bangkok" });
  const inNewYork = await participant(db, meeting, { first: "Maria", mode: "online", timezone: "America/New_York" });
  const inFiji = await participant(db, meeting, { first: "Kalesi", mode: "online", timezone: null, accountZone: "Pacific/Fiji" });
  const pending = await participant(db, meeting, { first: "Pending", mode: "online", timezone: "Asia/Bangkok", status: "pending" });
  const withdrawn = await participant(db, meeting, { first: "Withdrawn", mode: "online", timezone: "Asia/Bangkok", status: "cancelled" });
  const called = await bangkokMeeting(db, { status: "cancelled", cancelled_at: new Date() });
  const calledOff = await participant(db, called, { first: "Called", mode: "online", timezone: "Asia/Bangkok" });

  it("queues the day-before reminders due exactly once, even when two runs race", async () => {
    // 17:00 in Bangkok on 8 Feb: Bangkok's is due, New York's (17:00 on 7 Feb there) and Fiji's (17:00 on 8 Feb, 05:00Z) still are.
    const now = new Date("2027-02-08T10:00:00Z");
    const [first, second] = await Promise.all([sendDueAttendanceReminders(db, now), sendDueAttendanceReminders(db, now)]);
    assert.equal(first + second, 3, `queued ${first} and ${second}`);
    assert.equal(await sendDueAttendanceReminders(db, now), 0, "a later run finds nothing left");
    const sent = await reminders(db);
    assert.deepEqual(sent.map((email) => email.to_address).sort(), [inBangkok.email, inFiji.email, inNewYork.email].sort());
    assert.ok(sent.every((email) => email.subject === `Reminder: ${meeting.title} begins on ${email.to_address === inNewYork.email ? "Mon 8 Feb 2027" : "Tue 9 Feb 2027"}`));
    const rows = await db.selectFrom("attendance_reminders").selectAll().orderBy("registration_id").execute();
    assert.deepEqual(
      rows.map((row) => [row.registration_id, row.day, row.kind]),
      [inBangkok, inNewYork, inFiji].map((person) => [person.id, "2027-02-09", "day_before"]),
    );
    for (const row of rows) {
      const email = sent.find((message) => message.id === row.outbox_id);
      assert.ok(email, "each reminder row names its email");
      const registration = await db.selectFrom("registrations").select("email").where("id", "=", row.registration_id).executeTakeFirstOrThrow();
      assert.equal(email.to_address, registration.email);
    }
  });

  it("sends each morning's reminder at 07:00 where the person is, with the day's agenda in their time and the way in", async () => {
    const before = (await reminders(db)).length;
    // 07:00 in New York on 8 Feb: the first day starts there at 21:00.
    assert.equal(await sendDueAttendanceReminders(db, new Date("2027-02-08T12:30:00Z")), 1);
    const [newYork] = (await reminders(db)).slice(before);
    assert.equal(newYork!.to_address, inNewYork.email);
    assert.equal(newYork!.subject, `Agenda for Mon 8 Feb 2027: ${meeting.title}`);
    const text = newYork!.text;
    assert.match(text, /Times are in New York time, with the meeting's own time \(Bangkok time\) beside them/);
    assert.match(text, /- 21:00–22:30 New York time \(Tue 9 Feb 2027, 09:00–10:30 Bangkok time\): Opening of the forum\n/);
    assert.match(text, /- 22:45–Tue 00:00 New York time \(Tue 9 Feb 2027, 10:45–12:00 Bangkok time\): Data governance panel\n/, "no room for those online");
    assert.ok(!text.includes("Withdrawn side event"), "deleted items are not on the agenda");
    assert.ok(!text.includes("Closing"), "only the day's items");
    assert.match(text, /Join online: https:\/\/meet\.example\.org\/j\/escap-dtf/);
    assert.ok(!text.includes("Venue:"));
    const link = SELF_CHECK_IN.exec(text);
    assert.ok(link, "the self check-in link");
    assert.equal((await registrationOfSelfCheckIn(db, meeting.id, link[1]!))?.id, inNewYork.id, "the link stands for the recipient");
    assert.ok(newYork!.html.includes(link[0]) && newYork!.html.includes("https://meet.example.org/j/escap-dtf"));
    assert.match(text, /http:\/\/localhost:3000\/meetings\/[a-z0-9-]+\/agenda\?tz=America%2FNew_York/);

    // 07:00 in Fiji on 9 Feb (19:00Z on the 8th): the account's zone, as the registration names none.
    assert.equal(await sendDueAttendanceReminders(db, new Date("2027-02-08T19:30:00Z")), 1);
    const fiji = (await reminders(db)).at(-1)!;
    assert.equal(fiji.to_address, inFiji.email);
    assert.match(fiji.text, /- 14:00–15:30 Fiji time \(09:00–10:30 Bangkok time\): Opening of the forum/);
    assert.match(fiji.text, SELF_CHECK_IN);

    // 07:00 in Bangkok on 9 Feb.
    assert.equal(await sendDueAttendanceReminders(db, new Date("2027-02-09T00:30:00Z")), 1);
    const bangkok = (await reminders(db)).at(-1)!;
    assert.equal(bangkok.to_address, inBangkok.email);
    assert.match(bangkok.text, /Times are in Bangkok time\./);
    assert.match(bangkok.text, /- 09:00–10:30 Bangkok time: Opening of the forum, Hall A\n/);
    assert.match(bangkok.text, /Venue: United Nations Conference Centre, Bangkok, Thailand/);
    assert.ok(!bangkok.text.includes("meet.example.org"), "no joining link for those in the hall");
    assert.ok(!SELF_CHECK_IN.test(bangkok.text) && !bangkok.html.includes("/attend/"), "no self check-in link for those in the hall");
  });

  it("sends the second morning's the evening before to whom the day starts at 03:00", async () => {
    const before = (await reminders(db)).length;
    // Day 2 starts at 15:00 in Bangkok (07:00 there is 00:00Z), 20:00 in Fiji (07:00 there is 19:00Z on the 9th)
    // and 03:00 in New York, whose reminder goes at 20:00 on the 9th there (01:00Z on the 10th).
    assert.equal(await sendDueAttendanceReminders(db, new Date("2027-02-10T00:59:00Z")), 2);
    assert.deepEqual((await reminders(db)).slice(before).map((email) => email.to_address).sort(), [inBangkok.email, inFiji.email].sort());
    assert.equal(await sendDueAttendanceReminders(db, new Date("2027-02-10T01:00:00Z")), 1);
    const newYork = (await reminders(db)).at(-1)!;
    assert.equal(newYork.to_address, inNewYork.email);
    assert.equal(newYork.subject, `Agenda for Wed 10 Feb 2027: ${meeting.title}`);
    assert.match(newYork.text, /- 03:00–04:00 New York time \(15:00–16:00 Bangkok time\): Closing/);
  });

  it("never sends a reminder after its day's programme has ended", async () => {
    // Confirmed late, or a server down all day: once day 2's programme is over (09:00Z), nothing goes.
    const late = await participant(db, meeting, { first: "Late", mode: "online", timezone: "Asia/Bangkok" });
    assert.equal(await sendDueAttendanceReminders(db, new Date("2027-02-10T09:00:00Z")), 0);
    const rows = await db.selectFrom("attendance_reminders").select("kind").where("registration_id", "=", late.id).execute();
    assert.deepEqual(rows, []);
  });

  it("sends nothing, at any time, for a cancelled meeting or to people not confirmed", async () => {
    const sent = await reminders(db);
    for (const person of [calledOff, pending, withdrawn]) {
      assert.ok(!sent.some((email) => email.to_address === person.email), person.email);
      const rows = await db.selectFrom("attendance_reminders").select("kind").where("registration_id", "=", person.id).execute();
      assert.deepEqual(rows, [], person.email);
    }
  });
});

describe("attendance reminders without self check-in", async () => {
  const { db } = await freshDatabase();

  it("leaves the self check-in link out when the organisers have turned self check-in off", async () => {
    const quiet = await bangkokMeeting(db, { self_check_in: false });
    await addAgendaItem(db, quiet, { title: "Opening", date: "2027-02-09", start: "09:00", end: "10:00" });
    const online = await participant(db, quiet, { first: "Quiet", mode: "online", timezone: "Asia/Bangkok" });
    assert.ok((await sendDueAttendanceReminders(db, new Date("2027-02-09T00:30:00Z"))) >= 1);
    const email = (await reminders(db)).find((message) => message.to_address === online.email);
    assert.ok(email, "the reminder is sent");
    assert.match(email.text, /Join online: https:\/\/meet\.example\.org/);
    assert.ok(!SELF_CHECK_IN.test(email.text) && !email.html.includes("/attend/"));
  });
});
