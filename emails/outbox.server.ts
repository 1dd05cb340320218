import type { Kysely, Transaction } from "kysely";
import type { Database, EmailAttachment, OutboxMessage } from "../db/schema";
import type { EmailContent } from "./layout";

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Queues an email. Call it with the transaction that makes the change the email reports,
 * so that both are kept or neither is.
 */
export async function enqueueEmail(
  db: Executor,
  input: { to: string; template: string; content: EmailContent; headers?: Record<string, string>; attachments?: EmailAttachment[] },
): Promise<string> {
  const row = await db
    .insertInto("outbox")
    .values({
      to_address: input.to,
      template: input.template,
      subject: input.content.subject,
      html: input.content.html,
      text: input.content.text,
      headers: JSON.stringify(input.headers ?? {}),
      attachments: JSON.stringify(input.attachments ?? []),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listOutbox(db: Executor, limit = 100): Promise<OutboxMessage[]> {
  return db.selectFrom("outbox").selectAll().orderBy("id", "desc").limit(limit).execute();
}

export async function findOutboxMessage(db: Executor, id: string): Promise<OutboxMessage | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirst();
}
