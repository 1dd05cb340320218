import { type Kysely, type Transaction, sql } from "kysely";
import type { Database, Meeting } from "../../db/schema";
import { enqueueEmails } from "../../emails/outbox.server";
import { registrantsMessageEmail } from "../../emails/registrants-message";
import { countryName } from "~/lib/countries.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { formatInstant } from "~/lib/time";
import { appUrl } from "~/settings.server";
import { matchingRegistrations } from "./registration-console.server";
import { describeFilters, filtersToRecord, type RegistrationFilters } from "./registration-filters";
import { inBatches } from "~/lib/batches";
import { recordAuditEvent } from "~/audit/audit-log.server";

/** Organisers email all or some of a meeting's registrants: one email each through the outbox, and a record of who got what. */

type Executor = Kysely<Database> | Transaction<Database>;

export async function audienceCount(db: Executor, meetingId: number, filters: RegistrationFilters): Promise<number> {
  const row = await db
    .selectFrom("registrations")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where(matchingRegistrations(meetingId, filters))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export function describeAudience(filters: Record<string, string | undefined>): string {
  return describeFilters(filters, (code) => countryName(code) ?? code);
}

/** The message as recipients will read it (the body's HTML after sanitising). */
export function mailingPreviewHtml(body: string): string {
  return renderMarkdown(body);
}

export type SendMailingResult = { ok: true; mailingId: number; recipients: number } | { ok: false; message: string };

/**
 * Sends the message to every registration the filters select, in ONE transaction: the mailing's
 * row, an outbox email per recipient, and a row linking each recipient to their email. Either all
 * of it is kept or none.
 */
export async function sendMailing(
  db: Kysely<Database>,
  input: { meeting: Pick<Meeting, "id" | "slug" | "title">; subject: string; body: string; filters: RegistrationFilters; sentBy: number | null },
): Promise<SendMailingResult> {
  const bodyHtml = renderMarkdown(input.body);
  const meetingUrl = `${appUrl()}/meetings/${input.meeting.slug}`;
  return db.transaction().execute(async (trx) => {
    const recipients = await trx
      .selectFrom("registrations")
      .select(["id", "email", "first_name"])
      .where(matchingRegistrations(input.meeting.id, input.filters))
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    if (recipients.length === 0) return { ok: false, message: "Nobody matches this audience: nothing was sent." };
    const mailing = await trx
      .insertInto("mailings")
      .values({
        meeting_id: input.meeting.id,
        subject: input.subject,
        body: input.body,
        audience: JSON.stringify(filtersToRecord(input.filters)),
        recipient_count: recipients.length,
        sent_by: input.sentBy,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const outboxIds = await enqueueEmails(
      trx,
      recipients.map((recipient) => ({
        to: recipient.email,
        meetingId: input.meeting.id,
        template: "registrants-message",
        content: registrantsMessageEmail({
          firstName: recipient.first_name,
          meetingTitle: input.meeting.title,
          meetingUrl,
          subject: input.subject,
          bodyHtml,
          bodyText: input.body,
        }),
      })),
    );
    const links = recipients.map((recipient, index) => ({ mailing_id: mailing.id, registration_id: recipient.id, outbox_id: outboxIds[index]! }));
    for (const batch of inBatches(links, 1_000)) await trx.insertInto("mailing_recipients").values(batch).execute();
    await recordAuditEvent(trx, {
      actor: input.sentBy,
      meetingId: input.meeting.id,
      action: "mailing.sent",
      subject: { type: "mailing", id: mailing.id },
      summary: `Sent “${input.subject}” to ${recipients.length} registrant${recipients.length === 1 ? "" : "s"}`,
      after: { subject: input.subject, audience: describeAudience(filtersToRecord(input.filters)), recipients: recipients.length },
    });
    return { ok: true, mailingId: mailing.id, recipients: recipients.length };
  });
}

/** The meeting's mailings, latest first: what, when (in the meeting's zone), by whom, to how many. */
export async function pastMailings(db: Executor, meeting: Pick<Meeting, "id" | "timezone">) {
  const rows = await db
    .selectFrom("mailings")
    .leftJoin("users", "users.id", "mailings.sent_by")
    .select([
      "mailings.id",
      "mailings.subject",
      "mailings.audience",
      "mailings.recipient_count",
      "mailings.created_at",
      "users.email as sent_by_email",
      sql<string>`(select count(*) from outbox o join mailing_recipients mr on mr.outbox_id = o.id where mr.mailing_id = mailings.id and o.status = 'sent')`.as(
        "delivered",
      ),
    ])
    .where("mailings.meeting_id", "=", meeting.id)
    .orderBy("mailings.created_at", "desc")
    .orderBy("mailings.id", "desc")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    subject: row.subject,
    audience: describeAudience(row.audience),
    recipients: row.recipient_count,
    delivered: Number(row.delivered),
    sentAt: formatInstant(row.created_at, meeting.timezone),
    sentAtIso: row.created_at.toISOString(),
    sentBy: row.sent_by_email ?? "an organiser no longer registered",
  }));
}
