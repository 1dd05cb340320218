/**
 * Query-plan evidence for the hot paths: the capability functions the routes use are called on a
 * Kysely instance whose `log` records every query they execute (the real SQL and parameters, never
 * a copy written here), then each read is run again under `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`
 * (three times, the fastest kept).
 * A sequential scan of a table of more than `SEQ_SCAN_ROWS` rows is flagged: on a hot path it is
 * what makes cost grow with the data.
 */
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { listAgendaItems } from "../app/agenda/agenda.server";
import { listCalendarAgendaItems } from "../app/agenda/agenda-calendar.server";
import { loadAgendaPage } from "../app/agenda/agenda-page.server";
import { findFeedOwner, personalFeedContent } from "../app/calendar/personal-feed.server";
import { loadMeetingList } from "../app/meetings/meeting-list.server";
import { loadMeetingPage } from "../app/meetings/meeting-page.server";
import { findPublicMeeting, listCalendarMeetings, listConsoleMeetings, meetingsLastChange } from "../app/meetings/meetings.server";
import { createPool } from "../db/connection.server";
import type { Database } from "../db/schema";

const SEQ_SCAN_ROWS = 1_000;
/** Each query is explained this many times and the fastest kept: one run on a busy machine can stall for tens of ms. */
const EXPLAIN_RUNS = 3;

type Explained = { Plan: Record<string, unknown>; "Planning Time": number; "Execution Time": number };

const totalMs = (explained: Explained) => explained["Planning Time"] + explained["Execution Time"];

async function fastestOf(runs: number, explain: () => Promise<Explained>): Promise<Explained> {
  let fastest: Explained | null = null;
  for (let i = 0; i < runs; i++) {
    const explained = await explain();
    if (!fastest || totalMs(explained) < totalMs(fastest)) fastest = explained;
  }
  return fastest!;
}

export interface QueryPlan {
  /** The step (route and capability) that ran it, and its number within the step. */
  step: string;
  sql: string;
  parameters: unknown[];
  planningMs: number;
  executionMs: number;
  /** Sequential scans of tables with more than SEQ_SCAN_ROWS rows: table, its rows, rows the scan returned. */
  seqScans: { table: string; tableRows: number; rowsReturned: number }[];
  plan: unknown;
}

interface CapturedQuery {
  step: string;
  sql: string;
  parameters: readonly unknown[];
}

export interface HotPathSubjects {
  /** A typical meeting (its page). */
  meetingSlug: string;
  /** The 300-item meeting (agenda and feed). */
  agendaSlug: string;
  feedToken: string;
  searchWord: string;
}

/**
 * Runs each hot path's capability functions against `url`, recording their queries by step. The
 * list and the meeting page load through the process-wide database (`database()`), so the logging
 * instance takes its place (the global slot `db/connection.server.ts` keeps it in) while they run.
 */
async function captureHotQueries(url: string, subjects: HotPathSubjects): Promise<CapturedQuery[]> {
  const captured: CapturedQuery[] = [];
  let step = "";
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: createPool(url, 2) }),
    log(event) {
      if (event.level === "query") captured.push({ step, sql: event.query.sql, parameters: event.query.parameters });
    },
  });
  const run = async (name: string, work: () => Promise<unknown>) => {
    step = name;
    await work();
  };
  const previous = globalThis.__meetingsDatabase;
  globalThis.__meetingsDatabase = db;
  try {
    const now = new Date();
    await run("/meetings: loadMeetingList", () => loadMeetingList(new Request("http://bench.invalid/meetings")));
    await run(`/meetings?q=${subjects.searchWord}: loadMeetingList`, () => loadMeetingList(new Request(`http://bench.invalid/meetings?q=${subjects.searchWord}`)));
    await run("/meetings/:slug: loadMeetingPage", () => loadMeetingPage(subjects.meetingSlug, now));
    await run("/api/v1/meetings/:slug: listAgendaItems", async () => {
      const meeting = await findPublicMeeting(db, subjects.meetingSlug);
      await listAgendaItems(db, meeting!.id);
    });
    await run("/meetings/:slug/agenda (300 items): loadAgendaPage", () => loadAgendaPage(db, subjects.agendaSlug, {}, null));
    await run("/meetings/:slug/calendar.ics (300 items): listCalendarAgendaItems", async () => {
      const meeting = await findPublicMeeting(db, subjects.agendaSlug);
      await listCalendarAgendaItems(db, [meeting!.id]);
    });
    await run("/calendar.ics: meetingsLastChange", () => meetingsLastChange(db));
    await run("/calendar.ics: listCalendarMeetings", () => listCalendarMeetings(db, { since: new Date(now.getTime() - 365 * 86_400_000) }));
    await run("/admin: listConsoleMeetings", () => listConsoleMeetings(db, { page: 1, pageSize: 50 }));
    await run("/feeds/:token/calendar.ics: findFeedOwner", async () => {
      const found = await findFeedOwner(db, subjects.feedToken);
      if (!found) throw new Error("the feed person's token is not found");
      step = "/feeds/:token/calendar.ics: personalFeedContent";
      await personalFeedContent(db, found.owner);
    });
  } finally {
    globalThis.__meetingsDatabase = previous;
    await db.destroy();
  }
  return captured;
}

function seqScans(node: Record<string, unknown>, tableRows: Map<string, number>, found: QueryPlan["seqScans"] = []): QueryPlan["seqScans"] {
  if (node["Node Type"] === "Seq Scan") {
    const table = String(node["Relation Name"]);
    const rows = tableRows.get(table) ?? 0;
    if (rows > SEQ_SCAN_ROWS) found.push({ table, tableRows: rows, rowsReturned: Number(node["Actual Rows"] ?? 0) });
  }
  for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) seqScans(child, tableRows, found);
  return found;
}

/** The hot paths' queries with their plans, as executed on the data set at `url`. */
export async function explainHotQueries(url: string, subjects: HotPathSubjects): Promise<QueryPlan[]> {
  const queries = await captureHotQueries(url, subjects);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: sizes } = await client.query<{ relname: string; rows: string }>(
      `select relname, greatest(reltuples, 0)::bigint as rows from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace`,
    );
    const tableRows = new Map(sizes.map((row) => [row.relname, Number(row.rows)]));
    const plans: QueryPlan[] = [];
    const perStep = new Map<string, number>();
    for (const query of queries) {
      // Only reads are run again: EXPLAIN ANALYZE executes the statement.
      if (!/^\s*(select|with)\b/i.test(query.sql)) continue;
      const n = (perStep.get(query.step) ?? 0) + 1;
      perStep.set(query.step, n);
      const explained = await fastestOf(EXPLAIN_RUNS, async () => {
        const { rows } = await client.query(`explain (analyze, buffers, format json) ${query.sql}`, query.parameters as unknown[]);
        return (rows[0]["QUERY PLAN"] as Explained[])[0]!;
      });
      plans.push({
        step: `${query.step} #${n}`,
        sql: query.sql,
        parameters: [...query.parameters],
        planningMs: explained["Planning Time"],
        executionMs: explained["Execution Time"],
        seqScans: seqScans(explained.Plan, tableRows),
        plan: explained,
      });
    }
    return plans;
  } finally {
    await client.end();
  }
}

export function printPlans(plans: QueryPlan[]): void {
  console.log("query plans (EXPLAIN ANALYZE of the hot paths' queries):");
  const width = Math.max(...plans.map((plan) => plan.step.length));
  for (const plan of plans) {
    const total = (plan.planningMs + plan.executionMs).toFixed(2).padStart(8);
    const flags = plan.seqScans.map((scan) => `SEQ SCAN ${scan.table} (${scan.tableRows} rows, ${scan.rowsReturned} returned)`).join("; ");
    console.log(`  ${plan.step.padEnd(width)}  ${total} ms  ${flags || "no seq scan on a large table"}`);
  }
  console.log("");
}
