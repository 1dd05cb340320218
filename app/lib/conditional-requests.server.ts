import { createHash } from "node:crypto";
import type { HeaderReader } from "~/lib/plain-answer.server";

/**
 * HTTP validators (RFC 9110 13): whether a conditional request names what the client already holds.
 * Pages, kept answers, feeds and downloads answer 304 through these.
 */

/** Whether an `If-None-Match` list (`"a", W/"b"` or `*`) names `etag` (weak comparison). */
export function etagMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/**
 * Whether the client already holds this version of an answer: `If-None-Match` names its ETag, or,
 * without `If-None-Match`, `If-Modified-Since` is no earlier than its last change (RFC 9110 13.2.2).
 */
export function clientHolds(headers: HeaderReader, version: { etag: string | null; lastModified: Date | null }): boolean {
  const ifNoneMatch = headers.get("If-None-Match");
  if (ifNoneMatch !== null) return version.etag !== null && etagMatches(ifNoneMatch, version.etag);
  const since = Date.parse(headers.get("If-Modified-Since") ?? "");
  return version.lastModified !== null && !Number.isNaN(since) && since >= version.lastModified.getTime();
}

/**
 * A rendered page's entity tag (quoted, without `W/`): a hash of its exact HTML but for the script
 * nonce, new on each answer, given as the pieces between the nonces.
 */
export function pageTag(pieces: readonly (string | Uint8Array)[]): string {
  const hash = createHash("sha1");
  for (const piece of pieces) hash.update(piece);
  return `"${hash.digest("base64url")}"`;
}
