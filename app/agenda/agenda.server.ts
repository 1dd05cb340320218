import { type Kysely, type Transaction, sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { AgendaItemKind, AgendaRole, Database } from "../../db/schema";
import { instantOfWallTime, minutesBetweenWallTimes, resolveWallTime, shiftWallTime, wallTimeOf } from "~/lib/time";
import { type ItemBefore, emailImminentAgendaChanges } from "~/calendar/agenda-change-emails.server";
import { changedFields, recordAuditEvent } from "~/audit/audit-log.server";
import type { AgendaItemInput } from "./agenda-form.server";

/**
 * A meeting's agenda: rooms, items and their people. Every change bumps the item's `sequence`
 * (for calendar feeds) and records who changed the agenda and when on the meeting.
 */

type Executor = Kysely<Database> | Transaction<Database>;

export interface AgendaEntry {
  id: number;
  parentId: number | null;
  title: string;
  kind: AgendaItemKind;
  description: string | null;
  roomId: number | null;
  roomName: string | null;
  startsLocal: string;
  endsLocal: string;
  startsAt: Date;
  endsAt: Date;
  sequence: number;
  updatedAt: Date;
  people: { name: string; role: AgendaRole; affiliation: string | null }[];
}

export interface RoomEntry {
  id: number;
  name: string;
  itemCount: number;
}

export type AgendaChange<T = undefined> = { ok: true; value: T } | { ok: false; error: string };

/** The meeting's rooms or tracks, in their order, with how many items use each. */
export async function listRooms(db: Executor, meetingId: number): Promise<RoomEntry[]> {
  const rows = await db
    .selectFrom("meeting_rooms")
    .leftJoin("agenda_items", (join) =>
      join.onRef("agenda_items.room_id", "=", "meeting_rooms.id").on("agenda_items.deleted_at", "is", null),
    )
    .select(["meeting_rooms.id", "meeting_rooms.name", (eb) => eb.fn.count<string>("agenda_items.id").as("item_count")])
    .where("meeting_rooms.meeting_id", "=", meetingId)
    .groupBy("meeting_rooms.id")
    .orderBy("meeting_rooms.position")
    .orderBy("meeting_rooms.id")
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, itemCount: Number(row.item_count) }));
}

export type AgendaPerson = AgendaEntry["people"][number];

/** The people of these items, in their order, by item id: one query whatever the number of items. */
export async function peopleByItem(db: Executor, itemIds: number[]): Promise<Map<number, AgendaPerson[]>> {
  const byItem = new Map<number, AgendaPerson[]>();
  if (itemIds.length === 0) return byItem;
  const rows = await db
    .selectFrom("agenda_item_people")
    .select(["item_id", "name", "role", "affiliation"])
    .where("item_id", "in", itemIds)
    .orderBy("item_id")
    .orderBy("position")
    .execute();
  for (const { item_id, ...person } of rows) byItem.set(item_id, [...(byItem.get(item_id) ?? []), person]);
  return byItem;
}

/** The meeting's items that are not deleted, each with its room's name and its people in their order (one query). */
function itemsWithRooms(db: Executor, meetingId: number) {
  return db
    .selectFrom("agenda_items")
    // Only this meeting's rooms: joined on the id alone, the planner may walk every room's key (a merge join).
    .leftJoin("meeting_rooms", (join) => join.onRef("meeting_rooms.id", "=", "agenda_items.room_id").on("meeting_rooms.meeting_id", "=", meetingId))
    .selectAll("agenda_items")
    .select((eb) => [
      "meeting_rooms.name as room_name",
      jsonArrayFrom(
        eb
          .selectFrom("agenda_item_people")
          .select(["agenda_item_people.name", "agenda_item_people.role", "agenda_item_people.affiliation"])
          .whereRef("agenda_item_people.item_id", "=", "agenda_items.id")
          .orderBy("agenda_item_people.position"),
      ).as("people"),
    ])
    .where("agenda_items.meeting_id", "=", meetingId)
    .where("agenda_items.deleted_at", "is", null);
}

type ItemRow = Awaited<ReturnType<ReturnType<typeof itemsWithRooms>["execute"]>>[number];

function agendaEntry(row: ItemRow): AgendaEntry {
  return {
    id: row.id,
    parentId: row.parent_id,
    title: row.title,
    kind: row.kind,
    description: row.description,
    roomId: row.room_id,
    roomName: row.room_name,
    startsLocal: row.starts_local,
    endsLocal: row.ends_local,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    sequence: row.sequence,
    updatedAt: row.updated_at,
    people: row.people,
  };
}

/** Every item of the meeting that is not deleted, by start, then room order, with its people. */
export async function listAgendaItems(db: Executor, meetingId: number): Promise<AgendaEntry[]> {
  const rows = await itemsWithRooms(db, meetingId)
    .orderBy("agenda_items.starts_at")
    .orderBy(sql`meeting_rooms.position nulls first`)
    .orderBy("agenda_items.ends_at")
    .orderBy("agenda_items.id")
    .execute();
  return rows.map(agendaEntry);
}

/** The titles of the meeting's items that are not deleted, by id: what a list naming the items a document is for needs. */
export async function agendaItemTitles(db: Executor, meetingId: number): Promise<Map<number, string>> {
  const rows = await db.selectFrom("agenda_items").select(["id", "title"]).where("meeting_id", "=", meetingId).where("deleted_at", "is", null).execute();
  return new Map(rows.map((row) => [row.id, row.title]));
}

/** One item of the meeting, if it has it and it is not deleted. */
export async function findAgendaItem(db: Executor, meetingId: number, itemId: number): Promise<AgendaEntry | undefined> {
  const row = await itemsWithRooms(db, meetingId).where("agenda_items.id", "=", itemId).executeTakeFirst();
  return row && agendaEntry(row);
}

/** Items' instants before a change, for the emails an imminent change sends. */
async function instantsBefore(trx: Executor, meetingId: number, where: { itemId: number; withParts?: boolean }): Promise<ItemBefore[]> {
  const rows = await trx
    .selectFrom("agenda_items")
    .select(["id", "starts_at", "ends_at"])
    .where("meeting_id", "=", meetingId)
    .where("deleted_at", "is", null)
    .where((eb) => (where.withParts ? eb.or([eb("id", "=", where.itemId), eb("parent_id", "=", where.itemId)]) : eb("id", "=", where.itemId)))
    .execute();
  return rows.map((row) => ({ itemId: row.id, startsAt: row.starts_at, endsAt: row.ends_at }));
}

/** Records who changed the agenda and when; the public agenda says "Last updated …". */
async function touchAgenda(trx: Executor, meetingId: number, userId: number | null, at: Date = new Date()): Promise<void> {
  await trx.updateTable("meetings").set({ agenda_updated_at: at, agenda_updated_by: userId }).where("id", "=", meetingId).execute();
}

async function replacePeople(trx: Executor, itemId: number, people: AgendaItemInput["people"]): Promise<void> {
  await trx.deleteFrom("agenda_item_people").where("item_id", "=", itemId).execute();
  if (people.length === 0) return;
  await trx
    .insertInto("agenda_item_people")
    .values(people.map((person, position) => ({ item_id: itemId, position, ...person })))
    .execute();
}

function itemColumns(input: AgendaItemInput) {
  return {
    title: input.title,
    kind: input.kind,
    description: input.description,
    room_id: input.roomId,
    parent_id: input.parentId,
    starts_local: input.startsLocal,
    ends_local: input.endsLocal,
    starts_at: input.startsAt,
    ends_at: input.endsAt,
  };
}

/** An item's fields as the audit log shows them: what the organisers' form edits. */
function auditedItem(columns: Pick<ReturnType<typeof itemColumns>, "title" | "kind" | "description" | "room_id" | "parent_id" | "starts_local" | "ends_local">, people: AgendaPerson[]) {
  const { title, kind, description, room_id, parent_id, starts_local, ends_local } = columns;
  return { title, kind, description, room_id, parent_id, starts_local, ends_local, people: people.map(({ name, role, affiliation }) => ({ name, role, affiliation })) };
}

async function auditedItemNow(trx: Executor, itemId: number) {
  const row = await trx.selectFrom("agenda_items").selectAll().where("id", "=", itemId).executeTakeFirst();
  return row ? auditedItem(row, (await peopleByItem(trx, [itemId])).get(itemId) ?? []) : null;
}

export async function createAgendaItem(db: Kysely<Database>, meetingId: number, input: AgendaItemInput, userId: number | null): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto("agenda_items")
      .values({ ...itemColumns(input), meeting_id: meetingId, created_by: userId, updated_by: userId })
      .returning("id")
      .executeTakeFirstOrThrow();
    await replacePeople(trx, id, input.people);
    await touchAgenda(trx, meetingId, userId);
    const after = auditedItem(itemColumns(input), input.people);
    await recordAuditEvent(trx, { actor: userId, meetingId, action: "agenda_item.created", subject: { type: "agenda_item", id }, summary: `Added “${input.title}”`, after });
    return id;
  });
}

/** Saves the form over the item; false if the meeting has no such item. */
export async function updateAgendaItem(
  db: Kysely<Database>,
  meetingId: number,
  itemId: number,
  input: AgendaItemInput,
  userId: number | null,
): Promise<boolean> {
  if (input.parentId === itemId) return false;
  return db.transaction().execute(async (trx) => {
    const before = await instantsBefore(trx, meetingId, { itemId });
    const fieldsBefore = await auditedItemNow(trx, itemId);
    const updated = await trx
      .updateTable("agenda_items")
      .set({ ...itemColumns(input), sequence: sql`sequence + 1`, updated_by: userId, updated_at: new Date() })
      .where("id", "=", itemId)
      .where("meeting_id", "=", meetingId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return false;
    await replacePeople(trx, itemId, input.people);
    await touchAgenda(trx, meetingId, userId);
    const changed = changedFields(fieldsBefore ?? {}, auditedItem(itemColumns(input), input.people));
    if (changed.names.length > 0) {
      const summary = `Edited “${input.title}”: ${changed.names.join(", ")}`;
      await recordAuditEvent(trx, { actor: userId, meetingId, action: "agenda_item.updated", subject: { type: "agenda_item", id: itemId }, summary, before: changed.before, after: changed.after });
    }
    await emailImminentAgendaChanges(trx, meetingId, before);
    return true;
  });
}

/** Copies the item, its people and its parts, at the same times; returns the copy's id. */
export async function duplicateAgendaItem(db: Kysely<Database>, meetingId: number, itemId: number, userId: number | null): Promise<number | null> {
  const items = await listAgendaItems(db, meetingId);
  const original = items.find((item) => item.id === itemId);
  if (!original) return null;
  return db.transaction().execute(async (trx) => {
    const copy = async (item: AgendaEntry, parentId: number | null, title: string) => {
      const { id } = await trx
        .insertInto("agenda_items")
        .values({
          meeting_id: meetingId,
          parent_id: parentId,
          title,
          kind: item.kind,
          description: item.description,
          room_id: item.roomId,
          starts_local: item.startsLocal,
          ends_local: item.endsLocal,
          starts_at: item.startsAt,
          ends_at: item.endsAt,
          created_by: userId,
          updated_by: userId,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await replacePeople(trx, id, item.people);
      return id;
    };
    const id = await copy(original, original.parentId, `${original.title} (copy)`.slice(0, 300));
    for (const part of items.filter((item) => item.parentId === itemId)) await copy(part, id, part.title);
    await touchAgenda(trx, meetingId, userId);
    const summary = `Added “${original.title} (copy)”, a copy of item ${itemId}`;
    await recordAuditEvent(trx, { actor: userId, meetingId, action: "agenda_item.created", subject: { type: "agenda_item", id }, summary, after: await auditedItemNow(trx, id) });
    return id;
  });
}

/** Deletes the item and its parts. They stay as deleted rows so calendar feeds can cancel them. */
export async function deleteAgendaItem(db: Kysely<Database>, meetingId: number, itemId: number, userId: number | null): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const now = new Date();
    const before = await instantsBefore(trx, meetingId, { itemId, withParts: true });
    const fieldsBefore = await auditedItemNow(trx, itemId);
    const deleted = await trx
      .updateTable("agenda_items")
      .set({ deleted_at: now, sequence: sql`sequence + 1`, updated_by: userId, updated_at: now })
      .where("meeting_id", "=", meetingId)
      .where("deleted_at", "is", null)
      .where((eb) => eb.or([eb("id", "=", itemId), eb("parent_id", "=", itemId)]))
      .executeTakeFirst();
    if (Number(deleted.numUpdatedRows) === 0) return false;
    await touchAgenda(trx, meetingId, userId, now);
    const summary = `Deleted “${fieldsBefore?.title}”${Number(deleted.numUpdatedRows) > 1 ? ` and its ${Number(deleted.numUpdatedRows) - 1} part(s)` : ""}`;
    await recordAuditEvent(trx, { actor: userId, meetingId, action: "agenda_item.deleted", subject: { type: "agenda_item", id: itemId }, summary, before: fieldsBefore });
    await emailImminentAgendaChanges(trx, meetingId, before, now);
    return true;
  });
}

/** Why a move cannot land there: a repeated time is not asked about in a move (the edit form asks). */
function moveRefusal(answer: { message: string; overlap?: unknown }): string {
  return answer.overlap ? answer.message.replace("Choose which one.", "Edit the item to choose which one.") : answer.message;
}

export interface AgendaMove {
  /** The new day (`YYYY-MM-DD`) and start (`HH:mm`) in the meeting's zone; the length stays. */
  date: string;
  start: string;
  /** The new room; undefined keeps the room. */
  roomId?: number | null;
}

/**
 * Moves an item (and its parts, by the same wall-clock amount) to another day, time or room,
 * keeping its length. Refuses a move that leaves the meeting's days, crosses midnight or lands
 * on a time the clocks skip or show twice.
 */
export async function moveAgendaItem(
  db: Kysely<Database>,
  meeting: { id: number; timezone: string; starts_on: string; ends_on: string },
  itemId: number,
  move: AgendaMove,
  userId: number | null,
): Promise<AgendaChange> {
  return db.transaction().execute(async (trx): Promise<AgendaChange> => {
    // One change to the meeting's agenda at a time, so the plan is made on what it overwrites.
    await trx.selectFrom("meetings").select("id").where("id", "=", meeting.id).forUpdate().execute();
    const items = await listAgendaItems(trx, meeting.id);
    const rooms = await listRooms(trx, meeting.id);
    const plan = planMove(meeting, items, rooms, itemId, move);
    if (!plan.ok) return plan;
    const now = new Date();
    for (const entry of plan.value) {
      await trx
        .updateTable("agenda_items")
        .set({
          starts_local: entry.startsLocal,
          ends_local: entry.endsLocal,
          starts_at: entry.startsAt,
          ends_at: entry.endsAt,
          ...(entry.roomId !== undefined ? { room_id: entry.roomId } : {}),
          sequence: sql`sequence + 1`,
          updated_by: userId,
          updated_at: now,
        })
        .where("id", "=", entry.id)
        .execute();
    }
    await touchAgenda(trx, meeting.id, userId, now);
    const item = items.find((entry) => entry.id === itemId)!;
    const moved = plan.value[0]!;
    const roomMoved = moved.roomId !== undefined && moved.roomId !== item.roomId;
    await recordAuditEvent(trx, {
      actor: userId,
      meetingId: meeting.id,
      action: "agenda_item.moved",
      subject: { type: "agenda_item", id: itemId },
      summary: `Moved “${item.title}”${plan.value.length > 1 ? ` with its ${plan.value.length - 1} part(s)` : ""}`,
      before: { starts_local: item.startsLocal, ends_local: item.endsLocal, ...(roomMoved ? { room_id: item.roomId } : {}) },
      after: { starts_local: moved.startsLocal, ends_local: moved.endsLocal, ...(roomMoved ? { room_id: moved.roomId } : {}) },
    });
    await emailImminentAgendaChanges(trx, meeting.id, plan.value.map((entry) => entry.before), now);
    return { ok: true, value: undefined };
  });
}

interface PlannedMove {
  id: number;
  startsLocal: string;
  endsLocal: string;
  startsAt: Date;
  endsAt: Date;
  /** The new room, or undefined to leave it. */
  roomId: number | null | undefined;
  before: ItemBefore;
}

/** Where an item and its parts land, or why they cannot: outside the meeting's days or parent, past midnight, a time the clocks skip or repeat. */
function planMove(
  meeting: { timezone: string; starts_on: string; ends_on: string },
  items: AgendaEntry[],
  rooms: RoomEntry[],
  itemId: number,
  move: AgendaMove,
): AgendaChange<PlannedMove[]> {
  const item = items.find((entry) => entry.id === itemId);
  if (!item) return { ok: false, error: "No such item on this agenda" };
  if (move.date < meeting.starts_on || move.date > meeting.ends_on) {
    return { ok: false, error: `Choose a day of the meeting, ${meeting.starts_on} to ${meeting.ends_on}` };
  }
  if (move.roomId != null && !rooms.some((room) => room.id === move.roomId)) return { ok: false, error: "Choose a room of this meeting" };
  const delta = minutesBetweenWallTimes(item.startsLocal, `${move.date}T${move.start}`);
  const parent = items.find((entry) => entry.id === item.parentId);
  if (parent && (shiftWallTime(item.startsLocal, delta) < parent.startsLocal || shiftWallTime(item.endsLocal, delta) > parent.endsLocal)) {
    return { ok: false, error: `A part of "${parent.title}" must stay within its times (${parent.startsLocal.replace("T", " ")} to ${parent.endsLocal.slice(11)})` };
  }
  const planned: PlannedMove[] = [];
  for (const entry of [item, ...items.filter((other) => other.parentId === itemId)]) {
    const startsLocal = shiftWallTime(entry.startsLocal, delta);
    const endsLocal = shiftWallTime(entry.endsLocal, delta);
    if (startsLocal.slice(0, 10) !== endsLocal.slice(0, 10)) return { ok: false, error: `"${entry.title}" would end after midnight` };
    const starts = instantOfWallTime(startsLocal, meeting.timezone);
    const ends = instantOfWallTime(endsLocal, meeting.timezone);
    if (!starts.ok) return { ok: false, error: `"${entry.title}": ${moveRefusal(starts)}` };
    if (!ends.ok) return { ok: false, error: `"${entry.title}": ${moveRefusal(ends)}` };
    // The item, and its parts held in its room, go to the new room; parts elsewhere stay where they are.
    const followsRoom = move.roomId !== undefined && (entry.id === itemId || entry.roomId === item.roomId);
    planned.push({
      id: entry.id,
      startsLocal,
      endsLocal,
      startsAt: starts.at,
      endsAt: ends.at,
      roomId: followsRoom ? move.roomId : undefined,
      before: { itemId: entry.id, startsAt: entry.startsAt, endsAt: entry.endsAt },
    });
  }
  return { ok: true, value: planned };
}

/** Adds a room or track; names are unique within the meeting, whatever their case. */
export async function addRoom(db: Kysely<Database>, meetingId: number, name: string, userId: number | null): Promise<AgendaChange<number>> {
  const taken = await db
    .selectFrom("meeting_rooms")
    .select("id")
    .where("meeting_id", "=", meetingId)
    .where(sql`lower(name)`, "=", name.toLowerCase())
    .executeTakeFirst();
  if (taken) return { ok: false, error: `This meeting already has a room called "${name}"` };
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto("meeting_rooms")
      .values({
        meeting_id: meetingId,
        name,
        position: sql`coalesce((select max(position) + 1 from meeting_rooms where meeting_id = ${meetingId}), 0)`,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await touchAgenda(trx, meetingId, userId);
    await recordAuditEvent(trx, { actor: userId, meetingId, action: "room.created", subject: { type: "room", id }, summary: `Added room “${name}”`, after: { name } });
    return { ok: true as const, value: id };
  });
}

/** Renames a room; its items' calendar entries change with it. */
export async function renameRoom(db: Kysely<Database>, meetingId: number, roomId: number, name: string, userId: number | null): Promise<AgendaChange> {
  const taken = await db
    .selectFrom("meeting_rooms")
    .select("id")
    .where("meeting_id", "=", meetingId)
    .where("id", "!=", roomId)
    .where(sql`lower(name)`, "=", name.toLowerCase())
    .executeTakeFirst();
  if (taken) return { ok: false, error: `This meeting already has a room called "${name}"` };
  return db.transaction().execute(async (trx) => {
    const old = await trx.selectFrom("meeting_rooms").select("name").where("id", "=", roomId).where("meeting_id", "=", meetingId).forUpdate().executeTakeFirst();
    const renamed = await trx.updateTable("meeting_rooms").set({ name }).where("id", "=", roomId).where("meeting_id", "=", meetingId).executeTakeFirst();
    if (!old || Number(renamed.numUpdatedRows) !== 1) return { ok: false as const, error: "No such room" };
    await recordAuditEvent(trx, { actor: userId, meetingId, action: "room.renamed", subject: { type: "room", id: roomId }, summary: `Renamed room “${old.name}” to “${name}”`, before: { name: old.name }, after: { name } });
    await bumpRoomItems(trx, meetingId, roomId, userId);
    await touchAgenda(trx, meetingId, userId);
    return { ok: true as const, value: undefined };
  });
}

/** Removes a room; its items stay on the agenda without a room. */
export async function deleteRoom(db: Kysely<Database>, meetingId: number, roomId: number, userId: number | null): Promise<AgendaChange> {
  return db.transaction().execute(async (trx) => {
    await bumpRoomItems(trx, meetingId, roomId, userId);
    const deleted = await trx.deleteFrom("meeting_rooms").where("id", "=", roomId).where("meeting_id", "=", meetingId).returning("name").executeTakeFirst();
    if (!deleted) return { ok: false as const, error: "No such room" };
    await recordAuditEvent(trx, { actor: userId, meetingId, action: "room.deleted", subject: { type: "room", id: roomId }, summary: `Deleted room “${deleted.name}”`, before: { name: deleted.name } });
    await touchAgenda(trx, meetingId, userId);
    return { ok: true as const, value: undefined };
  });
}

async function bumpRoomItems(trx: Executor, meetingId: number, roomId: number, userId: number | null): Promise<void> {
  await trx
    .updateTable("agenda_items")
    .set({ sequence: sql`sequence + 1`, updated_by: userId, updated_at: new Date() })
    .where("meeting_id", "=", meetingId)
    .where("room_id", "=", roomId)
    .where("deleted_at", "is", null)
    .execute();
}

export interface RoomClash {
  roomName: string;
  first: { id: number; title: string };
  second: { id: number; title: string };
}

/**
 * Items that overlap in the same room: a warning for organisers, not an error (a side event may
 * share a room on purpose). An item and its own parts do not clash.
 */
export function roomClashes(items: AgendaEntry[]): RoomClash[] {
  const clashes: RoomClash[] = [];
  const sorted = items.filter((item) => item.roomId !== null).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const [a, b] = [sorted[i]!, sorted[j]!];
      if (b.startsAt >= a.endsAt) break;
      if (a.roomId !== b.roomId || a.parentId === b.id || b.parentId === a.id) continue;
      clashes.push({ roomName: a.roomName ?? "", first: { id: a.id, title: a.title }, second: { id: b.id, title: b.title } });
    }
  }
  return clashes;
}

export interface MovedItem {
  meetingSlug: string;
  itemId: number;
  title: string;
  wallTime: string;
  timezone: string;
  from: Date;
  to: Date | null;
  /** Why it could not be moved, when `to` is null. */
  problem?: string;
}

/** The reading of a wall time closest to the instant stored before (used when the clocks show it twice). */
function closestReading(local: string, zone: string, before: Date): Date | { problem: string } {
  const resolution = resolveWallTime(local, zone);
  if (resolution.kind === "exact") return resolution.instant;
  if (resolution.kind === "ambiguous") {
    const distance = (d: Date) => Math.abs(d.getTime() - before.getTime());
    return distance(resolution.earlier) <= distance(resolution.later) ? resolution.earlier : resolution.later;
  }
  return { problem: resolution.kind === "gap" ? "the clocks now skip this time" : "not a valid time" };
}

/**
 * Recomputes the instants of future items from their wall-clock times with the zone rules this
 * process has, for when a country changes its rules. Returns what moved and what could not be
 * placed (left as it was, for an organiser to fix).
 */
export async function rederiveFutureInstants(db: Kysely<Database>, now: Date = new Date()): Promise<MovedItem[]> {
  const rows = await db
    .selectFrom("agenda_items")
    .innerJoin("meetings", "meetings.id", "agenda_items.meeting_id")
    .select([
      "agenda_items.id",
      "agenda_items.meeting_id",
      "agenda_items.title",
      "agenda_items.starts_local",
      "agenda_items.ends_local",
      "agenda_items.starts_at",
      "agenda_items.ends_at",
      "meetings.slug",
      "meetings.timezone",
    ])
    .where("agenda_items.deleted_at", "is", null)
    .where("agenda_items.ends_at", ">", now)
    .orderBy("agenda_items.starts_at")
    .execute();
  const report: MovedItem[] = [];
  const changedMeetings = new Map<number, ItemBefore[]>();
  await db.transaction().execute(async (trx) => {
    for (const row of rows) {
      const startsAt = closestReading(row.starts_local, row.timezone, row.starts_at);
      const endsAt = closestReading(row.ends_local, row.timezone, row.ends_at);
      const base = { meetingSlug: row.slug, itemId: row.id, title: row.title, wallTime: row.starts_local, timezone: row.timezone, from: row.starts_at };
      if (!(startsAt instanceof Date) || !(endsAt instanceof Date)) {
        const problem = startsAt instanceof Date ? (endsAt as { problem: string }).problem : startsAt.problem;
        report.push({ ...base, to: null, problem });
        continue;
      }
      if (endsAt <= startsAt) {
        report.push({ ...base, to: null, problem: "under the new rules it would end before it starts" });
        continue;
      }
      if (startsAt.getTime() === row.starts_at.getTime() && endsAt.getTime() === row.ends_at.getTime()) continue;
      await trx
        .updateTable("agenda_items")
        .set({ starts_at: startsAt, ends_at: endsAt, sequence: sql`sequence + 1`, updated_at: now })
        .where("id", "=", row.id)
        .execute();
      changedMeetings.set(row.meeting_id, [...(changedMeetings.get(row.meeting_id) ?? []), { itemId: row.id, startsAt: row.starts_at, endsAt: row.ends_at }]);
      report.push({ ...base, to: startsAt });
    }
    for (const [meetingId, before] of changedMeetings) {
      await touchAgenda(trx, meetingId, null, now);
      await emailImminentAgendaChanges(trx, meetingId, before, now);
    }
  });
  return report;
}

/** What to keep when a meeting's zone changes: the clock times typed (instants move) or the instants (clock times change). */
export const ZONE_CHANGE_KEEPS = ["wall_times", "instants"] as const;
export type ZoneChangeKeeps = (typeof ZONE_CHANGE_KEEPS)[number];

/**
 * Re-expresses the meeting's agenda in its new zone, inside the caller's transaction. Keeping
 * wall times fails (and changes nothing) if some item's time does not exist or is ambiguous in
 * the new zone; the message names the items.
 */
export async function reexpressAgendaInZone(
  trx: Transaction<Database>,
  meetingId: number,
  newZone: string,
  keeps: ZoneChangeKeeps,
  userId: number | null,
): Promise<AgendaChange<number>> {
  const items = await trx
    .selectFrom("agenda_items")
    .select(["id", "title", "starts_local", "ends_local", "starts_at", "ends_at"])
    .where("meeting_id", "=", meetingId)
    .where("deleted_at", "is", null)
    .execute();
  const updates: { id: number; starts_local: string; ends_local: string; starts_at: Date; ends_at: Date }[] = [];
  const problems: string[] = [];
  for (const item of items) {
    if (keeps === "instants") {
      updates.push({ ...item, starts_local: wallTimeOf(item.starts_at, newZone), ends_local: wallTimeOf(item.ends_at, newZone) });
      continue;
    }
    const starts = instantOfWallTime(item.starts_local, newZone);
    const ends = instantOfWallTime(item.ends_local, newZone);
    if (!starts.ok || !ends.ok) {
      problems.push(`"${item.title}" (${item.starts_local.replace("T", " ")})`);
      continue;
    }
    updates.push({ ...item, starts_at: starts.at, ends_at: ends.at });
  }
  if (problems.length > 0) {
    return { ok: false, error: `These items' times do not exist or occur twice in ${newZone}; change them first: ${problems.join(", ")}` };
  }
  const now = new Date();
  const changed = updates.filter((update, index) => {
    const item = items[index]!;
    return update.starts_local !== item.starts_local || update.ends_local !== item.ends_local || update.starts_at.getTime() !== item.starts_at.getTime() || update.ends_at.getTime() !== item.ends_at.getTime();
  });
  // Items the new zone reads the same (same offset) keep their sequence: calendars have nothing to update.
  for (const update of changed) {
    await trx
      .updateTable("agenda_items")
      .set({
        starts_local: update.starts_local,
        ends_local: update.ends_local,
        starts_at: update.starts_at,
        ends_at: update.ends_at,
        sequence: sql`sequence + 1`,
        updated_by: userId,
        updated_at: now,
      })
      .where("id", "=", update.id)
      .execute();
  }
  if (changed.length > 0) await touchAgenda(trx, meetingId, userId, now);
  await emailImminentAgendaChanges(
    trx,
    meetingId,
    items.map((item) => ({ itemId: item.id, startsAt: item.starts_at, endsAt: item.ends_at })),
    now,
  );
  return { ok: true, value: updates.length };
}

/** When the agenda last changed and by whom (their name, else their address), for "Last updated …". */
export async function agendaLastUpdated(db: Executor, meetingId: number): Promise<{ at: Date; by: string | null } | null> {
  const row = await db
    .selectFrom("meetings")
    .leftJoin("users", "users.id", "meetings.agenda_updated_by")
    .select(["meetings.agenda_updated_at", "users.name", "users.email"])
    .where("meetings.id", "=", meetingId)
    .executeTakeFirst();
  if (!row?.agenda_updated_at) return null;
  return { at: row.agenda_updated_at, by: row.name ?? row.email ?? null };
}

/** Whether the meeting has agenda items (deleted ones aside). */
export async function hasAgendaItems(db: Executor, meetingId: number): Promise<boolean> {
  const row = await db.selectFrom("agenda_items").select("id").where("meeting_id", "=", meetingId).where("deleted_at", "is", null).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Items whose day, as typed in the meeting's zone, falls outside these days: a meeting's new dates must keep its agenda. */
export async function agendaItemsOutsideDays(
  db: Executor,
  meetingId: number,
  startsOn: string,
  endsOn: string,
): Promise<{ id: number; title: string; startsLocal: string }[]> {
  const rows = await db
    .selectFrom("agenda_items")
    .select(["id", "title", "starts_local"])
    .where("meeting_id", "=", meetingId)
    .where("deleted_at", "is", null)
    .where((eb) => eb.or([eb(sql`starts_local::date`, "<", startsOn), eb(sql`ends_local::date`, ">", endsOn)]))
    .orderBy("starts_local")
    .execute();
  return rows.map((row) => ({ id: row.id, title: row.title, startsLocal: row.starts_local }));
}
