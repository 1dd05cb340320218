import { type Kysely, type Transaction, sql } from "kysely";
import { inBatches } from "../app/lib/batches";
import { isErasedAddress } from "../app/lib/erased-address";
import type { Database, EmailAttachment, OutboxMessage } from "../db/schema";
import type { EmailContent } from "./layout";

type Executor = Kysely<Database> | Transaction<Database>;

/** `meetingId`: the meeting the email is about, whose organisers see it if it cannot be delivered. */
export type OutgoingEmail = { to: string; template: string; content: EmailContent; headers?: Record<string, string>; attachments?: EmailAttachment[]; meetingId?: number | null };

/**
 * Queues an email. Call it with the transaction that makes the change the email reports,
 * so that both are kept or neither is.
 */
export async function enqueueEmail(db: Executor, email: OutgoingEmail): Promise<string> {
  const row = await db.insertInto("outbox").values({ ...outboxRow(email), ...neverSent(email) }).returning("id").executeTakeFirstOrThrow();
  return row.id;
}

/** An email as the outbox keeps it (for writers that insert it within a statement of their own). */
export function outboxRow(email: OutgoingEmail) {
  return {
    to_address: email.to,
    template: email.template,
    subject: email.content.subject,
    html: email.content.html,
    text: email.content.text,
    headers: JSON.stringify(email.headers ?? {}),
    attachments: JSON.stringify(email.attachments ?? []),
    meeting_id: email.meetingId ?? null,
  };
}

export type OutboxRow = ReturnType<typeof outboxRow>;

/** An erased person's stand-in address (in an audience that includes anonymised registrations) is never sent to. */
function neverSent(email: OutgoingEmail) {
  return isErasedAddress(email.to) ? { status: "failed" as const, last_error: "Not sent: the recipient's personal data was erased." } : {};
}

/**
 * Queues many emails with one INSERT per 500; returns their outbox ids in the order of `emails`
 * (ids are taken from the sequence first, so callers can link each email to its recipient).
 */
export async function enqueueEmails(db: Executor, emails: readonly OutgoingEmail[]): Promise<string[]> {
  const ids: string[] = [];
  for (const batch of inBatches(emails, 500)) {
    const { rows } = await sql<{ id: string }>`select nextval(pg_get_serial_sequence('outbox', 'id'))::text as id from generate_series(1, ${batch.length})`.execute(db);
    await db
      .insertInto("outbox")
      .values(batch.map((email, index) => ({ ...outboxRow(email), ...neverSent(email), id: rows[index]!.id })))
      .execute();
    ids.push(...rows.map((row) => row.id));
  }
  return ids;
}

export async function listOutbox(db: Executor, limit = 100): Promise<OutboxMessage[]> {
  return db.selectFrom("outbox").selectAll().orderBy("id", "desc").limit(limit).execute();
}

export async function findOutboxMessage(db: Executor, id: string): Promise<OutboxMessage | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * The emails about a meeting that were given up (the provider refused them, or they failed for a
 * day), latest first, for its organisers to reach those people another way.
 */
export async function undeliveredEmails(db: Executor, meetingId: number, limit = 100) {
  return db
    .selectFrom("outbox")
    .select(["id", "to_address", "subject", "attempts", "last_error", "created_at"])
    .where("meeting_id", "=", meetingId)
    .where("status", "=", "failed")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}
