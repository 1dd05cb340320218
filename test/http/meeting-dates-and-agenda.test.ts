import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addAgendaItem } from "../support/agenda";
import { addMeeting } from "../support/registration";
import { assertBody, meetingFields, signedIn, startApp } from "./app";

/** A meeting's new days must keep its agenda: items left outside are named and nothing changes. */

describe("changing a meeting's days with an agenda", async () => {
  const { db, request } = await startApp();
  const organiser = await signedIn(db, "organiser@example.org", "administrator");
  const meeting = await addMeeting(db, { timezone: "Asia/Bangkok", starts_on: "2027-02-09", ends_on: "2027-02-11", status: "draft" });
  await addAgendaItem(db, meeting, { title: "Opening", date: "2027-02-09", start: "09:00", end: "10:00" });
  await addAgendaItem(db, meeting, { title: "Field visit", date: "2027-02-11", start: "09:00", end: "16:00" });
  const edit = `/admin/meetings/${meeting.slug}`;
  const fields = (startsOn: string, endsOn: string) =>
    meetingFields({ title: meeting.title, startsOn, endsOn, programme: "", capacity: "", registrationPolicy: "open" });

  it("refuses days that leave items out, naming them, and keeps everything as it was", async () => {
    const refused = await request(edit, { method: "POST", body: fields("2027-02-09", "2027-02-10"), cookie: organiser.cookie });
    assert.equal(refused.status, 400);
    assertBody(refused.body, /1 agenda item would fall outside these days: &quot;Field visit&quot; \(2027-02-11 09:00\)\. Move or delete them first\./);
    assertBody(refused.body, /<input[^>]*name="endsOn"[^>]*value="2027-02-10"/);
    const row = await db.selectFrom("meetings").select(["starts_on", "ends_on"]).where("id", "=", meeting.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { starts_on: "2027-02-09", ends_on: "2027-02-11" });
  });

  it("accepts days that still hold every item", async () => {
    const saved = await request(edit, { method: "POST", body: fields("2027-02-08", "2027-02-12"), cookie: organiser.cookie });
    assert.equal(saved.status, 302);
    const row = await db.selectFrom("meetings").select(["starts_on", "ends_on"]).where("id", "=", meeting.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { starts_on: "2027-02-08", ends_on: "2027-02-12" });
  });
});
