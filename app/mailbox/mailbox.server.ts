import { database } from "../../db/connection.server";
import { mailMode } from "../../emails/delivery.server";
import { findOutboxMessage, listOutbox } from "../../emails/outbox.server";

/** `/dev/mailbox`: the outbox, readable only while no provider is set and the database is a development one (it holds sign-in links). */
export function mailboxEnabled(): boolean {
  return mailMode().kind === "mailbox";
}

export async function mailboxMessages(limit = 200) {
  return listOutbox(database(), limit);
}

export async function mailboxMessage(id: string) {
  return findOutboxMessage(database(), id);
}
