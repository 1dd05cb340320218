import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import zlib from "node:zlib";
import { sql } from "kysely";
import { loadDemoData } from "../../db/demo-data";
import { addAgendaItem } from "../support/agenda";
import { freshDatabase } from "../support/database";
import { addMeeting, registrationBody } from "../support/registration";
import { rawRequest, startServerProcess } from "../support/server-process";
import { signedIn } from "./app";

/**
 * The anonymous agenda page and the API's meeting kept rendered, through the real server (the cache
 * sits in server.ts, in front of Remix). To see whether an answer came from memory, a title is changed with the database's
 * triggers off (`session_replication_role = replica`), which the page version cannot see: a kept page
 * still shows the old title, a rendered one the new.
 */
const { db, url } = await freshDatabase();
await loadDemoData(db);
const { get, post, port } = await startServerProcess({ DATABASE_URL: url });

const meeting = await db
  .selectFrom("meetings")
  .innerJoin("agenda_items", "agenda_items.meeting_id", "meetings.id")
  .select(["meetings.id", "meetings.slug", "agenda_items.id as itemId", "agenda_items.title as itemTitle"])
  .where("meetings.status", "=", "published")
  .where("agenda_items.deleted_at", "is", null)
  .orderBy("agenda_items.id")
  .executeTakeFirstOrThrow();
const page = `/meetings/${meeting.slug}/agenda`;
const api = `/api/v1/meetings/${meeting.slug}`;

/** Renames the item without the triggers, so that the page version stays as it was. */
async function renameUnseen(title: string) {
  await db.connection().execute(async (connection) => {
    await sql`set session_replication_role = replica`.execute(connection);
    await connection.updateTable("agenda_items").set({ title }).where("id", "=", meeting.itemId).execute();
    await sql`set session_replication_role = default`.execute(connection);
  });
}

async function renameSeen(title: string) {
  await db.updateTable("agenda_items").set({ title }).where("id", "=", meeting.itemId).execute();
}

const html = async (pathname: string, headers: Record<string, string> = {}) => {
  const answer = await get(pathname, headers);
  assert.equal(answer.status, 200, `${pathname}: 200`);
  return answer.bytes.toString("utf8");
};

describe("the anonymous agenda page, kept rendered", () => {
  it("is answered from memory until the meeting's page changes, and then shows the change", async () => {
    assert.ok((await html(page)).includes(meeting.itemTitle));
    await renameUnseen("Session renamed behind the cache's back");
    const kept = await html(page);
    assert.ok(kept.includes(meeting.itemTitle), "the kept page is served");
    assert.ok(!kept.includes("behind the cache"));
    await renameSeen("Session renamed by the organisers");
    assert.ok((await html(page)).includes("Session renamed by the organisers"), "a change the page version sees is shown at once");
  });

  it("gives each answer of the kept page a script nonce of its own, the one its policy names", async () => {
    const nonceOf = (answer: { headers: Record<string, unknown> }) => /'nonce-([^']+)'/.exec(String(answer.headers["content-security-policy"]))?.[1];
    const [first, second] = [await get(page), await get(page)];
    const [a, b] = [nonceOf(first), nonceOf(second)];
    assert.ok(a && b && a !== b, "two nonces");
    const scripts = (body: Buffer) => [...body.toString("utf8").matchAll(/<script\b[^>]*>/g)].map((tag) => tag[0]);
    assert.ok(scripts(second.bytes).length > 0);
    for (const tag of scripts(second.bytes)) assert.ok(tag.includes(`nonce="${b}"`), `${tag} carries its answer's nonce`);
    assert.equal(first.bytes.toString("utf8").replaceAll(a, ""), second.bytes.toString("utf8").replaceAll(b, ""), "otherwise the same page");
  });

  it("keeps each zone's page apart", async () => {
    const inTokyo = await html(`${page}?tz=Asia/Tokyo`);
    assert.match(inTokyo, /Asia\/Tokyo|Tokyo time/);
    assert.notEqual(inTokyo, await html(page));
  });

  it("renders signed-in visitors' pages and pages with other parameters, never the kept one", async () => {
    await html(page);
    await renameUnseen("Renamed for the signed-in visitor");
    const { cookie } = await signedIn(db, "participant@example.org", "participant");
    const theirs = await html(page, { Cookie: cookie });
    assert.ok(theirs.includes("Renamed for the signed-in visitor"), "rendered for them");
    assert.ok(theirs.includes("participant@example.org"), "with their own header");
    assert.ok((await html(`${page}?from=newsletter`)).includes("Renamed for the signed-in visitor"), "other parameters: rendered");
    assert.ok(!(await html(page)).includes("Renamed for the signed-in visitor"), "anonymous: still the kept page");
    assert.ok(!(await html(page)).includes("participant@example.org"), "no one's details in the kept page");
    await renameSeen(meeting.itemTitle);
  });

  it("answers a matching If-None-Match with 304 from memory", async () => {
    const first = await get(page);
    const etag = String(first.headers.etag);
    assert.match(etag, /^W\/".+"$/);
    const again = await get(page, { "If-None-Match": etag });
    assert.equal(again.status, 304);
    assert.equal(again.bytes.length, 0);
    assert.equal(again.headers.etag, etag);
    assert.equal(again.headers["content-security-policy"], undefined, "a 304 carries no policy: the browser keeps its page's");
    await renameSeen("Changed after the browser kept it");
    assert.equal((await get(page, { "If-None-Match": etag })).status, 200, "a changed page is sent whole");
  });

  it("answers unknown meetings and drafts with 404, as before", async () => {
    assert.equal((await get("/meetings/no-such-meeting/agenda")).status, 404);
    const draft = await db.selectFrom("meetings").select("slug").where("status", "=", "draft").executeTakeFirstOrThrow();
    assert.equal((await get(`/meetings/${draft.slug}/agenda`)).status, 404);
  });
});

describe("the API's meeting, kept for anonymous callers", () => {
  const itemTitles = async (headers: Record<string, string> = {}, pathname = api) => {
    const answer = await get(pathname, headers);
    assert.equal(answer.status, 200, `${pathname}: 200`);
    assert.match(String(answer.headers["content-type"]), /^application\/json/);
    const body = JSON.parse(answer.bytes.toString("utf8")) as { agenda: { id: number; title: string }[] };
    return body.agenda.map((item) => item.title);
  };

  it("is answered from memory until the meeting changes, and then shows the change", async () => {
    await renameSeen(meeting.itemTitle);
    assert.ok((await itemTitles()).includes(meeting.itemTitle));
    await renameUnseen("Renamed behind the API's back");
    assert.ok((await itemTitles()).includes(meeting.itemTitle), "the kept answer is served");
    await renameSeen("Renamed for the API by the organisers");
    assert.ok((await itemTitles()).includes("Renamed for the API by the organisers"), "a change the page version sees is shown at once");
  });

  it("answers signed-in callers and addresses with parameters afresh", async () => {
    await itemTitles();
    await renameUnseen("Renamed for the signed-in caller");
    const { cookie } = await signedIn(db, "participant@example.org", "participant");
    assert.ok((await itemTitles({ Cookie: cookie })).includes("Renamed for the signed-in caller"));
    assert.ok((await itemTitles({}, `${api}?pretty=1`)).includes("Renamed for the signed-in caller"));
    assert.ok(!(await itemTitles()).includes("Renamed for the signed-in caller"), "anonymous: still the kept answer");
    await renameSeen(meeting.itemTitle);
  });

  it("answers unknown meetings and drafts with the API's 404", async () => {
    const draft = await db.selectFrom("meetings").select("slug").where("status", "=", "draft").executeTakeFirstOrThrow();
    for (const slug of ["no-such-meeting", draft.slug]) {
      const answer = await get(`/api/v1/meetings/${slug}`);
      assert.equal(answer.status, 404);
      assert.equal((JSON.parse(answer.bytes.toString("utf8")) as { error: string }).error, "No such meeting");
    }
  });
});

const document = await db
  .selectFrom("documents")
  .innerJoin("meetings", "meetings.id", "documents.meeting_id")
  .select(["documents.id", "documents.title", "meetings.slug"])
  .where("meetings.status", "=", "published")
  .where("documents.access_level", "=", "public")
  .where("documents.deleted_at", "is", null)
  .orderBy("documents.id")
  .executeTakeFirstOrThrow();
const documentsPage = `/meetings/${document.slug}/documents`;

describe("the documents page and lists of meetings, kept rendered", () => {

  /** An update with the triggers off: neither the page version nor (unless set) `updated_at` sees it. */
  async function unseen(update: (connection: typeof db) => Promise<unknown>) {
    await db.connection().execute(async (connection) => {
      await sql`set session_replication_role = replica`.execute(connection);
      await update(connection);
      await sql`set session_replication_role = default`.execute(connection);
    });
  }

  /**
   * Lists and a meeting's page are kept for ten seconds at most: waits, when needed, for a ten-second
   * window to start, so that a test's reads, `seconds` long at most, fall in one.
   */
  async function earlyInTenSeconds(seconds: number) {
    const intoWindow = Date.now() % 10_000;
    if (intoWindow > 10_000 - seconds * 1000) await new Promise((resolve) => setTimeout(resolve, 10_050 - intoWindow));
  }

  it("keeps a meeting's documents page until its documents change", async () => {
    assert.ok((await html(documentsPage)).includes(document.title));
    await unseen((connection) => connection.updateTable("documents").set({ title: "Paper renamed unseen" }).where("id", "=", document.id).execute());
    assert.ok((await html(documentsPage)).includes(document.title), "the kept page is served");
    await db.updateTable("documents").set({ title: "Paper renamed by the secretariat" }).where("id", "=", document.id).execute();
    assert.ok((await html(documentsPage)).includes("Paper renamed by the secretariat"), "a change the page version sees is shown at once");
  });

  it("keeps a list of meetings until a meeting changes", async () => {
    const listed = await db.selectFrom("meetings").select(["id", "title"]).where("slug", "=", meeting.slug).executeTakeFirstOrThrow();
    const list = `/meetings?q=${encodeURIComponent(listed.title.split(" ").slice(0, 2).join(" "))}`;
    await earlyInTenSeconds(3);
    assert.ok((await html(list)).includes(listed.title));
    await unseen((connection) => connection.updateTable("meetings").set({ title: `${listed.title} (renamed unseen)` }).where("id", "=", listed.id).execute());
    assert.ok(!(await html(list)).includes("(renamed unseen)"), "the kept list is served");
    await db.updateTable("meetings").set({ title: `${listed.title} (renamed)`, updated_at: new Date() }).where("id", "=", listed.id).execute();
    assert.ok((await html(list)).includes(`${listed.title} (renamed)`), "an edit is listed at once");
    await db.updateTable("meetings").set({ title: listed.title, updated_at: new Date() }).where("id", "=", listed.id).execute();
  });

  it("keeps a meeting's page for signed-in visitors too, each with their own header, until the meeting changes", async () => {
    const shown = await db.selectFrom("meetings").select(["id", "title"]).where("slug", "=", meeting.slug).executeTakeFirstOrThrow();
    const meetingPage = `/meetings/${meeting.slug}`;
    const participant = await signedIn(db, "kept-page.participant@example.org", "participant");
    const administrator = await signedIn(db, "kept-page.admin@example.org", "administrator");
    await earlyInTenSeconds(4);
    for (const visitor of [participant, administrator]) assert.ok((await html(meetingPage, { Cookie: visitor.cookie })).includes(shown.title));
    await unseen((connection) => connection.updateTable("meetings").set({ title: `${shown.title} (renamed unseen)` }).where("id", "=", shown.id).execute());

    const theirs = await html(meetingPage, { Cookie: participant.cookie });
    assert.ok(!theirs.includes("(renamed unseen)"), "the kept page is served");
    assert.ok(theirs.includes('title="Signed in as kept-page.participant@example.org"'), "their address in the header");
    assert.ok(theirs.includes('"user":{"email":"kept-page.participant@example.org","organiser":false}'), "and in the page's data");
    assert.ok(!theirs.includes('href="/admin"'), "a participant's links");
    const admins = await html(meetingPage, { Cookie: administrator.cookie });
    assert.ok(!admins.includes("(renamed unseen)"), "kept for organisers too");
    assert.ok(admins.includes('"user":{"email":"kept-page.admin@example.org","organiser":true}') && admins.includes('href="/admin"'));
    for (const answer of [theirs, admins]) assert.ok(!answer.includes("kept-page.invalid"), "never the stand-in");
    assert.ok(!admins.includes("kept-page.participant@example.org") && !theirs.includes("kept-page.admin@example.org"), "never another visitor");
    assert.ok(!(await html(meetingPage)).includes("kept-page.participant@example.org"), "no one's address for anonymous visitors");

    await db.updateTable("meetings").set({ title: `${shown.title} (renamed)`, updated_at: new Date() }).where("id", "=", shown.id).execute();
    assert.ok((await html(meetingPage, { Cookie: participant.cookie })).includes(`${shown.title} (renamed)`), "an edit is shown at once");
    await db.updateTable("meetings").set({ title: shown.title, updated_at: new Date() }).where("id", "=", shown.id).execute();
  });

  it("keeps the list for signed-in visitors too, each answer with the visitor's own header and tag", async () => {
    const listed = await db.selectFrom("meetings").select(["id", "title"]).where("slug", "=", meeting.slug).executeTakeFirstOrThrow();
    const list = `/meetings?q=${encodeURIComponent(listed.title.split(" ").slice(0, 2).join(" "))}`;
    const participant = await signedIn(db, "kept-list.participant@example.org", "participant");
    const administrator = await signedIn(db, "kept-list.admin@example.org", "administrator");
    const apostrophe = await signedIn(db, "o'neill@example.org", "participant");
    await earlyInTenSeconds(4);
    for (const visitor of [participant, administrator]) assert.ok((await html(list, { Cookie: visitor.cookie })).includes(listed.title));
    await unseen((connection) => connection.updateTable("meetings").set({ title: `${listed.title} (renamed unseen)` }).where("id", "=", listed.id).execute());

    const theirs = await get(list, { Cookie: participant.cookie });
    const page = theirs.bytes.toString("utf8");
    assert.ok(!page.includes("(renamed unseen)"), "the kept list is served");
    assert.ok(page.includes('title="Signed in as kept-list.participant@example.org"'), "their address in the header");
    assert.ok(page.includes('"user":{"email":"kept-list.participant@example.org","organiser":false}'), "and in the page's data");
    assert.ok(page.includes('href="/my"') && !page.includes('href="/admin"'), "a participant's links");
    const nonce = /'nonce-([^']+)'/.exec(String(theirs.headers["content-security-policy"]))![1]!;
    const tag = `W/"${createHash("sha1").update(page.replaceAll(nonce, "")).digest("base64url")}"`;
    assert.equal(theirs.headers.etag, tag, "the tag of the page they got, as the route makes it");
    assert.equal((await get(list, { Cookie: participant.cookie, "If-None-Match": tag })).status, 304);

    const admins = await get(list, { Cookie: administrator.cookie, "If-None-Match": tag });
    assert.equal(admins.status, 200, "another visitor's tag is not theirs");
    const adminPage = admins.bytes.toString("utf8");
    assert.ok(!adminPage.includes("(renamed unseen)"), "kept for organisers too");
    assert.ok(adminPage.includes('"user":{"email":"kept-list.admin@example.org","organiser":true}') && adminPage.includes('href="/admin"'));
    for (const answer of [page, adminPage]) assert.ok(!answer.includes("kept-page.invalid"), "never the stand-in");
    assert.ok(!adminPage.includes("kept-list.participant@example.org") && !page.includes("kept-list.admin@example.org"), "never another visitor");

    const escaped = await html(list, { Cookie: apostrophe.cookie });
    assert.ok(escaped.includes("(renamed unseen)"), "an address HTML escapes: rendered by the route");
    assert.ok(escaped.includes('title="Signed in as o&#x27;neill@example.org"'));
    const unknownSession = await html(list, { Cookie: "__session=no-such-session" });
    assert.ok(unknownSession.includes("(renamed unseen)") && unknownSession.includes('href="/login"'), "a cookie without a session: rendered by the route");
    await db.updateTable("meetings").set({ title: listed.title, updated_at: new Date() }).where("id", "=", listed.id).execute();
  });
});

describe("the public calendar feeds, kept for anonymous clients", () => {
  const feed = `/meetings/${meeting.slug}/calendar.ics`;
  const ics = async (pathname: string, headers: Record<string, string> = {}) => {
    const answer = await get(pathname, headers);
    assert.equal(answer.status, 200, `${pathname}: 200`);
    assert.match(String(answer.headers["content-type"]), /^text\/calendar/);
    assert.equal(answer.headers["content-encoding"], undefined, "never compressed");
    return answer.bytes.toString("utf8").replaceAll(/\r\n /g, "");
  };

  it("keeps a meeting's feed until its agenda changes, and answers its ETag and Last-Modified with 304", async () => {
    await renameSeen(meeting.itemTitle);
    const first = await get(feed);
    assert.ok(first.bytes.toString("utf8").replaceAll(/\r\n /g, "").includes(meeting.itemTitle));
    await renameUnseen("Renamed behind the feed's back");
    assert.ok((await ics(feed)).includes(meeting.itemTitle), "the kept feed is served");
    const conditionals: Record<string, string>[] = [{ "If-None-Match": String(first.headers.etag) }, { "If-Modified-Since": String(first.headers["last-modified"]) }];
    for (const conditional of conditionals) {
      const again = await get(feed, conditional);
      assert.equal(again.status, 304, JSON.stringify(conditional));
      assert.equal(again.bytes.length, 0);
      assert.equal(again.headers.etag, first.headers.etag);
    }
    // As the console's edit: the item, and the agenda's last change (which the feed's own version names).
    await renameSeen("Renamed for the feed by the organisers");
    await db.updateTable("meetings").set({ agenda_updated_at: new Date() }).where("id", "=", meeting.id).execute();
    assert.ok((await ics(feed)).includes("Renamed for the feed by the organisers"), "a change the page version sees is in the feed at once");
    assert.equal((await get(feed, { "If-None-Match": String(first.headers.etag) })).status, 200, "a changed feed is sent whole");
    await renameSeen(meeting.itemTitle);
  });

  it("keeps the feed of all meetings until a meeting changes", async () => {
    const listed = await db.selectFrom("meetings").select(["id", "title"]).where("slug", "=", meeting.slug).executeTakeFirstOrThrow();
    assert.ok((await ics("/calendar.ics")).includes(listed.title));
    await db.connection().execute(async (connection) => {
      await sql`set session_replication_role = replica`.execute(connection);
      await connection.updateTable("meetings").set({ title: `${listed.title} (renamed unseen)` }).where("id", "=", listed.id).execute();
      await sql`set session_replication_role = default`.execute(connection);
    });
    assert.ok(!(await ics("/calendar.ics")).includes("(renamed unseen)"), "the kept feed is served");
    await db.updateTable("meetings").set({ title: `${listed.title} (renamed)`, updated_at: new Date() }).where("id", "=", listed.id).execute();
    assert.ok((await ics("/calendar.ics")).includes(`${listed.title} (renamed)`), "an edit is in the feed at once");
    await db.updateTable("meetings").set({ title: listed.title, updated_at: new Date() }).where("id", "=", listed.id).execute();
  });

  it("answers bad parameters and unknown meetings as before, and does not keep the private feed", async () => {
    assert.equal((await get("/calendar.ics?kind=party")).status, 400);
    assert.equal((await get("/calendar.ics?programme=no-such-programme")).status, 404);
    assert.equal((await get("/meetings/no-such-meeting/calendar.ics")).status, 404);
    assert.equal((await get(`${feed}?item=abc`)).status, 400);
    assert.equal((await get(`/feeds/${"x".repeat(43)}/calendar.ics`)).status, 404);
  });
});

describe("kept pages sent compressed", () => {
  // A kept page compressed and sent while its socket was corked never finished: fail rather than wait.
  it("sends a large kept page in Brotli or gzip as asked, from memory as when it was rendered", { timeout: 60_000 }, async () => {
    const large = await addMeeting(db);
    // Text that does not compress, so that the compressed page is larger than a socket's buffer.
    for (let index = 0; index < 300; index++) {
      const hour = String(8 + (index % 10)).padStart(2, "0");
      const description = randomBytes(150).toString("hex");
      await addAgendaItem(db, large, { title: `Session ${index}`, description, date: large.starts_on, start: `${hour}:00`, end: `${hour}:30` });
    }
    const agenda = `/meetings/${large.slug}/agenda`;
    const decoders = { br: zlib.brotliDecompressSync, gzip: zlib.gunzipSync };
    const pages: string[] = [];
    for (const encoding of ["br", "gzip", "br", "gzip"] as const) {
      const answer = await get(agenda, { "Accept-Encoding": encoding });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers["content-encoding"], encoding);
      assert.ok(answer.bytes.length > 32 * 1024, `${encoding}: ${answer.bytes.length} bytes, more than a response's 16 kB buffer takes`);
      pages.push(decoders[encoding](answer.bytes).toString("utf8").replace(/\bnonce="[^"]*"/g, 'nonce=""'));
    }
    assert.ok(pages[0]!.includes("Session 299"));
    for (const later of pages.slice(1)) assert.equal(later, pages[0], "the kept page, decoded, is the page rendered");
  });
});

describe("an anonymous visitor's \"unchanged\" for a public paper, answered in front of Remix", () => {
  it("is a 304 with the download's own headers, for GET and HEAD; another tag gets the file", async () => {
    const paper = await db
      .selectFrom("documents")
      .innerJoin("meetings", "meetings.id", "documents.meeting_id")
      .innerJoin("document_files", "document_files.document_id", "documents.id")
      .select(["meetings.slug", "documents.id", "document_files.content_key", "document_files.size"])
      .where("meetings.slug", "=", "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction")
      .where("document_files.media_type", "=", "application/pdf")
      .where("document_files.language", "=", "en")
      .executeTakeFirstOrThrow();
    const download = `/meetings/${paper.slug}/documents/${paper.id}?lang=en`;
    const whole = await get(download);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.etag, `"${paper.content_key}"`, "the tag names the stored bytes");
    for (const method of ["GET", "HEAD"]) {
      const unchanged = await rawRequest(port, download, { method, headers: { "If-None-Match": String(whole.headers.etag) } });
      assert.equal(unchanged.status, 304, method);
      assert.equal(unchanged.bytes.length, 0);
      for (const name of ["etag", "cache-control", "x-content-type-options", "x-frame-options"]) assert.equal(unchanged.headers[name], whole.headers[name], `${method}: ${name}`);
    }
    const other = await get(download, { "If-None-Match": '"another-file"' });
    assert.equal(other.status, 200);
    assert.equal(other.bytes.length, paper.size, "a tag that names other bytes gets the file");
  });
});

describe("the registration form, kept rendered for anonymous visitors", () => {
  it("is answered from memory until the meeting changes: a question added, or the last place taken, shows at once", async () => {
    const open = await addMeeting(db, { capacity: 1 });
    const form = `/meetings/${open.slug}/register`;
    const first = await html(form);
    assert.ok(first.includes(open.title) && first.includes("Registration open"));
    await db.connection().execute(async (connection) => {
      await sql`set session_replication_role = replica`.execute(connection);
      await connection.updateTable("meetings").set({ title: "Retitled behind the cache's back" }).where("id", "=", open.id).execute();
      await sql`set session_replication_role = default`.execute(connection);
    });
    assert.ok((await html(form)).includes(open.title), "the kept form is served");
    await db.insertInto("registration_questions").values({ meeting_id: open.id, position: 0, label: "Which working group will you join?", kind: "short_text", required: false }).execute();
    const asked = await html(form);
    assert.ok(asked.includes("Which working group will you join?"), "a question added is asked at once");
    assert.ok(asked.includes("Retitled behind the cache"), "rendered afresh");
    const registered = await post(form, {}, registrationBody({ email: "kept-form.first@example.org" }).toString());
    assert.equal(registered.status, 303, "the one place taken");
    assert.ok((await html(form)).includes("Full: waiting list open"), "the form says so at once");
  });

  it("prefills a signed-in visitor's own address, rendered for them", async () => {
    const open = await addMeeting(db);
    const form = `/meetings/${open.slug}/register`;
    assert.ok(!(await html(form)).includes("kept-form.participant@example.org"));
    const participant = await signedIn(db, "kept-form.participant@example.org", "participant");
    assert.ok((await html(form, { Cookie: participant.cookie })).includes('value="kept-form.participant@example.org"'));
  });
});
