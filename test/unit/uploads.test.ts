import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, afterEach, describe, it } from "node:test";
import JSZip from "jszip";
import { sweepStaleUploads } from "../../app/documents/document-store.server";
import { cleanFileName, readUploadForm } from "../../app/documents/uploads.server";
import { samplePdf } from "../support/documents";

process.env.DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "uploads-"));
after(() => rmSync(process.env.DATA_DIR!, { recursive: true, force: true }));
const folder = path.join(process.env.DATA_DIR, "documents");
const stored = () => readdirSync(folder).sort();
const sha256 = (content: Buffer) => createHash("sha256").update(content).digest("hex");

/** A real multipart request, as a browser sends it, built by the platform's own FormData. */
function post(entries: [string, string | File][], headers: Record<string, string> = {}) {
  const body = new FormData();
  for (const [name, value] of entries) body.append(name, value);
  return new Request("http://localhost/upload", { method: "POST", body, headers });
}

const file = (content: Buffer | string, name: string, type = "application/octet-stream") => new File([typeof content === "string" ? content : new Uint8Array(content)], name, { type });

async function docx(): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      `<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
  );
  zip.file("word/document.xml", "<xml/>");
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

describe("readUploadForm", () => {
  afterEach(() => delete process.env.MAX_UPLOAD_MB);

  it("stores each file by its content, typed by content, with the text fields and repeated values", async () => {
    const pdf = await samplePdf("Upload pipeline");
    const word = await docx();
    const form = await readUploadForm(
      post([
        ["title", "Concept note"],
        ["agendaItems", "3"],
        ["agendaItems", "5"],
        ["file-en", file(pdf, "concept.pdf")],
        ["file-fr", file(word, "note.txt", "text/plain")],
        ["file-ru", new File([], "")],
      ]),
      { fileFields: ["file-en", "file-fr", "file-ru"] },
    );
    assert.ok(form.ok);
    assert.equal(form.values.title, "Concept note");
    assert.deepEqual(form.multiValues.agendaItems, ["3", "5"]);
    assert.deepEqual(
      form.files.map(({ field, key, size, mediaType, extension, fileName }) => ({ field, key, size, mediaType, extension, fileName })),
      [
        { field: "file-en", key: sha256(pdf), size: pdf.length, mediaType: "application/pdf", extension: "pdf", fileName: "concept.pdf" },
        {
          field: "file-fr",
          key: sha256(word),
          size: word.length,
          mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          extension: "docx",
          fileName: "note.txt.docx",
        },
      ],
    );
    assert.deepEqual(readFileSync(path.join(folder, sha256(pdf))), pdf);
    const again = await readUploadForm(post([["file-en", file(pdf, "copy.pdf")]]), { fileFields: ["file-en"] });
    assert.ok(again.ok);
    assert.equal(again.files[0]!.key, sha256(pdf));
    assert.equal(stored().filter((name) => name === sha256(pdf)).length, 1);
  });

  it("refuses a renamed executable with the type's message, keeps what was typed, and removes it from the store", async () => {
    const before = stored();
    const exe = Buffer.concat([Buffer.from("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "latin1"), Buffer.alloc(400)]);
    const form = await readUploadForm(post([["title", "Tools"], ["file-en", file(exe, "report.pdf", "application/pdf")]]), { fileFields: ["file-en"] });
    assert.equal(form.ok, false);
    assert.ok(!form.ok);
    assert.equal(form.status, 400);
    assert.equal(form.field, "file-en");
    assert.match(form.message, /Accepted files: PDF/);
    assert.deepEqual(form.values, { title: "Tools" });
    assert.deepEqual(stored(), before);
  });

  it("cuts off an oversize file with 413 and keeps nothing of it; refuses an empty file and a huge Content-Length", async () => {
    process.env.MAX_UPLOAD_MB = "0.01";
    const before = stored();
    const big = await readUploadForm(post([["file-en", file(Buffer.alloc(20_000, 65), "big.txt")]]), { fileFields: ["file-en"] });
    assert.ok(!big.ok);
    assert.equal(big.status, 413);
    assert.match(big.message, /larger than the limit of 10 KB/);
    assert.deepEqual(stored(), before);

    const empty = await readUploadForm(post([["file-en", file("", "empty.pdf")]]), { fileFields: ["file-en"] });
    assert.ok(!empty.ok);
    assert.equal(empty.status, 400);
    assert.match(empty.message, /empty\.pdf.*The file is empty/);

    const declared = await readUploadForm(
      new Request("http://localhost/upload", {
        method: "POST",
        body: "x",
        headers: { "Content-Type": "multipart/form-data; boundary=abc", "Content-Length": String(50 * 1024 * 1024) },
      }),
      { fileFields: ["file-en"], maxFiles: 2 },
    );
    assert.ok(!declared.ok);
    assert.equal(declared.status, 413);
  });

  it("refuses what is not a multipart form, files in other fields, too many files, NUL in text", async () => {
    const urlencoded = await readUploadForm(new Request("http://localhost/upload", { method: "POST", body: new URLSearchParams({ title: "x" }) }), {
      fileFields: ["file-en"],
    });
    assert.ok(!urlencoded.ok);
    assert.equal(urlencoded.status, 400);
    const temporaryFiles = () => stored().filter((name) => name.startsWith(".upload-"));
    for (const body of [
      "--abc\r\nnonsense",
      '--abc\r\nContent-Disposition: form-data; name="title"\r\n\r\ncut off',
      '--abc\r\nContent-Disposition: form-data; name="file-en"; filename="a.txt"\r\n\r\ncut off in the middle of a file',
    ]) {
      const broken = await readUploadForm(
        new Request("http://localhost/upload", { method: "POST", body, headers: { "Content-Type": "multipart/form-data; boundary=abc" } }),
        { fileFields: ["file-en"] },
      );
      assert.ok(!broken.ok, body);
      assert.deepEqual([broken.status, broken.field], [400, "form"], body);
      assert.match(broken.message, /could not be read/);
    }
    assert.deepEqual(temporaryFiles(), []);
    const elsewhere = await readUploadForm(post([["title", file("hello", "a.txt")]]), { fileFields: ["file-en"] });
    assert.ok(!elsewhere.ok);
    assert.equal(elsewhere.field, "title");
    const many = await readUploadForm(post([["file-en", file("one", "1.txt")], ["file-fr", file("two", "2.txt")]]), { fileFields: ["file-en", "file-fr"], maxFiles: 1 });
    assert.ok(!many.ok);
    assert.equal(many.field, "file-fr");
    assert.match(many.message, /Too many files/);
    const nul = await readUploadForm(post([["title", "Bad\u0000title"]]), { fileFields: ["file-en"] });
    assert.ok(!nul.ok);
    assert.deepEqual([nul.status, nul.field], [400, "title"]);
    assert.match(nul.message, /NUL/);
    const crowded = await readUploadForm(post(Array.from({ length: 501 }, (): [string, string] => ["agendaItems", "1"])), { fileFields: ["file-en"] });
    assert.ok(!crowded.ok);
    assert.deepEqual([crowded.status, crowded.field, crowded.multiValues.agendaItems?.length], [400, "form", 500]);
  });

  it("keeps only a file's own name, as text", async () => {
    const form = await readUploadForm(post([["file-en", file(await samplePdf("traversal"), "../../etc/passwd.pdf")]]), { fileFields: ["file-en"] });
    assert.ok(form.ok);
    assert.equal(form.files[0]!.fileName, "passwd.pdf");
    assert.equal(cleanFileName("..\\..\\Windows\\win.ini", "txt"), "win.ini.txt");
    assert.equal(cleanFileName("notes.html", "txt"), "notes.html.txt", "the content's extension, so that it never opens as a page");
    assert.equal(cleanFileName("Photo.JPEG", "jpg"), "Photo.JPEG");
    assert.equal(cleanFileName("re\u0000port\u202e.pdf\n", "pdf"), "report.pdf");
    assert.equal(cleanFileName("..", "pdf"), "document.pdf");
    assert.equal(cleanFileName("  ", "docx"), "document.docx");
    assert.equal(cleanFileName("会议".repeat(200), "pdf").length, 255);
  });
});

describe("sweepStaleUploads", () => {
  it("deletes the .upload-* files older than an hour and nothing else", async () => {
    const old = path.join(folder, ".upload-old");
    const fresh = path.join(folder, ".upload-fresh");
    writeFileSync(old, "half");
    writeFileSync(fresh, "in flight");
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(old, twoHoursAgo, twoHoursAgo);
    const keys = stored().filter((name) => !name.startsWith("."));
    assert.equal(await sweepStaleUploads(folder), 1);
    assert.deepEqual(stored(), [".upload-fresh", ...keys].sort());
    assert.equal(await sweepStaleUploads(path.join(folder, "missing")), 0);
  });
});
