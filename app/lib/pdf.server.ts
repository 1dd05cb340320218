import { createRequire } from "node:module";
import { contentDisposition } from "./content-disposition";

/**
 * PDFs made with pdfkit: their bytes; text the standard fonts can print; and, for documents that
 * print people's names (badges, certificates), DejaVu Sans, which has the letters of Latin
 * (Vietnamese included), Greek and Cyrillic names.
 */

/** The document's bytes once `end()` is called: call it before drawing, so no chunk is missed. */
export function pdfBytes(pdf: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  pdf.on("data", (chunk: Buffer) => chunks.push(chunk));
  return new Promise<Buffer>((resolve, reject) => {
    pdf.on("end", () => resolve(Buffer.concat(chunks)));
    pdf.on("error", reject);
  });
}

/** The characters PDF's standard fonts can show (WinAnsiEncoding) beyond Latin-1. */
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
/** Latin letters that do not decompose into a base letter and accents. */
const LATIN_FALLBACK: Record<string, string> = { ı: "i", ł: "l", Ł: "L", đ: "d", Đ: "D", ħ: "h", Ħ: "H", ŧ: "t", Ŧ: "T", ŀ: "l", Ŀ: "L", ĸ: "k", ŉ: "'n", ƒ: "f", "\u2011": "-", "\u2010": "-" };

function winAnsi(char: string): boolean {
  const code = char.codePointAt(0)!;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char) || char === "\n";
}

/** A letter the fonts lack, with the accents they have: "ệ" becomes "ê", "ş" becomes "s"; not a Latin letter: "?". */
function withoutMissingAccents(char: string): string {
  const [base, ...marks] = [...char.normalize("NFD")];
  if (!base || !winAnsi(base) || marks.length === 0) return "?";
  for (const mark of marks) {
    const composed = (base + mark).normalize("NFC");
    if ([...composed].length === 1 && winAnsi(composed)) return composed;
  }
  return base;
}

/**
 * Text as the standard PDF fonts can print it: a letter outside WinAnsi (ă, ş, ı, ư…) loses the
 * accent the font lacks (a, s, i, u) rather than printing as garbage; other scripts become "?".
 */
export function toWinAnsi(text: string): string {
  let out = "";
  for (const char of text.normalize("NFC")) {
    if (winAnsi(char)) out += char;
    else if (LATIN_FALLBACK[char]) out += LATIN_FALLBACK[char];
    else if (char === "\t") out += " ";
    else out += withoutMissingAccents(char);
  }
  return out;
}

/** Registers DejaVu Sans as the PDF's fonts "Regular" and "Bold" (embedded, subset to the letters used). */
export function registerNameFonts(pdf: PDFKit.PDFDocument): void {
  const fontFile = (name: string) => createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${name}`);
  pdf.registerFont("Regular", fontFile("DejaVuSans.ttf"));
  pdf.registerFont("Bold", fontFile("DejaVuSans-Bold.ttf"));
}

/**
 * A PDF answer, shown in the browser: its type, name (see contentDisposition) and length, private
 * and not kept by caches. `extraHeaders` add to or replace these (a secret link's, for instance).
 */
export function pdfResponse(bytes: Uint8Array, fileName: string, extraHeaders: Record<string, string> = {}): Response {
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": contentDisposition(fileName, "inline"),
      "Content-Length": String(bytes.byteLength),
      "Cache-Control": "private, no-store",
      ...extraHeaders,
    },
  });
}

/** Why there is no PDF to give, in plain words: 404 when there is nothing to print, 400 for a request that makes no sense. */
export function noPdf(message: string, status: 400 | 404 = 404, extraHeaders: Record<string, string> = {}): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8", ...extraHeaders } });
}
