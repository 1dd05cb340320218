import { AsyncLocalStorage } from "node:async_hooks";
import { Kysely, type LogEvent, PostgresDialect } from "kysely";
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

/** The longest any one SQL statement may run (lock waits included) before PostgreSQL cancels it. */
const STATEMENT_TIMEOUT_MS = 60_000;

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    types,
    // Also how long a request may queue for a free connection: in a registration burst the meeting's
    // lock serialises registrations and requests queue for seconds; failing them at 5 s lost them.
    connectionTimeoutMillis: 30_000,
    idleTimeoutMillis: 30_000,
    // No statement runs for ever: a request answers (503 when the database is at fault) within a bound.
    statement_timeout: STATEMENT_TIMEOUT_MS,
    // A connection whose server vanished without closing it is found out, not waited on.
    keepAlive: true,
    application_name: "meetings",
  });
  // An idle connection the server closes (restart, terminated backend) is dropped by the pool and
  // replaced on the next query; unheard, the pool's "error" event would crash the process.
  pool.on("error", (error) => console.error(`database: an idle connection was closed (${error.message})`));
  return pool;
}

/** The SQL statements run within one request (or one `countQueries` call), and their time in the database. */
export interface QueryTally {
  queries: number;
  milliseconds: number;
}

declare global {
  // One store for the server entry and the Remix build, which load this module separately.
  var __meetingsQueryTallies: AsyncLocalStorage<QueryTally> | undefined;
}

function queryTallies(): AsyncLocalStorage<QueryTally> {
  globalThis.__meetingsQueryTallies ??= new AsyncLocalStorage<QueryTally>();
  return globalThis.__meetingsQueryTallies;
}

/** Kysely reports every statement here, transactions' begin and commit included; outside a tally this is one lookup. */
function tallyQuery(event: LogEvent) {
  const tally = queryTallies().getStore();
  if (!tally) return;
  tally.queries += 1;
  tally.milliseconds += event.queryDurationMillis;
}

/** Runs `fn` so that the statements it causes, on any pool made by `createDatabase`, are added to `tally`. */
export function withQueryTally<T>(tally: QueryTally, fn: () => T): T {
  return queryTallies().run(tally, fn);
}

/** The tally of the request being answered, if its statements are being counted. */
export function currentQueryTally(): QueryTally | undefined {
  return queryTallies().getStore();
}

/** How many SQL statements `fn` runs (what `X-Query-Count` shows in development; tests use it to catch N+1). */
export async function countQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const tally: QueryTally = { queries: 0, milliseconds: 0 };
  const result = await withQueryTally(tally, fn);
  return { result, queries: tally.queries };
}

export function createDatabase(connectionString: string, max?: number): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPool(connectionString, max) }), log: tallyQuery });
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
