import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import { DateTime } from "luxon";
import { badgeCode, readReference, registrationOfBadge, reissueBadge } from "../../app/attendance/check-in-reference.server";
import { checkIn, standingCheckIn, undoCheckIn } from "../../app/attendance/check-ins.server";
import { defaultDeskDay, deskCounts, deskTarget, SEARCH_LIMIT, searchDesk } from "../../app/attendance/check-in-desk.server";
import { countQueries, createDatabase } from "../../db/connection.server";
import type { Database } from "../../db/schema";
import { addAgendaItem } from "../support/agenda";
import { freshDatabase } from "../support/database";
import { addRegistration } from "../support/inputs";
import { addMeeting } from "../support/registration";

/** Check-ins at the door: several desks at once, undo, refusals, and the badge's reference. */
describe("check-ins", async () => {
  const { db, url } = await freshDatabase();
  const meeting = await addMeeting(db, { timezone: "Asia/Bangkok" });
  const other = await addMeeting(db);
  const day = meeting.starts_on;
  const registrationRow = (id: number) => db.selectFrom("registrations").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const standingRows = (registrationId: number) =>
    db.selectFrom("check_ins").selectAll().where("registration_id", "=", registrationId).where("undone_at", "is", null).execute();

  it("records one standing check-in when ten desks check the same person in at once", async () => {
    const person = await addRegistration(db, meeting, { first: "Siriporn", last: "Chaiyaporn" });
    // A wide pool, so that the desks' check-ins really run at once on separate connections.
    const wide: Kysely<Database> = createDatabase(url, 12);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, desk) =>
        checkIn(wide, { meetingId: meeting.id, registrationId: person.id, target: { day }, mode: "in_person", method: desk % 2 ? "badge" : "desk", by: null }),
      ),
    ).finally(() => wide.destroy());
    assert.ok(outcomes.every((outcome) => outcome.ok));
    const created = outcomes.filter((outcome) => outcome.ok && outcome.created);
    assert.equal(created.length, 1, "exactly one desk recorded it");
    const rows = await standingRows(person.id);
    assert.equal(rows.length, 1);
    // The others learn of the one that stands.
    for (const outcome of outcomes) if (outcome.ok) assert.equal(outcome.checkIn.id, rows[0]!.id);
    assert.deepEqual(await deskCounts(db, meeting.id, { day }), { checkedIn: 1, confirmed: 1 });
  });

  it("undoes a check-in, keeping it marked, and checks the person in again", async () => {
    const person = await addRegistration(db, meeting, { first: "Anh", last: "Tran" });
    const first = await checkIn(db, { meetingId: meeting.id, registrationId: person.id, target: { day }, mode: "in_person", method: "desk", by: null });
    assert.ok(first.ok && first.created);
    assert.equal(await undoCheckIn(db, { meetingId: meeting.id, registrationId: person.id, target: { day }, by: null }), true);
    assert.equal(await standingCheckIn(db, person.id, { day }), undefined);
    assert.equal(await undoCheckIn(db, { meetingId: meeting.id, registrationId: person.id, target: { day }, by: null }), false, "nothing left to undo");
    const again = await checkIn(db, { meetingId: meeting.id, registrationId: person.id, target: { day }, mode: "in_person", method: "badge", by: null });
    assert.ok(again.ok && again.created);
    const all = await db.selectFrom("check_ins").selectAll().where("registration_id", "=", person.id).orderBy("id").execute();
    assert.equal(all.length, 2);
    assert.notEqual(all[0]!.undone_at, null);
    assert.equal(all[1]!.undone_at, null);
    assert.equal(all[1]!.method, "badge");
  });

  it("checks in for an agenda item apart from the day, and only the meeting's own items", async () => {
    const person = await addRegistration(db, meeting, { first: "Lan", last: "Pham" });
    const item = await addAgendaItem(db, meeting, { title: "Opening", date: day, start: "09:00", end: "10:00" });
    const otherItem = await addAgendaItem(db, other, { title: "Elsewhere", date: other.starts_on, start: "09:00", end: "10:00" });
    const forItem = await checkIn(db, { meetingId: meeting.id, registrationId: person.id, target: { agendaItemId: item }, mode: "in_person", method: "desk", by: null });
    assert.ok(forItem.ok && forItem.created);
    assert.equal(await standingCheckIn(db, person.id, { day }), undefined, "the item is not the day");
    const wrong = await checkIn(db, { meetingId: meeting.id, registrationId: person.id, target: { agendaItemId: otherItem }, mode: "in_person", method: "desk", by: null });
    assert.deepEqual(wrong.ok ? null : wrong.reason, "unknown");
  });

  it("refuses people who are not confirmed, naming their status, and records nothing", async () => {
    for (const [status, words] of [
      ["pending", "pending"],
      ["waitlisted", "waiting list"],
      ["cancelled", "cancelled"],
      ["declined", "declined"],
    ] as const) {
      const person = await addRegistration(db, meeting, { first: "Ravi", last: `Kumar-${status}`, status });
      const outcome = await checkIn(db, { meetingId: meeting.id, registrationId: person.id, target: { day }, mode: "in_person", method: "desk", by: null });
      assert.equal(outcome.ok, false);
      if (outcome.ok) continue;
      assert.equal(outcome.reason, "not-confirmed");
      assert.match(outcome.message, new RegExp(`Ravi Kumar-${status} is not confirmed \\(registration ${words}\\)`));
      assert.equal((await standingRows(person.id)).length, 0);
    }
    const stranger = await addRegistration(db, other, { first: "Other", last: "Meeting" });
    const elsewhere = await checkIn(db, { meetingId: meeting.id, registrationId: stranger.id, target: { day }, mode: "in_person", method: "desk", by: null });
    assert.equal(elsewhere.ok ? null : elsewhere.reason, "unknown");
  });

  it("verifies a badge's reference; a forged one or another meeting's does not; reissuing retires the old one", async () => {
    const person = await addRegistration(db, meeting, { first: "Nguyễn Thị", last: "Hồng" });
    const code = badgeCode(meeting.slug, await registrationRow(person.id));
    assert.match(code, new RegExp(`/admin/meetings/${meeting.slug}/checkin\\?badge=${person.id}\\.[A-Za-z0-9_-]{43}$`));
    assert.equal((await registrationOfBadge(db, meeting.id, code))?.id, person.id);
    const reference = new URL(code).searchParams.get("badge")!;
    assert.equal((await registrationOfBadge(db, meeting.id, reference))?.id, person.id, "the reference alone, as typed");
    assert.equal((await registrationOfBadge(db, meeting.id, `  ${code}\n`))?.id, person.id, "with a hardware scanner's line end");

    const secret = readReference(code)!.secret;
    const forged = code.replace(secret, (secret[0] === "A" ? "B" : "A") + secret.slice(1));
    assert.equal(await registrationOfBadge(db, meeting.id, forged), undefined);
    assert.equal(await registrationOfBadge(db, meeting.id, "not a badge at all"), undefined);
    assert.equal(await registrationOfBadge(db, other.id, code), undefined, "another meeting's desk");
    const someoneElse = await addRegistration(db, meeting, { first: "Mai", last: "Do" });
    assert.equal(await registrationOfBadge(db, meeting.id, code.replace(`=${person.id}.`, `=${someoneElse.id}.`)), undefined, "another person's number with this secret");

    assert.equal(await reissueBadge(db, meeting.id, person.id, null), true);
    assert.equal(await registrationOfBadge(db, meeting.id, code), undefined, "the lost badge no longer works");
    const renewed = badgeCode(meeting.slug, await registrationRow(person.id));
    assert.notEqual(renewed, code);
    assert.equal((await registrationOfBadge(db, meeting.id, renewed))?.id, person.id);
    assert.equal(await reissueBadge(db, other.id, person.id, null), false, "not through another meeting");
  });

  it("finds people by name, organisation, country name or code, and says whether they are in", async () => {
    const meetingB = await addMeeting(db, { timezone: "Europe/Zurich" });
    const dayB = meetingB.starts_on;
    const a = await addRegistration(db, meetingB, { first: "Kiri", last: "Tane", country: "NZ", organisation: "Pacific Islands Telecommunications Association" });
    await addRegistration(db, meetingB, { first: "Sione", last: "Vake", country: "TO", organisation: "Tonga Cable Ltd" });
    await addRegistration(db, meetingB, { first: "Pending", last: "Person", country: "FJ", status: "pending" });
    await checkIn(db, { meetingId: meetingB.id, registrationId: a.id, target: { day: dayB }, mode: "in_person", method: "desk", by: null });
    const names = async (q: string) => (await searchDesk(db, meetingB, q, { day: dayB })).map((person) => person.name);
    assert.deepEqual(await names("tane"), ["Kiri Tane"]);
    assert.deepEqual(await names("tane kiri"), ["Kiri Tane"]);
    assert.deepEqual(await names("cable"), ["Sione Vake"]);
    assert.deepEqual(await names("tonga"), ["Sione Vake"]);
    assert.deepEqual(await names("nz"), ["Kiri Tane"]);
    assert.deepEqual(await names("new zealand"), ["Kiri Tane"]);
    assert.deepEqual(await names("fiji"), ["Pending Person"], "people not confirmed are found too, to be told why");
    assert.deepEqual(await names("100%_"), []);
    const [found] = await searchDesk(db, meetingB, "Kiri", { day: dayB });
    assert.equal(found!.country, "New Zealand");
    assert.match(found!.checkedIn!.at, /Zurich time$/);
    assert.equal(found!.checkedIn!.method, "at the desk");
    assert.equal((await searchDesk(db, meetingB, "Sione", { day: dayB }))[0]!.checkedIn, null);
  });

  it("shows at most SEARCH_LIMIT people for a common name, by last then first name, each with their own check-in", async () => {
    const conference = await addMeeting(db, { slug: "desk-common-name", timezone: "Asia/Ho_Chi_Minh" });
    const day = conference.starts_on;
    const elsewhere = await addMeeting(db, { slug: "desk-common-name-elsewhere" });
    await addRegistration(db, elsewhere, { first: "Aaron", last: "Nguyen" });
    const firstNames = Array.from({ length: SEARCH_LIMIT + 10 }, (_, n) => `Minh ${String(SEARCH_LIMIT + 10 - n).padStart(2, "0")}`);
    const people = [];
    for (const first of firstNames) people.push({ first, ...(await addRegistration(db, conference, { first, last: "Nguyen" })) });
    await addRegistration(db, conference, { first: "Anh", last: "Tran" });
    const onThePage = people.find((person) => person.first === "Minh 02")!;
    const pastThePage = people.find((person) => person.first === `Minh ${SEARCH_LIMIT + 5}`)!;
    for (const person of [onThePage, pastThePage]) await checkIn(db, { meetingId: conference.id, registrationId: person.id, target: { day }, mode: "in_person", method: "desk", by: null });

    const found = await searchDesk(db, conference, "nguyen", { day });
    const expected = [...firstNames].sort().slice(0, SEARCH_LIMIT).map((first) => `${first} Nguyen`);
    assert.deepEqual(found.map((person) => person.name), expected, "the first page by first name, nobody from the other meeting");
    assert.deepEqual(found.filter((person) => person.checkedIn).map((person) => person.id), [onThePage.id], "only the checked-in person on the page says so");
    assert.deepEqual(await deskCounts(db, conference.id, { day }), { checkedIn: 2, confirmed: SEARCH_LIMIT + 11 });
  });

  it("offers the agenda as it is now: an item added or renamed is at the desk's next request, which reads nothing again until then", async () => {
    const conference = await addMeeting(db, { slug: "desk-agenda", timezone: "Asia/Bangkok" });
    const current = () => db.selectFrom("meetings").selectAll().where("id", "=", conference.id).executeTakeFirstOrThrow();
    const items = async () => {
      const desk = await deskTarget(db, await current(), {});
      assert.ok(desk.ok);
      return desk.choices.items.map((choice) => choice.label.replace(/^.*: /, ""));
    };
    assert.deepEqual(await items(), []);
    const opening = await addAgendaItem(db, conference, { title: "Opening", date: conference.starts_on, start: "09:00", end: "10:00" });
    assert.deepEqual(await items(), ["Opening"]);
    const unchanged = await current();
    assert.equal((await countQueries(() => deskTarget(db, unchanged, {}))).queries, 0, "kept while the meeting's version stands");
    await db.updateTable("agenda_items").set({ title: "Opening session" }).where("id", "=", opening).execute();
    assert.deepEqual(await items(), ["Opening session"]);
    const byItem = await deskTarget(db, await current(), { item: opening });
    assert.ok(byItem.ok && "agendaItemId" in byItem.target && byItem.target.agendaItemId === opening);
  });

  it("defaults the desk to today in the meeting's zone, or the nearest meeting day", () => {
    const m = { id: 0, timezone: "Pacific/Auckland", starts_on: "2027-03-02", ends_on: "2027-03-04" };
    // 2027-03-02 20:00 UTC is already 3 March in Auckland (UTC+13).
    assert.equal(defaultDeskDay(m, new Date("2027-03-02T20:00:00Z")), "2027-03-03");
    assert.equal(defaultDeskDay(m, new Date("2027-02-01T00:00:00Z")), "2027-03-02");
    assert.equal(defaultDeskDay(m, new Date("2027-05-01T00:00:00Z")), "2027-03-04");
  });

  it("checks people in only for a day of the meeting", async () => {
    const meeting = await addMeeting(db, { slug: "desk-days", timezone: "Pacific/Auckland" });
    const lastDay = await deskTarget(db, meeting, { day: meeting.ends_on });
    assert.ok(lastDay.ok && "day" in lastDay.target && lastDay.target.day === meeting.ends_on);
    const nextTo = (day: string, days: number) => DateTime.fromISO(day).plus({ days }).toISODate()!;
    for (const day of [nextTo(meeting.starts_on, -1), nextTo(meeting.ends_on, 1), "2027-02-30"]) {
      const refused = await deskTarget(db, meeting, { day });
      assert.ok(!refused.ok && refused.status === 400 && refused.message.startsWith(`${day} is not a day of this meeting`), day);
    }
  });
});
