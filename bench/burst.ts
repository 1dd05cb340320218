/**
 * The registration burst: many distinct people POST the registration form of one meeting with a
 * capacity at the same moment, and each then opens the thank-you page the answer redirects to, as a
 * browser does; the answers and the rows are checked against each other.
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
  /** Until the last registration (POST) was answered. */
  wallMs: number;
  registrationsPerSecond: number;
  /** The POSTs' latencies. */
  p50Ms: number;
  p99Ms: number;
  /** Until the last thank-you page arrived, from the start: every person answered and thanked. */
  thankedWithinMs: number;
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

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** When it ended, from `performance.now()`'s origin. */
  endedAt: number;
  ms: number;
}

function send(agent: http.Agent, url: URL, options: { method: "GET" | "POST"; headers: Record<string, string | number>; body?: string }): Promise<Answer> {
  const started = performance.now();
  const answer = (status: number, headers: http.IncomingHttpHeaders, body: string): Answer => {
    const endedAt = performance.now();
    return { status, headers, body, endedAt, ms: endedAt - started };
  };
  return new Promise((resolve) => {
    const request = http.request(url, { method: options.method, agent, headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve(answer(response.statusCode ?? 0, response.headers, Buffer.concat(chunks).toString("utf8"))));
      response.on("error", () => resolve(answer(0, {}, "")));
    });
    request.setTimeout(30_000, () => request.destroy(new Error("timeout")));
    request.on("error", () => resolve(answer(0, {}, "")));
    request.end(options.body);
  });
}

function postForm(agent: http.Agent, url: URL, body: string): Promise<Answer> {
  return send(agent, url, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body) }, body });
}

/** The registration, then the thank-you page its 303 points to, with the outcome's cookie; null when the POST did not redirect there. */
async function registerAndReadThanks(agent: http.Agent, url: URL, body: string): Promise<{ posted: Answer; thanks: Answer | null }> {
  const posted = await postForm(agent, url, body);
  const location = posted.headers.location;
  if (posted.status !== 303 || !location?.endsWith("?registered=1")) return { posted, thanks: null };
  const cookie = [posted.headers["set-cookie"] ?? []].flat().map((header) => header.split(";")[0]).join("; ");
  return { posted, thanks: await send(agent, new URL(location, url), { method: "GET", headers: { Cookie: cookie } }) };
}

function isThanks(thanks: Answer | null): boolean {
  return thanks?.status === 200 && thanks.body.includes("Thank you for registering");
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

/** `people` distinct people submit the registration form at the same moment, and read their thanks. */
export async function registrationBurst(db: Kysely<Database>, base: string, meeting: { id: number; slug: string }, settings: { burst: number; capacity: number }): Promise<BurstResult> {
  const people = settings.burst;
  const url = new URL(`${base}/meetings/${meeting.slug}/register`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: people });
  const bodies = Array.from({ length: people }, (_, i) => registrationForm(`burst-${i}`, i));
  const started = performance.now();
  const outcomes = await Promise.all(bodies.map((body) => registerAndReadThanks(agent, url, body)));
  agent.destroy();
  const answers = outcomes.map((person) => person.posted);
  const wallMs = Math.max(...answers.map((a) => a.endedAt)) - started;
  const thankedWithinMs = Math.max(...outcomes.map((person) => (person.thanks ?? person.posted).endedAt)) - started;

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
  const thanked = outcomes.filter((person) => isThanks(person.thanks)).length;
  const distinctEmails = new Set(rows.map((r) => r.email)).size;
  const oddPerson = outcomes.find((person) => !isThanks(person.thanks));
  const odd = oddPerson && (oddPerson.thanks ?? oddPerson.posted);
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
    thankedWithinMs: Math.round(thankedWithinMs),
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
 * thank-you page's request and render.
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
