import assert from "node:assert/strict";
import { describe, it } from "node:test";
import ICAL from "ical.js";
import { DateTime } from "luxon";
import { issueFeedToken, revokeFeedToken, setFeedScope } from "../../app/calendar/personal-feed.server";
import { redactUrl } from "../../app/lib/redact";
import { addAgendaItem } from "../support/agenda";
import { addRegistration } from "../support/inputs";
import { addMeeting, registeredRedirect, registrationBody } from "../support/registration";
import { signedIn, startApp } from "./app";

/** A person's private feed at /feeds/:token/calendar.ics, read back with ical.js. */

function uids(text: string): string[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar
    .getAllSubcomponents("vevent")
    .map((event) => String(event.getFirstPropertyValue("uid")))
    .sort();
}

describe("a person's private calendar feed", async () => {
  const { db, request } = await startApp();
  const email = "kalani.fifita@example.to";
  const attended = await addMeeting(db, { mode: "hybrid", online_url: "https://meet.example.org/join/apt-pacific", timezone: "Pacific/Tongatapu" });
  const other = await addMeeting(db, { mode: "online", online_url: "https://meet.example.org/join/not-yours", venue_city: null, venue_country: null, venue_name: null });
  const opening = await addAgendaItem(db, attended, { title: "Opening", date: attended.starts_on, start: "09:00", end: "10:00" });
  const panel = await addAgendaItem(db, attended, { title: "Panel on submarine cables", date: attended.starts_on, start: "10:30", end: "12:00" });
  const elsewhere = await addAgendaItem(db, other, { title: "Webinar", date: other.starts_on, start: "14:00", end: "15:30" });
  const registered = await request(`/meetings/${attended.slug}/register`, {
    method: "POST",
    body: registrationBody({ email, attendanceMode: "online" }),
  });
  registeredRedirect(registered);
  const { userId, cookie } = await signedIn(db, email, "participant");
  const host = "localhost:3000";

  it("shows the meetings the person is confirmed for with their agendas and joining link, privately", async () => {
    const token = await issueFeedToken(db, userId);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/, "256 random bits");
    const response = await request(`/feeds/${token}/calendar.ics`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("Content-Type"), "text/calendar; charset=utf-8");
    assert.match(response.headers.get("Cache-Control") ?? "", /^private/);
    assert.deepEqual(uids(response.body), [
      `meeting-${attended.id}-item-${opening}@${host}`,
      `meeting-${attended.id}-item-${panel}@${host}`,
      `meeting-${attended.id}@${host}`,
    ].sort());
    assert.match(response.body, /Join online: https:\/\/meet\.example\.org\/join\/apt-pacific/);
    assert.ok(!response.body.includes("not-yours"));
    assert.ok(!response.body.includes(`item-${elsewhere}@`));
    const again = await request(`/feeds/${token}/calendar.ics`, { headers: { "If-None-Match": response.headers.get("ETag")! } });
    assert.equal(again.status, 304);
    assert.ok(!redactUrl(`/feeds/${token}/calendar.ics`).includes(token), "the token never reaches the request log");
    await db.updateTable("meetings").set({ status: "draft", updated_at: new Date() }).where("id", "=", attended.id).execute();
    assert.deepEqual(uids((await request(`/feeds/${token}/calendar.ics`)).body), [], "a meeting back in draft leaves the feed");
    await db.updateTable("meetings").set({ status: "published", updated_at: new Date() }).where("id", "=", attended.id).execute();
  });

  it("shows only starred items when the person chose that", async () => {
    const token = await issueFeedToken(db, userId);
    const before = await request(`/feeds/${token}/calendar.ics`);
    await setFeedScope(db, userId, "starred");
    await db.insertInto("agenda_stars").values([{ user_id: userId, item_id: panel }, { user_id: userId, item_id: elsewhere }]).execute();
    const response = await request(`/feeds/${token}/calendar.ics`, { headers: { "If-None-Match": before.headers.get("ETag")! } });
    assert.equal(response.status, 200, "a new choice is a new version");
    assert.deepEqual(uids(response.body), [`meeting-${attended.id}-item-${panel}@${host}`, `meeting-${other.id}-item-${elsewhere}@${host}`].sort());
    assert.ok(!response.body.includes("not-yours"), "no joining link for a meeting the person is not confirmed for");
    await db.deleteFrom("agenda_stars").where("user_id", "=", userId).where("item_id", "=", elsewhere).execute();
    const unstarred = await request(`/feeds/${token}/calendar.ics`, { headers: { "If-None-Match": response.headers.get("ETag")! } });
    assert.equal(unstarred.status, 200, "unstarring changes the feed");
    assert.deepEqual(uids(unstarred.body), [`meeting-${attended.id}-item-${panel}@${host}`]);
    await setFeedScope(db, userId, "registrations");
  });

  it("answers a retired, revoked, unknown or malformed token with a bare 404", async () => {
    const old = await issueFeedToken(db, userId);
    const current = await issueFeedToken(db, userId);
    assert.equal((await request(`/feeds/${old}/calendar.ics`)).status, 404, "rotating retires the old URL");
    assert.equal((await request(`/feeds/${current}/calendar.ics`)).status, 200);
    await revokeFeedToken(db, userId);
    const revoked = await request(`/feeds/${current}/calendar.ics`);
    assert.equal(revoked.status, 404);
    const unknown = await request(`/feeds/${"A".repeat(43)}/calendar.ics`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body, revoked.body, "no hint whether a token ever existed");
    assert.equal((await request("/feeds/not-a-token/calendar.ics")).status, 404);
  });

  it("keeps the meetings of the last twelve months and those ahead, as /calendar.ics does", async () => {
    const endedMonthsAgo = async (months: number) => {
      const end = DateTime.now().setZone("Asia/Bangkok").minus({ months }).startOf("day");
      const start = end.minus({ days: 1 });
      const meeting = await addMeeting(db, { starts_on: start.toISODate()!, ends_on: end.toISODate()!, starts_at: start.toJSDate(), ends_at: end.plus({ days: 1 }).toJSDate() });
      const item = await addAgendaItem(db, meeting, { title: `Session ${months} months ago`, date: meeting.starts_on, start: "09:00", end: "10:00" });
      await addRegistration(db, meeting, { first: "Kalani", last: "Fifita", email });
      return { meeting, item };
    };
    const recent = await endedMonthsAgo(11);
    const old = await endedMonthsAgo(13);
    const token = await issueFeedToken(db, userId);
    const answer = await request(`/feeds/${token}/calendar.ics`);
    const feed = uids(answer.body);
    assert.ok(feed.includes(`meeting-${recent.meeting.id}@${host}`) && feed.includes(`meeting-${recent.meeting.id}-item-${recent.item}@${host}`), "a meeting that ended eleven months ago stays");
    assert.ok(feed.includes(`meeting-${attended.id}@${host}`), "and the one ahead");
    assert.ok(!feed.some((uid) => uid.startsWith(`meeting-${old.meeting.id}`)), "a meeting that ended thirteen months ago has left the feed, with its agenda");

    // Its registrations keep its end (a trigger): moved into the window, the meeting is back, as a new version.
    const { starts_on, ends_on, starts_at, ends_at } = recent.meeting;
    await db.updateTable("meetings").set({ starts_on, ends_on, starts_at, ends_at, updated_at: new Date() }).where("id", "=", old.meeting.id).execute();
    const after = await request(`/feeds/${token}/calendar.ics`, { headers: { "If-None-Match": answer.headers.get("ETag")! } });
    assert.equal(after.status, 200, "a meeting moved into the window is a new version");
    assert.ok(uids(after.body).includes(`meeting-${old.meeting.id}@${host}`));
    await db.updateTable("meetings").set({ starts_on: old.meeting.starts_on, ends_on: old.meeting.ends_on, starts_at: old.meeting.starts_at, ends_at: old.meeting.ends_at, updated_at: new Date() }).where("id", "=", old.meeting.id).execute();
    assert.ok(!uids((await request(`/feeds/${token}/calendar.ics`)).body).some((uid) => uid.startsWith(`meeting-${old.meeting.id}`)), "and moved back, gone again");

    await setFeedScope(db, userId, "starred");
    await db.insertInto("agenda_stars").values([{ user_id: userId, item_id: recent.item }, { user_id: userId, item_id: old.item }]).execute();
    assert.deepEqual(uids((await request(`/feeds/${token}/calendar.ics`)).body), [`meeting-${attended.id}-item-${panel}@${host}`, `meeting-${recent.meeting.id}-item-${recent.item}@${host}`].sort(), "starred items too");
    await db.deleteFrom("agenda_stars").where("item_id", "in", [recent.item, old.item]).execute();
    await setFeedScope(db, userId, "registrations");
  });

  it("is made, shown again, given a new address and turned off at /my", async () => {
    const feedOnPage = async () => {
      const page = await request("/my", { cookie });
      assert.equal(page.status, 200);
      assert.equal(page.headers.get("Cache-Control"), "no-store");
      return /value="(http:\/\/localhost:3000\/feeds\/[A-Za-z0-9_-]{43}\/calendar\.ics)"/.exec(page.body)?.[1] ?? null;
    };
    const post = (fields: Record<string, string>) => request("/my", { method: "POST", cookie, body: new URLSearchParams(fields) });
    await revokeFeedToken(db, userId);
    assert.equal(await feedOnPage(), null);
    assert.equal((await post({ intent: "feed-create" })).status, 200);
    const first = await feedOnPage();
    assert.ok(first, "the address is on the page");
    assert.equal(await feedOnPage(), first, "and the same on the next visit");
    const data = await request("/my?_data=routes%2Fmy._index", { cookie });
    assert.ok(data.body.includes(new URL(first).pathname));
    assert.equal(data.headers.get("Cache-Control"), "no-store", "the data request for client navigation is not stored either");
    assert.equal((await request(new URL(first).pathname)).status, 200);
    assert.match((await request("/my", { cookie })).body, /href="webcal:\/\/localhost:3000\/feeds\//);

    assert.equal((await post({ intent: "feed-scope", scope: "everything" })).status, 400);
    assert.equal((await post({ intent: "feed-scope", scope: "starred" })).status, 200);
    assert.equal((await db.selectFrom("users").select("feed_scope").where("id", "=", userId).executeTakeFirstOrThrow()).feed_scope, "starred");

    await post({ intent: "feed-create" });
    const second = await feedOnPage();
    assert.ok(second && second !== first);
    assert.equal((await request(new URL(first).pathname)).status, 404, "the old address stops working");
    assert.equal((await request(new URL(second).pathname)).status, 200);

    await post({ intent: "feed-revoke" });
    assert.equal(await feedOnPage(), null);
    assert.equal((await request(new URL(second).pathname)).status, 404);
    assert.equal((await request("/my", { method: "POST", body: new URLSearchParams({ intent: "feed-create" }) })).status, 302, "signed-out: to the sign-in page");
  });
});
