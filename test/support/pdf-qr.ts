import assert from "node:assert/strict";
import jsQR from "jsqr";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";

/**
 * Reading badges as a printer would print them, without our own code: pdfjs-dist parses the PDF
 * (its text, and the squares each QR code is drawn with), jsQR decodes the squares as an image.
 */

/** A QR code's modules: true for dark, row by row, without the quiet zone. */
export type QrModules = boolean[][];

export interface PdfPage {
  text: string;
  qrCodes: string[];
  qrModules: QrModules[];
}

/** Each page's text and the QR codes drawn on it, decoded. */
export async function readPdf(bytes: Uint8Array): Promise<PdfPage[]> {
  const doc = await pdfjs.getDocument({ data: bytes, useSystemFonts: false }).promise;
  const pages: PdfPage[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const text = (await page.getTextContent()).items.map((item) => ("str" in item ? item.str : "")).join(" ");
    const operators = await page.getOperatorList();
    const qrModules: QrModules[] = [];
    operators.fnArray.forEach((fn, i) => {
      if (fn !== pdfjs.OPS.constructPath) return;
      const squares = squaresOf(operators.argsArray[i][1][0] as ArrayLike<number>);
      // A QR code is the one path of many small squares; the badge's other shapes are single rectangles.
      if (squares.length > 100) qrModules.push(modulesOf(squares));
    });
    pages.push({ text, qrModules, qrCodes: qrModules.map(decodeQr) });
  }
  return pages;
}

/** The rectangles of a path as pdfjs gives it: 0 x y (move), 1 x y (line) three times, 4 (close); none if it is anything else. */
function squaresOf(path: ArrayLike<number>): { x: number; y: number; size: number }[] {
  const squares = [];
  for (let i = 0; i < path.length; i += 13) {
    if (path[i] !== 0 || path[i + 3] !== 1 || path[i + 12] !== 4) return [];
    const xs = [path[i + 1]!, path[i + 4]!, path[i + 7]!, path[i + 10]!];
    const ys = [path[i + 2]!, path[i + 5]!, path[i + 8]!, path[i + 11]!];
    squares.push({ x: Math.min(...xs), y: Math.min(...ys), size: Math.max(...xs) - Math.min(...xs) });
  }
  return squares;
}

function modulesOf(squares: { x: number; y: number; size: number }[]): QrModules {
  const cell = Math.min(...squares.map((s) => s.size));
  const left = Math.min(...squares.map((s) => s.x));
  const top = Math.min(...squares.map((s) => s.y));
  const size = Math.round((Math.max(...squares.map((s) => s.x)) - left) / cell) + 1;
  const modules = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  for (const square of squares) modules[Math.round((square.y - top) / cell)]![Math.round((square.x - left) / cell)] = true;
  return modules;
}

/** The modules painted `scale` pixels each on white, with a four-module quiet zone: grey levels, row by row. */
export function qrImage(modules: QrModules, scale: number): { side: number; luma: Uint8Array } {
  const side = (modules.length + 8) * scale;
  const luma = new Uint8Array(side * side).fill(255);
  modules.forEach((row, r) =>
    row.forEach((dark, c) => {
      if (!dark) return;
      for (let y = (r + 4) * scale; y < (r + 5) * scale; y++) luma.fill(0, y * side + (c + 4) * scale, y * side + (c + 5) * scale);
    }),
  );
  return { side, luma };
}

export function decodeQr(modules: QrModules): string {
  const { side, luma } = qrImage(modules, 4);
  const rgba = new Uint8ClampedArray(side * side * 4);
  for (let i = 0; i < luma.length; i++) rgba.set([luma[i]!, luma[i]!, luma[i]!, 255], i * 4);
  const code = jsQR(rgba, side, side);
  assert.ok(code, "a QR code that reads");
  return code.data;
}
