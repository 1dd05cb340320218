import { type Kysely, Migrator } from "kysely";
import { migrationProvider } from "./migrations/index";

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

export async function migrateDown(db: Kysely<any>): Promise<string | null> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateDown();
  if (error) throw error;
  return results?.[0]?.migrationName ?? null;
}
