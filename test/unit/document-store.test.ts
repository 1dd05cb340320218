import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { after, describe, it } from "node:test";
import {
  createDiskDocumentStore,
  DocumentNotFound,
  EmptyUpload,
  InvalidDocumentKey,
  InvalidRange,
  UploadTooLarge,
} from "../../app/documents/document-store.server";
import { maxUploadBytes } from "../../app/settings.server";

process.env.DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "document-store-"));
after(() => rmSync(process.env.DATA_DIR!, { recursive: true, force: true }));
const folder = path.join(process.env.DATA_DIR, "documents");
const store = createDiskDocumentStore();
const MB = 1024 * 1024;

const sha256 = (content: string | Buffer) => createHash("sha256").update(content).digest("hex");
const filesOnDisk = () => readdirSync(folder).sort();

/** Yields `chunks` one by one, then fails if `failure` is given: an upload cut off midway. */
async function* upload(chunks: Buffer[], failure?: Error) {
  for (const chunk of chunks) {
    await new Promise((resolve) => setImmediate(resolve));
    yield chunk;
  }
  if (failure) throw failure;
}

describe("disk document store under DATA_DIR/documents", () => {
  it("names content by its SHA-256 and stores identical content once", async () => {
    const content = "ESCAP/APIS/2026/WP.1 — 会议报告 — รายงาน\n";
    const first = await store.put(Readable.from([Buffer.from(content)]), { maxBytes: MB });
    const again = await store.put(upload([Buffer.from(content.slice(0, 10)), Buffer.from(content.slice(10))]), { maxBytes: MB });
    assert.deepEqual(first, { key: sha256(content), size: Buffer.byteLength(content) });
    assert.deepEqual(again, first);
    assert.deepEqual(filesOnDisk(), [first.key]);
    assert.equal(readFileSync(path.join(folder, first.key), "utf8"), content);
    assert.equal(await store.has(first.key), true);
    assert.equal(await store.has(sha256("never stored")), false);
  });

  it("writes to a temporary file, never under the key, until the content is complete", async () => {
    const content = [Buffer.from("first half, "), Buffer.from("second half")];
    const seenMidway: string[][] = [];
    async function* watched() {
      yield content[0]!;
      await new Promise((resolve) => setImmediate(resolve));
      seenMidway.push(filesOnDisk());
      yield content[1]!;
    }
    const before = filesOnDisk();
    const { key } = await store.put(watched(), { maxBytes: MB });
    const temporary = seenMidway[0]!.filter((name) => !before.includes(name));
    assert.equal(temporary.length, 1);
    assert.match(temporary[0]!, /^\.upload-/);
    assert.deepEqual(filesOnDisk(), [...before, key].sort());
  });

  it("keeps nothing, not even the temporary file, when the upload fails midway", async () => {
    const before = filesOnDisk();
    const broken = upload([Buffer.alloc(64 * 1024, 1), Buffer.alloc(64 * 1024, 2)], new Error("connection reset"));
    await assert.rejects(store.put(broken, { maxBytes: MB }), /connection reset/);
    assert.deepEqual(filesOnDisk(), before);
  });

  it("stops reading at the size limit, throws UploadTooLarge and keeps nothing", async () => {
    const before = filesOnDisk();
    let chunksRead = 0;
    async function* endless() {
      for (;;) {
        chunksRead++;
        yield Buffer.alloc(256 * 1024, 7);
      }
    }
    await assert.rejects(store.put(endless(), { maxBytes: MB }), (error: unknown) => {
      assert.ok(error instanceof UploadTooLarge);
      assert.equal(error.maxBytes, MB);
      assert.match(error.message, /larger than the limit of 1 MB/);
      return true;
    });
    assert.equal(chunksRead, 5);
    assert.deepEqual(filesOnDisk(), before);
  });

  it("accepts content of exactly the limit", async () => {
    const content = Buffer.alloc(MB, 9);
    assert.deepEqual(await store.put(upload([content.subarray(0, 1000), content.subarray(1000)]), { maxBytes: MB }), {
      key: sha256(content),
      size: MB,
    });
  });

  it("refuses empty content and keeps nothing", async () => {
    const before = filesOnDisk();
    await assert.rejects(store.put(upload([]), { maxBytes: MB }), EmptyUpload);
    await assert.rejects(store.put(Readable.from([Buffer.alloc(0)]), { maxBytes: MB }), EmptyUpload);
    assert.deepEqual(filesOnDisk(), before);
  });

  it("reads the whole content or an inclusive byte range, with the whole size, or all of it at once", async () => {
    const { key } = await store.put(Readable.from([Buffer.from("0123456789")]), { maxBytes: MB });
    const whole = await store.open(key);
    assert.equal(whole.size, 10);
    assert.equal(await text(whole.stream), "0123456789");
    const middle = await store.open(key, { start: 2, end: 5 });
    assert.equal(middle.size, 10);
    assert.equal(await text(middle.stream), "2345");
    assert.equal(await text((await store.open(key, { start: 9, end: 9 })).stream), "9");
    assert.equal((await store.read(key)).toString("utf8"), "0123456789");
    for (const range of [
      { start: 5, end: 10 },
      { start: 6, end: 5 },
      { start: -1, end: 3 },
      { start: 1.5, end: 3 },
      { start: Number.NaN, end: 3 },
    ]) {
      await assert.rejects(store.open(key, range), InvalidRange, JSON.stringify(range));
    }
  });

  it("refuses anything but 64 lowercase hex characters as a key, and says when a key is unknown", async () => {
    const { key } = await store.put(Readable.from([Buffer.from("a paper")]), { maxBytes: MB });
    const badKeys = [
      "../../etc/passwd",
      `../documents/${key}`,
      `${key.slice(0, 63)}\0`,
      `${key}\0.pdf`,
      key.toUpperCase(),
      `${key}/`,
      key.slice(1),
      "",
    ];
    for (const bad of badKeys) {
      await assert.rejects(store.open(bad), InvalidDocumentKey, JSON.stringify(bad));
      await assert.rejects(store.has(bad), InvalidDocumentKey, JSON.stringify(bad));
      await assert.rejects(store.read(bad), InvalidDocumentKey, JSON.stringify(bad));
    }
    await assert.rejects(store.open(sha256("never stored")), DocumentNotFound);
    await assert.rejects(store.read(sha256("never stored")), DocumentNotFound);
  });
});

describe("MAX_UPLOAD_MB", () => {
  after(() => delete process.env.MAX_UPLOAD_MB);

  it("is 50 MB unless set, in bytes", () => {
    delete process.env.MAX_UPLOAD_MB;
    assert.equal(maxUploadBytes(), 50 * MB);
    process.env.MAX_UPLOAD_MB = "2.5";
    assert.equal(maxUploadBytes(), 2.5 * MB);
  });

  it("must be a positive number", () => {
    for (const wrong of ["0", "-1", "ten", "Infinity"]) {
      process.env.MAX_UPLOAD_MB = wrong;
      assert.throws(() => maxUploadBytes(), /MAX_UPLOAD_MB must be a positive number/);
    }
  });
});
