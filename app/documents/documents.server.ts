import { type Kysely, type Transaction, sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import { DOCUMENT_TYPES, PUBLIC_MEETING_STATUSES, type AccessLevel, type Database, type Document, type DocumentFile } from "../../db/schema";
import { noNul } from "~/lib/form";
import { groupBy } from "~/lib/group-by";
import { displaySymbol, languageName, MEETING_LANGUAGES } from "./labels";

type Executor = Kysely<Database> | Transaction<Database>;

/** A meeting's documents: the queries every documents page, the API and the zip share. */

type CurrentFile = Pick<DocumentFile, "id" | "language" | "version" | "revision" | "content_key" | "size" | "media_type" | "file_name" | "created_at">;

export type DocumentSummary = {
  document: Document;
  /** The symbol as printed, with `/Rev.N`. */
  symbol: string | null;
  /** The current file of each language, in the commission's order of languages. */
  files: CurrentFile[];
  /** When the newest current file arrived. */
  updatedAt: Date;
  agendaItemIds: number[];
};

const TYPE_ORDER = new Map<string, number>(DOCUMENT_TYPES.map((type, index) => [type, index]));
const symbolCollator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

function languageRank(language: string): number {
  const index = (MEETING_LANGUAGES as readonly string[]).indexOf(language);
  return index === -1 ? MEETING_LANGUAGES.length : index;
}

/** The commission's languages first, in their order, then the others alphabetically. */
export function compareLanguages(a: string, b: string): number {
  return languageRank(a) - languageRank(b) || a.localeCompare(b);
}

/** Documents with their current files (as JSON) and linked agenda items: one query, whatever the number of documents. */
function documentsWithFiles(db: Executor) {
  return db
    .selectFrom("documents")
    .selectAll("documents")
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom("document_files")
          .select(["id", "language", "version", "revision", "content_key", "size", "media_type", "file_name", "created_at"])
          .whereRef("document_files.document_id", "=", "documents.id")
          .where("document_files.superseded_at", "is", null),
      ).as("files"),
      sql<number[]>`array(select agenda_item_id from document_agenda_items where document_id = documents.id)`.as("agenda_item_ids"),
    ]);
}

/** JSON carries the files' upload times as text. */
type DocumentWithFiles = Document & { files: (Omit<CurrentFile, "created_at"> & { created_at: string })[]; agenda_item_ids: number[] };

/**
 * The meeting's documents at the given access levels that have at least one file, in the order of
 * the documents page: by type, then symbol (WP.2 before WP.10), then title. Deleted ones only
 * with `deleted: true` (the organisers' bin).
 */
export async function listMeetingDocuments(
  db: Executor,
  meetingId: number,
  options: { levels: readonly AccessLevel[]; deleted?: boolean },
): Promise<DocumentSummary[]> {
  if (options.levels.length === 0) return [];
  const rows = await documentsWithFiles(db)
    .where("documents.meeting_id", "=", meetingId)
    .where("documents.access_level", "in", options.levels)
    .where("documents.deleted_at", options.deleted ? "is not" : "is", null)
    .execute();
  return summaries(rows);
}

/** One document of the meeting (deleted ones too: callers decide), or undefined. */
export async function findMeetingDocument(db: Executor, meetingId: number, documentId: number): Promise<Document | undefined> {
  return db.selectFrom("documents").selectAll().where("id", "=", documentId).where("meeting_id", "=", meetingId).executeTakeFirst();
}

/** These documents as summaries (those with a file), in the order of the documents page. */
export async function summarise(db: Executor, documents: Document[]): Promise<DocumentSummary[]> {
  if (documents.length === 0) return [];
  return summaries(await documentsWithFiles(db).where("documents.id", "in", documents.map((document) => document.id)).execute());
}

function summaries(rows: DocumentWithFiles[]): DocumentSummary[] {
  return rows
    .filter((row) => row.files.length > 0)
    .map(({ files, agenda_item_ids, ...document }) => {
      const current = files.map((file) => ({ ...file, created_at: new Date(file.created_at) })).sort((a, b) => compareLanguages(a.language, b.language));
      return {
        document,
        symbol: displaySymbol(document.symbol, document.revision),
        files: current,
        updatedAt: new Date(Math.max(...current.map((file) => file.created_at.getTime()))),
        agendaItemIds: agenda_item_ids,
      };
    })
    .sort(
      (a, b) =>
        (TYPE_ORDER.get(a.document.type) ?? 0) - (TYPE_ORDER.get(b.document.type) ?? 0) ||
        symbolCollator.compare(a.document.symbol ?? "\uffff", b.document.symbol ?? "\uffff") ||
        a.document.title.localeCompare(b.document.title),
    );
}

/** The superseded files of the meeting's documents at these access levels (not deleted) by document id, in the order of languages, newest version first. */
export async function earlierVersions(db: Executor, meetingId: number, levels: readonly AccessLevel[]) {
  if (levels.length === 0) return new Map<number, Pick<DocumentFile, "language" | "version" | "revision" | "created_at">[]>();
  const files = await db
    .selectFrom("document_files")
    .innerJoin("documents", "documents.id", "document_files.document_id")
    .select(["document_files.document_id", "document_files.language", "document_files.version", "document_files.revision", "document_files.created_at"])
    .where("documents.meeting_id", "=", meetingId)
    .where("documents.access_level", "in", levels)
    .where("documents.deleted_at", "is", null)
    .where("document_files.superseded_at", "is not", null)
    .execute();
  files.sort((a, b) => compareLanguages(a.language, b.language) || b.version - a.version);
  return groupBy(files, (file) => file.document_id);
}

/**
 * One document of the meeting (deleted ones too: callers decide) with its history: every file,
 * current and superseded, in the order of languages, newest version first. One query.
 */
export async function findDocumentWithHistory(db: Executor, meetingId: number, documentId: number) {
  const document = await documentWithHistory(db).where("documents.id", "=", documentId).where("documents.meeting_id", "=", meetingId).executeTakeFirst();
  return withFilesInOrder(document);
}

/** The same, of a meeting the public may see, named by its slug: an anonymous download in one query. */
export async function findPublicDocumentWithHistory(db: Executor, slug: string, documentId: number) {
  // PostgreSQL refuses a NUL in text; no slug holds one.
  if (!noNul(slug)) return undefined;
  const document = await documentWithHistory(db)
    .innerJoin("meetings", "meetings.id", "documents.meeting_id")
    .where("meetings.slug", "=", slug)
    .where("meetings.status", "in", PUBLIC_MEETING_STATUSES)
    .where("documents.id", "=", documentId)
    .executeTakeFirst();
  return withFilesInOrder(document);
}

/** A document with every file, superseded ones too (as JSON). */
function documentWithHistory(db: Executor) {
  return db
    .selectFrom("documents")
    .selectAll("documents")
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom("document_files")
          .select(["id", "language", "version", "superseded_at", "content_key", "size", "media_type", "file_name"])
          .whereRef("document_files.document_id", "=", "documents.id"),
      ).as("files"),
    );
}

function withFilesInOrder<T extends { files: { language: string; version: number }[] }>(document: T | undefined): T | undefined {
  document?.files.sort((a, b) => compareLanguages(a.language, b.language) || b.version - a.version);
  return document;
}

/** A document's download address: its current file in `language`, or an older `version` of it. */
export function documentHref(meetingSlug: string, documentId: number, language: string, version?: number): string {
  const query = new URLSearchParams({ lang: language });
  if (version !== undefined) query.set("version", String(version));
  return `/meetings/${meetingSlug}/documents/${documentId}?${query}`;
}

/** A paper linked to agenda items, with a download link per language. */
export type AgendaDocument = { id: number; label: string; downloads: { language: string; href: string }[] };

/** The papers linked to each agenda item that this reader may open, by item id. */
export async function documentsByAgendaItem(db: Executor, meeting: { id: number; slug: string }, levels: readonly AccessLevel[]) {
  const byItem: Record<string, AgendaDocument[]> = {};
  for (const summary of await listMeetingDocuments(db, meeting.id, { levels })) {
    const entry = {
      id: summary.document.id,
      label: [summary.symbol, summary.document.title].filter(Boolean).join(" "),
      downloads: summary.files.map((file) => ({ language: languageName(file.language), href: documentHref(meeting.slug, summary.document.id, file.language) })),
    };
    for (const itemId of summary.agendaItemIds) (byItem[itemId] ??= []).push(entry);
  }
  return byItem;
}
