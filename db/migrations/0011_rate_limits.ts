import { type Kysely, sql } from "kysely";

/**
 * Rate limits' counters, one row per (bucket, hashed key, fixed window), kept in PostgreSQL so
 * that every instance of the app counts against the same limit. Unlogged: a counter is worth no
 * WAL (the feed path writes one per poll), and losing the last hour's counts in a crash only
 * lifts the limits for the rest of that hour. `ends_at` lets the sweep drop finished windows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create unlogged table rate_limit_counters (
      bucket text not null,
      key_hash bytea not null,
      window_start timestamptz not null,
      ends_at timestamptz not null,
      hits integer not null default 1,
      primary key (bucket, key_hash, window_start)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("rate_limit_counters").execute();
}
