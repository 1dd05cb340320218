import { type Kysely, sql } from "kysely";

/**
 * A meeting's registration questions count in its page version too (as its rooms, items and
 * documents do since 0015), so that the registration form, kept rendered for anonymous visitors
 * under that version, shows a question the organisers add, change or remove at once.
 */
const EVENTS = [
  { event: "insert", transition: "new" },
  { event: "update", transition: "new" },
  { event: "delete", transition: "old" },
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function registration_questions_meeting_page_changed() returns trigger language plpgsql as $$
    begin
      update meetings set page_version = page_version + 1 where id in (select meeting_id from changed);
      return null;
    end $$`.execute(db);
  for (const { event, transition } of EVENTS) {
    await sql`
      create trigger ${sql.raw(`registration_questions_page_${event}`)} after ${sql.raw(event)} on registration_questions
      referencing ${sql.raw(transition)} table as changed for each statement execute function registration_questions_meeting_page_changed()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const { event } of EVENTS) await sql`drop trigger ${sql.raw(`registration_questions_page_${event}`)} on registration_questions`.execute(db);
  await sql`drop function registration_questions_meeting_page_changed()`.execute(db);
}
