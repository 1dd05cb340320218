import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertBody, signedIn, startApp } from "./app";

/** Following by email through the built app: the forms, the emailed links, one-click unsubscribe, and the organisers' side. */

const PROGRAMME = "digital-cooperation-and-government";
const DRAFT = "asia-pacific-digital-ministers-roundtable";
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
const TOKEN_IN_LINK = /\/follows\/([A-Za-z0-9_-]{43})\b/;

function fieldError(body: string, field: string): string | undefined {
  return new RegExp(`id="${field}-error"[^>]*>([^<]*)<`).exec(body)?.[1];
}

describe("following by email through the app", async () => {
  const app = await startApp();
  const { db } = app;
  async function request(url: string, init?: Parameters<typeof app.request>[1]) {
    const response = await app.request(url, init);
    return { ...response, body: response.body.replaceAll("<!-- -->", "") };
  }
  const post = (url: string, body: URLSearchParams | string, cookie?: string) => request(url, { method: "POST", headers: FORM, body, cookie });
  const followForm = (email: string, programme = PROGRAMME) => post("/follows?index", new URLSearchParams({ email, programme }));

  async function tokenMailedTo(email: string): Promise<string> {
    const mail = await db.selectFrom("outbox").select("text").where("to_address", "=", email).orderBy("id", "desc").executeTakeFirst();
    const token = TOKEN_IN_LINK.exec(mail?.text ?? "")?.[1];
    assert.ok(token, `a follow link mailed to ${email}`);
    return token;
  }

  async function followAndConfirm(email: string, programme = PROGRAMME): Promise<string> {
    assert.equal((await followForm(email, programme)).status, 200);
    const token = await tokenMailedTo(email);
    assert.equal((await post(`/follows/${token}?index`, new URLSearchParams({ intent: "confirm" }))).status, 302);
    return token;
  }

  it("offers the form on each programme page and under the list of all meetings", async () => {
    const programme = await request(`/programmes/${PROGRAMME}`);
    assertBody(programme.body, "Follow Digital Cooperation and Government by email");
    assertBody(programme.body, `<input type="hidden" name="programme" value="${PROGRAMME}"/>`);
    assertBody(programme.body, /<form method="post" action="\/follows\?index"/);
    const all = await request("/meetings");
    assertBody(all.body, "Follow all meetings by email");
    assertBody(all.body, '<input type="hidden" name="programme" value=""/>');

    const standalone = await request(`/follows?programme=${PROGRAMME}`);
    assert.equal(standalone.status, 200);
    assertBody(standalone.body, /<label for="email">Email address/);
    assertBody(standalone.body, new RegExp(`<option value="${PROGRAMME}" selected="">`));
    assert.equal((await request("/follows?programme=no-such-programme")).status, 404);
  });

  it("refuses a bad address or an unknown programme with 400, the message by its field and the values kept, storing nothing", async () => {
    const before = await db.selectFrom("outbox").select(db.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    const bad = await followForm("not-an-address");
    assert.equal(bad.status, 400);
    assert.equal(fieldError(bad.body, "email"), "An email address, e.g. name@example.org");
    assertBody(bad.body, 'value="not-an-address"');
    assertBody(bad.body, new RegExp(`<option value="${PROGRAMME}" selected="">`), "the programme is kept");

    const unknown = await followForm("someone@example.org", "no-such-programme");
    assert.equal(unknown.status, 400);
    assert.equal(fieldError(unknown.body, "programme"), "Choose a programme from the list");
    assertBody(unknown.body, 'value="someone@example.org"');

    const after = await db.selectFrom("outbox").select(db.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    assert.equal(after.n, before.n);
    assert.equal(await db.selectFrom("follows").select("id").executeTakeFirst(), undefined);
  });

  it("answers the same whether or not the address already follows; the email differs", async () => {
    const first = await followForm("Repeat@Example.org");
    assert.equal(first.status, 200);
    assertBody(first.body, "Check your email");
    assertBody(first.body, "We sent a message to <strong>repeat@example.org</strong>");
    const token = await tokenMailedTo("repeat@example.org");
    await post(`/follows/${token}?index`, new URLSearchParams({ intent: "confirm" }));
    const soon = await followForm("repeat@example.org");
    assert.equal(soon.status, 200, "asked again within ten minutes: the same answer, and no email");
    await db.updateTable("follows").set({ emailed_at: new Date(Date.now() - 11 * 60_000) }).where("email", "=", "repeat@example.org").execute();
    const again = await followForm("repeat@example.org");
    assert.equal(again.status, 200);
    assert.equal((/<main[\s\S]*<\/main>/.exec(soon.body) ?? [])[0], (/<main[\s\S]*<\/main>/.exec(again.body) ?? [])[0]);
    const main = (body: string) => /<main[\s\S]*<\/main>/.exec(body)?.[0];
    assert.equal(main(again.body), main(first.body));
    const templates = await db.selectFrom("outbox").select("template").where("to_address", "=", "repeat@example.org").orderBy("id").execute();
    assert.deepEqual(
      templates.map((t) => t.template),
      ["follow-confirm", "follow-already"],
    );
  });

  it("confirms by the page's button, not by opening the link; the page is private", async () => {
    await followForm("confirm@example.org");
    const token = await tokenMailedTo("confirm@example.org");
    const page = await request(`/follows/${token}`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("Referrer-Policy"), "no-referrer");
    assert.equal(page.headers.get("Cache-Control"), "no-store");
    assertBody(page.body, /<button type="submit" name="intent" value="confirm" class="button">Confirm<\/button>/);
    assertBody(page.body, "(not confirmed yet: nothing is sent)");
    const row = () => db.selectFrom("follows").select("confirmed_at").where("email", "=", "confirm@example.org").executeTakeFirstOrThrow();
    assert.equal((await row()).confirmed_at, null, "opening the link confirms nothing");

    const confirmed = await post(`/follows/${token}?index`, new URLSearchParams({ intent: "confirm" }));
    assert.equal(confirmed.status, 302);
    assert.equal(confirmed.headers.get("Location"), `/follows/${token}?done=confirmed`);
    assert.ok((await row()).confirmed_at);
    const after = await request(`/follows/${token}?done=confirmed`);
    assertBody(after.body, "Confirmed: we will email you about these meetings.");
    assertBody(after.body, "(confirmed)");

    const refused = await post(`/follows/${token}?index`, new URLSearchParams({ intent: "delete-everything" }));
    assert.equal(refused.status, 400);
  });

  it("answers 404 to an unknown or malformed link, on every follow page", async () => {
    for (const token of ["A".repeat(43), "short", "aB".repeat(30)]) {
      assert.equal((await request(`/follows/${token}`)).status, 404, token);
      assert.equal((await post(`/follows/${token}?index`, new URLSearchParams({ intent: "confirm" }))).status, 404, token);
      assert.equal((await request(`/follows/${token}/unsubscribe`)).status, 404, token);
      assert.equal((await post(`/follows/${token}/unsubscribe`, "List-Unsubscribe=One-Click")).status, 404, token);
    }
  });

  it("emails followers when an organiser publishes a meeting, with one-click unsubscribe headers", async () => {
    const token = await followAndConfirm("delegate@example.org");
    await followForm("pending@example.org");
    const { cookie } = await signedIn(db, "organiser@example.org", "administrator");
    const published = await post(`/admin/meetings/${DRAFT}`, new URLSearchParams({ intent: "publish" }), cookie);
    assert.equal(published.status, 302);

    const news = await db.selectFrom("outbox").selectAll().where("template", "=", "meeting-news").execute();
    const recipients = news.map((mail) => mail.to_address);
    assert.ok(recipients.includes("delegate@example.org") && !recipients.includes("pending@example.org"), recipients.join(", "));
    const mail = news.find((m) => m.to_address === "delegate@example.org");
    assert.equal(mail?.subject, "New meeting: Asia-Pacific Digital Ministers' Roundtable");
    assert.equal(mail?.headers["List-Unsubscribe"], `<http://localhost:3000/follows/${token}/unsubscribe>`);
    assert.equal(mail?.headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click");
    assertBody(mail?.text ?? "", `http://localhost:3000/meetings/${DRAFT}`);

    const admin = await request(`/admin/programmes/${PROGRAMME}`, { cookie });
    assertBody(admin.body, `${recipients.length} people follow this programme by email (confirmed)`);
    const index = await request("/admin/programmes", { cookie });
    assertBody(index.body, "0 people follow all meetings by email");
  });

  it("unsubscribes in one click (RFC 8058), with or without the body, and from the page's button", async () => {
    const oneClick = await followAndConfirm("one-click@example.org");
    const page = await request(`/follows/${oneClick}/unsubscribe`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("Referrer-Policy"), "no-referrer");
    assertBody(page.body, /<button type="submit" class="button">Unsubscribe<\/button>/);
    assert.ok(await db.selectFrom("follows").select("id").where("email", "=", "one-click@example.org").executeTakeFirst(), "a GET changes nothing");

    const done = await post(`/follows/${oneClick}/unsubscribe`, "List-Unsubscribe=One-Click");
    assert.equal(done.status, 200);
    assertBody(done.body, "You are unsubscribed");
    assert.equal(await db.selectFrom("follows").select("id").where("email", "=", "one-click@example.org").executeTakeFirst(), undefined);
    assert.equal((await request(`/follows/${oneClick}`)).status, 404, "the link stops working");

    const bare = await followAndConfirm("bare@example.org");
    const bareDone = await request(`/follows/${bare}/unsubscribe`, { method: "POST" });
    assert.equal(bareDone.status, 200);
    assert.equal(await db.selectFrom("follows").select("id").where("email", "=", "bare@example.org").executeTakeFirst(), undefined);
  });

  it("lists every follow of the address on the manage page and unsubscribes one or all", async () => {
    const email = "manager@example.org";
    const programmeToken = await followAndConfirm(email);
    const allToken = await followAndConfirm(email, "");
    const page = await request(`/follows/${programmeToken}`);
    assertBody(page.body, /<a[^>]* href="\/programmes\/digital-cooperation-and-government">Digital Cooperation and Government<\/a>/);
    assertBody(page.body, /<a[^>]* href="\/meetings">All meetings<\/a>/);
    assertBody(page.body, "Unsubscribe from all");

    const follows = await db.selectFrom("follows").select(["id", "programme_id"]).where("email", "=", email).execute();
    const own = follows.find((f) => f.programme_id !== null)!;
    const gone = await post(`/follows/${programmeToken}?index`, new URLSearchParams({ intent: "unsubscribe", follow: String(own.id) }));
    assert.equal(gone.status, 302);
    assert.equal(gone.headers.get("Location"), `/follows/${allToken}?done=unsubscribed`, "what is left, under a link that still works");

    const all = await post(`/follows/${allToken}?index`, new URLSearchParams({ intent: "unsubscribe-all" }));
    assert.equal(all.headers.get("Location"), "/follows?done=unsubscribed");
    assertBody((await request("/follows?done=unsubscribed")).body, "You are unsubscribed");
    assert.equal(await db.selectFrom("follows").select("id").where("email", "=", email).executeTakeFirst(), undefined);
  });
});
