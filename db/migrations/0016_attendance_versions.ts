import { type Kysely, sql } from "kysely";

/**
 * A meeting's attendance version: a number that changes with every change to what its attendance
 * report reads besides the meeting's own row and agenda (which change its page version): check-ins,
 * online sessions and registrations. Kept by the database, so that no writer (the desk, an import,
 * a script) can forget it; the organisers' report is kept in memory under it.
 *
 * It lives in its own table, not on the meeting's row: a check-in must neither wait for a
 * registration's lock on that row nor change the public pages' version.
 * Statement-level triggers bump each affected meeting once per statement; meetings being deleted
 * (their registrations go with them) are skipped.
 */
const TABLES = ["check_ins", "online_sessions", "registrations"];

const EVENTS = [
  { event: "insert", transition: "new" },
  { event: "update", transition: "new" },
  { event: "delete", transition: "old" },
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table attendance_versions (
      meeting_id integer primary key references meetings (id) on delete cascade,
      version bigint not null default 1
    )`.execute(db);
  await sql`
    create function attendance_version_bump() returns trigger language plpgsql as $$
    begin
      insert into attendance_versions (meeting_id)
      select distinct c.meeting_id from changed c join meetings m on m.id = c.meeting_id order by 1
      on conflict (meeting_id) do update set version = attendance_versions.version + 1;
      return null;
    end $$`.execute(db);
  for (const table of TABLES) {
    for (const { event, transition } of EVENTS) {
      await sql`
        create trigger ${sql.raw(`${table}_attendance_${event}`)} after ${sql.raw(event)} on ${sql.raw(table)}
        referencing ${sql.raw(transition)} table as changed for each statement execute function attendance_version_bump()`.execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    for (const { event } of EVENTS) await sql`drop trigger ${sql.raw(`${table}_attendance_${event}`)} on ${sql.raw(table)}`.execute(db);
  }
  await sql`drop function attendance_version_bump()`.execute(db);
  await sql`drop table attendance_versions`.execute(db);
}
