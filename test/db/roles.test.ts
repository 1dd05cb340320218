import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { sql } from "kysely";
import {
  grantAdministrator,
  grantMeetingRole,
  listAdministrators,
  meetingAccess,
  meetingTeam,
  revokeAdministrator,
  revokeMeetingRole,
} from "../../app/accounts/roles.server";
import { userSigningIn } from "../../app/accounts/users.server";
import { createMeeting } from "../../app/meetings/meetings.server";
import { parseMeetingForm } from "../../app/meetings/meeting-form.server";
import { migrateDown, migrateToLatest } from "../../db/migrate";
import { freshDatabase } from "../support/database";
import { addMeeting } from "../support/registration";

describe("roles", async () => {
  const { db } = await freshDatabase();
  const meeting = await addMeeting(db, { title: "Roles meeting" });
  const otherMeeting = await addMeeting(db, { title: "Another meeting" });
  const admin = await db.insertInto("users").values({ email: "roles-admin@example.org", role: "administrator" }).returning(["id", "role"]).executeTakeFirstOrThrow();

  afterEach(() => {
    delete process.env.ADMIN_EMAILS;
  });

  it("gives a meeting to someone who signed in before, by their address as typed", async () => {
    const person = await userSigningIn(db, "aiko.tanaka@example.org");
    await grantMeetingRole(db, { meetingId: meeting.id, email: "  Aiko.Tanaka@Example.org ", role: "manager", grantedBy: admin.id });
    assert.equal(await meetingAccess(db, person, meeting.id), "manage");
    assert.equal(await meetingAccess(db, person, otherMeeting.id), null, "only that meeting");
    const team = await meetingTeam(db, meeting.id);
    assert.deepEqual(
      team.map(({ email, role, grantedBy }) => ({ email, role, grantedBy })),
      [{ email: "aiko.tanaka@example.org", role: "manager", grantedBy: "roles-admin@example.org" }],
    );
  });

  it("gives a meeting to an address never seen: the grant holds at that person's first sign-in", async () => {
    await grantMeetingRole(db, { meetingId: meeting.id, email: "new.desk@example.org", role: "check_in", grantedBy: admin.id });
    const users = await db.selectFrom("users").select(["email", "role", "last_sign_in_at"]).where("email", "=", "new.desk@example.org").execute();
    assert.deepEqual(users, [{ email: "new.desk@example.org", role: "participant", last_sign_in_at: null }]);
    const signedIn = await userSigningIn(db, "New.Desk@example.org");
    assert.equal(signedIn.role, "participant");
    assert.equal(await meetingAccess(db, signedIn, meeting.id), "check_in");
  });

  it("changes a person's role in a meeting rather than adding a second one, and takes it away", async () => {
    await grantMeetingRole(db, { meetingId: meeting.id, email: "switch@example.org", role: "check_in", grantedBy: admin.id });
    await grantMeetingRole(db, { meetingId: meeting.id, email: "switch@example.org", role: "manager", grantedBy: admin.id });
    const person = await db.selectFrom("users").select(["id", "role"]).where("email", "=", "switch@example.org").executeTakeFirstOrThrow();
    const rows = await db.selectFrom("meeting_roles").select("role").where("user_id", "=", person.id).execute();
    assert.deepEqual(rows, [{ role: "manager" }]);

    assert.equal(await revokeMeetingRole(db, meeting.id, person.id, admin.id), true);
    assert.equal(await meetingAccess(db, person, meeting.id), null);
    assert.equal(await revokeMeetingRole(db, meeting.id, person.id, admin.id), false, "nothing left to remove");

    const logged = await db
      .selectFrom("audit_events")
      .select(["action", "actor_email", "meeting_id", "before", "after"])
      .where("subject_type", "=", "user")
      .where("subject_id", "=", String(person.id))
      .orderBy("id")
      .execute();
    assert.deepEqual(logged, [
      { action: "team.role_granted", actor_email: "roles-admin@example.org", meeting_id: meeting.id, before: null, after: { role: "check_in" } },
      { action: "team.role_granted", actor_email: "roles-admin@example.org", meeting_id: meeting.id, before: { role: "check_in" }, after: { role: "manager" } },
      { action: "team.role_removed", actor_email: "roles-admin@example.org", meeting_id: meeting.id, before: { role: "manager" }, after: null },
    ]);
  });

  it("gives administrators every meeting without a grant", async () => {
    assert.equal(await meetingAccess(db, admin, otherMeeting.id), "manage");
  });

  it("makes whoever creates a meeting its manager", async () => {
    const creator = await userSigningIn(db, "creator@example.org");
    const form = new FormData();
    const fields = { title: "Created meeting", organisingBody: "ESCAP", kind: "workshop", mode: "in_person", timezone: "Asia/Bangkok", startsOn: "2027-03-01", endsOn: "2027-03-02", venueName: "UNCC", venueCity: "Bangkok", venueCountry: "TH", registrationPolicy: "open" };
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    const parsed = parseMeetingForm(form);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    const saved = await createMeeting(db, parsed.input, creator.id);
    assert.ok(saved.ok);
    const created = await db.selectFrom("meetings").select("id").where("slug", "=", saved.slug).executeTakeFirstOrThrow();
    assert.equal(await meetingAccess(db, creator, created.id), "manage");
  });

  it("grants the administrator role by email, also to an address never seen", async () => {
    await grantAdministrator(db, "Second.Admin@example.org", admin.id);
    const listed = await listAdministrators(db);
    assert.deepEqual(listed.map((a) => a.email).sort(), ["roles-admin@example.org", "second.admin@example.org"]);
  });

  it("takes the administrator role back, but never from the last administrator", async () => {
    const second = await db.selectFrom("users").select("id").where("email", "=", "second.admin@example.org").executeTakeFirstOrThrow();
    assert.deepEqual(await revokeAdministrator(db, second.id, admin.id), { ok: true });
    const last = await revokeAdministrator(db, admin.id, admin.id);
    assert.equal(last.ok, false);
    assert.match(!last.ok ? last.message : "", /at least one administrator/);
    assert.deepEqual((await listAdministrators(db)).map((a) => a.email), ["roles-admin@example.org"]);
    assert.equal((await revokeAdministrator(db, second.id, admin.id)).ok, false, "not an administrator any more");
    const logged = await db.selectFrom("audit_events").select(["action", "before", "after"]).where("subject_id", "=", String(second.id)).orderBy("id").execute();
    assert.deepEqual(logged, [
      { action: "administrator.granted", before: { role: "participant" }, after: { role: "administrator" } },
      { action: "administrator.removed", before: { role: "administrator" }, after: { role: "participant" } },
    ]);
  });

  it("keeps two administrators who remove each other at once from leaving none", async () => {
    await grantAdministrator(db, "third.admin@example.org", admin.id);
    const ids = (await db.selectFrom("users").select("id").where("role", "=", "administrator").orderBy("id").execute()).map((u) => u.id);
    assert.equal(ids.length, 2);
    const results = await Promise.all(ids.map((id) => revokeAdministrator(db, id, admin.id)));
    assert.deepEqual(results.map((r) => r.ok).sort(), [false, true]);
    assert.equal((await listAdministrators(db)).length, 1);
  });

  it("does not take the role from an address in ADMIN_EMAILS: they would be an administrator again at their next sign-in", async () => {
    process.env.ADMIN_EMAILS = "from-settings@example.org";
    await userSigningIn(db, "from-settings@example.org");
    const listed = await listAdministrators(db);
    const fromSettings = listed.find((a) => a.email === "from-settings@example.org");
    assert.equal(fromSettings?.fromSettings, true);
    const refused = await revokeAdministrator(db, fromSettings!.userId, admin.id);
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? refused.message : "", /ADMIN_EMAILS/);
  });
});

describe("migration 0009: the organiser role becomes administrator", async () => {
  const { db } = await freshDatabase();

  it("makes every organiser an administrator and back", async () => {
    // Down to before 0009, whatever later migrations there are.
    while ((await migrateDown(db)) !== "0009_roles");
    await sql`insert into users (email, role) values ('old-organiser@example.org', 'organiser'), ('old-participant@example.org', 'participant')`.execute(db);
    assert.equal((await migrateToLatest(db))[0], "0009_roles");
    const roles = await db.selectFrom("users").select(["email", "role"]).orderBy("email").execute();
    assert.deepEqual(roles, [
      { email: "old-organiser@example.org", role: "administrator" },
      { email: "old-participant@example.org", role: "participant" },
    ]);
    await assert.rejects(sql`insert into users (email, role) values ('x@example.org', 'organiser')`.execute(db), /users_role_check/);
  });
});
