import assert from "node:assert/strict";
import { describe, it } from "node:test";
import ICAL from "ical.js";
import { issueFeedToken, revokeFeedToken } from "../../app/calendar/personal-feed.server";
import { loadDemoData } from "../../db/demo-data";
import { addAgendaItem } from "../support/agenda";
import { addRegistration } from "../support/inputs";
import { addMeeting } from "../support/registration";
import { freshDatabase } from "../support/database";
import { startServerProcess } from "../support/server-process";
import { builtApp, signedIn } from "./app";

/**
 * A calendar client's poll of a private feed is answered in server.ts, before Remix, by the route's
 * own function. Through the real server, with five polls an hour allowed per feed: the whole feed and
 * the 304 are the route's, the polls are counted, and an unknown token is left to the route's 404.
 */
const { db, url } = await freshDatabase();
await loadDemoData(db);
const { get, port } = await startServerProcess({ DATABASE_URL: url, RATE_LIMITS: "on", FEED_REQUESTS_PER_TOKEN_PER_HOUR: "5" });

async function feedOf(email: string): Promise<{ userId: number; address: string }> {
  const { userId } = await signedIn(db, email, "participant");
  return { userId, address: `/feeds/${await issueFeedToken(db, userId)}/calendar.ics` };
}

/** The route's own answer, in this process through Remix, on the same database and with the server's address. */
async function routeAnswer(address: string): Promise<Response> {
  process.env.APP_URL = `http://localhost:${port}`;
  const { handler } = await builtApp();
  return handler(new Request(`http://localhost:${port}${address}`), { clientNetwork: "192.0.2.1" });
}

describe("a private feed's poll, answered before Remix", () => {
  it("sends the whole feed as the route does: the same bytes and headers", async () => {
    const { address } = await feedOf("whole@example.org");
    const meeting = await addMeeting(db, { slug: "whole-feed-meeting", mode: "hybrid", online_url: "https://meet.example.org/join/whole" });
    await addAgendaItem(db, meeting, { title: "Opening", date: meeting.starts_on, start: "09:00", end: "10:00" });
    await addRegistration(db, meeting, { first: "Whole", last: "Feed", email: "whole@example.org" });
    const early = await get(address);
    const route = await routeAnswer(address);
    assert.equal(early.status, 200);
    assert.equal(route.status, 200);
    const events = new ICAL.Component(ICAL.parse(early.body)).getAllSubcomponents("vevent").map((event) => String(event.getFirstPropertyValue("summary")));
    assert.deepEqual(events.sort(), [`Opening (${meeting.title})`, meeting.title].sort());
    assert.ok(early.bytes.equals(Buffer.from(await route.arrayBuffer())), "the same bytes");
    for (const name of ["content-type", "content-length", "content-disposition", "etag", "last-modified", "cache-control", "referrer-policy", "content-security-policy", "x-content-type-options"]) {
      assert.equal(early.headers[name], route.headers.get(name) ?? undefined, name);
    }
    assert.equal(early.headers["content-encoding"], undefined, "never compressed");
  });

  it("answers a client holding the feed with the route's 304, private and sent on to no one", async () => {
    const { address } = await feedOf("poller@example.org");
    const whole = await get(address);
    assert.equal(whole.status, 200);
    const etag = String(whole.headers.etag);
    const unchanged = await get(address, { "If-None-Match": etag });
    assert.equal(unchanged.status, 304);
    assert.equal(unchanged.bytes.length, 0);
    assert.equal(unchanged.headers.etag, etag);
    assert.equal(unchanged.headers["cache-control"], "private, max-age=300");
    assert.equal(unchanged.headers["referrer-policy"], "no-referrer");
    assert.equal((await get(address, { "If-Modified-Since": String(whole.headers["last-modified"]) })).status, 304, "by its date too");
    assert.equal((await get(address, { "If-None-Match": '"an-older-version"' })).status, 200, "an older version is sent whole");
  });

  it("counts its polls with the route's: the sixth in an hour is refused, held or not", async () => {
    const { address } = await feedOf("counted@example.org");
    const whole = await get(address);
    const holding = { "If-None-Match": String(whole.headers.etag) };
    for (const headers of [holding, {}, holding, holding]) assert.notEqual((await get(address, headers)).status, 429);
    const refused = await get(address, holding);
    assert.equal(refused.status, 429, "the sixth poll, though it holds the feed");
    assert.equal(refused.headers["cache-control"], "no-store");
    assert.ok(Number(refused.headers["retry-after"]) > 0);
    assert.equal((await get(address)).status, 429, "and the route refuses the next whole one");
  });

  it("says nothing about a retired feed, whatever the client holds", async () => {
    const { userId, address } = await feedOf("retired@example.org");
    const etag = String((await get(address)).headers.etag);
    await revokeFeedToken(db, userId);
    const retired = await get(address, { "If-None-Match": etag });
    assert.equal(retired.status, 404);
    assert.equal(retired.body, "Not found.");
  });
});
