import { createHash, randomBytes } from "node:crypto";

/** A secret for a URL or cookie: 256 random bits, URL-safe. Only its hash is stored. */
export function newSecretToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashSecretToken(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/** Shape check before any lookup, so junk never reaches the database. */
export function looksLikeSecretToken(token: string | null | undefined): token is string {
  return typeof token === "string" && /^[A-Za-z0-9_-]{43}$/.test(token);
}
