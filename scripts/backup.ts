/**
 * `npm run db:backup -- <folder>` writes a backup (the database in pg_dump's custom format and a copy
 * of the document store); `npm run db:restore -- <folder>` restores one into an empty database and
 * DATA_DIR's document store. Both use DATABASE_URL, or the embedded database under DATA_DIR (stop
 * the app first: it holds the embedded server's files).
 */
import path from "node:path";
import { backup, restore } from "../db/backup";
import { type EmbeddedServer, startEmbeddedPostgres } from "../db/embedded";
import { configuredDatabaseUrl, dataDir } from "../db/settings";

const [command, folder] = process.argv.slice(2);
if ((command !== "backup" && command !== "restore") || !folder) {
  console.error("usage: npm run db:backup -- <folder>  |  npm run db:restore -- <folder>");
  process.exit(2);
}

async function connect(): Promise<{ url: string; embedded: EmbeddedServer | null }> {
  const configured = configuredDatabaseUrl();
  if (configured) return { url: configured, embedded: null };
  const embedded = await startEmbeddedPostgres(path.join(dataDir(), "postgres"));
  await embedded.createDatabaseIfMissing("meetings");
  return { url: embedded.url("meetings"), embedded };
}

const { url, embedded } = await connect();
const documentsDir = path.join(dataDir(), "documents");
const target = path.resolve(folder);
let failed = false;
try {
  if (command === "backup") {
    await backup({ databaseUrl: url, documentsDir, to: target });
    console.log(`backup written to ${target} (database.dump and documents/)`);
  } else {
    await restore({ databaseUrl: url, documentsDir, from: target });
    console.log(`restored ${target} into the database and ${documentsDir}`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  failed = true;
} finally {
  await embedded?.stop();
}
process.exit(failed ? 1 : 0);
