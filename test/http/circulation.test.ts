import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import type { Database, RegistrationStatus } from "../../db/schema";
import { addDocument, samplePdf } from "../support/documents";
import { addMeeting } from "../support/registration";
import { assertBody, signedIn, startApp } from "./app";

const EGM = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";
const TRAINING = "regional-training-on-broadband-mapping";
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
const UNSUBSCRIBE = /^http:\/\/localhost:3000(\/circulations\/([A-Za-z0-9_-]{43})\/unsubscribe)$/;

/** HTML as text: tags out, entities of quotes and apostrophes decoded, spaces collapsed. */
function text(html: string): string {
  return html
    .replaceAll("<!-- -->", "")
    .replace(/<[^>]+>/g, " ")
    .replaceAll("&#x27;", "'")
    .replaceAll("&quot;", '"')
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&")
    .replace(/\s+/g, " ");
}

async function registrations(db: Kysely<Database>, meetingId: number, statuses: RegistrationStatus[]) {
  return db.selectFrom("registrations").select(["id", "email", "status"]).where("meeting_id", "=", meetingId).where("status", "in", statuses).orderBy("id").execute();
}

async function count(db: Kysely<Database>, table: "circulations" | "circulation_recipients" | "circulation_opt_outs" | "outbox"): Promise<number> {
  return Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
}

describe("circulating documents over HTTP", async () => {
  const { db, request } = await startApp();
  const organiser = await signedIn(db, "organiser@example.org", "administrator");
  const participant = await signedIn(db, "participant@example.org", "participant");
  const egm = await db.selectFrom("meetings").selectAll().where("slug", "=", EGM).executeTakeFirstOrThrow();
  const training = await db.selectFrom("meetings").selectAll().where("slug", "=", TRAINING).executeTakeFirstOrThrow();
  const pdf = await samplePdf("Concept note of the expert group meeting");
  const note = await addDocument(db, egm.id, {
    title: "Concept note on e-resilience",
    type: "concept_note",
    symbol: "ESCAP/EGM/2026/INF.9",
    files: [
      { language: "en", content: pdf },
      { language: "fr", content: await samplePdf("Note conceptuelle") },
    ],
  });
  const restricted = await addDocument(db, egm.id, { title: "Draft regional assessment", symbol: "ESCAP/EGM/2026/WP.9", access: "confirmed", files: [{ language: "en", content: pdf }] });
  const foreign = await addDocument(db, training.id, { title: "Broadband mapping handbook", files: [{ language: "en", content: pdf }] });
  const base = `/admin/meetings/${EGM}/circulations`;
  const as = { cookie: organiser.cookie };
  const post = (fields: [string, string][], cookie: string | null = organiser.cookie) => request(base, { method: "POST", headers: FORM, body: new URLSearchParams(fields), cookie });
  const postLink = (path: string, body: string | URLSearchParams) => request(path, { method: "POST", headers: FORM, body });

  describe("access", () => {
    it("sends anonymous visitors to sign in, refuses participants and answers 404 for an unknown meeting", async () => {
      for (const response of [await request(base), await post([["intent", "preview"]], null)]) {
        assert.equal(response.status, 302);
        assert.match(response.headers.get("Location") ?? "", /^\/login\?redirectTo=/);
      }
      assert.equal((await request(base, { cookie: participant.cookie })).status, 403);
      assert.equal((await post([["intent", "preview"]], participant.cookie)).status, 403);
      assert.equal((await request("/admin/meetings/no-such-meeting/circulations", as)).status, 404);
      assert.equal(await count(db, "circulations"), 0);
    });
  });

  describe("the form", () => {
    it("offers the meeting's documents and its active registrants, never those who declined or cancelled", async () => {
      const page = await request(base, as);
      assert.equal(page.status, 200);
      const body = text(page.body);
      assertBody(body, "ESCAP/EGM/2026/INF.9 Concept note on e-resilience");
      assertBody(body, "English, French");
      assert.ok(!body.includes("Broadband mapping handbook"), "another meeting's document is not offered");
      for (const registration of await registrations(db, egm.id, ["pending", "confirmed"])) assertBody(body, `<${registration.email}>`);
      for (const registration of await registrations(db, egm.id, ["declined", "cancelled"])) assert.ok(!body.includes(`<${registration.email}>`), registration.email);
      assertBody(body, "People who declined or cancelled never receive circulations");
      assertBody(body, "No documents have been circulated for this meeting yet.");
    });

    it("previews the recipients with a warning for those who cannot open a document, writing nothing", async () => {
      const active = await registrations(db, egm.id, ["pending", "confirmed", "waitlisted"]);
      const pending = active.filter((registration) => registration.status !== "confirmed").length;
      const response = await post([
        ["documents", String(note.id)],
        ["documents", String(restricted.id)],
        ["audience", "active"],
        ["message", "Please read the concept note."],
        ["intent", "preview"],
      ]);
      assert.equal(response.status, 200);
      const body = text(response.body);
      assertBody(body, `${active.length} people (All registrants (pending, waiting list, confirmed)), one email each`);
      assertBody(body, `${pending} of ${active.length} recipients cannot open ESCAP/EGM/2026/WP.9 (Draft regional assessment): it is for confirmed participants.`);
      assertBody(body, `Send to ${active.length} people`);
      assertBody(response.body, /<p>Please read the concept note.<\/p>/);
      assert.equal(await count(db, "circulations"), 0, "a preview sends nothing");
    });

    const refusals: [string, [string, string][], string, string][] = [
      ["no document chosen", [["audience", "confirmed"]], "documents", "Choose at least one document"],
      ["an unknown audience", [["documents", "NOTE"], ["audience", "everyone"]], "audience", "Choose who receives them"],
      ["a message too long", [["documents", "NOTE"], ["audience", "confirmed"], ["message", "x".repeat(2_001)]], "message", "At most 2,000 characters"],
      ["another meeting's document", [["documents", "FOREIGN"], ["audience", "confirmed"]], "documents", "Choose documents of this meeting"],
      ["a document id that is no number", [["documents", "1 or 1=1"], ["audience", "confirmed"]], "documents", "Choose documents from the list"],
      ["a NUL byte in the message", [["documents", "NOTE"], ["audience", "confirmed"], ["message", "Hello\u0000"]], "message", "cannot be sent (NUL)"],
      ["a NUL byte in a document id", [["documents", "1\u0000"], ["audience", "confirmed"]], "documents", "Choose documents from the list"],
      ["a NUL byte in the audience", [["documents", "NOTE"], ["audience", "active\u0000"]], "audience", "Choose who receives them"],
      ["no category for a category", [["documents", "NOTE"], ["audience", "category"]], "category", "Choose a category from the list"],
      ["an unknown category", [["documents", "NOTE"], ["audience", "category"], ["category", "royalty"]], "category", "Choose a category from the list"],
      ["nobody chosen", [["documents", "NOTE"], ["audience", "people"]], "registrations", "Choose at least one person"],
      ["a person of another meeting", [["documents", "NOTE"], ["audience", "people"], ["registrations", "OTHER_PERSON"]], "registrations", "Choose people from the list"],
    ];
    for (const [what, fields, field, message] of refusals) {
      it(`refuses ${what} with a message at the field (400), keeping what was typed`, async () => {
        const otherPerson = (await registrations(db, training.id, ["confirmed", "pending"]))[0]!;
        const filled = fields.map(([name, value]): [string, string] => [
          name,
          value.replace("FOREIGN", String(foreign.id)).replace("NOTE", String(note.id)).replace("OTHER_PERSON", String(otherPerson.id)),
        ]);
        const typesMessage = !fields.some(([name]) => name === "message");
        const response = await post([...filled, ...(typesMessage ? [["message", "Kept text"] as [string, string]] : []), ["intent", "preview"]]);
        assert.equal(response.status, 400, what);
        assertBody(response.body, `id="${field}-error"`, what);
        assertBody(text(response.body), message, what);
        if (typesMessage) assertBody(response.body, ">Kept text</textarea>", what);
        assert.equal(await count(db, "circulations"), 0);
      });
    }

    it("neither offers nor circulates a document for organisers only: its id is refused at the field (400)", async () => {
      const internal = await addDocument(db, egm.id, { title: "Internal note on delegations", access: "organisers", files: [{ language: "en", content: pdf }] });
      try {
        const page = text((await request(base, as)).body);
        assertBody(page, "Documents for organisers only are not listed");
        const form = page.slice(0, page.indexOf("Circulated"));
        assert.ok(!form.includes("Internal note on delegations"), "not offered in the form");
        const response = await post([["documents", String(internal.id)], ["audience", "confirmed"], ["intent", "preview"]]);
        assert.equal(response.status, 400);
        assertBody(response.body, 'id="documents-error"');
        assertBody(text(response.body), "Internal note on delegations is for organisers only: change who may read it first.");
        const sent = await post([["documents", String(internal.id)], ["audience", "confirmed"], ["intent", "send"], ["expectedCount", "1"]]);
        assert.equal(sent.status, 400);
        assert.equal(await count(db, "circulations"), 0);
      } finally {
        await db.updateTable("documents").set({ deleted_at: new Date() }).where("id", "=", internal.id).execute();
      }
    });

    it("refuses to circulate for a draft meeting, with a clear message and nothing sent", async () => {
      const draft = await addMeeting(db, { status: "draft", published_at: null });
      const paper = await addDocument(db, draft.id, { title: "Draft agenda", files: [{ language: "en", content: pdf }] });
      const url = `/admin/meetings/${draft.slug}/circulations`;
      assertBody(text((await request(url, as)).body), "Documents can be circulated once the meeting is published");
      const response = await request(url, { method: "POST", headers: FORM, body: new URLSearchParams([["documents", String(paper.id)], ["audience", "active"], ["intent", "send"], ["expectedCount", "0"]]), cookie: organiser.cookie });
      assert.equal(response.status, 400);
      assertBody(text(response.body), "Publish the meeting first");
      assert.equal(await count(db, "circulations"), 0);
    });

    it("answers a JSON or text POST with 400, never 500", async () => {
      for (const [type, body] of [
        ["application/json", JSON.stringify({ documents: [note.id], audience: "confirmed", intent: "preview" })],
        ["text/plain", "documents=1&intent=preview"],
      ] as const) {
        const response = await request(base, { method: "POST", headers: { "Content-Type": type }, body, cookie: organiser.cookie });
        assert.equal(response.status, 400, type);
        assertBody(response.body, "application/x-www-form-urlencoded", type);
      }
      assert.equal(await count(db, "circulations"), 0);
    });

    it("refuses an unknown action with 400", async () => {
      const response = await post([["documents", String(note.id)], ["audience", "confirmed"], ["intent", "explode"]]);
      assert.equal(response.status, 400);
    });
  });

  describe("sending and opting out", () => {
    it("sends one email per confirmed participant after the preview, re-previews when the audience changed, and logs it", async () => {
      const confirmed = await registrations(db, egm.id, ["confirmed"]);
      const fields: [string, string][] = [
        ["documents", String(note.id)],
        ["audience", "confirmed"],
        ["message", "The concept note is ready."],
      ];
      const stale = await post([...fields, ["intent", "send"], ["expectedCount", String(confirmed.length + 1)]]);
      assert.equal(stale.status, 200);
      assertBody(text(stale.body), `The audience has changed since the preview: it is now ${confirmed.length}.`);
      assert.equal(await count(db, "circulations"), 0);

      const sent = await post([...fields, ["intent", "send"], ["expectedCount", String(confirmed.length)]]);
      assert.equal(sent.status, 302);
      const circulation = await db.selectFrom("circulations").selectAll().executeTakeFirstOrThrow();
      assert.equal(sent.headers.get("Location"), `${base}?sent=${circulation.id}`);
      assert.equal(circulation.sent_by, organiser.userId);
      assert.equal(circulation.recipient_count, confirmed.length);
      const mails = await db.selectFrom("outbox").selectAll().where("template", "=", "documents-circulated").execute();
      assert.deepEqual(mails.map((mail) => mail.to_address).sort(), confirmed.map((registration) => registration.email).sort());
      const mail = mails[0]!;
      const links = Array.from(mail.text.matchAll(/https?:\/\/\S+/g), (match) => match[0]);
      assert.ok(links.includes(`http://localhost:3000/meetings/${EGM}/documents/${note.id}?lang=en`));
      assert.ok(links.includes(`http://localhost:3000/meetings/${EGM}/documents/${note.id}?lang=fr`));
      assert.ok(links.includes(`http://localhost:3000/meetings/${EGM}/documents`));
      assert.match(mail.headers["List-Unsubscribe"] ?? "", /^<http:\/\/localhost:3000\/circulations\/[A-Za-z0-9_-]{43}\/unsubscribe>$/);
      assert.equal(mail.headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click");

      await db.updateTable("outbox").set({ status: "sent" }).where("id", "=", mail.id).execute();
      const page = text((await request(`${base}?sent=${circulation.id}`, as)).body);
      assertBody(page, `The documents are on their way to ${confirmed.length} people.`);
      assertBody(page, "Times in Bangkok time, the meeting's zone.");
      assertBody(page, "organiser@example.org ESCAP/EGM/2026/INF.9 — Concept note on e-resilience The concept note is ready. Confirmed participants only");
      assertBody(page, `${confirmed.length} 1 delivered`);
      assertBody(page, "Nobody has opted out of this meeting's documents.");
    });

    it("sends to specific people, and counts downloads per document", async () => {
      const [first, second] = await registrations(db, egm.id, ["pending"]);
      const before = await count(db, "outbox");
      const preview = await post([["documents", String(note.id)], ["audience", "people"], ["registrations", String(first!.id)], ["registrations", String(second!.id)], ["intent", "preview"]]);
      assertBody(text(preview.body), "2 people (2 people chosen), one email each");
      const sent = await post([["documents", String(note.id)], ["audience", "people"], ["registrations", String(first!.id)], ["registrations", String(second!.id)], ["intent", "send"], ["expectedCount", "2"]]);
      assert.equal(sent.status, 302);
      assert.equal(await count(db, "outbox"), before + 2);

      await db.insertInto("document_downloads").values([{ document_id: note.id, file_id: note.fileIds[0]!, user_id: participant.userId }, { document_id: note.id, file_id: note.fileIds[1]!, user_id: null }]).execute();
      const page = text((await request(base, as)).body);
      assertBody(page, "ESCAP/EGM/2026/INF.9 — Concept note on e-resilience Everyone 2 1");
      assertBody(page, "ESCAP/EGM/2026/WP.9 — Draft regional assessment Confirmed participants 0 0");
    });

    it("unsubscribes only on POST: the one-click POST without cookie or Origin, idempotently; the page's second button opts back in", async () => {
      const recipient = await db
        .selectFrom("outbox")
        .select(["to_address", "text", "headers"])
        .where("template", "=", "documents-circulated")
        .orderBy("id")
        .executeTakeFirstOrThrow();
      const address = recipient.headers["List-Unsubscribe"]!.slice(1, -1);
      const path = UNSUBSCRIBE.exec(address)![1]!;
      assert.ok(recipient.text.includes(address), "the same link in the email's text");

      const page = await request(path);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get("Referrer-Policy"), "no-referrer");
      assert.equal(page.headers.get("Cache-Control"), "no-store");
      assertBody(text(page.body), `Stop emails with documents for ${egm.title} to ${recipient.to_address} ?`);
      assert.equal(await count(db, "circulation_opt_outs"), 0, "a GET changes nothing");

      for (const attempt of [1, 2]) {
        const done = await postLink(path, "List-Unsubscribe=One-Click");
        assert.equal(done.status, 200, `attempt ${attempt}`);
        assert.equal(done.headers.get("Cache-Control"), "no-store");
        assertBody(text(done.body), "You will receive no more documents");
        const rows = await db.selectFrom("circulation_opt_outs").selectAll().execute();
        assert.deepEqual(rows.map((row) => [row.meeting_id, row.email]), [[egm.id, recipient.to_address.toLowerCase()]]);
      }
      assertBody(text((await request(base, as)).body), "1 address has opted out of this meeting's documents.");

      const before = await count(db, "outbox");
      const confirmed = await registrations(db, egm.id, ["confirmed"]);
      const others = confirmed.filter((registration) => registration.email !== recipient.to_address).length;
      const sent = await post([["documents", String(note.id)], ["audience", "confirmed"], ["intent", "send"], ["expectedCount", String(others)]]);
      assert.equal(sent.status, 302);
      assert.equal(await count(db, "outbox"), before + others);
      assert.equal(
        (await db.selectFrom("outbox").select("id").where("to_address", "=", recipient.to_address).where("id", ">", String(before)).execute()).length,
        0,
        "the opted-out address gets nothing",
      );

      const resumed = await postLink(path, new URLSearchParams({ intent: "resume" }));
      assert.equal(resumed.status, 200);
      assertBody(text(resumed.body), "You will receive documents again");
      assert.equal(await count(db, "circulation_opt_outs"), 0);
    });

    it("answers 404 to an unknown or malformed link, GET or POST", async () => {
      for (const token of ["A".repeat(43), "short", "aB".repeat(30)]) {
        const page = await request(`/circulations/${token}/unsubscribe`);
        assert.equal(page.status, 404, token);
        assert.equal(page.headers.get("Cache-Control"), "no-store", token);
        assert.equal((await postLink(`/circulations/${token}/unsubscribe`, "List-Unsubscribe=One-Click")).status, 404, token);
      }
      assert.equal(await count(db, "circulation_opt_outs"), 0);
    });
  });
});
