import assert from "node:assert/strict";
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { after, describe, it } from "node:test";
import ExcelJS from "exceljs";
// jszip is not ours: it is installed with exceljs, and builds the small Office and OpenDocument zips.
import JSZip from "jszip";
import PDFDocument from "pdfkit";
import { detectFileType, UnsupportedFileType } from "../../app/documents/file-types.server";
import { pdfBytes } from "../../app/lib/pdf.server";

const dir = mkdtempSync(path.join(os.tmpdir(), "file-types-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the sample to disk under `name` (which detection never sees) and detects its type from the file. */
async function detect(name: string, content: Uint8Array | string) {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return detectFileType(() => createReadStream(file));
}

async function refused(name: string, content: Uint8Array | string, message: RegExp) {
  await assert.rejects(detect(name, content), (error: unknown) => {
    assert.ok(error instanceof UnsupportedFileType);
    assert.match(error.message, message);
    assert.match(error.message, /Accepted files: PDF, Word/);
    return true;
  });
}

function pdf(): Promise<Buffer> {
  const doc = new PDFDocument();
  const done = pdfBytes(doc);
  doc.text("ESCAP/APIS/2026/WP.1 — Provisional agenda");
  doc.end();
  return done;
}

async function xlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet("Participants").addRow(["Country", "Participants"]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A minimal OOXML package: its [Content_Types].xml names the main part, as Office writes it. */
function ooxml(folder: string, part: string, mainType: string): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      `<Default Extension="xml" ContentType="application/xml"/>` +
      `<Override PartName="/${folder}/${part}" ContentType="application/vnd.openxmlformats-officedocument.${mainType}"/></Types>`,
  );
  zip.file(`${folder}/${part}`, "<xml/>");
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

/** A minimal OpenDocument text: the `mimetype` entry first and stored uncompressed. */
function odt(): Promise<Buffer> {
  const zip = new JSZip();
  zip.file("mimetype", "application/vnd.oasis.opendocument.text", { compression: "STORE" });
  zip.file("content.xml", "<office:document-content/>");
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
/** Start of a JFIF file: SOI, APP0 "JFIF", then end of image. */
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
/** An ELF header (a Linux executable) and a PE/MZ header (a Windows one). */
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(56, 0x00)]);
const EXE = Buffer.concat([Buffer.from("MZ\x90\x00", "latin1"), Buffer.alloc(60, 0x00), Buffer.from("PE\0\0", "latin1")]);

describe("file types, decided by content", () => {
  it("recognises a PDF", async () => {
    assert.deepEqual(await detect("paper.bin", await pdf()), { mime: "application/pdf", extension: "pdf", label: "PDF" });
  });

  it("tells Word, Excel and PowerPoint apart by the zip's entries", async () => {
    const docx = await detect("a.zip", await ooxml("word", "document.xml", "wordprocessingml.document.main+xml"));
    assert.equal(docx.extension, "docx");
    assert.equal(docx.mime, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    assert.equal((await detect("b.zip", await xlsx())).extension, "xlsx");
    const pptx = await detect("c.zip", await ooxml("ppt", "presentation.xml", "presentationml.presentation.main+xml"));
    assert.deepEqual(pptx, {
      mime: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
      extension: "pptx",
      label: "PowerPoint presentation",
    });
  });

  it("recognises OpenDocument text by its mimetype entry", async () => {
    assert.deepEqual(await detect("report.zip", await odt()), {
      mime: "application/vnd.oasis.opendocument.text",
      extension: "odt",
      label: "OpenDocument text",
    });
  });

  it("reads any Node stream, object-mode ones too", async () => {
    const content = await pdf();
    const chunks = [content.subarray(0, 3), content.subarray(3)];
    assert.equal((await detectFileType(() => Readable.from(chunks))).extension, "pdf");
  });

  it("recognises PNG and JPEG images", async () => {
    assert.equal((await detect("photo.pdf", PNG)).mime, "image/png");
    assert.deepEqual(await detect("photo.png", JPEG), { mime: "image/jpeg", extension: "jpg", label: "JPEG image" });
  });

  it("accepts UTF-8 text in any script, with tabs and Windows line ends", async () => {
    const text = "รายงานการประชุม\r\n会议报告\tESCAP/APIS/2026/WP.1\r\nOrdre du jour provisoire\n";
    assert.deepEqual(await detect("notes.exe", text), { mime: "text/plain", extension: "txt", label: "Plain text" });
  });

  it("accepts a long text whose multi-byte characters straddle the stream's chunks", async () => {
    assert.equal((await detect("long.txt", "ประชุม 会议 ".repeat(20_000))).mime, "text/plain");
  });

  it("refuses executables whatever they are called", async () => {
    await refused("agenda.pdf", ELF, /not accepted \(application\/x-elf/);
    await refused("agenda.pdf", EXE, /not accepted \(application\/x-msdownload, \.exe\)/);
  });

  it("refuses a plain zip", async () => {
    const zip = new JSZip();
    zip.file("readme.txt", "hello");
    await refused("papers.docx", await zip.generateAsync({ type: "nodebuffer" }), /application\/zip/);
  });

  it("refuses UTF-16 text, binary data, HTML and emptiness", async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("会议 report", "utf16le")]);
    await refused("notes.txt", utf16, /^This file is /); // file-type takes FF FE for an MPEG audio frame: refused either way
    await refused("notes.txt", Buffer.from("Meeting report", "utf16le"), /NUL bytes/);
    await refused("notes.txt", Buffer.from([0x41, 0xc3, 0x28, 0x42]), /neither a known document type nor UTF-8 text/);
    await refused("notes.txt", Buffer.from("Hello\0world"), /NUL bytes/);
    await refused("data.txt", Buffer.from(Array.from({ length: 4096 }, (_, i) => ((i * 7 + 3) % 127) + 1)), /control characters/);
    await refused("page.txt", "\n  <!DOCTYPE html><html><script>alert(1)</script></html>", /HTML or XML markup/);
    await refused("image.txt", '<svg xmlns="http://www.w3.org/2000/svg"/>', /HTML or XML markup/);
    await refused("empty.pdf", "", /empty/);
  });
});
