import { type Kysely, sql, type Transaction } from "kysely";
import type { AccessLevel, Database, Document, DocumentDistribution, DocumentType, Meeting } from "../../db/schema";
import { ACCESS_LEVELS } from "../../db/schema";
import { DateTime } from "luxon";
import { listAgendaItems } from "~/agenda/agenda.server";
import { compareLanguages, documentHref, listMeetingDocuments, type DocumentSummary } from "./documents.server";
import { displaySymbol, formatFileSize, languageName } from "./labels";
import { formatInstant } from "~/lib/time";
import { changedFields, inTransaction, recordAuditEvent } from "~/audit/audit-log.server";

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * What organisers do to a meeting's documents: create one with its files, edit it, add a language
 * or a new version of one (a formal revision bumps the document's `/Rev.N`), delete and restore.
 * Files are already in the document store (the upload pipeline or the demo data put them there):
 * these functions write only their metadata, each change in one transaction (the caller's, when
 * given a transaction, as the demo data loader does).
 */

/** A file already in the document store, as the upload pipeline (or the demo data) stored it. */
export type StoredFile = { key: string; size: number; mediaType: string; fileName: string };

export type DocumentMetadata = {
  type: DocumentType;
  title: string;
  /** Ignored for a corrigendum, whose symbol is computed from the original's. */
  symbol: string | null;
  description: string | null;
  distribution: DocumentDistribution;
  access: AccessLevel;
  agendaItemIds: number[];
};

/** A refusal the form shows next to a field. */
type DocumentChange<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

/**
 * Creates a document of the meeting with its files (version 1 of each language) and its agenda
 * links. A corrigendum (`correctsId`) gets the symbol `<original>/Corr.N`, N the next number.
 * Refused when the symbol is another document's of the meeting (deleted ones included).
 */
export async function createDocument(
  db: Executor,
  input: DocumentMetadata & {
    meetingId: number;
    correctsId?: number | null;
    files: (StoredFile & { language: string })[];
    createdBy: number | null;
  },
): Promise<DocumentChange<number>> {
  if (input.files.length === 0) return { ok: false, field: "files", message: "Add at least one file." };
  return inTransactionRefusingTakenSymbol(db, async (trx) => {
    let symbol = input.symbol;
    if (input.correctsId) {
      const corrected = await corrigendumSymbol(trx, input.meetingId, input.correctsId);
      if (!corrected.ok) return corrected;
      symbol = corrected.value;
    }
    const clash = await symbolClash(trx, input.meetingId, symbol, null);
    if (clash) return clash;
    const { id } = await trx
      .insertInto("documents")
      .values({
        ...metadataColumns(input, symbol),
        meeting_id: input.meetingId,
        corrects_id: input.correctsId ?? null,
        deleted_at: null,
        deleted_by: null,
        created_by: input.createdBy,
        updated_by: input.createdBy,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("document_files")
      .values(input.files.map((file) => ({ ...fileColumns(file), document_id: id, language: file.language, version: 1, revision: 0, uploaded_by: input.createdBy })))
      .execute();
    await linkAgendaItems(trx, id, input.agendaItemIds);
    await recordAuditEvent(trx, {
      actor: input.createdBy,
      meetingId: input.meetingId,
      action: "document.created",
      subject: { type: "document", id },
      summary: `Added “${input.title}”${symbol ? ` (${symbol})` : ""} in ${input.files.map((file) => file.language).join(", ")}`,
      after: { ...metadataColumns(input, symbol), agenda_items: input.agendaItemIds, files: input.files.map((file) => ({ language: file.language, name: file.fileName })) },
    });
    return { ok: true, value: id };
  });
}

/** The documents row's columns for the metadata a form gives. */
function metadataColumns(input: DocumentMetadata, symbol: string | null) {
  return { type: input.type, title: input.title, symbol, description: input.description, distribution: input.distribution, access_level: input.access };
}

/** Changes a document's metadata and agenda links; a corrigendum keeps its computed symbol. */
/** A deleted document keeps its files and details as they were until it is restored. */
const WHILE_DELETED = "This document is deleted: restore it first.";

export async function updateDocument(db: Executor, document: Document, input: DocumentMetadata, updatedBy: number | null): Promise<DocumentChange<null>> {
  return inTransactionRefusingTakenSymbol(db, async (trx) => {
    const locked = await trx.selectFrom("documents").selectAll().where("id", "=", document.id).forUpdate().executeTakeFirstOrThrow();
    if (locked.deleted_at) return { ok: false, field: "form", message: WHILE_DELETED };
    const before = { ...locked, agenda_items: (await documentAgendaItemIds(trx, document.id)).sort((a, b) => a - b) };
    const symbol = document.corrects_id ? document.symbol : input.symbol;
    const clash = await symbolClash(trx, document.meeting_id, symbol, document.id);
    if (clash) return clash;
    await trx
      .updateTable("documents")
      .set({
        ...metadataColumns(input, symbol),
        updated_by: updatedBy,
        updated_at: sql`now()`,
      })
      .where("id", "=", document.id)
      .execute();
    await trx.deleteFrom("document_agenda_items").where("document_id", "=", document.id).execute();
    await linkAgendaItems(trx, document.id, input.agendaItemIds);
    const changed = changedFields(before, { ...metadataColumns(input, symbol), agenda_items: [...input.agendaItemIds].sort((a, b) => a - b) });
    if (changed.names.length > 0) {
      const summary = `Edited “${input.title}”: ${changed.names.join(", ")}`;
      await recordAuditEvent(trx, { actor: updatedBy, meetingId: document.meeting_id, action: "document.updated", subject: { type: "document", id: document.id }, summary, before: changed.before, after: changed.after });
    }
    return { ok: true, value: null };
  });
}

/**
 * Adds a file in `language`: the language's first (adding a language) or its next version, which
 * supersedes the current one. With `revision`, it is a formal revision: the document's revision
 * goes up by one (its symbol shows `/Rev.N`) and the file carries it; otherwise the file carries
 * the document's current revision. The document row is locked, so concurrent uploads of the same
 * language take turns and exactly one file stays current. The same content as the current file is refused.
 */
export async function addDocumentFile(
  db: Executor,
  input: { documentId: number; language: string; file: StoredFile; revision: boolean; uploadedBy: number | null },
): Promise<DocumentChange<{ version: number; revision: number }>> {
  return inTransaction(db, async (trx) => {
    const document = await trx.selectFrom("documents").select(["id", "meeting_id", "title", "revision", "deleted_at"]).where("id", "=", input.documentId).forUpdate().executeTakeFirstOrThrow();
    if (document.deleted_at) return { ok: false as const, field: "file", message: WHILE_DELETED };
    const files = await trx
      .selectFrom("document_files")
      .select(["id", "version", "content_key", "superseded_at"])
      .where("document_id", "=", document.id)
      .where("language", "=", input.language)
      .execute();
    const current = files.find((file) => file.superseded_at === null);
    if (current?.content_key === input.file.key) {
      return { ok: false as const, field: "file", message: "This file is the same as the current version of that language." };
    }
    const revision = input.revision ? document.revision + 1 : document.revision;
    if (input.revision) await trx.updateTable("documents").set({ revision, updated_by: input.uploadedBy, updated_at: sql`now()` }).where("id", "=", document.id).execute();
    if (current) await trx.updateTable("document_files").set({ superseded_at: sql`now()` }).where("id", "=", current.id).execute();
    const version = Math.max(0, ...files.map((file) => file.version)) + 1;
    await trx
      .insertInto("document_files")
      .values({ ...fileColumns(input.file), document_id: document.id, language: input.language, version, revision, uploaded_by: input.uploadedBy })
      .execute();
    await recordAuditEvent(trx, {
      actor: input.uploadedBy,
      meetingId: document.meeting_id,
      action: "document.file_added",
      subject: { type: "document", id: document.id },
      summary: `Added ${input.file.fileName} to “${document.title}”: ${input.language} version ${version}${input.revision ? `, revision ${revision}` : ""}`,
      ...(input.revision ? { before: { revision: document.revision } } : {}),
      after: { language: input.language, version, revision, file: input.file.fileName },
    });
    return { ok: true as const, value: { version, revision } };
  });
}

/** Soft delete: the document leaves every list and download but keeps its files and symbol. */
export async function deleteDocument(db: Executor, documentId: number, deletedBy: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const deleted = await trx
      .updateTable("documents")
      .set({ deleted_at: sql`now()`, deleted_by: deletedBy })
      .where("id", "=", documentId)
      .where("deleted_at", "is", null)
      .returning(["meeting_id", "title", "symbol"])
      .executeTakeFirst();
    if (!deleted) return;
    const summary = `Deleted “${deleted.title}”${deleted.symbol ? ` (${deleted.symbol})` : ""}`;
    await recordAuditEvent(trx, { actor: deletedBy, meetingId: deleted.meeting_id, action: "document.deleted", subject: { type: "document", id: documentId }, summary, before: { deleted: false }, after: { deleted: true } });
  });
}

export async function restoreDocument(db: Executor, documentId: number, restoredBy: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const restored = await trx
      .updateTable("documents")
      .set({ deleted_at: null, deleted_by: null, updated_by: restoredBy, updated_at: sql`now()` })
      .where("id", "=", documentId)
      .where("deleted_at", "is not", null)
      .returning(["meeting_id", "title", "symbol"])
      .executeTakeFirst();
    if (!restored) return;
    const summary = `Restored “${restored.title}”${restored.symbol ? ` (${restored.symbol})` : ""}`;
    await recordAuditEvent(trx, { actor: restoredBy, meetingId: restored.meeting_id, action: "document.restored", subject: { type: "document", id: documentId }, summary, before: { deleted: true }, after: { deleted: false } });
  });
}

/** Downloads in all, and by distinct signed-in people. */
type DownloadCount = { total: number; people: number };

type AdminDocumentRow = DocumentSummary & { downloads: DownloadCount };

/** The organisers' list: every document of the meeting (or its deleted ones), with its download counts. */
export async function adminDocumentList(db: Executor, meetingId: number, options: { deleted: boolean }): Promise<AdminDocumentRow[]> {
  const documents = await listMeetingDocuments(db, meetingId, { levels: ACCESS_LEVELS, deleted: options.deleted });
  const counts = await downloadCounts(db, documents.map((entry) => entry.document.id));
  return documents.map((entry) => ({ ...entry, downloads: counts.get(entry.document.id) ?? { total: 0, people: 0 } }));
}

async function downloadCounts(db: Executor, documentIds: number[]): Promise<Map<number, DownloadCount>> {
  if (documentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("document_downloads")
    .select((eb) => ["document_id", eb.fn.countAll<string>().as("total"), eb.fn.count<string>("user_id").distinct().as("people")])
    .where("document_id", "in", documentIds)
    .groupBy("document_id")
    .execute();
  return new Map(rows.map((row) => [row.document_id, { total: Number(row.total), people: Number(row.people) }]));
}

/** How often a document was downloaded, and the latest 50 downloads: who (null for anonymous), when, which file. */
export async function documentDownloads(db: Executor, documentId: number) {
  const [counts, latest] = await Promise.all([
    downloadCounts(db, [documentId]),
    db
      .selectFrom("document_downloads")
      .innerJoin("document_files", "document_files.id", "document_downloads.file_id")
      .leftJoin("users", "users.id", "document_downloads.user_id")
      .select(["document_downloads.id", "document_downloads.created_at", "users.email", "document_files.language", "document_files.version"])
      .where("document_downloads.document_id", "=", documentId)
      .orderBy("document_downloads.created_at", "desc")
      .orderBy("document_downloads.id", "desc")
      .limit(50)
      .execute(),
  ]);
  return { total: counts.get(documentId)?.total ?? 0, latest };
}

/** The document's file history by language, newest version first: each file's symbol, size, times (in the meeting's zone), uploader and download address. */
export async function fileHistoryByLanguage(db: Executor, document: Pick<Document, "id" | "symbol">, meeting: Pick<Meeting, "slug" | "timezone">) {
  const files = await db
    .selectFrom("document_files")
    .leftJoin("users", "users.id", "document_files.uploaded_by")
    .selectAll("document_files")
    .select("users.email as uploader")
    .where("document_id", "=", document.id)
    .execute();
  const languages = [...new Set(files.map((file) => file.language))].sort(compareLanguages);
  return languages.map((code) => {
    const versions = files.filter((file) => file.language === code).sort((a, b) => b.version - a.version);
    return {
      code,
      name: languageName(code),
      version: versions[0]!.version,
      files: versions.map((file) => ({
        id: file.id,
        version: file.version,
        revision: file.revision,
        symbol: displaySymbol(document.symbol, file.revision),
        fileName: file.file_name,
        size: formatFileSize(file.size),
        uploadedAt: formatInstant(file.created_at, meeting.timezone),
        uploader: file.uploader,
        supersededAt: file.superseded_at ? formatInstant(file.superseded_at, meeting.timezone) : null,
        href: documentHref(meeting.slug, document.id, file.language, file.version),
      })),
    };
  });
}

/** Documents a new one may correct: the meeting's documents that are not deleted and not corrigenda themselves. */
export async function correctableDocuments(db: Executor, meetingId: number) {
  return db
    .selectFrom("documents")
    .select(["id", "title", "symbol", "revision"])
    .where("meeting_id", "=", meetingId)
    .where("deleted_at", "is", null)
    .where("corrects_id", "is", null)
    .orderBy("symbol")
    .orderBy("title")
    .execute();
}

/** The corrigenda of a document (deleted ones too, marked): its page lists them. */
export async function corrigendaOf(db: Executor, documentId: number) {
  return db.selectFrom("documents").select(["id", "title", "symbol", "deleted_at"]).where("corrects_id", "=", documentId).orderBy("id").execute();
}

/** The meeting's agenda items as the forms offer them: "Tue 1 Dec, 09:30 – Opening session" (wall clock in the meeting's zone). */
export async function agendaChoices(db: Executor, meetingId: number): Promise<{ value: string; label: string }[]> {
  const items = await listAgendaItems(db, meetingId);
  return items.map((item) => ({ value: String(item.id), label: `${DateTime.fromISO(item.startsLocal).toFormat("ccc d LLL, HH:mm")} – ${item.title}` }));
}

/** The agenda items of a document. */
export async function documentAgendaItemIds(db: Executor, documentId: number): Promise<number[]> {
  const rows = await db.selectFrom("document_agenda_items").select("agenda_item_id").where("document_id", "=", documentId).execute();
  return rows.map((row) => row.agenda_item_id);
}

function fileColumns(file: StoredFile) {
  return { content_key: file.key, size: file.size, media_type: file.mediaType, file_name: file.fileName, superseded_at: null };
}

async function linkAgendaItems(trx: Transaction<Database>, documentId: number, itemIds: number[]): Promise<void> {
  if (itemIds.length === 0) return;
  await trx
    .insertInto("document_agenda_items")
    .values([...new Set(itemIds)].map((agenda_item_id) => ({ document_id: documentId, agenda_item_id })))
    .execute();
}

/** `<original's symbol>/Corr.N`, N one more than the original's corrigenda so far (deleted ones count: they keep their symbols). */
async function corrigendumSymbol(trx: Transaction<Database>, meetingId: number, originalId: number): Promise<DocumentChange<string>> {
  // Locked, so that two corrigenda of the same document cannot both get the same number.
  const original = await trx
    .selectFrom("documents")
    .select(["symbol", "corrects_id"])
    .where("id", "=", originalId)
    .where("meeting_id", "=", meetingId)
    .where("deleted_at", "is", null)
    .forUpdate()
    .executeTakeFirst();
  if (!original || original.corrects_id !== null) return { ok: false, field: "corrects", message: "Choose one of this meeting's documents." };
  if (!original.symbol) return { ok: false, field: "corrects", message: "That document has no symbol: give it one first, so that its corrigendum can be numbered." };
  const { count } = await trx.selectFrom("documents").select((eb) => eb.fn.countAll<string>().as("count")).where("corrects_id", "=", originalId).executeTakeFirstOrThrow();
  return { ok: true, value: `${original.symbol}/Corr.${Number(count) + 1}` };
}

/** The refusal when another document of the meeting (deleted or not) has the symbol, whatever its case. */
async function symbolClash(db: Executor, meetingId: number, symbol: string | null, exceptId: number | null): Promise<{ ok: false; field: string; message: string } | null> {
  if (!symbol) return null;
  let query = db
    .selectFrom("documents")
    .select(["id", "title", "deleted_at"])
    .where("meeting_id", "=", meetingId)
    .where(sql`lower(symbol)`, "=", symbol.toLowerCase());
  if (exceptId !== null) query = query.where("id", "!=", exceptId);
  const other = await query.executeTakeFirst();
  if (!other) return null;
  const deleted = other.deleted_at ? " (deleted: restore it, or choose another symbol)" : "";
  return { ok: false, field: "symbol", message: `${symbol} is already the symbol of “${other.title}”${deleted}.` };
}

/**
 * Runs `change` in a transaction; a symbol taken by a concurrent change (the unique index answers)
 * is the same refusal as one found beforehand.
 */
async function inTransactionRefusingTakenSymbol<T>(db: Executor, change: (trx: Transaction<Database>) => Promise<DocumentChange<T>>): Promise<DocumentChange<T>> {
  try {
    return await inTransaction(db, change);
  } catch (error) {
    if ((error as { constraint?: string }).constraint === "documents_meeting_symbol_key") {
      return { ok: false, field: "symbol", message: "Another document of this meeting has just been given this symbol: choose another." };
    }
    throw error;
  }
}
