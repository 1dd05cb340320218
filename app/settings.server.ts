import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "../db/settings";

/** The app's settings, read from the environment with a working default for one machine. */

export function port(): number {
  return Number(process.env.PORT) || 3000;
}

export function appUrl(): string {
  return (process.env.APP_URL || `http://localhost:${port()}`).replace(/\/+$/, "");
}

export function isProduction(): boolean {
  return process.env.NODE_ENV === "production";
}

/** Addresses that get the organiser role when they sign in. */
export function adminEmails(): Set<string> {
  return new Set(
    (process.env.ADMIN_EMAILS ?? "")
      .split(",")
      .map((email) => email.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** Cookies are Secure in production, except over plain http on this machine (a local `npm start`). */
export function secureCookies(): boolean {
  if (!isProduction()) return false;
  const url = new URL(appUrl());
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  return url.protocol === "https:" || !loopback;
}

let generatedSecret: string | null = null;

/** `SESSION_SECRET`, or one generated once and kept under `DATA_DIR` (development and demo). */
export function sessionSecret(): string {
  const configured = process.env.SESSION_SECRET?.trim();
  if (configured) return configured;
  if (generatedSecret) return generatedSecret;
  const file = path.join(dataDir(), "session-secret");
  if (!existsSync(file)) {
    mkdirSync(dataDir(), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url") + "\n", { mode: 0o600, flag: "wx" });
  }
  generatedSecret = readFileSync(file, "utf8").trim();
  return generatedSecret;
}

/** `MAX_UPLOAD_MB` (default 50): the largest file an upload may carry, in bytes (1 MB = 1,048,576 bytes). */
export function maxUploadBytes(): number {
  const megabytes = Number(process.env.MAX_UPLOAD_MB?.trim() || 50);
  if (!Number.isFinite(megabytes) || megabytes <= 0) throw new Error("MAX_UPLOAD_MB must be a positive number of megabytes");
  return Math.floor(megabytes * 1024 * 1024);
}

/** `RETENTION_DAYS` (default 365): how long after a meeting ends its organisers must keep its participants' personal data before they may purge it. */
export function retentionDays(): number {
  const days = Number(process.env.RETENTION_DAYS?.trim() || 365);
  if (!Number.isInteger(days) || days < 0) throw new Error("RETENTION_DAYS must be a whole number of days (0 or more)");
  return days;
}
