import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addDocumentFile, createDocument, deleteDocument, type DocumentMetadata, restoreDocument, updateDocument } from "../../app/documents/document-admin.server";
import { parseDocumentMetadata } from "../../app/documents/document-form.server";
import { documentStore } from "../../app/documents/document-store.server";
import { freshDatabase } from "../support/database";
import { samplePdf } from "../support/documents";
import { addMeeting } from "../support/registration";

/** The organisers' documents capability against PostgreSQL: what the demo data and the pages call. */
describe("documents for organisers", async () => {
  const { db } = await freshDatabase();
  const meeting = await addMeeting(db);
  const metadata = (overrides: Partial<DocumentMetadata> = {}): DocumentMetadata => ({
    type: "working_paper",
    title: "Working paper",
    symbol: null,
    description: null,
    distribution: "general",
    access: "public",
    agendaItemIds: [],
    ...overrides,
  });
  /** Content put in the store first, as the demo data does before calling the capability. */
  const stored = async (text: string) => {
    const content = await samplePdf(text);
    const { key, size } = await documentStore().put([content], { maxBytes: 10 * 1024 * 1024 });
    return { key, size, mediaType: "application/pdf", fileName: `${text}.pdf` };
  };
  const create = async (overrides: Partial<DocumentMetadata> & { correctsId?: number }, files?: Parameters<typeof createDocument>[1]["files"]) =>
    createDocument(db, { ...metadata(overrides), meetingId: meeting.id, files: files ?? [{ language: "en", ...(await stored(overrides.title ?? "paper")) }], createdBy: null });
  const currentFiles = (documentId: number) =>
    db.selectFrom("document_files").select(["language", "version", "revision"]).where("document_id", "=", documentId).where("superseded_at", "is", null).orderBy("language").execute();

  it("creates a document with files already stored, version 1 in each language", async () => {
    const created = await create({ title: "Provisional agenda", type: "provisional_agenda", symbol: "ESCAP/T/2027/1" }, [
      { language: "en", ...(await stored("agenda en")) },
      { language: "fr", ...(await stored("agenda fr")) },
    ]);
    assert.ok(created.ok);
    assert.deepEqual(await currentFiles(created.value), [
      { language: "en", version: 1, revision: 0 },
      { language: "fr", version: 1, revision: 0 },
    ]);
    const none = await createDocument(db, { ...metadata(), meetingId: meeting.id, files: [], createdBy: null });
    assert.deepEqual(none, { ok: false, field: "files", message: "Add at least one file." });
  });

  it("gives one of two concurrent documents a symbol and the other a field error", async () => {
    const files = [{ language: "en", ...(await stored("race")) }];
    const results = await Promise.all([create({ title: "Race A", symbol: "ESCAP/T/2027/WP.7" }, files), create({ title: "Race B", symbol: "escap/t/2027/wp.7" }, files)]);
    assert.deepEqual(results.map((result) => result.ok).sort(), [false, true]);
    const refused = results.find((result) => !result.ok);
    assert.ok(refused && !refused.ok);
    assert.equal(refused.field, "symbol");
  });

  it("numbers concurrent corrigenda one after the other", async () => {
    const original = await create({ title: "Concept note", symbol: "ESCAP/T/2027/CN" });
    assert.ok(original.ok);
    const corrigenda = await Promise.all([1, 2, 3].map((n) => create({ title: `Corrigendum ${n}`, correctsId: original.value })));
    const ids = corrigenda.map((result) => (result.ok ? result.value : assert.fail("refused")));
    const symbols = await db.selectFrom("documents").select("symbol").where("id", "in", ids).orderBy("symbol").execute();
    assert.deepEqual(
      symbols.map((row) => row.symbol),
      ["ESCAP/T/2027/CN/Corr.1", "ESCAP/T/2027/CN/Corr.2", "ESCAP/T/2027/CN/Corr.3"],
    );
    const unnumbered = await create({ title: "No symbol" });
    assert.ok(unnumbered.ok);
    assert.deepEqual(await create({ title: "Corrigendum of nothing", correctsId: unnumbered.value }), {
      ok: false,
      field: "corrects",
      message: "That document has no symbol: give it one first, so that its corrigendum can be numbered.",
    });
  });

  it("adds languages and versions; a revision bumps the document and only the new file", async () => {
    const created = await create({ title: "Report", symbol: "ESCAP/T/2027/REP" });
    assert.ok(created.ok);
    const id = created.value;
    const add = async (language: string, text: string, revision = false) =>
      addDocumentFile(db, { documentId: id, language, file: await stored(text), revision, uploadedBy: null });
    assert.deepEqual(await add("ru", "report ru"), { ok: true, value: { version: 1, revision: 0 } });
    assert.deepEqual(await add("en", "report en v2"), { ok: true, value: { version: 2, revision: 0 } });
    assert.deepEqual(await add("en", "report en rev1", true), { ok: true, value: { version: 3, revision: 1 } });
    assert.deepEqual(await add("en", "report en rev1", false), { ok: false, field: "file", message: "This file is the same as the current version of that language." });
    assert.equal((await db.selectFrom("documents").select("revision").where("id", "=", id).executeTakeFirstOrThrow()).revision, 1);
    assert.deepEqual(await currentFiles(id), [
      { language: "en", version: 3, revision: 1 },
      { language: "ru", version: 1, revision: 0 },
    ]);
    const versions = await Promise.all(["a", "b", "c", "d"].map((n) => add("ru", `report ru ${n}`)));
    assert.deepEqual(versions.map((result) => (result.ok ? result.value.version : 0)).sort(), [2, 3, 4, 5]);
    assert.deepEqual((await currentFiles(id)).find((file) => file.language === "ru"), { language: "ru", version: 5, revision: 1 });
  });

  it("works inside the caller's transaction, as the demo data loader calls it", async () => {
    const files = [{ language: "en", ...(await stored("in a transaction")) }];
    const next = await stored("in a transaction, v2");
    const id = await db.transaction().execute(async (trx) => {
      const created = await createDocument(trx, { ...metadata({ title: "Loaded with the demo" }), meetingId: meeting.id, files, createdBy: null });
      assert.ok(created.ok);
      assert.ok((await addDocumentFile(trx, { documentId: created.value, language: "en", file: next, revision: false, uploadedBy: null })).ok);
      return created.value;
    });
    assert.deepEqual(await currentFiles(id), [{ language: "en", version: 2, revision: 0 }]);
  });

  it("edits, deletes and restores; a deleted document's symbol stays taken", async () => {
    const created = await create({ title: "Information note", symbol: "ESCAP/T/2027/INF.1" });
    assert.ok(created.ok);
    const document = await db.selectFrom("documents").selectAll().where("id", "=", created.value).executeTakeFirstOrThrow();
    const user = await db.insertInto("users").values({ email: "editor@example.org", role: "administrator" }).returning("id").executeTakeFirstOrThrow();
    assert.deepEqual(await updateDocument(db, document, metadata({ title: "Information note for participants", symbol: "ESCAP/T/2027/INF.1", distribution: "limited", access: "registered" }), user.id), { ok: true, value: null });
    await deleteDocument(db, document.id, user.id);
    const clash = await create({ title: "Another note", symbol: "ESCAP/T/2027/INF.1" });
    assert.ok(!clash.ok);
    assert.match(clash.message, /“Information note for participants” \(deleted: restore it, or choose another symbol\)/);
    await restoreDocument(db, document.id, user.id);
    const row = await db.selectFrom("documents").selectAll().where("id", "=", document.id).executeTakeFirstOrThrow();
    assert.deepEqual([row.title, row.access_level, row.deleted_at, row.deleted_by, row.updated_by], ["Information note for participants", "registered", null, null, user.id]);
  });

  it("leaves a deleted document's files and details alone until it is restored, even when the delete comes first by a moment", async () => {
    const created = await create({ title: "Concept note" });
    assert.ok(created.ok);
    const document = await db.selectFrom("documents").selectAll().where("id", "=", created.value).executeTakeFirstOrThrow();
    const user = await db.insertInto("users").values({ email: "deleter@example.org", role: "administrator" }).returning("id").executeTakeFirstOrThrow();
    await deleteDocument(db, document.id, user.id);
    const upload = await addDocumentFile(db, { documentId: document.id, language: "fr", file: await stored("note française"), revision: false, uploadedBy: null });
    assert.deepEqual(upload, { ok: false, field: "file", message: "This document is deleted: restore it first." });
    const edit = await updateDocument(db, document, metadata({ title: "Renamed while deleted" }), null);
    assert.equal(edit.ok, false);
    const row = await db.selectFrom("documents").select("title").where("id", "=", document.id).executeTakeFirstOrThrow();
    assert.equal(row.title, "Concept note");
    assert.deepEqual((await currentFiles(document.id)).map((file) => file.language), ["en"]);
  });

  it("the form's rule matches the database's: every distribution × access pair the form accepts, the database accepts", async () => {
    const created = await create({ title: "Rule check" });
    assert.ok(created.ok);
    const document = await db.selectFrom("documents").selectAll().where("id", "=", created.value).executeTakeFirstOrThrow();
    for (const distribution of ["general", "limited", "restricted"] as const) {
      for (const access of ["public", "registered", "confirmed", "organisers"] as const) {
        const parsed = parseDocumentMetadata({ title: "Rule check", type: "other", distribution, access }, {}, []);
        const saved = await updateDocument(db, document, { ...metadata({ title: "Rule check" }), distribution, access }, null).then(
          () => true,
          () => false,
        );
        assert.equal(parsed.ok, saved, `${distribution} × ${access}`);
      }
    }
  });
});
