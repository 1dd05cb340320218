import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { attendanceReport } from "../../app/attendance/attendance-report.server";
import { signedIn, startApp } from "./app";

const form = (fields: Record<string, string>) => ({
  method: "POST",
  body: new URLSearchParams(fields),
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
});

describe("personal data over HTTP", async () => {
  const { db, request } = await startApp();
  const steering = await db.selectFrom("meetings").selectAll().where("slug", "=", "apis-steering-committee-eighth-session").executeTakeFirstOrThrow();
  const [alice, bob] = await db.selectFrom("registrations").select(["email"]).where("meeting_id", "=", steering.id).where("status", "=", "confirmed").orderBy("id").limit(2).execute();
  const a = await signedIn(db, alice!.email, "participant");
  const b = await signedIn(db, bob!.email, "participant");
  const retention = process.env.RETENTION_DAYS;
  after(() => {
    if (retention === undefined) delete process.env.RETENTION_DAYS;
    else process.env.RETENTION_DAYS = retention;
  });

  it("gives a signed-in person their own data as a JSON download, never anyone else's", async () => {
    const anonymous = await request("/my/data.json");
    assert.equal(anonymous.status, 302);
    assert.match(anonymous.headers.get("Location") ?? "", /^\/login\?redirectTo=/);

    const page = await request("/my", { cookie: a.cookie });
    assert.match(page.body, /href="\/my\/data\.json"[^>]*>\s*Download my data/);

    // An address in the query names nobody: the download is always the signed-in person's.
    const own = await request(`/my/data.json?email=${encodeURIComponent(bob!.email)}`, { cookie: a.cookie });
    assert.equal(own.status, 200);
    assert.match(own.headers.get("Content-Type") ?? "", /^application\/json/);
    assert.match(own.headers.get("Content-Disposition") ?? "", /^attachment; filename="my-data-\d{4}-\d{2}-\d{2}\.json"/);
    assert.equal(own.headers.get("Cache-Control"), "no-store");
    const data = own.json() as { account: { email: string }; registrations: { meeting: { slug: string }; email: string }[] };
    assert.equal(data.account.email, alice!.email);
    assert.ok(data.registrations.some((r) => r.meeting.slug === steering.slug && r.email === alice!.email));
    assert.ok(!own.body.includes(bob!.email), "nothing of another person");
  });

  it("deletes an account only with the person's own address typed, and only theirs", async () => {
    const anonymous = await request("/my/delete", form({ confirmEmail: alice!.email }));
    assert.equal(anonymous.status, 302);
    assert.match(anonymous.headers.get("Location") ?? "", /^\/login/);

    const someoneElse = await request("/my/delete", { ...form({ confirmEmail: bob!.email }), cookie: a.cookie });
    assert.equal(someoneElse.status, 400);
    assert.match(someoneElse.body, /Type your own email address/);
    assert.match(someoneElse.body, new RegExp(`value="${bob!.email.replace(/[.+]/g, "\\$&")}"`), "what was typed is kept");
    assert.equal((await db.selectFrom("users").select("id").where("id", "in", [a.userId, b.userId]).execute()).length, 2);

    const reportBefore = (await attendanceReport(db, steering)).totals;
    const deleted = await request("/my/delete", { ...form({ confirmEmail: ` ${alice!.email.toUpperCase()} ` }), cookie: a.cookie });
    assert.equal(deleted.status, 302);
    assert.equal(deleted.headers.get("Location"), "/my/delete?deleted=1");
    assert.match(deleted.headers.get("Set-Cookie") ?? "", /__session=;.*Max-Age=0/i);
    const done = await request("/my/delete?deleted=1");
    assert.equal(done.status, 200);
    assert.match(done.body, /Your account is deleted/);

    assert.equal(await db.selectFrom("users").select("id").where("id", "=", a.userId).executeTakeFirst(), undefined);
    assert.equal((await db.selectFrom("registrations").select("id").where("email", "=", alice!.email).execute()).length, 0);
    assert.equal((await request("/my", { cookie: a.cookie })).status, 302, "the old session is over");
    assert.equal((await request("/my", { cookie: b.cookie })).status, 200, "the other person is still signed in");
    assert.equal((await db.selectFrom("registrations").select("id").where("email", "=", bob!.email).execute()).length > 0, true);
    assert.deepEqual((await attendanceReport(db, steering)).totals, reportBefore);
  });

  it("refuses, with a 409 page, to delete the last administrator's account, keeping what was typed", async () => {
    const configured = process.env.ADMIN_EMAILS;
    delete process.env.ADMIN_EMAILS;
    const others = await db.updateTable("users").set({ role: "participant" }).where("role", "=", "administrator").returning("id").execute();
    try {
      const admin = await signedIn(db, "last-admin@example.org", "administrator");
      const refused = await request("/my/delete", { ...form({ confirmEmail: "Last-Admin@example.org" }), cookie: admin.cookie });
      assert.equal(refused.status, 409);
      assert.match(refused.body, /You are the last administrator/);
      assert.match(refused.body, /value="Last-Admin@example\.org"/, "what was typed is kept");
      assert.ok(await db.selectFrom("users").select("id").where("id", "=", admin.userId).executeTakeFirst());
      assert.equal((await request("/my", { cookie: admin.cookie })).status, 200, "still signed in");
    } finally {
      if (others.length > 0) await db.updateTable("users").set({ role: "administrator" }).where("id", "in", others.map((row) => row.id)).execute();
      if (configured !== undefined) process.env.ADMIN_EMAILS = configured;
    }
  });

  it("lets organisers purge a meeting's personal data once its retention period is over", async () => {
    const organiser = await signedIn(db, "purger@example.org", "administrator");
    const address = `/admin/meetings/${steering.slug}/personal-data`;
    assert.equal((await request(address, { cookie: b.cookie })).status, 403);
    assert.equal((await request(address, form({ confirmSlug: steering.slug }))).status, 302, "anonymous: to sign in");
    assert.equal((await request(address, { ...form({ confirmSlug: steering.slug }), cookie: b.cookie })).status, 403);

    delete process.env.RETENTION_DAYS;
    const page = await request(address, { cookie: organiser.cookie });
    assert.equal(page.status, 200);
    assert.match(page.body, /kept for 365 days after the meeting ends/);
    assert.match(page.body, /Purging will be possible from/);
    const early = await request(address, { ...form({ confirmSlug: steering.slug }), cookie: organiser.cookie });
    assert.equal(early.status, 409);
    assert.match(early.body, /can be purged from/);

    process.env.RETENTION_DAYS = "0";
    const unconfirmed = await request(address, { ...form({ confirmSlug: "another-meeting" }), cookie: organiser.cookie });
    assert.equal(unconfirmed.status, 400);
    assert.match(unconfirmed.body, /to confirm/);

    const reportBefore = (await attendanceReport(db, steering)).totals;
    const purged = await request(address, { ...form({ confirmSlug: steering.slug }), cookie: organiser.cookie });
    assert.equal(purged.status, 302);
    const after = await request(`${address}?purged=1`, { cookie: organiser.cookie });
    assert.match(after.body, /personal data is purged/);
    assert.match(after.body, /by purger@example\.org: \d+ registrations/);
    assert.deepEqual((await attendanceReport(db, steering)).totals, reportBefore);
    assert.equal((await db.selectFrom("registrations").select("id").where("meeting_id", "=", steering.id).where("anonymised_at", "is", null).execute()).length, 0);
    const attendance = await request(`/admin/meetings/${steering.slug}/attendance`, { cookie: organiser.cookie });
    assert.equal(attendance.status, 200);
    assert.ok(!attendance.body.includes(bob!.email), "the report names nobody now");
    const log = await request(`/admin/meetings/${steering.slug}/audit`, { cookie: organiser.cookie });
    assert.match(log.body, /Personal data purged/);
    assert.match(log.body, /purger@example\.org/);
  });
});
