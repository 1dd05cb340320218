import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import JSZip from "jszip";
import { dataDir } from "../../db/settings";
import { addAgendaItem } from "../support/agenda";
import { addDocument, samplePdf } from "../support/documents";
import { addMeeting } from "../support/registration";
import { assertBody, signedIn, startApp } from "./app";

/** The organisers' documents pages, through the built app: access, uploads and their refusals, versions, revisions, corrigenda, delete and restore. */
describe("the organisers' documents", async () => {
  const { db, request } = await startApp();
  const organiser = await signedIn(db, "organiser@example.org", "administrator");
  const participant = await signedIn(db, "participant@example.org", "participant");
  const meeting = await addMeeting(db, { timezone: "Asia/Bangkok" });
  const other = await addMeeting(db);
  const opening = await addAgendaItem(db, meeting, { title: "Opening session", date: meeting.starts_on, start: "09:00", end: "10:00" });
  const list = `/admin/meetings/${meeting.slug}/documents`;

  const sha256 = (content: Buffer) => createHash("sha256").update(content).digest("hex");
  const isStored = (content: Buffer) => existsSync(path.join(dataDir(), "documents", sha256(content)));
  const file = (content: Buffer | string, name: string) => new File([typeof content === "string" ? content : new Uint8Array(content)], name);

  /** A multipart form as the page sends it: text fields first, then the files. */
  function form(fields: Record<string, string | string[]>, files: Record<string, File> = {}): FormData {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
    for (const [name, value] of Object.entries(files)) body.append(name, value);
    return body;
  }
  const documentFields = (overrides: Record<string, string | string[]> = {}) => ({
    title: "Regional connectivity outlook",
    type: "working_paper",
    symbol: "",
    description: "",
    distribution: "general",
    access: "public",
    ...overrides,
  });
  /** The answer, its body without the comments React puts between adjacent pieces of text. */
  const readable = async (answer: ReturnType<typeof request>) => {
    const response = await answer;
    return { ...response, body: response.body.replaceAll("<!-- -->", "") };
  };
  const post = (url: string, body: FormData | URLSearchParams, cookie: string | null = organiser.cookie) => readable(request(url, { method: "POST", body, cookie }));
  const get = (url: string) => readable(request(url, { cookie: organiser.cookie }));
  const createdId = (response: { status: number; headers: Headers }) => {
    assert.equal(response.status, 302);
    const match = new RegExp(`^${list}/(\\d+)\\?saved=created$`).exec(response.headers.get("Location") ?? "");
    assert.ok(match, `redirected to the new document, not ${response.headers.get("Location")}`);
    return Number(match[1]);
  };
  const filesOf = (documentId: number) => db.selectFrom("document_files").selectAll().where("document_id", "=", documentId).orderBy("language").orderBy("version").execute();
  const documentNamed = (title: string) => db.selectFrom("documents").selectAll().where("title", "=", title).executeTakeFirst();

  it("sends anonymous visitors to sign in, refuses participants, and knows no unknown meeting or document", async () => {
    const anonymous = await request(list);
    assert.equal(anonymous.status, 302);
    assert.equal(anonymous.headers.get("Location"), `/login?redirectTo=${encodeURIComponent(list)}`);
    assert.equal((await post(list, form(documentFields()), null)).status, 302);
    assert.equal((await request(list, { cookie: participant.cookie })).status, 403);
    assert.equal((await post(list, form(documentFields()), participant.cookie)).status, 403);
    assert.equal((await request("/admin/meetings/no-such-meeting/documents", { cookie: organiser.cookie })).status, 404);
    for (const id of ["999999", "abc", "-1", "1.5", "1e3", "3000000000", "99999999999999999999"]) assert.equal((await get(`${list}/${id}`)).status, 404, id);

    const elsewhere = await addDocument(db, other.id, { title: "Another meeting's paper", files: [{ language: "en", content: await samplePdf("elsewhere") }] });
    assert.equal((await request(`${list}/${elsewhere.id}`, { cookie: organiser.cookie })).status, 404);
    assert.equal((await post(`${list}/${elsewhere.id}`, new URLSearchParams({ intent: "delete" }))).status, 404);
    assert.equal((await post(list, new URLSearchParams({ intent: "restore", document: String(elsewhere.id) }))).status, 404);
    for (const document of ["3000000000", "1e3"]) assert.equal((await post(list, new URLSearchParams({ intent: "restore", document }))).status, 400, document);
    assert.equal((await post(`${list}/${elsewhere.id}`, form({ intent: "add-file", language: "en" }, { file: file("x", "x.txt") }))).status, 404);
    assert.equal((await db.selectFrom("documents").select("deleted_at").where("id", "=", elsewhere.id).executeTakeFirstOrThrow()).deleted_at, null);
    assert.equal((await post(list, new URLSearchParams({ intent: "explode" }))).status, 400);
    const mine = await addDocument(db, meeting.id, { title: "Posted to oddly", files: [{ language: "en", content: await samplePdf("odd posts") }] });
    for (const url of [list, `${list}/${mine.id}`]) {
      for (const [type, body] of [["application/json", "{}"], ["text/plain", "intent=delete"], ["multipart/form-data", "no boundary"]]) {
        const odd = await request(url, { method: "POST", body, headers: { "Content-Type": type! }, cookie: organiser.cookie });
        assert.equal(odd.status, 400, `${url} as ${type}`);
      }
    }
    assert.equal((await documentNamed("Posted to oddly"))!.deleted_at, null);
  });

  it("uploads a PDF and a Word document, stored by content, typed by content, and lists them", async () => {
    const pdf = await samplePdf("Regional connectivity outlook");
    const docx = await wordDocument();
    const response = await post(
      list,
      form(documentFields({ symbol: "ESCAP/APIS/2027/WP.1", agendaItems: [String(opening)] }), { "file-en": file(pdf, "outlook.pdf"), "file-fr": file(docx, "perspectives.bin") }),
    );
    const id = createdId(response);
    const files = await filesOf(id);
    assert.deepEqual(
      files.map(({ language, version, revision, content_key, size, media_type, file_name, uploaded_by, superseded_at }) => ({
        language,
        version,
        revision,
        content_key,
        size,
        media_type,
        file_name,
        uploaded_by,
        superseded_at,
      })),
      [
        { language: "en", version: 1, revision: 0, content_key: sha256(pdf), size: pdf.length, media_type: "application/pdf", file_name: "outlook.pdf", uploaded_by: organiser.userId, superseded_at: null },
        {
          language: "fr",
          version: 1,
          revision: 0,
          content_key: sha256(docx),
          size: docx.length,
          media_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          file_name: "perspectives.bin.docx",
          uploaded_by: organiser.userId,
          superseded_at: null,
        },
      ],
    );
    assert.ok(isStored(pdf) && isStored(docx));
    const links = await db.selectFrom("document_agenda_items").select("agenda_item_id").where("document_id", "=", id).execute();
    assert.deepEqual(links, [{ agenda_item_id: opening }]);

    const { status, body } = await get(list);
    assert.equal(status, 200);
    assertBody(body, "ESCAP/APIS/2027/WP.1");
    assertBody(body, `href="${list}/${id}">Regional connectivity outlook</a>`);
    assertBody(body, 'English <span class="muted">(v1)</span>');
    assertBody(body, "French");
    assertBody(body, 'href="/admin/meetings/' + meeting.slug + '/documents"');

    const again = createdId(await post(list, form(documentFields({ title: "Same file again" }), { "file-en": file(pdf, "copy.pdf") })));
    assert.equal((await filesOf(again))[0]!.content_key, sha256(pdf));
  });

  it("refuses a renamed executable with the reason in the page, keeping what was typed, and writes nothing", async () => {
    const exe = Buffer.concat([Buffer.from("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00", "latin1"), Buffer.alloc(512, 1)]);
    const response = await post(list, form(documentFields({ title: "Installer in disguise" }), { "file-en": file(exe, "report.pdf") }));
    assert.equal(response.status, 400);
    assertBody(response.body, "Accepted files: PDF, Word (.docx)");
    assertBody(response.body, /id="title"[^>]*value="Installer in disguise"/);
    assert.equal(await documentNamed("Installer in disguise"), undefined);
    assert.equal(isStored(exe), false);
  });

  it("refuses an oversize file with 413 and an empty one with 400, writing nothing", async () => {
    const big = Buffer.alloc(200 * 1024, "a");
    process.env.MAX_UPLOAD_MB = "0.1";
    try {
      const response = await post(list, form(documentFields({ title: "Too big" }), { "file-en": file(big, "big.txt") }));
      assert.equal(response.status, 413);
      assertBody(response.body, "The file is larger than the limit of 102 KB.");
    } finally {
      delete process.env.MAX_UPLOAD_MB;
    }
    assert.equal(await documentNamed("Too big"), undefined);
    assert.equal(isStored(big), false);

    const declared = await readable(
      request(list, {
        method: "POST",
        body: "--x\r\n",
        headers: { "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(10 * 1024 ** 3) },
        cookie: organiser.cookie,
      }),
    );
    assert.equal(declared.status, 413);
    assertBody(declared.body, "The upload is larger than 5 files of the limit of 50 MB each.");

    const empty = await post(list, form(documentFields({ title: "Empty" }), { "file-en": file("", "empty.pdf") }));
    assert.equal(empty.status, 400);
    assertBody(empty.body, "The file is empty.");
    const none = await post(list, form(documentFields({ title: "Empty" })));
    assert.equal(none.status, 400);
    assertBody(none.body, "Choose at least one file, in any language");
    assert.equal(await documentNamed("Empty"), undefined);
  });

  it("keeps a path-traversal file name only as a name", async () => {
    const pdf = await samplePdf("traversal");
    const id = createdId(await post(list, form(documentFields({ title: "Traversal" }), { "file-en": file(pdf, "../../etc/passwd.pdf") })));
    assert.equal((await filesOf(id))[0]!.file_name, "passwd.pdf");
    assert.ok(isStored(pdf));
    assert.equal(existsSync(path.join(dataDir(), "etc")), false);
  });

  it("refuses NUL in a text field, a symbol another document has (deleted ones too) and a distribution wider than its access", async () => {
    const pdf = await samplePdf("refusals");
    const nul = await post(list, form(documentFields({ title: "Bad\u0000title" }), { "file-en": file(pdf, "a.pdf") }));
    assert.equal(nul.status, 400);
    assertBody(nul.body, /id="title-error">This field contains a NUL character/);

    await addDocument(db, meeting.id, { title: "Binned paper", symbol: "ESCAP/APIS/2027/INF.9", deleted: true, files: [{ language: "en", content: pdf }] });
    for (const [symbol, other] of [
      ["escap/apis/2027/wp.1", "Regional connectivity outlook"],
      ["ESCAP/APIS/2027/INF.9", "Binned paper"],
    ] as const) {
      const clash = await post(list, form(documentFields({ title: "Clashing", symbol }), { "file-en": file(pdf, "a.pdf") }));
      assert.equal(clash.status, 400, symbol);
      assertBody(clash.body, new RegExp(`id="symbol-error">${symbol.replaceAll(".", "\\.")} is already the symbol of “${other}”`), symbol);
    }
    assertBody((await post(list, form(documentFields({ title: "Clashing", symbol: "ESCAP/APIS/2027/INF.9" }), { "file-en": file(pdf, "a.pdf") }))).body, "(deleted: restore it");

    const limited = await post(list, form(documentFields({ title: "Limited for all", distribution: "limited", access: "public" }), { "file-en": file(pdf, "a.pdf") }));
    assert.equal(limited.status, 400);
    assertBody(limited.body, /id="access-error">A limited document is not for “Everyone”: choose “Registered participants/);
    const restricted = await post(list, form(documentFields({ title: "Restricted", distribution: "restricted", access: "registered" }), { "file-en": file(pdf, "a.pdf") }));
    assert.equal(restricted.status, 400);
    assertBody(restricted.body, /A restricted document is not for “Registered participants/);
    const badType = await post(list, form(documentFields({ title: "Odd", type: "memo", symbol: "WP 1", otherLanguage: "zz" }), { "file-other": file(pdf, "a.pdf") }));
    assert.equal(badType.status, 400);
    for (const field of ["type", "symbol", "otherLanguage"]) assertBody(badType.body, `id="${field}-error"`, field);
    // One file per language: two English parts, or "other" naming English, are refused (the database allows one version 1 per language).
    const twiceEnglish = form(documentFields({ title: "Twice English" }), { "file-en": file(pdf, "a.pdf") });
    twiceEnglish.append("file-en", file(await samplePdf("Another English file"), "b.pdf"));
    const twice = await post(list, twiceEnglish);
    assert.equal(twice.status, 400);
    assertBody(twice.body, /id="file-en-error">There is already a file in English/);
    const otherEnglish = await post(list, form(documentFields({ title: "Other English", otherLanguage: "en" }), { "file-en": file(pdf, "a.pdf"), "file-other": file(await samplePdf("Other"), "c.pdf") }));
    assert.equal(otherEnglish.status, 400);
    assertBody(otherEnglish.body, /id="otherLanguage-error">There is already a file in English/);
    for (const title of ["Clashing", "Limited for all", "Restricted", "Odd", "Twice English", "Other English"]) assert.equal(await documentNamed(title), undefined, title);
    assert.equal((await db.selectFrom("documents").select("id").where("title", "like", "Bad%").execute()).length, 0);
  });

  it("adds a new version that supersedes the old one, which stays in the history", async () => {
    const { id } = (await documentNamed("Regional connectivity outlook"))!;
    const page = `${list}/${id}`;
    const v2 = await samplePdf("Regional connectivity outlook, second draft");
    const response = await post(page, form({ intent: "add-file", language: "en" }, { file: file(v2, "outlook-v2.pdf") }));
    assert.equal(response.status, 302);
    assert.equal(response.headers.get("Location"), `${page}?saved=file-added`);
    const english = (await filesOf(id)).filter((row) => row.language === "en");
    assert.deepEqual(
      english.map((row) => [row.version, row.superseded_at !== null]),
      [
        [1, true],
        [2, false],
      ],
    );
    const same = await post(page, form({ intent: "add-file", language: "en" }, { file: file(v2, "again.pdf") }));
    assert.equal(same.status, 400);
    assertBody(same.body, "This file is the same as the current version of that language.");

    const { body } = await get(page);
    assertBody(body, `href="/meetings/${meeting.slug}/documents/${id}?lang=en&amp;version=1">outlook.pdf</a>`);
    assertBody(body, `href="/meetings/${meeting.slug}/documents/${id}?lang=en&amp;version=2">outlook-v2.pdf</a>`);
    assertBody(body, /Superseded [A-Z][a-z]{2} \d+ [A-Z][a-z]{2} \d{4}, \d\d:\d\d Bangkok time/);
    assertBody(body, "Current");
    assertBody(body, "organiser@example.org");
    assertBody(body, "Times in Bangkok time, the meeting&#x27;s zone.");
  });

  it("adds a language, makes a formal revision that bumps the symbol, and keeps the other languages' revision", async () => {
    const { id } = (await documentNamed("Regional connectivity outlook"))!;
    const page = `${list}/${id}`;
    const russian = await post(page, form({ intent: "add-file", language: "other", otherLanguage: "ES" }, { file: file("Perspectivas regionales de conectividad.\n", "es.txt") }));
    assert.equal(russian.status, 302);
    const revised = await post(page, form({ intent: "add-file", language: "en", revision: "yes" }, { file: file(await samplePdf("Rev.1 text"), "rev1.pdf") }));
    assert.equal(revised.status, 302);
    assert.equal((await documentNamed("Regional connectivity outlook"))!.revision, 1);
    const current = (await filesOf(id)).filter((row) => row.superseded_at === null).map((row) => [row.language, row.version, row.revision]);
    assert.deepEqual(current, [
      ["en", 3, 1],
      ["es", 1, 0],
      ["fr", 1, 0],
    ]);
    const { body } = await get(page);
    assertBody(body, /<span class="document-symbol">ESCAP\/APIS\/2027\/WP\.1\/Rev\.1<\/span>/);
    assertBody(body, /<td>English<\/td><td>v3<\/td><td>ESCAP\/APIS\/2027\/WP\.1\/Rev\.1<\/td>/);
    assertBody(body, /<td>French<\/td><td>v1<\/td><td>ESCAP\/APIS\/2027\/WP\.1<\/td>/);
    assertBody(body, /<td>Spanish<\/td>/);
    assertBody(body, "its symbol becomes ESCAP/APIS/2027/WP.1/Rev.2");
    const bad = await post(page, form({ intent: "add-file", language: "other", otherLanguage: "qq" }, { file: file("text", "a.txt") }));
    assert.equal(bad.status, 400);
    assertBody(bad.body, 'id="otherLanguage-error"');
  });

  it("numbers corrigenda after the original's symbol", async () => {
    const { id } = (await documentNamed("Regional connectivity outlook"))!;
    const first = createdId(await post(list, form(documentFields({ title: "Corrigendum one", corrects: String(id) }), { "file-en": file("Corrigendum one\n", "c1.txt") })));
    const second = createdId(await post(list, form(documentFields({ title: "Corrigendum two", corrects: String(id) }), { "file-en": file("Corrigendum two\n", "c2.txt") })));
    const symbols = await db.selectFrom("documents").select(["id", "symbol", "corrects_id"]).where("id", "in", [first, second]).orderBy("id").execute();
    assert.deepEqual(symbols, [
      { id: first, symbol: "ESCAP/APIS/2027/WP.1/Corr.1", corrects_id: id },
      { id: second, symbol: "ESCAP/APIS/2027/WP.1/Corr.2", corrects_id: id },
    ]);
    const typed = await post(list, form(documentFields({ title: "Corrigendum three", symbol: "X/1", corrects: String(id) }), { "file-en": file("three\n", "c3.txt") }));
    assert.equal(typed.status, 400);
    assertBody(typed.body, "Leave the symbol empty for a corrigendum");
    const ofCorrigendum = await post(list, form(documentFields({ title: "Corrigendum four", corrects: String(first) }), { "file-en": file("four\n", "c4.txt") }));
    assert.equal(ofCorrigendum.status, 400);
    assertBody(ofCorrigendum.body, 'id="corrects-error"');
    const original = await get(`${list}/${id}`);
    assertBody(original.body, new RegExp(`<dt>Corrigenda</dt><dd><a [^>]*href="${list}/${first}"[^>]*>ESCAP/APIS/2027/WP\\.1/Corr\\.1 – Corrigendum one</a></dd>`));
    assertBody(original.body, new RegExp(`href="${list}/${id}/inputs"[^>]*>Inputs on this draft</a>`));
  });

  it("edits the details with the same rules", async () => {
    const { id } = (await documentNamed("Traversal"))!;
    const page = `${list}/${id}`;
    const fields = (overrides: Record<string, string>) => new URLSearchParams({ intent: "save", ...documentFields({ title: "Traversal" }), ...overrides } as Record<string, string>);
    const mismatch = await post(page, fields({ distribution: "restricted", access: "registered", title: "Edited title" }));
    assert.equal(mismatch.status, 400);
    assertBody(mismatch.body, /id="access-error">A restricted document/);
    assertBody(mismatch.body, /id="title"[^>]*value="Edited title"/);
    const clash = await post(page, fields({ symbol: "ESCAP/APIS/2027/WP.1" }));
    assert.equal(clash.status, 400);
    assertBody(clash.body, "is already the symbol of “Regional connectivity outlook”");
    const nul = await post(page, fields({ description: "a\u0000b" }));
    assert.equal(nul.status, 400);
    const foreignItem = await post(page, new URLSearchParams([...fields({}), ["agendaItems", "999999"]]));
    assert.equal(foreignItem.status, 400);

    const saved = await post(page, new URLSearchParams([...fields({ title: "Confirmed-only paper", distribution: "restricted", access: "confirmed", symbol: "ESCAP/APIS/2027/R.1" }), ["agendaItems", String(opening)]]));
    assert.equal(saved.status, 302);
    const row = await db.selectFrom("documents").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    assert.deepEqual([row.title, row.distribution, row.access_level, row.symbol, row.updated_by], ["Confirmed-only paper", "restricted", "confirmed", "ESCAP/APIS/2027/R.1", organiser.userId]);
    assert.deepEqual(await db.selectFrom("document_agenda_items").select("agenda_item_id").where("document_id", "=", id).execute(), [{ agenda_item_id: opening }]);
  });

  it("deletes after a confirmation that needs no script, and restores", async () => {
    const { id } = (await documentNamed("Same file again"))!;
    const page = `${list}/${id}`;
    const asked = await get(`${page}?delete`);
    assertBody(asked.body, "Delete “Same file again”?");
    assertBody(asked.body, /<button type="submit" name="intent" value="delete"/);
    const deleted = await post(page, new URLSearchParams({ intent: "delete" }));
    assert.equal(deleted.status, 302);
    assert.equal(deleted.headers.get("Location"), `${list}?saved=deleted`);
    const row = await db.selectFrom("documents").select(["deleted_at", "deleted_by"]).where("id", "=", id).executeTakeFirstOrThrow();
    assert.ok(row.deleted_at);
    assert.equal(row.deleted_by, organiser.userId);
    const { body } = await get(list);
    const [current, bin] = body.split('id="deleted-documents"');
    assert.ok(!current!.includes(">Same file again</a>"));
    assertBody(bin!, ">Same file again</a>");
    assert.equal((await post(page, form({ intent: "add-file", language: "en" }, { file: file("late\n", "late.txt") }))).status, 409);

    const binned = await get(page);
    assertBody(binned.body, /This document was deleted [A-Z][a-z]{2} \d+ [A-Z][a-z]{2} \d{4}, \d\d:\d\d Bangkok time/);
    assertBody(binned.body, /value="restore"[^>]*>Restore document</);
    const restored = await post(list, new URLSearchParams({ intent: "restore", document: String(id) }));
    assert.equal(restored.status, 302);
    assert.equal(restored.headers.get("Location"), `${list}?saved=restored`);
    assert.equal((await db.selectFrom("documents").select("deleted_at").where("id", "=", id).executeTakeFirstOrThrow()).deleted_at, null);
    await post(page, new URLSearchParams({ intent: "delete" }));
    const again = await post(page, new URLSearchParams({ intent: "restore" }));
    assert.equal(again.headers.get("Location"), `${page}?saved=restored`);
    assert.equal((await db.selectFrom("documents").select("deleted_at").where("id", "=", id).executeTakeFirstOrThrow()).deleted_at, null);
  });

  it("leaves exactly one current file when two new versions of a language arrive at once", async () => {
    const { id } = (await documentNamed("Regional connectivity outlook"))!;
    const page = `${list}/${id}`;
    const [a, b] = await Promise.all([
      post(page, form({ intent: "add-file", language: "fr" }, { file: file("Version A du texte français.\n", "a.txt") })),
      post(page, form({ intent: "add-file", language: "fr" }, { file: file("Version B du texte français.\n", "b.txt") })),
    ]);
    assert.deepEqual([a.status, b.status], [302, 302]);
    const french = (await filesOf(id)).filter((row) => row.language === "fr");
    assert.deepEqual(
      french.map((row) => row.version),
      [1, 2, 3],
    );
    assert.equal(french.filter((row) => row.superseded_at === null).length, 1);
    assert.equal(french.find((row) => row.superseded_at === null)!.version, 3);
  });

  it("counts downloads per document and lists who downloaded it", async () => {
    const { id } = (await documentNamed("Regional connectivity outlook"))!;
    const [english] = (await filesOf(id)).filter((row) => row.language === "en" && row.superseded_at === null);
    await db
      .insertInto("document_downloads")
      .values([
        { document_id: id, file_id: english!.id, user_id: participant.userId },
        { document_id: id, file_id: english!.id, user_id: null },
        { document_id: id, file_id: english!.id, user_id: null },
      ])
      .execute();
    const listed = await get(list);
    assertBody(listed.body, new RegExp(`href="${list}/${id}">Regional connectivity outlook</a>.*?<td class="number">3</td>`, "s"));
    const { body } = await get(`${list}/${id}`);
    assertBody(body, "<td>participant@example.org</td>");
    assertBody(body, "<td>anonymous</td>");
    assertBody(body, "<td>English v3</td>");
  });
});

/** A minimal Word document: its [Content_Types].xml names the main part, as Word writes it. */
function wordDocument(): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      `<Default Extension="xml" ContentType="application/xml"/>` +
      `<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
  );
  zip.file("word/document.xml", "<xml/>");
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}
