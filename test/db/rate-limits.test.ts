import assert from "node:assert/strict";
import { after, afterEach, describe, it } from "node:test";
import { createDatabase } from "../../db/connection.server";
import {
  type RateLimit,
  WINDOW_MS,
  countRequest,
  limitFeedRequests,
  limitRegistrations,
  limitSignInLinks,
  sweepFinishedWindows,
} from "../../app/rate-limits/rate-limits.server";
import { freshDatabase } from "../support/database";

describe("rate limits", async () => {
  const { db, url } = await freshDatabase();
  const rateLimits = process.env.RATE_LIMITS;
  afterEach(async () => {
    if (rateLimits === undefined) delete process.env.RATE_LIMITS;
    else process.env.RATE_LIMITS = rateLimits;
    delete process.env.FEED_REQUESTS_PER_TOKEN_PER_HOUR;
    await db.deleteFrom("rate_limit_counters").execute();
  });

  const limit = (key: string, allowed: number, bucket = "test"): RateLimit => ({ bucket, key, limit: allowed, what: "tests" });
  /** 10:20 UTC: 40 minutes before its window (an hour from 10:00) ends. */
  const at = new Date("2027-03-01T10:20:00Z");

  it("lets exactly the limit through when requests race from two pools", async () => {
    const other = createDatabase(url, 10);
    after(() => other.destroy());
    const verdicts = await Promise.all(
      Array.from({ length: 40 }, (_, i) => countRequest(i % 2 ? other : db, [limit("192.0.2.7", 10)], at)),
    );
    assert.equal(verdicts.filter((verdict) => !verdict.limited).length, 10);
    const row = await db.selectFrom("rate_limit_counters").select("hits").executeTakeFirstOrThrow();
    assert.equal(row.hits, 40, "every request counted, none lost to the race");
  });

  it("refuses past the limit until the window ends, saying what and for how long", async () => {
    assert.deepEqual(await countRequest(db, [limit("a", 2)], at), { limited: false });
    assert.deepEqual(await countRequest(db, [limit("a", 2)], new Date("2027-03-01T10:50:00Z")), { limited: false });
    assert.deepEqual(await countRequest(db, [limit("a", 2)], at), {
      limited: true,
      retryAfterSeconds: 40 * 60,
      message: "Too many tests. Try again in 40 minutes.",
    });
    const lastSecond = await countRequest(db, [limit("a", 2)], new Date("2027-03-01T10:59:59.500Z"));
    assert.deepEqual(lastSecond, { limited: true, retryAfterSeconds: 1, message: "Too many tests. Try again in a minute." });
    assert.deepEqual(await countRequest(db, [limit("a", 2)], new Date("2027-03-01T11:00:00Z")), { limited: false }, "a new window starts at 11:00");
  });

  it("counts each key and each limit apart, several limits in one request", async () => {
    for (let i = 0; i < 3; i++) await countRequest(db, [limit("a", 3)], at);
    assert.equal((await countRequest(db, [limit("a", 3)], at)).limited, true);
    assert.equal((await countRequest(db, [limit("b", 3)], at)).limited, false, "another key");
    assert.equal((await countRequest(db, [limit("a", 3, "other")], at)).limited, false, "another limit, same key");
    const both = await countRequest(db, [limit("c", 5, "wide"), { ...limit("a", 3), what: "requests from a" }], at);
    assert.equal(both.limited && both.message, "Too many requests from a. Try again in 40 minutes.");
  });

  it("keeps keys only as keyed hashes", async () => {
    await limitSignInLinks(db, "Minister@Example.gov", "198.51.100.4");
    const rows = await db.selectFrom("rate_limit_counters").select(["bucket", "key_hash"]).orderBy("bucket").execute();
    assert.deepEqual(rows.map((row) => row.bucket), ["sign-in-links-per-email", "sign-in-links-per-ip"]);
    for (const row of rows) {
      assert.equal(row.key_hash.length, 32);
      assert.ok(!row.key_hash.toString("latin1").includes("example.gov") && !row.key_hash.toString("latin1").includes("198.51"));
    }
    await limitSignInLinks(db, " minister@example.gov", "198.51.100.5");
    const email = await db.selectFrom("rate_limit_counters").select("hits").where("bucket", "=", "sign-in-links-per-email").executeTakeFirstOrThrow();
    assert.equal(email.hits, 2, "an address is counted however it is typed");
  });

  it("sweeps windows that have ended and keeps the current one", async () => {
    // The current window first: a request sweeps ended windows now and then (1 in 200), and one counted at `at` could sweep the older one before the test does.
    await countRequest(db, [limit("a", 5)], at);
    await countRequest(db, [limit("a", 5)], new Date(at.getTime() - WINDOW_MS));
    assert.equal(await sweepFinishedWindows(db, at), 1);
    const left = await db.selectFrom("rate_limit_counters").select("window_start").execute();
    assert.deepEqual(left.map((row) => row.window_start.toISOString()), ["2027-03-01T10:00:00.000Z"]);
  });

  it("counts nothing when RATE_LIMITS=off", async () => {
    process.env.RATE_LIMITS = "off";
    assert.deepEqual(await limitSignInLinks(db, "someone@example.org", "192.0.2.1"), { limited: false });
    assert.deepEqual(await limitRegistrations(db, 1, "192.0.2.1"), { limited: false });
    assert.deepEqual(await limitFeedRequests(db, "x".repeat(43)), { limited: false });
    assert.equal((await db.selectFrom("rate_limit_counters").select("bucket").execute()).length, 0);
  });

  it("refuses a setting that is not on or off, or a limit that is not a whole number", async () => {
    process.env.RATE_LIMITS = "sometimes";
    await assert.rejects(limitFeedRequests(db, "x".repeat(43)), /RATE_LIMITS must be on or off/);
    process.env.RATE_LIMITS = "on";
    process.env.FEED_REQUESTS_PER_TOKEN_PER_HOUR = "1.5";
    await assert.rejects(limitFeedRequests(db, "x".repeat(43)), /FEED_REQUESTS_PER_TOKEN_PER_HOUR must be a whole number/);
  });
});
