import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import { reissueBadge, selfCheckInUrl } from "../../app/attendance/check-in-reference.server";
import { redactUrl } from "../../app/lib/redact";
import { formatInstantForPerson, instantOfWallTime, isoInstant } from "../../app/lib/time";
import type { Database, Meeting, RegistrationStatus } from "../../db/schema";
import { addAgendaItem } from "../support/agenda";
import { addRegistration, wallClockIn } from "../support/inputs";
import { addMeeting } from "../support/registration";
import { assertBody, startApp } from "./app";

/** The self check-in link of the day's reminder, opened at the real time now against items placed around it. */

const BROWSER = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";
const SCANNER = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)";
const ZONE = "Asia/Bangkok";

/** An online meeting in Bangkok whose days cover the items, each `[title, hours from now to start, to end]`. */
async function meetingWith(db: Kysely<Database>, items: [string, number, number][]): Promise<{ meeting: Meeting; itemIds: number[] }> {
  const walls = items.map(([, from, to]) => [wallClockIn(from, ZONE), wallClockIn(to, ZONE)] as const);
  const days = walls.flat().map((wall) => wall.slice(0, 10)).sort();
  const meeting = await addMeeting(db, {
    mode: "online",
    online_url: "https://meet.example.org/j/self-check-in",
    venue_name: null,
    venue_city: null,
    venue_country: null,
    timezone: ZONE,
    starts_on: days[0]!,
    ends_on: days.at(-1)!,
    starts_at: new Date(Date.now() - 2 * 86_400_000),
    ends_at: new Date(Date.now() + 2 * 86_400_000),
  });
  const itemIds: number[] = [];
  for (const [index, [title]] of items.entries()) {
    const [start, end] = walls[index]!;
    itemIds.push(await addAgendaItem(db, meeting, { title, date: start.slice(0, 10), start: start.slice(11), endDate: end.slice(0, 10), end: end.slice(11) }));
  }
  return { meeting, itemIds };
}

async function linkOf(db: Kysely<Database>, meeting: Meeting, first: string, status: RegistrationStatus = "confirmed", timezone: string | null = null) {
  const { id } = await addRegistration(db, meeting, { first, last: "Online", status });
  await db.updateTable("registrations").set({ attendance_mode: "online", timezone }).where("id", "=", id).execute();
  const registration = await db.selectFrom("registrations").select(["id", "checkin_salt"]).where("id", "=", id).executeTakeFirstOrThrow();
  return { id, url: selfCheckInUrl(meeting.slug, registration) };
}

async function checkIns(db: Kysely<Database>, registrationId: number) {
  return db.selectFrom("check_ins").selectAll().where("registration_id", "=", registrationId).execute();
}

describe("self check-in", async () => {
  const { db, request } = await startApp();
  const open = await meetingWith(db, [["Opening session", -1 / 6, 5 / 6]]);

  it("records online attendance when opened during the session, once", async () => {
    const person = await linkOf(db, open.meeting, "Ana");
    const first = await request(person.url, { headers: { "User-Agent": BROWSER } });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get("Referrer-Policy"), "no-referrer");
    assert.equal(first.headers.get("Cache-Control"), "no-store");
    assertBody(first.body, "your attendance at Opening session is recorded");
    const rows = await checkIns(db, person.id);
    assert.equal(rows.length, 1);
    assert.deepEqual(
      { item: rows[0]!.agenda_item_id, day: rows[0]!.day, mode: rows[0]!.mode, method: rows[0]!.method, by: rows[0]!.recorded_by },
      { item: open.itemIds[0], day: null, mode: "online", method: "self", by: null },
    );
    const again = await request(person.url, { headers: { "User-Agent": BROWSER } });
    assert.equal(again.status, 200);
    assertBody(again.body, "Your attendance at Opening session was already recorded");
    assert.equal((await checkIns(db, person.id)).length, 1);
    assert.ok(!redactUrl(new URL(person.url).pathname).includes(person.url.split("/").at(-1)!), "the token never reaches the request log");
  });

  it("records nothing for a link scanner or a HEAD request, and lets the person record with a button", async () => {
    const person = await linkOf(db, open.meeting, "Bao");
    const scanned = await request(person.url, { headers: { "User-Agent": SCANNER } });
    assert.equal(scanned.status, 200);
    assertBody(scanned.body, "Record my attendance");
    assert.equal((await request(person.url, { method: "HEAD", headers: { "User-Agent": BROWSER } })).status, 200);
    assert.deepEqual(await checkIns(db, person.id), []);
    const pressed = await request(person.url, { method: "POST", body: new URLSearchParams(), headers: { "User-Agent": BROWSER } });
    assert.equal(pressed.status, 200);
    assertBody(pressed.body, "your attendance at Opening session is recorded");
    assert.equal((await checkIns(db, person.id)).length, 1);
  });

  it("refuses someone not confirmed, recording nothing", async () => {
    const person = await linkOf(db, open.meeting, "Chen", "waitlisted");
    const response = await request(person.url, { headers: { "User-Agent": BROWSER } });
    assert.equal(response.status, 403);
    assertBody(response.body, "Your registration is not confirmed (waiting list): only confirmed participants can record their attendance");
    assert.deepEqual(await checkIns(db, person.id), []);
  });

  it("records nothing outside a session's window and says when the next one opens, in the meeting's time and the person's", async () => {
    const later = await meetingWith(db, [["Afternoon session", 3, 4]]);
    const person = await linkOf(db, later.meeting, "Dana", "confirmed", "America/New_York");
    const response = await request(person.url, { headers: { "User-Agent": BROWSER } });
    assert.equal(response.status, 200);
    assertBody(response.body, "Check-in is not open now, so nothing was recorded");
    const starts = instantOfWallTime(wallClockIn(3, ZONE), ZONE);
    assert.ok(starts.ok);
    const opens = formatInstantForPerson(new Date(starts.at.getTime() - 15 * 60_000), ZONE, "America/New_York");
    assertBody(response.body, `check-in opens <time dateTime="${isoInstant(new Date(starts.at.getTime() - 15 * 60_000))}">${opens}</time>`);
    assert.deepEqual(await checkIns(db, person.id), []);
  });

  it("lets the person choose among parallel sessions", async () => {
    const parallel = await meetingWith(db, [["Track A: spectrum", -1 / 4, 1], ["Track B: cybersecurity", -1 / 4, 1]]);
    const person = await linkOf(db, parallel.meeting, "Eru");
    const asked = await request(person.url, { headers: { "User-Agent": BROWSER } });
    assertBody(asked.body, "Which one are you attending?");
    assert.deepEqual(await checkIns(db, person.id), []);
    const badBodies: [string, string][] = [["application/json", '{"item":1}'], ["text/plain", "item=1"], ["multipart/form-data; boundary=x", "--x\r\nbroken"]];
    for (const [type, body] of badBodies) {
      const refused = await request(person.url, { method: "POST", body, headers: { "User-Agent": BROWSER, "Content-Type": type } });
      assert.equal(refused.status, 400, type);
      assert.equal(refused.headers.get("Cache-Control"), "no-store", type);
    }
    const garbled = await request(person.url, { method: "POST", body: new URLSearchParams({ item: "1e3" }), headers: { "User-Agent": BROWSER } });
    assert.equal(garbled.status, 200, "a bad choice is asked again, never a 500");
    assertBody(garbled.body, "Which one are you attending?");
    const chosen = await request(person.url, { method: "POST", body: new URLSearchParams({ item: String(parallel.itemIds[1]) }), headers: { "User-Agent": BROWSER } });
    assertBody(chosen.body, "your attendance at Track B: cybersecurity is recorded");
    assert.deepEqual((await checkIns(db, person.id)).map((row) => row.agenda_item_id), [parallel.itemIds[1]]);
  });

  it("answers an unknown, forged, retired or other meeting's link with 404", async () => {
    const person = await linkOf(db, open.meeting, "Farida");
    const token = person.url.split("/").at(-1)!;
    const other = await meetingWith(db, [["Elsewhere", -1 / 6, 1]]);
    const forged = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    for (const path of [
      `/meetings/${open.meeting.slug}/attend/nonsense`,
      `/meetings/${open.meeting.slug}/attend/${forged}`,
      `/meetings/${other.meeting.slug}/attend/${token}`,
      `/meetings/no-such-meeting/attend/${token}`,
    ]) {
      const response = await request(path, { headers: { "User-Agent": BROWSER } });
      assert.equal(response.status, 404, path);
      assert.equal(response.headers.get("Cache-Control"), "no-store", path);
    }
    assert.ok(await reissueBadge(db, open.meeting.id, person.id, null));
    assert.equal((await request(person.url, { headers: { "User-Agent": BROWSER } })).status, 404, "a reissued badge retires the link");
    assert.deepEqual(await checkIns(db, person.id), []);
  });

  it("records nothing when the organisers have turned self check-in off", async () => {
    const person = await linkOf(db, open.meeting, "Gita");
    await db.updateTable("meetings").set({ self_check_in: false }).where("id", "=", open.meeting.id).execute();
    const response = await request(person.url, { headers: { "User-Agent": BROWSER } });
    await db.updateTable("meetings").set({ self_check_in: true }).where("id", "=", open.meeting.id).execute();
    assert.equal(response.status, 200);
    assertBody(response.body, "The organisers record attendance at this meeting themselves");
    assert.deepEqual(await checkIns(db, person.id), []);
  });
});
