import { type Kysely, sql } from "kysely";

/**
 * The agenda: a meeting's rooms or tracks, its timed items (optionally nested one level, talks in
 * a panel) with the people on them, and participants' stars. An item keeps the wall-clock times
 * the organiser typed in the meeting's zone beside the instants derived from them: the wall time
 * is the truth for a future meeting when the zone's rules change. A deleted item is kept with
 * `deleted_at` so calendar feeds can cancel it; `sequence` counts its changes for iCalendar.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("meetings")
    .addColumn("agenda_updated_at", "timestamptz")
    .addColumn("agenda_updated_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .execute();

  await db.schema
    .createTable("meeting_rooms")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("meeting_id", "integer", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull().check(sql`length(name) between 1 and 120`))
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index meeting_rooms_meeting_name_key on meeting_rooms (meeting_id, lower(name))`.execute(db);

  await db.schema
    .createTable("agenda_items")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("meeting_id", "integer", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("parent_id", "integer", (c) => c.references("agenda_items.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull().check(sql`length(title) between 1 and 300`))
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('opening', 'session', 'panel', 'keynote', 'break', 'lunch', 'side_event', 'closing', 'other')`),
    )
    .addColumn("description", "text")
    .addColumn("room_id", "integer", (c) => c.references("meeting_rooms.id").onDelete("set null"))
    .addColumn("starts_local", "timestamp", (c) => c.notNull())
    .addColumn("ends_local", "timestamp", (c) => c.notNull())
    .addColumn("starts_at", "timestamptz", (c) => c.notNull())
    .addColumn("ends_at", "timestamptz", (c) => c.notNull())
    .addColumn("sequence", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("updated_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("deleted_at", "timestamptz")
    .addCheckConstraint("agenda_items_ends_after_start", sql`ends_at > starts_at and ends_local > starts_local`)
    .execute();
  await db.schema.createIndex("agenda_items_meeting_idx").on("agenda_items").columns(["meeting_id", "starts_at"]).execute();
  await db.schema.createIndex("agenda_items_parent_idx").on("agenda_items").column("parent_id").execute();

  await db.schema
    .createTable("agenda_item_people")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("item_id", "integer", (c) => c.notNull().references("agenda_items.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("name", "text", (c) => c.notNull().check(sql`length(name) between 1 and 200`))
    .addColumn("role", "text", (c) =>
      c.notNull().check(sql`role in ('chair', 'moderator', 'speaker', 'panellist', 'rapporteur')`),
    )
    .addColumn("affiliation", "text")
    .execute();
  await db.schema.createIndex("agenda_item_people_item_idx").on("agenda_item_people").columns(["item_id", "position"]).execute();

  await db.schema
    .createTable("agenda_stars")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("item_id", "integer", (c) => c.notNull().references("agenda_items.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("agenda_stars_pkey", ["user_id", "item_id"])
    .execute();
  await db.schema.createIndex("agenda_stars_item_idx").on("agenda_stars").column("item_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["agenda_stars", "agenda_item_people", "agenda_items", "meeting_rooms"]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable("meetings").dropColumn("agenda_updated_by").dropColumn("agenda_updated_at").execute();
}
