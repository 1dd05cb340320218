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

/** Addresses that are administrators whenever they sign in. */
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

/**
 * The rate limits, per hour, or null when `RATE_LIMITS=off` (the bench's load generator turns
 * them off). Generous by default: a conference hall behind one NAT shares one address.
 */
export interface RateLimitSettings {
  /** `SIGN_IN_LINKS_PER_EMAIL_PER_HOUR` (5): links sent to one address. */
  signInLinksPerEmail: number;
  /** `SIGN_IN_LINKS_PER_IP_PER_HOUR` (200): links asked for from one network address. */
  signInLinksPerIp: number;
  /** `REGISTRATIONS_PER_IP_PER_MEETING_PER_HOUR` (200): registration forms sent for one meeting from one network address. */
  registrationsPerIpPerMeeting: number;
  /** `FEED_REQUESTS_PER_TOKEN_PER_HOUR` (120): polls of one private calendar feed, from all the person's devices. */
  feedRequestsPerToken: number;
}

export function rateLimitSettings(): RateLimitSettings | null {
  const switchedTo = process.env.RATE_LIMITS?.trim().toLowerCase() || "on";
  if (switchedTo === "off") return null;
  if (switchedTo !== "on") throw new Error("RATE_LIMITS must be on or off");
  return {
    signInLinksPerEmail: perHour("SIGN_IN_LINKS_PER_EMAIL_PER_HOUR", 5),
    signInLinksPerIp: perHour("SIGN_IN_LINKS_PER_IP_PER_HOUR", 200),
    registrationsPerIpPerMeeting: perHour("REGISTRATIONS_PER_IP_PER_MEETING_PER_HOUR", 200),
    feedRequestsPerToken: perHour("FEED_REQUESTS_PER_TOKEN_PER_HOUR", 120),
  };
}

function perHour(name: string, fallback: number): number {
  const value = Number(process.env[name]?.trim() || fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a whole number of requests per hour, at least 1`);
  return value;
}

/**
 * `TRUST_PROXY` (0): how many reverse proxies stand in front of the app. With 1 or more, the
 * client's address is read from `X-Forwarded-For`, that many entries from its end (the address
 * the outermost proxy saw; entries further left are whatever the client sent); with 0 the header
 * is ignored and the socket's address is the client's.
 */
export function trustedProxies(): number {
  const value = Number(process.env.TRUST_PROXY?.trim() || 0);
  if (!Number.isInteger(value) || value < 0) throw new Error("TRUST_PROXY must be the number of reverse proxies in front of the app (0 for none)");
  return value;
}

/** `RETENTION_DAYS` (default 365): how long after a meeting ends its organisers must keep its participants' personal data before they may purge it. */
export function retentionDays(): number {
  const days = Number(process.env.RETENTION_DAYS?.trim() || 365);
  if (!Number.isInteger(days) || days < 0) throw new Error("RETENTION_DAYS must be a whole number of days (0 or more)");
  return days;
}
