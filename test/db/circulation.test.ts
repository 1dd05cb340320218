import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Kysely, sql } from "kysely";
import type { Database, Meeting, RegistrationStatus } from "../../db/schema";
import { hashSecretToken } from "../../app/accounts/secret-token.server";
import {
  circulableDocuments,
  circulate,
  circulationLog,
  findCirculationLink,
  optOutCount,
  previewCirculation,
  setCirculationOptOut,
} from "../../app/documents/circulation.server";
import { audienceRecipients } from "../../app/documents/document-audience.server";
import { changeRegistrationStatus, register } from "../../app/registration/registrations.server";
import { adminDocumentList } from "../../app/documents/document-admin.server";
import { addDocument, samplePdf } from "../support/documents";
import { freshDatabase } from "../support/database";
import { addMeeting } from "../support/registration";
import { registrationInput } from "../support/registration-extras";

const APP = "http://localhost:3000";
const UNSUBSCRIBE = /^http:\/\/localhost:3000\/circulations\/([A-Za-z0-9_-]{43})\/unsubscribe$/;

type Table = "circulations" | "circulation_documents" | "circulation_recipients" | "circulation_opt_outs" | "outbox";

async function count(db: Kysely<Database>, table: Table): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function counts(db: Kysely<Database>) {
  return {
    circulations: await count(db, "circulations"),
    documents: await count(db, "circulation_documents"),
    recipients: await count(db, "circulation_recipients"),
    outbox: await count(db, "outbox"),
  };
}

/** Every absolute link in an email's text. */
function links(text: string): string[] {
  return text.match(/https?:\/\/\S+/g) ?? [];
}

async function person(db: Kysely<Database>, meeting: Meeting, email: string, category: "government" | "academia" = "government"): Promise<number> {
  const outcome = await register(db, meeting.id, registrationInput({ email, firstName: email.split("@")[0]!, lastName: "Tester", category }), null);
  assert.deepEqual(outcome, { kind: "registered", status: "confirmed" }, email);
  const row = await db.selectFrom("registrations").select("id").where("meeting_id", "=", meeting.id).where("email", "=", email).executeTakeFirstOrThrow();
  return row.id;
}

/** Moves a confirmed registration through the organisers' decisions to the status (the waiting list by way of pending). */
async function moveTo(db: Kysely<Database>, meeting: Meeting, registrationId: number, status: RegistrationStatus) {
  for (const step of status === "waitlisted" ? (["pending", "waitlisted"] as const) : [status]) {
    const changed = await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId, to: step, by: null });
    assert.ok(changed.ok, `${registrationId} → ${step}`);
  }
}

describe("circulating documents", async () => {
  const { db } = await freshDatabase();
  const meeting = await addMeeting(db, { registration_policy: "open" });
  const other = await addMeeting(db, { registration_policy: "open" });
  const ids = {
    confirmed: await person(db, meeting, "confirmed@example.org"),
    pending: await person(db, meeting, "pending@example.org"),
    waitlisted: await person(db, meeting, "waitlisted@example.org"),
    declined: await person(db, meeting, "declined@example.org"),
    cancelled: await person(db, meeting, "cancelled@example.org"),
    academic: await person(db, meeting, "academic@example.org", "academia"),
  };
  // Places freed by those who leave come first, so nobody on the waiting list is promoted into them.
  await moveTo(db, meeting, ids.declined, "declined");
  await moveTo(db, meeting, ids.cancelled, "cancelled");
  await moveTo(db, meeting, ids.pending, "pending");
  await moveTo(db, meeting, ids.waitlisted, "waitlisted");
  const elsewhere = await person(db, other, "elsewhere@example.org");
  const pdf = await samplePdf("Concept note");
  const agenda = await addDocument(db, meeting.id, {
    title: "Provisional agenda",
    type: "provisional_agenda",
    symbol: "ESCAP/APIS/2026/1",
    files: [
      { language: "en", content: pdf },
      { language: "fr", content: await samplePdf("Ordre du jour provisoire") },
    ],
  });
  const restricted = await addDocument(db, meeting.id, { title: "Restricted working paper", symbol: "ESCAP/APIS/2026/WP.1", access: "confirmed", revision: 1, files: [{ language: "en", content: pdf }] });
  const deleted = await addDocument(db, meeting.id, { title: "Withdrawn", deleted: true, files: [{ language: "en", content: pdf }] });
  const empty = await addDocument(db, meeting.id, { title: "No file yet", files: [] });
  const foreign = await addDocument(db, other.id, { title: "Another meeting's paper", files: [{ language: "en", content: pdf }] });

  it("sends one email per confirmed participant listing each document with a link per language, the documents page and their own unsubscribe link", async () => {
    const before = await counts(db);
    const result = await circulate(db, { meeting, documentIds: [agenda.id, restricted.id], audience: { status: "confirmed" }, message: "Please read **before** the meeting.", sentBy: null });
    assert.ok(result.ok);
    assert.equal(result.recipients, 2);

    const mails = await db.selectFrom("outbox").selectAll().where("template", "=", "documents-circulated").orderBy("id").execute();
    assert.deepEqual(mails.map((mail) => mail.to_address).sort(), ["academic@example.org", "confirmed@example.org"]);
    const tokens = new Set<string>();
    for (const mail of mails) {
      assert.equal(mail.subject, `Documents for ${meeting.title}`);
      const found = links(mail.text);
      const base = `${APP}/meetings/${meeting.slug}/documents`;
      for (const expected of [`${base}/${agenda.id}?lang=en`, `${base}/${agenda.id}?lang=fr`, `${base}/${restricted.id}?lang=en`, base]) {
        assert.ok(found.includes(expected), `${expected} in ${found.join(" ")}`);
      }
      assert.ok(mail.text.includes("ESCAP/APIS/2026/1 — Provisional agenda"));
      assert.ok(mail.text.includes("ESCAP/APIS/2026/WP.1/Rev.1 — Restricted working paper"), "the symbol as printed, with its revision");
      assert.ok(mail.text.includes("Please read **before** the meeting."));
      assert.ok(mail.html.includes("<strong>before</strong>"), "the message's markdown rendered in the HTML");
      assert.ok(mail.text.includes(`sign in with this address (${mail.to_address})`));
      const unsubscribe = found.find((link) => UNSUBSCRIBE.test(link));
      assert.ok(unsubscribe, "an unsubscribe link");
      assert.equal(mail.headers["List-Unsubscribe"], `<${unsubscribe}>`);
      assert.equal(mail.headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click");
      tokens.add(UNSUBSCRIBE.exec(unsubscribe)![1]!);
    }
    assert.equal(tokens.size, 2, "each recipient has their own secret");

    const circulation = await db.selectFrom("circulations").selectAll().where("id", "=", result.circulationId).executeTakeFirstOrThrow();
    assert.deepEqual(circulation.audience, { status: "confirmed" });
    assert.equal(circulation.recipient_count, 2);
    const documents = await db.selectFrom("circulation_documents").select("document_id").where("circulation_id", "=", circulation.id).orderBy("document_id").execute();
    assert.deepEqual(documents.map((row) => row.document_id), [agenda.id, restricted.id].sort((a, b) => a - b));
    const recipients = await db.selectFrom("circulation_recipients").selectAll().where("circulation_id", "=", circulation.id).execute();
    assert.deepEqual(recipients.map((row) => row.registration_id).sort(), [ids.confirmed, ids.academic].sort((a, b) => a - b));
    assert.deepEqual(new Set(recipients.map((row) => row.outbox_id)), new Set(mails.map((mail) => mail.id)));
    const hashes = recipients.map((row) => row.unsubscribe_token_hash.toString("hex")).sort();
    assert.deepEqual(hashes, [...tokens].map((token) => hashSecretToken(token).toString("hex")).sort(), "only the secrets' hashes are stored");
    const after = await counts(db);
    assert.equal(after.outbox - before.outbox, 2);
  });

  it("reaches all active registrants, a category, or chosen people; never those who declined or cancelled", async () => {
    const emails = async (audience: Parameters<typeof audienceRecipients>[2]) =>
      (await audienceRecipients(db, meeting.id, audience)).recipients.map((recipient) => recipient.email).sort();
    assert.deepEqual(await emails({ status: "active" }), ["academic@example.org", "confirmed@example.org", "pending@example.org", "waitlisted@example.org"]);
    assert.deepEqual(await emails({ status: "active", category: "academia" }), ["academic@example.org"]);
    assert.deepEqual(await emails({ registrations: [ids.pending, ids.declined] }), ["pending@example.org"]);
    const chosen = await audienceRecipients(db, meeting.id, { registrations: [ids.pending, elsewhere, ids.cancelled] });
    assert.deepEqual(chosen.unknown.sort(), [elsewhere, ids.cancelled].sort());
    const refused = await previewCirculation(db, { meeting, documentIds: [agenda.id], audience: { registrations: [ids.pending, elsewhere] } });
    assert.equal(refused.ok, false);
    assert.ok(!refused.ok && refused.errors.registrations);
  });

  it("refuses another meeting's document, a deleted one or one without a file, and writes nothing", async () => {
    const before = await counts(db);
    for (const documentIds of [[agenda.id, foreign.id], [deleted.id], [empty.id], [], [2_000_000_000]]) {
      const result = await circulate(db, { meeting, documentIds, audience: { status: "active" }, message: null, sentBy: null });
      assert.equal(result.ok, false, documentIds.join(","));
      assert.ok(!result.ok && result.errors.documents, documentIds.join(","));
    }
    assert.deepEqual(await counts(db), before);
  });

  it("never circulates a document for organisers only: not offered, and refused at the documents field with nothing written", async () => {
    const internal = await addDocument(db, meeting.id, { title: "Internal briefing", symbol: "ESCAP/APIS/2026/INT.1", access: "organisers", files: [{ language: "en", content: pdf }] });
    const offered = (await circulableDocuments(db, meeting.id)).map(({ document }) => document.id);
    assert.ok(offered.includes(agenda.id) && offered.includes(restricted.id), "the other documents are offered");
    assert.ok(!offered.includes(internal.id), "the organisers' document is not offered");
    const preview = await previewCirculation(db, { meeting, documentIds: [agenda.id, internal.id], audience: { status: "confirmed" } });
    assert.ok(!preview.ok);
    assert.equal(preview.errors.documents, "ESCAP/APIS/2026/INT.1 — Internal briefing is for organisers only: change who may read it first.");
    const before = await counts(db);
    const sent = await circulate(db, { meeting, documentIds: [internal.id], audience: { status: "active" }, message: null, sentBy: null });
    assert.ok(!sent.ok);
    assert.match(sent.errors.documents ?? "", /change who may read it first/);
    assert.deepEqual(await counts(db), before);
    await db.updateTable("documents").set({ deleted_at: new Date() }).where("id", "=", internal.id).execute();
  });

  it("refuses to circulate for a draft or cancelled meeting, writing nothing", async () => {
    const before = await counts(db);
    for (const status of ["draft", "cancelled"] as const) {
      const closed = { ...meeting, status };
      const preview = await previewCirculation(db, { meeting: closed, documentIds: [agenda.id], audience: { status: "confirmed" } });
      assert.ok(!preview.ok, status);
      assert.match(preview.errors.form ?? "", status === "draft" ? /Publish the meeting first/ : /cancelled/);
      const sent = await circulate(db, { meeting: closed, documentIds: [agenda.id], audience: { status: "confirmed" }, message: null, sentBy: null });
      assert.ok(!sent.ok, status);
      assert.match(sent.errors.form ?? "", /Nothing was sent/);
    }
    assert.deepEqual(await counts(db), before);
  });

  it("writes all or nothing: a failure at the last insert takes back the circulation, its documents and every queued email", async () => {
    const before = await counts(db);
    await sql`create function refuse_recipients() returns trigger language plpgsql as $$ begin raise exception 'refused for the test'; end $$`.execute(db);
    await sql`create trigger refuse_recipients before insert on circulation_recipients for each statement execute function refuse_recipients()`.execute(db);
    try {
      await assert.rejects(circulate(db, { meeting, documentIds: [agenda.id], audience: { status: "active" }, message: null, sentBy: null }), /refused for the test/);
    } finally {
      await sql`drop trigger refuse_recipients on circulation_recipients`.execute(db);
      await sql`drop function refuse_recipients()`.execute(db);
    }
    assert.deepEqual(await counts(db), before);
  });

  it("warns when recipients cannot open a chosen document, without refusing", async () => {
    const preview = await previewCirculation(db, { meeting, documentIds: [agenda.id, restricted.id], audience: { status: "active" } });
    assert.ok(preview.ok);
    assert.equal(preview.recipients.length, 4);
    assert.deepEqual(preview.warnings, [
      "2 of 4 recipients cannot open ESCAP/APIS/2026/WP.1/Rev.1 (Restricted working paper): it is for confirmed participants.",
    ]);
    const confirmedOnly = await previewCirculation(db, { meeting, documentIds: [restricted.id], audience: { status: "confirmed" } });
    assert.ok(confirmedOnly.ok);
    assert.deepEqual(confirmedOnly.warnings, []);
  });

  it("leaves out addresses that opted out; nobody left is a clear refusal with nothing written", async () => {
    const mail = await db.selectFrom("outbox").select("text").where("to_address", "=", "academic@example.org").where("template", "=", "documents-circulated").executeTakeFirstOrThrow();
    const token = UNSUBSCRIBE.exec(links(mail.text).find((link) => UNSUBSCRIBE.test(link))!)![1]!;
    const link = await findCirculationLink(db, token);
    assert.deepEqual(link && { email: link.email, meetingId: link.meetingId, optedOut: link.optedOut }, { email: "academic@example.org", meetingId: meeting.id, optedOut: false });
    assert.equal((await setCirculationOptOut(db, token, true))?.optedOut, true);
    assert.equal((await setCirculationOptOut(db, token, true))?.optedOut, true, "twice is the same as once");
    assert.equal(await optOutCount(db, meeting.id), 1);
    assert.equal(await optOutCount(db, other.id), 0, "an opt-out is for one meeting");

    const before = await count(db, "outbox");
    const sent = await circulate(db, { meeting, documentIds: [agenda.id], audience: { status: "confirmed" }, message: null, sentBy: null });
    assert.ok(sent.ok);
    assert.equal(sent.recipients, 1);
    assert.equal(await count(db, "outbox"), before + 1);
    assert.equal((await db.selectFrom("outbox").select("id").where("to_address", "=", "academic@example.org").where("id", ">", String(before)).execute()).length, 0);

    const nobodyBefore = await counts(db);
    const nobody = await circulate(db, { meeting, documentIds: [agenda.id], audience: { status: "active", category: "academia" }, message: null, sentBy: null });
    assert.equal(nobody.ok, false);
    assert.match(!nobody.ok ? nobody.errors.audience ?? "" : "", /opted out/);
    assert.deepEqual(await counts(db), nobodyBefore);

    assert.equal((await setCirculationOptOut(db, token, false))?.optedOut, false, "they may opt back in");
    assert.equal(await optOutCount(db, meeting.id), 0);
    assert.equal(await findCirculationLink(db, "A".repeat(43)), null);
    assert.equal(await setCirculationOptOut(db, "not-a-token", true), null);
  });

  it("logs each circulation with its documents, audience in words, recipients and deliveries; counts downloads per document", async () => {
    const latest = await db.selectFrom("circulation_recipients").select("outbox_id").orderBy("outbox_id", "desc").executeTakeFirstOrThrow();
    await db.updateTable("outbox").set({ status: "sent" }).where("id", "=", latest.outbox_id).execute();
    const log = await circulationLog(db, meeting);
    assert.equal(log.length, 2);
    assert.equal(log[0]!.audience, "Confirmed participants only");
    assert.equal(log[0]!.recipients, 1);
    assert.equal(log[0]!.delivered, 1);
    assert.match(log[0]!.sentAt, /Bangkok/);
    assert.deepEqual(log[1]!.documents.map((document) => document.symbol).sort(), ["ESCAP/APIS/2026/1", "ESCAP/APIS/2026/WP.1/Rev.1"]);
    assert.equal(log[1]!.delivered, 0);

    const user = await db.insertInto("users").values({ email: "reader@example.org", role: "participant" }).returning("id").executeTakeFirstOrThrow();
    await db
      .insertInto("document_downloads")
      .values([
        { document_id: agenda.id, file_id: agenda.fileIds[0]!, user_id: user.id },
        { document_id: agenda.id, file_id: agenda.fileIds[1]!, user_id: user.id },
        { document_id: agenda.id, file_id: agenda.fileIds[0]!, user_id: null },
        { document_id: foreign.id, file_id: foreign.fileIds[0]!, user_id: user.id },
      ])
      .execute();
    const listed = new Map((await adminDocumentList(db, meeting.id, { deleted: false })).map((row) => [row.document.id, row.downloads]));
    assert.deepEqual(listed.get(agenda.id), { total: 3, people: 1 });
    assert.deepEqual(listed.get(restricted.id), { total: 0, people: 0 });
    assert.equal(listed.get(foreign.id), undefined, "another meeting's documents are not listed here");
  });
});
