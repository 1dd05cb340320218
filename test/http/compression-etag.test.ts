import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import zlib from "node:zlib";
import ICAL from "ical.js";
import { issueFeedToken, revokeFeedToken } from "../../app/calendar/personal-feed.server";
import { loadDemoData } from "../../db/demo-data";
import { freshDatabase } from "../support/database";
import { type RawAnswer, rawRequest, startServerProcess } from "../support/server-process";
import { builtApp, signedIn } from "./app";

/**
 * What server.ts adds in front of the app, through the real server (`node scripts/start.mjs`, as `npm start`:
 * production mode) on a free port against this file's database: compression, ETags on pages and
 * long-lived caching of built assets. Bodies are read raw, with node:http, and decoded with node:zlib.
 */

const WORKSHOP = "regional-workshop-on-rural-connectivity-and-community-networks";
const EXPERT_MEETING = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";

const { db, url } = await freshDatabase();
await loadDemoData(db);
// Few polls of a private feed an hour, so that the test of its 429 need not make 120.
const FEED_POLLS_PER_HOUR = 12;
const { get, post, port } = await startServerProcess({ DATABASE_URL: url, FEED_REQUESTS_PER_TOKEN_PER_HOUR: String(FEED_POLLS_PER_HOUR) });

/** The body decoded as its Content-Encoding says. */
function decoded(answer: RawAnswer): Buffer {
  const encoding = answer.headers["content-encoding"];
  if (encoding === "br") return zlib.brotliDecompressSync(answer.bytes);
  if (encoding === "gzip") return zlib.gunzipSync(answer.bytes);
  assert.equal(encoding, undefined, `an unexpected Content-Encoding: ${encoding}`);
  return answer.bytes;
}

/** A page's HTML with its script nonces blanked: each render has its own. */
function withoutNonces(html: Buffer): string {
  return html.toString("utf8").replace(/\bnonce="[^"]*"/g, 'nonce=""');
}

function assertVariesOnEncoding(answer: RawAnswer, what: string) {
  assert.match(String(answer.headers.vary ?? ""), /\baccept-encoding\b/i, `${what}: Vary names Accept-Encoding`);
}

/** The largest file the build put under public/build/, as the server's URL path. */
function largestBuiltAsset(): { path: string; bytes: Buffer } {
  const root = path.resolve("public");
  const files = readdirSync(path.join(root, "build"), { recursive: true, encoding: "utf8" })
    .map((file) => path.join(root, "build", file))
    .filter((file) => statSync(file).isFile() && file.endsWith(".js"));
  const largest = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
  assert.ok(largest, "a built script under public/build");
  return { path: `/${path.relative(root, largest).split(path.sep).join("/")}`, bytes: readFileSync(largest) };
}

describe("compression, ETags and asset caching in front of the app", () => {
  it("compresses a page with Brotli or gzip as the client asks, and it decodes to the same page", async () => {
    const plain = await get("/meetings");
    assert.equal(plain.status, 200);
    assert.equal(plain.headers["content-encoding"], undefined, "nothing asked, nothing compressed");
    assert.match(plain.bytes.toString("utf8"), /<html/);
    for (const [asked, expected] of [["br", "br"], ["gzip", "gzip"], ["gzip, deflate, br", "br"]] as const) {
      const answer = await get("/meetings", { "Accept-Encoding": asked });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers["content-encoding"], expected, `asked ${asked}`);
      assertVariesOnEncoding(answer, `the page in ${expected}`);
      assert.ok(answer.bytes.length < plain.bytes.length / 3, `${expected}: ${answer.bytes.length} bytes for ${plain.bytes.length}`);
      assert.equal(withoutNonces(decoded(answer)), withoutNonces(plain.bytes), `${expected} decodes to the same page`);
      assert.equal(answer.headers.etag, plain.headers.etag, "the same page, the same tag, whatever its encoding");
    }
  });

  it("compresses the API's JSON when asked", async () => {
    const plain = await get(`/api/v1/meetings/${WORKSHOP}`);
    const gzipped = await get(`/api/v1/meetings/${WORKSHOP}`, { "Accept-Encoding": "gzip" });
    assert.equal(gzipped.status, 200);
    assert.match(String(gzipped.headers["content-type"]), /^application\/json/);
    assert.equal(gzipped.headers["content-encoding"], "gzip");
    assertVariesOnEncoding(gzipped, "the API");
    assert.deepEqual(JSON.parse(decoded(gzipped).toString("utf8")), JSON.parse(plain.bytes.toString("utf8")));
  });

  it("never compresses calendar feeds, even when asked", async () => {
    for (const feed of ["/calendar.ics", `/meetings/${WORKSHOP}/calendar.ics`]) {
      const answer = await get(feed, { "Accept-Encoding": "gzip, deflate, br" });
      assert.equal(answer.status, 200, feed);
      assert.match(String(answer.headers["content-type"]), /^text\/calendar/);
      assert.equal(answer.headers["content-encoding"], undefined, `${feed} is sent as is`);
      const calendar = new ICAL.Component(ICAL.parse(answer.bytes.toString("utf8")));
      assert.ok(calendar.getAllSubcomponents("vevent").length > 0, `${feed} parses, with events`);
    }
  });

  it("sends PDFs as stored: not compressed, with their length and byte ranges intact", async () => {
    const paper = await db
      .selectFrom("documents")
      .innerJoin("meetings", "meetings.id", "documents.meeting_id")
      .innerJoin("document_files", "document_files.document_id", "documents.id")
      .select(["documents.id", "document_files.size"])
      .where("meetings.slug", "=", EXPERT_MEETING)
      .where("document_files.media_type", "=", "application/pdf")
      .where("document_files.language", "=", "en")
      .executeTakeFirstOrThrow();
    const download = `/meetings/${EXPERT_MEETING}/documents/${paper.id}?lang=en`;
    const whole = await get(download, { "Accept-Encoding": "gzip, br" });
    assert.equal(whole.status, 200);
    assert.equal(whole.headers["content-type"], "application/pdf");
    assert.equal(whole.headers["content-encoding"], undefined);
    assert.equal(Number(whole.headers["content-length"]), paper.size);
    assert.equal(whole.bytes.length, paper.size);
    assert.equal(whole.bytes.subarray(0, 5).toString("latin1"), "%PDF-");
    const part = await get(download, { "Accept-Encoding": "gzip, br", Range: "bytes=0-99" });
    assert.equal(part.status, 206);
    assert.equal(part.headers["content-encoding"], undefined);
    assert.equal(part.headers["content-range"], `bytes 0-99/${paper.size}`);
    assert.ok(part.bytes.equals(whole.bytes.subarray(0, 100)), "the range is the stored bytes 0-99");
  });

  it("tags a page with an ETag and answers 304 to a browser that has it, until the page changes", async () => {
    const page = `/meetings/${WORKSHOP}`;
    const first = await get(page);
    assert.equal(first.status, 200);
    const etag = first.headers.etag;
    assert.match(String(etag), /^W\/"[A-Za-z0-9_-]+"$/);
    assert.equal(first.headers["cache-control"], "private, no-cache");
    const again = await get(page, { "If-None-Match": String(etag), "Accept-Encoding": "br" });
    assert.equal(again.status, 304);
    assert.equal(again.bytes.length, 0);
    assert.equal(again.headers.etag, etag);
    assert.equal(again.headers["content-encoding"], undefined);
    assertVariesOnEncoding(again, "the 304");
    assert.equal((await get(page, { "If-None-Match": '"something-else"' })).status, 200);

    const { title } = await db.selectFrom("meetings").select("title").where("slug", "=", WORKSHOP).executeTakeFirstOrThrow();
    await db.updateTable("meetings").set({ title: `${title} (revised)` }).where("slug", "=", WORKSHOP).execute();
    try {
      const changed = await get(page, { "If-None-Match": String(etag) });
      assert.equal(changed.status, 200, "a changed page is sent again");
      assert.notEqual(changed.headers.etag, etag);
      assert.match(changed.bytes.toString("utf8"), /\(revised\)/);
    } finally {
      await db.updateTable("meetings").set({ title }).where("slug", "=", WORKSHOP).execute();
    }
  });

  it("gives a signed-in person's page its own tag, and none to a page that must not be stored", async () => {
    const page = `/meetings/${WORKSHOP}`;
    const anonymous = await get(page);
    const { cookie } = await signedIn(db, "dechen.wangmo@example.bt", "participant");
    const theirs = await get(page, { Cookie: cookie, "If-None-Match": String(anonymous.headers.etag) });
    assert.equal(theirs.status, 200, "the visitor's tag does not stand for the signed-in page");
    assert.match(theirs.bytes.toString("utf8"), /dechen\.wangmo@example\.bt/);
    assert.ok(theirs.headers.etag && theirs.headers.etag !== anonymous.headers.etag);
    assert.equal((await get(page, { Cookie: cookie, "If-None-Match": String(theirs.headers.etag) })).status, 304);

    const secretLink = await get("/login/verify?token=not-a-real-token");
    assert.equal(secretLink.status, 200);
    assert.match(String(secretLink.headers["cache-control"]), /no-store/);
    assert.equal(secretLink.headers.etag, undefined, "no-store: nothing to revalidate");
  });

  it("caches built assets for a year, compressed when asked", async () => {
    const asset = largestBuiltAsset();
    const answer = await get(asset.path, { "Accept-Encoding": "br" });
    assert.equal(answer.status, 200, asset.path);
    assert.equal(answer.headers["cache-control"], "public, max-age=31536000, immutable");
    assert.equal(answer.headers["content-encoding"], "br");
    assertVariesOnEncoding(answer, "a built asset");
    assert.ok(decoded(answer).equals(asset.bytes), "decodes to the built file");
  });
});

describe("web security in front of the app (app/lib/web-security.server.ts, wired in server.ts)", () => {
  it("refuses a cross-site post with 403 and takes one from APP_URL's origin", async () => {
    const refused = await post("/login?index", { Origin: "https://evil.example" }, "email=server.refused%40example.org");
    assert.equal(refused.status, 403);
    assert.match(refused.bytes.toString("utf8"), /sent from another site/);
    const accepted = await post("/login?index", { Origin: `http://localhost:${port}` }, "email=server.accepted%40example.org");
    assert.equal(accepted.status, 200, "the server is behind APP_URL: its Host is not APP_URL's, the Origin is");
    const made = await db.selectFrom("login_tokens").select("email").where("email", "in", ["server.refused@example.org", "server.accepted@example.org"]).execute();
    assert.deepEqual(made.map((row) => row.email), ["server.accepted@example.org"]);
  });

  it("sends its headers with pages and built assets alike", async () => {
    const page = await get("/meetings", { "Accept-Encoding": "br" });
    assert.match(String(page.headers["content-security-policy"]), /script-src 'self' 'nonce-[A-Za-z0-9_-]{22}'/);
    assert.equal(page.headers["x-content-type-options"], "nosniff");
    const asset = await get(largestBuiltAsset().path);
    assert.equal(asset.status, 200);
    assert.equal(asset.headers["x-content-type-options"], "nosniff");
    assert.equal(asset.headers["content-security-policy"], "frame-ancestors 'none'");
    assert.equal(asset.headers["x-frame-options"], "DENY");
  });
});

describe("a private feed's polls, answered by server.ts itself, before Remix and the Fetch API", async () => {
  const { handler } = await builtApp();
  const person = await db
    .selectFrom("registrations")
    .innerJoin("meetings", "meetings.id", "registrations.meeting_id")
    .select("registrations.email")
    .where("registrations.status", "=", "confirmed")
    .where("meetings.status", "=", "published")
    .where("meetings.ends_at", ">", new Date())
    .executeTakeFirstOrThrow();
  const { userId } = await signedIn(db, person.email, "participant");

  /** The same poll answered in this process by the route, through Remix. */
  function throughRoute(feed: string, headers: Record<string, string> = {}) {
    return handler(new Request(new URL(feed, "http://localhost:3000"), { headers }), { clientNetwork: "192.0.2.1" });
  }

  function eventUids(text: string): string[] {
    const calendar = new ICAL.Component(ICAL.parse(text));
    return calendar.getAllSubcomponents("vevent").map((event) => String(event.getFirstPropertyValue("uid")).replace(/@.*$/, "")).sort();
  }

  const SAME_HEADERS = ["content-type", "content-disposition", "cache-control", "etag", "last-modified", "referrer-policy", "content-security-policy", "x-content-type-options", "x-frame-options"];

  it("answers as its route does: the same headers, the calendar whole and uncompressed, then 304", async () => {
    const feed = `/feeds/${await issueFeedToken(db, userId)}/calendar.ics`;
    const early = await get(feed, { "Accept-Encoding": "gzip, deflate, br" });
    const route = await throughRoute(feed);
    assert.equal(early.status, 200);
    assert.equal(route.status, 200);
    for (const name of SAME_HEADERS) assert.equal(early.headers[name], route.headers.get(name) ?? undefined, name);
    assert.equal(early.headers["referrer-policy"], "no-referrer", "the address is a secret");
    assert.equal(early.headers["content-encoding"], undefined, "sent as is, though compression was asked");
    assert.equal(Number(early.headers["content-length"]), early.bytes.length);
    const uids = eventUids(early.bytes.toString("utf8"));
    assert.ok(uids.length > 0, "the person's meeting is in it");
    assert.deepEqual(uids, eventUids(await route.text()), "the same events (the addresses name each server's own host)");

    const conditionals: Record<string, string>[] = [{ "If-None-Match": String(early.headers.etag) }, { "If-Modified-Since": String(early.headers["last-modified"]) }];
    for (const conditional of conditionals) {
      const unchanged = await get(feed, conditional);
      const routes = await throughRoute(feed, conditional);
      assert.equal(unchanged.status, 304, Object.keys(conditional)[0]);
      assert.equal(routes.status, 304);
      assert.equal(unchanged.bytes.length, 0);
      for (const name of SAME_HEADERS) assert.equal(unchanged.headers[name], routes.headers.get(name) ?? undefined, `${name} of the 304`);
    }

    const head = await rawRequest(port, feed, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers["content-length"], early.headers["content-length"]);
    assert.equal(head.bytes.length, 0, "HEAD: the headers alone");
  });

  it("leaves an unknown or retired address to its route, which answers 404", async () => {
    const token = await issueFeedToken(db, userId);
    await revokeFeedToken(db, userId);
    for (const feed of [`/feeds/${token}/calendar.ics`, `/feeds/${"A".repeat(43)}/calendar.ics`, "/feeds/not-a-token/calendar.ics"]) {
      const answer = await get(feed);
      assert.equal(answer.status, 404, feed);
      assert.equal(answer.bytes.toString("utf8"), "Not found.");
    }
  });

  it("answers 429, with when to ask again, once the address has been polled too often", async () => {
    const feed = `/feeds/${await issueFeedToken(db, userId)}/calendar.ics`;
    for (let poll = 1; poll <= FEED_POLLS_PER_HOUR; poll++) assert.equal((await get(feed)).status, 200, `poll ${poll}`);
    const limited = await get(feed);
    assert.equal(limited.status, 429);
    assert.match(String(limited.headers["content-type"]), /^text\/plain/);
    assert.equal(limited.headers["cache-control"], "no-store");
    assert.ok(Number(limited.headers["retry-after"]) > 0, "Retry-After in seconds");
    assert.match(limited.bytes.toString("utf8"), /calendar feed/);
    assert.equal(limited.headers["x-content-type-options"], "nosniff");
  });
});
