import type { Kysely } from "kysely";
import PDFDocument from "pdfkit";
import type { AccessLevel, Database, DocumentDistribution, DocumentType } from "../../db/schema";
import { documentStore } from "../../app/documents/document-store.server";
import { pdfBytes } from "../../app/lib/pdf.server";

/** Helpers for the documents tests: real small PDFs, and documents written straight to the store and the database. */

/** A one-page PDF saying `text` (pdfkit; deterministic, so the same text gives the same bytes). */
export async function samplePdf(text: string): Promise<Buffer> {
  const pdf = new PDFDocument({ size: "A4", info: { CreationDate: new Date(Date.UTC(2026, 0, 1)), Title: text } });
  const done = pdfBytes(pdf);
  pdf.fontSize(14).text(text);
  pdf.end();
  return done;
}

export type SampleFile = { language: string; content: Buffer; fileName?: string; mediaType?: string; version?: number; superseded?: boolean; revision?: number };

/** A document of the meeting with its files, stored as the upload would store them (no type check). Returns the document's id and its files' ids in order. */
export async function addDocument(
  db: Kysely<Database>,
  meetingId: number,
  input: {
    title?: string;
    type?: DocumentType;
    symbol?: string | null;
    access?: AccessLevel;
    distribution?: DocumentDistribution;
    revision?: number;
    correctsId?: number | null;
    deleted?: boolean;
    files: SampleFile[];
  },
): Promise<{ id: number; fileIds: number[] }> {
  const document = await db
    .insertInto("documents")
    .values({
      meeting_id: meetingId,
      type: input.type ?? "working_paper",
      title: input.title ?? "Working paper",
      symbol: input.symbol ?? null,
      description: null,
      access_level: input.access ?? "public",
      distribution: input.distribution ?? "general",
      revision: input.revision ?? 0,
      corrects_id: input.correctsId ?? null,
      deleted_at: input.deleted ? new Date() : null,
      deleted_by: null,
      created_by: null,
      updated_by: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const fileIds: number[] = [];
  for (const file of input.files) {
    const stored = await documentStore().put([file.content], { maxBytes: 100 * 1024 * 1024 });
    const row = await db
      .insertInto("document_files")
      .values({
        document_id: document.id,
        language: file.language,
        version: file.version ?? 1,
        revision: file.revision ?? 0,
        content_key: stored.key,
        size: stored.size,
        media_type: file.mediaType ?? "application/pdf",
        file_name: file.fileName ?? `document-${file.language}.pdf`,
        uploaded_by: null,
        superseded_at: file.superseded ? new Date() : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    fileIds.push(row.id);
  }
  return { id: document.id, fileIds };
}
