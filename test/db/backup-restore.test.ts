import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { sql } from "kysely";
import pg from "pg";
import { createDiskDocumentStore, documentStore } from "../../app/documents/document-store.server";
import { type PgTools, backup, installedPgTools, restore, serverMajor } from "../../db/backup";
import { createDatabase } from "../../db/connection.server";
import { loadDemoData } from "../../db/demo-data";
import { migrateToLatest } from "../../db/migrate";
import { dataDir } from "../../db/settings";
import { startScratchPostgres } from "../support/scratch-postgres";

/**
 * The README's backup and restore, end to end: a database with the demo data and its stored
 * documents is backed up (pg_dump, custom format, and the document store), restored into a fresh
 * database and an empty store, and everything is found again: every table's rows, and every file's
 * bytes. pg_dump cannot dump a server newer than itself: when the test server is newer than every
 * installed pg_dump (the embedded PostgreSQL ships none), the round trip runs on a scratch server of
 * the newest installed version instead, so it always runs.
 */

async function adminQuery(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function urlOf(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A server and the tools that can dump it. */
async function serverWithTools(): Promise<{ adminUrl: string; tools: PgTools; stop(): Promise<void> }> {
  const testAdminUrl = process.env.TEST_DATABASE_ADMIN_URL;
  if (!testAdminUrl) throw new Error("Run the tests with `npm test`, which prepares the test database server.");
  const installed = await installedPgTools();
  const major = await serverMajor(testAdminUrl);
  const fitting = installed.find((tools) => tools.major >= major);
  if (fitting) return { adminUrl: testAdminUrl, tools: fitting, stop: async () => {} };
  const newest = installed.filter((tools) => existsSync(path.join(tools.bin, "initdb")) && existsSync(path.join(tools.bin, "postgres"))).at(-1);
  if (!newest) throw new Error(`The test server is PostgreSQL ${major}, and no installed pg_dump is that new nor comes with a server to test on.`);
  const scratch = await startScratchPostgres(newest.bin);
  return { adminUrl: scratch.adminUrl, tools: newest, stop: scratch.stop };
}

/** Each table of the public schema (Kysely's migration tables included) with its row count and a digest of all its rows. */
async function tableContents(url: string): Promise<Record<string, { rows: number; digest: string }>> {
  const db = createDatabase(url, 1);
  try {
    const tables = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public' order by 1`.execute(db);
    const contents: Record<string, { rows: number; digest: string }> = {};
    for (const { name } of tables.rows) {
      const result = await sql<{ rows: number; digest: string | null }>`
        select count(*)::int as rows, md5(string_agg(t::text, E'\n' order by t::text)) as digest from ${sql.table(name)} t`.execute(db);
      contents[name] = { rows: result.rows[0]!.rows, digest: result.rows[0]!.digest ?? "" };
    }
    return contents;
  } finally {
    await db.destroy();
  }
}

describe("backup and restore", async () => {
  const server = await serverWithTools();
  const tag = randomBytes(5).toString("hex");
  const source = `backup_source_${tag}`;
  const target = `backup_target_${tag}`;
  const folder = await mkdtemp(path.join(os.tmpdir(), "meetings-backup-"));
  after(async () => {
    for (const database of [source, target]) await adminQuery(server.adminUrl, `drop database if exists "${database}" with (force)`);
    await server.stop();
    await rm(folder, { recursive: true, force: true });
  });
  await adminQuery(server.adminUrl, `create database "${source}"`);
  await adminQuery(server.adminUrl, `create database "${target}"`);
  const sourceUrl = urlOf(server.adminUrl, source);
  const targetUrl = urlOf(server.adminUrl, target);
  const db = createDatabase(sourceUrl, 2);
  await migrateToLatest(db);
  // The demo documents' files go to the app's store under DATA_DIR, as in production.
  await loadDemoData(db);
  const ownFile = Buffer.from(`a paper only this backup holds ${tag}\n`);
  const stored = await documentStore().put([ownFile], { maxBytes: 1_000_000 });
  const document = await db.selectFrom("documents").select(["id"]).orderBy("id").executeTakeFirstOrThrow();
  await db
    .insertInto("document_files")
    .values({ document_id: document.id, language: "xx", version: 1, content_key: stored.key, size: stored.size, media_type: "text/plain", file_name: "own.txt" })
    .execute();
  await db.destroy();

  it("finds every row and every stored file again in a fresh database and store", async () => {
    const before = await tableContents(sourceUrl);
    assert.ok(before.registrations!.rows > 0 && before.document_files!.rows > 1 && before.check_ins!.rows > 0, "demo data to back up");
    await backup({ databaseUrl: sourceUrl, documentsDir: path.join(dataDir(), "documents"), to: path.join(folder, "backup"), tools: server.tools });
    const restoredDocuments = path.join(folder, "restored-documents");
    await restore({ databaseUrl: targetUrl, documentsDir: restoredDocuments, from: path.join(folder, "backup"), tools: server.tools });

    assert.deepEqual(await tableContents(targetUrl), before);
    const restored = createDatabase(targetUrl, 1);
    try {
      const store = createDiskDocumentStore(restoredDocuments);
      const files = await restored.selectFrom("document_files").select(["content_key", "size"]).execute();
      for (const file of files) {
        const { stream, size } = await store.open(file.content_key);
        const hash = createHash("sha256");
        for await (const chunk of stream) hash.update(chunk as Buffer);
        assert.equal(size, file.size);
        assert.equal(hash.digest("hex"), file.content_key, "the file's bytes, unchanged");
      }
      const own = await store.open(stored.key);
      const chunks: Buffer[] = [];
      for await (const chunk of own.stream) chunks.push(chunk as Buffer);
      assert.deepEqual(Buffer.concat(chunks), ownFile);
      // Sequences come back too: the restored database takes new rows.
      const highest = await restored.selectFrom("programmes").select((eb) => eb.fn.max("id").as("id")).executeTakeFirstOrThrow();
      const added = await restored.insertInto("programmes").values({ slug: `after-restore-${tag}`, title: "After the restore" }).returning("id").executeTakeFirstOrThrow();
      assert.ok(added.id > Number(highest.id));
    } finally {
      await restored.destroy();
    }
  });

  it("refuses to restore over a database that has tables", async () => {
    await assert.rejects(
      restore({ databaseUrl: targetUrl, documentsDir: path.join(folder, "other"), from: path.join(folder, "backup"), tools: server.tools }),
      /empty database/,
    );
  });
});
