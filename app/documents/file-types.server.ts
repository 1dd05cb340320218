import { Readable } from "node:stream";
import { fileTypeFromStream } from "file-type";

/**
 * A file's type, decided by its content and never by its name. Binary formats are recognised by
 * the `file-type` package (magic bytes; for zips it reads the entries: `[Content_Types].xml` or
 * word/, xl/, ppt/ for Office files, the `mimetype` entry for OpenDocument). Plain text is ours:
 * valid UTF-8, no NUL byte, at most 1 control character in 100, and not HTML or XML markup
 * (a browser could render that as a page).
 */
type FileType = { mime: string; extension: string; label: string };

const ALLOWED: FileType[] = [
  { mime: "application/pdf", extension: "pdf", label: "PDF" },
  { mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", extension: "docx", label: "Word document" },
  { mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", extension: "xlsx", label: "Excel workbook" },
  { mime: "application/vnd.openxmlformats-officedocument.presentationml.presentation", extension: "pptx", label: "PowerPoint presentation" },
  { mime: "application/vnd.oasis.opendocument.text", extension: "odt", label: "OpenDocument text" },
  { mime: "image/png", extension: "png", label: "PNG image" },
  { mime: "image/jpeg", extension: "jpg", label: "JPEG image" },
];
const PLAIN_TEXT: FileType = { mime: "text/plain", extension: "txt", label: "Plain text" };

/** The usual extension of an accepted media type (`application/pdf` → `pdf`), if it is one. */
export function extensionOfMediaType(mediaType: string): string | undefined {
  const mime = mediaType.split(";")[0]!.trim();
  return [...ALLOWED, PLAIN_TEXT].find((type) => type.mime === mime)?.extension;
}

const ACCEPTED = "PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument text (.odt), plain text (UTF-8), PNG or JPEG";

/** The content is none of the accepted types; the message says what it is when known, and what is accepted. */
export class UnsupportedFileType extends Error {
  constructor(found: string) {
    super(`This file is ${found}. Accepted files: ${ACCEPTED}.`);
  }
}

/**
 * The type of the content `read` gives (it is called a second time when the content may be plain
 * text, which is checked to the end). Throws UnsupportedFileType for anything not accepted.
 */
export async function detectFileType(read: () => Readable | Promise<Readable>): Promise<FileType> {
  const stream = await read();
  // As a web stream: file-type misreads object-mode Node streams (such as Readable.from's).
  const found = await fileTypeFromStream(Readable.toWeb(stream)).finally(() => stream.destroy());
  if (found) {
    const allowed = ALLOWED.find((type) => type.mime === found.mime);
    if (allowed) return allowed;
    throw new UnsupportedFileType(`of a type that is not accepted (${found.mime}, .${found.ext})`);
  }
  const problem = await plainTextProblem(await read());
  if (problem) throw new UnsupportedFileType(problem);
  return PLAIN_TEXT;
}

const CONTROL = /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F]/g;
const MARKUP = /^\s*(<!doctype\s+html|<html|<head|<body|<script|<iframe|<svg|<\?xml|<!--)/i;

/** Why the content is not accepted plain text, or null when it is. */
async function plainTextProblem(stream: Readable): Promise<string | null> {
  const text = await readUtf8(stream);
  if (text === null) return "neither a known document type nor UTF-8 text";
  if (text.characters === 0) return "empty";
  if (text.hasNul) return "binary data (it contains NUL bytes)";
  if (text.controls * 100 > text.characters) return "binary data (too many control characters for text)";
  if (MARKUP.test(text.start)) return "HTML or XML markup, not plain text";
  return null;
}

/** Reads the stream to its end as UTF-8: its first characters and counts, or null when it is not UTF-8. */
async function readUtf8(stream: Readable) {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const text = { start: "", characters: 0, controls: 0, hasNul: false };
  try {
    for await (const chunk of stream) {
      const decoded = decoder.decode(chunk as Uint8Array, { stream: true });
      if (text.start.length < 1024) text.start += decoded.slice(0, 1024);
      text.characters += decoded.length;
      text.controls += decoded.match(CONTROL)?.length ?? 0;
      text.hasNul ||= decoded.includes("\u0000");
    }
    decoder.decode();
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_ENCODING_INVALID_ENCODED_DATA") return null;
    throw error;
  }
  return text;
}
