import { createHmac } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/schema";
import { type RateLimitSettings, rateLimitSettings, sessionSecret } from "~/settings.server";

/**
 * Rate limits counted in PostgreSQL, so that they hold across instances of the app: each limit
 * counts requests per key in fixed windows of an hour, one row per (limit, key, window), added to
 * by one atomic upsert per request. Keys (addresses, networks, feed tokens) are stored only as
 * keyed hashes.
 */

export const WINDOW_MS = 60 * 60 * 1000;

/** Finished windows are deleted by about one request in this many (the table holds roughly the last hour's keys). */
const SWEEP_EVERY = 200;

export interface RateLimit {
  /** Names the limit; counters of different limits never meet. */
  bucket: string;
  key: string;
  /** Requests allowed per window. */
  limit: number;
  /** What was asked for too often, for the refusal: "Too many {what}. Try again in …". */
  what: string;
}

export type RateLimitVerdict = { limited: false } | { limited: true; retryAfterSeconds: number; message: string };

const ALLOWED: RateLimitVerdict = { limited: false };

/** Counts one request against each of the limits (in one statement); limited when any of them is now over. */
export async function countRequest(db: Kysely<Database>, limits: RateLimit[], at = new Date()): Promise<RateLimitVerdict> {
  if (limits.length === 0) return ALLOWED;
  const windowStart = new Date(Math.floor(at.getTime() / WINDOW_MS) * WINDOW_MS);
  const endsAt = new Date(windowStart.getTime() + WINDOW_MS);
  const counted = await db
    .insertInto("rate_limit_counters")
    .values(limits.map((limit) => ({ bucket: limit.bucket, key_hash: keyHash(limit), window_start: windowStart, ends_at: endsAt })))
    .onConflict((conflict) =>
      conflict.columns(["bucket", "key_hash", "window_start"]).doUpdateSet({ hits: sql<number>`rate_limit_counters.hits + 1` }),
    )
    .returning(["bucket", "hits"])
    .execute();
  if (Math.random() * SWEEP_EVERY < 1) await sweepFinishedWindows(db, at);
  const over = limits.find((limit) => counted.some((row) => row.bucket === limit.bucket && row.hits > limit.limit));
  if (!over) return ALLOWED;
  const retryAfterSeconds = Math.max(1, Math.ceil((endsAt.getTime() - at.getTime()) / 1000));
  return { limited: true, retryAfterSeconds, message: `Too many ${over.what}. Try again in ${inMinutes(retryAfterSeconds)}.` };
}

/** Deletes the counters of windows that have ended. */
export async function sweepFinishedWindows(db: Kysely<Database>, at = new Date()): Promise<number> {
  const { numDeletedRows } = await db.deleteFrom("rate_limit_counters").where("ends_at", "<=", at).executeTakeFirst();
  return Number(numDeletedRows);
}

/** A sign-in link: limited per address asked for, and per network asking. */
export function limitSignInLinks(db: Kysely<Database>, email: string, network: string): Promise<RateLimitVerdict> {
  return countIfOn(db, (settings) => [
    { bucket: "sign-in-links-per-email", key: email.trim().toLowerCase(), limit: settings.signInLinksPerEmail, what: "sign-in links have been asked for this address" },
    { bucket: "sign-in-links-per-ip", key: network, limit: settings.signInLinksPerIp, what: "sign-in links have been asked for from your network" },
  ]);
}

/** A registration form sent for one meeting: limited per network. */
export function limitRegistrations(db: Kysely<Database>, meetingId: number, network: string): Promise<RateLimitVerdict> {
  return countIfOn(db, (settings) => [
    { bucket: "registrations-per-ip", key: `${meetingId} ${network}`, limit: settings.registrationsPerIpPerMeeting, what: "registrations for this meeting have been sent from your network" },
  ]);
}

/** A poll of a private calendar feed: limited per token. */
export function limitFeedRequests(db: Kysely<Database>, token: string): Promise<RateLimitVerdict> {
  return countIfOn(db, (settings) => [
    { bucket: "feed-requests-per-token", key: token, limit: settings.feedRequestsPerToken, what: "requests for this calendar feed: calendar apps need it only every few minutes" },
  ]);
}

/** The limits in force, for the server's start-up log (reading them there also refuses bad settings before any request). */
export function describeRateLimits(): string {
  const settings = rateLimitSettings();
  if (!settings) return "rate limits: off (RATE_LIMITS=off)";
  return `rate limits per hour: ${settings.signInLinksPerEmail} sign-in links per address, ${settings.signInLinksPerIp} per network; ${settings.registrationsPerIpPerMeeting} registrations per network per meeting; ${settings.feedRequestsPerToken} requests per private feed`;
}

/** The headers of a 429 answer. */
export function retryAfterHeaders(verdict: { retryAfterSeconds: number }): Record<string, string> {
  return { "Retry-After": String(verdict.retryAfterSeconds) };
}

/**
 * A page's headers with the action's `Retry-After`, if it refused: a route without a `headers`
 * export passes on only an action's cookies.
 */
export function withRetryAfter(pageHeaders: Headers, actionHeaders: Headers): Headers {
  const headers = new Headers(pageHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
}

async function countIfOn(db: Kysely<Database>, limits: (settings: RateLimitSettings) => RateLimit[]): Promise<RateLimitVerdict> {
  const settings = rateLimitSettings();
  return settings ? countRequest(db, limits(settings)) : ALLOWED;
}

function keyHash(limit: RateLimit): Buffer {
  return createHmac("sha256", sessionSecret()).update(`rate-limit\0${limit.bucket}\0${limit.key}`).digest();
}

function inMinutes(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "a minute" : `${minutes} minutes`;
}
