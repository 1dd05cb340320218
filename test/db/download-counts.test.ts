import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { countDownload } from "../../app/documents/downloads.server";
import { addDocument, samplePdf } from "../support/documents";
import { freshDatabase } from "../support/database";
import { addMeeting } from "../support/registration";

/** Downloads answered at the same moment are counted together, each before it is answered, none lost. */
describe("download counts", async () => {
  const { db } = await freshDatabase();
  const meeting = await addMeeting(db, { slug: "download-counts" });
  const paper = await addDocument(db, meeting.id, {
    files: [
      { language: "en", content: await samplePdf("Working paper") },
      { language: "fr", content: await samplePdf("Document de travail") },
    ],
  });
  const reader = await db.insertInto("users").values({ email: "reader@example.org" }).returning("id").executeTakeFirstOrThrow();
  const [english, french] = paper.fileIds as [number, number];

  const counts = async () => {
    const { rows } = await sql<{ file_id: number; user_id: number | null; n: number }>`
      select file_id, user_id, count(*)::int as n from document_downloads group by file_id, user_id order by file_id, user_id nulls first`.execute(db);
    return rows;
  };
  const statements = async () => {
    // Rows written by one INSERT share its transaction id.
    const { rows } = await sql<{ n: number }>`select count(distinct xmin::text)::int as n from document_downloads`.execute(db);
    return rows[0]!.n;
  };

  it("counts a download before its promise settles", async () => {
    await countDownload(db, { documentId: paper.id, fileId: english, userId: null });
    assert.deepEqual(await counts(), [{ file_id: english, user_id: null, n: 1 }]);
  });

  it("counts each of 300 simultaneous downloads, with its file and reader, in fewer statements than downloads", async () => {
    await db.deleteFrom("document_downloads").execute();
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        countDownload(db, { documentId: paper.id, fileId: i % 3 === 0 ? french : english, userId: i % 2 === 0 ? reader.id : null }),
      ),
    );
    assert.deepEqual(await counts(), [
      { file_id: english, user_id: null, n: 100 },
      { file_id: english, user_id: reader.id, n: 100 },
      { file_id: french, user_id: null, n: 50 },
      { file_id: french, user_id: reader.id, n: 50 },
    ]);
    const inserts = await statements();
    assert.ok(inserts >= 1 && inserts < 300, `${inserts} inserts for 300 downloads`);
  });

  it("fails only the download that cannot be counted, not those counted with it", async () => {
    await db.deleteFrom("document_downloads").execute();
    const outcomes = await Promise.allSettled([
      countDownload(db, { documentId: paper.id, fileId: english, userId: null }),
      countDownload(db, { documentId: paper.id, fileId: english, userId: null }),
      countDownload(db, { documentId: paper.id, fileId: 2_000_000_000, userId: null }),
      countDownload(db, { documentId: paper.id, fileId: french, userId: reader.id }),
    ]);
    assert.deepEqual(
      outcomes.map((outcome) => outcome.status),
      ["fulfilled", "fulfilled", "rejected", "fulfilled"],
    );
    assert.match(String((outcomes[2] as PromiseRejectedResult).reason), /foreign key/);
    assert.deepEqual(await counts(), [
      { file_id: english, user_id: null, n: 2 },
      { file_id: french, user_id: reader.id, n: 1 },
    ]);
  });
});
