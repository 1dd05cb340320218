import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { createDatabase } from "../../db/connection.server";
import { loadDemoData } from "../../db/demo-data";
import { type EmbeddedServer, startEmbeddedPostgres } from "../../db/embedded";
import { migrateToLatest } from "../../db/migrate";
import { type RawAnswer, eventually, rawRequest, startServerProcess } from "../support/server-process";

/**
 * The database goes away under the running app and comes back: the real server against an embedded
 * PostgreSQL this file starts, stops and starts again on the same port. While it is down every answer
 * is a prompt 503 (a page saying so, the API's JSON error, plain text for feeds); once it is back the
 * app answers again without a restart.
 */

const WORKSHOP = "regional-workshop-on-rural-connectivity-and-community-networks";

function assertNoStack(answer: RawAnswer, what: string) {
  assert.doesNotMatch(answer.body, /\bat [\w$.<>]+ \(|node_modules|ECONNREFUSED|\.server\.ts/, `${what}: no stack trace or internals`);
}

describe("the database stops and starts again under the running app", async () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), "meetings-outage-"));
  const pgDir = path.join(folder, "postgres");
  let embedded: EmbeddedServer = await startEmbeddedPostgres(pgDir);
  after(async () => {
    await embedded.stop();
    rmSync(folder, { recursive: true, force: true });
  });
  await embedded.createDatabaseIfMissing("meetings");
  const url = embedded.url("meetings");
  const pgPort = Number(new URL(url).port);
  const setup = createDatabase(url, 1);
  await migrateToLatest(setup);
  await loadDemoData(setup);
  await setup.destroy();
  const server = await startServerProcess({ DATABASE_URL: url });
  const get = (pathname: string, headers?: Record<string, string>) => rawRequest(server.port, pathname, { headers });

  it("answers 503 promptly while PostgreSQL is down, and 200 again once it is back, without a restart", async () => {
    assert.equal((await get("/meetings")).status, 200);
    assert.equal((await get(`/meetings/${WORKSHOP}`)).status, 200);

    await embedded.stop();

    const started = Date.now();
    const health = await get("/healthz");
    assert.equal(health.status, 503);
    assert.deepEqual(JSON.parse(health.body), { ok: false });

    for (const pathname of ["/meetings", `/meetings/${WORKSHOP}`, `/meetings/${WORKSHOP}/agenda`]) {
      const page = await get(pathname);
      assert.equal(page.status, 503, `${pathname}: ${page.body.slice(0, 300)}`);
      assert.match(String(page.headers["content-type"]), /^text\/html/);
      assert.match(page.body, /Temporarily unavailable/);
      assert.match(page.body, /cannot reach its database just now/);
      assert.equal(page.headers["retry-after"], "30");
      assertNoStack(page, pathname);
    }

    const navigation = await get("/meetings?_data=routes%2Fmeetings._index");
    assert.equal(navigation.status, 503, "a client-side navigation");
    assert.equal(navigation.headers["x-remix-catch"], "yes", "shown by the error boundary as a 503");

    const api = await get("/api/v1/meetings");
    assert.equal(api.status, 503);
    assert.match(String(api.headers["content-type"]), /^application\/json/);
    assert.match(JSON.parse(api.body).error, /cannot reach its database/);

    const feed = await get(`/meetings/${WORKSHOP}/calendar.ics`);
    assert.equal(feed.status, 503);
    assert.match(String(feed.headers["content-type"]), /^text\/plain/);
    assertNoStack(feed, "the feed");
    assert.ok(Date.now() - started < 10_000, `all answered within 10 s, not ${Date.now() - started} ms`);
    assert.equal(server.child.exitCode, null, "the app kept running");

    embedded = await startEmbeddedPostgres(pgDir, { port: pgPort });
    await eventually("/healthz answers 200 again", async () => (await get("/healthz")).status === 200, 20_000);
    const back = await get(`/meetings/${WORKSHOP}`);
    assert.equal(back.status, 200);
    assert.match(back.body, /Regional Workshop on Rural Connectivity/);
    assert.equal((await get("/api/v1/meetings")).status, 200);
    assert.equal((await get(`/meetings/${WORKSHOP}/calendar.ics`)).status, 200);
    assert.match(server.output(), /database unavailable while handling GET \/meetings/);
  });
});
