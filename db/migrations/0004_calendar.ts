import { type Kysely, sql } from "kysely";

/**
 * Calendar feeds: a meeting's SEQUENCE grows (by trigger, whatever code changes the row) when
 * what a calendar shows of it changes; each person may have a private feed, reached by a secret
 * derived from a salt with the server's key (so /my can show it again) of which only the hash is
 * kept, showing either the meetings they are confirmed for or their starred items.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("meetings")
    .addColumn("calendar_sequence", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`
    create function meetings_calendar_sequence() returns trigger language plpgsql as $$
    begin
      if (new.title, new.starts_on, new.ends_on, new.timezone, new.status, new.mode,
          new.venue_name, new.venue_address, new.venue_city, new.venue_country)
         is distinct from
         (old.title, old.starts_on, old.ends_on, old.timezone, old.status, old.mode,
          old.venue_name, old.venue_address, old.venue_city, old.venue_country) then
        new.calendar_sequence := old.calendar_sequence + 1;
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger meetings_calendar_sequence before update on meetings
    for each row execute function meetings_calendar_sequence()`.execute(db);

  await db.schema
    .alterTable("users")
    .addColumn("feed_token_hash", "bytea", (c) => c.unique())
    .addColumn("feed_salt", "bytea")
    .addColumn("feed_scope", "text", (c) => c.notNull().defaultTo("registrations").check(sql`feed_scope in ('registrations', 'starred')`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").dropColumn("feed_scope").dropColumn("feed_salt").dropColumn("feed_token_hash").execute();
  await sql`drop trigger meetings_calendar_sequence on meetings`.execute(db);
  await sql`drop function meetings_calendar_sequence()`.execute(db);
  await db.schema.alterTable("meetings").dropColumn("calendar_sequence").execute();
}
