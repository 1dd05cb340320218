import { type Kysely, sql } from "kysely";

/**
 * Personal data: a registration can be anonymised in place (its person erased, the facts reports
 * count kept), and a meeting's purge of its participants' personal data is recorded.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("registrations").addColumn("anonymised_at", "timestamptz").execute();
  await db.schema
    .createTable("personal_data_purges")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("meeting_id", "integer", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("purged_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("registrations", "integer", (c) => c.notNull().check(sql`registrations >= 0`))
    .addColumn("online_sessions", "integer", (c) => c.notNull().check(sql`online_sessions >= 0`))
    .addColumn("emails", "integer", (c) => c.notNull().check(sql`emails >= 0`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("personal_data_purges_meeting_idx").on("personal_data_purges").column("meeting_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("personal_data_purges").execute();
  await db.schema.alterTable("registrations").dropColumn("anonymised_at").execute();
}
