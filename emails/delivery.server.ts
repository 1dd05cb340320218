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
  /** Sends one message; the key makes a repeated send of the same row a no-op at the provider. */
  send(message: OutboxMessage, idempotencyKey: string): Promise<{ id: string }>;
}

export function resendProvider(apiKey: string, from: string): MailProvider {
  const resend = new Resend(apiKey);
  return {
    async send(message, idempotencyKey) {
      const { data, error } = await resend.emails.send(
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
        { idempotencyKey },
      );
      if (error || !data) throw new Error(`Resend: ${error?.name ?? "error"}: ${error?.message ?? "no answer"}`);
      return { id: data.id };
    },
  };
}

const GIVE_UP_AFTER_MS = 24 * 60 * 60 * 1000;

/** Exponential backoff from 30 s up to one hour, with jitter so a fleet of workers does not retry in step. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
  return Math.round(base * (0.75 + random() * 0.5));
}

/**
 * Sends the next due message, if any. The row stays locked (`FOR UPDATE SKIP LOCKED`) while it is
 * sent, so several workers never take the same one; it is marked sent in the same transaction.
 * Returns false when nothing was due.
 */
export async function deliverNextEmail(db: Kysely<Database>, provider: MailProvider): Promise<boolean> {
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
    } catch (error) {
      const attempts = message.attempts + 1;
      const givingUp = Date.now() - message.created_at.getTime() > GIVE_UP_AFTER_MS;
      await trx
        .updateTable("outbox")
        .set({
          status: givingUp ? "failed" : "pending",
          attempts,
          last_error: String(error instanceof Error ? error.message : error).slice(0, 1000),
          next_attempt_at: new Date(Date.now() + retryDelayMs(attempts)),
        })
        .where("id", "=", message.id)
        .execute();
    }
    return true;
  });
}

/** Delivers due mail until none is left; then waits and looks again. Returns a function that stops it. */
export function startOutboxWorker(
  db: Kysely<Database>,
  provider: MailProvider,
  options: { idleMs?: number; log?: (line: string) => void } = {},
): () => Promise<void> {
  return repeatEvery(options.idleMs ?? 2_000, () => deliverNextEmail(db, provider), { log: (line) => options.log?.(`outbox worker: ${line}`) });
}
