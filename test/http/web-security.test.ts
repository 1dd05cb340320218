import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sendSignInLink } from "../../app/accounts/sign-in.server";
import { issueFeedToken } from "../../app/calendar/personal-feed.server";
import { liveMarkup, scriptElements } from "../support/xss-corpus";
import { signedIn, startApp } from "./app";

/**
 * The cross-site check and the security headers (app/lib/web-security.server.ts), through the same
 * wrapper server.ts puts in front of the app; the sign-in session's rotation and "sign out everywhere".
 */

const WORKSHOP = "regional-workshop-on-rural-connectivity-and-community-networks";
const EXPERT_MEETING = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";
const SITE = "http://localhost:3000";
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

const app = await startApp();
const { db } = app;

/** Asks for a sign-in link for the address, sending these headers; the status and whether a link was made. */
async function askForLink(email: string, headers: Record<string, string>, url = "/login?index") {
  const answer = await app.request(url, { method: "POST", headers: { ...FORM, ...headers }, body: new URLSearchParams({ email }) });
  const link = await db.selectFrom("login_tokens").select("id").where("email", "=", email).executeTakeFirst();
  return { ...answer, linkMade: Boolean(link) };
}

/** The nonce a page's policy allows scripts with, and the policy's directives by name. */
function pagePolicy(headers: Headers): { nonce: string; directives: Map<string, string> } {
  const policy = headers.get("Content-Security-Policy") ?? "";
  const directives = new Map(
    policy
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values.join(" ")]),
  );
  const nonce = /'nonce-([A-Za-z0-9_-]+)'/.exec(directives.get("script-src") ?? "")?.[1];
  assert.ok(nonce, `a script nonce in ${policy}`);
  return { nonce, directives };
}

/** Every script of the page carries the policy's nonce; no element has an inline handler or a javascript: address. */
function assertRunsOnlyNoncedScripts(html: string, nonce: string, page: string) {
  const scripts = scriptElements(html);
  assert.ok(scripts.length > 0, `${page}: Remix's scripts are on the page`);
  for (const script of scripts) {
    assert.equal(script.attributes.get("nonce"), nonce, `${page}: a script without the page's nonce: ${script.markup.slice(0, 120)}`);
    const src = script.attributes.get("src");
    if (src !== undefined) assert.match(src, /^\/(?!\/)/, `${page}: scripts come from this site`);
  }
  assert.deepEqual(liveMarkup(html), [], `${page}: no inline handler, no javascript: address`);
}

describe("cross-site posts are refused before any action runs", () => {
  it("accepts a post from the site's own pages: Origin, Sec-Fetch-Site or Referer", async () => {
    for (const [index, headers] of [
      { Origin: SITE },
      { "Sec-Fetch-Site": "same-origin", Origin: SITE },
      // A no-referrer page's plain HTML form: the browser says null, and vouches for it.
      { "Sec-Fetch-Site": "same-origin", Origin: "null" },
      { Referer: `${SITE}/login` },
    ].entries() as Iterable<[number, Record<string, string>]>) {
      const answer = await askForLink(`own-site-${index}@example.org`, headers);
      assert.equal(answer.status, 200, JSON.stringify(headers));
      assert.ok(answer.linkMade, `the action ran: ${JSON.stringify(headers)}`);
    }
  });

  it("refuses posts from other sites with 403 and a human message, and the action does not run", async () => {
    for (const [index, headers] of [
      { Origin: "https://evil.example" },
      { Origin: "http://localhost:3001" },
      { Origin: "null" },
      { "Sec-Fetch-Site": "cross-site" },
      { "Sec-Fetch-Site": "same-site", Origin: "https://other.localhost:3000" },
      { "Sec-Fetch-Site": "cross-site", Origin: SITE },
      { Referer: "https://evil.example/page" },
    ].entries() as Iterable<[number, Record<string, string>]>) {
      const answer = await askForLink(`other-site-${index}@example.org`, headers);
      assert.equal(answer.status, 403, JSON.stringify(headers));
      assert.match(answer.body, /sent from another site, so it was not accepted/);
      assert.match(answer.headers.get("Content-Type") ?? "", /^text\/plain/);
      assert.equal(answer.linkMade, false, `no link made: ${JSON.stringify(headers)}`);
    }
  });

  it("refuses Remix's own data requests and every state-changing method the same way", async () => {
    const data = await askForLink("data-request@example.org", { Origin: "https://evil.example" }, "/login?index&_data=routes%2Flogin._index");
    assert.equal(data.status, 403);
    assert.equal(data.linkMade, false);
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const answer = await app.request("/logout", { method, headers: { Origin: "https://evil.example" } });
      assert.equal(answer.status, 403, method);
    }
    const read = await app.request("/meetings", { headers: { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" } });
    assert.equal(read.status, 200, "reading is not refused: links from other sites work");
  });

  it("lets through a post that says nothing of where it comes from: not a browser's page (curl, a mail provider's one-click unsubscribe)", async () => {
    const answer = await askForLink("no-origin@example.org", {});
    assert.equal(answer.status, 200);
    assert.ok(answer.linkMade);
  });
});

describe("security headers", () => {
  it("a page: a policy whose scripts need the page's nonce, no framing, nosniff, the origin only to other sites", async () => {
    const page = await app.request(`/meetings/${WORKSHOP}`);
    assert.equal(page.status, 200);
    const { nonce, directives } = pagePolicy(page.headers);
    assert.ok(nonce.length >= 22, "at least 128 bits");
    assert.doesNotMatch(directives.get("script-src")!, /unsafe-inline|unsafe-eval|\*/);
    assert.equal(directives.get("frame-ancestors"), "'none'");
    assert.equal(directives.get("object-src"), "'none'");
    assert.equal(directives.get("base-uri"), "'none'");
    assert.equal(directives.get("form-action"), "'self'");
    assert.equal(page.headers.get("X-Content-Type-Options"), "nosniff");
    assert.equal(page.headers.get("X-Frame-Options"), "DENY");
    assert.equal(page.headers.get("Referrer-Policy"), "strict-origin-when-cross-origin");
    assert.equal(page.headers.get("Strict-Transport-Security"), null, "not over plain http");
    const again = await app.request(`/meetings/${WORKSHOP}`);
    assert.notEqual(pagePolicy(again.headers).nonce, nonce, "a new nonce for each page");
  });

  it("every script of every kind of page carries the nonce, and no element has an inline event handler", async () => {
    const organiser = await signedIn(db, "csp.organiser@example.org", "administrator");
    const participant = await signedIn(db, "csp.participant@example.org", "participant");
    const pages: [string, string | null][] = [
      ["/", null],
      ["/meetings?past=1", null],
      ["/programmes", null],
      [`/meetings/${WORKSHOP}`, null],
      [`/meetings/${WORKSHOP}/agenda?tz=Europe/Zurich`, null],
      [`/meetings/${WORKSHOP}/register`, null],
      [`/meetings/${EXPERT_MEETING}/documents`, null],
      ["/login", null],
      ["/no-such-page", null],
      ["/my", participant.cookie],
      ["/logout?everywhere", participant.cookie],
      ["/admin", organiser.cookie],
      [`/admin/meetings/${WORKSHOP}`, organiser.cookie],
      [`/admin/meetings/${WORKSHOP}/registrations`, organiser.cookie],
      [`/admin/meetings/${WORKSHOP}/agenda`, organiser.cookie],
      [`/admin/meetings/${WORKSHOP}/checkin`, organiser.cookie],
      [`/admin/meetings/${WORKSHOP}/attendance`, organiser.cookie],
      [`/admin/meetings/${EXPERT_MEETING}/documents`, organiser.cookie],
    ];
    for (const [url, cookie] of pages) {
      const page = await app.request(url, { cookie });
      assert.ok([200, 404].includes(page.status), `${url}: ${page.status}`);
      assertRunsOnlyNoncedScripts(page.body, pagePolicy(page.headers).nonce, url);
    }
  });

  it("a tagged page keeps its ETag across nonces, and its 304 carries no policy (the browser keeps the one of the page it has)", async () => {
    const first = await app.request("/programmes");
    const second = await app.request("/programmes");
    assert.ok(first.headers.get("ETag"));
    assert.equal(second.headers.get("ETag"), first.headers.get("ETag"));
    const unchanged = await app.request("/programmes", { headers: { "If-None-Match": first.headers.get("ETag")! } });
    assert.equal(unchanged.status, 304);
    assert.equal(unchanged.headers.get("Content-Security-Policy"), null);
    assert.equal(unchanged.headers.get("X-Content-Type-Options"), "nosniff");
  });

  it("feeds, downloads and the API: nosniff, never framed; a private feed and a manage link send no referrer", async () => {
    const { userId } = await signedIn(db, "feed.owner@example.org", "participant");
    const token = await issueFeedToken(db, userId);
    const paper = await db
      .selectFrom("documents")
      .innerJoin("meetings", "meetings.id", "documents.meeting_id")
      .innerJoin("document_files", "document_files.document_id", "documents.id")
      .select("documents.id")
      .where("meetings.slug", "=", EXPERT_MEETING)
      .where("documents.access_level", "=", "public")
      .where("document_files.language", "=", "en")
      .executeTakeFirstOrThrow();
    const resources: [string, string][] = [
      ["/calendar.ics", "strict-origin-when-cross-origin"],
      [`/meetings/${WORKSHOP}/calendar.ics`, "strict-origin-when-cross-origin"],
      [`/feeds/${token}/calendar.ics`, "no-referrer"],
      [`/meetings/${EXPERT_MEETING}/documents/${paper.id}?lang=en`, "strict-origin-when-cross-origin"],
      [`/meetings/${EXPERT_MEETING}/documents.zip`, "strict-origin-when-cross-origin"],
      ["/api/v1/meetings", "strict-origin-when-cross-origin"],
    ];
    for (const [url, referrer] of resources) {
      const answer = await app.request(url);
      assert.equal(answer.status, 200, url);
      assert.doesNotMatch(answer.headers.get("Content-Type") ?? "", /html/, url);
      assert.equal(answer.headers.get("X-Content-Type-Options"), "nosniff", url);
      assert.equal(answer.headers.get("Content-Security-Policy"), "frame-ancestors 'none'", url);
      assert.equal(answer.headers.get("Referrer-Policy"), referrer, url);
    }
    const registration = await app.request(`/registrations/${"A".repeat(43)}`);
    assert.equal(registration.status, 404);
    assert.equal(registration.headers.get("Referrer-Policy"), "no-referrer", "an address with a secret, even a wrong one");
    const signInLink = await app.request(`/login/verify?token=${"b".repeat(21)}C${"d".repeat(21)}`);
    assert.equal(signInLink.headers.get("Referrer-Policy"), "no-referrer");
    pagePolicy(signInLink.headers);
  });

  it("HSTS when APP_URL is https, and then only APP_URL's origin may post; unset, the address asked may too", async () => {
    const configured = process.env.APP_URL;
    try {
      process.env.APP_URL = "https://meetings.example.org";
      const page = await app.request("/meetings");
      assert.equal(page.headers.get("Strict-Transport-Security"), "max-age=63072000; includeSubDomains");
      assert.equal((await askForLink("https-own@example.org", { Origin: "https://meetings.example.org" })).status, 200);
      assert.equal((await askForLink("https-plain@example.org", { Origin: "http://meetings.example.org" })).status, 403);
      assert.equal((await askForLink("https-host@example.org", { Origin: "http://10.0.0.5:3000" }, "http://10.0.0.5:3000/login?index")).status, 403);

      delete process.env.APP_URL;
      assert.equal((await askForLink("unset-host@example.org", { Origin: "http://10.0.0.5:3000" }, "http://10.0.0.5:3000/login?index")).status, 200);
      assert.equal((await askForLink("unset-other@example.org", { Origin: "http://10.0.0.6:3000" }, "http://10.0.0.5:3000/login?index")).status, 403);
    } finally {
      process.env.APP_URL = configured;
    }
  });
});

describe("sessions", () => {
  /** A sign-in link for the address, as the emailed one: its token. */
  async function signInToken(email: string): Promise<string> {
    await sendSignInLink(db, email, null);
    const mail = await db.selectFrom("outbox").select("text").where("to_address", "=", email).orderBy("id", "desc").executeTakeFirstOrThrow();
    const token = /\/login\/verify\?token=([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
    assert.ok(token, "the email carries the link");
    return token;
  }

  const isSignedIn = async (cookie: string) => (await app.request("/my", { cookie })).status === 200;

  it("signing in ends the session the browser had and issues a new id", async () => {
    const before = await signedIn(db, "someone.else@example.org", "participant");
    const token = await signInToken("rotated@example.org");
    const answer = await app.request("/login/verify", { method: "POST", headers: FORM, body: new URLSearchParams({ token }), cookie: before.cookie });
    assert.equal(answer.status, 302);
    const after = (answer.headers.get("Set-Cookie") ?? "").split(";")[0]!;
    assert.match(after, /^__session=.+/);
    assert.notEqual(after, before.cookie);
    assert.equal(await isSignedIn(before.cookie), false, "the earlier session is gone from the database");
    assert.equal(await isSignedIn(after), true);
    const sessions = await db.selectFrom("sessions").select("user_id").where("user_id", "=", before.userId).execute();
    assert.equal(sessions.length, 0);

    const again = await app.request("/login/verify", { method: "POST", headers: FORM, body: new URLSearchParams({ token: await signInToken("rotated@example.org") }), cookie: after });
    const third = (again.headers.get("Set-Cookie") ?? "").split(";")[0]!;
    assert.notEqual(third, after, "signing in again while signed in: a new id too");
    assert.equal(await isSignedIn(after), false);
    assert.equal(await isSignedIn(third), true);
  });

  it("sign out ends this session only; sign out everywhere, after confirming, ends every session of the person", async () => {
    const laptop = await signedIn(db, "many.devices@example.org", "participant");
    const phone = await signedIn(db, "many.devices@example.org", "participant");
    const tablet = await signedIn(db, "many.devices@example.org", "participant");
    const other = await signedIn(db, "bystander@example.org", "participant");

    const my = await app.request("/my", { cookie: laptop.cookie });
    assert.match(my.body, /href="\/logout\?everywhere"/);
    const confirm = await app.request("/logout?everywhere", { cookie: laptop.cookie });
    assert.equal(confirm.status, 200);
    assert.match(confirm.body, /<button[^>]*name="intent"[^>]*value="everywhere"[^>]*>Sign out everywhere<\/button>/);

    const out = await app.request("/logout", { method: "POST", headers: FORM, body: "", cookie: tablet.cookie });
    assert.equal(out.status, 302);
    assert.match(out.headers.get("Set-Cookie") ?? "", /Max-Age=0/i);
    assert.equal(await isSignedIn(tablet.cookie), false);
    assert.equal(await isSignedIn(phone.cookie), true, "signing out here leaves the phone signed in");

    const crossSite = await app.request("/logout", { method: "POST", headers: { ...FORM, Origin: "https://evil.example" }, body: "intent=everywhere", cookie: laptop.cookie });
    assert.equal(crossSite.status, 403);
    assert.equal(await isSignedIn(phone.cookie), true, "another site cannot sign anyone out");

    const everywhere = await app.request("/logout", { method: "POST", headers: { ...FORM, Origin: SITE }, body: "intent=everywhere", cookie: laptop.cookie });
    assert.equal(everywhere.status, 302);
    assert.equal(await isSignedIn(laptop.cookie), false);
    assert.equal(await isSignedIn(phone.cookie), false);
    assert.equal(await isSignedIn(other.cookie), true, "other people stay signed in");
    const left = await db.selectFrom("sessions").select("id_hash").where("user_id", "=", laptop.userId).execute();
    assert.equal(left.length, 0);

    const unknown = await app.request("/logout", { method: "POST", headers: FORM, body: "intent=nowhere", cookie: other.cookie });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body, /Unknown sign-out/);
    assert.equal(await isSignedIn(other.cookie), true);
  });
});
