import { type Kysely, sql } from "kysely";

/**
 * Following by email: a person follows a programme (or, with no programme, all meetings) and,
 * once they confirm, hears when a meeting in it is published, rescheduled or cancelled. The
 * links in those emails carry a secret derived from the row's salt with the server's key, so
 * every email can carry a working link while only its hash is stored. Emails may now carry
 * attachments (a meeting's .ics).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("follows")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull().check(sql`email = lower(email) and length(email) between 3 and 254`))
    .addColumn("programme_id", "integer", (c) => c.references("programmes.id").onDelete("cascade"))
    .addColumn("salt", "bytea", (c) => c.notNull())
    .addColumn("token_hash", "bytea", (c) => c.notNull().unique())
    .addColumn("confirmed_at", "timestamptz")
    .addColumn("emailed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index follows_email_programme_key on follows (email, coalesce(programme_id, 0))`.execute(db);
  await db.schema.createIndex("follows_programme_idx").on("follows").column("programme_id").execute();

  await db.schema
    .alterTable("outbox")
    .addColumn("attachments", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("outbox").dropColumn("attachments").execute();
  await db.schema.dropTable("follows").execute();
}
