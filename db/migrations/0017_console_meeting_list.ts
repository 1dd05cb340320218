import type { Kysely } from "kysely";

/**
 * The organisers' list of meetings (drafts included, latest first) reads its page along this index,
 * backwards, instead of sorting every meeting: years of meetings do not make its first page dearer.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("meetings_starts_at_idx").on("meetings").columns(["starts_at", "id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("meetings_starts_at_idx").execute();
}
