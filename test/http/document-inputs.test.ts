import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import { createHash } from "node:crypto";
import { createRequestHandler } from "@remix-run/node";
import { assertBody, signedIn, startApp } from "./app";
import { addDocument, samplePdf } from "../support/documents";
import { addRegistration, lastSundayOf, wallClockIn } from "../support/inputs";
import { addMeeting } from "../support/registration";
import { pdfText } from "../support/registration-extras";

function multipart(fields: Record<string, string>, file?: { name: string; content: Buffer; type: string }): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  if (file) data.append("file", new File([new Uint8Array(file.content)], file.name, { type: file.type }));
  return data;
}

describe("inputs on drafts, over HTTP", async () => {
  const { db, build, request } = await startApp();
  const handler = createRequestHandler(build, "production");
  /** The raw bytes of a download (request() reads bodies as text). */
  const fetchBytes = async (url: string, cookie: string) =>
    new Uint8Array(await (await handler(new Request(new URL(url, "http://localhost:3000"), { headers: { Cookie: cookie } }))).arrayBuffer());
  const organiser = await signedIn(db, "inputs-organiser@example.org", "administrator");
  const meeting = await addMeeting(db, { kind: "expert_group_meeting", timezone: "Asia/Bangkok" });
  const pdf = await samplePdf("Draft regional roadmap");
  const draft = await addDocument(db, meeting.id, { title: "Draft regional roadmap", symbol: "ESCAP/EGM/2026/WP.1", files: [{ language: "en", content: pdf }] });
  const lan = await addRegistration(db, meeting, { first: "Lan", last: "Nguyễn", email: "lan.nguyen@example.gov.vn" });
  const wei = await addRegistration(db, meeting, { first: "Wěi", last: "Zhāng 张", email: "wei.zhang@example.cn", status: "pending", country: "CN" });
  const declined = await addRegistration(db, meeting, { first: "Dilnoza", last: "Karimova", email: "dilnoza@example.uz", status: "declined" });
  const lanSession = await signedIn(db, lan.email, "participant");
  const weiSession = await signedIn(db, wei.email, "participant");
  const declinedSession = await signedIn(db, declined.email, "participant");
  const stranger = await signedIn(db, "stranger@example.org", "participant");

  const page = (documentId: number = draft.id) => `/meetings/${meeting.slug}/documents/${documentId}/inputs`;
  const admin = (documentId: number = draft.id) => `/admin/meetings/${meeting.slug}/documents/${documentId}/inputs`;
  const get = (url: string, cookie: string | null) => request(url, { cookie });
  const post = (url: string, body: FormData | URLSearchParams, cookie: string | null) => request(url, { method: "POST", body, cookie });
  const openFor = (fields: Record<string, string>, documentId: number = draft.id, base = admin(documentId)) =>
    post(base, new URLSearchParams({ intent: "open", audience: "active", closesLocal: wallClockIn(24 * 7, meeting.timezone), ...fields }), organiser.cookie);
  const inputsOf = (registrationId: number) => db.selectFrom("document_inputs").selectAll().where("registration_id", "=", registrationId).orderBy("id").execute();

  it("sends anonymous visitors to sign in, and participants away from the organisers' page", async () => {
    const anonymous = await get(page(), null);
    assert.equal(anonymous.status, 302);
    assert.match(anonymous.headers.get("Location") ?? "", /^\/login\?redirectTo=/);
    assert.equal((await post(page(), multipart({ intent: "submit", body: "x" }), null)).status, 302);
    assert.equal((await get(admin(), lanSession.cookie)).status, 403);
    assert.equal((await get(`${admin()}.csv`, lanSession.cookie)).status, 403);
  });

  it("says a document is not open for comments before the organiser opens it", async () => {
    const response = await get(page(), lanSession.cookie);
    assert.equal(response.status, 200);
    assertBody(response.body, "not open for comments");
    assert.equal((await post(page(), multipart({ intent: "submit", body: "Too early" }), lanSession.cookie)).status, 403);
  });

  it("opens the period from the organisers' page: one email per invitee, none to the declined", async () => {
    const shown = await get(admin(), organiser.cookie);
    assert.equal(shown.status, 200);
    assertBody(shown.body, /name="closesLocal"/);
    const opened = await openFor({ message: "Chapter 2 especially." });
    assert.equal(opened.status, 302);
    assert.match(opened.headers.get("Location") ?? "", /\?invited=2$/);
    for (const email of [lan.email, wei.email]) {
      const sent = await db.selectFrom("outbox").selectAll().where("to_address", "=", email).where("template", "=", "comments-invited").execute();
      assert.equal(sent.length, 1);
      assert.match(sent[0]!.text, /Bangkok time/);
      assert.ok(sent[0]!.text.includes(page()));
    }
    assert.equal(await db.selectFrom("outbox").select("id").where("to_address", "=", declined.email).executeTakeFirst(), undefined);
    const after = await get(admin(), organiser.cookie);
    assertBody(after.body, /Open until/);
    assertBody(after.body, /Lan Nguyễn/);
  });

  it("invites the invitees (and shows organisers) to comment from the documents page, and nobody else", async () => {
    const documentsPage = `/meetings/${meeting.slug}/documents`;
    const invited = await get(documentsPage, lanSession.cookie);
    assertBody(invited.body, /Open for your comments until <time dateTime="[^"]+Z">[^<]+Bangkok time<\/time>/);
    assertBody(invited.body, new RegExp(`href="${page()}"[^>]*>send your input<`));
    const organisers = await get(documentsPage, organiser.cookie);
    assertBody(organisers.body, /Open for comments until <time dateTime="[^"]+Z">[^<]+Bangkok time<\/time>/);
    assertBody(organisers.body, new RegExp(`href="${admin()}"[^>]*>read the inputs<`));
    for (const cookie of [null, stranger.cookie, declinedSession.cookie]) {
      assert.ok(!(await get(documentsPage, cookie)).body.includes("Open for your comments"), "no invitation to comment for people not invited");
    }
  });

  it("refuses a deadline in the past, in a DST gap, and asks which one when it occurs twice", async () => {
    const past = await openFor({ closesLocal: wallClockIn(-2, meeting.timezone) });
    assert.equal(past.status, 400);
    assertBody(past.body, /must be in the future/);
    assertBody(past.body, /aria-invalid="true"/);
    const zurich = await addMeeting(db, { kind: "expert_group_meeting", timezone: "Europe/Zurich" });
    const paper = await addDocument(db, zurich.id, { files: [{ language: "en", content: pdf }] });
    await addRegistration(db, zurich, { first: "Anna", last: "Keller", country: "CH" });
    const zurichAdmin = `/admin/meetings/${zurich.slug}/documents/${paper.id}/inputs`;
    const gap = await openFor({ closesLocal: `${lastSundayOf(3)}T02:30` }, paper.id, zurichAdmin);
    assert.equal(gap.status, 400);
    assertBody(gap.body, /does not exist in Europe\/Zurich/);
    const twice = await openFor({ closesLocal: `${lastSundayOf(10)}T02:30` }, paper.id, zurichAdmin);
    assert.equal(twice.status, 400);
    assertBody(twice.body, /happens twice/);
    assertBody(twice.body, /name="closesSide"[^>]*value="earlier"/);
    assertBody(twice.body, /name="closesSide"[^>]*value="later"/);
    assertBody(twice.body, /GMT\+2, first/);
    assertBody(twice.body, new RegExp(`value="${lastSundayOf(10)}T02:30"`), "the typed deadline is kept");
    const nul = await openFor({ message: "bad\u0000message" }, paper.id, zurichAdmin);
    assert.equal(nul.status, 400);
    assertBody(nul.body, /NUL character/);
    const nobody = await openFor({ audience: "category", category: "academia" }, paper.id, zurichAdmin);
    assert.equal(nobody.status, 400);
    assertBody(nobody.body, /Nobody matches this audience/);
    assert.equal((await post(zurichAdmin, new URLSearchParams({ intent: "close" }), organiser.cookie)).status, 409, "nothing to close");
    const chosen = await openFor({ closesLocal: `${lastSundayOf(10)}T02:30`, closesSide: "earlier" }, paper.id, zurichAdmin);
    assert.equal(chosen.status, 302);
  });

  it("takes an invitee's input with a marked-up file, shows it to them, and lets them download the file", async () => {
    const shown = await get(page(), lanSession.cookie);
    assert.equal(shown.status, 200);
    assertBody(shown.body, "ESCAP/EGM/2026/WP.1 — Draft regional roadmap");
    assertBody(shown.body, /Inputs are welcome until/);
    assertBody(shown.body, /Bangkok time/);
    assertBody(shown.body, /<textarea[^>]*name="body"/);
    const marked = await samplePdf("Marked-up draft by Lan");
    const sent = await post(
      page(),
      multipart({ intent: "submit", body: "Section 2 needs rural coverage data.", section: "2.1", page: "7" }, { name: "Bản thảo – ghi chú.pdf", content: marked, type: "application/pdf" }),
      lanSession.cookie,
    );
    assert.equal(sent.status, 302);
    const [input] = await inputsOf(lan.id);
    assert.equal(input?.body, "Section 2 needs rural coverage data.");
    assert.equal(input?.page, 7);
    assert.equal(input?.file_media_type, "application/pdf");
    const mine = await get(page(), lanSession.cookie);
    assertBody(mine.body, "Section 2 needs rural coverage data.");
    assertBody(mine.body, /Section 2\.1, page 7/);

    const fileUrl = `${page()}/${input!.id}/file`;
    for (const cookie of [lanSession.cookie, organiser.cookie]) {
      const file = await request(fileUrl, { cookie });
      assert.equal(file.status, 200);
      assert.equal(file.headers.get("Content-Type"), "application/pdf");
      assert.equal(file.headers.get("X-Content-Type-Options"), "nosniff");
      assert.equal(file.headers.get("Content-Disposition"), `attachment; filename="Ban thao _ ghi chu.pdf"; filename*=UTF-8''${encodeURIComponent("Bản thảo – ghi chú.pdf")}`);
    }
    assert.equal((await get(fileUrl, weiSession.cookie)).status, 404, "inputs are not visible to the others");
    assert.equal((await get(fileUrl, stranger.cookie)).status, 404);
    assert.equal((await get(fileUrl, null)).status, 302);
    assert.equal((await get(`${page()}/abc/file`, organiser.cookie)).status, 404);
  });

  it("shows the others' inputs only when the organiser makes them visible", async () => {
    const hidden = await get(page(), weiSession.cookie);
    assert.equal(hidden.status, 200);
    assert.ok(!hidden.body.includes("Section 2 needs rural coverage data."));
    assert.equal((await openFor({ inputsVisible: "on" })).status, 302);
    const visible = await get(page(), weiSession.cookie);
    assertBody(visible.body, "Other participants", "the heading");
    assertBody(visible.body, "Section 2 needs rural coverage data.");
    assertBody(visible.body, "Lan Nguyễn");
    const [input] = await inputsOf(lan.id);
    assert.equal((await get(`${page()}/${input!.id}/file`, weiSession.cookie)).status, 200);
    assert.equal((await get(`${page()}/${input!.id}/file`, stranger.cookie)).status, 404);
  });

  it("refuses people not invited with 403, and says so on the page", async () => {
    for (const session of [stranger, declinedSession]) {
      const shown = await get(page(), session.cookie);
      assert.equal(shown.status, 200);
      assertBody(shown.body, "not among the people invited");
      assert.ok(!shown.body.includes("Section 2 needs rural coverage data."));
      const refused = await post(page(), multipart({ intent: "submit", body: "Let me in" }), session.cookie);
      assert.equal(refused.status, 403);
      assertBody(refused.body, "not among the people invited");
    }
  });

  it("lets people change and withdraw only their own inputs", async () => {
    const [lanInput] = await inputsOf(lan.id);
    assert.equal((await post(page(), multipart({ intent: "submit", body: "Annex B is out of date." }), weiSession.cookie)).status, 302);
    const [weiInput] = await inputsOf(wei.id);
    const notMine = await post(page(), multipart({ intent: "update", inputId: String(lanInput!.id), body: "Hijacked" }), weiSession.cookie);
    assert.equal(notMine.status, 404);
    assert.equal((await post(page(), multipart({ intent: "withdraw", inputId: String(lanInput!.id) }), weiSession.cookie)).status, 404);
    assert.equal((await inputsOf(lan.id))[0]?.body, "Section 2 needs rural coverage data.");

    const edit = await get(`${page()}?edit=${weiInput!.id}`, weiSession.cookie);
    assertBody(edit.body, "Change your input");
    assertBody(edit.body, "Annex B is out of date.");
    const changed = await post(page(), multipart({ intent: "update", inputId: String(weiInput!.id), body: "Annex B uses 2019 data.", page: "31" }), weiSession.cookie);
    assert.equal(changed.status, 302);
    assert.equal((await inputsOf(wei.id))[0]?.body, "Annex B uses 2019 data.");
    assert.equal((await post(page(), multipart({ intent: "withdraw", inputId: String(weiInput!.id) }), weiSession.cookie)).status, 302);
    assert.deepEqual(await inputsOf(wei.id), []);
    assert.equal((await post(page(), multipart({ intent: "submit", body: "Annex B uses 2019 data.", section: "Annex B" }), weiSession.cookie)).status, 302);
  });

  it("answers bad input with 400 or 404 and its message, never 500", async () => {
    const other = await addDocument(db, meeting.id, { title: "Another draft", files: [{ language: "en", content: pdf }] });
    assert.equal((await openFor({}, other.id)).status, 302);
    const [lanInput] = await inputsOf(lan.id);
    const cases: [FormData, number, RegExp][] = [
      [multipart({ intent: "submit", body: "x".repeat(20_001) }), 400, /At most 20,000 characters/],
      [multipart({ intent: "submit", body: "ok", page: "abc" }), 400, /A page number from 1 to 10,000/],
      [multipart({ intent: "submit", body: "bad\u0000byte" }), 400, /NUL/],
      [multipart({ intent: "submit", body: "" }), 400, /Write your input/],
      [multipart({ intent: "update", inputId: "abc", body: "ok" }), 400, /cannot be read/],
      [multipart({ intent: "launch" }), 400, /cannot be read/],
      [multipart({ intent: "update", inputId: "999999", body: "ok" }), 404, /no such input/],
      [multipart({ intent: "withdraw", inputId: "99999999999999" }), 400, /cannot be read/],
      [multipart({ intent: "submit", body: "ok" }, { name: "tool.pdf", content: Buffer.from("MZ\u0090\u0000binary"), type: "application/pdf" }), 400, /This file is .*Accepted files/],
    ];
    for (const [body, status, message] of cases) {
      const response = await post(page(), body, lanSession.cookie);
      assert.equal(response.status, status, `${[...body.entries()].map(([k, v]) => `${k}=${String(v).slice(0, 20)}`).join("&")}`);
      assertBody(response.body, message);
    }
    assert.equal((await inputsOf(lan.id)).length, 1, "nothing written");
    const kept = await post(page(), multipart({ intent: "submit", body: "My long text", page: "abc" }), lanSession.cookie);
    assertBody(kept.body, "My long text", "the typed text is kept");
    assert.equal((await post(page(), new URLSearchParams({ intent: "submit", body: "ok" }), lanSession.cookie)).status, 400, "not multipart");
    const elsewhere = await post(page(other.id), multipart({ intent: "update", inputId: String(lanInput!.id), body: "moved" }), lanSession.cookie);
    assert.equal(elsewhere.status, 404, "another document's input");
    assert.equal((await get(`${page(other.id)}/${lanInput!.id}/file`, organiser.cookie)).status, 404);
  });

  it("answers 404 for unknown, deleted and other meetings' documents", async () => {
    const gone = await addDocument(db, meeting.id, { deleted: true, files: [{ language: "en", content: pdf }] });
    const elsewhere = await addMeeting(db);
    const foreign = await addDocument(db, elsewhere.id, { files: [{ language: "en", content: pdf }] });
    for (const id of [String(gone.id), String(foreign.id), "999999", "abc", "1e3", "-1"]) {
      assert.equal((await get(`/meetings/${meeting.slug}/documents/${id}/inputs`, lanSession.cookie)).status, 404, id);
      assert.equal((await get(`/admin/meetings/${meeting.slug}/documents/${id}/inputs`, organiser.cookie)).status, 404, id);
      assert.equal((await get(`/admin/meetings/${meeting.slug}/documents/${id}/inputs.csv`, organiser.cookie)).status, 404, id);
    }
    assert.equal((await get(`/meetings/no-such-meeting/documents/${draft.id}/inputs`, lanSession.cookie)).status, 404);
    const internal = await addDocument(db, meeting.id, { title: "Internal draft", access: "organisers", files: [{ language: "en", content: pdf }] });
    const refused = await openFor({ audience: "people", registrations: String(lan.id) }, internal.id);
    assert.equal(refused.status, 400, "a document for organisers only is not opened for comments");
    assertBody(refused.body, "for organisers only: invitees could not read it. Change who may read it first.");
    assert.equal(await db.selectFrom("comment_periods").select("id").where("document_id", "=", internal.id).executeTakeFirst(), undefined);
    for (const session of [stranger, weiSession, lanSession]) assert.equal((await get(page(internal.id), session.cookie)).status, 404, "not invited and may not read it");
    assertBody((await get(admin(internal.id), organiser.cookie)).body, "it cannot be opened for comments");
  });

  it("lets organisers mark inputs addressed and export them as CSV and PDF", async () => {
    const [lanInput] = await inputsOf(lan.id);
    const marked = await post(admin(), new URLSearchParams({ intent: "addressed", inputId: String(lanInput!.id), addressed: "yes" }), organiser.cookie);
    assert.equal(marked.status, 302);
    assert.ok((await inputsOf(lan.id))[0]?.addressed_at);
    assert.equal((await post(admin(), new URLSearchParams({ intent: "addressed", inputId: "999999", addressed: "yes" }), organiser.cookie)).status, 404);
    assert.equal((await post(admin(), new URLSearchParams({ intent: "addressed", inputId: "x", addressed: "yes" }), organiser.cookie)).status, 400);
    assert.equal((await post(admin(), new URLSearchParams({ intent: "nonsense" }), organiser.cookie)).status, 400);
    const shown = await get(admin(), organiser.cookie);
    assertBody(shown.body, "Mark not addressed");
    assertBody(shown.body, "Viet Nam");

    const csv = await get(`${admin()}.csv`, organiser.cookie);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get("Content-Type") ?? "", /text\/csv; charset=utf-8/);
    const rows = parse(csv.body, { bom: true, columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 2);
    assert.deepEqual(
      rows.map((row) => [row.Author, row.Input, row.Addressed]),
      [
        ["Lan Nguyễn", "Section 2 needs rural coverage data.", "yes"],
        ["Wěi Zhāng 张", "Annex B uses 2019 data.", "no"],
      ],
    );
    assert.equal(rows[0]!.File, "Bản thảo – ghi chú.pdf");

    const response = await request(`${admin()}.pdf`, { cookie: organiser.cookie });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("Content-Type"), "application/pdf");
    const text = await pdfText(await fetchBytes(`${admin()}.pdf`, organiser.cookie));
    assert.match(text, /ESCAP\/EGM\/2026\/WP\.1/);
    assert.match(text, /Section 2 needs rural coverage data\./);
    assert.match(text, /Annex B uses 2019 data\./);
  });

  it("records nothing of a refused input's attachment (its bytes are left for the daily sweep of unused content)", async () => {
    const [lanInput] = await inputsOf(lan.id);
    const referenced = async (content: Buffer) => {
      const key = createHash("sha256").update(content).digest("hex");
      return (await db.selectFrom("document_inputs").select("id").where("file_key", "=", key).execute()).length > 0;
    };
    const cases: [string, Record<string, string>, number][] = [
      ["someone else's input", { intent: "update", inputId: String(lanInput!.id), body: "Hijacked" }, 404],
      ["an empty text", { intent: "submit", body: "" }, 400],
      ["an unreadable intent", { intent: "update", inputId: "abc", body: "ok" }, 400],
    ];
    for (const [what, fields, status] of cases) {
      const content = await samplePdf(`Refused attachment: ${what}`);
      const response = await post(page(), multipart(fields, { name: "refused.pdf", content, type: "application/pdf" }), weiSession.cookie);
      assert.equal(response.status, status, what);
      assert.equal(await referenced(content), false, what);
    }
    const kept = await samplePdf("An attachment that is kept");
    assert.equal((await post(page(), multipart({ intent: "submit", body: "With a file" }, { name: "kept.pdf", content: kept, type: "application/pdf" }), weiSession.cookie)).status, 302);
    assert.equal(await referenced(kept), true, "an accepted input's file is recorded");
  });

  it("after the organiser closes the period, the page says so and the action answers 403", async () => {
    assert.equal((await post(admin(), new URLSearchParams({ intent: "close" }), organiser.cookie)).status, 302);
    const shown = await get(page(), lanSession.cookie);
    assertBody(shown.body, /Comments closed/);
    assert.ok(!/<textarea[^>]*name="body"/.test(shown.body), "no form after the deadline");
    const refused = await post(page(), multipart({ intent: "submit", body: "Too late" }), lanSession.cookie);
    assert.equal(refused.status, 403);
    assertBody(refused.body, /Comments closed/);
    const [lanInput] = await inputsOf(lan.id);
    assert.equal((await post(page(), multipart({ intent: "withdraw", inputId: String(lanInput!.id) }), lanSession.cookie)).status, 403);
  });

  it("answers a JSON or text POST to the organisers' page with 400, and caps the people chosen", async () => {
    for (const [type, body] of [
      ["application/json", JSON.stringify({ intent: "open", audience: "active" })],
      ["text/plain", "intent=open"],
    ] as const) {
      const response = await request(admin(), { method: "POST", headers: { "Content-Type": type }, body, cookie: organiser.cookie });
      assert.equal(response.status, 400, type);
      assertBody(response.body, "application/x-www-form-urlencoded", type);
    }
    const many = new URLSearchParams({ intent: "open", audience: "people", closesLocal: wallClockIn(24 * 7, meeting.timezone) });
    for (let i = 1; i <= 5_001; i++) many.append("registrations", String(i));
    const tooMany = await post(admin(), many, organiser.cookie);
    assert.equal(tooMany.status, 400);
    assertBody(tooMany.body, "At most 5000 people at once");
  });

});
