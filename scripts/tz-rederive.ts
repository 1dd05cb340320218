/**
 * `npm run tz:rederive`: after the zone rules change (a new tzdata in Node), recomputes the instants
 * of future agenda items from the wall-clock times organisers typed, and lists what moved and what
 * could not be placed. Uses DATABASE_URL, or the embedded database under DATA_DIR (stop the app first).
 */
import path from "node:path";
import { rederiveFutureInstants } from "../app/agenda/agenda.server";
import { isoInstant } from "../app/lib/time";
import { createDatabase } from "../db/connection.server";
import { type EmbeddedServer, startEmbeddedPostgres } from "../db/embedded";
import { migrateToLatest } from "../db/migrate";
import { configuredDatabaseUrl, dataDir } from "../db/settings";

async function connect(): Promise<{ url: string; embedded: EmbeddedServer | null }> {
  const configured = configuredDatabaseUrl();
  if (configured) return { url: configured, embedded: null };
  const embedded = await startEmbeddedPostgres(path.join(dataDir(), "postgres"));
  await embedded.createDatabaseIfMissing("meetings");
  return { url: embedded.url("meetings"), embedded };
}

const { url, embedded } = await connect();
const db = createDatabase(url, 1);
try {
  await migrateToLatest(db);
  const report = await rederiveFutureInstants(db);
  const moved = report.filter((entry) => entry.to);
  const stuck = report.filter((entry) => !entry.to);
  console.log(`zone rules of this Node: tzdata ${process.versions.tz ?? "unknown"}`);
  console.log(moved.length ? `moved ${moved.length} item(s):` : "no future item moved: every instant matches its wall time");
  for (const entry of moved) {
    console.log(`  ${entry.meetingSlug} #${entry.itemId} "${entry.title}" ${entry.wallTime.replace("T", " ")} ${entry.timezone}: ${isoInstant(entry.from)} → ${isoInstant(entry.to!)}`);
  }
  if (stuck.length) console.log(`could not place ${stuck.length} item(s), left as they were for an organiser to fix:`);
  for (const entry of stuck) {
    console.log(`  ${entry.meetingSlug} #${entry.itemId} "${entry.title}" ${entry.wallTime.replace("T", " ")} ${entry.timezone}: ${entry.problem} (still ${isoInstant(entry.from)})`);
  }
} finally {
  await db.destroy();
  await embedded?.stop();
}
