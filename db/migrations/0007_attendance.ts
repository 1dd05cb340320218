import { type Kysely, sql } from "kysely";

/**
 * Attendance: people checked in at the door or online, for a meeting day or one agenda item, and
 * online sessions read from webinar platforms' reports. A check-in is unique per person and day
 * (or item) while it stands, so several desks at once never count anyone twice; an undone
 * check-in stays, marked, for the record.
 *
 * Online presence is kept as the intervals the reports give (joined, left); whether someone
 * "attended" is decided when reporting, by the meeting's minimum share of the item or day.
 * Imports are recorded by their content's SHA-256, and each interval once per meeting, so
 * importing the same report again changes nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("meetings")
    .addColumn("online_attendance_percent", "integer", (c) => c.notNull().defaultTo(50).check(sql`online_attendance_percent between 1 and 100`))
    .addColumn("shows_participation", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("self_check_in", "boolean", (c) => c.notNull().defaultTo(true))
    .execute();
  // With the server's key, derives the badge's check-in reference and the self check-in link; a new salt retires both.
  await db.schema
    .alterTable("registrations")
    .addColumn("checkin_salt", "bytea", (c) => c.notNull().defaultTo(sql`uuid_send(gen_random_uuid())`))
    .execute();

  // Rows below name their meeting beside their registration and item; these keys hold the two together.
  await sql`alter table registrations add constraint registrations_id_meeting_key unique (id, meeting_id)`.execute(db);
  await sql`alter table agenda_items add constraint agenda_items_id_meeting_key unique (id, meeting_id)`.execute(db);

  await db.schema
    .createTable("check_ins")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("meeting_id", "integer", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("registration_id", "integer", (c) => c.notNull())
    .addColumn("day", "date")
    .addColumn("agenda_item_id", "integer")
    .addColumn("mode", "text", (c) => c.notNull().check(sql`mode in ('in_person', 'online')`))
    .addColumn("method", "text", (c) => c.notNull().check(sql`method in ('desk', 'badge', 'walk_in', 'self')`))
    .addColumn("recorded_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("undone_at", "timestamptz")
    .addColumn("undone_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addCheckConstraint("check_ins_day_or_item", sql`(day is null) <> (agenda_item_id is null)`)
    .addForeignKeyConstraint("check_ins_registration_fkey", ["registration_id", "meeting_id"], "registrations", ["id", "meeting_id"], (c) => c.onDelete("cascade"))
    .addForeignKeyConstraint("check_ins_agenda_item_fkey", ["agenda_item_id", "meeting_id"], "agenda_items", ["id", "meeting_id"], (c) => c.onDelete("cascade"))
    .execute();
  await sql`create unique index check_ins_day_key on check_ins (registration_id, day) where day is not null and undone_at is null`.execute(db);
  await sql`create unique index check_ins_item_key on check_ins (registration_id, agenda_item_id) where agenda_item_id is not null and undone_at is null`.execute(
    db,
  );
  await db.schema.createIndex("check_ins_meeting_idx").on("check_ins").columns(["meeting_id", "day"]).execute();
  await db.schema.createIndex("check_ins_item_idx").on("check_ins").column("agenda_item_id").execute();

  await db.schema
    .createTable("attendance_imports")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("meeting_id", "integer", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("platform", "text", (c) => c.notNull().check(sql`platform in ('zoom', 'teams', 'webex')`))
    .addColumn("file_name", "text", (c) => c.notNull().check(sql`length(file_name) between 1 and 255`))
    .addColumn("content_sha256", "bytea", (c) => c.notNull())
    /** The zone the file's times were read in, when the file names none. */
    .addColumn("timezone", "text", (c) => c.notNull())
    .addColumn("row_count", "integer", (c) => c.notNull().check(sql`row_count >= 0`))
    .addColumn("new_session_count", "integer", (c) => c.notNull().check(sql`new_session_count >= 0`))
    .addColumn("imported_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("attendance_imports_meeting_content_key", ["meeting_id", "content_sha256"])
    .execute();

  await db.schema
    .createTable("online_sessions")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("meeting_id", "integer", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("import_id", "integer", (c) => c.notNull().references("attendance_imports.id").onDelete("cascade"))
    .addColumn("registration_id", "integer")
    .addColumn("name", "text", (c) => c.notNull().check(sql`length(name) between 1 and 300`))
    .addColumn("email", "text", (c) => c.check(sql`email = lower(email)`))
    .addColumn("joined_at", "timestamptz", (c) => c.notNull())
    .addColumn("left_at", "timestamptz", (c) => c.notNull())
    /** The line of the file it was read from, to show the organiser. */
    .addColumn("line", "integer", (c) => c.notNull())
    .addCheckConstraint("online_sessions_leaves_after_joining", sql`left_at >= joined_at`)
    .execute();
  // A deleted registration leaves its sessions unmatched (only registration_id is cleared, not the meeting).
  await sql`alter table online_sessions add constraint online_sessions_registration_fkey foreign key (registration_id, meeting_id)
    references registrations (id, meeting_id) on delete set null (registration_id)`.execute(db);
  await sql`create unique index online_sessions_once_key on online_sessions (meeting_id, coalesce(email, ''), lower(name), joined_at, left_at)`.execute(db);
  await db.schema.createIndex("online_sessions_registration_idx").on("online_sessions").columns(["meeting_id", "registration_id"]).execute();

  // An organiser's link from a name or address in webinar reports to a registration, used again by later imports.
  await db.schema
    .createTable("online_identities")
    .addColumn("meeting_id", "integer", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    /** `email:<address>` or `name:<lower-case name>` */
    .addColumn("identity", "text", (c) => c.notNull().check(sql`identity ~ '^(email|name):.+'`))
    .addColumn("registration_id", "integer", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("online_identities_pkey", ["meeting_id", "identity"])
    .addForeignKeyConstraint("online_identities_registration_fkey", ["registration_id", "meeting_id"], "registrations", ["id", "meeting_id"], (c) =>
      c.onDelete("cascade"),
    )
    .execute();

  await db.schema
    .createTable("attendance_reminders")
    .addColumn("registration_id", "integer", (c) => c.notNull().references("registrations.id").onDelete("cascade"))
    /** The meeting day (in the meeting's zone) the reminder is about. */
    .addColumn("day", "date", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('day_before', 'morning')`))
    .addColumn("outbox_id", "bigint", (c) => c.references("outbox.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("attendance_reminders_pkey", ["registration_id", "day", "kind"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["attendance_reminders", "online_identities", "online_sessions", "attendance_imports", "check_ins"]) {
    await db.schema.dropTable(table).execute();
  }
  await sql`alter table agenda_items drop constraint agenda_items_id_meeting_key`.execute(db);
  await sql`alter table registrations drop constraint registrations_id_meeting_key`.execute(db);
  await db.schema.alterTable("registrations").dropColumn("checkin_salt").execute();
  await db.schema.alterTable("meetings").dropColumn("online_attendance_percent").dropColumn("shows_participation").dropColumn("self_check_in").execute();
}
