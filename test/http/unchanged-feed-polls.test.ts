import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { issueFeedToken, revokeFeedToken } from "../../app/calendar/personal-feed.server";
import { loadDemoData } from "../../db/demo-data";
import { freshDatabase } from "../support/database";
import { startServerProcess } from "../support/server-process";
import { signedIn } from "./app";

/**
 * A calendar client's poll of a private feed it already holds is answered in server.ts, before
 * Remix. Through the real server, with five polls an hour allowed per feed: the 304 is the route's
 * own, and the polls answered before Remix and by the route are counted together.
 */
const { db, url } = await freshDatabase();
await loadDemoData(db);
const { get } = await startServerProcess({ DATABASE_URL: url, RATE_LIMITS: "on", FEED_REQUESTS_PER_TOKEN_PER_HOUR: "5" });

async function feedOf(email: string): Promise<{ userId: number; address: string }> {
  const { userId } = await signedIn(db, email, "participant");
  return { userId, address: `/feeds/${await issueFeedToken(db, userId)}/calendar.ics` };
}

describe("a private feed's poll, answered before Remix", () => {
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
