import type { Kysely, Transaction } from "kysely";
import type { Database, EmailAttachment, OutboxMessage } from "../db/schema";
import type { EmailContent } from "./layout";

type Executor = Kysely<Database> | Transaction<Database>;

export type OutgoingEmail = { to: string; template: string; content: EmailContent; headers?: Record<string, string>; attachments?: EmailAttachment[] };

/**
 * Queues an email. Call it with the transaction that makes the change the email reports,
 * so that both are kept or neither is.
 */
export async function enqueueEmail(db: Executor, email: OutgoingEmail): Promise<string> {
  const [queued] = await enqueueEmails(db, [email]);
  return queued!.id;
}

/** Queues many emails with one INSERT per 500; returns each queued row's id with its address. */
export async function enqueueEmails(db: Executor, emails: OutgoingEmail[]): Promise<{ id: string; to: string }[]> {
  const queued: { id: string; to: string }[] = [];
  for (let i = 0; i < emails.length; i += 500) {
    const rows = await db
      .insertInto("outbox")
      .values(
        emails.slice(i, i + 500).map((email) => ({
          to_address: email.to,
          template: email.template,
          subject: email.content.subject,
          html: email.content.html,
          text: email.content.text,
          headers: JSON.stringify(email.headers ?? {}),
          attachments: JSON.stringify(email.attachments ?? []),
        })),
      )
      .returning(["id", "to_address as to"])
      .execute();
    queued.push(...rows);
  }
  return queued;
}

export async function listOutbox(db: Executor, limit = 100): Promise<OutboxMessage[]> {
  return db.selectFrom("outbox").selectAll().orderBy("id", "desc").limit(limit).execute();
}

export async function findOutboxMessage(db: Executor, id: string): Promise<OutboxMessage | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirst();
}
