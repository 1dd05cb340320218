import { type Kysely, sql } from "kysely";

/**
 * Roles: the foundation's single `organiser` role becomes the administrator (everything an
 * organiser could do, an administrator can), and people are given a meeting to manage or to check
 * people in at (one grant per person and meeting). A grant may name a person who has never signed
 * in: their user row is made when the grant is, so the grant holds at their first sign-in.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table users drop constraint users_role_check`.execute(db);
  await sql`update users set role = 'administrator' where role = 'organiser'`.execute(db);
  await sql`alter table users add constraint users_role_check check (role in ('participant', 'administrator'))`.execute(db);

  await db.schema
    .createTable("meeting_roles")
    .addColumn("meeting_id", "integer", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('manager', 'check_in')`))
    .addColumn("granted_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("granted_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("meeting_roles_pkey", ["meeting_id", "user_id"])
    .execute();
  // "Which meetings may this person use?", asked on every console page.
  await db.schema.createIndex("meeting_roles_user_idx").on("meeting_roles").columns(["user_id", "meeting_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("meeting_roles").execute();
  await sql`alter table users drop constraint users_role_check`.execute(db);
  await sql`update users set role = 'organiser' where role = 'administrator'`.execute(db);
  await sql`alter table users add constraint users_role_check check (role in ('participant', 'organiser'))`.execute(db);
}
