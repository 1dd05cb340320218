import type { Kysely, Transaction } from "kysely";
import { type Database, type MeetingStatus, PUBLIC_MEETING_STATUSES } from "../../db/schema";

/**
 * Participants' stars on agenda items: their personal agenda. Only items of public meetings
 * (published or cancelled) that are not deleted can be starred; starring twice is starring once.
 */

type Executor = Kysely<Database> | Transaction<Database>;

/** Stars the item for the person; false if the meeting has no such item that can be starred. */
export async function starItem(db: Executor, userId: number, meetingId: number, itemId: number): Promise<boolean> {
  const item = await db
    .selectFrom("agenda_items")
    .innerJoin("meetings", "meetings.id", "agenda_items.meeting_id")
    .select("agenda_items.id")
    .where("agenda_items.id", "=", itemId)
    .where("agenda_items.meeting_id", "=", meetingId)
    .where("agenda_items.deleted_at", "is", null)
    .where("meetings.status", "in", PUBLIC_MEETING_STATUSES)
    .executeTakeFirst();
  if (!item) return false;
  await db
    .insertInto("agenda_stars")
    .values({ user_id: userId, item_id: itemId })
    .onConflict((oc) => oc.columns(["user_id", "item_id"]).doNothing())
    .execute();
  return true;
}

/** Removes the person's star, if there was one. */
export async function unstarItem(db: Executor, userId: number, itemId: number): Promise<void> {
  await db.deleteFrom("agenda_stars").where("user_id", "=", userId).where("item_id", "=", itemId).execute();
}

/** The items of this meeting the person starred. */
export async function starredItemIds(db: Executor, userId: number, meetingId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("agenda_stars")
    .innerJoin("agenda_items", "agenda_items.id", "agenda_stars.item_id")
    .select("agenda_stars.item_id")
    .where("agenda_stars.user_id", "=", userId)
    .where("agenda_items.meeting_id", "=", meetingId)
    .where("agenda_items.deleted_at", "is", null)
    .orderBy("agenda_stars.item_id")
    .execute();
  return rows.map((row) => row.item_id);
}

/** Every item the person starred, deleted ones too (a feed cancels those), with its meeting: one query. */
export async function starredItemRefs(db: Executor, userId: number): Promise<{ itemId: number; meetingId: number }[]> {
  const rows = await db
    .selectFrom("agenda_stars")
    .innerJoin("agenda_items", "agenda_items.id", "agenda_stars.item_id")
    .select(["agenda_stars.item_id", "agenda_items.meeting_id"])
    .where("agenda_stars.user_id", "=", userId)
    .execute();
  return rows.map((row) => ({ itemId: row.item_id, meetingId: row.meeting_id }));
}

export interface StarredItem {
  id: number;
  title: string;
  room: string | null;
  startsAt: Date;
  endsAt: Date;
  meeting: { slug: string; title: string; timezone: string; status: MeetingStatus };
}

/** The person's starred items across public meetings: those not yet over first, soonest first, then past ones, latest first. */
export async function starredAgenda(db: Executor, userId: number, now: Date = new Date()): Promise<{ upcoming: StarredItem[]; past: StarredItem[] }> {
  const rows = await db
    .selectFrom("agenda_stars")
    .innerJoin("agenda_items", "agenda_items.id", "agenda_stars.item_id")
    .innerJoin("meetings", "meetings.id", "agenda_items.meeting_id")
    .select([
      "agenda_items.id",
      "agenda_items.title",
      "agenda_items.starts_at",
      "agenda_items.ends_at",
      // A lookup per item: joined, the planner may walk every room's key (a merge join) for a few items.
      (eb) => eb.selectFrom("meeting_rooms").select("meeting_rooms.name").whereRef("meeting_rooms.id", "=", "agenda_items.room_id").as("room"),
      "meetings.slug",
      "meetings.title as meeting_title",
      "meetings.timezone",
      "meetings.status",
    ])
    .where("agenda_stars.user_id", "=", userId)
    .where("agenda_items.deleted_at", "is", null)
    .where("meetings.status", "in", PUBLIC_MEETING_STATUSES)
    .orderBy("agenda_items.starts_at")
    .orderBy("agenda_items.id")
    .execute();
  const items: StarredItem[] = rows.map((row) => ({
    id: row.id,
    title: row.title,
    room: row.room,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    meeting: { slug: row.slug, title: row.meeting_title, timezone: row.timezone, status: row.status },
  }));
  return { upcoming: items.filter((item) => item.endsAt > now), past: items.filter((item) => item.endsAt <= now).reverse() };
}
