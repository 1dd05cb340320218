import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { createRequestHandler } from "@remix-run/node";
import JSZip from "jszip";
import { sql } from "kysely";
import type { AccessLevel, RegistrationStatus } from "../../db/schema";
import { addAgendaItem } from "../support/agenda";
import { documentStore } from "../../app/documents/document-store.server";
import { addDocument, samplePdf } from "../support/documents";
import { addMeeting } from "../support/registration";
import { assertBody, assertNoStackTrace, signedIn, startApp } from "./app";

/** What participants see and download of a meeting's documents: the page, one file, "Download all", and the API, for every visitor. */

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** The name a client reads from Content-Disposition: `filename*` (RFC 8187) when present. */
function dispositionName(header: string | null): string {
  const extended = /filename\*=UTF-8''([^;\s]+)/.exec(header ?? "")?.[1];
  return extended ? decodeURIComponent(extended) : (/filename="([^"]*)"/.exec(header ?? "")?.[1] ?? "");
}

/**
 * Each entry's compression method as the zip's central directory records it (0 stored, 8 deflated),
 * read from the end-of-central-directory record (JSZip does not say how an entry was stored).
 */
function compressionMethods(zip: Buffer): Map<string, number> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end !== -1, "a zip ends with its central directory's record");
  const methods = new Map<string, number>();
  let at = zip.readUInt32LE(end + 16);
  for (let n = zip.readUInt16LE(end + 10); n > 0; n--) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, "a central directory entry");
    const [nameLength, extraLength, commentLength] = [zip.readUInt16LE(at + 28), zip.readUInt16LE(at + 30), zip.readUInt16LE(at + 32)];
    methods.set(zip.toString("utf8", at + 46, at + 46 + nameLength), zip.readUInt16LE(at + 10));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return methods;
}

/** The HTML of one document's entry on the page (with its corrigenda). */
function entryOf(body: string, id: number): string | null {
  const start = body.indexOf(`<article class="card document" id="document-${id}"`);
  if (start === -1) return null;
  const end = body.indexOf("</article>", start);
  return body.slice(start, end);
}

type Visitor = "anonymous" | "signed in" | RegistrationStatus | "organiser";
const VISITORS: Visitor[] = ["anonymous", "signed in", "pending", "waitlisted", "confirmed", "declined", "cancelled", "organiser"];
const READS: Record<Visitor, AccessLevel[]> = {
  anonymous: ["public"],
  "signed in": ["public"],
  pending: ["public", "registered"],
  waitlisted: ["public", "registered"],
  confirmed: ["public", "registered", "confirmed"],
  declined: ["public"],
  cancelled: ["public"],
  organiser: ["public", "registered", "confirmed", "organisers"],
};

describe("participants' documents", async () => {
  const app = await startApp();
  const { db } = app;
  const handler = createRequestHandler(app.build, "production");
  async function request(url: string, init?: Parameters<typeof app.request>[1]) {
    const response = await app.request(url, init);
    return { ...response, body: response.body.replaceAll("<!-- -->", "") };
  }
  /** The answer's bytes, for downloads. */
  async function download(url: string, options: { cookie?: string | null; headers?: Record<string, string>; method?: string } = {}) {
    const headers = new Headers(options.headers);
    if (options.cookie) headers.set("Cookie", options.cookie);
    const response = await handler(new Request(new URL(url, "http://localhost:3000"), { headers, method: options.method ?? "GET", redirect: "manual" }));
    const body = Buffer.from(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, body };
  }
  const downloadCount = async (documentId: number) =>
    Number((await db.selectFrom("document_downloads").select((eb) => eb.fn.countAll().as("n")).where("document_id", "=", documentId).executeTakeFirstOrThrow()).n);

  const meeting = await addMeeting(db, {
    slug: "documents-test-meeting",
    title: "Documents Test Meeting",
    timezone: "Asia/Bangkok",
    starts_on: "2027-03-01",
    ends_on: "2027-03-02",
    starts_at: new Date("2027-02-28T17:00:00Z"),
    ends_at: new Date("2027-03-02T17:00:00Z"),
  });
  const other = await addMeeting(db, { slug: "documents-other-meeting", title: "Other Meeting" });
  const draft = await addMeeting(db, { slug: "documents-draft-meeting", status: "draft", published_at: null });
  const base = `/meetings/${meeting.slug}/documents`;

  const content = {
    agendaV1: await samplePdf("Provisional agenda, first version"),
    agendaEn: await samplePdf("Provisional agenda"),
    agendaFr: await samplePdf("Ordre du jour provisoire"),
    corrigendum: await samplePdf("Corrigendum to the provisional agenda"),
    notes: Buffer.from("会议须知\nNotes for participants\n", "utf8"),
    info: await samplePdf("Information note for participants"),
    paperV1: await samplePdf("Working paper, first draft"),
    paperEn: await samplePdf("Working paper on e-resilience"),
    paperRu: await samplePdf("Рабочий документ"),
    internal: await samplePdf("Organisers' briefing"),
    removed: await samplePdf("Withdrawn paper"),
    elsewhere: await samplePdf("Another meeting's paper"),
  };
  const opening = await addAgendaItem(db, meeting, { title: "Adoption of the agenda", date: "2027-03-01", start: "09:00", end: "09:30" });
  const agenda = await addDocument(db, meeting.id, {
    title: "Provisional agenda",
    type: "provisional_agenda",
    symbol: "TEST/2027/1",
    files: [
      { language: "en", content: content.agendaV1, version: 1, superseded: true, fileName: "agenda-draft.pdf" },
      { language: "en", content: content.agendaEn, version: 2, fileName: "Документ-ру.pdf" },
      { language: "fr", content: content.agendaFr, fileName: "会议.pdf" },
    ],
  });
  await db.insertInto("document_agenda_items").values({ document_id: agenda.id, agenda_item_id: opening }).execute();
  const corrigendum = await addDocument(db, meeting.id, {
    title: "Corrigendum to the provisional agenda",
    type: "provisional_agenda",
    symbol: "TEST/2027/1/Corr.1",
    correctsId: agenda.id,
    files: [{ language: "en", content: content.corrigendum }],
  });
  const notes = await addDocument(db, meeting.id, {
    title: "Practical notes",
    type: "other",
    files: [{ language: "zh", content: content.notes, mediaType: "text/plain", fileName: "notes.txt" }],
  });
  const info = await addDocument(db, meeting.id, {
    title: "Information note for participants",
    type: "information_note",
    symbol: "TEST/2027/INF.1",
    access: "registered",
    distribution: "limited",
    files: [{ language: "en", content: content.info }],
  });
  const paper = await addDocument(db, meeting.id, {
    title: "Working paper on e-resilience",
    type: "working_paper",
    symbol: "TEST/2027/WP.1",
    access: "confirmed",
    distribution: "restricted",
    files: [
      { language: "en", content: content.paperV1, version: 1, superseded: true },
      { language: "en", content: content.paperEn, version: 2 },
      { language: "ru", content: content.paperRu },
    ],
  });
  const internal = await addDocument(db, meeting.id, { title: "Organisers' briefing", type: "other", access: "organisers", files: [{ language: "en", content: content.internal }] });
  const removed = await addDocument(db, meeting.id, { title: "Withdrawn paper", deleted: true, files: [{ language: "en", content: content.removed }] });
  const elsewhere = await addDocument(db, other.id, { title: "Another meeting's paper", access: "registered", files: [{ language: "en", content: content.elsewhere }] });
  const inDraft = await addDocument(db, draft.id, { title: "Draft meeting's paper", files: [{ language: "en", content: content.elsewhere }] });

  const byLevel: Record<AccessLevel, { id: number; title: string; bytes: Buffer }> = {
    public: { id: agenda.id, title: "Provisional agenda", bytes: content.agendaEn },
    registered: { id: info.id, title: "Information note for participants", bytes: content.info },
    confirmed: { id: paper.id, title: "Working paper on e-resilience", bytes: content.paperEn },
    organisers: { id: internal.id, title: "Organisers&#x27; briefing", bytes: content.internal },
  };

  async function cookieOf(visitor: Visitor): Promise<string | null> {
    if (visitor === "anonymous") return null;
    const email = `${visitor.replace(" ", "-")}@example.org`;
    const session = await signedIn(db, email, visitor === "organiser" ? "administrator" : "participant");
    if (visitor !== "signed in" && visitor !== "organiser") {
      await db
        .insertInto("registrations")
        .values({
          meeting_id: meeting.id,
          email,
          first_name: "Test",
          last_name: visitor,
          organisation: "Ministry of ICT",
          country: "TH",
          gender: "undisclosed",
          category: "government",
          attendance_mode: "in_person",
          status: visitor,
          manage_token_hash: createHash("sha256").update(email).digest(),
          consent_at: new Date(),
        })
        .execute();
    }
    return session.cookie;
  }
  const cookies = new Map<Visitor, string | null>();
  for (const visitor of VISITORS) cookies.set(visitor, await cookieOf(visitor));

  it("lists documents by type with symbol, distribution, languages, date in the meeting's zone, size, agenda items and corrigenda", async () => {
    const page = await request(base);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("Cache-Control"), "private, no-cache");
    for (const heading of ["Provisional agenda", "Information notes for participants", "Working papers", "Other documents"]) {
      assertBody(page.body, new RegExp(`<h2 id="type-[a-z_]+">${heading}</h2>`), heading);
    }
    const entry = entryOf(page.body, agenda.id) ?? assert.fail("the agenda is listed");
    assertBody(entry, "TEST/2027/1");
    assertBody(entry, "Distribution: General");
    assertBody(entry, `href="${base}/${agenda.id}?lang=en"`);
    assertBody(entry, `href="${base}/${agenda.id}?lang=fr"`);
    assertBody(entry, />English<\/a> <span class="muted small">\(\d+(\.\d)? KB\)<\/span>/);
    assertBody(entry, />French<\/a>/);
    assertBody(entry, /Latest version <time dateTime="\d{4}-\d{2}-\d{2}T[\d:.]+Z">[^<]+Bangkok time<\/time>/);
    assertBody(entry, "Agenda: Adoption of the agenda");
    // The corrigendum stands inside the original's entry, not as an entry of its own.
    assertBody(entry, `id="document-${corrigendum.id}"`);
    assertBody(entry, "TEST/2027/1/Corr.1");
    assert.equal(entryOf(page.body, corrigendum.id), null);
    assertBody(page.body, "Dates are in Bangkok time");
    assert.ok(!page.body.includes("Withdrawn paper"), "deleted documents are not listed");
    assert.ok(!page.body.includes("Another meeting"), "another meeting's documents are not listed");
  });

  it("names only the agenda items that are not deleted, for anonymous and signed-in visitors", async () => {
    await db.updateTable("agenda_items").set({ deleted_at: new Date() }).where("id", "=", opening).execute();
    try {
      for (const visitor of ["anonymous", "organiser"] as const) {
        const entry = entryOf((await request(base, { cookie: cookies.get(visitor) })).body, agenda.id) ?? assert.fail(`the agenda is listed to ${visitor}`);
        assert.ok(!entry.includes("Adoption of the agenda"), `a deleted item is not named to ${visitor}`);
        assertBody(entry, "TEST/2027/1");
      }
    } finally {
      await db.updateTable("agenda_items").set({ deleted_at: null }).where("id", "=", opening).execute();
    }
    assertBody(entryOf((await request(base)).body, agenda.id) ?? "", "Agenda: Adoption of the agenda");
  });

  it("lists what each visitor may read with links, shows participants' papers locked to others, and organisers' papers only to organisers", async () => {
    for (const visitor of VISITORS) {
      const page = await request(base, { cookie: cookies.get(visitor) });
      assert.equal(page.status, 200, visitor);
      for (const [level, document] of Object.entries(byLevel) as [AccessLevel, (typeof byLevel)[AccessLevel]][]) {
        const readable = READS[visitor].includes(level);
        const entry = entryOf(page.body, document.id);
        const link = `href="${base}/${document.id}?lang=en"`;
        if (readable) {
          assert.ok(entry?.includes(link), `${visitor} gets a link to the ${level} document`);
        } else if (level === "organisers") {
          assert.equal(entry, null, `${visitor} does not see the organisers' document`);
          assert.ok(!page.body.includes(document.title), `${visitor}: no organisers' title`);
        } else {
          assert.ok(entry, `${visitor} sees the ${level} document listed`);
          assert.ok(!entry.includes(link), `${visitor} gets no link to the ${level} document`);
          assertBody(entry, level === "registered" ? "Available to registered participants" : "Available to confirmed participants", `${visitor}, ${level}`);
          if (visitor === "anonymous") assertBody(entry, `href="/login?redirectTo=${encodeURIComponent(base)}"`, "sign-in link");
          else assert.ok(!entry.includes("/login"), `${visitor}: no sign-in link when signed in`);
        }
      }
      const locked = READS[visitor].length < 3;
      assert.equal(page.body.includes("Some documents are for participants only"), locked, `${visitor}: the access note`);
    }
  });

  it("downloads for every level × visitor: 200 when entitled, sign-in for anonymous, 403 otherwise", async () => {
    for (const visitor of VISITORS) {
      for (const [level, document] of Object.entries(byLevel) as [AccessLevel, (typeof byLevel)[AccessLevel]][]) {
        const url = `${base}/${document.id}?lang=en`;
        const answer = await download(url, { cookie: cookies.get(visitor) });
        const what = `${visitor} downloading the ${level} document`;
        if (READS[visitor].includes(level)) {
          assert.equal(answer.status, 200, what);
          assert.equal(sha256(answer.body), sha256(document.bytes), what);
        } else if (visitor === "anonymous") {
          assert.equal(answer.status, 302, what);
          assert.equal(answer.headers.get("Location"), `/login?redirectTo=${encodeURIComponent(url)}`, what);
        } else {
          assert.equal(answer.status, 403, what);
          assert.ok(!answer.body.includes(document.bytes.subarray(0, 400)), what);
        }
      }
    }
  });

  it("answers the API's documents with what each visitor may read: one entry per current file, with an absolute download address", async () => {
    for (const visitor of VISITORS) {
      const response = await request(`/api/v1/meetings/${meeting.slug}`, { cookie: cookies.get(visitor) });
      assert.equal(response.status, 200, visitor);
      const documents = (response.json() as { documents: { id: number; title: string; type: string; symbol: string | null; language: string; version: number; url: string }[] }).documents;
      for (const entry of documents) assert.deepEqual(Object.keys(entry).sort(), ["id", "language", "symbol", "title", "type", "url", "version"]);
      const ids = new Set(documents.map((entry) => entry.id));
      for (const [level, document] of Object.entries(byLevel) as [AccessLevel, (typeof byLevel)[AccessLevel]][]) {
        assert.equal(ids.has(document.id), READS[visitor].includes(level), `${visitor}, ${level}`);
      }
      assert.ok(!ids.has(removed.id) && !ids.has(elsewhere.id), visitor);
      const english = documents.find((entry) => entry.id === agenda.id && entry.language === "en") ?? assert.fail(visitor);
      assert.deepEqual(
        { type: english.type, symbol: english.symbol, version: english.version },
        { type: "provisional_agenda", symbol: "TEST/2027/1", version: 2 },
      );
      assert.match(english.url, new RegExp(`^https?://[^/]+${base}/${agenda.id}\\?lang=en$`));
      assert.equal(documents.filter((entry) => entry.id === agenda.id).length, 2, "English and French");
    }
  });

  it("sends the file with its type, length, UTF-8 name, strong ETag and cache rules, and counts the download", async () => {
    const before = await downloadCount(agenda.id);
    const english = await download(`${base}/${agenda.id}?lang=en`, { cookie: cookies.get("confirmed") });
    assert.equal(english.status, 200);
    assert.equal(english.headers.get("Content-Type"), "application/pdf");
    assert.equal(english.headers.get("Content-Length"), String(content.agendaEn.length));
    assert.equal(english.headers.get("ETag"), `"${sha256(content.agendaEn)}"`);
    assert.equal(english.headers.get("Accept-Ranges"), "bytes");
    assert.equal(english.headers.get("X-Content-Type-Options"), "nosniff");
    assert.equal(english.headers.get("Cache-Control"), "public, no-cache");
    assert.match(english.headers.get("Content-Disposition") ?? "", /^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    assert.equal(dispositionName(english.headers.get("Content-Disposition")), "Документ-ру.pdf");
    assert.deepEqual(english.body, content.agendaEn);
    assert.equal(await downloadCount(agenda.id), before + 1);
    const row = await db.selectFrom("document_downloads").selectAll().where("document_id", "=", agenda.id).orderBy("id", "desc").executeTakeFirstOrThrow();
    assert.equal(row.file_id, agenda.fileIds[1]);
    assert.equal(row.user_id, (await db.selectFrom("users").select("id").where("email", "=", "confirmed@example.org").executeTakeFirstOrThrow()).id);

    const french = await download(`${base}/${agenda.id}?lang=fr`);
    assert.equal(dispositionName(french.headers.get("Content-Disposition")), "会议.pdf");
    assert.deepEqual(french.body, content.agendaFr);
    const anonymousRow = await db.selectFrom("document_downloads").selectAll().where("document_id", "=", agenda.id).orderBy("id", "desc").executeTakeFirstOrThrow();
    assert.equal(anonymousRow.user_id, null);

    const text = await download(`${base}/${notes.id}`);
    assert.equal(text.headers.get("Content-Type"), "text/plain; charset=utf-8");
    assert.equal(text.body.toString("utf8"), content.notes.toString("utf8"));

    const restricted = await download(`${base}/${info.id}`, { cookie: cookies.get("pending") });
    assert.equal(restricted.status, 200);
    assert.equal(restricted.headers.get("Cache-Control"), "private, no-cache");
  });

  it("answers If-None-Match with 304, uncounted", async () => {
    const before = await downloadCount(agenda.id);
    const answer = await download(`${base}/${agenda.id}?lang=en`, { headers: { "If-None-Match": `W/"other", "${sha256(content.agendaEn)}"` } });
    assert.equal(answer.status, 304);
    assert.equal(answer.body.length, 0);
    assert.equal(answer.headers.get("ETag"), `"${sha256(content.agendaEn)}"`);
    assert.equal(await downloadCount(agenda.id), before);
    const changed = await download(`${base}/${agenda.id}?lang=en`, { headers: { "If-None-Match": `"${sha256(content.agendaV1)}"` } });
    assert.equal(changed.status, 200);
  });

  it("serves ranges: a-b and a suffix with 206 and the exact bytes, 416 past the end, If-Range honoured; only a range from byte 0 counts", async () => {
    const url = `${base}/${agenda.id}?lang=en`;
    const size = content.agendaEn.length;
    const before = await downloadCount(agenda.id);
    const middle = await download(url, { headers: { Range: "bytes=100-199" } });
    assert.equal(middle.status, 206);
    assert.equal(middle.headers.get("Content-Range"), `bytes 100-199/${size}`);
    assert.equal(middle.headers.get("Content-Length"), "100");
    assert.deepEqual(middle.body, content.agendaEn.subarray(100, 200));
    assert.equal(await downloadCount(agenda.id), before, "a range from byte 100 is not a download");

    const suffix = await download(url, { headers: { Range: "bytes=-50" } });
    assert.equal(suffix.status, 206);
    assert.equal(suffix.headers.get("Content-Range"), `bytes ${size - 50}-${size - 1}/${size}`);
    assert.deepEqual(suffix.body, content.agendaEn.subarray(size - 50));

    const first = await download(url, { headers: { Range: "bytes=0-" } });
    assert.equal(first.status, 206);
    assert.deepEqual(first.body, content.agendaEn);
    assert.equal(await downloadCount(agenda.id), before + 1, "a range from byte 0 is a download");

    const beyond = await download(url, { headers: { Range: `bytes=${size}-` } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get("Content-Range"), `bytes */${size}`);

    const sameVersion = await download(url, { headers: { Range: "bytes=0-9", "If-Range": `"${sha256(content.agendaEn)}"` } });
    assert.equal(sameVersion.status, 206);
    assert.deepEqual(sameVersion.body, content.agendaEn.subarray(0, 10));
    const newerVersion = await download(url, { headers: { Range: "bytes=0-9", "If-Range": `"${sha256(content.agendaV1)}"` } });
    assert.equal(newerVersion.status, 200);
    assert.deepEqual(newerVersion.body, content.agendaEn);

    const several = await download(url, { headers: { Range: "bytes=0-9,20-29" } });
    assert.equal(several.status, 200);
    assert.equal(several.body.length, size);
  });

  it("reads a small file from the store once, for its downloads and zips, and says when a file's content is missing", async () => {
    // A meeting of their own: the other tests zip every paper of theirs.
    const own = await addMeeting(db, { slug: "documents-read-once-meeting" });
    const papers = `/meetings/${own.slug}/documents`;
    const once = await samplePdf("Read from the store once");
    const kept = await addDocument(db, own.id, { title: "Read once", files: [{ language: "en", content: once }] });
    const url = `${papers}/${kept.id}?lang=en`;
    assert.deepEqual((await download(url)).body, once);
    await documentStore().remove(sha256(once));
    const again = await download(url);
    assert.equal(again.status, 200, "served from memory");
    assert.deepEqual(again.body, once);
    assert.deepEqual((await download(url, { headers: { Range: "bytes=10-19" } })).body, once.subarray(10, 20));
    const zipped = await download(`${papers}.zip?lang=en`);
    assert.equal(zipped.status, 200, "zipped from memory");
    const entries = Object.values((await JSZip.loadAsync(zipped.body)).files);
    assert.deepEqual(
      entries.map((entry) => entry.name),
      ["Read once (en).pdf"],
    );
    assert.deepEqual(await entries[0]!.async("nodebuffer"), once);

    const lost = await samplePdf("Lost from the store");
    const missing = await addDocument(db, own.id, { title: "Lost", files: [{ language: "en", content: lost }] });
    await documentStore().remove(sha256(lost));
    const before = await downloadCount(missing.id);
    const answer = await download(`${papers}/${missing.id}?lang=en`);
    assert.equal(answer.status, 404);
    assert.equal(answer.body.toString("utf8"), "The file of this document is not available.");
    assert.equal(await downloadCount(missing.id), before, "nothing counted");
  });

  it("lists each document's earlier versions, with their links, to those who may read it", async () => {
    const anonymous = (await request(base)).body;
    assertBody(anonymous, /<summary>Earlier versions \(1\)<\/summary>/);
    assertBody(anonymous, new RegExp(`href="${base}/${agenda.id}\\?lang=en&amp;version=1"[^>]*>English, version 1</a>`));
    assertBody(anonymous, /\(uploaded <time dateTime="[^"]+Z">[^<]+Bangkok time<\/time>\)/);
    assert.ok(!anonymous.includes(`${base}/${paper.id}?lang=en&amp;version=1`), "not the restricted paper's history");
    const confirmed = (await request(base, { cookie: cookies.get("confirmed") })).body;
    assertBody(confirmed, `${base}/${paper.id}?lang=en&amp;version=1`);
  });

  it("serves a superseded version by ?version= to whoever may read the document, and no one else", async () => {
    const old = await download(`${base}/${agenda.id}?lang=en&version=1`);
    assert.equal(old.status, 200);
    assert.deepEqual(old.body, content.agendaV1);
    assert.equal(dispositionName(old.headers.get("Content-Disposition")), "agenda-draft.pdf");
    const defaultLanguage = await download(`${base}/${paper.id}?version=1`, { cookie: cookies.get("confirmed") });
    assert.equal(defaultLanguage.status, 200);
    assert.deepEqual(defaultLanguage.body, content.paperV1);
    for (const visitor of ["anonymous", "signed in", "pending", "declined"] as const) {
      const refused = await download(`${base}/${paper.id}?lang=en&version=1`, { cookie: cookies.get(visitor) });
      assert.equal(refused.status, visitor === "anonymous" ? 302 : 403, visitor);
    }
    assert.equal((await download(`${base}/${agenda.id}?lang=en&version=3`)).status, 404);
    assert.equal((await download(`${base}/${agenda.id}?lang=fr&version=2`)).status, 404);
  });

  it("refuses bad input with 400 or 404, never 500", async () => {
    const organiser = cookies.get("organiser");
    const cases: [string, number][] = [
      [`${base}/999999`, 404],
      [`${base}/${elsewhere.id}`, 404],
      [`/meetings/${other.slug}/documents/${agenda.id}`, 404],
      [`${base}/${removed.id}`, 404],
      [`/meetings/no-such-meeting/documents/${agenda.id}`, 404],
      [`${base}/${agenda.id}?lang=de`, 404],
      [`${base}/${agenda.id}?lang=../../etc/passwd`, 400],
      [`${base}/${agenda.id}?lang=en%00`, 400],
      [`${base}/${agenda.id}?lang=EN`, 400],
      [`${base}/${agenda.id}?version=abc`, 400],
      [`${base}/${agenda.id}?version=0`, 400],
      [`${base}/${agenda.id}?version=-1`, 400],
      [`${base}/${agenda.id}?version=99999999999999999999`, 400],
      [`${base}/%00`, 400],
      [`${base}/${agenda.id}%00`, 400],
      [`${base}/1e3`, 400],
      [`${base}/0x10`, 400],
      [`${base}/-1`, 400],
      [`${base}/99999999999999999999`, 400],
      [`${base}/2147483648`, 400],
      [`${base}/..%2F..%2Fetc%2Fpasswd`, 400],
      [`${base}/..%5C..%5Cwindows`, 400],
      [`${base}.zip?lang=../x`, 400],
      [`${base}.zip?lang=%00`, 400],
    ];
    for (const [url, status] of cases) {
      for (const cookie of [null, organiser]) {
        const answer = await request(url, { cookie });
        assert.equal(answer.status, status, `${url} (${cookie ? "organiser" : "anonymous"})`);
        assertNoStackTrace(answer.body, url);
      }
    }
    const bad = await request(`${base}/1e3`);
    assert.match(bad.headers.get("Content-Type") ?? "", /^text\/plain/);
    assertBody(bad.body, "number");
  });

  it("zips what the visitor may read in the chosen language, falling back to English then the first language, each file counted", async () => {
    const entries = async (cookie: string | null, language: string) => {
      const answer = await download(`${base}.zip?lang=${language}`, { cookie });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get("Content-Type"), "application/zip");
      assert.match(dispositionName(answer.headers.get("Content-Disposition")), /\.zip$/);
      const zip = await JSZip.loadAsync(answer.body);
      const files = Object.values(zip.files).filter((file) => !file.dir);
      return new Map(await Promise.all(files.map(async (file) => [file.name, sha256(await file.async("uint8array"))] as const)));
    };
    const before = await downloadCount(agenda.id);
    const anonymousFrench = await entries(null, "fr");
    assert.deepEqual(
      [...anonymousFrench.keys()].sort(),
      ["Practical notes (zh).txt", "TEST_2027_1 (fr).pdf", "TEST_2027_1_Corr.1 (en).pdf"],
    );
    assert.equal(anonymousFrench.get("TEST_2027_1 (fr).pdf"), sha256(content.agendaFr));
    assert.equal(anonymousFrench.get("TEST_2027_1_Corr.1 (en).pdf"), sha256(content.corrigendum));
    assert.equal(anonymousFrench.get("Practical notes (zh).txt"), sha256(content.notes));
    assert.equal(await downloadCount(agenda.id), before + 1);

    const confirmedRussian = await entries(cookies.get("confirmed")!, "ru");
    assert.deepEqual(
      [...confirmedRussian.keys()].sort(),
      ["Practical notes (zh).txt", "TEST_2027_1 (en).pdf", "TEST_2027_1_Corr.1 (en).pdf", "TEST_2027_INF.1 (en).pdf", "TEST_2027_WP.1 (ru).pdf"],
    );
    assert.equal(confirmedRussian.get("TEST_2027_1 (en).pdf"), sha256(content.agendaEn));
    assert.equal(confirmedRussian.get("TEST_2027_WP.1 (ru).pdf"), sha256(content.paperRu));
    assert.equal(confirmedRussian.get("TEST_2027_INF.1 (en).pdf"), sha256(content.info));

    const pending = await entries(cookies.get("pending")!, "en");
    assert.ok(pending.has("TEST_2027_INF.1 (en).pdf") && !pending.has("TEST_2027_WP.1 (en).pdf"));
    const organiser = await entries(cookies.get("organiser")!, "en");
    assert.equal(organiser.get("Organisers' briefing (en).pdf"), sha256(content.internal));
    assert.equal(organiser.size, 6);
    for (const name of organiser.keys()) assert.ok(!name.includes("/") && !name.includes(".."), name);

    const methods = compressionMethods((await download(`${base}.zip?lang=fr`)).body);
    assert.deepEqual(
      Object.fromEntries(methods),
      { "Practical notes (zh).txt": 8, "TEST_2027_1 (fr).pdf": 0, "TEST_2027_1_Corr.1 (en).pdf": 0 },
      "text deflated, PDFs stored as they are (compressed already)",
    );
  });

  it("answers 404 with a message when the visitor may read nothing, and the page offers Download all only then", async () => {
    const empty = await request(`/meetings/${other.slug}/documents.zip`);
    assert.equal(empty.status, 404);
    assertBody(empty.body, "no public documents");
    const page = await request(`/meetings/${other.slug}/documents`);
    assert.ok(!page.body.includes("Download all"));
    const withFiles = await request(base);
    assertBody(withFiles.body, `action="${base}.zip"`);
    assertBody(withFiles.body, /<label[^>]*for="lang"/);
    assertBody(withFiles.body, /<option value="en" selected="">English<\/option>/);
  });

  it("marks documents New since a signed-in person's previous visit and records the visits that change that; no badge for anonymous visitors or on a first visit", async () => {
    const news = await addMeeting(db, { slug: "documents-news-meeting" });
    const older = await addDocument(db, news.id, { title: "Older paper", files: [{ language: "en", content: content.paperEn }] });
    await db.updateTable("document_files").set({ created_at: sql`now() - interval '2 days'` }).where("id", "=", older.fileIds[0]!).execute();
    const newer = await addDocument(db, news.id, { title: "Newer paper", files: [{ language: "en", content: content.paperRu }] });
    const url = `/meetings/${news.slug}/documents`;
    const badge = (body: string, id: number) => (entryOf(body, id) ?? assert.fail(`document ${id} listed`)).includes('<span class="badge new">New</span>');

    const person = await signedIn(db, "returning@example.org", "participant");
    const first = await request(url, { cookie: person.cookie });
    assert.ok(!badge(first.body, older.id) && !badge(first.body, newer.id), "no badge on a first visit");
    const visit = await db.selectFrom("document_visits").selectAll().where("user_id", "=", person.userId).where("meeting_id", "=", news.id).executeTakeFirstOrThrow();
    assert.ok(Date.now() - visit.visited_at.getTime() < 60_000, "the visit is recorded");

    await db.updateTable("document_visits").set({ visited_at: new Date(Date.now() - 86_400_000) }).where("user_id", "=", person.userId).execute();
    const second = await request(url, { cookie: person.cookie });
    assert.ok(badge(second.body, newer.id), "new since yesterday's visit");
    assert.ok(!badge(second.body, older.id), "older than yesterday's visit");
    const visitedAt = async () =>
      (await db.selectFrom("document_visits").select("visited_at").where("user_id", "=", person.userId).where("meeting_id", "=", news.id).executeTakeFirstOrThrow()).visited_at.getTime();
    const afterSecond = await visitedAt();
    const third = await request(url, { cookie: person.cookie });
    assert.ok(!badge(third.body, newer.id), "seen on the previous visit");
    assert.equal(await visitedAt(), afterSecond, "a visit that shows nothing new writes nothing");
    const latest = await addDocument(db, news.id, { title: "Latest paper", files: [{ language: "en", content: content.paperEn }] });
    const fourth = await request(url, { cookie: person.cookie });
    assert.ok(badge(fourth.body, latest.id) && !badge(fourth.body, newer.id), "only what came since the visit that showed something");
    assert.ok((await visitedAt()) > afterSecond, "a visit that shows something new is recorded");
    assert.ok(!badge((await request(url, { cookie: person.cookie })).body, latest.id), "and then seen");

    const anonymous = await request(url);
    assert.ok(!badge(anonymous.body, newer.id) && !badge(anonymous.body, older.id));
  });

  it("keeps drafts and unknown meetings 404, and the page never fails for a meeting without documents", async () => {
    assert.equal((await request(`/meetings/${draft.slug}/documents`, { cookie: cookies.get("organiser") })).status, 404);
    const draftFile = `/meetings/${draft.slug}/documents/${inDraft.id}`;
    assert.equal((await request(draftFile)).status, 404, "a draft's file is unknown to visitors");
    assert.equal((await request(draftFile, { cookie: cookies.get("confirmed") })).status, 404, "and to participants");
    assert.equal((await request(draftFile, { cookie: cookies.get("organiser") })).status, 200, "organisers download it from their console");
    assert.equal((await request(`/meetings/${draft.slug}/documents.zip`)).status, 404);
    const none = await addMeeting(db, { slug: "documents-empty-meeting" });
    const page = await request(`/meetings/${none.slug}/documents`);
    assert.equal(page.status, 200);
    assertBody(page.body, "No documents have been published for this meeting yet.");
  });
});
