import { type Kysely, sql } from "kysely";
import { Resend } from "resend";
import { usesEmbeddedDatabase } from "../db/connection.server";
import type { Database, OutboxMessage } from "../db/schema";
import { repeatEvery } from "../app/lib/repeat.server";

/** How mail leaves (or does not leave) this machine. */
export type MailMode =
  | { kind: "resend"; apiKey: string; from: string }
  | { kind: "mailbox" }
  | { kind: "outbox-only" };

export function mailMode(): MailMode {
  const apiKey = process.env.RESEND_API_KEY?.trim();
  if (apiKey) return { kind: "resend", apiKey, from: process.env.MAIL_FROM?.trim() || "Meetings <meetings@localhost>" };
  if (usesEmbeddedDatabase() || process.env.DEV_MAILBOX === "1") return { kind: "mailbox" };
  return { kind: "outbox-only" };
}

export function describeMailMode(mode: MailMode): string {
  switch (mode.kind) {
    case "resend":
      return `mail: delivered by Resend from ${mode.from}`;
    case "mailbox":
      return "mail: kept in the outbox (no RESEND_API_KEY); read it at /dev/mailbox";
    case "outbox-only":
      return "mail: kept in the outbox (no RESEND_API_KEY); /dev/mailbox is off (set DEV_MAILBOX=1 to read it)";
  }
}

export interface MailProvider {
  /** Sends one message; the key makes a repeated send of the same row a no-op at the provider. Throws a `MailProviderError` when it was not sent. */
  send(message: OutboxMessage, idempotencyKey: string): Promise<{ id: string }>;
}

/** Why a message was not sent: `permanent` when sending it again cannot help; `retryAfterMs` when the provider said when to come back (429). */
export class MailProviderError extends Error {
  constructor(
    message: string,
    readonly details: { permanent?: boolean; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = "MailProviderError";
  }
}

/** How long one send may take before it counts as failed (and is tried again, under the same key). */
const SEND_TIMEOUT_MS = 30_000;

/** Refusals of the message itself (a malformed address, a bad attachment): sending it again gets the same answer. */
const PERMANENT_STATUSES = new Set([400, 422]);

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Resend's API; `RESEND_BASE_URL` (read by the SDK) points it elsewhere, as tests do with a local stand-in. */
export function resendProvider(apiKey: string, from: string, options: { timeoutMs?: number } = {}): MailProvider {
  const resend = new Resend(apiKey);
  const timeoutMs = options.timeoutMs ?? SEND_TIMEOUT_MS;
  return {
    async send(message, idempotencyKey) {
      const signal = AbortSignal.timeout(timeoutMs);
      const { data, error, headers } = await resend.emails.send(
        {
          from,
          to: message.to_address,
          subject: message.subject,
          html: message.html,
          text: message.text,
          headers: message.headers,
          attachments: message.attachments.map((file) => ({
            filename: file.filename,
            contentType: file.contentType,
            content: Buffer.from(file.contentBase64, "base64"),
          })),
        },
        { idempotencyKey, signal },
      );
      if (data && !error) return { id: data.id };
      if (signal.aborted) throw new MailProviderError(`Resend: no answer within ${timeoutMs / 1_000} s`);
      const status = error?.statusCode ?? null;
      throw new MailProviderError(`Resend: ${status ?? "no status"} ${error?.name ?? "error"}: ${error?.message ?? "no answer"}`, {
        permanent: status !== null && PERMANENT_STATUSES.has(status),
        retryAfterMs: status === 429 ? (retryAfterMs(headers?.["retry-after"]) ?? RATE_LIMIT_PAUSE_MS) : undefined,
      });
    },
  };
}

const GIVE_UP_AFTER_MS = 24 * 60 * 60 * 1000;

/** How long sending pauses after a 429 that did not say how long. */
const RATE_LIMIT_PAUSE_MS = 60_000;

/** Exponential backoff from 30 s up to one hour, with jitter so a fleet of workers does not retry in step. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
  return Math.round(base * (0.75 + random() * 0.5));
}

/** true: a message was taken (sent or put back), look again at once; false: none was due; or the provider asked to pause all sending. */
export type DeliveryOutcome = boolean | { rateLimitedForMs: number };

/**
 * Sends the next due message, if any. The row stays locked (`FOR UPDATE SKIP LOCKED`) while it is
 * sent, so several workers never take the same one; it is marked sent in the same transaction.
 * A failed send is retried with backoff (or when a 429's `Retry-After` says), and given up — the
 * row marked failed, for organisers to see — when the provider refused the message itself or it
 * has failed for a day.
 */
export async function deliverNextEmail(db: Kysely<Database>, provider: MailProvider): Promise<DeliveryOutcome> {
  return db.transaction().execute(async (trx) => {
    const message = await trx
      .selectFrom("outbox")
      .selectAll()
      .where("status", "=", "pending")
      // The database's clock, as for the default next_attempt_at: a message queued this very millisecond is due (JavaScript's clock has no microseconds).
      .where("next_attempt_at", "<=", sql<Date>`now()`)
      .orderBy("next_attempt_at")
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!message) return false;
    try {
      const { id } = await provider.send(message, `outbox-${message.id}`);
      await trx
        .updateTable("outbox")
        .set({ status: "sent", provider_message_id: id, sent_at: new Date(), attempts: message.attempts + 1, last_error: null })
        .where("id", "=", message.id)
        .execute();
      return true;
    } catch (error) {
      const attempts = message.attempts + 1;
      const details = error instanceof MailProviderError ? error.details : {};
      const givingUp = details.permanent === true || Date.now() - message.created_at.getTime() > GIVE_UP_AFTER_MS;
      await trx
        .updateTable("outbox")
        .set({
          status: givingUp ? "failed" : "pending",
          attempts,
          last_error: String(error instanceof Error ? error.message : error).slice(0, 1000),
          next_attempt_at: new Date(Date.now() + (details.retryAfterMs ?? retryDelayMs(attempts))),
        })
        .where("id", "=", message.id)
        .execute();
      return details.retryAfterMs === undefined ? true : { rateLimitedForMs: details.retryAfterMs };
    }
  });
}

/**
 * Delivers due mail until none is left; then waits and looks again. After a 429 it sends nothing
 * until the provider's `Retry-After` has passed. Returns a function that stops it after the message
 * being sent, if any.
 */
export function startOutboxWorker(
  db: Kysely<Database>,
  provider: MailProvider,
  options: { idleMs?: number; log?: (line: string) => void } = {},
): () => Promise<void> {
  let pausedUntil = 0;
  const deliver = async () => {
    if (Date.now() < pausedUntil) return false;
    const outcome = await deliverNextEmail(db, provider);
    if (typeof outcome === "boolean") return outcome;
    pausedUntil = Date.now() + outcome.rateLimitedForMs;
    options.log?.(`outbox worker: the provider limits sending; pausing ${Math.ceil(outcome.rateLimitedForMs / 1_000)} s`);
    return false;
  };
  return repeatEvery(options.idleMs ?? 2_000, deliver, { log: (line) => options.log?.(`outbox worker: ${line}`) });
}
