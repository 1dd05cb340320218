import assert from "node:assert/strict";
import { mkdtempSync, rmSync, utimesSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { createDiskDocumentStore } from "../../app/documents/document-store.server";
import { sweepUnreferencedContent } from "../../app/documents/unreferenced-content.server";
import { addDocument, samplePdf } from "../support/documents";
import { addMeeting } from "../support/registration";
import { freshDatabase } from "../support/database";

describe("sweeping content no document or input uses", async () => {
  const { db } = await freshDatabase();
  const root = mkdtempSync(path.join(os.tmpdir(), "unreferenced-content-"));
  after(() => rmSync(root, { recursive: true, force: true }));
  const store = createDiskDocumentStore(root);
  const meeting = await addMeeting(db);
  const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
  const age = (key: string) => utimesSync(path.join(root, key), twoDaysAgo, twoDaysAgo);

  it("deletes old content nothing refers to, and keeps what a document file or an input uses and what is recent", async () => {
    const usedContent = await samplePdf("A paper in use");
    const { id: documentId, fileIds } = await addDocument(db, meeting.id, { files: [{ language: "en", content: usedContent }] });
    const used = await db.selectFrom("document_files").select("content_key").where("id", "=", fileIds[0]!).executeTakeFirstOrThrow();
    // The helper stored it in the app's store; put the same bytes in this one.
    assert.equal((await store.put([usedContent], { maxBytes: 10_000_000 })).key, used.content_key);
    const orphan = await store.put([Buffer.from("refused after storing: a symbol clash\n")], { maxBytes: 1_000 });
    const recent = await store.put([Buffer.from("an upload just stored, its row not yet written\n")], { maxBytes: 1_000 });
    const attached = await store.put([Buffer.from("a marked-up draft attached to an input\n")], { maxBytes: 1_000 });
    const registration = await db
      .insertInto("registrations")
      .values({ meeting_id: meeting.id, email: "expert@example.org", first_name: "Ana", last_name: "Lima", organisation: "Ministry", country: "BR", gender: "female", category: "expert", attendance_mode: "in_person", status: "confirmed", manage_token_hash: Buffer.alloc(32, 7), consent_at: new Date() })
      .returning("id")
      .executeTakeFirstOrThrow();
    const period = await db
      .insertInto("comment_periods")
      .values({ document_id: documentId, closes_local: "2030-01-01T12:00", closes_at: new Date("2030-01-01T05:00:00Z"), audience: "{}" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("document_inputs")
      .values({ document_id: documentId, period_id: period.id, registration_id: registration.id, body: "See the attached draft.", file_key: attached.key, file_name: "draft.docx", file_media_type: "text/plain", file_size: attached.size })
      .execute();
    for (const key of [used.content_key, orphan.key, attached.key]) age(key);

    assert.equal(await sweepUnreferencedContent(db, store), 1);
    assert.equal(await store.has(orphan.key), false, "the old orphan is gone");
    for (const key of [used.content_key, recent.key, attached.key]) assert.equal(await store.has(key), true, key);
    assert.equal(await sweepUnreferencedContent(db, store), 0, "a second sweep finds nothing");
  });

  it("lets an identical upload save old orphaned content, because storing it writes it again", async () => {
    const content = Buffer.from("uploaded, refused, then uploaded again\n");
    const first = await store.put([content], { maxBytes: 1_000 });
    age(first.key);
    await store.put([content], { maxBytes: 1_000 });
    assert.equal(await sweepUnreferencedContent(db, store), 0);
    assert.equal(await store.has(first.key), true);
  });
});
