import { createHash, createHmac, randomBytes } from "node:crypto";
import { sessionSecret } from "~/settings.server";

/** A secret for a URL or cookie: 256 random bits, URL-safe. Only its hash is stored. */
export function newSecretToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Secrets are found by this hash in PostgreSQL, never compared in JavaScript. A lookup's timing can
 * tell at most how much of a stored hash a guess's hash shares, and a guesser cannot steer the hash
 * of a guess, so it teaches nothing about the secret: nothing here needs comparing in constant time.
 */
export function hashSecretToken(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/** Shape check before any lookup, so junk never reaches the database. */
export function looksLikeSecretToken(token: string | null | undefined): token is string {
  return typeof token === "string" && /^[A-Za-z0-9_-]{43}$/.test(token);
}

/**
 * A secret for links that must be given again later (every follow email, the feed address at
 * /my) while only its hash is stored: derived from a row's id and random salt with a key of the
 * server's own. A new salt retires it. Changing SESSION_SECRET retires them all.
 */
export function derivedSecretToken(purpose: string, id: number, salt: Buffer): string {
  const key = createHmac("sha256", sessionSecret()).update(purpose).digest();
  return createHmac("sha256", key).update(`${purpose}:${id}:`).update(salt).digest("base64url");
}
