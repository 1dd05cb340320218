/** `npm run db:seed`: loads the demo data into DATABASE_URL's database (once; a second run does nothing). */
import { createDatabase } from "../db/connection.server";
import { loadDemoData } from "../db/demo-data";
import { migrateToLatest } from "../db/migrate";
import { configuredDatabaseUrl } from "../db/settings";

const url = configuredDatabaseUrl();
if (!url) {
  console.error("Set DATABASE_URL. (Without it, `npm start` loads the demo data into the embedded database itself.)");
  process.exit(1);
}
const db = createDatabase(url, 1);
try {
  await migrateToLatest(db);
  console.log((await loadDemoData(db)) ? "demo data loaded" : "demo data was already loaded: nothing changed");
} finally {
  await db.destroy();
}
