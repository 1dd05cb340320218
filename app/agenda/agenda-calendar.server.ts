import type { Kysely, Transaction } from "kysely";
import { DateTime } from "luxon";
import type { AgendaItemKind, Database } from "../../db/schema";
import { type AgendaPerson, peopleByItem } from "./agenda.server";

type Executor = Kysely<Database> | Transaction<Database>;

/** How long a deleted item stays in feeds as cancelled, so subscribed calendars remove it. */
const CANCELLED_ITEMS_KEPT_DAYS = 30;

export interface CalendarAgendaItem {
  id: number;
  meetingId: number;
  title: string;
  kind: AgendaItemKind;
  description: string | null;
  roomName: string | null;
  startsAt: Date;
  endsAt: Date;
  sequence: number;
  updatedAt: Date;
  deletedAt: Date | null;
  people: AgendaPerson[];
}

/**
 * The agenda items of these meetings for calendar feeds: every current one, and those deleted in
 * the 30 days before today (a feed cancels them). Two queries whatever the number of items.
 */
export async function listCalendarAgendaItems(
  db: Executor,
  meetingIds: number[],
  options: { itemIds?: number[]; now?: Date } = {},
): Promise<CalendarAgendaItem[]> {
  if (meetingIds.length === 0 || options.itemIds?.length === 0) return [];
  const now = options.now ?? new Date();
  // From the start of the UTC day, as feeds' versions change with that day: the same version, the same items.
  const keptSince = DateTime.fromJSDate(now, { zone: "UTC" }).startOf("day").minus({ days: CANCELLED_ITEMS_KEPT_DAYS }).toJSDate();
  let query = db
    .selectFrom("agenda_items")
    .selectAll("agenda_items")
    // A lookup per item: joined, the planner may walk every room's key (a merge join) for a few items.
    .select((eb) => eb.selectFrom("meeting_rooms").select("meeting_rooms.name").whereRef("meeting_rooms.id", "=", "agenda_items.room_id").as("room_name"))
    .where("agenda_items.meeting_id", "in", meetingIds)
    .where((eb) => eb.or([eb("agenda_items.deleted_at", "is", null), eb("agenda_items.deleted_at", ">", keptSince)]));
  if (options.itemIds) query = query.where("agenda_items.id", "in", options.itemIds);
  const rows = await query.orderBy("agenda_items.starts_at").orderBy("agenda_items.id").execute();
  const people = await peopleByItem(db, rows.map((row) => row.id));
  return rows.map((row) => ({
    id: row.id,
    meetingId: row.meeting_id,
    title: row.title,
    kind: row.kind,
    description: row.description,
    roomName: row.room_name,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    sequence: row.sequence,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
    people: people.get(row.id) ?? [],
  }));
}
