import { createReadableStreamFromReadable } from "@remix-run/node";
import type { Kysely } from "kysely";
import type { AccessLevel, Database, DocumentType, User } from "../../db/schema";
import { managesMeeting } from "~/accounts/roles.server";
import { requireUser } from "~/accounts/session.server";
import { agendaItemTitles } from "~/agenda/agenda.server";
import { formatInstant, isoInstant } from "~/lib/time";
import { publicMeetingData, requirePublicMeeting } from "~/meetings/meeting-page.server";
import { findMeeting } from "~/meetings/meetings.server";
import { ACTIVE_STATUSES } from "~/registration/registration-filters";
import { appUrl } from "~/settings.server";
import { type DocumentReader, documentReader, isOrganiser, mayRead, readableLevels } from "./access.server";
import {
  type DocumentSummary,
  compareLanguages,
  documentHref,
  earlierVersions,
  findDocumentWithHistory,
  findPublicDocumentWithHistory,
  listMeetingDocuments,
} from "./documents.server";
import { zipEntries, zipStream } from "./documents-zip.server";
import { contentDisposition } from "~/lib/content-disposition";
import { type DownloadQuery, countDownload, fileResponse, requestedFile } from "./downloads.server";
import { openCommentPeriods } from "./inputs.server";
import { DISTRIBUTION_LABELS, DOCUMENT_TYPE_PLURALS, formatFileSize, languageName } from "./labels";

/** What participants see and download of a meeting's documents: the page, one file, the zip, the API's list. */

type Db = Kysely<Database>;
type Visitor = Pick<User, "id" | "email" | "role"> | null;

/** The levels a visitor sees on the page: what they may read, and participants' papers shown locked. */
function listedLevels(reader: DocumentReader): AccessLevel[] {
  return isOrganiser(reader) ? readableLevels(reader) : ["public", "registered", "confirmed"];
}

function documentsPath(slug: string): string {
  return `/meetings/${slug}/documents`;
}

/** The person's previous visit to the meeting's documents: null the first time. */
async function previousDocumentsVisit(db: Db, userId: number, meetingId: number): Promise<Date | null> {
  const previous = await db
    .selectFrom("document_visits")
    .select("visited_at")
    .where("user_id", "=", userId)
    .where("meeting_id", "=", meetingId)
    .executeTakeFirst();
  return previous?.visited_at ?? null;
}

/**
 * Records this visit when it changes what the next one marks new: the first visit, or one that showed
 * new documents. A visit that showed none keeps the earlier time, which marks the same documents new
 * next time as this one's would: no write for most views.
 */
async function recordDocumentsVisit(db: Db, userId: number, meetingId: number, previousVisit: Date | null, shown: DocumentSummary[]): Promise<void> {
  if (previousVisit !== null && !shown.some((summary) => summary.updatedAt > previousVisit)) return;
  await db
    .insertInto("document_visits")
    .values({ user_id: userId, meeting_id: meetingId, visited_at: new Date() })
    .onConflict((oc) => oc.columns(["user_id", "meeting_id"]).doUpdateSet({ visited_at: new Date() }))
    .execute();
}

type PageContext = {
  slug: string;
  zone: string;
  reader: DocumentReader;
  previousVisit: Date | null;
  agendaTitles: Map<number, string>;
  /** Deadlines of the documents this reader is invited to comment on (organisers: all open ones). */
  commentDeadlines: Map<number, Date>;
  earlier: Awaited<ReturnType<typeof earlierVersions>>;
};

/** The open comment periods the reader takes part in: all for organisers, their invitations for participants. */
async function readersCommentDeadlines(db: Db, meetingId: number, reader: DocumentReader): Promise<Map<number, Date>> {
  const registration = reader.registration;
  const invitee = registration && (ACTIVE_STATUSES as readonly string[]).includes(registration.status) ? { registrationId: registration.id } : null;
  if (!isOrganiser(reader) && !invitee) return new Map();
  const open = await openCommentPeriods(db, meetingId, new Date(), invitee ?? undefined);
  return new Map(open.map((period) => [period.documentId, period.closesAt]));
}

function pageDocument(summary: DocumentSummary, context: PageContext) {
  const { document } = summary;
  const readable = mayRead(context.reader, document.access_level);
  return {
    id: document.id,
    title: document.title,
    symbol: summary.symbol,
    description: document.description,
    distribution: DISTRIBUTION_LABELS[document.distribution],
    /** Set when the visitor may not read it: who may. */
    lockedFor: readable ? null : document.access_level === "confirmed" ? ("confirmed" as const) : ("registered" as const),
    languages: summary.files.map((file) => languageName(file.language)),
    files: readable
      ? summary.files.map((file) => ({
          language: file.language,
          languageName: languageName(file.language),
          href: documentHref(context.slug, document.id, file.language),
          size: formatFileSize(file.size),
        }))
      : [],
    updated: { at: isoInstant(summary.updatedAt), text: formatInstant(summary.updatedAt, context.zone) },
    isNew: context.previousVisit !== null && summary.updatedAt > context.previousVisit,
    agendaItems: summary.agendaItemIds.flatMap((id) => context.agendaTitles.get(id) ?? []),
    comments: commentsOpen(summary.document.id, context),
    /** Superseded files, still downloadable: the document's history. */
    earlier: readable
      ? (context.earlier.get(document.id) ?? []).map((file) => ({
          key: `${file.language}-${file.version}`,
          label: `${languageName(file.language)}, version ${file.version}${file.revision > 0 ? ` (Rev.${file.revision})` : ""}`,
          href: documentHref(context.slug, document.id, file.language, file.version),
          uploaded: { at: isoInstant(file.created_at), text: formatInstant(file.created_at, context.zone) },
        }))
      : [],
  };
}

function commentsOpen(documentId: number, context: PageContext) {
  const closesAt = context.commentDeadlines.get(documentId);
  if (!closesAt) return null;
  const closes = { at: isoInstant(closesAt), text: formatInstant(closesAt, context.zone) };
  // Organisers read the inputs in their console; invitees send theirs on the participants' page.
  if (isOrganiser(context.reader)) {
    return { lead: "Open for comments until", action: "read the inputs", href: `/admin/meetings/${context.slug}/documents/${documentId}/inputs`, closes };
  }
  return { lead: "Open for your comments until", action: "send your input", href: `${documentsPath(context.slug)}/${documentId}/inputs`, closes };
}

export type PageDocument = ReturnType<typeof pageDocument> & { corrigenda: ReturnType<typeof pageDocument>[] };

/** Documents grouped by type in the page's order; corrigenda beside the document they correct when it is listed. */
function groupDocuments(summaries: DocumentSummary[], context: PageContext) {
  const listed = new Set(summaries.map((summary) => summary.document.id));
  const corrigendaOf = new Map<number, DocumentSummary[]>();
  for (const summary of summaries) {
    const corrects = summary.document.corrects_id;
    if (corrects !== null && listed.has(corrects)) corrigendaOf.set(corrects, [...(corrigendaOf.get(corrects) ?? []), summary]);
  }
  const groups: { type: DocumentType; heading: string; documents: PageDocument[] }[] = [];
  for (const summary of summaries) {
    const corrects = summary.document.corrects_id;
    if (corrects !== null && listed.has(corrects)) continue;
    const entry = {
      ...pageDocument(summary, context),
      corrigenda: (corrigendaOf.get(summary.document.id) ?? []).map((corrigendum) => pageDocument(corrigendum, context)),
    };
    const type = summary.document.type;
    const group = groups.at(-1)?.type === type ? groups.at(-1) : undefined;
    if (group) group.documents.push(entry);
    else groups.push({ type, heading: DOCUMENT_TYPE_PLURALS[type], documents: [entry] });
  }
  return groups;
}

/** The languages the "Download all" form offers: every language of a readable document, English first when present. */
function zipLanguages(summaries: DocumentSummary[], reader: DocumentReader) {
  const codes = new Set<string>();
  for (const summary of summaries) {
    if (mayRead(reader, summary.document.access_level)) for (const file of summary.files) codes.add(file.language);
  }
  return [...codes].sort(compareLanguages).map((code) => ({ code, name: languageName(code) }));
}

/**
 * The documents page of a public meeting for this visitor: readable documents with their links,
 * participants' documents locked for those not entitled, "new" since a signed-in person's previous
 * visit (which this view records).
 */
export async function loadDocumentsPage(db: Db, slug: string | undefined, user: Visitor) {
  const meeting = await requirePublicMeeting(db, slug);
  const reader = await documentReader(db, user, meeting.id);
  const [summaries, earlier, agendaTitles, previousVisit, commentDeadlines] = await Promise.all([
    listMeetingDocuments(db, meeting.id, { levels: listedLevels(reader) }),
    earlierVersions(db, meeting.id, readableLevels(reader)),
    agendaItemTitles(db, meeting.id),
    user ? previousDocumentsVisit(db, user.id, meeting.id) : null,
    readersCommentDeadlines(db, meeting.id, reader),
  ]);
  if (user) await recordDocumentsVisit(db, user.id, meeting.id, previousVisit, summaries);
  const context: PageContext = {
    slug: meeting.slug,
    zone: meeting.timezone,
    reader,
    previousVisit,
    agendaTitles,
    commentDeadlines,
    earlier,
  };
  const locked = summaries.some((summary) => !mayRead(reader, summary.document.access_level));
  return {
    meeting: publicMeetingData(meeting),
    groups: groupDocuments(summaries, context),
    zipLanguages: zipLanguages(summaries, reader),
    visitor: user ? { email: user.email, registrationStatus: reader.registration?.status ?? null } : null,
    locked,
    signInUrl: `/login?redirectTo=${encodeURIComponent(documentsPath(meeting.slug))}`,
  };
}

/** The meeting a download belongs to: a public one, or for its organisers a draft too (their console links its files here). */
export async function downloadsMeeting(db: Db, slug: string | undefined, user: Visitor) {
  const meeting = user ? await findMeeting(db, slug ?? "") : undefined;
  if (meeting && (await managesMeeting(db, user, meeting.id))) return meeting;
  return requirePublicMeeting(db, slug);
}

function notFound(text: string): Response {
  return new Response(text, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/**
 * One file of a document, for whoever may read it (checked on every request): anonymous visitors
 * who may not are sent to sign in, signed-in people who may not get 403. Deleted documents are 404
 * for everyone, organisers included (they restore them first).
 */
export async function downloadDocument(db: Db, request: Request, slug: string | undefined, documentId: number, query: DownloadQuery, user: Visitor) {
  // Most downloads are anonymous, of public meetings' papers: one query. Others see who asks first.
  const known = user ? undefined : await findPublicDocumentWithHistory(db, slug ?? "", documentId);
  const document = known ?? (await findDocumentWithHistory(db, (await downloadsMeeting(db, slug, user)).id, documentId));
  if (!document || document.deleted_at) throw notFound("This meeting has no such document.");
  const reader = await documentReader(db, user, document.meeting_id);
  if (!mayRead(reader, document.access_level)) {
    if (!user) await requireUser(request);
    throw new Response("This document is not available to you.", { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const file = requestedFile(document.files, query);
  if (!file) throw notFound("This document has no file in that language or version.");
  return fileResponse(request, file, {
    isPublic: document.access_level === "public",
    onDownload: () => countDownload(db, { documentId: document.id, fileId: file.id, userId: user?.id ?? null }),
  });
}

/** Every document the visitor may read, one file each in `language` (else English, else the first), as a streamed zip; each file counted as a download. */
export async function downloadAllDocuments(db: Db, request: Request, slug: string | undefined, language: string, user: Visitor) {
  const meeting = await requirePublicMeeting(db, slug);
  const reader = await documentReader(db, user, meeting.id);
  const documents = await listMeetingDocuments(db, meeting.id, { levels: readableLevels(reader) });
  const entries = zipEntries(documents, language);
  if (entries.length === 0) {
    throw notFound(
      user
        ? "This meeting has no documents that you may read yet."
        : "This meeting has no public documents yet. Participants may sign in to download the documents for participants.",
    );
  }
  if (request.method !== "HEAD") {
    await Promise.all(entries.map((entry) => countDownload(db, { documentId: entry.documentId, fileId: entry.fileId, userId: user?.id ?? null })));
  }
  return new Response(createReadableStreamFromReadable(zipStream(entries)), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": contentDisposition(`${meeting.slug}-documents-${language}.zip`),
      "Cache-Control": "private, no-cache",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** The API's `documents`: one entry per current file the visitor may read, with its absolute download address. */
export async function documentsJson(db: Db, meeting: { id: number; slug: string }, user: Visitor) {
  const reader = await documentReader(db, user, meeting.id);
  const documents = await listMeetingDocuments(db, meeting.id, { levels: readableLevels(reader) });
  return documents.flatMap(({ document, symbol, files }) =>
    files.map((file) => ({
      id: document.id,
      title: document.title,
      type: document.type,
      symbol,
      language: file.language,
      version: file.version,
      url: `${appUrl()}${documentHref(meeting.slug, document.id, file.language)}`,
    })),
  );
}
