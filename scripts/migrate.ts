/** `npm run db:migrate`: brings DATABASE_URL's database up to date. */
import { createDatabase } from "../db/connection.server";
import { migrateToLatest } from "../db/migrate";
import { configuredDatabaseUrl } from "../db/settings";

const url = configuredDatabaseUrl();
if (!url) {
  console.error("Set DATABASE_URL. (Without it, `npm start` migrates the embedded database itself.)");
  process.exit(1);
}
const db = createDatabase(url, 1);
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "up to date");
} finally {
  await db.destroy();
}
