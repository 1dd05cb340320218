import { unstable_parseMultipartFormData, type UploadHandlerPart } from "@remix-run/node";
import { maxUploadBytes } from "~/settings.server";
import { DocumentNotFound, documentStore, EmptyUpload, UploadTooLarge } from "./document-store.server";
import { detectFileType, UnsupportedFileType } from "./file-types.server";
import { formatFileSize } from "./labels";

/**
 * The upload pipeline every form with files goes through (documents, inputs on drafts).
 *
 * A multipart/form-data request is read part by part: each file streams straight into the document
 * store, which cuts it off past MAX_UPLOAD_MB (nothing is buffered whole), then its type is decided
 * by its content. The first refusal stops the reading and says which field and why; a refused
 * type is removed from the store. Text fields are kept as typed, so a refused form can be shown
 * again: forms put their text fields BEFORE their file inputs, so that they are read even when a file is refused.
 *
 * Files stored before a later refusal (or before the form's own validation refuses it) stay in
 * the store unreferenced: their content may be another document's, so they are never deleted here.
 */

type UploadedFile = {
  /** The form field it came in. */
  field: string;
  /** Its key in the document store (SHA-256 of the content). */
  key: string;
  size: number;
  /** Decided from the content, e.g. application/pdf. */
  mediaType: string;
  /** The type's extension, without the dot: pdf, docx… */
  extension: string;
  /** The name it was uploaded with, cleaned (see cleanFileName): for display and Content-Disposition only. */
  fileName: string;
};

export type UploadForm =
  | {
      ok: true;
      /** Each text field's value (the last one when repeated). */
      values: Record<string, string>;
      /** Every value of each text field, in order (multi-selects, checkboxes). */
      multiValues: Record<string, string[]>;
      files: UploadedFile[];
    }
  | {
      ok: false;
      /** 413 when a file (or the request) is too large; 400 otherwise. */
      status: 400 | 413;
      /** The field the message belongs next to ("form" for the request as a whole). */
      field: string;
      message: string;
      /** The text fields read before the refusal. */
      values: Record<string, string>;
      multiValues: Record<string, string[]>;
    };

/** A text field longer than this is refused (a form's longest field, a description, is 5,000 characters). */
const MAX_TEXT_BYTES = 100_000;
/** Fields of any kind (text, or file inputs, empty ones included) a form may send. */
const MAX_PARTS = 500;
/** Room for the text fields and multipart headers around the files, in a request's Content-Length. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

class Refusal extends Error {
  constructor(
    readonly status: 400 | 413,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a multipart form whose files arrive in `fileFields` (any other field sending a file is
 * refused), at most `maxFiles` files. A file input left empty (a part with no name and no bytes) is skipped.
 */
export async function readUploadForm(request: Request, options: { fileFields: string[]; maxFiles?: number }): Promise<UploadForm> {
  const maxFiles = options.maxFiles ?? 10;
  const maxBytes = maxUploadBytes();
  const values: Record<string, string> = {};
  // Without a prototype: a field named `constructor` or `toString` is a field, not Object's method.
  const multiValues: Record<string, string[]> = Object.create(null);
  const files: UploadedFile[] = [];
  const refused = (refusal: Refusal): UploadForm => ({ ok: false, status: refusal.status, field: refusal.field, message: refusal.message, values, multiValues });

  if (!/^multipart\/form-data\s*;/i.test(request.headers.get("Content-Type") ?? "")) {
    return refused(new Refusal(400, "form", "Send the form as multipart/form-data, with its files."));
  }
  const declared = Number(request.headers.get("Content-Length"));
  if (Number.isFinite(declared) && declared > maxBytes * maxFiles + FORM_OVERHEAD_BYTES) {
    return refused(new Refusal(413, "form", `The upload is larger than ${maxFiles} files of the limit of ${formatFileSize(maxBytes)} each.`));
  }

  let unexpected: unknown = null;
  let parts = 0;
  const handler = async (received: UploadHandlerPart) => {
    const part = { ...received, data: fromBody(received.data) };
    try {
      if (++parts > MAX_PARTS) throw new Refusal(400, "form", "The form has too many fields.");
      if (part.filename === undefined) {
        const value = await readText(part);
        values[part.name] = value;
        (multiValues[part.name] ??= []).push(value);
      } else {
        const file = await storeFile(part, { fileFields: options.fileFields, maxBytes, room: maxFiles - files.length });
        if (file) files.push(file);
      }
      return null;
    } catch (error) {
      if (!(error instanceof Refusal)) unexpected = error;
      throw error;
    }
  };

  try {
    await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    if (error instanceof Refusal) return refused(error);
    if (unexpected) throw unexpected;
    // The body itself is not a readable multipart form (no boundary, malformed between parts).
    return refused(unreadable());
  }
  return { ok: true, values, multiValues, files };
}

const unreadable = () => new Refusal(400, "form", "The form could not be read (it was cut off or malformed): send it again.");

/** A part's bytes; a failure of the request body itself (malformed, cut off) is the sender's, and refused as such. */
async function* fromBody(data: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  try {
    yield* data;
  } catch {
    throw unreadable();
  }
}

/** A text field as UTF-8, at most MAX_TEXT_BYTES, with no NUL (which PostgreSQL text cannot hold). */
async function readText(part: UploadHandlerPart): Promise<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let text = "";
  let size = 0;
  try {
    for await (const chunk of part.data) {
      size += chunk.byteLength;
      if (size > MAX_TEXT_BYTES) throw new Refusal(400, part.name, "This field is too long.");
      text += decoder.decode(chunk, { stream: true });
    }
    text += decoder.decode();
  } catch (error) {
    if (error instanceof Refusal) throw error;
    if ((error as { code?: string }).code === "ERR_ENCODING_INVALID_ENCODED_DATA") throw new Refusal(400, part.name, "This field is not valid UTF-8 text.");
    throw error;
  }
  if (text.includes("\u0000")) throw new Refusal(400, part.name, "This field contains a NUL character: remove it.");
  return text;
}

/** Streams one file part into the store and checks its type; null for an input left empty. */
async function storeFile(part: UploadHandlerPart, limits: { fileFields: string[]; maxBytes: number; room: number }): Promise<UploadedFile | null> {
  if (!limits.fileFields.includes(part.name)) throw new Refusal(400, part.name, "This form takes no file here.");
  if (limits.room <= 0 && part.filename) throw new Refusal(400, part.name, "Too many files at once: upload the others separately.");
  const store = documentStore();
  let stored;
  try {
    stored = await store.put(part.data, { maxBytes: limits.maxBytes });
  } catch (error) {
    // A file input left empty sends a part with no name and no bytes.
    if (error instanceof EmptyUpload) {
      if (!part.filename) return null;
      throw new Refusal(400, part.name, `“${cleanFileName(part.filename, "")}”: ${error.message}`);
    }
    if (error instanceof UploadTooLarge) throw new Refusal(413, part.name, error.message);
    throw error;
  }
  const type = await detectFileType(async () => (await store.open(stored.key)).stream).catch(async (error: unknown) => {
    if (error instanceof UnsupportedFileType) {
      await store.remove(stored.key);
      throw new Refusal(400, part.name, error.message);
    }
    // Removed meanwhile: identical content was refused by a concurrent upload.
    if (error instanceof DocumentNotFound) throw new Refusal(400, part.name, "This file could not be checked: upload it again.");
    throw error;
  });
  return {
    field: part.name,
    key: stored.key,
    size: stored.size,
    mediaType: type.mime,
    extension: type.extension,
    fileName: cleanFileName(part.filename ?? "", type.extension),
  };
}

const CONTROL = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * The name a file was uploaded with, safe to show and to put in Content-Disposition: no folders
 * (`/` or `\`), no control, NUL or direction-changing characters, trimmed, at most 255 characters;
 * "document.<extension>" when nothing is left. It is never used as a path.
 */
export function cleanFileName(name: string, extension: string): string {
  const base = (name.split(/[/\\]/).pop() ?? "").replace(CONTROL, "").trim();
  const cleaned = /^\.*$/.test(base) ? "" : Array.from(base).slice(0, 255 - extension.length - 1).join("").trim();
  if (!cleaned) return `document.${extension}`;
  // The name ends with the content's extension: a text file named page.html, downloaded and opened, would run as a page.
  const same = extension === "jpg" ? /\.jpe?g$/i : new RegExp(`\\.${extension}$`, "i");
  return same.test(cleaned) ? cleaned : `${cleaned}.${extension}`;
}

