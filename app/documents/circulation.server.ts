import { type Kysely, type Transaction, sql } from "kysely";
import { ACCESS_LEVELS, type Database, type Meeting, type RegistrationStatus } from "../../db/schema";
import { documentsCirculatedEmail } from "../../emails/documents-circulated";
import { oneClickUnsubscribeHeaders } from "../../emails/layout";
import { enqueueEmails } from "../../emails/outbox.server";
import { hashSecretToken, looksLikeSecretToken, newSecretToken } from "~/accounts/secret-token.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { formatInstant } from "~/lib/time";
import { appUrl } from "~/settings.server";
import { levelsOfRegistration } from "./access.server";
import { type DocumentAudienceChoice, describeDocumentAudience, storedAudience } from "./document-audience";
import { type AudienceMember, audienceRecipients } from "./document-audience.server";
import { type DocumentSummary, listMeetingDocuments, summarise } from "./documents.server";
import { ACCESS_LEVEL_LABELS, displaySymbol, documentLabel, languageName } from "./labels";
import { inBatches } from "~/lib/batches";
import { recordAuditEvent } from "~/audit/audit-log.server";

/**
 * Circulating documents: an organiser emails some of a published meeting's documents (never those
 * for organisers only, whose titles must not reach participants) to an audience of its registrants
 * (document-audience.ts), one email each through the outbox, written in one transaction with the
 * record of what went to whom. Each email carries its recipient's own one-click link (RFC 8058) to stop the
 * meeting's circulations; opted-out addresses get none.
 */

type Executor = Kysely<Database> | Transaction<Database>;
type CirculationMeeting = Pick<Meeting, "id" | "slug" | "title" | "status">;

/** Organisers-only documents are never circulated: their titles must not reach participants' mailboxes. */
const CIRCULABLE_LEVELS = ACCESS_LEVELS.filter((level) => level !== "organisers");

/** The meeting's documents that can be circulated: not deleted, not for organisers only, with at least one current file. */
export async function circulableDocuments(db: Executor, meetingId: number): Promise<DocumentSummary[]> {
  return listMeetingDocuments(db, meetingId, { levels: CIRCULABLE_LEVELS });
}

/**
 * What the organiser should know before sending: for each chosen document, how many recipients
 * may not open it (they still get the link, which asks them to sign in, then refuses).
 */
function unreadableWarnings(documents: DocumentSummary[], recipients: { status: RegistrationStatus }[]): string[] {
  const warnings: string[] = [];
  for (const { document, symbol } of documents) {
    const barred = recipients.filter(({ status }) => !levelsOfRegistration(status).includes(document.access_level)).length;
    if (barred === 0) continue;
    const name = symbol ? `${symbol} (${document.title})` : document.title;
    const audience = `${recipients.length} ${recipients.length === 1 ? "recipient" : "recipients"}`;
    warnings.push(`${barred} of ${audience} cannot open ${name}: it is for ${ACCESS_LEVEL_LABELS[document.access_level].toLowerCase()}.`);
  }
  return warnings;
}

type CirculationInput = {
  meeting: CirculationMeeting;
  documentIds: number[];
  audience: DocumentAudienceChoice;
  message: string | null;
  sentBy: number | null;
};

type Refusal = { ok: false; errors: Record<string, string> };
type CirculationPreview = { ok: true; documents: DocumentSummary[]; recipients: AudienceMember[]; optedOut: number; warnings: string[] };
type CirculateResult = { ok: true; circulationId: number; recipients: number } | Refusal;

const NOT_CIRCULABLE = "Choose documents of this meeting from the list (deleted ones and documents without a file cannot be circulated)";
const NOBODY = "Nobody in this audience can receive documents (no one matches, or everyone opted out): nothing was sent.";

/** The chosen documents, if every one is the meeting's, not deleted and has a file; otherwise why not. */
async function chosenDocuments(db: Executor, meetingId: number, ids: number[]): Promise<DocumentSummary[] | Refusal> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return { ok: false, errors: { documents: "Choose at least one document" } };
  const rows = await db
    .selectFrom("documents")
    .selectAll()
    .where("meeting_id", "=", meetingId)
    .where("id", "in", unique)
    .where("deleted_at", "is", null)
    .execute();
  const documents = await summarise(db, rows);
  if (documents.length !== unique.length) return { ok: false, errors: { documents: NOT_CIRCULABLE } };
  const internal = documents.find(({ document }) => document.access_level === "organisers");
  if (internal) {
    const name = documentLabel(internal.symbol, internal.document.title);
    return { ok: false, errors: { documents: `${name} is for organisers only: change who may read it first.` } };
  }
  return documents;
}

/** Why the meeting's documents cannot be circulated now (a draft or cancelled meeting), or null. */
function meetingRefusal(meeting: Pick<Meeting, "status">): Refusal | null {
  if (meeting.status === "published") return null;
  const why =
    meeting.status === "draft"
      ? "Publish the meeting first: recipients cannot open the pages of a draft meeting. Nothing was sent."
      : "The meeting is cancelled: its documents are no longer circulated. Nothing was sent.";
  return { ok: false, errors: { form: why } };
}

/** Who would receive what, and the warnings, without writing anything; the same checks as `circulate`. */
export async function previewCirculation(db: Executor, input: Omit<CirculationInput, "message" | "sentBy">): Promise<CirculationPreview | Refusal> {
  const refused = meetingRefusal(input.meeting);
  if (refused) return refused;
  const documents = await chosenDocuments(db, input.meeting.id, input.documentIds);
  if (!Array.isArray(documents)) return documents;
  const { recipients, optedOut, unknown } = await audienceRecipients(db, input.meeting.id, input.audience);
  if (unknown.length) return { ok: false, errors: { registrations: "Choose people from the list: someone chosen is not, or no longer, registered for this meeting" } };
  return { ok: true, documents, recipients, optedOut, warnings: unreadableWarnings(documents, recipients) };
}

function documentsUrl(meeting: CirculationMeeting): string {
  return `${appUrl()}/meetings/${meeting.slug}/documents`;
}

/** The address a recipient's unsubscribe link points to. */
function circulationUnsubscribeUrl(token: string): string {
  return `${appUrl()}/circulations/${token}/unsubscribe`;
}

/**
 * Sends the documents to everyone in the audience who has not opted out, in ONE transaction: the
 * circulation's row, its documents, an outbox email per recipient and a row per recipient with
 * the hash of their unsubscribe secret. Either all of it is kept or none.
 */
export async function circulate(db: Kysely<Database>, input: CirculationInput): Promise<CirculateResult> {
  const message = input.message ? { html: renderMarkdown(input.message), text: input.message } : null;
  return db.transaction().execute(async (trx) => {
    const preview = await previewCirculation(trx, input);
    if (!preview.ok) return preview;
    if (preview.recipients.length === 0) return { ok: false, errors: { audience: NOBODY } };
    const circulation = await trx
      .insertInto("circulations")
      .values({
        meeting_id: input.meeting.id,
        message: input.message,
        audience: JSON.stringify(input.audience),
        recipient_count: preview.recipients.length,
        sent_by: input.sentBy,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("circulation_documents")
      .values(preview.documents.map(({ document }) => ({ circulation_id: circulation.id, document_id: document.id })))
      .execute();
    const listed = preview.documents.map(({ document, symbol, files }) => ({
      symbol,
      title: document.title,
      files: files.map((file) => ({
        languageName: languageName(file.language),
        url: `${documentsUrl(input.meeting)}/${document.id}?lang=${encodeURIComponent(file.language)}`,
      })),
    }));
    const recipients = preview.recipients.map((recipient) => ({ ...recipient, token: newSecretToken() }));
    const outboxIds = await enqueueEmails(
      trx,
      recipients.map((recipient) => {
        const unsubscribeUrl = circulationUnsubscribeUrl(recipient.token);
        return {
          to: recipient.email,
          meetingId: input.meeting.id,
          template: "documents-circulated",
          content: documentsCirculatedEmail({
            firstName: recipient.firstName,
            email: recipient.email,
            meetingTitle: input.meeting.title,
            documentsUrl: documentsUrl(input.meeting),
            message,
            documents: listed,
            unsubscribeUrl,
          }),
          headers: oneClickUnsubscribeHeaders(unsubscribeUrl),
        };
      }),
    );
    const rows = recipients.map((recipient, index) => ({
      circulation_id: circulation.id,
      registration_id: recipient.id,
      outbox_id: outboxIds[index]!,
      unsubscribe_token_hash: hashSecretToken(recipient.token),
    }));
    for (const batch of inBatches(rows, 1_000)) await trx.insertInto("circulation_recipients").values(batch).execute();
    const documents = preview.documents.map(({ document, symbol }) => documentLabel(symbol, document.title));
    await recordAuditEvent(trx, {
      actor: input.sentBy,
      meetingId: input.meeting.id,
      action: "document.circulated",
      subject: { type: "circulation", id: circulation.id },
      summary: `Circulated ${documents.length} document${documents.length === 1 ? "" : "s"} to ${rows.length} ${rows.length === 1 ? "person" : "people"}`,
      after: { documents, audience: describeDocumentAudience(input.audience), recipients: rows.length },
    });
    return { ok: true, circulationId: circulation.id, recipients: rows.length };
  });
}

/** The meeting's circulations, latest first: when (in the meeting's zone), by whom, what, to whom, how many delivered. */
export async function circulationLog(db: Executor, meeting: Pick<Meeting, "id" | "timezone">) {
  const rows = await db
    .selectFrom("circulations")
    .leftJoin("users", "users.id", "circulations.sent_by")
    .select([
      "circulations.id",
      "circulations.audience",
      "circulations.message",
      "circulations.recipient_count",
      "circulations.created_at",
      "users.email as sent_by_email",
      sql<string>`(select count(*) from outbox o join circulation_recipients cr on cr.outbox_id = o.id where cr.circulation_id = circulations.id and o.status = 'sent')`.as(
        "delivered",
      ),
    ])
    .where("circulations.meeting_id", "=", meeting.id)
    .orderBy("circulations.created_at", "desc")
    .orderBy("circulations.id", "desc")
    .execute();
  const ids = rows.map((row) => row.id);
  const links = ids.length
    ? await db
        .selectFrom("circulation_documents")
        .innerJoin("documents", "documents.id", "circulation_documents.document_id")
        .select(["circulation_documents.circulation_id", "documents.id", "documents.title", "documents.symbol", "documents.revision"])
        .where("circulation_documents.circulation_id", "in", ids)
        .orderBy("documents.symbol")
        .orderBy("documents.title")
        .execute()
    : [];
  return rows.map((row) => ({
    id: row.id,
    sentAt: formatInstant(row.created_at, meeting.timezone),
    sentAtIso: row.created_at.toISOString(),
    sentBy: row.sent_by_email ?? "an organiser no longer registered",
    audience: describeDocumentAudience(storedAudience(row.audience)),
    message: row.message,
    recipients: row.recipient_count,
    delivered: Number(row.delivered),
    documents: links
      .filter((link) => link.circulation_id === row.id)
      .map((link) => ({ id: link.id, title: link.title, symbol: displaySymbol(link.symbol, link.revision) })),
  }));
}

export async function optOutCount(db: Executor, meetingId: number): Promise<number> {
  const row = await db
    .selectFrom("circulation_opt_outs")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("meeting_id", "=", meetingId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whose link this is: the recipient's address and meeting, and whether that address has opted out. Null for an unknown or malformed link. */
export async function findCirculationLink(db: Executor, token: string | undefined) {
  if (!looksLikeSecretToken(token)) return null;
  const row = await db
    .selectFrom("circulation_recipients")
    .innerJoin("registrations", "registrations.id", "circulation_recipients.registration_id")
    .innerJoin("circulations", "circulations.id", "circulation_recipients.circulation_id")
    .innerJoin("meetings", "meetings.id", "circulations.meeting_id")
    .select((eb) => [
      "meetings.id as meetingId",
      "meetings.title as meetingTitle",
      "meetings.slug as meetingSlug",
      "registrations.email",
      eb
        .exists(
          eb
            .selectFrom("circulation_opt_outs")
            .select("circulation_opt_outs.email")
            .whereRef("circulation_opt_outs.meeting_id", "=", "meetings.id")
            .whereRef("circulation_opt_outs.email", "=", sql<string>`lower(registrations.email)`),
        )
        .as("optedOut"),
    ])
    .where("circulation_recipients.unsubscribe_token_hash", "=", hashSecretToken(token))
    .executeTakeFirst();
  return row ? { ...row, email: row.email.toLowerCase(), optedOut: Boolean(row.optedOut) } : null;
}

/** Stops (or, with `false`, resumes) the link's address receiving the meeting's circulations; idempotent. Null for an unknown link. */
export async function setCirculationOptOut(db: Executor, token: string | undefined, optOut: boolean) {
  const link = await findCirculationLink(db, token);
  if (!link) return null;
  if (optOut) {
    await db
      .insertInto("circulation_opt_outs")
      .values({ meeting_id: link.meetingId, email: link.email })
      .onConflict((oc) => oc.columns(["meeting_id", "email"]).doNothing())
      .execute();
  } else {
    await db.deleteFrom("circulation_opt_outs").where("meeting_id", "=", link.meetingId).where("email", "=", link.email).execute();
  }
  return { ...link, optedOut: optOut };
}
