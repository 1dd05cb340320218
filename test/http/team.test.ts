import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startSession } from "../../app/accounts/session.server";
import { addDocument, samplePdf } from "../support/documents";
import { addRegistration } from "../support/inputs";
import { addMeeting } from "../support/registration";
import { assertBody, signedIn, signedInWithMeetingRole, startApp } from "./app";

/** A meeting's Team page and the Administrators page, through the built app. */
describe("granting roles", async () => {
  const { db, request } = await startApp();
  const meeting = await addMeeting(db, { timezone: "Asia/Bangkok", mode: "in_person" });
  const administrator = await signedIn(db, "team-admin@example.org", "administrator");
  const manager = await signedInWithMeetingRole(db, "team-manager@example.org", meeting.id, "manager");
  const team = `/admin/meetings/${meeting.slug}/team`;

  const post = (url: string, fields: Record<string, string>, cookie: string) => request(url, { method: "POST", body: new URLSearchParams(fields), cookie });
  const cookieOf = async (email: string) => {
    const user = await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    return (await startSession(db, user.id)).split(";")[0]!;
  };

  it("lets a manager add check-in staff by email, who may then check people in at the desk and nothing else", async () => {
    const added = await post(team, { intent: "add", email: " Desk.Volunteer@Example.org ", role: "check_in" }, manager.cookie);
    assert.equal(added.status, 200);
    assertBody(added.body, "desk.volunteer@example.org is now check-in staff of this meeting");
    const page = await request(team, { cookie: manager.cookie });
    assertBody(page.body, /desk\.volunteer@example\.org<\/td><td>Check-in staff<\/td>/);

    const desk = await cookieOf("desk.volunteer@example.org");
    const delegate = await addRegistration(db, meeting, { first: "Ravi", last: "Kumar" });
    const checkedIn = await post(`/admin/meetings/${meeting.slug}/checkin?day=${meeting.starts_on}`, { intent: "check-in", registration: String(delegate.id) }, desk);
    assert.equal(checkedIn.status, 200);
    const rows = await db.selectFrom("check_ins").innerJoin("users", "users.id", "check_ins.recorded_by").select("users.email").where("registration_id", "=", delegate.id).execute();
    assert.deepEqual(rows, [{ email: "desk.volunteer@example.org" }]);
    assert.equal((await request(`/admin/meetings/${meeting.slug}/registrations`, { cookie: desk })).status, 403);
    assert.equal((await request(team, { cookie: desk })).status, 403);
  });

  it("leaves decisions at the desk to managers: check-in staff cannot confirm, register a walk-in or void a badge", async () => {
    const desk = await signedInWithMeetingRole(db, "strict.desk@example.org", meeting.id, "check_in");
    const deskUrl = `/admin/meetings/${meeting.slug}/checkin?day=${meeting.starts_on}`;
    const pending = await addRegistration(db, meeting, { first: "Pending", last: "Person", status: "pending" });
    const confirmed = await addRegistration(db, meeting, { first: "Badge", last: "Holder" });
    const walkIn = { intent: "walk-in", firstName: "Walk", lastName: "In", email: "walk.in@example.org", organisation: "Ministry", country: "TH", category: "government", gender: "female" };
    for (const [what, fields] of [
      ["confirm and check in", { intent: "confirm-and-check-in", registration: String(pending.id) }],
      ["reissue a badge", { intent: "reissue", registration: String(confirmed.id) }],
      ["register a walk-in", walkIn],
    ] as const) {
      const refused = await post(deskUrl, fields, desk.cookie);
      assert.equal(refused.status, 403, what);
      assertBody(refused.body, "For the meeting&#x27;s managers");
    }
    const after = await db.selectFrom("registrations").select(["email", "status"]).where("meeting_id", "=", meeting.id).where("email", "in", [pending.email, "walk.in@example.org"]).execute();
    assert.deepEqual(after, [{ email: pending.email, status: "pending" }], "nobody confirmed, nobody registered");
    const page = await request(`${deskUrl}&q=Pending`, { cookie: desk.cookie });
    assertBody(page.body, "Not confirmed: ask one of the meeting&#x27;s managers.");
    assert.ok(!page.body.includes('value="confirm-and-check-in"') && !page.body.includes('value="walk-in"') && !page.body.includes('value="reissue"'), "no buttons they cannot use");
    const managers = await request(`${deskUrl}&q=Pending`, { cookie: manager.cookie });
    assert.ok(managers.body.includes('value="confirm-and-check-in"') && managers.body.includes('value="walk-in"'), "managers have them");
  });

  it("refuses a mistyped address or an unknown role next to the field, keeping what was typed", async () => {
    const refused = await post(team, { intent: "add", email: "desk.volunteer.example.org", role: "check_in" }, manager.cookie);
    assert.equal(refused.status, 400);
    assertBody(refused.body, "An email address, e.g. name@example.org");
    assertBody(refused.body, 'value="desk.volunteer.example.org"');
    assertBody(refused.body, /aria-invalid="true"/);

    const role = await post(team, { intent: "add", email: "someone@example.org", role: "owner" }, manager.cookie);
    assert.equal(role.status, 400);
    assertBody(role.body, "Choose Manager or Check-in staff");
    assertBody(role.body, 'value="someone@example.org"');
    assert.equal(await db.selectFrom("users").select("id").where("email", "=", "someone@example.org").executeTakeFirst(), undefined, "nobody made");

    assert.equal((await post(team, { intent: "promote", email: "someone@example.org" }, manager.cookie)).status, 400);
    assert.equal((await post(team, { intent: "remove", user: "abc" }, manager.cookie)).status, 400);
  });

  it("removes someone from the team, who loses the meeting at once", async () => {
    const added = await post(team, { intent: "add", email: "short-term@example.org", role: "manager" }, administrator.cookie);
    assert.equal(added.status, 200);
    const shortTerm = await cookieOf("short-term@example.org");
    assert.equal((await request(`/admin/meetings/${meeting.slug}`, { cookie: shortTerm })).status, 200);
    const { id } = await db.selectFrom("users").select("id").where("email", "=", "short-term@example.org").executeTakeFirstOrThrow();

    const removed = await post(team, { intent: "remove", user: String(id) }, manager.cookie);
    assert.equal(removed.status, 200);
    assertBody(removed.body, "they no longer have access to this meeting");
    assert.equal((await request(`/admin/meetings/${meeting.slug}`, { cookie: shortTerm })).status, 403);
    assert.equal((await request("/admin", { cookie: shortTerm })).status, 403, "no meeting left: not an organiser any more");
    assert.equal((await post(team, { intent: "remove", user: String(id) }, manager.cookie)).status, 404, "already removed");
  });

  it("sends a manager who leaves the team back to their list", async () => {
    const leaving = await signedInWithMeetingRole(db, "leaving@example.org", meeting.id, "manager");
    const left = await post(team, { intent: "remove", user: String(leaving.userId) }, leaving.cookie);
    assert.equal(left.status, 302);
    assert.equal(left.headers.get("Location"), "/admin");
  });

  it("opens organisers-only papers and draft meetings' files to the meeting's managers, not to other staff", async () => {
    const draft = await addMeeting(db, { status: "draft" });
    const [paper, draftPaper] = await Promise.all([
      addDocument(db, meeting.id, { access: "organisers", distribution: "restricted", files: [{ language: "en", content: await samplePdf("Organisers only") }] }),
      addDocument(db, draft.id, { files: [{ language: "en", content: await samplePdf("Draft paper") }] }),
    ]);
    const desk = await signedInWithMeetingRole(db, "papers-desk@example.org", meeting.id, "check_in");
    const otherManager = await signedInWithMeetingRole(db, "papers-other@example.org", draft.id, "manager");
    const draftOutsider = await signedInWithMeetingRole(db, "papers-outsider@example.org", meeting.id, "manager");
    const statuses = async (url: string, cookies: string[]) => Promise.all(cookies.map(async (cookie) => (await request(url, { cookie })).status));

    const organisersOnly = `/meetings/${meeting.slug}/documents/${paper.id}`;
    assert.deepEqual(await statuses(organisersOnly, [manager.cookie, administrator.cookie, desk.cookie, otherManager.cookie]), [200, 200, 403, 403]);
    const draftFile = `/meetings/${draft.slug}/documents/${draftPaper.id}`;
    assert.deepEqual(await statuses(draftFile, [otherManager.cookie, administrator.cookie, draftOutsider.cookie, desk.cookie]), [200, 200, 404, 404]);
  });

  describe("administrators", () => {
    const page = "/admin/administrators";

    it("grants the role by email and takes it back, never from the last one", async () => {
      const granted = await post(page, { intent: "grant", email: "Deputy@Example.org" }, administrator.cookie);
      assert.equal(granted.status, 200);
      assertBody(granted.body, "deputy@example.org is now an administrator");
      const deputy = await cookieOf("deputy@example.org");
      assert.equal((await request("/admin/programmes", { cookie: deputy })).status, 200);

      const { id } = await db.selectFrom("users").select("id").where("email", "=", "deputy@example.org").executeTakeFirstOrThrow();
      assert.equal((await post(page, { intent: "revoke", user: String(id) }, administrator.cookie)).status, 200);
      assert.equal((await request("/admin/programmes", { cookie: deputy })).status, 403);

      // The administrator of this file's database is the only one left (the demo data has none).
      const last = await post(page, { intent: "revoke", user: String(administrator.userId) }, administrator.cookie);
      assert.equal(last.status, 409);
      assertBody(last.body, "There must always be at least one administrator");
      assert.equal((await request(page, { cookie: administrator.cookie })).status, 200);
    });

    it("refuses a mistyped address, keeping it", async () => {
      const refused = await post(page, { intent: "grant", email: "not an address" }, administrator.cookie);
      assert.equal(refused.status, 400);
      assertBody(refused.body, "An email address, e.g. name@example.org");
      assertBody(refused.body, 'value="not an address"');
    });

    it("lets an administrator step down when another remains, and sends them home", async () => {
      const stepping = await signedIn(db, "stepping-down@example.org", "administrator");
      const answer = await post(page, { intent: "revoke", user: String(stepping.userId) }, stepping.cookie);
      assert.equal(answer.status, 302);
      assert.equal(answer.headers.get("Location"), "/");
      assert.equal((await request(page, { cookie: stepping.cookie })).status, 403);
    });
  });
});
