import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { enqueueEmail } from "../../emails/outbox.server";
import { registeredRedirect, registrationBody } from "../support/registration";
import { assertBody, signedIn, startApp } from "./app";

/** Emails given up by the outbox worker are listed on their meeting's console page, and on no other meeting's. */

const WORKSHOP = "regional-workshop-on-rural-connectivity-and-community-networks";
const EGM = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";

describe("undelivered email on the meeting's console page", async () => {
  const { db, request } = await startApp();
  const organiser = await signedIn(db, "organiser@example.org", "administrator");
  const workshop = await db.selectFrom("meetings").select("id").where("slug", "=", WORKSHOP).executeTakeFirstOrThrow();

  it("lists the meeting's failed emails with the provider's last answer, and nothing on another meeting's page", async () => {
    const quiet = await request(`/admin/meetings/${WORKSHOP}`, { cookie: organiser.cookie });
    assert.equal(quiet.status, 200);
    assert.doesNotMatch(quiet.body, /Undelivered email/, "nothing to show, no section");

    const id = await enqueueEmail(db, { to: "bounced@example.org", meetingId: workshop.id, template: "test", content: { subject: "Registration <confirmed>", html: "<p>x</p>", text: "x" } });
    await db.updateTable("outbox").set({ status: "failed", attempts: 14, last_error: "Resend: 422 validation_error: Invalid `to` field" }).where("id", "=", id).execute();
    const pending = await enqueueEmail(db, { to: "waiting@example.org", meetingId: workshop.id, template: "test", content: { subject: "Still trying", html: "<p>x</p>", text: "x" } });
    assert.ok(pending);

    const page = await request(`/admin/meetings/${WORKSHOP}`, { cookie: organiser.cookie });
    assert.equal(page.status, 200);
    assertBody(page.body, "Undelivered email");
    assertBody(page.body, "bounced@example.org");
    assertBody(page.body, "Registration &lt;confirmed&gt;");
    assertBody(page.body, "Invalid `to` field");
    assert.doesNotMatch(page.body, /waiting@example\.org/, "a message still being tried is not listed");

    const other = await request(`/admin/meetings/${EGM}`, { cookie: organiser.cookie });
    assert.equal(other.status, 200);
    assert.doesNotMatch(other.body, /bounced@example\.org|Undelivered email/);
  });

  it("links a registration's acknowledgement to its meeting", async () => {
    const registered = await request(`/meetings/${WORKSHOP}/register`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: registrationBody({ email: "linked@example.org" }),
    });
    registeredRedirect(registered);
    const mail = await db.selectFrom("outbox").select(["template", "meeting_id"]).where("to_address", "=", "linked@example.org").execute();
    assert.deepEqual(mail, [{ template: "registration-received", meeting_id: workshop.id }]);
  });
});
