import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { issueFeedToken } from "../../app/calendar/personal-feed.server";
import { registeredRedirect, registrationBody } from "../support/registration";
import { assertBody, signedIn, startApp } from "./app";

/** Rate limits through the built app: each limited request gets 429, `Retry-After` and a message; others are not touched. */

const WORKSHOP = "regional-workshop-on-rural-connectivity-and-community-networks";
const EGM = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";
const HALL = "203.0.113.10";
const ELSEWHERE = "198.51.100.20";
const SETTINGS = ["RATE_LIMITS", "SIGN_IN_LINKS_PER_EMAIL_PER_HOUR", "SIGN_IN_LINKS_PER_IP_PER_HOUR", "REGISTRATIONS_PER_IP_PER_MEETING_PER_HOUR", "FEED_REQUESTS_PER_TOKEN_PER_HOUR"];

/** A wait of at most the hour, in whole seconds. */
function assertRetryAfter(headers: Headers) {
  const seconds = Number(headers.get("Retry-After"));
  assert.ok(Number.isInteger(seconds) && seconds >= 1 && seconds <= 3600, `Retry-After: ${headers.get("Retry-After")}`);
  return seconds;
}

describe("rate limits through the app", async () => {
  const app = await startApp();
  const { db } = app;
  async function request(url: string, init?: Parameters<typeof app.request>[1]) {
    const response = await app.request(url, init);
    return { ...response, body: response.body.replaceAll("<!-- -->", "") };
  }
  const askForLink = (email: string, network = HALL) => request("/login", { method: "POST", body: new URLSearchParams({ email }), network });
  const register = (slug: string, fields: Record<string, string>, network = HALL) =>
    request(`/meetings/${slug}/register`, { method: "POST", body: registrationBody(fields), network });
  const linksTo = async (email: string) =>
    (await db.selectFrom("outbox").select("id").where("to_address", "=", email).where("template", "=", "sign-in-link").execute()).length;

  afterEach(async () => {
    for (const name of SETTINGS) delete process.env[name];
    await db.deleteFrom("rate_limit_counters").execute();
  });

  it("refuses a sixth sign-in link for one address within the hour, keeping the address typed, whether or not it has an account", async () => {
    await signedIn(db, "delegate@example.gov", "participant");
    for (const email of ["delegate@example.gov", "nobody-here@example.gov"]) {
      for (let i = 0; i < 5; i++) assert.equal((await askForLink(email)).status, 200, `link ${i + 1} to ${email}`);
      const refused = await askForLink(email.toUpperCase(), ELSEWHERE);
      assert.equal(refused.status, 429, email);
      const minutes = Math.ceil(assertRetryAfter(refused.headers) / 60);
      assertBody(refused.body, `Too many sign-in links have been asked for this address. Try again in ${minutes === 1 ? "a minute" : `${minutes} minutes`}.`);
      assertBody(refused.body, /role="alert"/);
      assertBody(refused.body, `value="${email.toUpperCase()}"`, "the address typed is kept");
      assert.equal(await linksTo(email), 5, `no sixth link to ${email}`);
    }
    assert.equal((await askForLink("someone-else@example.gov")).status, 200, "another address from the same network");
  });

  it("refuses sign-in links past the limit per network, and only from that network", async () => {
    process.env.SIGN_IN_LINKS_PER_IP_PER_HOUR = "3";
    for (let i = 0; i < 3; i++) assert.equal((await askForLink(`person${i}@example.org`)).status, 200);
    const refused = await askForLink("person3@example.org");
    assert.equal(refused.status, 429);
    assertRetryAfter(refused.headers);
    assertBody(refused.body, "Too many sign-in links have been asked for from your network.");
    assert.equal(await linksTo("person3@example.org"), 0);
    assert.equal((await askForLink("person3@example.org", ELSEWHERE)).status, 200, "another network");
    assert.equal((await request("/login", { method: "POST", body: new URLSearchParams({ email: "not an address" }) })).status, 400, "bad input is still a 400");
  });

  it("refuses registrations for a meeting past the limit per network, keeping the form as typed and creating nothing", async () => {
    process.env.REGISTRATIONS_PER_IP_PER_MEETING_PER_HOUR = "2";
    const workshop = await db.selectFrom("meetings").select("id").where("slug", "=", WORKSHOP).executeTakeFirstOrThrow();
    const rows = async () => (await db.selectFrom("registrations").select("id").where("meeting_id", "=", workshop.id).execute()).length;
    const before = await rows();
    registeredRedirect(await register(WORKSHOP, { email: "hall-1@example.gov" }));
    assert.equal((await register(WORKSHOP, { email: "bad address" })).status, 400, "a form with errors does not count");
    registeredRedirect(await register(WORKSHOP, { email: "hall-2@example.gov" }));
    const refused = await register(WORKSHOP, { email: "hall-3@example.gov", firstName: "Siosaia", organisation: "Ministry of MEIDECC" });
    assert.equal(refused.status, 429);
    assertRetryAfter(refused.headers);
    assertBody(refused.body, "Too many registrations for this meeting have been sent from your network.");
    for (const value of ["hall-3@example.gov", "Siosaia", "Ministry of MEIDECC"]) assertBody(refused.body, `value="${value}"`, "the form keeps what was typed");
    assert.equal(await rows(), before + 2);
    registeredRedirect(await register(WORKSHOP, { email: "hall-3@example.gov" }, ELSEWHERE)); // another network
    registeredRedirect(await register(EGM, { email: "hall-3@example.gov", attendanceMode: "online" })); // another meeting
  });

  it("refuses a private feed polled past the limit in plain text, and no other feed", async () => {
    process.env.FEED_REQUESTS_PER_TOKEN_PER_HOUR = "3";
    const token = await issueFeedToken(db, (await signedIn(db, "polled@example.gov", "participant")).userId);
    const other = await issueFeedToken(db, (await signedIn(db, "quiet@example.gov", "participant")).userId);
    for (let i = 0; i < 3; i++) assert.equal((await request(`/feeds/${token}/calendar.ics`)).status, 200);
    const refused = await request(`/feeds/${token}/calendar.ics`, { network: ELSEWHERE });
    assert.equal(refused.status, 429, "per token, from any network");
    assert.equal(refused.headers.get("Content-Type"), "text/plain; charset=utf-8");
    assertRetryAfter(refused.headers);
    assert.match(refused.body, /^Too many requests for this calendar feed: calendar apps need it only every few minutes\. Try again in (a minute|\d+ minutes)\.$/);
    assert.equal((await request(`/feeds/${other}/calendar.ics`)).status, 200, "another feed");
    assert.equal((await request(`/feeds/${"A".repeat(43)}/calendar.ics`)).status, 404, "an unknown token is a 404, and counts nothing");
    assert.equal((await db.selectFrom("rate_limit_counters").select("bucket").execute()).length, 2);
  });

  it("lets everything through with RATE_LIMITS=off", async () => {
    process.env.RATE_LIMITS = "off";
    process.env.SIGN_IN_LINKS_PER_EMAIL_PER_HOUR = "1";
    process.env.FEED_REQUESTS_PER_TOKEN_PER_HOUR = "1";
    const token = await issueFeedToken(db, (await signedIn(db, "bench@example.gov", "participant")).userId);
    for (let i = 0; i < 3; i++) {
      assert.equal((await askForLink("bench@example.gov")).status, 200);
      assert.equal((await request(`/feeds/${token}/calendar.ics`)).status, 200);
    }
    assert.equal((await db.selectFrom("rate_limit_counters").select("bucket").execute()).length, 0);
  });
});
