import { type Kysely, sql } from "kysely";

/**
 * A meeting's attendance version: a number that changes with every change to what its attendance
 * report reads besides the meeting's own row and agenda (which change its page version): check-ins,
 * online sessions and registrations. Kept by the database, so that no writer (the desk, an import,
 * a script) can forget it; the organisers' report is kept in memory under it.
 *
 * - It lives in its own table, one row per meeting made with the meeting, not on the meeting's row:
 *   a check-in must neither wait for a registration's lock on that row nor change the public pages' version.
 * - It is bumped when the writing transaction commits (deferred constraint triggers), once per
 *   meeting and transaction: the row's lock is then held only while committing, after every other
 *   lock the transaction takes (a registration's on its meeting), so no two writers wait for each
 *   other in opposite orders. Bumps one after another also number commits in their order: a
 *   version read before the rows never names rows older than it.
 */
const TABLES = ["check_ins", "online_sessions", "registrations"];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table attendance_versions (
      meeting_id integer primary key references meetings (id) on delete cascade,
      version bigint not null default 0
    )`.execute(db);
  await sql`insert into attendance_versions (meeting_id) select id from meetings`.execute(db);
  await sql`
    create function attendance_version_start() returns trigger language plpgsql as $$
    begin
      insert into attendance_versions (meeting_id) select id from added;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger meetings_attendance_version after insert on meetings
    referencing new table as added for each statement execute function attendance_version_start()`.execute(db);
  await sql`
    create function attendance_version_bump() returns trigger language plpgsql as $$
    declare
      meeting integer := case when tg_op = 'DELETE' then old.meeting_id else new.meeting_id end;
      bumped text := 'attendance_version.bumped_' || meeting;
    begin
      if current_setting(bumped, true) = 'yes' then return null; end if;
      update attendance_versions set version = version + 1 where meeting_id = meeting;
      perform set_config(bumped, 'yes', true);
      return null;
    end $$`.execute(db);
  for (const table of TABLES) {
    await sql`
      create constraint trigger ${sql.raw(`${table}_attendance_version`)} after insert or update or delete on ${sql.raw(table)}
      deferrable initially deferred for each row execute function attendance_version_bump()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) await sql`drop trigger ${sql.raw(`${table}_attendance_version`)} on ${sql.raw(table)}`.execute(db);
  await sql`drop trigger meetings_attendance_version on meetings`.execute(db);
  await sql`drop function attendance_version_bump()`.execute(db);
  await sql`drop function attendance_version_start()`.execute(db);
  await sql`drop table attendance_versions`.execute(db);
}
