import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import { createAgendaItem, deleteAgendaItem } from "../../app/agenda/agenda.server";
import { starItem, starredAgenda, starredItemIds, unstarItem } from "../../app/agenda/stars.server";
import { loadDemoData } from "../../db/demo-data";
import type { Database } from "../../db/schema";
import { freshDatabase } from "../support/database";

const PUBLISHED = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";
const CANCELLED = "wsis-forum-side-event-digital-inclusion-in-asia-and-the-pacific";
const DRAFT = "asia-pacific-digital-ministers-roundtable";

async function meetingId(db: Kysely<Database>, slug: string): Promise<number> {
  return (await db.selectFrom("meetings").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
}

/** An item at these UTC instants (the wall-clock fields say the same in UTC; stars do not read them). */
async function addItem(db: Kysely<Database>, meeting: number, title: string, startsAt: string, endsAt: string): Promise<number> {
  return createAgendaItem(
    db,
    meeting,
    {
      title,
      kind: "session",
      description: null,
      roomId: null,
      parentId: null,
      startsLocal: startsAt.slice(0, 16),
      endsLocal: endsAt.slice(0, 16),
      startsAt: new Date(startsAt),
      endsAt: new Date(endsAt),
      people: [],
    },
    null,
  );
}

async function newUser(db: Kysely<Database>, email: string): Promise<number> {
  return (await db.insertInto("users").values({ email }).returning("id").executeTakeFirstOrThrow()).id;
}

describe("agenda stars", async () => {
  const { db } = await freshDatabase();
  await loadDemoData(db);
  const published = await meetingId(db, PUBLISHED);
  const cancelled = await meetingId(db, CANCELLED);
  const draft = await meetingId(db, DRAFT);
  const now = new Date("2026-12-01T05:00:00Z");
  const past = await addItem(db, published, "Past session", "2026-11-30T02:00:00Z", "2026-11-30T03:00:00Z");
  const running = await addItem(db, published, "Running session", "2026-12-01T04:00:00Z", "2026-12-01T06:00:00Z");
  const later = await addItem(db, published, "Later session", "2026-12-02T02:00:00Z", "2026-12-02T03:00:00Z");
  const cancelledItem = await addItem(db, cancelled, "Side event", "2026-12-01T08:00:00Z", "2026-12-01T09:00:00Z");
  const draftItem = await addItem(db, draft, "Draft session", "2026-12-01T08:00:00Z", "2026-12-01T09:00:00Z");

  it("stars an item once however often asked, and unstars it however often asked", async () => {
    const user = await newUser(db, "star-once@example.org");
    assert.equal(await starItem(db, user, published, later), true);
    assert.equal(await starItem(db, user, published, later), true);
    const rows = await db.selectFrom("agenda_stars").selectAll().where("user_id", "=", user).execute();
    assert.equal(rows.length, 1);
    assert.deepEqual(await starredItemIds(db, user, published), [later]);
    await unstarItem(db, user, later);
    await unstarItem(db, user, later);
    assert.deepEqual(await starredItemIds(db, user, published), []);
  });

  it("stars items of published and cancelled meetings only, and only of the meeting named", async () => {
    const user = await newUser(db, "star-rules@example.org");
    assert.equal(await starItem(db, user, cancelled, cancelledItem), true, "a cancelled meeting's agenda stays public");
    assert.equal(await starItem(db, user, draft, draftItem), false, "a draft's items are not public");
    assert.equal(await starItem(db, user, cancelled, later), false, "an item of another meeting");
    assert.equal(await starItem(db, user, published, 999_999), false, "no such item");
    const deleted = await addItem(db, published, "Dropped session", "2026-12-02T05:00:00Z", "2026-12-02T06:00:00Z");
    assert.equal(await deleteAgendaItem(db, published, deleted, null), true);
    assert.equal(await starItem(db, user, published, deleted), false, "a deleted item");
    assert.deepEqual(await starredItemIds(db, user, cancelled), [cancelledItem]);
  });

  it("lists a person's starred items across meetings: not yet over first, soonest first, then past ones", async () => {
    const user = await newUser(db, "my-agenda@example.org");
    const other = await newUser(db, "someone-else@example.org");
    for (const [meeting, id] of [[published, later], [published, past], [cancelled, cancelledItem], [published, running]] as const) {
      assert.equal(await starItem(db, user, meeting, id), true);
    }
    await starItem(db, other, published, later);
    const agenda = await starredAgenda(db, user, now);
    assert.deepEqual(agenda.upcoming.map((item) => item.title), ["Running session", "Side event", "Later session"]);
    assert.deepEqual(agenda.past.map((item) => item.title), ["Past session"]);
    const sideEvent = agenda.upcoming[1]!;
    assert.deepEqual(sideEvent.meeting, { slug: CANCELLED, title: sideEvent.meeting.title, timezone: "Europe/Zurich", status: "cancelled" });
    assert.equal(sideEvent.startsAt.toISOString(), "2026-12-01T08:00:00.000Z");
  });

  it("drops items that are deleted later, or whose meeting goes back to draft", async () => {
    const user = await newUser(db, "dropped@example.org");
    const soon = await addItem(db, published, "Soon removed", "2026-12-03T02:00:00Z", "2026-12-03T03:00:00Z");
    await starItem(db, user, published, soon);
    await starItem(db, user, cancelled, cancelledItem);
    await deleteAgendaItem(db, published, soon, null);
    await db.updateTable("meetings").set({ status: "draft" }).where("id", "=", cancelled).execute();
    try {
      const agenda = await starredAgenda(db, user, now);
      assert.deepEqual([...agenda.upcoming, ...agenda.past], []);
      assert.deepEqual(await starredItemIds(db, user, published), []);
    } finally {
      await db.updateTable("meetings").set({ status: "cancelled" }).where("id", "=", cancelled).execute();
    }
  });
});
