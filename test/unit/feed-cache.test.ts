import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FeedCache } from "../../app/calendar/feed-cache.server";

describe("the cache of rendered feeds", () => {
  it("renders a key once, however many ask at the same time, and serves it from memory after", async () => {
    const cache = new FeedCache(1_000, 60_000);
    let renders = 0;
    const render = async () => {
      renders++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return "BEGIN:VCALENDAR";
    };
    const bodies = await Promise.all(Array.from({ length: 5 }, () => cache.body("a", render)));
    assert.equal(renders, 1);
    assert.ok(bodies.every((body) => Buffer.from(body).toString() === "BEGIN:VCALENDAR"));
    await cache.body("a", render);
    assert.equal(renders, 1);
  });

  it("keeps at most its budget of bytes, dropping the least recently used first", async () => {
    const cache = new FeedCache(1_000, 60_000);
    const body = (char: string) => async () => char.repeat(200);
    for (const key of ["a", "b", "c", "d", "e"]) await cache.body(key, body(key));
    assert.equal(cache.size, 1_000);
    await cache.body("a", async () => assert.fail("a is still kept"));
    await cache.body("f", body("f"));
    assert.equal(cache.size, 1_000);
    await cache.body("a", async () => assert.fail("a was used last but one: kept"));
    let rendered = false;
    await cache.body("b", async () => {
      rendered = true;
      return "b".repeat(200);
    });
    assert.ok(rendered, "b, the least recently used, made room for f");
    assert.ok(cache.size <= 1_000);
  });

  it("counts bytes, not characters, and does not keep a body larger than a quarter of its budget", async () => {
    const cache = new FeedCache(2_000, 60_000);
    await cache.body("thai", async () => "ก".repeat(100));
    assert.equal(cache.size, 300, "three UTF-8 bytes a character");
    const large = await cache.body("large", async () => "x".repeat(600));
    assert.equal(large.byteLength, 600, "served all the same");
    assert.equal(cache.size, 300);
  });

  it("keeps no failure: the next request renders again", async () => {
    const cache = new FeedCache(1_000, 60_000);
    await assert.rejects(cache.body("k", async () => Promise.reject(new Error("database down"))));
    assert.equal(Buffer.from(await cache.body("k", async () => "ok")).toString(), "ok");
  });

  it("renders again a body kept longer than its time (a change committed late under an older updated_at)", async () => {
    let now = 0;
    const cache = new FeedCache(1_000, 300_000, () => now);
    await cache.body("all", async () => "before");
    now = 299_999;
    assert.equal(Buffer.from(await cache.body("all", async () => "after")).toString(), "before");
    now = 300_000;
    assert.equal(Buffer.from(await cache.body("all", async () => "after")).toString(), "after");
    assert.equal(cache.size, 5, "the old body's bytes are no longer counted");
  });

  it("reads what is kept without rendering: nothing for a key not kept or kept longer than its time", async () => {
    let now = 0;
    const cache = new FeedCache(1_000, 300_000, () => now);
    assert.equal(cache.kept("all"), null);
    await cache.body("all", async () => "kept");
    now = 299_999;
    assert.equal(Buffer.from(cache.kept("all")!.value).toString(), "kept");
    now = 300_000;
    assert.equal(cache.kept("all"), null);
    assert.equal(cache.size, 0, "its bytes are no longer counted");
  });
});
