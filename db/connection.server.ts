import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema";
import { configuredDatabaseUrl } from "./settings";

const DATE_OID = 1082;
const TIMESTAMP_OID = 1114;

/** Dates stay `YYYY-MM-DD` and wall-clock timestamps `YYYY-MM-DDTHH:mm`: a JS Date would shift them by the server's TZ. */
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === DATE_OID) return (value: string) => value;
    if (oid === TIMESTAMP_OID) return (value: string) => value.slice(0, 16).replace(" ", "T");
    return pg.types.getTypeParser(oid, format);
  },
};

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    types,
    // Also how long a request may queue for a free connection: in a registration burst the meeting's
    // lock serialises registrations and requests queue for seconds; failing them at 5 s lost them.
    connectionTimeoutMillis: 30_000,
    idleTimeoutMillis: 30_000,
    application_name: "meetings",
  });
  // An idle connection the server closes (restart, terminated backend) is dropped by the pool and
  // replaced on the next query; unheard, the pool's "error" event would crash the process.
  pool.on("error", (error) => console.error(`database: an idle connection was closed (${error.message})`));
  return pool;
}

export function createDatabase(connectionString: string, max?: number): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPool(connectionString, max) }) });
}

/** The URL in use: `DATABASE_URL`, or the embedded server's that `server.ts` started. */
export function databaseUrl(): string {
  const url = configuredDatabaseUrl() ?? process.env.EMBEDDED_DATABASE_URL;
  if (!url) throw new Error("No database: set DATABASE_URL, or start the app with `npm start` to use the embedded server.");
  return url;
}

/** True when the database is the embedded server (development and demo), not one an operator configured. */
export function usesEmbeddedDatabase(): boolean {
  return !configuredDatabaseUrl() && Boolean(process.env.EMBEDDED_DATABASE_URL);
}

declare global {
  // Shared by the server entry and the Remix build, which load this module separately.
  var __meetingsDatabase: Kysely<Database> | undefined;
}

/** The process-wide connection pool. */
export function database(): Kysely<Database> {
  globalThis.__meetingsDatabase ??= createDatabase(databaseUrl());
  return globalThis.__meetingsDatabase;
}

export async function closeDatabase(): Promise<void> {
  const db = globalThis.__meetingsDatabase;
  globalThis.__meetingsDatabase = undefined;
  await db?.destroy();
}
