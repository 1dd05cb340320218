import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { afterEach, describe, it } from "node:test";
import { sql } from "kysely";
import {
  SIGN_IN_LINK_MINUTES,
  redeemSignInLink,
  safeRedirectPath,
  sendSignInLink,
  signInLinkEmailAddress,
} from "../../app/accounts/sign-in.server";
import { freshDatabase } from "../support/database";

describe("sign-in links", async () => {
  const { db } = await freshDatabase();
  const adminEmails = process.env.ADMIN_EMAILS;
  afterEach(() => {
    if (adminEmails === undefined) delete process.env.ADMIN_EMAILS;
    else process.env.ADMIN_EMAILS = adminEmails;
  });

  /** Sends a link and reads it back out of the email in the outbox, as the recipient would. */
  async function linkFor(email: string, redirectTo: string | null = null) {
    const before = await db.selectFrom("outbox").select("id").orderBy("id", "desc").executeTakeFirst();
    await sendSignInLink(db, email, redirectTo);
    const messages = await db
      .selectFrom("outbox")
      .selectAll()
      .where("id", ">", before?.id ?? "0")
      .execute();
    assert.equal(messages.length, 1, "one email queued");
    const message = messages[0]!;
    const match = /http:\/\/localhost:3000\/login\/verify\?token=([A-Za-z0-9_-]+)/.exec(message.text);
    assert.ok(match, `a link in: ${message.text}`);
    assert.ok(message.html.includes(match[0]), "the HTML version carries the same link");
    return { message, link: match[0], token: match[1]! };
  }

  it("stores only the token's hash and queues the email with the link", async () => {
    const startedAt = Date.now();
    const { message, token } = await linkFor("Delegate@Example.org", "/meetings/some-meeting");
    assert.equal(message.to_address, "Delegate@Example.org");
    assert.equal(message.subject, "Your sign-in link");
    assert.equal(message.template, "sign-in-link");
    assert.equal(message.status, "pending");
    assert.match(message.text, new RegExp(`expires in ${SIGN_IN_LINK_MINUTES} minutes`));

    const rows = await db.selectFrom("login_tokens").selectAll().execute();
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    assert.equal(row.email, "delegate@example.org");
    assert.equal(row.redirect_to, "/meetings/some-meeting");
    assert.equal(row.used_at, null);
    assert.deepEqual(row.token_hash, createHash("sha256").update(token).digest());
    const minutes = (row.expires_at.getTime() - startedAt) / 60_000;
    assert.ok(minutes > SIGN_IN_LINK_MINUTES - 1 && minutes <= SIGN_IN_LINK_MINUTES + 1, `expires in ${minutes} minutes`);

    // The raw token appears nowhere in the table, in any column, as text or bytes.
    const dump = await sql<{ row: string }>`select row_to_json(t)::text as row from login_tokens t`.execute(db);
    assert.ok(!dump.rows[0]!.row.includes(token));
    const byRawBytes = await db.selectFrom("login_tokens").select("id").where("token_hash", "=", Buffer.from(token)).execute();
    assert.equal(byRawBytes.length, 0);
  });

  it("keeps neither the token nor the email when one of the two cannot be written", async () => {
    const tokensBefore = await db.selectFrom("login_tokens").select(db.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    await sql`create function refuse_mail() returns trigger language plpgsql as $$ begin raise exception 'outbox refused'; end $$`.execute(db);
    await sql`create trigger refuse_mail before insert on outbox for each row execute function refuse_mail()`.execute(db);
    try {
      await assert.rejects(sendSignInLink(db, "atomic@example.org", null), /outbox refused/);
    } finally {
      await sql`drop trigger refuse_mail on outbox`.execute(db);
      await sql`drop function refuse_mail()`.execute(db);
    }
    const tokensAfter = await db.selectFrom("login_tokens").select(db.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    assert.equal(tokensAfter.n, tokensBefore.n, "the token was rolled back with the email");
    const tokens = await db.selectFrom("login_tokens").select("id").where("email", "=", "atomic@example.org").execute();
    assert.equal(tokens.length, 0);
  });

  it("works once: it creates the participant, then the link is spent", async () => {
    delete process.env.ADMIN_EMAILS;
    const { token } = await linkFor("participant@example.org", "/meetings/some-meeting");
    assert.equal(await signInLinkEmailAddress(db, token), "participant@example.org", "looking does not use it up");
    assert.equal(await signInLinkEmailAddress(db, token), "participant@example.org");

    const first = await redeemSignInLink(db, token);
    assert.ok(first);
    assert.equal(first.user.email, "participant@example.org");
    assert.equal(first.user.role, "participant");
    assert.ok(first.user.last_sign_in_at instanceof Date);
    assert.equal(first.redirectTo, "/meetings/some-meeting");
    const users = await db.selectFrom("users").selectAll().where("email", "=", "participant@example.org").execute();
    assert.equal(users.length, 1);
    assert.equal(users[0]!.id, first.user.id);

    assert.equal(await redeemSignInLink(db, token), null, "a second use finds nothing");
    assert.equal(await signInLinkEmailAddress(db, token), null);
    const row = await db.selectFrom("login_tokens").select("used_at").where("email", "=", "participant@example.org").executeTakeFirstOrThrow();
    assert.ok(row.used_at instanceof Date);
  });

  it("lets only one of two simultaneous uses of a link through", async () => {
    const { token } = await linkFor("twice@example.org");
    const results = await Promise.all([redeemSignInLink(db, token), redeemSignInLink(db, token)]);
    assert.equal(results.filter(Boolean).length, 1);
  });

  it("refuses an expired link and creates no user", async () => {
    const { token } = await linkFor("late@example.org");
    await db
      .updateTable("login_tokens")
      .set({ expires_at: new Date(Date.now() - 1_000) })
      .where("email", "=", "late@example.org")
      .execute();
    assert.equal(await signInLinkEmailAddress(db, token), null);
    assert.equal(await redeemSignInLink(db, token), null);
    const users = await db.selectFrom("users").select("id").where("email", "=", "late@example.org").execute();
    assert.equal(users.length, 0);
  });

  it("refuses tokens that were never issued or are malformed", async () => {
    const { token } = await linkFor("someone@example.org");
    const altered = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    assert.equal(await redeemSignInLink(db, altered), null);
    for (const junk of [null, "", "short", `${token}x`, "'; drop table users; --"]) {
      assert.equal(await redeemSignInLink(db, junk), null, String(junk));
    }
    assert.equal(await signInLinkEmailAddress(db, token), "someone@example.org", "the real link still works");
  });

  it("makes an address listed in ADMIN_EMAILS an administrator, sent to /admin by default", async () => {
    process.env.ADMIN_EMAILS = "secretariat@example.org, Chair@Example.org";
    const { token } = await linkFor("chair@example.org");
    const signedIn = await redeemSignInLink(db, token);
    assert.ok(signedIn);
    assert.equal(signedIn.user.role, "administrator");
    assert.equal(signedIn.redirectTo, "/admin");

    const other = await redeemSignInLink(db, (await linkFor("observer@example.org")).token);
    assert.ok(other);
    assert.equal(other.user.role, "participant");
    assert.equal(other.redirectTo, "/");
  });

  it("promotes an existing participant once the address is listed, keeping the same user", async () => {
    delete process.env.ADMIN_EMAILS;
    const before = await redeemSignInLink(db, (await linkFor("promoted@example.org")).token);
    assert.equal(before?.user.role, "participant");
    process.env.ADMIN_EMAILS = "promoted@example.org";
    const after = await redeemSignInLink(db, (await linkFor("promoted@example.org")).token);
    assert.equal(after?.user.role, "administrator");
    assert.equal(after?.user.id, before?.user.id);
  });

  it("never sends anyone off the site after signing in", async () => {
    delete process.env.ADMIN_EMAILS;
    const { token } = await linkFor("redirected@example.org", "//evil.example/phish");
    const signedIn = await redeemSignInLink(db, token);
    assert.equal(signedIn?.redirectTo, "/");
  });
});

describe("safeRedirectPath", () => {
  it("keeps paths on this site", () => {
    assert.equal(safeRedirectPath("/admin"), "/admin");
    assert.equal(safeRedirectPath("/meetings/x?tz=Asia/Tokyo#agenda"), "/meetings/x?tz=Asia/Tokyo#agenda");
  });
  it("refuses other sites and anything that is not a path", () => {
    for (const to of ["//evil.example", "//evil.example/admin", "/\\evil.example", "https://evil.example/", "http://localhost:3000/admin", "javascript:alert(1)", "admin", "", null, undefined]) {
      assert.equal(safeRedirectPath(to), "/", String(to));
      assert.equal(safeRedirectPath(to, "/fallback"), "/fallback", String(to));
    }
  });
});
