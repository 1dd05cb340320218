/**
 * When PostgreSQL cannot be reached (stopped, restarting, refusing connections, too slow), pages,
 * feeds and the API answer 503 "temporarily unavailable" rather than 500: the fault is not theirs,
 * and it passes. Remix's `handleError` (app/entry.server.tsx) sees the raw error and notes the
 * request here; the document render and server.ts (for resource routes) then answer 503.
 */
import { apiJson } from "./api.server";

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EPIPE", "EAI_AGAIN"]);

/** SQLSTATEs of a server that is going away, starting, full, or cancelled a statement at its timeout. */
const SERVER_CODES = new Set(["57P01", "57P02", "57P03", "53300", "57014"]);

/** What node-postgres says when a connection is lost or cannot be had in time. */
const POOL_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|not queryable|Query read timeout|Connection closed/i;

/** True when the error says the database cannot be reached now, not that a query or its data was wrong. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith("08"))) return true;
  if (POOL_MESSAGES.test(error.message)) return true;
  if (error instanceof AggregateError && error.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(error.cause, depth + 1);
}

declare global {
  // Shared by the server entry and the Remix build, which load this module separately.
  var __meetingsUnavailableRequests: WeakSet<Request> | undefined;
}

function unavailableRequests(): WeakSet<Request> {
  globalThis.__meetingsUnavailableRequests ??= new WeakSet();
  return globalThis.__meetingsUnavailableRequests;
}

export function noteDatabaseUnavailable(request: Request): void {
  unavailableRequests().add(request);
}

/** Whether answering this request failed because the database could not be reached. */
export function failedForDatabase(request: Request): boolean {
  return unavailableRequests().has(request);
}

export const UNAVAILABLE_MESSAGE = "The service cannot reach its database just now. Please try again in a minute.";

/** Seconds a client is told to wait before trying again. */
export const RETRY_AFTER_SECONDS = 30;

/** The 503 a resource route (feed, API, download) answers: the API's JSON error for the API and JSON askers, plain text otherwise. */
export function unavailableResponse(request: Request): Response {
  const headers = { "Cache-Control": "no-store", "Retry-After": String(RETRY_AFTER_SECONDS) };
  const wantsJson = new URL(request.url).pathname.startsWith("/api/") || /\bapplication\/json\b/.test(request.headers.get("Accept") ?? "");
  if (wantsJson) return apiJson({ error: UNAVAILABLE_MESSAGE }, { status: 503, headers });
  return new Response(UNAVAILABLE_MESSAGE, { status: 503, headers: { ...headers, "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" } });
}
