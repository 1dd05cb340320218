import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { commentsReminderEmail } from "../../emails/comments-invited";
import { enqueueEmails } from "../../emails/outbox.server";
import { repeatEvery } from "~/lib/repeat.server";
import { formatInstant } from "~/lib/time";
import { ACTIVE_STATUSES } from "~/registration/registration-filters";
import { REMIND_BEFORE_MS, inputsUrl } from "./inputs.server";
import { displaySymbol, documentLabel } from "./labels";

/**
 * Reminders before a comment deadline: within the last 48 hours of a period, each invitee who has
 * sent no input yet gets one reminder, once per period (until the deadline moves).
 */

const EVERY_MS = 10 * 60 * 1000;

/**
 * Sends the reminders due now, in one transaction: the invitees marked reminded and their emails in
 * the outbox, or neither. Periods are locked with SKIP LOCKED, so runs at the same time never both
 * remind the same people; a second run finds nobody left. Returns how many were reminded.
 */
export async function sendCommentReminders(db: Kysely<Database>, now: Date = new Date()): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const periods = await trx
      .selectFrom("comment_periods as p")
      .innerJoin("documents as d", "d.id", "p.document_id")
      .innerJoin("meetings as m", "m.id", "d.meeting_id")
      .select(["p.id", "p.closes_at", "d.id as document_id", "d.title", "d.symbol", "d.revision", "m.id as meeting_id", "m.slug", "m.title as meeting_title", "m.timezone"])
      .where("p.closes_at", ">", now)
      .where("p.closes_at", "<=", new Date(now.getTime() + REMIND_BEFORE_MS))
      .where("d.deleted_at", "is", null)
      .where("d.access_level", "!=", "organisers")
      .where("m.status", "=", "published")
      .forUpdate("p")
      .skipLocked()
      .execute();
    let reminded = 0;
    for (const period of periods) {
      const people = await trx
        .updateTable("comment_period_invitees as i")
        .from("registrations as r")
        .set({ reminded_at: now })
        .whereRef("r.id", "=", "i.registration_id")
        .where("i.period_id", "=", period.id)
        .where("i.reminded_at", "is", null)
        .where("r.status", "in", [...ACTIVE_STATUSES])
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("document_inputs as x")
                .select("x.id")
                .whereRef("x.period_id", "=", "i.period_id")
                .whereRef("x.registration_id", "=", "i.registration_id"),
            ),
          ),
        )
        .returning(["r.email", "r.first_name"])
        .execute();
      if (people.length === 0) continue;
      const facts = {
        meetingTitle: period.meeting_title,
        documentName: documentLabel(displaySymbol(period.symbol, period.revision), period.title),
        deadline: formatInstant(period.closes_at, period.timezone),
        inputsUrl: inputsUrl(period, period.document_id),
      };
      await enqueueEmails(
        trx,
        people.map((person) => ({ to: person.email, meetingId: period.meeting_id, template: "comments-reminder", content: commentsReminderEmail({ ...facts, firstName: person.first_name }) })),
      );
      reminded += people.length;
    }
    return reminded;
  });
}

/** Runs sendCommentReminders() at start and every 10 minutes; returns the function that stops it (awaiting a run in progress). */
export function startCommentReminders(db: Kysely<Database>, options: { everyMs?: number; log?: (line: string) => void } = {}): () => Promise<void> {
  const log = (line: string) => options.log?.(`comment reminders: ${line}`);
  return repeatEvery(
    options.everyMs ?? EVERY_MS,
    async () => {
      const reminded = await sendCommentReminders(db);
      if (reminded > 0) log(`${reminded} sent to the outbox`);
    },
    { log },
  );
}
