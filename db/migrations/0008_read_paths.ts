import { type Kysely, sql } from "kysely";

/**
 * Indexes for the public read paths, so that their cost does not grow with years of meetings:
 * - the search (`?q=`) matches any part of the title, summary or city (ILIKE '%…%'): trigram
 *   indexes (pg_trgm) answer exactly that, in any script and for parts of words, where full-text
 *   search would answer whole, stemmed words only;
 * - the public list reads its page along (starts_at, id) from now, forwards for upcoming meetings,
 *   backwards for past ones, instead of sorting every match; the longest public meeting (an index
 *   on ends_at - starts_at) bounds where upcoming ones can start;
 * - calendar feeds' version (the latest change to any meeting) is the top of an index on updated_at.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  for (const column of ["title", "summary", "venue_city"]) {
    await sql`create index ${sql.ref(`meetings_${column}_trgm_idx`)} on meetings using gin (${sql.ref(column)} gin_trgm_ops)`.execute(db);
  }
  await sql`create index meetings_public_starts_at_idx on meetings (starts_at, id) where status in ('published', 'cancelled')`.execute(db);
  await sql`create index meetings_public_length_idx on meetings ((ends_at - starts_at)) where status in ('published', 'cancelled')`.execute(db);
  await db.schema.createIndex("meetings_updated_at_idx").on("meetings").column("updated_at").execute();
}

/** The extension stays: other databases' objects, or an operator, may use it. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ["meetings_updated_at_idx", "meetings_public_length_idx", "meetings_public_starts_at_idx", "meetings_venue_city_trgm_idx", "meetings_summary_trgm_idx", "meetings_title_trgm_idx"]) {
    await db.schema.dropIndex(index).execute();
  }
}
