/**
 * The registration burst: many distinct people POST the registration form of one meeting with a
 * capacity at the same moment; the answers and the rows are checked against each other.
 */
import http from "node:http";
import type { Kysely } from "kysely";
import { parseRegistrationForm } from "../app/registration/registration-form.server";
import { register } from "../app/registration/registrations.server";
import { createDatabase } from "../db/connection.server";
import type { Database } from "../db/schema";

export interface BurstResult {
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

export function percentile(sorted: number[], p: number): number {
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

/**
 * Registrations into another meeting before the burst, ten at a time, as each GET route is measured
 * after a warm-up: the burst then meets a server that has registered people before, as a running
 * one has, not code the JIT has never seen.
 */
export async function warmUpRegistrations(base: string, slug: string, count = 100): Promise<void> {
  const url = new URL(`${base}/meetings/${slug}/register`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < count) await postForm(agent, url, registrationForm(`warm-up-${next++}`));
    }),
  );
  agent.destroy();
}

function registrationForm(person: string, i = 0): string {
  return new URLSearchParams({
    email: `${person}@bench.example.org`,
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
  }).toString();
}

/** `people` distinct people submit the registration form at the same moment. */
export async function registrationBurst(db: Kysely<Database>, base: string, meeting: { id: number; slug: string }, settings: { burst: number; capacity: number }): Promise<BurstResult> {
  const people = settings.burst;
  const url = new URL(`${base}/meetings/${meeting.slug}/register`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: people });
  const bodies = Array.from({ length: people }, (_, i) => registrationForm(`burst-${i}`, i));
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

export interface DatabaseBurstResult {
  people: number;
  registrationsPerSecond: number;
  confirmed: number;
  rows: number;
}

/**
 * The same burst without HTTP: `people` calls of the registration capability at once, on a pool of
 * the server's size (10), into a meeting of its own. This is the database's side alone, the
 * capacity lock included; the HTTP burst adds, in one Node process, each form's parsing and the
 * thank-you page's render.
 */
export async function databaseBurst(url: string, meeting: { id: number }, people: number): Promise<DatabaseBurstResult> {
  const db = createDatabase(url, 10);
  try {
    const inputs = Array.from({ length: people }, (_, i) => {
      const form = new FormData();
      for (const [name, value] of new URLSearchParams(registrationForm(`database-burst-${i}`, i))) form.append(name, value);
      const parsed = parseRegistrationForm(form, "in_person", []);
      if (!parsed.ok) throw new Error(`the bench's registration form is refused: ${JSON.stringify(parsed.errors)}`);
      return parsed.input;
    });
    await db.selectFrom("meetings").select("id").where("id", "=", meeting.id).execute();
    const started = performance.now();
    await Promise.all(inputs.map((input) => register(db, meeting.id, input, null)));
    const wallMs = performance.now() - started;
    const rows = await db.selectFrom("registrations").select("status").where("meeting_id", "=", meeting.id).execute();
    return {
      people,
      registrationsPerSecond: Math.round((people / wallMs) * 1000),
      confirmed: rows.filter((row) => row.status === "confirmed").length,
      rows: rows.length,
    };
  } finally {
    await db.destroy();
  }
}
