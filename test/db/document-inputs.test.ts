import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import type { UserRole } from "../../db/schema";
import { sendCommentReminders } from "../../app/documents/comment-reminders.server";
import { inputsCsv, inputsPdf } from "../../app/documents/inputs-exports.server";
import {
  type CommentPeriodForm,
  closeCommentPeriod,
  commentPeriodOverview,
  commentStanding,
  inputFileFor,
  inputSchema,
  openCommentPeriod,
  openCommentPeriods,
  parseCommentPeriodForm,
  saveInput,
  setInputAddressed,
} from "../../app/documents/inputs.server";
import { freshDatabase } from "../support/database";
import { addDocument, samplePdf } from "../support/documents";
import { addRegistration, lastSundayOf, wallClockIn } from "../support/inputs";
import { wallTimeOf } from "../../app/lib/time";
import { addMeeting } from "../support/registration";
import { pdfText } from "../support/registration-extras";

const HOUR = 3_600_000;

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const one of Array.isArray(value) ? value : [value]) data.append(name, one);
  return data;
}

describe("inputs on drafts", async () => {
  const { db } = await freshDatabase();
  const meeting = await addMeeting(db, { kind: "expert_group_meeting", timezone: "Asia/Bangkok" });
  const zone = meeting.timezone;
  const pdf = await samplePdf("Draft regional roadmap");
  const draft = await addDocument(db, meeting.id, { title: "Draft regional roadmap", symbol: "ESCAP/APIS/2026/WP.1", files: [{ language: "en", content: pdf }] });
  const lan = await addRegistration(db, meeting, { first: "Thị Lan", last: "Nguyễn" });
  const wei = await addRegistration(db, meeting, { first: "Wěi", last: "Zhāng 张", status: "pending", country: "CN", organisation: "中国信息通信研究院" });
  const ana = await addRegistration(db, meeting, { first: "Ana", last: "Tuiloma", status: "waitlisted", country: "WS", category: "academia" });
  const declined = await addRegistration(db, meeting, { first: "Dilnoza", last: "Karimova", status: "declined" });
  const cancelled = await addRegistration(db, meeting, { first: "Ivan", last: "Petrov", status: "cancelled" });
  const period = (overrides: Partial<CommentPeriodForm> = {}): CommentPeriodForm => ({
    closesLocal: wallClockIn(24 * 10, zone),
    audience: { status: "active" },
    message: "Please comment on chapter 2 in particular.",
    inputsVisible: false,
    ...overrides,
  });
  const emails = async (to: string, template: string) =>
    db.selectFrom("outbox").select(["subject", "text", "html"]).where("to_address", "=", to).where("template", "=", template).execute();
  const standingOf = (email: string) => ({ email });

  it("opens a period: one invitation per active registrant, none to declined or cancelled", async () => {
    const opened = await openCommentPeriod(db, { ...period(), meeting, documentId: draft.id, createdBy: null });
    assert.ok(opened.ok, JSON.stringify(opened));
    assert.equal(opened.invited, 3);
    for (const person of [lan, wei, ana]) {
      const sent = await emails(person.email, "comments-invited");
      assert.equal(sent.length, 1, person.email);
      assert.match(sent[0]!.subject, /ESCAP\/APIS\/2026\/WP\.1/);
      assert.match(sent[0]!.text, /Bangkok time/);
      assert.match(sent[0]!.text, new RegExp(`/meetings/${meeting.slug}/documents/${draft.id}/inputs`));
      assert.match(sent[0]!.text, /chapter 2/);
    }
    for (const person of [declined, cancelled]) assert.equal((await emails(person.email, "comments-invited")).length, 0);
    const open = await openCommentPeriods(db, meeting.id);
    assert.deepEqual(open.map((row) => row.documentId), [draft.id]);
  });

  it("changing the deadline invites only new people and keeps the others' inputs", async () => {
    const text = inputSchema.parse({ body: "Section 2 needs data on rural coverage." });
    const saved = await saveInput(db, { meeting, documentId: draft.id, user: standingOf(lan.email), intent: { intent: "submit", text } });
    assert.ok(saved.ok);
    const newcomer = await addRegistration(db, meeting, { first: "Sione", last: "Vaipulu" });
    const again = await openCommentPeriod(db, { ...period({ closesLocal: wallClockIn(24 * 12, zone) }), meeting, documentId: draft.id, createdBy: null });
    assert.ok(again.ok);
    assert.equal(again.invited, 1);
    assert.equal(again.total, 4);
    assert.equal((await emails(newcomer.email, "comments-invited")).length, 1);
    assert.equal((await emails(lan.email, "comments-invited")).length, 1);
    const inputs = await db.selectFrom("document_inputs").select("body").where("document_id", "=", draft.id).execute();
    assert.deepEqual(inputs.map((row) => row.body), ["Section 2 needs data on rural coverage."]);
  });

  it("refuses a deadline in the past, in a DST gap, and asks which one when it occurs twice", async () => {
    const past = await openCommentPeriod(db, { ...period({ closesLocal: wallClockIn(-1, zone) }), meeting, documentId: draft.id, createdBy: null });
    assert.ok(!past.ok);
    assert.match(past.errors.closesLocal ?? "", /must be in the future/);

    const zurich = await addMeeting(db, { kind: "expert_group_meeting", timezone: "Europe/Zurich" });
    const paper = await addDocument(db, zurich.id, { files: [{ language: "en", content: pdf }] });
    await addRegistration(db, zurich, { first: "Anna", last: "Keller", country: "CH" });
    const base = { meeting: zurich, documentId: paper.id, createdBy: null };
    const gap = await openCommentPeriod(db, { ...period({ closesLocal: `${lastSundayOf(3)}T02:30` }), ...base });
    assert.ok(!gap.ok);
    assert.match(gap.errors.closesLocal ?? "", /does not exist in Europe\/Zurich/);
    const twice = await openCommentPeriod(db, { ...period({ closesLocal: `${lastSundayOf(10)}T02:30` }), ...base });
    assert.ok(!twice.ok);
    assert.match(twice.errors.closesLocal ?? "", /happens twice/);
    assert.ok(twice.overlap?.earlier && twice.overlap.later);
    const chosen = await openCommentPeriod(db, { ...period({ closesLocal: `${lastSundayOf(10)}T02:30`, closesSide: "later" }), ...base });
    assert.ok(chosen.ok);
    const row = await db.selectFrom("comment_periods").select(["closes_at", "closes_local"]).where("document_id", "=", paper.id).executeTakeFirstOrThrow();
    assert.equal(row.closes_at.toISOString(), `${lastSundayOf(10)}T01:30:00.000Z`);
  });

  it("opens no period on a draft or cancelled meeting", async () => {
    for (const status of ["draft", "cancelled"] as const) {
      const other = await addMeeting(db, { status, published_at: null, cancelled_at: status === "cancelled" ? new Date() : null });
      const paper = await addDocument(db, other.id, { files: [{ language: "en", content: pdf }] });
      await addRegistration(db, other, { first: "Anna", last: "Keller" });
      const refused = await openCommentPeriod(db, { ...period(), meeting: other, documentId: paper.id, createdBy: null });
      assert.ok(!refused.ok);
      assert.match(refused.errors.form ?? "", status === "draft" ? /Publish the meeting first/ : /cancelled/);
    }
  });

  it("reads the organisers' form with the documents' audience: a kind, a category, chosen people (at most 5,000)", () => {
    const declinedOnly = parseCommentPeriodForm(form({ closesLocal: "2030-01-01T17:00", audience: "declined" }));
    assert.ok(!declinedOnly.ok);
    assert.match(declinedOnly.errors.audience ?? "", /Choose who receives them/);
    const nobody = parseCommentPeriodForm(form({ closesLocal: "2030-01-01T17:00", audience: "people" }));
    assert.ok(!nobody.ok);
    assert.match(nobody.errors.registrations ?? "", /at least one/);
    const tooMany = parseCommentPeriodForm(form({ closesLocal: "2030-01-01T17:00", audience: "people", registrations: Array.from({ length: 5_001 }, (_, i) => String(i + 1)) }));
    assert.ok(!tooMany.ok);
    assert.match(tooMany.errors.registrations ?? "", /At most 5000 people/);
    const badDate = parseCommentPeriodForm(form({ closesLocal: "tomorrow", audience: "active" }));
    assert.ok(!badDate.ok);
    assert.match(badDate.errors.closesLocal ?? "", /date and time/);
    const category = parseCommentPeriodForm(form({ closesLocal: "2030-01-01T17:00", audience: "category", category: "academia" }));
    assert.ok(category.ok);
    assert.deepEqual(category.form.audience, { status: "active", category: "academia" });
    const chosen = parseCommentPeriodForm(form({ closesLocal: "2030-01-01T17:00", audience: "people", registrations: ["3", "3", "5"], inputsVisible: "on" }));
    assert.ok(chosen.ok);
    assert.deepEqual(chosen.form.audience, { registrations: [3, 5] });
    assert.equal(chosen.form.inputsVisible, true);
  });

  it("chosen registrants: a declined one among them is not invited", async () => {
    const paper = await addDocument(db, meeting.id, { title: "Background paper", files: [{ language: "en", content: pdf }] });
    const opened = await openCommentPeriod(db, {
      ...period({ audience: { registrations: [lan.id, declined.id] } }),
      meeting,
      documentId: paper.id,
      createdBy: null,
    });
    assert.ok(opened.ok);
    assert.equal(opened.total, 1);
  });

  it("lets invitees send, change and withdraw their own inputs only, and only before the deadline", async () => {
    const text = inputSchema.parse({ body: "Chapter 3 should cite the 2025 survey.", section: "3.1", page: "12" });
    const outsider = await addRegistration(db, meeting, { first: "Late", last: "Comer" });
    const refused = await saveInput(db, { meeting, documentId: draft.id, user: standingOf(outsider.email), intent: { intent: "submit", text } });
    assert.deepEqual(refused, { ok: false, status: 403, message: "You are not among the people invited to comment on this document." });
    const tooLate = await saveInput(db, { meeting, documentId: draft.id, user: standingOf(wei.email), intent: { intent: "submit", text }, now: new Date(Date.now() + 30 * 24 * HOUR) });
    assert.ok(!tooLate.ok && tooLate.status === 403 && /Comments closed/.test(tooLate.message));
    const declinedTries = await saveInput(db, { meeting, documentId: draft.id, user: standingOf(declined.email), intent: { intent: "submit", text } });
    assert.ok(!declinedTries.ok && declinedTries.status === 403);

    const sent = await saveInput(db, { meeting, documentId: draft.id, user: standingOf(wei.email), intent: { intent: "submit", text } });
    assert.ok(sent.ok);
    const otherId = (await db.selectFrom("document_inputs").select("id").where("registration_id", "=", lan.id).executeTakeFirstOrThrow()).id;
    for (const intent of [(inputId: number) => ({ intent: "update" as const, inputId, text }), (inputId: number) => ({ intent: "withdraw" as const, inputId })]) {
      const notMine = await saveInput(db, { meeting, documentId: draft.id, user: standingOf(wei.email), intent: intent(otherId) });
      assert.equal(notMine.ok ? 200 : notMine.status, 404, intent(0).intent);
      const unknown = await saveInput(db, { meeting, documentId: draft.id, user: standingOf(wei.email), intent: intent(999_999) });
      assert.equal(unknown.ok ? 200 : unknown.status, 404, intent(0).intent);
    }
    const changed = await saveInput(db, {
      meeting,
      documentId: draft.id,
      user: standingOf(wei.email),
      intent: { intent: "update", inputId: sent.inputId, text: inputSchema.parse({ body: "Chapter 3 should cite the 2026 survey." }) },
    });
    assert.ok(changed.ok);
    const row = await db.selectFrom("document_inputs").selectAll().where("id", "=", sent.inputId).executeTakeFirstOrThrow();
    assert.equal(row.body, "Chapter 3 should cite the 2026 survey.");
    assert.equal(row.section, null);
    const withdrawn = await saveInput(db, { meeting, documentId: draft.id, user: standingOf(wei.email), intent: { intent: "withdraw", inputId: sent.inputId } });
    assert.ok(withdrawn.ok);
    assert.equal(await db.selectFrom("document_inputs").select("id").where("id", "=", sent.inputId).executeTakeFirst(), undefined);
    assert.ok(await db.selectFrom("document_inputs").select("id").where("id", "=", otherId).executeTakeFirst(), "the other person's input stays");
  });

  it("refuses bad text: too long, a page that is not a number, NUL characters", () => {
    const tooLong = inputSchema.safeParse({ body: "x".repeat(20_001) });
    assert.ok(!tooLong.success);
    assert.match(tooLong.error.issues[0]!.message, /20,000/);
    const page = inputSchema.safeParse({ body: "ok", page: "abc" });
    assert.ok(!page.success);
    assert.match(page.error.issues[0]!.message, /page number/);
    assert.ok(!inputSchema.safeParse({ body: "ok", page: "0" }).success);
    const nul = inputSchema.safeParse({ body: "bad\u0000byte" });
    assert.ok(!nul.success);
    assert.match(nul.error.issues[0]!.message, /NUL/);
    assert.ok(!inputSchema.safeParse({ body: "   " }).success);
    assert.ok(!inputSchema.safeParse({ body: "ok", section: "s".repeat(201) }).success);
  });

  it("marks inputs addressed and exports them as CSV and a PDF compilation", async () => {
    await saveInput(db, {
      meeting,
      documentId: draft.id,
      user: standingOf(wei.email),
      intent: { intent: "submit", text: inputSchema.parse({ body: "Add a paragraph on spectrum sharing, = not a formula.", section: "Annex", page: "4" }) },
    });
    const lanInput = (await db.selectFrom("document_inputs").select("id").where("registration_id", "=", lan.id).executeTakeFirstOrThrow()).id;
    assert.equal(await setInputAddressed(db, { documentId: draft.id, inputId: lanInput, addressed: true, by: null }), true);
    const otherDocument = await addDocument(db, meeting.id, { files: [{ language: "en", content: pdf }] });
    assert.equal(await setInputAddressed(db, { documentId: otherDocument.id, inputId: lanInput, addressed: true, by: null }), false);

    const document = await db.selectFrom("documents").selectAll().where("id", "=", draft.id).executeTakeFirstOrThrow();
    const csv = await inputsCsv(db, meeting, document);
    assert.ok(csv.startsWith("\uFEFF"));
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    assert.deepEqual(Object.keys(rows[0]!), ["ID", "Author", "Organisation", "Country", "Section", "Page", "Input", "File", "Received (Bangkok time)", "Received (UTC)", "Addressed"]);
    assert.equal(rows.length, 2);
    assert.equal(rows[0]!.Author, "Thị Lan Nguyễn");
    assert.equal(rows[0]!.Addressed, "yes");
    assert.equal(rows[1]!.Author, "Wěi Zhāng 张");
    assert.equal(rows[1]!.Organisation, "中国信息通信研究院");
    assert.equal(rows[1]!.Section, "Annex");
    assert.equal(rows[1]!.Page, "4");
    assert.equal(rows[1]!.Country, "China");
    assert.match(rows[1]!["Received (UTC)"]!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    const text = await pdfText(await inputsPdf(db, { ...meeting }, document));
    assert.match(text, /Inputs on ESCAP\/APIS\/2026\/WP\.1 — Draft regional roadmap|Inputs on ESCAP\/APIS\/2026\/WP\.1/);
    assert.match(text, /Section 2 needs data on rural coverage\./);
    assert.match(text, /Add a paragraph on spectrum sharing/);
    assert.match(text, /Section Annex, page 4/);
    assert.match(text, /Thi Lan Nguy/);
    assert.match(text, /the CSV export keeps every character/, "the PDF says when it could not print a name");
  });

  it("reminds, within 48 hours of the deadline, only those without an input, once", async () => {
    const soon = await addDocument(db, meeting.id, { title: "Draft outcome", files: [{ language: "en", content: pdf }] });
    const later = await addDocument(db, meeting.id, { title: "Draft work plan", files: [{ language: "en", content: pdf }] });
    // Invited three days before the deadline, so the reminder is due now.
    await openCommentPeriod(db, { ...period({ closesLocal: wallClockIn(24, zone) }), meeting, documentId: soon.id, createdBy: null, now: new Date(Date.now() - 3 * 24 * HOUR) });
    await openCommentPeriod(db, { ...period({ closesLocal: wallClockIn(24 * 5, zone) }), meeting, documentId: later.id, createdBy: null });
    await saveInput(db, { meeting, documentId: soon.id, user: standingOf(lan.email), intent: { intent: "submit", text: inputSchema.parse({ body: "Fine as it is." }) } });
    const reminders = async (email: string) => (await emails(email, "comments-reminder")).length;
    const before = { lan: await reminders(lan.email), wei: await reminders(wei.email) };

    const sent = await sendCommentReminders(db);
    const invitees = (await commentPeriodOverview(db, meeting, soon.id))!.invitees;
    assert.equal(sent, invitees.length - 1, "everyone invited to the closing draft but Lan, who commented");
    assert.equal(await reminders(lan.email), before.lan);
    assert.equal(await reminders(wei.email), before.wei + 1);
    const reminder = (await emails(wei.email, "comments-reminder"))[0]!;
    assert.match(reminder.subject, /Draft outcome/);
    assert.match(reminder.text, /Bangkok time/);
    assert.equal(await sendCommentReminders(db), 0, "a second run sends nothing");
    assert.equal(await reminders(wei.email), before.wei + 1);
    const overview = await commentPeriodOverview(db, meeting, soon.id);
    assert.ok(overview?.invitees.find((invitee) => invitee.id === wei.id)?.remindedAt);
    assert.equal(overview?.invitees.find((invitee) => invitee.id === lan.id)?.remindedAt, null);

    // The work plan's deadline is five days away: nothing now, then reminders when within 48 hours, sent once even by concurrent runs.
    const laterInvitees = (await commentPeriodOverview(db, meeting, later.id))!.invitees.length;
    const inFourDays = new Date(Date.now() + 4 * 24 * HOUR);
    const runs = await Promise.all([sendCommentReminders(db, inFourDays), sendCommentReminders(db, inFourDays), sendCommentReminders(db, inFourDays)]);
    assert.equal(runs.reduce((a, b) => a + b, 0), laterInvitees);
    const perPerson = await db
      .selectFrom("outbox")
      .select(["to_address", (eb) => eb.fn.countAll<string>().as("count")])
      .where("template", "=", "comments-reminder")
      .where("subject", "like", "%Draft work plan%")
      .groupBy("to_address")
      .execute();
    assert.equal(perPerson.length, laterInvitees);
    assert.ok(perPerson.every((row) => Number(row.count) === 1));

    // A new deadline deserves a new reminder before it.
    const moved = await openCommentPeriod(db, { ...period({ closesLocal: wallClockIn(24 * 9, zone) }), meeting, documentId: later.id, createdBy: null });
    assert.ok(moved.ok && moved.invited === 0);
    assert.equal(await sendCommentReminders(db, inFourDays), 0, "the new deadline is more than 48 hours away");
    assert.equal(await sendCommentReminders(db, new Date(Date.now() + 7.5 * 24 * HOUR)), laterInvitees);
  });

  it("closes a period now; closed periods are not listed as open and get no reminders", async () => {
    const paper = await addDocument(db, meeting.id, { title: "Draft to close", files: [{ language: "en", content: pdf }] });
    await openCommentPeriod(db, { ...period({ closesLocal: wallClockIn(12, zone) }), meeting, documentId: paper.id, createdBy: null });
    assert.ok((await openCommentPeriods(db, meeting.id)).some((row) => row.documentId === paper.id));
    assert.equal(await closeCommentPeriod(db, meeting, paper.id, null), true);
    assert.equal(await closeCommentPeriod(db, meeting, paper.id, null, new Date(Date.now() + 60_000)), false, "closing a closed period moves nothing");
    assert.ok(!(await openCommentPeriods(db, meeting.id)).some((row) => row.documentId === paper.id));
    assert.equal(await sendCommentReminders(db), 0);
    const overview = await commentPeriodOverview(db, meeting, paper.id);
    assert.equal(overview?.open, false);
  });

  it("sends no reminder minutes after the invitation: people invited within 48 hours of the deadline count as reminded", async () => {
    const paper = await addDocument(db, meeting.id, { title: "Draft due tomorrow", files: [{ language: "en", content: pdf }] });
    const early = await addRegistration(db, meeting, { first: "Early", last: "Invitee" });
    const longAgo = new Date(Date.now() - 4 * 24 * HOUR);
    const first = await openCommentPeriod(db, { ...period({ closesLocal: wallClockIn(30, zone), audience: { registrations: [early.id] } }), meeting, documentId: paper.id, createdBy: null, now: longAgo });
    assert.ok(first.ok);
    const late = await addRegistration(db, meeting, { first: "Late", last: "Invitee" });
    const second = await openCommentPeriod(db, { ...period({ closesLocal: wallClockIn(30, zone), audience: { registrations: [early.id, late.id] } }), meeting, documentId: paper.id, createdBy: null });
    assert.ok(second.ok && second.invited === 1);
    const invitees = await db.selectFrom("comment_period_invitees").select(["registration_id", "reminded_at"]).where("period_id", "=", second.periodId).execute();
    assert.equal(invitees.find((row) => row.registration_id === late.id)?.reminded_at instanceof Date, true, "the late invitee counts as reminded");
    assert.equal(invitees.find((row) => row.registration_id === early.id)?.reminded_at, null);
    await sendCommentReminders(db);
    assert.equal((await emails(early.email, "comments-reminder")).length, 1, "invited four days ago: reminded");
    assert.equal((await emails(late.email, "comments-reminder")).length, 0, "invited just now: the invitation is enough");
    assert.equal((await emails(late.email, "comments-invited")).length, 1);
  });

  it("closes a period to its invitees, and stops its reminders, when the paper becomes organisers-only", async () => {
    const paper = await addDocument(db, meeting.id, { title: "Draft later withdrawn", files: [{ language: "en", content: pdf }] });
    const expert = await addRegistration(db, meeting, { first: "Withdrawn", last: "Invitee" });
    const longAgo = new Date(Date.now() - 4 * 24 * HOUR);
    const opened = await openCommentPeriod(db, { ...period({ closesLocal: wallClockIn(30, zone), audience: { registrations: [expert.id] } }), meeting, documentId: paper.id, createdBy: null, now: longAgo });
    assert.ok(opened.ok);
    await db.updateTable("documents").set({ access_level: "organisers" }).where("id", "=", paper.id).execute();
    const standing = await commentStanding(db, meeting.id, paper.id, { email: expert.email });
    assert.equal(standing?.invitee, undefined, "no longer an invitee of an organisers-only paper");
    const text = inputSchema.parse({ body: "Sent after the paper was withdrawn." });
    const refused = await saveInput(db, { meeting, documentId: paper.id, user: { email: expert.email }, intent: { intent: "submit", text } });
    assert.deepEqual(refused, { ok: false, status: 403, message: "You are not among the people invited to comment on this document." });
    await sendCommentReminders(db);
    assert.equal((await emails(expert.email, "comments-reminder")).length, 0);
  });

  it("shares an input's file with the other invitees only while inputs are shared and the paper is open to participants", async () => {
    const paper = await addDocument(db, meeting.id, { title: "Draft with shared inputs", files: [{ language: "en", content: pdf }] });
    const author = await addRegistration(db, meeting, { first: "Shared", last: "Author" });
    const reader = await addRegistration(db, meeting, { first: "Shared", last: "Reader" });
    const opened = await openCommentPeriod(db, { ...period({ inputsVisible: true, audience: { registrations: [author.id, reader.id] } }), meeting, documentId: paper.id, createdBy: null });
    assert.ok(opened.ok);
    const text = inputSchema.parse({ body: "See my marked-up draft." });
    const file = { key: "a".repeat(64), name: "marked-up.pdf", mediaType: "application/pdf", size: 10 };
    assert.ok((await saveInput(db, { meeting, documentId: paper.id, user: { email: author.email }, intent: { intent: "submit", text }, file })).ok);
    const [input] = await db.selectFrom("document_inputs").select("id").where("document_id", "=", paper.id).execute();
    const fileFor = (user: { id: number; email: string; role: UserRole }) => inputFileFor(db, { meetingId: meeting.id, documentId: paper.id, inputId: input!.id, user });
    const person = async (email: string, role: UserRole) => ({ email, role, id: (await db.insertInto("users").values({ email, role }).returning("id").executeTakeFirstOrThrow()).id });
    const [readerUser, authorUser, administrator, manager] = await Promise.all([
      person(reader.email, "participant"),
      person(author.email, "participant"),
      person("shared-inputs-admin@example.org", "administrator"),
      person("shared-inputs-manager@example.org", "participant"),
    ]);
    assert.equal((await fileFor(readerUser))?.name, "marked-up.pdf");
    await db.updateTable("documents").set({ access_level: "organisers" }).where("id", "=", paper.id).execute();
    assert.equal(await fileFor(readerUser), undefined, "not once the paper is organisers-only");
    assert.equal((await fileFor(authorUser))?.name, "marked-up.pdf", "the author keeps their own");
    assert.equal((await fileFor(administrator))?.name, "marked-up.pdf");
    assert.equal(await fileFor(manager), undefined, "not yet the meeting's manager");
    await db.insertInto("meeting_roles").values({ meeting_id: meeting.id, user_id: manager.id, role: "manager", granted_by: null }).execute();
    assert.equal((await fileFor(manager))?.name, "marked-up.pdf", "the meeting's manager reads it");
  });

  it("invites only the people in the audience who may read the draft", async () => {
    const restricted = await addDocument(db, meeting.id, { title: "Draft for confirmed participants", access: "confirmed", distribution: "restricted", files: [{ language: "en", content: pdf }] });
    const opened = await openCommentPeriod(db, { ...period({ audience: { status: "active" } }), meeting, documentId: restricted.id, createdBy: null });
    assert.ok(opened.ok);
    const invited = await db
      .selectFrom("comment_period_invitees")
      .innerJoin("registrations", "registrations.id", "comment_period_invitees.registration_id")
      .select("registrations.status")
      .where("period_id", "=", opened.periodId)
      .execute();
    assert.ok(invited.length > 0 && invited.every((row) => row.status === "confirmed"), JSON.stringify(invited));
    assert.equal((await emails(wei.email, "comments-invited")).filter((email) => email.subject.includes("confirmed participants")).length, 0, "pending Wei is not invited");
  });

  it("refuses to open a document for organisers only, writing nothing", async () => {
    const internal = await addDocument(db, meeting.id, { title: "Internal draft", access: "organisers", files: [{ language: "en", content: pdf }] });
    const before = await db.selectFrom("outbox").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    const refused = await openCommentPeriod(db, { ...period(), meeting, documentId: internal.id, createdBy: null });
    assert.ok(!refused.ok);
    assert.match(refused.errors.form ?? "", /for organisers only.*Change who may read it first/);
    assert.equal(await db.selectFrom("comment_periods").select("id").where("document_id", "=", internal.id).executeTakeFirst(), undefined);
    const after = await db.selectFrom("outbox").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    assert.equal(after.n, before.n, "no invitation leaks the title");
  });

  it("pre-fills the deadline from the instant in the meeting's current zone, and reads any stored audience", async () => {
    const stored = await db.selectFrom("comment_periods").select(["closes_at", "closes_local"]).where("document_id", "=", draft.id).executeTakeFirstOrThrow();
    const moved = { ...meeting, timezone: "Europe/Zurich" };
    const overview = await commentPeriodOverview(db, moved, draft.id);
    assert.equal(overview?.closesLocal, wallTimeOf(stored.closes_at, "Europe/Zurich"));
    assert.notEqual(overview?.closesLocal, stored.closes_local, "not the wall clock typed in Bangkok");
    assert.equal(overview?.audience, "All registrants (pending, waiting list, confirmed)");
    assert.deepEqual(overview?.audienceValues, { audience: "active", category: "", registrations: [] });

    // A period written with the older audience shape (registration filters) still reads.
    await db.updateTable("comment_periods").set({ audience: JSON.stringify({ status: "pending", country: "VN" }) }).where("document_id", "=", draft.id).execute();
    const older = await commentPeriodOverview(db, meeting, draft.id);
    assert.equal(older?.audience, "chosen people");
    assert.deepEqual(older?.audienceValues, { audience: "people", category: "", registrations: [] });
    await db.updateTable("comment_periods").set({ audience: JSON.stringify({ status: "active" }) }).where("document_id", "=", draft.id).execute();
  });
});
