import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { type DocumentStore, documentStore, sweepStaleUploads } from "./document-store.server";
import { inBatches } from "~/lib/batches";
import { repeatEvery } from "~/lib/repeat.server";

const DAY = 24 * 60 * 60 * 1000;

/**
 * Deletes stored content that no document file or input refers to and that nobody has written for
 * `olderThanMs` (a day): what uploads refused after storing (a symbol clash, a closed comment period)
 * left behind. Content an upload is still writing or about to record is younger than that, because
 * storing identical bytes writes them again. Returns how many it deleted.
 */
export async function sweepUnreferencedContent(db: Kysely<Database>, store: DocumentStore, olderThanMs = DAY, now = Date.now()): Promise<number> {
  const old = (await store.list()).filter((entry) => now - entry.writtenAt.getTime() > olderThanMs).map((entry) => entry.key);
  if (old.length === 0) return 0;
  const referenced = new Set<string>();
  for (const keys of inBatches(old, 1_000)) {
    const [files, inputs] = await Promise.all([
      db.selectFrom("document_files").select("content_key as key").where("content_key", "in", keys).execute(),
      db.selectFrom("document_inputs").select("file_key as key").where("file_key", "in", keys).execute(),
    ]);
    for (const row of [...files, ...inputs]) if (row.key) referenced.add(row.key);
  }
  const unreferenced = old.filter((key) => !referenced.has(key));
  for (const key of unreferenced) await store.remove(key);
  return unreferenced.length;
}

/**
 * Sweeps the document store once a day, starting now, in the background (the server does not wait
 * for it to serve): unfinished uploads a crash left behind, then content unused for a day. Returns
 * the function that stops it.
 */
export function startDocumentStoreSweeps(db: Kysely<Database>, options: { log?: (line: string) => void } = {}): () => Promise<void> {
  const log = (line: string) => options.log?.(`document store: ${line}`);
  return repeatEvery(
    DAY,
    async () => {
      const stale = await sweepStaleUploads();
      if (stale) log(`${stale} unfinished upload(s) older than an hour removed`);
      const unreferenced = await sweepUnreferencedContent(db, documentStore());
      if (unreferenced) log(`${unreferenced} file(s) no document or input has used for a day removed`);
    },
    { log },
  );
}
