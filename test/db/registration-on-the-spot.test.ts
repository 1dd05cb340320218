import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseOnTheSpotForm } from "../../app/registration/registration-form.server";
import { registerOnTheSpot } from "../../app/registration/registrations.server";
import { freshDatabase } from "../support/database";
import { addMeeting, emailsTo, registrationForm } from "../support/registration";

describe("registration on the spot", async () => {
  const { db } = await freshDatabase();
  const organiser = await db.insertInto("users").values({ email: "desk@example.org", role: "administrator" }).returning("id").executeTakeFirstOrThrow();

  function walkIn(email: string, overrides: Record<string, string | undefined> = {}) {
    const parsed = parseOnTheSpotForm(registrationForm({ email, ...overrides }), "in_person");
    if (!parsed.ok) assert.fail(JSON.stringify(parsed.errors));
    return parsed.input;
  }

  it("confirms a walk-in whatever the policy and closing date, records who did it and sends the acknowledgement", async () => {
    const meeting = await addMeeting(db, { registration_policy: "invitation", registration_closes_at: new Date(Date.now() - 60_000) });
    const outcome = await registerOnTheSpot(db, meeting.id, walkIn("walk.in@example.org"), organiser.id);
    assert.ok(outcome.ok && !outcome.existing);
    assert.equal(outcome.registration.status, "confirmed");
    assert.equal(outcome.registration.user_id, null, "the organiser's account is not the participant's");
    const change = await db.selectFrom("registration_status_changes").selectAll().where("registration_id", "=", outcome.registration.id).executeTakeFirstOrThrow();
    assert.equal(change.changed_by, organiser.id);
    assert.match(change.note ?? "", /on the spot/);
    const emails = await emailsTo(db, "walk.in@example.org");
    assert.equal(emails.length, 1);
    assert.equal(emails[0]!.attachments.length, 1, "confirmed: the meeting's calendar file goes with it");
  });

  it("returns someone already registered as they are, whatever the case of the address", async () => {
    const meeting = await addMeeting(db, { registration_policy: "moderated" });
    const first = await registerOnTheSpot(db, meeting.id, walkIn("twice@example.org"), organiser.id);
    const again = await registerOnTheSpot(db, meeting.id, walkIn("TWICE@example.org"), organiser.id);
    assert.ok(first.ok && again.ok);
    assert.equal(again.existing, true);
    assert.equal(again.registration.id, first.registration.id);
    assert.equal((await emailsTo(db, "twice@example.org")).length, 1, "no second email");
  });

  it("keeps to the capacity and to published meetings", async () => {
    const full = await addMeeting(db, { capacity: 1 });
    assert.ok((await registerOnTheSpot(db, full.id, walkIn("one@example.org"), organiser.id)).ok);
    const refused = await registerOnTheSpot(db, full.id, walkIn("two@example.org"), organiser.id);
    assert.deepEqual(refused, { ok: false, message: "No places left (1 of 1 confirmed). Raise the capacity first." });
    const draft = await addMeeting(db, { status: "draft" });
    assert.equal((await registerOnTheSpot(db, draft.id, walkIn("early@example.org"), organiser.id)).ok, false);
  });

  it("asks for the person's consent and names each wrong field, keeping what was typed", () => {
    const parsed = parseOnTheSpotForm(registrationForm({ email: "not an address", consent: undefined, country: "XX" }), "hybrid");
    assert.ok(!parsed.ok);
    assert.deepEqual(Object.keys(parsed.errors).sort(), ["attendanceMode", "consent", "country", "email"]);
    assert.equal(parsed.values.email, "not an address");
  });
});
