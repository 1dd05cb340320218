import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { keptAnswerKey } from "../../app/meetings/kept-answers.server";
import { loadDemoData } from "../../db/demo-data";
import { freshDatabase } from "../support/database";

/**
 * A meeting's page version is kept by triggers: every write its public agenda page can show changes
 * it, whoever writes (here plain SQL through Kysely, as an import or a script would), and writes to
 * other meetings do not.
 */
describe("the meeting's page version", async () => {
  const { db } = await freshDatabase();
  await loadDemoData(db);
  const linked = await db
    .selectFrom("document_agenda_items")
    .innerJoin("documents", "documents.id", "document_agenda_items.document_id")
    .innerJoin("meetings", "meetings.id", "documents.meeting_id")
    .select(["meetings.id", "meetings.slug", "meetings.programme_id", "document_agenda_items.document_id", "document_agenda_items.agenda_item_id"])
    .where("meetings.status", "=", "published")
    .executeTakeFirstOrThrow();
  const other = await db.selectFrom("meetings").select("id").where("id", "!=", linked.id).executeTakeFirstOrThrow();

  async function versions() {
    const rows = await db.selectFrom("meetings").select(["id", "page_version"]).where("id", "in", [linked.id, other.id]).execute();
    const of = (id: number) => BigInt(rows.find((row) => row.id === id)!.page_version);
    return { meeting: of(linked.id), other: of(other.id) };
  }

  async function assertBumps(what: string, write: () => Promise<unknown>) {
    const before = await versions();
    await write();
    const after = await versions();
    assert.ok(after.meeting > before.meeting, `${what}: the meeting's page version changes`);
    assert.equal(after.other, before.other, `${what}: another meeting's does not`);
  }

  const item = () => db.selectFrom("agenda_items").select("id").where("id", "=", linked.agenda_item_id);

  it("changes with the meeting's own row, its items, people, rooms, documents, files, links and programme", async () => {
    await assertBumps("the meeting's title", () => db.updateTable("meetings").set({ title: "Renamed meeting" }).where("id", "=", linked.id).execute());
    await assertBumps("an item's title", () => db.updateTable("agenda_items").set({ title: "Renamed session" }).where("id", "=", linked.agenda_item_id).execute());
    await assertBumps("a person added", () =>
      db.insertInto("agenda_item_people").values({ item_id: linked.agenda_item_id, position: 99, name: "Ms A. Speaker", role: "speaker" }).execute(),
    );
    await assertBumps("a person removed", () => db.deleteFrom("agenda_item_people").where("item_id", "=", linked.agenda_item_id).where("position", "=", 99).execute());
    await assertBumps("a room added", () => db.insertInto("meeting_rooms").values({ meeting_id: linked.id, name: "Room Z", position: 42 }).execute());
    await assertBumps("a document's title", () => db.updateTable("documents").set({ title: "Renamed paper" }).where("id", "=", linked.document_id).execute());
    await assertBumps("a document's file replaced", () => db.updateTable("document_files").set({ superseded_at: new Date() }).where("document_id", "=", linked.document_id).execute());
    await assertBumps("a document unlinked from its item", () =>
      db.deleteFrom("document_agenda_items").where("document_id", "=", linked.document_id).where("agenda_item_id", "=", linked.agenda_item_id).execute(),
    );
    await assertBumps("an item deleted", () => db.deleteFrom("agenda_items").where("id", "in", item()).execute());
    const programmeId = linked.programme_id;
    assert.ok(programmeId, "the demo meeting belongs to a programme");
    await assertBumps("the programme renamed", () => db.updateTable("programmes").set({ title: "Renamed programme" }).where("id", "=", programmeId).execute());
  });

  it("changes with the registration questions its form asks", async () => {
    const added = () =>
      db.insertInto("registration_questions").values({ meeting_id: linked.id, position: 9, label: "Dietary needs", kind: "short_text", required: false }).returning("id").executeTakeFirstOrThrow();
    let question: { id: number } | undefined;
    await assertBumps("a question added", async () => (question = await added()));
    await assertBumps("a question reworded", () => db.updateTable("registration_questions").set({ label: "Dietary requirements" }).where("id", "=", question!.id).execute());
    await assertBumps("a question removed", () => db.deleteFrom("registration_questions").where("id", "=", question!.id).execute());
  });

  it("changes with the registration counts the header shows", async () => {
    const registration = await db.selectFrom("registrations").select("id").where("meeting_id", "=", linked.id).where("status", "=", "confirmed").executeTakeFirstOrThrow();
    await assertBumps("a registration cancelled", () => db.updateTable("registrations").set({ status: "cancelled" }).where("id", "=", registration.id).execute());
  });

  it("bumps once per statement for a bulk insert", async () => {
    const before = await versions();
    await sql`insert into agenda_items (meeting_id, title, kind, starts_local, ends_local, starts_at, ends_at)
      select ${linked.id}, 'Bulk ' || n, 'session', '2030-01-01T09:00', '2030-01-01T10:00', now(), now() + interval '1 hour'
      from generate_series(1, 500) n`.execute(db);
    const after = await versions();
    assert.equal(after.meeting - before.meeting, 1n, "500 items in one statement: one bump");
  });

  describe("the kept page's name", () => {
    const keyOf = (request: Request, build: string, now?: Date) => keptAnswerKey(db, request, build, now).then((kept) => kept?.key ?? null);
    const request = (search = "", headers: Record<string, string> = {}) =>
      new Request(`http://localhost/meetings/${linked.slug}/agenda${search}`, { headers });

    it("names anonymous GETs of the agenda, in their zone, and nothing else", async () => {
      assert.ok(await keyOf(request(), "build"));
      assert.notEqual(await keyOf(request("?tz=Asia/Tokyo"), "build"), await keyOf(request(), "build"));
      assert.equal(await keyOf(request("", { Cookie: "theme=dark; __session=abc" }), "build"), null, "signed-in visitors' pages are their own");
      assert.equal(await keyOf(request("?utm_source=mail"), "build"), null, "other parameters are not kept");
      assert.equal(await keyOf(new Request(`http://localhost/meetings/${linked.slug}/documents.zip`), "build"), null);
      assert.equal(await keyOf(new Request("http://localhost/meetings/no-such-meeting/agenda"), "build"), null);
      assert.equal(await keyOf(new Request(`http://localhost/meetings/${linked.slug}/agenda`, { method: "POST" }), "build"), null);
    });

    it("names the documents page and the API's meeting by the same version, each apart", async () => {
      const documents = new Request(`http://localhost/meetings/${linked.slug}/documents`);
      const api = new Request(`http://localhost/api/v1/meetings/${linked.slug}`);
      const [agendaKey, documentsKey, apiKey] = [await keyOf(request(), "build"), await keyOf(documents, "build"), await keyOf(api, "build")];
      assert.ok(documentsKey && apiKey);
      assert.equal(new Set([agendaKey, documentsKey, apiKey]).size, 3);
      assert.equal(await keyOf(new Request(`http://localhost/meetings/${linked.slug}/documents?sort=new`), "build"), null);
    });

    it("names the registration form by the same version, but not its thank-you page or an invitation's form", async () => {
      const form = (search = "") => new Request(`http://localhost/meetings/${linked.slug}/register${search}`);
      const formKey = await keyOf(form(), "build");
      assert.ok(formKey);
      assert.notEqual(formKey, await keyOf(request(), "build"));
      assert.equal(await keyOf(form("?registered=1"), "build"), null, "the thank-you page shows the visitor's own outcome");
      assert.equal(await keyOf(form("?invitation=abc"), "build"), null, "an invitation's form carries its secret");
      assert.equal(await keyOf(new Request(form().url, { headers: { Cookie: "__session=abc" } }), "build"), null, "a signed-in visitor's form is prefilled with their address");
    });

    it("names the meeting's own page also by the time to ten seconds (what is on now, the figures after it)", async () => {
      const page = new Request(`http://localhost/meetings/${linked.slug}`);
      const at = new Date("2030-01-01T00:00:01Z");
      const key = await keyOf(page, "build", at);
      assert.ok(key);
      assert.equal(await keyOf(page, "build", new Date("2030-01-01T00:00:09Z")), key);
      assert.notEqual(await keyOf(page, "build", new Date("2030-01-01T00:00:10Z")), key);
    });

    it("names lists of meetings by the latest change to any meeting or programme, and by the time to ten seconds", async () => {
      const list = (search = "") => new Request(`http://localhost/meetings${search}`);
      const at = new Date("2030-01-01T00:00:01Z");
      const key = await keyOf(list("?kind=webinar"), "build", at);
      assert.ok(key);
      assert.equal(await keyOf(list("?kind=webinar"), "build", new Date("2030-01-01T00:00:09Z")), key, "within the same ten seconds");
      assert.notEqual(await keyOf(list("?kind=webinar"), "build", new Date("2030-01-01T00:00:11Z")), key, "ten seconds on");
      assert.notEqual(await keyOf(list("?kind=workshop"), "build", at), key, "each filter apart");
      assert.ok(await keyOf(new Request("http://localhost/"), "build", at), "the home page lists meetings too");
      assert.equal(await keyOf(list("?fbclid=x"), "build", at), null);
      assert.equal(await keyOf(new Request("http://localhost/meetings", { headers: { Cookie: "__session=abc" } }), "build", at), null, "a cookie naming no session: the route's");
      await db.updateTable("meetings").set({ title: "Retitled", updated_at: new Date() }).where("id", "=", linked.id).execute();
      assert.notEqual(await keyOf(list("?kind=webinar"), "build", at), key, "a meeting changed");
    });

    it("changes with the build, the page version and when the registration dates pass", async () => {
      const opens = new Date("2031-01-01T00:00:00Z");
      const closes = new Date("2031-02-01T00:00:00Z");
      await db.updateTable("meetings").set({ registration_opens_at: opens, registration_closes_at: closes }).where("id", "=", linked.id).execute();
      const key = (now: Date, build = "build") => keyOf(request(), build, now);
      const beforeOpening = await key(new Date("2030-12-31T23:59:59Z"));
      assert.equal(await key(new Date("2030-06-01T00:00:00Z")), beforeOpening);
      assert.notEqual(await key(opens), beforeOpening, "registration opened");
      assert.notEqual(await key(closes), await key(opens), "registration closed");
      assert.notEqual(await key(opens, "another-build"), await key(opens));
      const unchanged = await key(opens);
      await db.updateTable("meetings").set({ contact_email: "desk@example.org" }).where("id", "=", linked.id).execute();
      assert.notEqual(await key(opens), unchanged);
    });
  });
});
