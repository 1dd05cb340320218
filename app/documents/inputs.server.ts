import { type Kysely, type Transaction, sql } from "kysely";
import { z } from "zod";
import type { CommentPeriod, Database, Document, Meeting, Registration, User } from "../../db/schema";
import { inTransaction, recordAuditEvent } from "~/audit/audit-log.server";
import { commentsInvitedEmail } from "../../emails/comments-invited";
import { enqueueEmails } from "../../emails/outbox.server";
import { managesMeeting } from "~/accounts/roles.server";
import { countryName } from "~/lib/countries.server";
import { fieldErrors, type FormFailure, formValues, noNul, recordId } from "~/lib/form";
import { type OverlapReadings, formatInstant, instantOfWallTime, isoInstant, wallTimeOf } from "~/lib/time";
import { fullName } from "~/registration/registration-console.server";
import { ACTIVE_STATUSES } from "~/registration/registration-filters";
import { appUrl } from "~/settings.server";
import { levelsOfRegistration } from "./access.server";
import { type DocumentAudienceChoice, audienceInput, audienceSchema, audienceValues, describeDocumentAudience, storedAudience } from "./document-audience";
import { audienceMembers } from "./document-audience.server";
import { findMeetingDocument } from "./documents.server";
import { displaySymbol, documentLabel } from "./labels";

/**
 * Inputs on drafts: an organiser opens a document for comments until a deadline (wall clock in the
 * meeting's zone) for an audience of registrants; each invitee gets one email; invitees send written
 * inputs (text, optionally a section, a page and a marked-up file) until the deadline; organisers
 * read them all, mark them addressed and export them.
 */

type Executor = Kysely<Database> | Transaction<Database>;
type MeetingRef = Pick<Meeting, "id" | "slug" | "title" | "timezone">;

const MAX_INPUT_LENGTH = 20_000;
const WALL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
/** Invitees get one reminder within this time before the deadline (see comment-reminders.server.ts). */
export const REMIND_BEFORE_MS = 48 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Forms

const periodSchema = z.object({
  closesLocal: z
    .string({ error: "Give the deadline's date and time" })
    .trim()
    .regex(WALL_TIME, "Give the deadline as a date and time, e.g. 2026-12-01T17:00"),
  closesSide: z.enum(["earlier", "later"]).optional(),
  message: z
    .string()
    .trim()
    .max(5_000, "At most 5,000 characters")
    .optional()
    .transform((value) => value || null),
  inputsVisible: z
    .literal("on", { error: "Tick the box or leave it empty" })
    .optional()
    .transform((value) => value === "on"),
});

export type CommentPeriodForm = {
  closesLocal: string;
  closesSide?: "earlier" | "later";
  /** Who is invited: only registrations that still count (pending, confirmed, waiting list). */
  audience: DocumentAudienceChoice;
  message: string | null;
  inputsVisible: boolean;
};

/** The organisers' "open for comments" form, as typed; the deadline is checked against the zone by openCommentPeriod(). */
export function parseCommentPeriodForm(formData: FormData): { ok: true; form: CommentPeriodForm } | ({ ok: false } & FormFailure) {
  const values = formValues(formData);
  const withNul = Object.keys(values).find((name) => !noNul(values[name]));
  if (withNul) return { ok: false, errors: { [withNul]: "This field contains a NUL character: remove it" }, values };
  const parsed = periodSchema.safeParse(values);
  const audience = audienceSchema.safeParse(audienceInput(formData));
  if (!parsed.success || !audience.success) {
    return { ok: false, errors: { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...(audience.success ? {} : fieldErrors(audience.error)) }, values };
  }
  return { ok: true, form: { ...parsed.data, audience: audience.data } };
}

const pageNumber = z
  .string()
  .trim()
  .optional()
  .refine((value) => !value || (/^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 10_000), "A page number from 1 to 10,000, e.g. 12")
  .transform((value) => (value ? Number(value) : null));

/** An input as the person types it. */
export const inputSchema = z.object({
  body: z
    .string({ error: "Write your input" })
    .trim()
    .min(1, "Write your input")
    .max(MAX_INPUT_LENGTH, "At most 20,000 characters")
    .refine(noNul, "The text contains a NUL character: paste it again as plain text"),
  section: z
    .string()
    .trim()
    .max(200, "At most 200 characters")
    .refine(noNul, "The section contains a NUL character")
    .optional()
    .transform((value) => value || null),
  page: pageNumber,
});
type InputText = z.output<typeof inputSchema>;

/** What a participant does: send a new input, change one of theirs (both with the text), or withdraw one. */
export type InputIntent = { intent: "submit"; text: InputText } | { intent: "update"; inputId: number; text: InputText } | { intent: "withdraw"; inputId: number };

/** What a participant's form asks: send a new input, change or withdraw one of theirs. */
const inputId = recordId;
export const inputIntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("submit") }),
  z.object({ intent: z.literal("update"), inputId }),
  z.object({ intent: z.literal("withdraw"), inputId }),
]);

/** The organisers' "addressed" buttons. */
export const addressedSchema = z.object({
  inputId: recordId,
  addressed: z.enum(["yes", "no"]),
});

// ---------------------------------------------------------------------------------------------
// Comment periods

/** The participants' page for a document's inputs, as emails link to it. */
export function inputsUrl(meeting: Pick<Meeting, "slug">, documentId: number): string {
  return `${appUrl()}/meetings/${meeting.slug}/documents/${documentId}/inputs`;
}

type OpenPeriodResult =
  | { ok: true; periodId: number; invited: number; total: number }
  | { ok: false; errors: Record<string, string>; overlap?: OverlapReadings };

const ORGANISERS_ONLY = "This document is for organisers only: invitees could not read it. Change who may read it first.";

/**
 * Opens the document for comments, or changes its period (deadline, message, visibility) and adds
 * the audience's new people: ONE transaction writes the period, the invitees and an invitation email
 * to each new invitee. Invitees already there keep their inputs and get no second email.
 */
export async function openCommentPeriod(
  db: Kysely<Database>,
  input: CommentPeriodForm & { meeting: MeetingRef & Pick<Meeting, "status">; documentId: number; createdBy: number | null; now?: Date },
): Promise<OpenPeriodResult> {
  const { meeting, now = new Date() } = input;
  if (meeting.status !== "published") {
    const why = meeting.status === "draft" ? "Publish the meeting first: invitees cannot open the pages of a draft." : "The meeting is cancelled.";
    return { ok: false, errors: { form: why } };
  }
  const deadline = instantOfWallTime(input.closesLocal, meeting.timezone, input.closesSide);
  if (!deadline.ok) return { ok: false, errors: { closesLocal: deadline.message }, overlap: deadline.overlap };
  if (deadline.at <= now) {
    return { ok: false, errors: { closesLocal: `The deadline must be in the future: it is now ${formatInstant(now, meeting.timezone)}` } };
  }
  return db.transaction().execute(async (trx): Promise<OpenPeriodResult> => {
    const document = await trx
      .selectFrom("documents")
      .select(["id", "title", "symbol", "revision", "access_level"])
      .where("id", "=", input.documentId)
      .where("meeting_id", "=", meeting.id)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (!document) return { ok: false, errors: { form: "This document is not part of the meeting any more." } };
    if (document.access_level === "organisers") return { ok: false, errors: { form: ORGANISERS_ONLY } };
    const { members } = await audienceMembers(trx, meeting.id, input.audience);
    // Only people who can open the draft are invited (a paper for confirmed participants leaves out pending ones).
    const people = members.filter((member) => levelsOfRegistration(member.status).includes(document.access_level));
    if (people.length === 0) {
      const why = members.length ? "Nobody in this audience may read this document" : "Nobody matches this audience";
      return { ok: false, errors: { audience: `${why}: choose other registrants.` } };
    }
    const before = await trx.selectFrom("comment_periods").select(["closes_at", "closes_local", "inputs_visible"]).where("document_id", "=", document.id).forUpdate().executeTakeFirst();
    const values = {
      closes_local: input.closesLocal,
      closes_at: deadline.at,
      audience: JSON.stringify(input.audience),
      message: input.message,
      inputs_visible: input.inputsVisible,
    };
    const period = await trx
      .insertInto("comment_periods")
      .values({ document_id: document.id, ...values, created_by: input.createdBy })
      .onConflict((oc) => oc.column("document_id").doUpdateSet({ ...values, updated_at: now }))
      .returning("id")
      .executeTakeFirstOrThrow();
    // A new deadline deserves a new reminder before it.
    if (before && before.closes_at.getTime() !== deadline.at.getTime()) {
      await trx.updateTable("comment_period_invitees").set({ reminded_at: null }).where("period_id", "=", period.id).execute();
    }
    // Invited within the reminders' window: the invitation is their reminder, none follows it minutes later.
    const remindedAt = deadline.at.getTime() - now.getTime() <= REMIND_BEFORE_MS ? now : null;
    const added = await trx
      .insertInto("comment_period_invitees")
      .values(people.map((person) => ({ period_id: period.id, registration_id: person.id, reminded_at: remindedAt })))
      .onConflict((oc) => oc.columns(["period_id", "registration_id"]).doNothing())
      .returning("registration_id")
      .execute();
    const addedIds = new Set(added.map((row) => row.registration_id));
    const facts = { meetingTitle: meeting.title, documentName: documentLabel(displaySymbol(document.symbol, document.revision), document.title), deadline: formatInstant(deadline.at, meeting.timezone) };
    await enqueueEmails(
      trx,
      people
        .filter((person) => addedIds.has(person.id))
        .map((person) => ({
          to: person.email,
          meetingId: meeting.id,
          template: "comments-invited",
          content: commentsInvitedEmail({ ...facts, firstName: person.firstName, inputsUrl: inputsUrl(meeting, document.id), message: input.message }),
        })),
    );
    const total = await trx
      .selectFrom("comment_period_invitees")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .where("period_id", "=", period.id)
      .executeTakeFirstOrThrow();
    await recordAuditEvent(trx, {
      actor: input.createdBy,
      meetingId: meeting.id,
      action: "comment_period.opened",
      subject: { type: "document", id: document.id },
      summary: `${before ? "Changed the comment period" : "Opened for comments"}: ${facts.documentName}, ${addedIds.size} invited`,
      before: before ? { closes_local: before.closes_local, inputs_visible: before.inputs_visible } : null,
      after: { closes_local: input.closesLocal, inputs_visible: input.inputsVisible, audience: describeDocumentAudience(input.audience), invited: addedIds.size },
    });
    return { ok: true, periodId: period.id, invited: addedIds.size, total: Number(total.count) };
  });
}

/** Closes the period now ("Close now"): the deadline becomes this minute. False when the document has no open period. */
export async function closeCommentPeriod(db: Executor, meeting: MeetingRef, documentId: number, by: number | null, now: Date = new Date()): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const open = await trx
      .selectFrom("comment_periods")
      .select("closes_local")
      .where("document_id", "=", documentId)
      .where("document_id", "in", (eb) => eb.selectFrom("documents").select("id").where("meeting_id", "=", meeting.id))
      .where("closes_at", ">", now)
      .forUpdate()
      .executeTakeFirst();
    if (!open) return false;
    const closesLocal = wallTimeOf(now, meeting.timezone);
    await trx.updateTable("comment_periods").set({ closes_at: now, closes_local: closesLocal, updated_at: now }).where("document_id", "=", documentId).execute();
    await recordAuditEvent(trx, {
      actor: by,
      meetingId: meeting.id,
      action: "comment_period.closed",
      subject: { type: "document", id: documentId },
      summary: `Closed the comment period of document ${documentId} now`,
      before: { closes_local: open.closes_local },
      after: { closes_local: closesLocal },
    });
    return true;
  });
}

/** The meeting's documents open for comments now, with their deadline; with `invitee`, only those that person is invited to comment on. */
export async function openCommentPeriods(
  db: Executor,
  meetingId: number,
  now: Date = new Date(),
  invitee?: { registrationId: number },
): Promise<{ documentId: number; closesAt: Date; closesLocal: string }[]> {
  let query = db
    .selectFrom("comment_periods")
    .innerJoin("documents", "documents.id", "comment_periods.document_id")
    .select(["comment_periods.document_id", "comment_periods.closes_at", "comment_periods.closes_local"])
    .where("documents.meeting_id", "=", meetingId)
    .where("documents.deleted_at", "is", null)
    .where("comment_periods.closes_at", ">", now);
  if (invitee) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("comment_period_invitees")
          .select("registration_id")
          .whereRef("comment_period_invitees.period_id", "=", "comment_periods.id")
          .where("comment_period_invitees.registration_id", "=", invitee.registrationId),
      ),
    );
  }
  const rows = await query.orderBy("comment_periods.closes_at").execute();
  return rows.map((row) => ({ documentId: row.document_id, closesAt: row.closes_at, closesLocal: row.closes_local }));
}

async function findPeriod(db: Executor, documentId: number): Promise<CommentPeriod | undefined> {
  return db.selectFrom("comment_periods").selectAll().where("document_id", "=", documentId).executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------
// Participants

/** Where a signed-in person stands with a document's comments. */
interface CommentStanding {
  document: Document;
  period: CommentPeriod | undefined;
  /** Their registration for the meeting, when it still counts and they are invited. */
  invitee: Pick<Registration, "id" | "first_name" | "last_name"> | undefined;
  open: boolean;
}

/** The meeting's live document and the person's standing with its comments; undefined for an unknown or deleted document. */
export async function commentStanding(
  db: Executor,
  meetingId: number,
  documentId: number,
  user: Pick<User, "email">,
  now: Date = new Date(),
): Promise<CommentStanding | undefined> {
  const document = await liveDocument(db, meetingId, documentId);
  if (!document) return undefined;
  const period = await findPeriod(db, document.id);
  // A paper made organisers-only after its period opened is closed to its invitees too.
  const invitee = period && document.access_level !== "organisers"
    ? await db
        .selectFrom("comment_period_invitees as i")
        .innerJoin("registrations as r", "r.id", "i.registration_id")
        .select(["r.id", "r.first_name", "r.last_name"])
        .where("i.period_id", "=", period.id)
        .where("r.meeting_id", "=", meetingId)
        .where("r.email", "=", user.email.toLowerCase())
        .where("r.status", "in", [...ACTIVE_STATUSES])
        .executeTakeFirst()
    : undefined;
  return { document, period, invitee, open: !!period && period.closes_at > now };
}

/** Why the person may not send inputs now, or null when they may. */
export function refusalOf(standing: CommentStanding, zone: string): string | null {
  if (!standing.period) return "This document is not open for comments.";
  if (!standing.invitee) return "You are not among the people invited to comment on this document.";
  if (!standing.open) return `Comments closed ${formatInstant(standing.period.closes_at, zone)}.`;
  return null;
}

/** An input with its author, for every list of inputs. */
export interface InputView {
  id: number;
  registrationId: number;
  author: string;
  organisation: string;
  country: string;
  body: string;
  section: string | null;
  page: number | null;
  file: { name: string; size: number } | null;
  receivedAt: string;
  receivedAtIso: string;
  edited: boolean;
  addressed: boolean;
}

/** A document's inputs, oldest first; only one person's with `registrationId`. */
export async function documentInputs(
  db: Executor,
  documentId: number,
  zone: string,
  options: { registrationId?: number } = {},
): Promise<InputView[]> {
  let query = db
    .selectFrom("document_inputs as d")
    .innerJoin("registrations as r", "r.id", "d.registration_id")
    .select([
      "d.id",
      "d.registration_id",
      "d.body",
      "d.section",
      "d.page",
      "d.file_name",
      "d.file_size",
      "d.created_at",
      "d.updated_at",
      "d.addressed_at",
      "r.salutation",
      "r.first_name",
      "r.last_name",
      "r.organisation",
      "r.country",
    ])
    .where("d.document_id", "=", documentId);
  if (options.registrationId !== undefined) query = query.where("d.registration_id", "=", options.registrationId);
  const rows = await query.orderBy("d.created_at").orderBy("d.id").execute();
  return rows.map((row) => ({
    id: row.id,
    registrationId: row.registration_id,
    author: fullName(row),
    organisation: row.organisation,
    country: countryName(row.country) ?? row.country,
    body: row.body,
    section: row.section,
    page: row.page,
    file: row.file_name && row.file_size ? { name: row.file_name, size: row.file_size } : null,
    receivedAt: formatInstant(row.created_at, zone),
    receivedAtIso: row.created_at.toISOString().replace(/\.\d{3}Z$/, "Z"),
    edited: row.updated_at.getTime() - row.created_at.getTime() > 1_000,
    addressed: row.addressed_at !== null,
  }));
}

/** A file sent with an input, as the upload stored it. */
type InputFile = { key: string; name: string; mediaType: string; size: number };

type Saved = { ok: true; inputId: number } | { ok: false; status: 403 | 404; message: string };

/**
 * Sends, changes or withdraws the person's own input while the period is open. The standing is
 * read again inside the transaction, so a deadline passed meanwhile refuses it.
 */
export async function saveInput(
  db: Kysely<Database>,
  input: {
    meeting: MeetingRef;
    documentId: number;
    user: Pick<User, "email">;
    intent: InputIntent;
    file?: InputFile | null;
    now?: Date;
  },
): Promise<Saved> {
  const now = input.now ?? new Date();
  return db.transaction().execute(async (trx): Promise<Saved> => {
    const standing = await commentStanding(trx, input.meeting.id, input.documentId, input.user, now);
    if (!standing) return { ok: false, status: 404, message: "There is no such document." };
    const refusal = refusalOf(standing, input.meeting.timezone);
    if (refusal || !standing.period || !standing.invitee) return { ok: false, status: 403, message: refusal ?? "" };
    const file = input.file
      ? { file_key: input.file.key, file_name: input.file.name, file_media_type: input.file.mediaType, file_size: input.file.size }
      : {};
    const { intent } = input;
    if (intent.intent === "submit") {
      const { text } = intent;
      const row = await trx
        .insertInto("document_inputs")
        .values({
          document_id: standing.document.id,
          period_id: standing.period.id,
          registration_id: standing.invitee.id,
          body: text.body,
          section: text.section,
          page: text.page,
          ...file,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return { ok: true, inputId: row.id };
    }
    const mine = trx
      .selectFrom("document_inputs")
      .select("id")
      .where("id", "=", intent.inputId)
      .where("document_id", "=", standing.document.id)
      .where("registration_id", "=", standing.invitee.id);
    if (!(await mine.executeTakeFirst())) return { ok: false, status: 404, message: "There is no such input of yours on this document." };
    if (intent.intent === "withdraw") {
      await trx.deleteFrom("document_inputs").where("id", "=", intent.inputId).execute();
    } else {
      const { text } = intent;
      await trx
        .updateTable("document_inputs")
        .set({ body: text.body, section: text.section, page: text.page, ...file, updated_at: now })
        .where("id", "=", intent.inputId)
        .execute();
    }
    return { ok: true, inputId: intent.inputId };
  });
}

/**
 * An input's attached file, for someone who may download it: organisers, its author, and the other
 * invitees when the organiser made inputs visible. Undefined otherwise (answered as not found).
 */
export async function inputFileFor(
  db: Executor,
  input: { meetingId: number; documentId: number; inputId: number; user: Pick<User, "id" | "email" | "role"> },
): Promise<InputFile | undefined> {
  const row = await db
    .selectFrom("document_inputs as d")
    .innerJoin("documents", "documents.id", "d.document_id")
    .innerJoin("comment_periods as p", "p.id", "d.period_id")
    .innerJoin("registrations as author", "author.id", "d.registration_id")
    .select(["d.file_key", "d.file_name", "d.file_media_type", "d.file_size", "p.id as period_id", "p.inputs_visible", "author.email as author_email", "documents.access_level"])
    .where("d.id", "=", input.inputId)
    .where("d.document_id", "=", input.documentId)
    .where("documents.meeting_id", "=", input.meetingId)
    .where("documents.deleted_at", "is", null)
    .executeTakeFirst();
  if (!row?.file_key || !row.file_name || !row.file_size) return undefined;
  const file = { key: row.file_key, name: row.file_name, mediaType: row.file_media_type ?? "application/octet-stream", size: row.file_size };
  const email = input.user.email.toLowerCase();
  if (row.author_email === email || (await managesMeeting(db, input.user, input.meetingId))) return file;
  // Other invitees read it only while inputs are shared and the paper is still open to participants.
  if (!row.inputs_visible || row.access_level === "organisers") return undefined;
  const invited = await db
    .selectFrom("comment_period_invitees as i")
    .innerJoin("registrations as r", "r.id", "i.registration_id")
    .select("r.id")
    .where("i.period_id", "=", row.period_id)
    .where("r.email", "=", email)
    .where("r.status", "in", [...ACTIVE_STATUSES])
    .executeTakeFirst();
  return invited ? file : undefined;
}

// ---------------------------------------------------------------------------------------------
// Organisers

/** The period as the organisers' page shows it, with who is invited and whether each has commented. */
export async function commentPeriodOverview(db: Executor, meeting: MeetingRef, documentId: number, now: Date = new Date()) {
  const period = await findPeriod(db, documentId);
  if (!period) return null;
  const invitees = await db
    .selectFrom("comment_period_invitees as i")
    .innerJoin("registrations as r", "r.id", "i.registration_id")
    .select([
      "r.id",
      "r.salutation",
      "r.first_name",
      "r.last_name",
      "r.email",
      "r.organisation",
      "r.status",
      "i.reminded_at",
      sql<string>`(select count(*) from document_inputs d where d.period_id = i.period_id and d.registration_id = r.id)`.as("inputs"),
    ])
    .where("i.period_id", "=", period.id)
    .orderBy("r.last_name")
    .orderBy("r.first_name")
    .execute();
  const audience = storedAudience(period.audience);
  return {
    // The deadline as the meeting's zone shows it now (the zone may have changed since it was set).
    closesLocal: wallTimeOf(period.closes_at, meeting.timezone),
    closes: formatInstant(period.closes_at, meeting.timezone),
    closesIso: isoInstant(period.closes_at),
    open: period.closes_at > now,
    audience: describeDocumentAudience(audience),
    audienceValues: audienceValues(audience),
    message: period.message,
    inputsVisible: period.inputs_visible,
    invitees: invitees.map((row) => ({
      id: row.id,
      name: fullName(row),
      email: row.email,
      organisation: row.organisation,
      active: (ACTIVE_STATUSES as readonly string[]).includes(row.status),
      inputs: Number(row.inputs),
      remindedAt: row.reminded_at ? formatInstant(row.reminded_at, meeting.timezone) : null,
    })),
  };
}

/** Marks an input of the document addressed or not; false when the document has no such input. */
export async function setInputAddressed(
  db: Executor,
  input: { documentId: number; inputId: number; addressed: boolean; by: number | null; now?: Date },
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("document_inputs")
      .innerJoin("documents", "documents.id", "document_inputs.document_id")
      .select(["document_inputs.addressed_at", "documents.meeting_id"])
      .where("document_inputs.id", "=", input.inputId)
      .where("document_inputs.document_id", "=", input.documentId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) return false;
    await trx
      .updateTable("document_inputs")
      .set(input.addressed ? { addressed_at: input.now ?? new Date(), addressed_by: input.by } : { addressed_at: null, addressed_by: null })
      .where("id", "=", input.inputId)
      .execute();
    await recordAuditEvent(trx, {
      actor: input.by,
      meetingId: before.meeting_id,
      action: "document_input.addressed",
      subject: { type: "document_input", id: input.inputId },
      summary: `Marked input ${input.inputId} of document ${input.documentId} ${input.addressed ? "addressed" : "not addressed"}`,
      before: { addressed: before.addressed_at !== null },
      after: { addressed: input.addressed },
    });
    return true;
  });
}

/** The meeting's document unless deleted, or undefined: the inputs pages answer 404 for the others. */
export async function liveDocument(db: Executor, meetingId: number, documentId: number): Promise<Document | undefined> {
  const document = await findMeetingDocument(db, meetingId, documentId);
  return document && !document.deleted_at ? document : undefined;
}
