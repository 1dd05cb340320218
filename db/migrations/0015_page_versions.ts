import { type Kysely, sql } from "kysely";

/**
 * A meeting's page version: a number that changes with every change its public agenda page can
 * show, kept by the database itself so that no writer (console, import, demo data, a script) can
 * forget it. The rendered page of an anonymous visitor is kept in memory under this version.
 * - any update of the meeting's row (its fields, its registration counts) bumps it;
 * - so does a change to its programme, rooms, agenda items and their people, documents, their
 *   files and their links to items.
 * Statement-level triggers with transition tables bump each affected meeting once per statement,
 * so a bulk insert of thousands of items costs one update per meeting, not one per row.
 */
const CHILD_TABLES: Record<string, string> = {
  meeting_rooms: "select meeting_id from changed",
  agenda_items: "select meeting_id from changed",
  documents: "select meeting_id from changed",
  agenda_item_people: "select i.meeting_id from changed c join agenda_items i on i.id = c.item_id",
  document_files: "select d.meeting_id from changed c join documents d on d.id = c.document_id",
  document_agenda_items: "select d.meeting_id from changed c join documents d on d.id = c.document_id",
  programmes: "select m.id from changed c join meetings m on m.programme_id = c.id",
};

const EVENTS = [
  { event: "insert", transition: "new" },
  { event: "update", transition: "new" },
  { event: "delete", transition: "old" },
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table meetings add column page_version bigint not null default 0`.execute(db);
  await sql`
    create function meeting_page_version_bump() returns trigger language plpgsql as $$
    begin
      new.page_version := old.page_version + 1;
      return new;
    end $$`.execute(db);
  await sql`create trigger meetings_page_version before update on meetings for each row execute function meeting_page_version_bump()`.execute(db);

  for (const [table, meetingIds] of Object.entries(CHILD_TABLES)) {
    const bump = `${table}_meeting_page_changed`;
    await sql`
      create function ${sql.raw(bump)}() returns trigger language plpgsql as $$
      begin
        update meetings set page_version = page_version + 1 where id in (${sql.raw(meetingIds)});
        return null;
      end $$`.execute(db);
    for (const { event, transition } of EVENTS) {
      if (table === "programmes" && event !== "update") continue;
      await sql`
        create trigger ${sql.raw(`${table}_page_${event}`)} after ${sql.raw(event)} on ${sql.raw(table)}
        referencing ${sql.raw(transition)} table as changed for each statement execute function ${sql.raw(bump)}()`.execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of Object.keys(CHILD_TABLES)) {
    for (const { event } of EVENTS) await sql`drop trigger if exists ${sql.raw(`${table}_page_${event}`)} on ${sql.raw(table)}`.execute(db);
    await sql`drop function ${sql.raw(`${table}_meeting_page_changed`)}()`.execute(db);
  }
  await sql`drop trigger meetings_page_version on meetings`.execute(db);
  await sql`drop function meeting_page_version_bump()`.execute(db);
  await sql`alter table meetings drop column page_version`.execute(db);
}
