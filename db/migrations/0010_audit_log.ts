import { type Kysely, sql } from "kysely";

/**
 * The audit log: one row per organiser action, written in the transaction of the change it
 * records, so the log never tells of a change that did not happen nor misses one that did.
 * The actor's address is kept beside the reference: the log still says who acted after their
 * account is deleted. Rows outlive their meeting's deletion as well (meeting_id set null),
 * because a deletion is itself an action to account for.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("audit_events")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("occurred_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("actor_user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("actor_email", "text", (c) => c.notNull())
    .addColumn("meeting_id", "integer", (c) => c.references("meetings.id").onDelete("set null"))
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("subject_type", "text")
    .addColumn("subject_id", "text")
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("before", "jsonb")
    .addColumn("after", "jsonb")
    .execute();
  await sql`create index audit_events_meeting_idx on audit_events (meeting_id, occurred_at desc, id desc)`.execute(db);
  await sql`create index audit_events_occurred_at_idx on audit_events (occurred_at desc, id desc)`.execute(db);
  await db.schema.createIndex("audit_events_actor_idx").on("audit_events").column("actor_user_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("audit_events").execute();
}
