import { randomBytes } from "node:crypto";
import { after } from "node:test";
import type { Kysely } from "kysely";
import pg from "pg";
import { createDatabase } from "../../db/connection.server";
import type { Database } from "../../db/schema";

/** Waits (at most 2 s) for the database's connections to close: ending a pool does not wait for its connections to. */
async function untilDisconnected(client: pg.Client, name: string): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    const { rows } = await client.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = $1", [name]);
    if (rows[0]?.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A fresh, migrated database for one test file, copied from the template that `npm test`
 * (scripts/test.ts) migrated once; dropped when the file's tests end.
 */
export async function freshDatabase(): Promise<{ db: Kysely<Database>; url: string }> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL;
  const template = process.env.TEST_DATABASE_TEMPLATE;
  if (!adminUrl || !template) throw new Error("Run the tests with `npm test`, which prepares the test database server.");
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDatabase(url.toString());
  // Modules that use the process-wide pool (routes, the built app) find this database.
  process.env.DATABASE_URL = url.toString();
  after(async () => {
    await db.destroy();
    await globalThis.__meetingsDatabase?.destroy();
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    try {
      await untilDisconnected(cleanup, name);
      await cleanup.query(`drop database if exists "${name}" with (force)`);
    } finally {
      await cleanup.end();
    }
  });
  return { db, url: url.toString() };
}
