import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import { demoDataLoaded, loadDemoData } from "../../db/demo-data";
import type { Database } from "../../db/schema";
import { registrationState } from "../../app/meetings/registration-state";
import { freshDatabase } from "../support/database";

async function counts(db: Kysely<Database>) {
  const [programmes, meetings, metadata] = await Promise.all([
    db.selectFrom("programmes").select(db.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
    db.selectFrom("meetings").select(db.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
    db.selectFrom("app_metadata").select(db.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { programmes: Number(programmes.n), meetings: Number(meetings.n), metadata: Number(metadata.n) };
}

describe("demo data", async () => {
  const { db } = await freshDatabase();
  const now = new Date();

  it("loads once", async () => {
    assert.equal(await demoDataLoaded(db), false);
    assert.equal(await loadDemoData(db, now), true);
    assert.equal(await demoDataLoaded(db), true);
    const first = await counts(db);
    assert.ok(first.programmes >= 3 && first.meetings >= 8, JSON.stringify(first));
    assert.equal(await loadDemoData(db, now), false);
    assert.equal(await loadDemoData(db, new Date(now.getTime() + 86_400_000)), false, "not even on another day");
    assert.deepEqual(await counts(db), first);
  });

  it("shows every kind of meeting, in several zones, in every state", async () => {
    const meetings = await db.selectFrom("meetings").selectAll().execute();
    assert.deepEqual(
      [...new Set(meetings.map((m) => m.kind))].sort(),
      ["expert_group_meeting", "ministerial_conference", "webinar", "workshop"],
    );
    assert.ok(new Set(meetings.map((m) => m.timezone)).size >= 3);
    assert.ok(meetings.some((m) => m.status === "cancelled" && m.cancelled_at !== null));
    assert.ok(meetings.some((m) => m.status === "draft" && m.published_at === null));
    const past = meetings.filter((m) => m.status === "published" && m.ends_at <= now);
    assert.ok(past.length >= 2, `${past.length} past meetings`);
    assert.ok(meetings.some((m) => m.status === "published" && m.ends_at > now), "upcoming ones too");
    for (const meeting of meetings) {
      assert.ok(meeting.ends_on >= meeting.starts_on, meeting.slug);
      assert.ok(meeting.starts_at < meeting.ends_at, meeting.slug);
      assert.match(meeting.slug, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  it("has a programme with sub-programmes", async () => {
    const programmes = await db.selectFrom("programmes").selectAll().execute();
    const childCount = (id: number) => programmes.filter((p) => p.parent_id === id).length;
    assert.ok(programmes.some((p) => p.parent_id === null && childCount(p.id) >= 2));
  });

  it("has an open workshop for 40 in Asia/Kolkata whose registration is open now", async () => {
    const workshops = await db
      .selectFrom("meetings")
      .selectAll()
      .where("kind", "=", "workshop")
      .where("timezone", "=", "Asia/Kolkata")
      .where("registration_policy", "=", "open")
      .where("capacity", "=", 40)
      .where("status", "=", "published")
      .execute();
    assert.equal(workshops.length, 1);
    const workshop = workshops[0]!;
    const state = registrationState(workshop, { confirmed: 0, waitlisted: 0, pending: 0 }, new Date());
    assert.equal(state.isOpen, true, JSON.stringify(state));
    assert.match(workshop.registration_opens_local ?? "", /T09:00$/, "opens at 09:00 in Kolkata");
    assert.equal(workshop.registration_opens_at?.getUTCHours(), 3);
    assert.equal(workshop.registration_opens_at?.getUTCMinutes(), 30);
  });
});

describe("demo data loaded twice at the same moment", async () => {
  const { db } = await freshDatabase();
  it("is loaded by exactly one of the two", async () => {
    const results = await Promise.all([loadDemoData(db), loadDemoData(db)]);
    assert.deepEqual(results.sort(), [false, true]);
    const slugs = await db.selectFrom("meetings").select("slug").execute();
    assert.equal(new Set(slugs.map((s) => s.slug)).size, slugs.length);
  });
});
