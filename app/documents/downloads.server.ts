import { createReadableStreamFromReadable } from "@remix-run/node";
import { type Kysely, type Transaction, sql } from "kysely";
import { z } from "zod";
import type { Database, DocumentFile } from "../../db/schema";
import { contentDisposition } from "~/lib/content-disposition";
import { recordId } from "~/lib/form";
import { etagMatches } from "~/lib/conditional-requests.server";
import { type HeaderReader, type PlainAnswer, answerResponse } from "~/lib/plain-answer.server";
import { perDatabase } from "~/lib/per-database.server";
import { RenderCache, keptBody } from "~/lib/render-cache.server";
import { WriteGroups } from "~/lib/write-groups.server";
import { documentReader, mayRead } from "./access.server";
import { DocumentNotFound, documentStore } from "./document-store.server";
import { findPublicDocumentWithHistory } from "./documents.server";

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Downloads of documents over HTTP: which file a request asks for, the headers (RFC 9110 ranges and
 * validators, RFC 6266 names), the streamed answer, and the record of who downloaded what.
 */

export type StoredFile = Pick<DocumentFile, "content_key" | "size" | "media_type" | "file_name">;

/** What a `Range` header asks of content of `size` bytes. */
type RangeRequest = { kind: "whole" } | { kind: "part"; start: number; end: number } | { kind: "unsatisfiable" };

const RANGE_SPEC = /^\s*(\d*)\s*-\s*(\d*)\s*$/;

/**
 * One `bytes=` range (`a-b`, `a-`, `-n`) of content of `size` bytes. Headers that are not a bytes
 * range, are malformed, or ask for several ranges are ignored (the whole content answers them, as
 * RFC 9110 allows); a range starting past the end, or `-0`, is unsatisfiable.
 */
export function parseRange(header: string | null, size: number): RangeRequest {
  const unit = /^bytes=(.*)$/i.exec(header?.trim() ?? "");
  if (!unit || unit[1]!.includes(",")) return { kind: "whole" };
  const spec = RANGE_SPEC.exec(unit[1]!);
  if (!spec || (spec[1] === "" && spec[2] === "")) return { kind: "whole" };
  const [, first, last] = spec;
  if (first === "") {
    const suffix = Number(last);
    return suffix === 0 ? { kind: "unsatisfiable" } : { kind: "part", start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== "" && Number(last) < start) return { kind: "whole" };
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "part", start, end: last === "" ? size - 1 : Math.min(Number(last), size - 1) };
}

/** The file's media type, with `charset=utf-8` for text. */
export function contentType(mediaType: string): string {
  return mediaType.startsWith("text/") && !/charset=/i.test(mediaType) ? `${mediaType}; charset=utf-8` : mediaType;
}

/**
 * The language to serve from those available (in the commission's order): the one asked for, else
 * English, else the first.
 */
export function fileForLanguage<T extends { language: string }>(files: readonly T[], wanted: string): T | undefined {
  return files.find((file) => file.language === wanted) ?? files.find((file) => file.language === "en") ?? files[0];
}

/**
 * The file a download asks for among a document's files (its history): `language` (default: English,
 * else the first current language) and `version` (default: the current one). Undefined if none.
 * Only whether `superseded_at` is null counts (read as JSON it is text).
 */
export function requestedFile<T extends { language: string; version: number; superseded_at: Date | string | null }>(
  files: readonly T[],
  query: { lang?: string; version?: number },
): T | undefined {
  const current = files.filter((file) => file.superseded_at === null);
  const language = query.lang ?? fileForLanguage(current, "en")?.language;
  if (query.version === undefined) return current.find((file) => file.language === language);
  return files.find((file) => file.language === language && file.version === query.version);
}

const downloadQuery = z.object({
  lang: z
    .string()
    .regex(/^[a-z]{2,3}$/)
    .optional(),
  version: recordId.optional(),
});

export type DownloadQuery = z.output<typeof downloadQuery>;

/** A download address's `?lang=` (an ISO 639 code) and `?version=` (a number; default the current one). */
export function parseDownloadQuery(url: URL) {
  return downloadQuery.safeParse({ lang: url.searchParams.get("lang") ?? undefined, version: url.searchParams.get("version") ?? undefined });
}

/**
 * The file an anonymous visitor downloads at a public meeting's address: undefined unless the
 * document is one they may read and not deleted (the download route then says why).
 */
export async function anonymousDownload(db: Executor, slug: string, documentId: number, query: DownloadQuery): Promise<StoredFile | undefined> {
  const document = await findPublicDocumentWithHistory(db, slug, documentId);
  if (!document || document.deleted_at || !mayRead(await documentReader(db, null, document.meeting_id), document.access_level)) return undefined;
  return requestedFile(document.files, query);
}

export type Download = { documentId: number; fileId: number; userId: number | null };

/**
 * Counts downloads for the organisers: one row per file handed out from its first byte (a whole file,
 * or a range that starts it). Committed without waiting for the disk (`synchronous_commit` off for
 * this statement's transaction only, set from its RETURNING so that it stays one round trip): waiting
 * held a pooled connection 1 to 6 ms per download, and a crash of PostgreSQL itself can lose at most
 * the last fraction of a second of counts, never leave them inconsistent.
 */
async function recordDownloads(db: Executor, downloads: readonly Download[]): Promise<void> {
  if (downloads.length === 0) return;
  await db
    .insertInto("document_downloads")
    .values(downloads.map(({ documentId, fileId, userId }) => ({ document_id: documentId, file_id: fileId, user_id: userId })))
    .returning(sql<string>`set_config('synchronous_commit', 'off', true)`.as("asynchronous_commit"))
    .execute();
}

/**
 * Counts one download, together with the downloads answered at the same moment (see WriteGroups):
 * each waits for the insert that carries its row, so none is answered uncounted. Under load that is
 * one statement for tens of downloads instead of one each.
 */
export function countDownload(db: Kysely<Database>, download: Download): Promise<void> {
  return downloadTally(db).write("downloads", download);
}

const downloadTally = perDatabase(
  (db: Kysely<Database>) =>
    new WriteGroups<"downloads", Download, void>({
      together: async (downloads) => {
        await recordDownloads(db, downloads);
        return downloads.map(() => undefined);
      },
      alone: (download) => recordDownloads(db, [download]),
      most: 1_000,
    }),
);

function plainText(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff", ...headers } });
}

function fileHeaders(file: Pick<StoredFile, "content_key">, isPublic: boolean): Record<string, string> {
  return {
    ETag: `"${file.content_key}"`,
    "Accept-Ranges": "bytes",
    "Cache-Control": isPublic ? "public, no-cache" : "private, no-cache",
    "X-Content-Type-Options": "nosniff",
  };
}

/** 304 when the request's `If-None-Match` names the file's bytes (its strong ETag); null otherwise. */
export function notModifiedFile(requestHeaders: HeaderReader, file: Pick<StoredFile, "content_key">, isPublic: boolean): PlainAnswer | null {
  return etagMatches(requestHeaders.get("If-None-Match"), `"${file.content_key}"`) ? { status: 304, headers: fileHeaders(file, isPublic), body: [] } : null;
}

/**
 * The answer to a GET (or HEAD) of a stored file: 304 when `If-None-Match` names it, 206 for one
 * satisfiable range (honouring `If-Range`), 416 for an unsatisfiable one, else 200 with the whole
 * file, from memory or streamed from the store. `onDownload` runs before a body that starts at byte 0 is sent (not for HEAD).
 */
export async function fileResponse(
  request: Request,
  file: StoredFile,
  options: { isPublic: boolean; onDownload?: () => Promise<void> },
): Promise<Response> {
  const unchanged = notModifiedFile(request.headers, file, options.isPublic);
  if (unchanged) return answerResponse(unchanged);
  const etag = `"${file.content_key}"`;
  const headers = fileHeaders(file, options.isPublic);

  const ifRange = request.headers.get("If-Range");
  const range = ifRange !== null && ifRange.trim() !== etag ? ({ kind: "whole" } as const) : parseRange(request.headers.get("Range"), file.size);
  if (range.kind === "unsatisfiable") {
    return plainText(416, "The requested range is not within the file.", { ...headers, "Content-Range": `bytes */${file.size}` });
  }
  const part = range.kind === "part" ? { start: range.start, end: range.end } : undefined;
  let body;
  try {
    body = await fileBody(file, part);
  } catch (error) {
    if (error instanceof DocumentNotFound) return plainText(404, "The file of this document is not available.");
    throw error;
  }
  if (request.method !== "HEAD" && (part?.start ?? 0) === 0) await options.onDownload?.();
  const start = part?.start ?? 0;
  const end = part?.end ?? file.size - 1;
  Object.assign(headers, {
    "Content-Type": contentType(file.media_type),
    "Content-Disposition": contentDisposition(file.file_name),
    "Content-Length": String(end - start + 1),
  });
  if (part) headers["Content-Range"] = `bytes ${start}-${end}/${file.size}`;
  if (request.method === "HEAD") await body.cancel();
  return new Response(request.method === "HEAD" ? null : body, { status: part ? 206 : 200, headers });
}

/**
 * Files up to this size are kept in memory once read, by content key (which names the bytes, so
 * nothing stale is served): most papers are a few hundred kB at most, downloaded again and again,
 * and reading one from disk cost a third of a download's time.
 */
const KEPT_FILE_BYTES = 512 * 1024;
const keptFiles = new RenderCache<Buffer>(32 * 1024 * 1024, 10 * 60_000, (bytes) => bytes.length);

/**
 * A small file's bytes, from memory once read (downloads and zips alike); null for a file to stream
 * from the store: a large one, or one whose length is not the one recorded (streaming it fails as it
 * always has).
 */
export async function keptFileBytes(file: Pick<StoredFile, "content_key" | "size">): Promise<Buffer | null> {
  if (file.size > KEPT_FILE_BYTES) return null;
  const bytes = await keptFiles.get(file.content_key, () => documentStore().read(file.content_key));
  return bytes.length === file.size ? bytes : null;
}

/** The file, or the part of it asked for, as a response body: from memory for a small file, else streamed from the store. */
async function fileBody(file: StoredFile, part: { start: number; end: number } | undefined): Promise<ReadableStream<Uint8Array>> {
  const bytes = await keptFileBytes(file);
  if (bytes) return keptBody([part ? bytes.subarray(part.start, part.end + 1) : bytes]).body;
  return createReadableStreamFromReadable((await documentStore().open(file.content_key, part)).stream);
}
