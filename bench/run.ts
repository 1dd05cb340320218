/**
 * `npm run bench`: measures the production build on this machine, on loopback, in one bounded run.
 *
 * 1. Starts an embedded PostgreSQL in a temporary folder, creates a `bench` database, migrates it and
 *    loads the demo data, plus one open meeting with a capacity for the registration burst.
 * 2. Starts the app as `npm start` does (`node --import tsx server.ts`, which builds first if the
 *    build is missing or older than the sources) against that database, on a free port.
 * 3. For each GET route, with autocannon: throughput at `--connections` (saturation, default 32)
 *    and latency at `--latency-connections` (busy, not saturated, default 4), each for
 *    `--duration` seconds; throughput is also given as a ratio of its bare baseline in the same
 *    server (`/_baseline/page` for pages, `/_baseline/resource` for the API and feeds). The feeds
 *    are measured on 1,200 extra meetings and a 300-item agenda, for a full render and for the
 *    304 answer to a client that already has the current version.
 *    Attendance is measured on a hybrid conference of 1,500 people (see createAttendanceData), as
 *    its organiser: the check-in desk's search, the attendance report and the register's CSV.
 * 4. The registration burst: `--burst` (default 500) people POST the registration form of the
 *    burst meeting (`--capacity` places, default 100) at the same moment; checks that exactly
 *    `capacity` are confirmed, none lost, all answered; prints registrations/s, p50 and p99.
 * 5. The server's peak memory (VmHWM), a table on stdout, and the same as JSON in bench/results/.
 *
 * Everything stops by itself: each measurement is bounded in time or count, and a watchdog ends
 * the run (server and database included) after `--timeout` seconds (default 600).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import type { Insertable, Kysely } from "kysely";
import { DateTime } from "luxon";
import pg from "pg";
import { startSession } from "../app/accounts/session.server";
import { createDatabase } from "../db/connection.server";
import { loadDemoData } from "../db/demo-data";
import { type EmbeddedServer, freePort, startEmbeddedPostgres } from "../db/embedded";
import { migrateToLatest } from "../db/migrate";
import type { Database, MeetingTable } from "../db/schema";

interface Settings {
  duration: number;
  connections: number;
  latencyConnections: number;
  burst: number;
  capacity: number;
  timeout: number;
}

function parseSettings(argv: string[]): Settings {
  const settings: Settings = { duration: 5, connections: 32, latencyConnections: 4, burst: 500, capacity: 100, timeout: 600 };
  const names: Record<string, keyof Settings> = {
    "--duration": "duration",
    "--connections": "connections",
    "--latency-connections": "latencyConnections",
    "--burst": "burst",
    "--capacity": "capacity",
    "--timeout": "timeout",
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split("=", 2);
    const key = names[flag!];
    if (!key) throw new Error(`Unknown option ${argv[i]}. Options: ${Object.keys(names).join(", ")}`);
    const value = Number(inline ?? argv[++i]);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number`);
    settings[key] = value;
  }
  if (settings.burst > 5_000) throw new Error("--burst is at most 5000");
  if (settings.duration > 60) throw new Error("--duration is at most 60 seconds");
  if (settings.capacity >= settings.burst) throw new Error("--capacity must be lower than --burst, so that some are waitlisted");
  return settings;
}

const BENCH_SESSION_SECRET = "bench-session-secret-bench-session-secret";
const WORKSHOP = "regional-workshop-on-rural-connectivity-and-community-networks";
/** The demo meeting with papers: the documents page, a PDF download and the zip are measured on it. */
const EXPERT_MEETING = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";

function log(line: string) {
  console.log(`bench: ${line}`);
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A published in-person meeting in Bangkok on the given days; `overrides` replace columns. */
function benchMeeting(slug: string, title: string, startsOn: string, endsOn: string, overrides: Partial<Insertable<MeetingTable>> = {}): Insertable<MeetingTable> {
  const zone = "Asia/Bangkok";
  return {
    slug,
    title,
    summary: "Created by `npm run bench`.",
    description: null,
    organising_body: "ESCAP",
    kind: "workshop",
    mode: "in_person",
    status: "published",
    timezone: zone,
    starts_on: startsOn,
    ends_on: endsOn,
    starts_at: DateTime.fromISO(startsOn, { zone }).toJSDate(),
    ends_at: DateTime.fromISO(endsOn, { zone }).plus({ days: 1 }).toJSDate(),
    programme_id: null,
    venue_name: "United Nations Conference Centre",
    venue_address: null,
    venue_city: "Bangkok",
    venue_country: "TH",
    online_url: null,
    contact_email: null,
    registration_policy: "open",
    registration_opens_local: null,
    registration_opens_at: null,
    registration_closes_local: null,
    registration_closes_at: null,
    capacity: null,
    published_at: new Date(),
    cancelled_at: null,
    created_by: null,
    updated_by: null,
    ...overrides,
  };
}

function dayFromNow(days: number): string {
  return DateTime.now().setZone("Asia/Bangkok").plus({ days }).toISODate() ?? "";
}

/** The burst's meeting: open registration, a capacity, published, a month from now. */
async function createBurstMeeting(db: Kysely<Database>, capacity: number): Promise<{ id: number; slug: string }> {
  const opens = DateTime.now().setZone("Asia/Bangkok").minus({ days: 1 }).startOf("minute");
  const row = benchMeeting(`bench-registration-burst-${Date.now()}`, "Bench: Regional Workshop with a Registration Burst", dayFromNow(30), dayFromNow(31), {
    registration_opens_local: opens.toFormat("yyyy-MM-dd'T'HH:mm"),
    registration_opens_at: opens.toJSDate(),
    capacity,
  });
  return db.insertInto("meetings").values(row).returning(["id", "slug"]).executeTakeFirstOrThrow();
}

const KINDS = ["workshop", "webinar", "expert_group_meeting", "ministerial_conference"] as const;
const FEED_ITEMS = 300;

/**
 * What calendar feeds are measured on: 1,200 meetings from a year ago to two years ahead (the
 * all-meetings feed holds those of the last 12 months and after), and one three-day meeting with
 * 300 agenda items in two rooms, each with two people.
 */
async function createFeedData(db: Kysely<Database>): Promise<{ slug: string }> {
  for (let batch = 0; batch < 6; batch++) {
    const rows = Array.from({ length: 200 }, (_, i) => {
      const n = batch * 200 + i;
      const first = -365 + n;
      return benchMeeting(`bench-meeting-${n}`, `Bench meeting ${n}: regional consultation on digital connectivity`, dayFromNow(first), dayFromNow(first + (n % 3)), {
        kind: KINDS[n % KINDS.length],
      });
    });
    await db.insertInto("meetings").values(rows).execute();
  }
  const meeting = await db
    .insertInto("meetings")
    .values(benchMeeting("bench-feed-300-items", "Bench: Ministerial Conference with a 300-item agenda", dayFromNow(40), dayFromNow(42)))
    .returning(["id", "slug", "timezone", "starts_on"])
    .executeTakeFirstOrThrow();
  const rooms = await db
    .insertInto("meeting_rooms")
    .values([{ meeting_id: meeting.id, name: "Plenary Hall" }, { meeting_id: meeting.id, name: "Room 103", position: 1 }])
    .returning("id")
    .execute();
  const items = Array.from({ length: FEED_ITEMS }, (_, n) => {
    const day = DateTime.fromISO(meeting.starts_on, { zone: meeting.timezone }).plus({ days: Math.floor(n / 100) });
    const start = day.set({ hour: 8, minute: 0 }).plus({ minutes: 5 * Math.floor((n % 100) / 2) });
    const end = start.plus({ minutes: 5 });
    const wall = (at: DateTime) => at.toFormat("yyyy-MM-dd'T'HH:mm");
    return {
      meeting_id: meeting.id,
      title: `Session ${n + 1}: broadband for rural areas`,
      kind: "session" as const,
      description: "Presentations and discussion; outcome to the rapporteur.",
      room_id: rooms[n % 2]!.id,
      starts_local: wall(start),
      ends_local: wall(end),
      starts_at: start.toJSDate(),
      ends_at: end.toJSDate(),
    };
  });
  const inserted = await db.insertInto("agenda_items").values(items).returning("id").execute();
  await db
    .insertInto("agenda_item_people")
    .values(
      inserted.flatMap(({ id }) => [
        { item_id: id, position: 0, name: "Ms Dechen Wangmo", role: "chair" as const, affiliation: "Ministry of Information and Communications, Bhutan" },
        { item_id: id, position: 1, name: "Mr Arjun Mehta", role: "speaker" as const, affiliation: "ITU" },
      ]),
    )
    .execute();
  await db.updateTable("meetings").set({ agenda_updated_at: new Date() }).where("id", "=", meeting.id).execute();
  return { slug: meeting.slug };
}

const CONFERENCE_PEOPLE = 1_500;

/**
 * What attendance is measured on: a hybrid two-day conference that ended last week, with 1,500
 * confirmed participants, a third checked in at the door each day and the others read from a
 * webinar report (about 4,000 stretches online, rejoins included), four sessions a day; and an
 * organiser signed in, whose session cookie the console's pages are requested with.
 */
async function createAttendanceData(db: Kysely<Database>): Promise<{ slug: string; day: string; cookie: string }> {
  const days = [dayFromNow(-8), dayFromNow(-7)];
  const meeting = await db
    .insertInto("meetings")
    .values(benchMeeting("bench-hybrid-conference", "Bench: Hybrid Conference with 1,500 participants", days[0]!, days[1]!, { mode: "hybrid", online_url: "https://example.org/webinar" }))
    .returning(["id", "slug", "timezone"])
    .executeTakeFirstOrThrow();
  const wall = (day: string, time: string) => `${day}T${time}`;
  const at = (local: string) => DateTime.fromISO(local, { zone: meeting.timezone }).toJSDate();
  const sessions = days.flatMap((day) =>
    ["09:00-10:30", "11:00-12:30", "14:00-15:30", "16:00-17:30"].map((span, n) => {
      const [start, end] = span.split("-") as [string, string];
      return { meeting_id: meeting.id, title: `Day session ${n + 1}`, kind: "session" as const, starts_local: wall(day, start), ends_local: wall(day, end), starts_at: at(wall(day, start)), ends_at: at(wall(day, end)) };
    }),
  );
  await db.insertInto("agenda_items").values(sessions).execute();
  const countries = ["TH", "VN", "IN", "JP", "FJ", "BD", "PH", "ID", "MN", "KZ"];
  const people = await db
    .insertInto("registrations")
    .values(
      Array.from({ length: CONFERENCE_PEOPLE }, (_, n) => ({
        meeting_id: meeting.id,
        email: `participant-${n}@example.org`,
        first_name: n % 7 === 0 ? "Thi Hong" : `Person ${n}`,
        last_name: n % 7 === 0 ? `Nguyen ${n}` : `Wang ${n}`,
        organisation: `Ministry ${n % 40}`,
        country: countries[n % countries.length]!,
        gender: n % 2 === 0 ? ("female" as const) : ("male" as const),
        category: n % 3 === 0 ? ("expert" as const) : ("government" as const),
        attendance_mode: n % 3 === 0 ? ("in_person" as const) : ("online" as const),
        status: "confirmed" as const,
        manage_token_hash: Buffer.from(`bench-${n}`.padEnd(32, "-")),
        consent_at: new Date(),
      })),
    )
    .returning(["id", "attendance_mode"])
    .execute();
  const inPerson = people.filter((p) => p.attendance_mode === "in_person");
  await db
    .insertInto("check_ins")
    .values(days.flatMap((day) => inPerson.map((p) => ({ meeting_id: meeting.id, registration_id: p.id, day, mode: "in_person" as const, method: "badge" as const }))))
    .execute();
  const report = await db
    .insertInto("attendance_imports")
    .values({ meeting_id: meeting.id, platform: "zoom", file_name: "participants.csv", content_sha256: Buffer.alloc(32), timezone: meeting.timezone, row_count: 0, new_session_count: 0 })
    .returning("id")
    .executeTakeFirstOrThrow();
  const online = people.filter((p) => p.attendance_mode === "online");
  const stretches = days.flatMap((day) =>
    online.flatMap((p, n) => {
      const joined = at(wall(day, "08:55"));
      const left = at(wall(day, n % 4 === 0 ? "10:10" : "17:30"));
      const rejoin = n % 3 === 0 ? [{ joined_at: at(wall(day, "13:55")), left_at: at(wall(day, "15:00")) }] : [];
      return [{ joined_at: joined, left_at: left }, ...rejoin].map((stretch) => ({ ...stretch, meeting_id: meeting.id, import_id: report.id, registration_id: p.id, name: `Person ${p.id}`, email: `participant-${p.id}@example.org`, line: 2 }));
    }),
  );
  for (let i = 0; i < stretches.length; i += 1_000) await db.insertInto("online_sessions").values(stretches.slice(i, i + 1_000)).execute();
  const organiser = await db.insertInto("users").values({ email: "bench-organiser@example.org", role: "organiser" }).returning("id").executeTakeFirstOrThrow();
  const cookie = (await startSession(db, organiser.id)).split(";")[0]!;
  return { slug: meeting.slug, day: days[0]!, cookie };
}

/** The ETag a route answers now, to measure its 304 path. */
async function etagOf(url: string): Promise<string> {
  const response = await fetch(url);
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

interface RouteResult {
  name: string;
  url: string;
  baseline: string | null;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  ratio: number | null;
  requests: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, connections: number, duration: number, headers: Record<string, string> = {}) {
  return autocannon({ url, connections, duration, timeout: 10, headers });
}

/** Throughput at saturation, then latency when busy; each bounded by `duration`. */
async function measure(target: Target, base: string, settings: Settings): Promise<RouteResult> {
  const { name, route, baseline, headers } = target;
  const url = `${base}${route}`;
  const throughput = await load(url, settings.connections, settings.duration, headers);
  const latency = await load(url, settings.latencyConnections, settings.duration, headers);
  const total = throughput.requests.total;
  const conditional = headers?.["If-None-Match"] !== undefined;
  return {
    name,
    url: conditional ? `${route} (304)` : route,
    baseline,
    requestsPerSecond: Math.round(total / throughput.duration),
    p50Ms: latency.latency.p50,
    p99Ms: latency.latency.p99,
    ratio: null,
    requests: total + latency.requests.total,
    // A 304 is the answer the conditional requests are after.
    non2xx: conditional ? throughput.requests.total + latency.requests.total - count304(throughput) - count304(latency) : throughput.non2xx + latency.non2xx,
    errors: throughput.errors + latency.errors,
  };
}

interface Target {
  name: string;
  route: string;
  baseline: "page" | "resource" | null;
  /** Request headers: conditional ones measure the route's 304 path; a session cookie, an organiser's page. */
  headers?: Record<string, string>;
}

function count304(result: autocannon.Result): number {
  return (result as autocannon.Result & { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats?.["304"]?.count ?? 0;
}

interface BurstResult {
  people: number;
  capacity: number;
  wallMs: number;
  registrationsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  answered: number;
  thanked: number;
  statuses: Record<string, number>;
  rows: number;
  distinctEmails: number;
  confirmed: number;
  waitlisted: number;
  countsMatch: boolean;
  /** The first answer that was not a thank-you, to see what went wrong. */
  unexpected: { status: number; text: string } | null;
  checks: { exactlyCapacityConfirmed: boolean; noneLost: boolean; allAnswered: boolean };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function postForm(agent: http.Agent, url: URL, body: string): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const request = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - started }));
        response.on("error", () => resolve({ status: 0, body: "", ms: performance.now() - started }));
      },
    );
    request.setTimeout(30_000, () => request.destroy(new Error("timeout")));
    request.on("error", () => resolve({ status: 0, body: "", ms: performance.now() - started }));
    request.end(body);
  });
}

/** `people` distinct people submit the registration form at the same moment. */
async function registrationBurst(db: Kysely<Database>, base: string, meeting: { id: number; slug: string }, settings: Settings): Promise<BurstResult> {
  const people = settings.burst;
  const url = new URL(`${base}/meetings/${meeting.slug}/register`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: people });
  const bodies = Array.from({ length: people }, (_, i) =>
    new URLSearchParams({
      email: `burst-${i}@bench.example.org`,
      salutation: i % 2 ? "Ms" : "Mr",
      firstName: `Person${i}`,
      lastName: "Bench",
      organisation: "Ministry of ICT",
      jobTitle: "Director",
      country: ["TH", "IN", "JP", "FJ", "KR"][i % 5]!,
      gender: i % 2 ? "female" : "male",
      category: "government",
      timezone: "Asia/Bangkok",
      consent: "yes",
    }).toString(),
  );
  const started = performance.now();
  const answers = await Promise.all(bodies.map((body) => postForm(agent, url, body)));
  const wallMs = performance.now() - started;
  agent.destroy();

  const latencies = answers.map((a) => a.ms).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const answer of answers) statuses[answer.status || "no answer"] = (statuses[answer.status || "no answer"] ?? 0) + 1;
  const rows = await db.selectFrom("registrations").select(["email", "status"]).where("meeting_id", "=", meeting.id).execute();
  const counts = await db
    .selectFrom("meetings")
    .select(["confirmed_count", "waitlisted_count", "pending_count"])
    .where("id", "=", meeting.id)
    .executeTakeFirstOrThrow();
  const confirmed = rows.filter((r) => r.status === "confirmed").length;
  const waitlisted = rows.filter((r) => r.status === "waitlisted").length;
  const thanked = answers.filter((a) => a.status === 200 && a.body.includes("Thank you for registering")).length;
  const distinctEmails = new Set(rows.map((r) => r.email)).size;
  const odd = answers.find((a) => !(a.status === 200 && a.body.includes("Thank you for registering")));
  const unexpected = odd
    ? { status: odd.status, text: (/<main[\s\S]*<\/main>/.exec(odd.body)?.[0] ?? odd.body).replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim().slice(0, 300) }
    : null;
  return {
    people,
    capacity: settings.capacity,
    wallMs: Math.round(wallMs),
    registrationsPerSecond: Math.round((people / wallMs) * 1000),
    p50Ms: Math.round(percentile(latencies, 50)),
    p99Ms: Math.round(percentile(latencies, 99)),
    maxMs: Math.round(latencies.at(-1) ?? Number.NaN),
    answered: answers.filter((a) => a.status !== 0).length,
    thanked,
    statuses,
    rows: rows.length,
    distinctEmails,
    confirmed,
    waitlisted,
    unexpected,
    countsMatch: counts.confirmed_count === confirmed && counts.waitlisted_count === waitlisted && counts.pending_count === 0,
    checks: {
      exactlyCapacityConfirmed: confirmed === settings.capacity && counts.confirmed_count === settings.capacity,
      noneLost: rows.length === people && distinctEmails === people && confirmed + waitlisted === people,
      allAnswered: thanked === people,
    },
  };
}

/** The server's peak resident memory so far (VmHWM), in MB; null where /proc is not there. */
function peakRssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

function pad(text: string, width: number, right = false) {
  return right ? text.padStart(width) : text.padEnd(width);
}

function printTable(routes: RouteResult[], burst: BurstResult, settings: Settings, rssMb: number | null) {
  const header = ["route", "url", `req/s @${settings.connections}`, `p50 ms @${settings.latencyConnections}`, `p99 ms @${settings.latencyConnections}`, "× baseline", "non-2xx"];
  const rows = routes.map((r) => [
    r.name,
    r.url.length > 48 ? `${r.url.slice(0, 45)}...` : r.url,
    String(r.requestsPerSecond),
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    r.baseline === null ? "(baseline)" : r.ratio === null ? "n/a" : `${r.ratio.toFixed(2)} × ${r.baseline}`,
    String(r.non2xx + r.errors),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => pad(cell, widths[i]!, i >= 2 && i <= 4)).join("  ");
  console.log("");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
  console.log("");
  const ok = (value: boolean) => (value ? "yes" : "NO");
  console.log(`registration burst: ${burst.people} people at once into ${burst.capacity} places`);
  console.log(`  ${burst.registrationsPerSecond} registrations/s (all answered in ${burst.wallMs} ms); latency p50 ${burst.p50Ms} ms, p99 ${burst.p99Ms} ms, max ${burst.maxMs} ms`);
  console.log(`  answers: ${Object.entries(burst.statuses).map(([status, n]) => `${n} × ${status}`).join(", ")}; ${burst.thanked} thanked`);
  console.log(`  rows ${burst.rows} (${burst.distinctEmails} distinct), confirmed ${burst.confirmed}, waitlisted ${burst.waitlisted}; meeting counts match rows: ${ok(burst.countsMatch)}`);
  console.log(
    `  exactly ${burst.capacity} confirmed: ${ok(burst.checks.exactlyCapacityConfirmed)}; none lost: ${ok(burst.checks.noneLost)}; all answered: ${ok(burst.checks.allAnswered)}`,
  );
  if (burst.unexpected) console.log(`  first unexpected answer: ${burst.unexpected.status}: ${burst.unexpected.text}`);
  console.log(`server peak RSS (VmHWM): ${rssMb === null ? "unknown" : `${rssMb} MB`}`);
  console.log("");
}

async function main(): Promise<number> {
  const settings = parseSettings(process.argv.slice(2));
  const tempDir = mkdtempSync(path.join(os.tmpdir(), "meetings-bench-"));
  let embedded: EmbeddedServer | null = null;
  let server: ChildProcess | null = null;
  let db: Kysely<Database> | null = null;
  let stopping = false;

  const cleanup = async () => {
    if (stopping) return;
    stopping = true;
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
  const watchdog = setTimeout(() => {
    console.error(`bench: stopped after ${settings.timeout} s (--timeout)`);
    void cleanup().finally(() => process.exit(2));
  }, settings.timeout * 1000);
  watchdog.unref();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  }

  try {
    let t = performance.now();
    embedded = await startEmbeddedPostgres(path.join(tempDir, "postgres"));
    const admin = new pg.Client({ connectionString: embedded.url("postgres") });
    await admin.connect();
    await admin.query(`create database "bench"`);
    await admin.end();
    const url = databaseUrl(embedded.url("postgres"), "bench");
    db = createDatabase(url, 2);
    await migrateToLatest(db);
    // The demo papers go to the document store the server will read.
    process.env.DATA_DIR = path.join(tempDir, "data");
    await loadDemoData(db);
    const burstMeeting = await createBurstMeeting(db, settings.capacity);
    const feedMeeting = await createFeedData(db);
    // The server is started with this secret too, so the organiser's session cookie signed here is valid there.
    process.env.SESSION_SECRET = BENCH_SESSION_SECRET;
    const conference = await createAttendanceData(db);
    log(`embedded PostgreSQL with the demo data ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    t = performance.now();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let stderr = "";
    server = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(port),
        APP_URL: base,
        DATABASE_URL: url,
        DATA_DIR: path.join(tempDir, "data"),
        SESSION_SECRET: BENCH_SESSION_SECRET,
        RESEND_API_KEY: "",
        DEV_MAILBOX: "",
      },
      // Its request log goes nowhere: reading it would cost the bench, not the server.
      stdio: ["ignore", "ignore", "pipe"],
    });
    server.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4_000);
    });
    log("starting the production server (it builds first if the build is missing or stale)");
    await waitForHealth(base, server, () => stderr, 240_000);
    log(`server ready on ${base} in ${((performance.now() - t) / 1000).toFixed(1)} s (pid ${server.pid})`);

    const meetingFeed = `/meetings/${feedMeeting.slug}/calendar.ics`;
    const paper = await db
      .selectFrom("documents")
      .innerJoin("meetings", "meetings.id", "documents.meeting_id")
      .select("documents.id")
      .where("meetings.slug", "=", EXPERT_MEETING)
      .where("documents.type", "=", "working_paper")
      .executeTakeFirstOrThrow();
    const download = `/meetings/${EXPERT_MEETING}/documents/${paper.id}?lang=en`;
    const adminPages = `/admin/meetings/${conference.slug}`;
    const organiser = { Cookie: conference.cookie };
    const targets: Target[] = [
      { name: "baseline page", route: "/_baseline/page", baseline: null },
      { name: "baseline resource", route: "/_baseline/resource", baseline: null },
      { name: "meetings list", route: "/meetings", baseline: "page" },
      { name: "meeting page", route: `/meetings/${WORKSHOP}`, baseline: "page" },
      { name: "API meeting", route: `/api/v1/meetings/${WORKSHOP}`, baseline: "resource" },
      { name: "feed: 300-item meeting", route: meetingFeed, baseline: "resource" },
      { name: "feed: 300-item meeting, 304", route: meetingFeed, baseline: "resource", headers: { "If-None-Match": await etagOf(`${base}${meetingFeed}`) } },
      { name: "feed: all meetings", route: "/calendar.ics", baseline: "resource" },
      { name: "feed: all meetings, 304", route: "/calendar.ics", baseline: "resource", headers: { "If-None-Match": await etagOf(`${base}/calendar.ics`) } },
      { name: "documents page", route: `/meetings/${EXPERT_MEETING}/documents`, baseline: "page" },
      { name: "document download (PDF)", route: download, baseline: "resource" },
      { name: "document download, 304", route: download, baseline: "resource", headers: { "If-None-Match": await etagOf(`${base}${download}`) } },
      { name: "documents zip", route: `/meetings/${EXPERT_MEETING}/documents.zip?lang=en`, baseline: "resource" },
      { name: "check-in desk search", route: `${adminPages}/checkin?day=${conference.day}&q=nguyen`, baseline: "page", headers: organiser },
      { name: "attendance report (1,500 people)", route: `${adminPages}/attendance`, baseline: "page", headers: organiser },
      { name: "attendance register CSV", route: `${adminPages}/attendance.csv`, baseline: "resource", headers: organiser },
    ];
    // Warm up every route first (JIT, caches, the pool's connections), so that order does not matter.
    log("warming up");
    for (const target of targets) await load(`${base}${target.route}`, settings.connections, Math.min(2, settings.duration), target.headers);
    const routes: RouteResult[] = [];
    for (const target of targets) {
      log(`measuring ${target.name} (${target.route})`);
      routes.push(await measure(target, base, settings));
    }
    const baselines = { page: routes[0]!, resource: routes[1]! };
    for (const route of routes) {
      // A baseline that answered nothing (a machine too busy) gives no ratio rather than Infinity.
      if ((route.baseline === "page" || route.baseline === "resource") && baselines[route.baseline].requestsPerSecond > 0) {
        route.ratio = route.requestsPerSecond / baselines[route.baseline].requestsPerSecond;
      }
    }

    log(`registration burst: ${settings.burst} POSTs at once to /meetings/${burstMeeting.slug}/register`);
    const burst = await registrationBurst(db, base, burstMeeting, settings);
    const rssMb = peakRssMb(server.pid);
    printTable(routes, burst, settings, rssMb);

    const result = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, memoryMb: Math.round(os.totalmem() / 2 ** 20), node: process.version, platform: `${os.platform()} ${os.release()}` },
      settings,
      routes,
      burst,
      server: { peakRssMb: rssMb },
    };
    const folder = path.resolve("bench/results");
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, `${result.date.slice(0, 19).replaceAll(":", "-")}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
    log(`results written to ${path.relative(process.cwd(), file)}`);

    const failed = [
      ...routes.filter((r) => r.non2xx + r.errors > 0).map((r) => `${r.name}: ${r.non2xx} non-2xx answers, ${r.errors} errors`),
      ...Object.entries(burst.checks)
        .filter(([, passed]) => !passed)
        .map(([check]) => `burst: ${check}`),
    ];
    if (failed.length) {
      console.error(`bench: FAILED checks: ${failed.join("; ")}`);
      if (stderr.trim()) console.error(`bench: the server's last error output:\n${stderr.trim().split("\n").slice(-15).join("\n")}`);
      return 1;
    }
    return 0;
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
