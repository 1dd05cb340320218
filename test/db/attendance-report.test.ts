import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { attendanceReport, participantAttendance, publicParticipation, saveAttendanceSettings, whoAttended } from "../../app/attendance/attendance-report.server";
import { participantCertificate } from "../../app/attendance/certificates.server";
import { checkIn, undoCheckIn } from "../../app/attendance/check-ins.server";
import type { Meeting } from "../../db/schema";
import { addAgendaItem } from "../support/agenda";
import { addOnlineSessions, addPerson, at } from "../support/attendance-report";
import { freshDatabase } from "../support/database";
import { addMeeting } from "../support/registration";

/**
 * The attendance report against the rows it is made of: in-person check-ins for days and items
 * (undone ones not counted), online sessions with rejoins and overlaps under and over the
 * meeting's minimum share, someone present both ways counted once, items counted from check-ins
 * for them or their day, and the breakdowns of the meeting, a day or an item.
 */
describe("the attendance report", async () => {
  const { db } = await freshDatabase();
  const D1 = "2026-06-01";
  const D2 = "2026-06-02";
  const zone = "Asia/Bangkok";
  let meeting: Meeting = await addMeeting(db, {
    mode: "hybrid",
    timezone: zone,
    starts_on: D1,
    ends_on: D2,
    starts_at: at({ timezone: zone }, `${D1}T00:00`),
    ends_at: at({ timezone: zone }, "2026-06-03T00:00"),
    online_attendance_percent: 50,
  });
  // Day 1 has items (a break among them); day 2 has none: its webinar decides.
  const opening = await addAgendaItem(db, meeting, { title: "Opening", date: D1, start: "09:00", end: "10:00" });
  const coffee = await addAgendaItem(db, meeting, { title: "Coffee", kind: "break", date: D1, start: "10:00", end: "10:30" });
  const panel = await addAgendaItem(db, meeting, { title: "Panel", kind: "panel", date: D1, start: "10:30", end: "12:00" });

  const person = (first: string, country: string, category: Parameters<typeof addPerson>[2]["category"], gender: Parameters<typeof addPerson>[2]["gender"], status?: "pending") =>
    addPerson(db, meeting, { first, last: `Tester ${first}`, country, category, gender, status });
  const anong = await person("Anong", "TH", "government", "female");
  const binh = await person("Binh", "VN", "expert", "male");
  const chitra = await person("Chitra", "IN", "civil_society", "female");
  const dev = await person("Dev", "IN", "academia", "other");
  const emi = await person("Emi", "JP", "government", "female");
  const fumio = await person("Fumio", "JP", "government", "male");
  const getsuda = await person("Getsuda", "TH", "private_sector", "female");
  const haruki = await person("Haruki", "TH", "media", "male", "pending");
  const inha = await person("Inha", "KR", "media", "female");

  const desk = (registrationId: number, target: { day: string } | { agendaItemId: number }, mode: "in_person" | "online" = "in_person") =>
    checkIn(db, { meetingId: meeting.id, registrationId, target, mode, method: mode === "online" ? "self" : "desk", by: null });

  assert.ok((await desk(anong, { day: D1 })).ok);
  assert.ok((await desk(binh, { agendaItemId: panel })).ok);
  assert.ok((await desk(binh, { day: D2 })).ok);
  assert.ok(await undoCheckIn(db, { meetingId: meeting.id, registrationId: binh, target: { day: D2 }, by: null }));
  assert.ok((await desk(getsuda, { agendaItemId: coffee })).ok);
  assert.ok((await desk(getsuda, { day: D2 }, "online")).ok);
  assert.equal((await desk(haruki, { day: D1 })).ok, false, "a pending registration is not checked in");

  await addOnlineSessions(db, meeting, [
    // Binh is also online for the whole opening, though checked in for the panel in person.
    { registrationId: binh, name: "Binh", from: `${D1}T09:00`, to: `${D1}T10:00` },
    // Chitra rejoins, overlapping: 09:00–09:25 and 09:40–09:45 are 30 of the opening's 60 minutes.
    { registrationId: chitra, name: "Chitra", from: `${D1}T09:00`, to: `${D1}T09:20` },
    { registrationId: chitra, name: "Chitra (phone)", from: `${D1}T09:15`, to: `${D1}T09:25` },
    { registrationId: chitra, name: "Chitra again", from: `${D1}T09:40`, to: `${D1}T09:45` },
    // Dev, overlapping too, is there 29 minutes: under half.
    { registrationId: dev, name: "Dev", from: `${D1}T09:00`, to: `${D1}T09:20` },
    { registrationId: dev, name: "Dev (tablet)", from: `${D1}T09:10`, to: `${D1}T09:29` },
    // Day 2's webinar runs 14:00–16:00 (someone unmatched is there throughout).
    { registrationId: null, name: "Unknown caller", from: `${D2}T14:00`, to: `${D2}T16:00` },
    { registrationId: emi, name: "Emi", from: `${D2}T14:00`, to: `${D2}T15:10` },
    { registrationId: fumio, name: "Fumio", from: `${D2}T14:30`, to: `${D2}T15:00` },
    // A pending registration's sessions count for nothing.
    { registrationId: haruki, name: "Haruki", from: `${D2}T14:00`, to: `${D2}T16:00` },
  ]);

  const reload = async () => {
    meeting = await db.selectFrom("meetings").selectAll().where("id", "=", meeting.id).executeTakeFirstOrThrow();
    return attendanceReport(db, meeting);
  };
  const pick = <T extends { confirmed: number; attended: number; inPerson: number; online: number }>(row: T) => ({
    confirmed: row.confirmed,
    attended: row.attended,
    inPerson: row.inPerson,
    online: row.online,
  });

  it("counts each day and item in person and online, by the minimum share", async () => {
    const report = await reload();
    assert.deepEqual(
      report.days.map((day) => ({ day: day.day, ...pick(day) })),
      [
        { day: D1, confirmed: 8, attended: 4, inPerson: 3, online: 1 },
        { day: D2, confirmed: 8, attended: 2, inPerson: 0, online: 2 },
      ],
    );
    assert.deepEqual(
      report.items.map((item) => ({ title: item.title, ...pick(item) })),
      [
        { title: "Opening", confirmed: 8, attended: 3, inPerson: 1, online: 2 },
        { title: "Panel", confirmed: 8, attended: 2, inPerson: 2, online: 0 },
      ],
      "breaks are not reported; Anong, checked in for the day, attended both items in person",
    );
    assert.equal(report.days[0]!.noShowRate, 0.5);
    const byName = new Map(report.participants.map((p) => [p.firstName, p]));
    assert.deepEqual(byName.get("Anong")!.days, { [D1]: "in_person", [D2]: null });
    assert.deepEqual(byName.get("Binh")!.days, { [D1]: "in_person", [D2]: null }, "present both ways: once, in person; the undone check-in does not count");
    assert.deepEqual(byName.get("Binh")!.items, { [opening]: "online", [panel]: "in_person" }, "checked in for the panel alone");
    assert.deepEqual(byName.get("Anong")!.items, { [opening]: "in_person", [panel]: "in_person" }, "a check-in for the day counts for each of its items");
    assert.deepEqual(byName.get("Getsuda")!.items, {}, "a check-in for the coffee break counts for the day, not for the other items");
    assert.deepEqual(byName.get("Chitra")!.days, { [D1]: "online", [D2]: null }, "30 of 60 minutes is half");
    assert.deepEqual(byName.get("Dev")!.days, { [D1]: null, [D2]: null }, "29 of 60 minutes is under half");
    assert.deepEqual(byName.get("Emi")!.days, { [D1]: null, [D2]: "online" }, "70 of the webinar's 120 minutes");
    assert.deepEqual(byName.get("Fumio")!.days, { [D1]: null, [D2]: null }, "30 of the webinar's 120 minutes");
    assert.deepEqual(byName.get("Getsuda")!.days, { [D1]: "in_person", [D2]: "online" }, "a check-in for a break counts for its day; self check-in online");
    assert.equal(byName.get("Getsuda")!.mode, "in_person");
    assert.equal(byName.has("Haruki"), false, "only confirmed registrations are in the register");
    assert.deepEqual(
      Object.fromEntries(report.participants.map((p) => [p.firstName, p.onlineMinutes])),
      { Anong: 0, Binh: 60, Chitra: 30, Dev: 29, Emi: 70, Fumio: 30, Getsuda: 0, Inha: 0 },
      "overlapping sessions count once",
    );
  });

  it("equals the underlying rows: standing in-person check-ins by day, and the register's own tallies", async () => {
    const report = await reload();
    const rows = await sql<{ day: string; n: number }>`
      select coalesce(c.day, (i.starts_local)::date)::text as day, count(distinct c.registration_id)::int as n
      from check_ins c
      join registrations r on r.id = c.registration_id and r.status = 'confirmed'
      left join agenda_items i on i.id = c.agenda_item_id
      where c.meeting_id = ${meeting.id} and c.undone_at is null and c.mode = 'in_person'
      group by 1`.execute(db);
    const inPersonByDay = Object.fromEntries(rows.rows.map((row) => [row.day, row.n]));
    for (const day of report.days) {
      assert.equal(day.inPerson, inPersonByDay[day.day] ?? 0, `${day.day}: in person as the check-ins say`);
      const modes = report.participants.map((p) => p.days[day.day]);
      assert.equal(day.online, modes.filter((m) => m === "online").length);
      assert.equal(day.attended, day.inPerson + day.online);
    }
    const confirmed = await db.selectFrom("registrations").select((eb) => eb.fn.countAll<string>().as("n")).where("meeting_id", "=", meeting.id).where("status", "=", "confirmed").executeTakeFirstOrThrow();
    assert.equal(report.totals.confirmed, Number(confirmed.n));
    for (const p of report.participants) assert.deepEqual(await participantAttendance(db, meeting, p.registrationId), p, `${p.firstName} alone equals the whole report's row`);
  });

  it("breaks attendance down by country, category and gender, with women's share", async () => {
    const report = await reload();
    assert.deepEqual(pick(report.totals), { confirmed: 8, attended: 5, inPerson: 3, online: 2 });
    assert.equal(report.totals.countries, 4);
    assert.equal(report.totals.women, 4);
    assert.equal(report.totals.womenShare, 0.8);
    assert.equal(report.totals.noShowRate, 1 - 5 / 8);
    const who = whoAttended(report.participants);
    assert.deepEqual([who.attended, who.countries, who.women, who.womenShare], [5, 4, 4, 0.8], "the same as the totals");
    const rows = (breakdown: typeof who.byCountry) => Object.fromEntries(breakdown.map((row) => [row.key, pick(row)]));
    assert.deepEqual(rows(who.byCountry), {
      TH: { confirmed: 2, attended: 2, inPerson: 2, online: 0 },
      VN: { confirmed: 1, attended: 1, inPerson: 1, online: 0 },
      IN: { confirmed: 2, attended: 1, inPerson: 0, online: 1 },
      JP: { confirmed: 2, attended: 1, inPerson: 0, online: 1 },
      KR: { confirmed: 1, attended: 0, inPerson: 0, online: 0 },
    });
    assert.deepEqual(who.byCountry[0], { key: "TH", label: "Thailand", confirmed: 2, attended: 2, inPerson: 2, online: 0, noShowRate: 0 }, "most attended first");
    assert.deepEqual(rows(who.byGender), {
      female: { confirmed: 5, attended: 4, inPerson: 2, online: 2 },
      male: { confirmed: 2, attended: 1, inPerson: 1, online: 0 },
      other: { confirmed: 1, attended: 0, inPerson: 0, online: 0 },
    });
    assert.deepEqual(rows(who.byCategory), {
      government: { confirmed: 3, attended: 2, inPerson: 1, online: 1 },
      expert: { confirmed: 1, attended: 1, inPerson: 1, online: 0 },
      civil_society: { confirmed: 1, attended: 1, inPerson: 0, online: 1 },
      academia: { confirmed: 1, attended: 0, inPerson: 0, online: 0 },
      private_sector: { confirmed: 1, attended: 1, inPerson: 1, online: 0 },
      media: { confirmed: 1, attended: 0, inPerson: 0, online: 0 },
    });
  });

  it("breaks down who attended one day or one item, with the women's share among them", async () => {
    const report = await reload();
    const rows = (breakdown: ReturnType<typeof whoAttended>["byGender"]) => Object.fromEntries(breakdown.map((row) => [row.key, pick(row)]));
    const day1 = whoAttended(report.participants, { kind: "day", day: D1 });
    // Day 1: Anong (in person, TH), Binh (in person, VN), Chitra (online, IN), Getsuda (in person, TH).
    assert.deepEqual([day1.attended, day1.countries, day1.women, day1.womenShare], [4, 3, 3, 0.75]);
    assert.deepEqual(rows(day1.byGender), {
      female: { confirmed: 5, attended: 3, inPerson: 2, online: 1 },
      male: { confirmed: 2, attended: 1, inPerson: 1, online: 0 },
      other: { confirmed: 1, attended: 0, inPerson: 0, online: 0 },
    });
    const day2 = whoAttended(report.participants, { kind: "day", day: D2 });
    assert.deepEqual([day2.attended, day2.women, day2.womenShare], [2, 2, 1], "Emi and Getsuda, online");
    assert.deepEqual(rows(day2.byCountry).JP, { confirmed: 2, attended: 1, inPerson: 0, online: 1 });
    const onPanel = whoAttended(report.participants, { kind: "item", itemId: panel });
    assert.deepEqual([onPanel.attended, onPanel.women, onPanel.womenShare], [2, 1, 0.5], "Anong (for the day) and Binh (for the panel)");
    assert.deepEqual(rows(onPanel.byCategory), {
      government: { confirmed: 3, attended: 1, inPerson: 1, online: 0 },
      expert: { confirmed: 1, attended: 1, inPerson: 1, online: 0 },
      civil_society: { confirmed: 1, attended: 0, inPerson: 0, online: 0 },
      academia: { confirmed: 1, attended: 0, inPerson: 0, online: 0 },
      private_sector: { confirmed: 1, attended: 0, inPerson: 0, online: 0 },
      media: { confirmed: 1, attended: 0, inPerson: 0, online: 0 },
    });
    for (const scope of [{ kind: "day", day: D1 }, { kind: "item", itemId: opening }] as const) {
      const tallied = scope.kind === "day" ? report.days[0]! : report.items.find((item) => item.id === opening)!;
      assert.equal(whoAttended(report.participants, scope).attended, tallied.attended, `${scope.kind}: the breakdowns add up to the table's figure`);
    }
    const nobody = whoAttended(report.participants, { kind: "item", itemId: coffee });
    assert.deepEqual([nobody.attended, nobody.womenShare], [0, null], "an item not reported: nobody");
  });

  it("saves the attendance settings, self check-in among them", async () => {
    await saveAttendanceSettings(db, meeting.id, { onlineAttendancePercent: 50, showsParticipation: false, selfCheckIn: false }, null);
    await reload();
    assert.equal(meeting.self_check_in, false);
    await saveAttendanceSettings(db, meeting.id, { onlineAttendancePercent: 50, showsParticipation: false, selfCheckIn: true }, null);
    await reload();
    assert.equal(meeting.self_check_in, true);
  });

  it("follows the meeting's minimum share: at 60%, half an item or 70 of 120 minutes is not enough", async () => {
    await db.updateTable("meetings").set({ online_attendance_percent: 60 }).where("id", "=", meeting.id).execute();
    const report = await reload();
    assert.deepEqual(
      report.days.map((day) => pick(day)),
      [
        { confirmed: 8, attended: 3, inPerson: 3, online: 0 },
        { confirmed: 8, attended: 1, inPerson: 0, online: 1 },
      ],
    );
    assert.deepEqual(pick(report.totals), { confirmed: 8, attended: 3, inPerson: 3, online: 0 });
    assert.equal(await participantCertificate(db, meeting, chitra), undefined, "no certificate for who did not attend");
    assert.equal(await participantCertificate(db, meeting, inha), undefined);
    await db.updateTable("meetings").set({ online_attendance_percent: 50 }).where("id", "=", meeting.id).execute();
    await reload();
    const certificate = await participantCertificate(db, meeting, getsuda);
    assert.equal(certificate?.attendance, "Attended in person on 1 June 2026, and online on 2 June 2026.");
    assert.equal(certificate?.place, "United Nations Conference Centre, Bangkok, Thailand, and online");
    assert.equal((await participantCertificate(db, meeting, emi))?.place, "Online");
  });

  it("gives the public figures only when the organisers chose to and the meeting is over", async () => {
    const after = new Date(meeting.ends_at.getTime() + 60_000);
    const during = new Date(meeting.ends_at.getTime() - 60_000);
    assert.equal(await publicParticipation(db, meeting, after), null, "not chosen");
    await db.updateTable("meetings").set({ shows_participation: true }).where("id", "=", meeting.id).execute();
    await reload();
    assert.equal(await publicParticipation(db, meeting, during), null, "not over yet");
    assert.deepEqual(await publicParticipation(db, meeting, after), { attended: 5, inPerson: 3, online: 2, countries: 4, womenShare: 0.8 });
  });
});

/**
 * The report is kept in memory by the meeting's page and attendance versions: asked again with
 * nothing changed, it is the same report; every change to what it is made of shows at once.
 */
describe("the kept attendance report", async () => {
  const { db } = await freshDatabase();
  const D1 = "2026-09-01";
  const zone = "Europe/Zurich";
  const first = await addMeeting(db, { mode: "hybrid", timezone: zone, starts_on: D1, ends_on: D1, starts_at: at({ timezone: zone }, `${D1}T00:00`), ends_at: at({ timezone: zone }, "2026-09-02T00:00") });
  await addAgendaItem(db, first, { title: "Opening", date: D1, start: "09:00", end: "10:00" });
  const ada = await addPerson(db, first, { first: "Ada", last: "Kept", country: "CH", category: "expert", gender: "female" });
  const bo = await addPerson(db, first, { first: "Bo", last: "Kept", country: "SE", category: "academia", gender: "male" });
  const current = () => db.selectFrom("meetings").selectAll().where("id", "=", first.id).executeTakeFirstOrThrow();
  const report = async () => attendanceReport(db, await current());
  const modeOf = async (id: number) => (await report()).participants.find((p) => p.registrationId === id)?.mode;

  it("is the same report while nothing changes", async () => {
    const meeting = await current();
    assert.equal(await attendanceReport(db, meeting), await attendanceReport(db, meeting));
  });

  it("shows a check-in, its undoing, online sessions, an edited or cancelled registration and a new item at once", async () => {
    assert.equal(await modeOf(ada), null);
    assert.ok((await checkIn(db, { meetingId: first.id, registrationId: ada, target: { day: D1 }, mode: "in_person", method: "desk", by: null })).ok);
    assert.equal(await modeOf(ada), "in_person", "checked in");
    assert.ok(await undoCheckIn(db, { meetingId: first.id, registrationId: ada, target: { day: D1 }, by: null }));
    assert.equal(await modeOf(ada), null, "undone");
    await addOnlineSessions(db, first, [{ registrationId: bo, name: "Bo", from: `${D1}T09:00`, to: `${D1}T10:00` }]);
    assert.equal(await modeOf(bo), "online", "an import's sessions");
    await db.updateTable("registrations").set({ last_name: "Renamed" }).where("id", "=", bo).execute();
    assert.equal((await report()).participants.find((p) => p.registrationId === bo)?.lastName, "Renamed", "an edited name");
    await addAgendaItem(db, first, { title: "Closing", date: D1, start: "16:00", end: "17:00" });
    assert.deepEqual((await report()).items.map((item) => item.title), ["Opening", "Closing"], "a new item");
    await db.updateTable("registrations").set({ status: "cancelled" }).where("id", "=", bo).execute();
    assert.equal(await modeOf(bo), undefined, "a cancelled registration leaves the register");
  });

  it("is not kept from inside a transaction, whose changes may be rolled back", async () => {
    const rolledBack = new Error("rolled back");
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("check_ins").values({ meeting_id: first.id, registration_id: ada, day: D1, mode: "in_person", method: "desk", recorded_by: null }).execute();
        const meeting = await trx.selectFrom("meetings").selectAll().where("id", "=", first.id).executeTakeFirstOrThrow();
        assert.equal((await attendanceReport(trx, meeting)).participants.find((p) => p.registrationId === ada)?.mode, "in_person", "the transaction sees its check-in");
        throw rolledBack;
      }),
      rolledBack,
    );
    assert.equal(await modeOf(ada), null, "outside, after the rollback, nobody was checked in");
    await db.updateTable("registrations").set({ organisation: "Another ministry" }).where("id", "=", ada).execute();
    assert.equal(await modeOf(ada), null, "nor after the next commit");
  });

  it("numbers each committed change once per meeting, and goes with its meeting", async () => {
    const gone = await addMeeting(db, { timezone: zone, starts_on: D1, ends_on: D1 });
    const version = async () => (await db.selectFrom("attendance_versions").select("version").where("meeting_id", "=", gone.id).executeTakeFirst())?.version;
    assert.equal(await version(), "0", "a new meeting starts at 0");
    const person = await addPerson(db, gone, { first: "Cy", last: "Gone", country: "CH", category: "expert", gender: "other" });
    const afterPerson = Number(await version());
    assert.ok(afterPerson > 0, "a registration changes it");
    await db.transaction().execute(async (trx) => {
      await trx.insertInto("check_ins").values({ meeting_id: gone.id, registration_id: person, day: D1, mode: "in_person", method: "desk", recorded_by: null }).execute();
      await trx.updateTable("check_ins").set({ undone_at: new Date() }).where("registration_id", "=", person).execute();
      await trx.updateTable("registrations").set({ organisation: "Elsewhere" }).where("id", "=", person).execute();
      assert.equal(Number(await trx.selectFrom("attendance_versions").select("version").where("meeting_id", "=", gone.id).executeTakeFirstOrThrow().then((row) => row.version)), afterPerson, "not before the commit");
    });
    assert.equal(Number(await version()), afterPerson + 1, "three changes in one transaction: one bump, at its commit");
    await addOnlineSessions(db, gone, [{ registrationId: person, name: "Cy", from: `${D1}T09:00`, to: `${D1}T10:00` }]);
    assert.equal(Number(await version()), afterPerson + 2, "an import's sessions");
    await db.deleteFrom("meetings").where("id", "=", gone.id).execute();
    assert.equal(await version(), undefined, "deleting the meeting (its registrations, check-ins and sessions with it) deletes its version");
  });
});
