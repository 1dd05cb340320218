/**
 * `npm run bench`: measures the production build on this machine, on loopback, in one bounded run.
 *
 * For the scale asked (`--scale N`, default 1; `--compare-scale` runs 1 and 10, each with its own
 * database and server):
 * 1. Starts an embedded PostgreSQL in a temporary folder, creates a `bench` database, migrates it,
 *    loads the demo data, and generates the data set (bench/data-set.ts: N × 1,000 meetings over ten
 *    years, 100,000 registrations, 30,000 agenda items, 10,000 documents) inside PostgreSQL,
 *    printing how long each table took; then the special fixtures (bench/fixtures.ts): a meeting
 *    with a 300-item agenda, the burst's meeting, a hybrid conference of 1,500 people with its
 *    organiser signed in, and a person with a private feed confirmed for 20 meetings with agendas
 *    (and 100 earlier ones, before the feeds' window of twelve months).
 * 2. Query plans: the hot paths' capability functions run on a Kysely that records their SQL, and
 *    each query is run again under EXPLAIN ANALYZE (bench/explain.ts); sequential scans of tables
 *    of more than 1,000 rows are flagged.
 * 3. Starts the app with `npm start`'s command (which builds first if the build is missing or older
 *    than the sources) against that database, on a free port, with rate limits off (RATE_LIMITS=off:
 *    the load comes from one address), and says so.
 * 4. For each GET route, with autocannon, after a short warm-up: throughput at `--connections`
 *    (saturation, default 32) in `--rounds` slices of `--slice` seconds (3 of 2), each between two
 *    slices of its bare baseline in the same server (`/_baseline/page` for pages,
 *    `/_baseline/resource` for feeds, API, downloads), and latency at `--latency-connections`
 *    (busy, not saturated, default 4) for `--duration` seconds; throughput as a ratio of its
 *    baseline (the median of the rounds, each against the baseline just before and after it), the
 *    route's target and whether it is met, and the server's memory after the route (VmRSS, and the peak so
 *    far, VmHWM: where the peak grows is the route that drives it).
 * 5. The registration burst: after a warm-up (a first burst of the same size into another meeting,
 *    checked and printed too), `--burst` (default 500) people POST the registration form of the
 *    burst meeting (`--capacity` places, default 100) at the same moment and each then reads the
 *    thank-you page the answer redirects to; checks that exactly `capacity` are confirmed, none
 *    lost, all thanked; prints registrations/s (POSTs answered), their p50 and p99, and whether
 *    every thank-you page arrived within 5 s.
 * 6. The server's peak memory (VmHWM).
 * `--only a,b` measures only the routes whose names contain one of these (and the baselines);
 * "burst" names the registration burst; `--profile <folder>` writes the server's CPU profile there. Then, unless `--no-startup`: cold and warm start-up of `npm start` (bench/startup.ts). With
 * `--compare-scale`, each GET route's p50 at scale 1 and 10 and their ratio. A table on stdout and
 * the same as JSON in bench/results/ (not committed).
 *
 * Targets missed are printed as MISS and do not fail the run; it exits 1 only when a check is
 * broken (an answer that is not 2xx, or 304 where asked; the burst's counts). Everything stops by
 * itself: each measurement is bounded in time or count, and a watchdog ends the run (servers and
 * databases included) after `--timeout` seconds (default 1,500, 3,600 with --compare-scale).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { type Kysely, sql } from "kysely";
import pg from "pg";
import { createDatabase } from "../db/connection.server";
import { loadDemoData } from "../db/demo-data";
import { type EmbeddedServer, freePort, startEmbeddedPostgres } from "../db/embedded";
import { migrateToLatest } from "../db/migrate";
import type { Database } from "../db/schema";
import { type BurstResult, type DatabaseBurstResult, databaseBurst, registrationBurst } from "./burst";
import { type DataSetSummary, SEARCH_WORD, createFeedPerson, generateDataSet, typicalMeetingSlug } from "./data-set";
import { type QueryPlan, explainHotQueries, printPlans } from "./explain";
import { createAttendanceData, createBurstMeeting, createFeedData } from "./fixtures";
import { type StartupResult, measureStartup, npmStartArguments } from "./startup";

interface Settings {
  scale: number;
  compareScale: boolean;
  startup: boolean;
  duration: number;
  /** Throughput is measured in this many slices of the route, each between two of its baseline. */
  rounds: number;
  /** Seconds per throughput slice. */
  slice: number;
  connections: number;
  latencyConnections: number;
  burst: number;
  capacity: number;
  timeout: number;
  /** Names (or parts of names) of the routes to measure, "burst" for the burst; empty: all. The baselines are always measured. */
  only: string[];
  /** A folder for the server's CPU profile (`--cpu-prof`), written when it stops; null: none. */
  profile: string | null;
}

type NumericSetting = "scale" | "duration" | "rounds" | "slice" | "connections" | "latencyConnections" | "burst" | "capacity" | "timeout";

function parseSettings(argv: string[]): Settings {
  const settings: Settings = { scale: 1, compareScale: false, startup: true, duration: 5, rounds: 3, slice: 2, connections: 32, latencyConnections: 4, burst: 500, capacity: 100, timeout: 0, only: [], profile: null };
  const names: Record<string, NumericSetting> = {
    "--scale": "scale",
    "--duration": "duration",
    "--rounds": "rounds",
    "--slice": "slice",
    "--connections": "connections",
    "--latency-connections": "latencyConnections",
    "--burst": "burst",
    "--capacity": "capacity",
    "--timeout": "timeout",
  };
  const flags = ["--compare-scale", "--no-startup", "--only", "--profile"];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split("=", 2);
    if (flag === "--compare-scale") settings.compareScale = true;
    else if (flag === "--no-startup") settings.startup = false;
    else if (flag === "--profile") settings.profile = path.resolve(inline ?? argv[++i] ?? "bench/profiles");
    else if (flag === "--only") settings.only = (inline ?? argv[++i] ?? "").split(",").map((name) => name.trim().toLowerCase()).filter(Boolean);
    else {
      const key = names[flag!];
      if (!key) throw new Error(`Unknown option ${argv[i]}. Options: ${[...Object.keys(names), ...flags].join(", ")}`);
      const value = Number(inline ?? argv[++i]);
      if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number`);
      settings[key] = value;
    }
  }
  if (settings.scale > 20) throw new Error("--scale is at most 20");
  if (settings.burst > 5_000) throw new Error("--burst is at most 5000");
  if (settings.duration > 60) throw new Error("--duration is at most 60 seconds");
  if (settings.slice > 60) throw new Error("--slice is at most 60 seconds");
  if (!Number.isInteger(settings.rounds) || settings.rounds > 9) throw new Error("--rounds is a whole number, at most 9");
  if (settings.capacity >= settings.burst) throw new Error("--capacity must be lower than --burst, so that some are waitlisted");
  settings.timeout ||= settings.compareScale ? 3_600 : 1_500;
  return settings;
}

const BENCH_SESSION_SECRET = "bench-session-secret-bench-session-secret";
/** The demo meeting with papers: the documents page, a PDF download and the zip are measured on it. */
const EXPERT_MEETING = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";
const COMPARED_SCALES = [1, 10];
/** What a route's throughput must reach, as a share of its baseline's. */
const TARGET_RATIO = { page: 0.3, resource: 0.4, notModified: 0.7 } as const;
const P99_TARGET_MS = 50;
const P50_GROWTH_TARGET = 1.5;
const BURST_TARGET = { withinMs: 5_000, perSecond: 300 };
const RSS_TARGET_MB = 300;
const STARTUP_TARGET_MS = { cold: 15_000, warm: 5_000 };

function log(line: string) {
  console.log(`bench: ${line}`);
}

/** Stops what is running (servers, databases, temporary folders); the watchdog and signals run them all. */
const cleanups = new Set<() => Promise<void>>();

async function cleanUpAll(): Promise<void> {
  for (const cleanup of [...cleanups].reverse()) {
    cleanups.delete(cleanup);
    await cleanup().catch((error) => console.error(`bench: cleaning up: ${error instanceof Error ? error.message : error}`));
  }
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The ETag a route answers now, to measure its 304 path. */
async function etagOf(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  const etag = response.headers.get("ETag");
  if (!response.ok || !etag) throw new Error(`${url}: ${response.status}, no ETag`);
  return etag;
}

async function waitForHealth(base: string, server: ChildProcess, stderr: () => string, limitMs: number) {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if (server.exitCode !== null) throw new Error(`the server stopped (exit ${server.exitCode}):\n${stderr()}`);
    try {
      const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server did not answer /healthz within ${limitMs / 1000} s:\n${stderr()}`);
}

/** How a route is judged: a page against the page baseline, a full resource or a 304 against the resource baseline. */
type RouteKind = "page" | "resource" | "notModified";

interface Target {
  name: string;
  route: string;
  /** null for the baselines themselves. */
  kind: RouteKind | null;
  /** Request headers: a session cookie, for an organiser's page. */
  headers?: Record<string, string>;
}

interface RouteResult {
  name: string;
  url: string;
  kind: RouteKind | null;
  baseline: "page" | "resource" | null;
  /** The median of its throughput slices. */
  requestsPerSecond: number;
  /** The median of the baseline's slices measured beside this route's, and each of them (requests/s). */
  baselineRequestsPerSecond: number | null;
  baselineSlices: number[];
  /** Bytes per answer, headers included (what autocannon read, over the answers it counted). */
  kbPerResponse: number;
  p50Ms: number;
  p99Ms: number;
  /** The median of `ratios`: each round's throughput against the baseline slices before and after it. */
  ratio: number | null;
  ratios: number[];
  targetRatio: number | null;
  /** Throughput and p99 targets both met (null for the baselines). */
  met: boolean | null;
  misses: string[];
  /** The server's resident memory right after this route (VmRSS), and its peak so far (VmHWM), MB. */
  rssMb: number | null;
  peakRssMb: number | null;
  requests: number;
  non2xx: number;
  errors: number;
  /** For a large resource: a constant of the same size from the baseline route, and this route's share of its throughput. */
  sameBytes: { requestsPerSecond: number; ratio: number } | null;
}

/**
 * A load's connections close when it ends, but the server still works through the requests they
 * left in flight (the slow routes leave seconds of them): wait until it answers a bare request
 * promptly again, so that one route's backlog is not charged to the next.
 */
async function settle(base: string): Promise<void> {
  const limit = Date.now() + 15_000;
  let prompt = 0;
  while (prompt < 3 && Date.now() < limit) {
    const started = performance.now();
    await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(10_000) }).then(
      (response) => response.arrayBuffer(),
      () => null,
    );
    prompt = performance.now() - started < 25 ? prompt + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * autocannon decodes every response body into a string for body checks this bench does not make.
 * On loopback that decoding, on the CPUs the server uses, had bounded every large answer, not the
 * server: a bare Node server answering 538 KB of UTF-8 text reached 543 requests/s (1,344 for
 * ASCII), and 9,200 with the bodies dropped. So each connection drops them (the bytes still arrive
 * and are counted).
 */
function dropBodies(client: autocannon.Client): void {
  const queue = (client as unknown as { pipelinedRequests?: { addBody?: unknown } }).pipelinedRequests;
  if (typeof queue?.addBody !== "function") throw new Error("autocannon no longer gathers bodies in pipelinedRequests.addBody: update dropBodies in bench/run.ts");
  queue.addBody = () => {};
}

async function load(url: string, connections: number, duration: number, headers: Record<string, string> = {}) {
  const result = await autocannon({ url, connections, duration, timeout: 10, headers, setupClient: dropBodies });
  await settle(new URL(url).origin);
  return result;
}

function count304(result: autocannon.Result): number {
  return (result as autocannon.Result & { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats?.["304"]?.count ?? 0;
}

/** Requests/s of one load. */
const rate = (result: autocannon.Result) => result.requests.total / result.duration;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Throughput at saturation in `--rounds` slices of `--slice` seconds, each slice of the route
 * between two slices of its baseline (B R B R B R B). This machine's speed drifts within a run (a
 * VM's neighbours): a baseline measured before and after all the routes differed by 40 %, and the
 * same unchanged 304 path measured 0.50 to 0.92 × in three runs. So each slice is judged against
 * the baseline measured just before and just after it, and the route's ratio is the median of its
 * rounds'. A baseline itself (no `baselineUrl`) is measured in as many slices, unpaired.
 */
async function pairedThroughput(url: string, baselineUrl: string | null, settings: Settings, headers: Record<string, string>) {
  const slices: autocannon.Result[] = [];
  const baselines: number[] = [];
  const ratios: number[] = [];
  const baselineSlice = async () => {
    if (baselineUrl) baselines.push(rate(await load(baselineUrl, settings.connections, settings.slice)));
  };
  await baselineSlice();
  for (let round = 0; round < settings.rounds; round++) {
    const slice = await load(url, settings.connections, settings.slice, headers);
    slices.push(slice);
    await baselineSlice();
    if (!baselineUrl) continue;
    const beside = (baselines[round]! + baselines[round + 1]!) / 2;
    // A baseline that answered nothing (a machine too busy) gives no ratio rather than Infinity.
    if (beside > 0) ratios.push(rate(slice) / beside);
  }
  return { slices, baselines, ratios };
}

/**
 * A warm-up (JIT, caches), throughput at saturation (paired with its baseline), then latency when
 * busy. The server's memory is read after it: where its peak grows is the route that drives it.
 */
async function measure(target: Target, base: string, settings: Settings, serverPid: number | undefined): Promise<RouteResult> {
  const { name, route, kind, headers = {} } = target;
  const url = `${base}${route}`;
  const baseline = kind === null ? null : kind === "page" ? "page" : "resource";
  await load(url, settings.connections, Math.min(2, settings.duration), headers);
  const throughput = await pairedThroughput(url, baseline && `${base}/_baseline/${baseline}`, settings, headers);
  const latency = await load(url, settings.latencyConnections, settings.duration, headers);
  const loads = [...throughput.slices, latency];
  const total = throughput.slices.reduce((sum, slice) => sum + slice.requests.total, 0);
  const bytes = throughput.slices.reduce((sum, slice) => sum + slice.throughput.total, 0);
  const conditional = kind === "notModified";
  const answered = loads.reduce((sum, result) => sum + result.requests.total, 0);
  return {
    name,
    url: conditional ? `${route} (304)` : route,
    kind,
    baseline,
    requestsPerSecond: Math.round(median(throughput.slices.map(rate))),
    baselineRequestsPerSecond: baseline ? Math.round(median(throughput.baselines)) : null,
    baselineSlices: throughput.baselines.map(Math.round),
    kbPerResponse: total > 0 ? Math.round(bytes / total / 102.4) / 10 : 0,
    p50Ms: latency.latency.p50,
    p99Ms: latency.latency.p99,
    ratio: throughput.ratios.length > 0 ? median(throughput.ratios) : null,
    ratios: throughput.ratios,
    targetRatio: kind === null ? null : TARGET_RATIO[kind],
    met: null,
    misses: [],
    rssMb: memoryMb(serverPid, "VmRSS"),
    peakRssMb: memoryMb(serverPid, "VmHWM"),
    sameBytes: null,
    requests: answered,
    // A 304 is the answer the conditional requests are after.
    non2xx: conditional ? answered - loads.reduce((sum, result) => sum + count304(result), 0) : loads.reduce((sum, result) => sum + result.non2xx, 0),
    errors: loads.reduce((sum, result) => sum + result.errors, 0),
  };
}

/** Resources at least this large are also measured against a constant of their size. */
const LARGE_ANSWER_KB = 64;

/**
 * A large answer's bytes cost their sending whatever makes them (on loopback, the load generator
 * reads them on the same CPUs): the baseline route answering a constant of the same size, at the
 * same load, shows what the machine allows for those bytes.
 */
async function measureSameBytes(route: RouteResult, base: string, settings: Settings): Promise<RouteResult["sameBytes"]> {
  const url = `${base}/_baseline/resource?bytes=${Math.round(route.kbPerResponse * 1024)}`;
  await load(url, settings.connections, Math.min(2, settings.duration));
  const constant = await load(url, settings.connections, settings.duration);
  const requestsPerSecond = Math.round(constant.requests.total / constant.duration);
  return { requestsPerSecond, ratio: requestsPerSecond > 0 ? route.requestsPerSecond / requestsPerSecond : 0 };
}

/** Each route's median ratio against its baseline, and the targets. */
function judge(routes: RouteResult[]): void {
  for (const route of routes) {
    if (route.baseline === null) continue;
    if (route.ratio === null || route.ratio < route.targetRatio!) route.misses.push(`throughput < ${route.targetRatio} × ${route.baseline} baseline`);
    if (!(route.p99Ms < P99_TARGET_MS)) route.misses.push(`p99 ≥ ${P99_TARGET_MS} ms`);
    // Failed answers are fast ones: the rates and latencies around them say nothing of the route.
    if (route.non2xx + route.errors > 0) route.misses.push(`${route.non2xx + route.errors} answers failed`);
    route.met = route.misses.length === 0;
  }
}

/** The server's resident memory now (VmRSS) or at its peak (VmHWM), in MB; null where /proc is not there. */
function memoryMb(pid: number | undefined, field: "VmRSS" | "VmHWM"): number | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

interface ScaleResult {
  scale: number;
  dataSet: DataSetSummary;
  serverStartMs: number;
  routes: RouteResult[];
  /**
   * Null when `--only` left it out. `first` is the server's first burst, into another meeting: the
   * warm-up of the measured one, as each GET route's is the same load for two seconds.
   */
  burst: (BurstResult & { withinTarget: boolean; rateTarget: boolean; first: BurstResult; databaseSide: DatabaseBurstResult | null }) | null;
  /** Memory before any request, and at its peak (VmHWM). */
  server: { idleRssMb: number | null; peakRssMb: number | null; rssTarget: boolean | null };
  plans: QueryPlan[];
  /** The server's last error output, when a check failed. */
  serverErrors: string;
}

/**
 * One scale: its own embedded PostgreSQL, data set and server, measured and then stopped. The
 * document store (`dataDir`) is the run's, shared by its scales: the app's store is a module-wide
 * singleton that keeps the folder it was first given.
 */
async function runScale(scale: number, settings: Settings, dataDir: string): Promise<ScaleResult> {
  const tempDir = mkdtempSync(path.join(os.tmpdir(), "meetings-bench-"));
  let embedded: EmbeddedServer | null = null;
  let server: ChildProcess | null = null;
  let db: Kysely<Database> | null = null;
  const cleanup = async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise<void>((resolve) => server!.once("exit", () => resolve()));
      server.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (server.exitCode === null) server.kill("SIGKILL");
    }
    await db?.destroy().catch(() => {});
    await embedded?.stop().catch(() => {});
    rmSync(tempDir, { recursive: true, force: true });
  };
  cleanups.add(cleanup);
  try {
    log(`scale ${scale}: starting an embedded PostgreSQL and loading the demo data`);
    let t = performance.now();
    embedded = await startEmbeddedPostgres(path.join(tempDir, "postgres"));
    const admin = new pg.Client({ connectionString: embedded.url("postgres") });
    await admin.connect();
    await admin.query(`create database "bench"`);
    // Room for the generation's writes without a checkpoint every few seconds (our own throw-away server).
    await admin.query(`alter system set max_wal_size = '4GB'`);
    await admin.query(`select pg_reload_conf()`);
    await admin.end();
    const url = databaseUrl(embedded.url("postgres"), "bench");
    db = createDatabase(url, 2);
    await migrateToLatest(db);
    // The demo papers go to the document store the server will read; the feed token and the
    // organiser's cookie are signed with the secret the server is started with.
    process.env.DATA_DIR = dataDir;
    process.env.SESSION_SECRET = BENCH_SESSION_SECRET;
    await loadDemoData(db);
    log(`scale ${scale}: demo data ready in ${((performance.now() - t) / 1000).toFixed(1)} s; generating the data set`);
    const dataSet = await generateDataSet(url, scale, log);
    log(
      `scale ${scale}: data set generated in ${dataSet.seconds} s: ${Object.entries(dataSet.rows)
        .map(([table, n]) => `${n} ${table}`)
        .join(", ")}; meetings' counts match their registrations: ${dataSet.countsMatch ? "yes" : "NO"}`,
    );
    t = performance.now();
    const burstMeeting = await createBurstMeeting(db, settings.capacity);
    const warmUpMeeting = await createBurstMeeting(db, settings.capacity, "warm-up");
    const databaseBurstMeeting = await createBurstMeeting(db, settings.capacity, "database-burst");
    const feedMeeting = await createFeedData(db);
    const conference = await createAttendanceData(db);
    const feedPerson = await createFeedPerson(db);
    const meetingSlug = await typicalMeetingSlug(db);
    log(`scale ${scale}: fixtures ready in ${((performance.now() - t) / 1000).toFixed(1)} s (feed person confirmed for ${feedPerson.meetings} meetings in the feeds' window and ${feedPerson.earlier} before it)`);
    t = performance.now();
    // The generation leaves every page of the new rows to be visited (hint bits, the visibility map)
    // and written back (a 740 MB database at scale 10): done now, a checkpoint due minutes later no
    // longer writes them in the middle of the measurements.
    await sql`vacuum (analyze)`.execute(db);
    await sql`checkpoint`.execute(db);
    log(`scale ${scale}: vacuumed and checkpointed in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const plans = await explainHotQueries(url, { meetingSlug, agendaSlug: feedMeeting.slug, feedToken: feedPerson.token, searchWord: SEARCH_WORD });

    t = performance.now();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let stderr = "";
    const profiling = settings.profile ? ["--cpu-prof", `--cpu-prof-dir=${settings.profile}`] : [];
    server = spawn(process.execPath, [...profiling, ...npmStartArguments()], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(port),
        APP_URL: base,
        DATABASE_URL: url,
        DATA_DIR: dataDir,
        SESSION_SECRET: BENCH_SESSION_SECRET,
        RESEND_API_KEY: "",
        DEV_MAILBOX: "",
        // One load generator on loopback is one network polling one feed and registering hundreds:
        // the limits would measure their own refusals, not the routes.
        RATE_LIMITS: "off",
      },
      // Its request log goes nowhere: reading it would cost the bench, not the server.
      stdio: ["ignore", "ignore", "pipe"],
    });
    server.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4_000);
    });
    log("starting the production server (it builds first if the build is missing or stale), with RATE_LIMITS=off: rate limits are off for this load");
    await waitForHealth(base, server, () => stderr, 240_000);
    const serverStartMs = Math.round(performance.now() - t);
    const idleRssMb = memoryMb(server.pid, "VmRSS");
    log(`server ready on ${base} in ${(serverStartMs / 1000).toFixed(1)} s (pid ${server.pid}, RSS ${idleRssMb ?? "?"} MB before any request)`);

    const paper = await db
      .selectFrom("documents")
      .innerJoin("meetings", "meetings.id", "documents.meeting_id")
      .select("documents.id")
      .where("meetings.slug", "=", EXPERT_MEETING)
      .where("documents.type", "=", "working_paper")
      .executeTakeFirstOrThrow();
    const download = `/meetings/${EXPERT_MEETING}/documents/${paper.id}?lang=en`;
    const meetingFeed = `/meetings/${feedMeeting.slug}/calendar.ics`;
    const personalFeed = `/feeds/${feedPerson.token}/calendar.ics`;
    const adminPages = `/admin/meetings/${conference.slug}`;
    const organiser = { Cookie: conference.cookie };
    const notModified = async (route: string) => ({ "If-None-Match": await etagOf(`${base}${route}`) });
    const targets: Target[] = [
      { name: "baseline page", route: "/_baseline/page", kind: null },
      { name: "baseline resource", route: "/_baseline/resource", kind: null },
      { name: "meetings list", route: "/meetings", kind: "page" },
      { name: "meetings search", route: `/meetings?q=${SEARCH_WORD}`, kind: "page" },
      { name: "meeting page", route: `/meetings/${meetingSlug}`, kind: "page" },
      // What everyone opens when a popular workshop opens registration: the burst's meeting's form.
      { name: "registration form", route: `/meetings/${burstMeeting.slug}/register`, kind: "page" },
      // Anonymous visitors' lists and meeting pages are kept rendered (app/meetings/kept-answers.server.ts),
      // and signed-in visitors' too, with their own header: their session is checked on each request.
      { name: "meetings list, signed in", route: "/meetings", kind: "page", headers: organiser },
      { name: "meetings search, signed in", route: `/meetings?q=${SEARCH_WORD}`, kind: "page", headers: organiser },
      { name: "meeting page, signed in", route: `/meetings/${meetingSlug}`, kind: "page", headers: organiser },
      { name: "agenda, 300 items", route: `/meetings/${feedMeeting.slug}/agenda`, kind: "page" },
      { name: "agenda, 300 items, ?tz=", route: `/meetings/${feedMeeting.slug}/agenda?tz=America/New_York`, kind: "page" },
      { name: "API meeting", route: `/api/v1/meetings/${meetingSlug}`, kind: "resource" },
      { name: "feed: 300-item meeting", route: meetingFeed, kind: "resource" },
      { name: "feed: 300-item meeting, 304", route: meetingFeed, kind: "notModified", headers: await notModified(meetingFeed) },
      { name: "feed: all meetings", route: "/calendar.ics", kind: "resource" },
      { name: "feed: all meetings, 304", route: "/calendar.ics", kind: "notModified", headers: await notModified("/calendar.ics") },
      { name: "feed: personal (20 meetings)", route: personalFeed, kind: "resource" },
      { name: "feed: personal, 304", route: personalFeed, kind: "notModified", headers: await notModified(personalFeed) },
      { name: "documents page", route: `/meetings/${EXPERT_MEETING}/documents`, kind: "page" },
      { name: "documents page, signed in", route: `/meetings/${EXPERT_MEETING}/documents`, kind: "page", headers: organiser },
      { name: "document download (PDF)", route: download, kind: "resource" },
      { name: "document download, 304", route: download, kind: "notModified", headers: await notModified(download) },
      { name: "documents zip", route: `/meetings/${EXPERT_MEETING}/documents.zip?lang=en`, kind: "resource" },
      // Every meeting, drafts included, fifty at a time: the administrator's home page.
      { name: "organisers' meetings list", route: "/admin", kind: "page", headers: organiser },
      { name: "check-in desk search", route: `${adminPages}/checkin?day=${conference.day}&q=nguyen`, kind: "page", headers: organiser },
      { name: "attendance report (1,500 people)", route: `${adminPages}/attendance`, kind: "page", headers: organiser },
      { name: "attendance register CSV", route: `${adminPages}/attendance.csv`, kind: "resource", headers: organiser },
    ];
    const wanted = (name: string) => settings.only.length === 0 || settings.only.some((part) => name.toLowerCase().includes(part));
    const routes: RouteResult[] = [];
    for (const target of targets.filter((target) => target.kind === null || wanted(target.name))) {
      log(`measuring ${target.name} (${target.route})`);
      const route = await measure(target, base, settings, server.pid);
      // Measured against a server that is gone, every later route would read as failed answers only.
      if (server.exitCode !== null || server.signalCode !== null) {
        throw new Error(`the server stopped (${server.signalCode ?? `exit ${server.exitCode}`}) while ${target.name} was measured; its last output:\n${stderr.trim() || "(none)"}`);
      }
      if (route.kind === "resource" && route.kbPerResponse >= LARGE_ANSWER_KB) {
        log(`measuring a constant of the same size (${route.kbPerResponse.toFixed(0)} KB)`);
        route.sameBytes = await measureSameBytes(route, base, settings);
      }
      routes.push(route);
    }
    judge(routes);

    let first: BurstResult | null = null;
    let burst: BurstResult | null = null;
    let databaseSide: DatabaseBurstResult | null = null;
    if (wanted("registration burst")) {
      log(`registration burst: a first burst of ${settings.burst} into /meetings/${warmUpMeeting.slug} (its warm-up), then ${settings.burst} POSTs at once to /meetings/${burstMeeting.slug}/register`);
      first = await registrationBurst(db, base, warmUpMeeting, settings);
      burst = await registrationBurst(db, base, burstMeeting, settings);
      log(`registration burst, the database's side alone: ${settings.burst} calls of register() at once`);
      databaseSide = await databaseBurst(url, databaseBurstMeeting, settings.burst);
    }
    const peakRssMb = memoryMb(server.pid, "VmHWM");
    return {
      scale,
      dataSet,
      serverStartMs,
      routes,
      // A rate or a time over answers that failed meets nothing.
      burst: burst && first && {
        ...burst,
        withinTarget: burst.checks.allAnswered && burst.thankedWithinMs <= BURST_TARGET.withinMs,
        rateTarget: burst.checks.allAnswered && burst.registrationsPerSecond >= BURST_TARGET.perSecond,
        first,
        databaseSide,
      },
      server: { idleRssMb, peakRssMb, rssTarget: peakRssMb === null ? null : peakRssMb < RSS_TARGET_MB },
      plans,
      serverErrors: stderr.trim().split("\n").slice(-15).join("\n"),
    };
  } finally {
    cleanups.delete(cleanup);
    await cleanup();
  }
}

function pad(text: string, width: number, right = false) {
  return right ? text.padStart(width) : text.padEnd(width);
}

function printRows(header: string[], rows: string[][], rightAligned: Set<number>) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => pad(cell, widths[i]!, rightAligned.has(i))).join("  ").trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}

const verdict = (value: boolean | null) => (value === null ? "unknown" : value ? "met" : "MISS");

function printBurst(burst: NonNullable<ScaleResult["burst"]>) {
  const ok = (value: boolean) => (value ? "yes" : "NO");
  console.log(`registration burst: ${burst.people} people at once into ${burst.capacity} places`);
  console.log(
    `  ${burst.registrationsPerSecond} registrations/s (aim ≥ ${BURST_TARGET.perSecond}: ${verdict(burst.rateTarget)}): every POST answered in ${burst.wallMs} ms, latency p50 ${burst.p50Ms} ms, p99 ${burst.p99Ms} ms; every thank-you page read within ${burst.thankedWithinMs} ms (target ≤ ${BURST_TARGET.withinMs} ms: ${verdict(burst.withinTarget)})`,
  );
  console.log(`  answers: ${Object.entries(burst.statuses).map(([status, n]) => `${n} × ${status}`).join(", ")}; ${burst.thanked} thanked`);
  console.log(`  rows ${burst.rows} (${burst.distinctEmails} distinct), confirmed ${burst.confirmed}, waitlisted ${burst.waitlisted}; meeting counts match rows: ${ok(burst.countsMatch)}`);
  console.log(`  exactly ${burst.capacity} confirmed: ${ok(burst.checks.exactlyCapacityConfirmed)}; none lost: ${ok(burst.checks.noneLost)}; all answered: ${ok(burst.checks.allAnswered)}`);
  if (burst.unexpected) console.log(`  first unexpected answer: ${burst.unexpected.status}: ${burst.unexpected.text}`);
  const { first } = burst;
  console.log(
    `  the server's first burst, its warm-up (into another meeting, ${first.capacity} places): ${first.registrationsPerSecond} registrations/s, p99 ${first.p99Ms} ms, every thank-you page within ${first.thankedWithinMs} ms; confirmed ${first.confirmed}, rows ${first.rows}, all answered: ${ok(first.checks.allAnswered)}`,
  );
  const side = burst.databaseSide;
  if (side) {
    console.log(
      `  the database's side alone (${side.people} calls of register() at once, a pool of 10): ${side.registrationsPerSecond} registrations/s; confirmed ${side.confirmed}, rows ${side.rows}`,
    );
  }
}

function printScale(result: ScaleResult, settings: Settings) {
  const { dataSet, routes, burst, server } = result;
  console.log("");
  console.log(
    `scale ${result.scale}: generated in ${dataSet.seconds} s (${Object.entries(dataSet.steps)
      .map(([step, s]) => `${step} ${s} s`)
      .join(", ")}); rows: ${Object.entries(dataSet.rows)
      .map(([table, n]) => `${table} ${n}`)
      .join(", ")}`,
  );
  console.log("");
  printPlans(result.plans);
  const header = [
    "route",
    "url",
    `req/s @${settings.connections}`,
    "baseline req/s",
    `p50 ms @${settings.latencyConnections}`,
    `p99 ms @${settings.latencyConnections}`,
    "KB",
    "× baseline",
    "rounds",
    "target",
    "",
    "RSS MB",
    "peak MB",
    "non-2xx",
  ];
  const rows = routes.map((r) => [
    r.name,
    r.url.length > 52 ? `${r.url.slice(0, 49)}...` : r.url,
    String(r.requestsPerSecond),
    String(r.baselineRequestsPerSecond ?? ""),
    r.p50Ms.toFixed(0),
    r.p99Ms.toFixed(0),
    r.kbPerResponse.toFixed(1),
    r.baseline === null ? "(baseline)" : r.ratio === null ? "n/a" : `${r.ratio.toFixed(2)} × ${r.baseline}`,
    r.ratios.length > 0 ? `${Math.min(...r.ratios).toFixed(2)}–${Math.max(...r.ratios).toFixed(2)}` : "",
    r.targetRatio === null ? "" : `≥ ${r.targetRatio}, p99 < ${P99_TARGET_MS}`,
    r.met === null ? "" : r.met ? "met" : `MISS (${r.misses.join(", ")})`,
    String(r.rssMb ?? "?"),
    String(r.peakRssMb ?? "?"),
    String(r.non2xx + r.errors),
  ]);
  printRows(header, rows, new Set([2, 3, 4, 5, 6, 11, 12, 13]));
  const spread = (kind: "page" | "resource") => {
    const slices = routes.filter((r) => r.baseline === kind).flatMap((r) => r.baselineSlices);
    return slices.length > 0 ? `${Math.min(...slices).toLocaleString("en")}–${Math.max(...slices).toLocaleString("en")}` : "not measured";
  };
  // With `--only burst`, no route was measured against a baseline.
  if (routes.some((r) => r.baseline !== null)) {
    console.log(
      `× baseline: the median of ${settings.rounds} rounds, each ${settings.slice} s of the route against the ${settings.slice} s of its baseline before and after it ("rounds": the lowest and highest); across the run the baselines' slices measured page ${spread("page")} and resource ${spread("resource")} requests/s`,
    );
  }
  const large = routes.filter((r) => r.sameBytes !== null);
  if (large.length > 0) {
    console.log("");
    console.log("large answers against a constant of the same size from the baseline route (what sending those bytes allows here):");
    printRows(
      ["route", "KB", "req/s", "constant req/s", "share of the constant's"],
      large.map((r) => [r.name, r.kbPerResponse.toFixed(1), String(r.requestsPerSecond), String(r.sameBytes!.requestsPerSecond), `${r.sameBytes!.ratio.toFixed(2)} ×`]),
      new Set([1, 2, 3, 4]),
    );
  }
  console.log("");
  if (burst) printBurst(burst);
  console.log(
    `server peak RSS (VmHWM): ${server.peakRssMb === null ? "unknown" : `${server.peakRssMb} MB`} (target < ${RSS_TARGET_MB} MB: ${verdict(server.rssTarget)}); before any request ${server.idleRssMb ?? "?"} MB`,
  );
  const missed = routes.filter((r) => r.met === false).map((r) => r.name);
  console.log(`targets: ${routes.filter((r) => r.met !== null).length - missed.length} routes met, ${missed.length} MISS${missed.length > 0 ? ` (${missed.join("; ")})` : ""}`);
  console.log("");
}

interface ScaleComparison {
  name: string;
  p50Ms: Record<string, number>;
  ratio: number | null;
  /** null for the baselines: their ratio shows how much the machine itself changed between the runs. */
  met: boolean | null;
}

/** Each GET route's p50 at scale 1 and 10. autocannon's latencies are whole milliseconds, so a growth within 1 ms counts as flat. */
function compareScales(small: ScaleResult, large: ScaleResult): ScaleComparison[] {
  return small.routes.map((route) => {
    const other = large.routes.find((r) => r.name === route.name)!;
    const ratio = route.p50Ms > 0 ? other.p50Ms / route.p50Ms : null;
    return {
      name: route.name,
      p50Ms: { [small.scale]: route.p50Ms, [large.scale]: other.p50Ms },
      ratio,
      met: route.kind === null ? null : other.p50Ms - route.p50Ms <= 1 || (ratio !== null && ratio <= P50_GROWTH_TARGET),
    };
  });
}

function printComparison(comparison: ScaleComparison[], small: ScaleResult, large: ScaleResult) {
  console.log(`p50 at scale ${small.scale} and ${large.scale} (target: within ${P50_GROWTH_TARGET} ×, or 1 ms, autocannon's resolution)`);
  console.log(`  generation: scale ${small.scale} ${small.dataSet.seconds} s, scale ${large.scale} ${large.dataSet.seconds} s`);
  printRows(
    ["route", `p50 ms @ scale ${small.scale}`, `p50 ms @ scale ${large.scale}`, "ratio", ""],
    comparison.map((c) => [c.name, String(c.p50Ms[small.scale]), String(c.p50Ms[large.scale]), c.ratio === null ? "n/a" : c.ratio.toFixed(2), c.met === null ? "(baseline)" : verdict(c.met)]),
    new Set([1, 2, 3]),
  );
  console.log("");
}

/** What makes the run fail: broken answers and the burst's correctness, not missed targets. */
function brokenChecks(result: ScaleResult): string[] {
  return [
    ...(result.dataSet.countsMatch ? [] : [`scale ${result.scale}: generated meetings' counts do not match their registrations`]),
    ...result.routes.filter((r) => r.non2xx + r.errors > 0).map((r) => `scale ${result.scale}: ${r.name}: ${r.non2xx} unexpected answers, ${r.errors} errors`),
    ...[result.burst, result.burst?.first].flatMap((burst, i) =>
      Object.entries(burst?.checks ?? {})
        .filter(([, passed]) => !passed)
        .map(([check]) => `scale ${result.scale}: ${i === 0 ? "burst" : "first burst"}: ${check}`),
    ),
    ...databaseSideBroken(result),
  ];
}

function databaseSideBroken(result: ScaleResult): string[] {
  const side = result.burst?.databaseSide;
  if (!side || (side.confirmed === result.burst!.capacity && side.rows === side.people)) return [];
  return [`scale ${result.scale}: the database's side of the burst: ${side.confirmed} confirmed of ${result.burst!.capacity} places, ${side.rows} rows for ${side.people} people`];
}

async function main(): Promise<number> {
  const settings = parseSettings(process.argv.slice(2));
  const watchdog = setTimeout(() => {
    console.error(`bench: stopped after ${settings.timeout} s (--timeout)`);
    void cleanUpAll().finally(() => process.exit(2));
  }, settings.timeout * 1000);
  watchdog.unref();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void cleanUpAll().finally(() => process.exit(130)));
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "meetings-bench-data-"));
  cleanups.add(async () => rmSync(dataDir, { recursive: true, force: true }));
  try {
    const results: ScaleResult[] = [];
    for (const scale of settings.compareScale ? COMPARED_SCALES : [settings.scale]) {
      const result = await runScale(scale, settings, dataDir);
      printScale(result, settings);
      results.push(result);
    }
    const comparison = settings.compareScale ? compareScales(results[0]!, results[1]!) : null;
    if (comparison) printComparison(comparison, results[0]!, results[1]!);

    let startup: (StartupResult & { coldTarget: boolean; warmTarget: boolean }) | null = null;
    if (settings.startup) {
      const measured = await measureStartup(log, (cleanup) => cleanups.add(cleanup));
      startup = { ...measured, coldTarget: measured.coldMs < STARTUP_TARGET_MS.cold, warmTarget: measured.warmMs < STARTUP_TARGET_MS.warm };
      console.log(`start-up (npm start, build present): cold ${(startup.coldMs / 1000).toFixed(1)} s (target < ${STARTUP_TARGET_MS.cold / 1000} s: ${verdict(startup.coldTarget)}), warm ${(startup.warmMs / 1000).toFixed(1)} s (target < ${STARTUP_TARGET_MS.warm / 1000} s: ${verdict(startup.warmTarget)})`);
      console.log("");
    }

    const date = new Date().toISOString();
    const output = {
      date,
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, memoryMb: Math.round(os.totalmem() / 2 ** 20), node: process.version, platform: `${os.platform()} ${os.release()}` },
      settings,
      targets: { ratio: TARGET_RATIO, p99Ms: P99_TARGET_MS, p50Growth: P50_GROWTH_TARGET, burst: BURST_TARGET, rssMb: RSS_TARGET_MB, startupMs: STARTUP_TARGET_MS },
      scales: results.map(({ serverErrors: _errors, ...result }) => result),
      comparison,
      startup,
    };
    const folder = path.resolve("bench/results");
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, `${date.slice(0, 19).replaceAll(":", "-")}${settings.compareScale ? "-compare-scale" : `-scale-${settings.scale}`}.json`);
    writeFileSync(file, JSON.stringify(output, null, 2) + "\n");
    log(`results written to ${path.relative(process.cwd(), file)}`);

    const failed = results.flatMap(brokenChecks);
    if (failed.length) {
      console.error(`bench: FAILED checks: ${failed.join("; ")}`);
      for (const result of results) if (result.serverErrors) console.error(`bench: scale ${result.scale}: the server's last error output:\n${result.serverErrors}`);
      return 1;
    }
    return 0;
  } finally {
    clearTimeout(watchdog);
    await cleanUpAll();
  }
}

main().then(
  (code) => process.exit(code),
  async (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    await cleanUpAll();
    process.exit(1);
  },
);
