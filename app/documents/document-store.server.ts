import { createHash, randomUUID } from "node:crypto";
import { mkdir, open, readFile, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { dataDir } from "../../db/settings";
import { formatFileSize } from "./labels";

/**
 * Where uploaded files live, behind one small interface (an S3-compatible store can come later).
 * Content-addressed: a file's key is the SHA-256 of its bytes, so identical uploads are stored once
 * and nothing a request sends (a name, a path) ever becomes part of a path on disk.
 */
export interface DocumentStore {
  /** Stores the content; refuses it (storing nothing) when empty or longer than `maxBytes`. */
  put(content: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: { maxBytes: number }): Promise<StoredContent>;
  /** The content of `key`, or only the bytes `start`..`end` (inclusive) of it; `size` is the whole content's. */
  open(key: string, range?: ByteRange): Promise<{ stream: Readable; size: number }>;
  /** The whole content of `key` at once: for small files only. */
  read(key: string): Promise<Buffer>;
  has(key: string): Promise<boolean>;
  /** Every stored key with when its content was last written (an identical upload writes it again). */
  list(): Promise<{ key: string; writtenAt: Date }[]>;
  /**
   * Deletes the content of `key` (nothing when absent). For content just refused by the type check
   * (identical bytes are always refused too, so no document can refer to it) and for content no row
   * has referred to for a day (see unreferenced-content.server.ts).
   */
  remove(key: string): Promise<void>;
}

type StoredContent = { key: string; size: number };
type ByteRange = { start: number; end: number };

/** The upload passed `maxBytes`: it was cut off while streaming and nothing was kept. */
export class UploadTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`The file is larger than the limit of ${formatFileSize(maxBytes)}.`);
  }
}

export class EmptyUpload extends Error {
  constructor() {
    super("The file is empty.");
  }
}

/** Not a SHA-256 in lowercase hex: never looked up, so it can never name a path. */
export class InvalidDocumentKey extends Error {
  constructor() {
    super("Not a document key.");
  }
}

export class DocumentNotFound extends Error {
  constructor(readonly key: string) {
    super(`No stored content under ${key}.`);
  }
}

/** A range outside the content, or not whole numbers with start <= end (HTTP answers 416). */
export class InvalidRange extends Error {
  constructor(range: ByteRange, size: number) {
    super(`Bytes ${range.start}-${range.end} are not within content of ${size} bytes.`);
  }
}

const KEY = /^[0-9a-f]{64}$/;
const TEMP_PREFIX = ".upload-";

function assertDocumentKey(key: string): void {
  if (!KEY.test(key)) throw new InvalidDocumentKey();
}

/**
 * The default store: one file per key in `root` (`DATA_DIR/documents`). Content is written to a
 * temporary file in the same folder, fsynced, renamed to its key and the folder fsynced, so a crash
 * leaves at worst a stray `.upload-*` file, never half a file under a key.
 */
export function createDiskDocumentStore(root = path.join(dataDir(), "documents")): DocumentStore {
  const fileOf = (key: string) => {
    assertDocumentKey(key);
    return path.join(root, key);
  };
  return {
    async put(content, { maxBytes }) {
      await mkdir(root, { recursive: true });
      const temp = path.join(root, `${TEMP_PREFIX}${randomUUID()}`);
      try {
        const stored = await writeAndHash(content, temp, maxBytes);
        await rename(temp, path.join(root, stored.key));
        await syncDirectory(root);
        return stored;
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    async open(key, range) {
      const file = await openExisting(fileOf(key), key);
      try {
        const { size } = await file.stat();
        if (range) assertRange(range, size);
        return { stream: file.createReadStream({ start: range?.start, end: range?.end }), size };
      } catch (error) {
        await file.close();
        throw error;
      }
    },
    async read(key) {
      return readFile(fileOf(key)).catch((error: NodeJS.ErrnoException) => {
        throw error.code === "ENOENT" ? new DocumentNotFound(key) : error;
      });
    },
    async has(key) {
      return stat(fileOf(key)).then(
        (found) => found.isFile(),
        () => false,
      );
    },
    async remove(key) {
      await rm(fileOf(key), { force: true });
    },
    async list() {
      const names = await readdir(root).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return [];
        throw error;
      });
      const keys = names.filter((name) => KEY.test(name));
      const found = await Promise.all(keys.map((key) => stat(path.join(root, key)).then((file) => ({ key, writtenAt: file.mtime }), () => null)));
      return found.filter((entry) => entry !== null);
    },
  };
}

/**
 * Deletes the `.upload-*` files older than `olderThanMs` in the store's folder: what uploads cut
 * off by a crash left behind (an upload in flight writes its file continuously, so it is never that old).
 * Run by the daily sweep (startDocumentStoreSweeps). Returns how many it deleted.
 */
export async function sweepStaleUploads(root = path.join(dataDir(), "documents"), olderThanMs = 60 * 60 * 1000, now = Date.now()): Promise<number> {
  const names = await readdir(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  let swept = 0;
  for (const name of names.filter((entry) => entry.startsWith(TEMP_PREFIX))) {
    const file = path.join(root, name);
    const found = await stat(file).catch(() => null);
    if (found?.isFile() && now - found.mtimeMs > olderThanMs) {
      await rm(file, { force: true });
      swept += 1;
    }
  }
  return swept;
}

/** Streams `content` into a new file at `file`, hashing and counting as it goes; fsyncs it. */
async function writeAndHash(content: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, file: string, maxBytes: number): Promise<StoredContent> {
  const hash = createHash("sha256");
  let size = 0;
  const handle = await open(file, "wx");
  try {
    for await (const chunk of content) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new UploadTooLarge(maxBytes);
      hash.update(chunk);
      await handle.write(chunk);
    }
    if (size === 0) throw new EmptyUpload();
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { key: hash.digest("hex"), size };
}

/** Makes a rename in `dir` durable. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function openExisting(file: string, key: string) {
  try {
    return await open(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new DocumentNotFound(key);
    throw error;
  }
}

function assertRange(range: ByteRange, size: number): void {
  const { start, end } = range;
  const whole = Number.isSafeInteger(start) && Number.isSafeInteger(end);
  if (!whole || start < 0 || start > end || end >= size) throw new InvalidRange(range, size);
}


let defaultStore: DocumentStore | null = null;

/** The app's store (on disk under DATA_DIR/documents). */
export function documentStore(): DocumentStore {
  defaultStore ??= createDiskDocumentStore();
  return defaultStore;
}
