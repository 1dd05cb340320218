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

/**
 * Statements the app runs again and again are prepared once per connection, so that PostgreSQL
 * plans them once rather than on every run: planning the private feed's query cost the database
 * 0.4 ms of CPU on every poll, four times its execution. As asyncpg and Npgsql do, a statement with
 * parameters is given a name from its third run, for at most 100 statement texts (so a connection
 * keeps at most 100 prepared statements); all others run unnamed, as before. Statements without
 * parameters are left alone: they may hold several commands, which a prepared statement cannot.
 */
const PREPARE_FROM_RUN = 3;
const MAX_PREPARED = 100;
/** Runs counted per text until it is named; cleared when it grows past this (texts made ad hoc). */
const MAX_COUNTED = 5_000;

const preparedNames = new Map<string, string>();
const runsBeforeNaming = new Map<string, number>();
/** Names are never given twice: a text renamed after a stale plan must not take a name another text holds. */
let namesGiven = 0;

function statementName(text: string): string | undefined {
  const name = preparedNames.get(text);
  if (name || preparedNames.size >= MAX_PREPARED) return name;
  const runs = (runsBeforeNaming.get(text) ?? 0) + 1;
  if (runs < PREPARE_FROM_RUN) {
    if (runsBeforeNaming.size >= MAX_COUNTED) runsBeforeNaming.clear();
    runsBeforeNaming.set(text, runs);
    return undefined;
  }
  runsBeforeNaming.delete(text);
  const named = `meetings_${++namesGiven}`;
  preparedNames.set(text, named);
  return named;
}

/**
 * A prepared statement whose result's columns a migration changed meanwhile (`npm run db:migrate`
 * while the app runs) is refused by PostgreSQL on every connection that prepared it: the statement
 * is run again unnamed, and its text earns a new name as before. The refusal comes before the
 * statement runs, so running it again is safe (in a transaction, which the refusal aborted, the
 * retry fails as the transaction would have).
 */
function isStalePlan(error: unknown): boolean {
  return error instanceof Error && (error as { code?: string }).code === "0A000" && /cached plan must not change result type/.test(error.message);
}

/** Kysely runs every statement as `query(text, values)`; a statement that has earned a name runs by it. */
function preparingStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  // Answered as `query` answers (a cursor passed in comes back at once); only a named run is awaited here.
  const prepared = (text: unknown, values?: unknown, ...rest: unknown[]) => {
    const name = typeof text === "string" && Array.isArray(values) && values.length > 0 && rest.length === 0 ? statementName(text) : undefined;
    if (!name) return query(text, values, ...rest);
    return (query({ name, text, values }) as Promise<unknown>).catch((error: unknown) => {
      if (!isStalePlan(error)) throw error;
      preparedNames.set(text as string, "");
      return query(text, values);
    });
  };
  Object.assign(client, { query: prepared });
}

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
  pool.on("connect", preparingStatements);
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
