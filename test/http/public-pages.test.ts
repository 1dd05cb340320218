import assert from "node:assert/strict";
import { createServer } from "node:net";
import { describe, it } from "node:test";
import { createDatabase } from "../../db/connection.server";
import { assertBody, startApp } from "./app";

const EGM = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";
const DRAFT = "asia-pacific-digital-ministers-roundtable";
const WEBINAR_TITLE = "Webinar: Digital Government Services for All";
const WORKSHOP_TITLE = "Regional Workshop on Rural Connectivity and Community Networks";
const PAST_TITLE = "Regional Training on Broadband Mapping";

/** A port on this machine that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("public pages", async () => {
  const { request } = await startApp();

  it("lists upcoming meetings at / and /meetings", async () => {
    for (const url of ["/", "/meetings"]) {
      const page = await request(url);
      assert.equal(page.status, 200, url);
      assert.match(page.headers.get("Content-Type") ?? "", /^text\/html/);
      assertBody(page.body, /Upcoming meetings/);
      assert.ok(page.body.includes(WEBINAR_TITLE), url);
      assert.ok(page.body.includes(WORKSHOP_TITLE), url);
      assert.ok(!page.body.includes(PAST_TITLE), `${url}: past meetings are not upcoming`);
      assert.ok(!page.body.includes("Roundtable"), `${url}: drafts are not public`);
    }
  });

  it("filters by kind", async () => {
    const page = await request("/meetings?kind=webinar");
    assert.equal(page.status, 200);
    assert.ok(page.body.includes(WEBINAR_TITLE));
    assert.ok(!page.body.includes(WORKSHOP_TITLE));
  });

  it("lists past meetings with ?past=1", async () => {
    const page = await request("/meetings?past=1");
    assert.equal(page.status, 200);
    assertBody(page.body, /Past meetings/);
    assert.ok(page.body.includes(PAST_TITLE));
    assert.ok(!page.body.includes(WORKSHOP_TITLE));
  });

  it("searches with ?q=", async () => {
    const page = await request("/meetings?q=RURAL");
    assert.equal(page.status, 200);
    assert.ok(page.body.includes(WORKSHOP_TITLE));
    assert.ok(!page.body.includes(WEBINAR_TITLE));
  });

  it("shows a programme with the meetings of its sub-programmes", async () => {
    const page = await request("/programmes/asia-pacific-information-superhighway");
    assert.equal(page.status, 200);
    assert.ok(page.body.includes("Asia-Pacific Information Superhighway"));
    assert.ok(page.body.includes("Expert Group Meeting on e-Resilience and Disaster Risk Reduction"), "working group 2's meeting");
    assert.ok(page.body.includes("Pacific Consultation on Submarine Cable Resilience"), "working group 1's meeting");
    assert.ok(!page.body.includes(WEBINAR_TITLE), "another programme's meeting");
    assert.equal((await request("/programmes/no-such-programme")).status, 404);
    assert.equal((await request("/meetings?programme=apis-working-group-2-e-resilience")).status, 200);
  });

  it("shows a meeting and its agenda, documents and registration pages", async () => {
    for (const url of [`/meetings/${EGM}`, `/meetings/${EGM}/agenda`, `/meetings/${EGM}/documents`, `/meetings/${EGM}/register`]) {
      const page = await request(url);
      assert.equal(page.status, 200, url);
      assert.ok(page.body.includes("Expert Group Meeting on e-Resilience and Disaster Risk Reduction"), url);
      assert.ok(!page.body.includes("meet.example.org"), `${url}: the joining link is for confirmed participants only`);
    }
  });

  it("answers 404 for a draft meeting and an unknown one, on every page of it", async () => {
    for (const slug of [DRAFT, "no-such-meeting"]) {
      for (const suffix of ["", "/agenda", "/documents", "/register", "/calendar.ics"]) {
        const page = await request(`/meetings/${slug}${suffix}`);
        assert.equal(page.status, 404, `/meetings/${slug}${suffix}`);
        assert.ok(!page.body.includes("Roundtable"), `/meetings/${slug}${suffix}`);
      }
    }
  });

  it("answers 400 for a kind that does not exist, and other malformed filters", async () => {
    for (const url of ["/meetings?kind=nonsense", "/?kind=nonsense", "/meetings?page=0", "/meetings?page=abc", "/meetings?past=yes", "/meetings?programme=nope"]) {
      const page = await request(url);
      assert.equal(page.status, 400, url);
      assertBody(page.body, /That request could not be understood/, url);
    }
  });

  it("has the bench's bare baselines: a constant, or ?bytes=N of it with its length, and a clear 400 for a bad size", async () => {
    assert.equal((await request("/_baseline/resource")).body, "baseline\n");
    const sized = await request("/_baseline/resource?bytes=100000");
    assert.equal(sized.status, 200);
    assert.equal(sized.headers.get("Content-Length"), "100000");
    assert.equal(Buffer.byteLength(sized.body), 100_000);
    assert.ok(sized.body.startsWith("baseline\nbaseline\n"));
    for (const bytes of ["0", "-1", "1.5", "abc", String(2 * 1024 * 1024 + 1)]) {
      const refused = await request(`/_baseline/resource?bytes=${bytes}`);
      assert.equal(refused.status, 400, bytes);
      assertBody(refused.body, "bytes: a whole number from 1 to 2097152.");
    }
    assert.equal((await request("/_baseline/page")).status, 200);
  });

  it("answers an unknown address with a 404 page", async () => {
    const page = await request("/no/such/page");
    assert.equal(page.status, 404);
    assert.match(page.headers.get("Content-Type") ?? "", /^text\/html/);
    assertBody(page.body, /Page not found/);
  });

  it("reports health at /healthz", async () => {
    const response = await request("/healthz");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("Content-Type") ?? "", /^application\/json/);
    assert.equal(response.headers.get("Cache-Control"), "no-store");
    assert.deepEqual(response.json(), { ok: true });
  });

  it("answers 503 at /healthz, and 503 'temporarily unavailable' pages without a stack trace, when the database is gone", async () => {
    // The app's process-wide pool, pointed for a moment at a port where nothing listens.
    const working = globalThis.__meetingsDatabase;
    const unreachable = createDatabase(`postgres://nobody@127.0.0.1:${await closedPort()}/nothing`, 1);
    globalThis.__meetingsDatabase = unreachable;
    const logged: unknown[] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      const health = await request("/healthz");
      assert.equal(health.status, 503);
      assert.deepEqual(health.json(), { ok: false });

      for (const url of ["/meetings", `/meetings/${EGM}`, "/programmes"]) {
        const page = await request(url);
        assert.equal(page.status, 503, url);
        assertBody(page.body, /Temporarily unavailable/, url);
        assert.ok(!page.body.includes("ECONNREFUSED"), `${url}: no internal error message`);
      }
      assert.ok(logged.length > 0, "the error is logged on the server instead");
    } finally {
      console.error = consoleError;
      globalThis.__meetingsDatabase = working;
      await unreachable.destroy();
    }
    assert.equal((await request("/healthz")).status, 200, "back to the working database");
  });
});
