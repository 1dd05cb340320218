import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { loadDemoData } from "../../db/demo-data";
import { addDocument, samplePdf } from "../support/documents";
import { freshDatabase } from "../support/database";
import { addMeeting } from "../support/registration";
import { startServerProcess } from "../support/server-process";
import { signedIn } from "./app";

/**
 * An anonymous visitor's "unchanged" for a public paper is answered in server.ts, before Remix
 * (downloads are `no-cache`: every reopening asks again), from the file it names kept by the
 * meeting's version. Through the real server: the 304 is the download route's own, a change to the
 * paper is seen at once, and every other request (a paper that is not public, a deleted one, a
 * changed file, a malformed address) is still the route's answer.
 */
const { db, url } = await freshDatabase();
await loadDemoData(db);
const { get } = await startServerProcess({ DATABASE_URL: url });

const meeting = await addMeeting(db, { slug: "unchanged-downloads", title: "Meeting whose papers are downloaded again" });
const base = "/meetings/unchanged-downloads/documents";
const bytes = { v1: await samplePdf("Working paper, first version"), v2: await samplePdf("Working paper, second version"), note: await samplePdf("Note for participants") };
const etag = (content: Buffer) => `"${createHash("sha256").update(content).digest("hex")}"`;
const paper = await addDocument(db, meeting.id, { title: "Working paper", files: [{ language: "en", content: bytes.v1, version: 1, superseded: true }, { language: "en", content: bytes.v2, version: 2 }] });
const note = await addDocument(db, meeting.id, { title: "Note for participants", access: "registered", files: [{ language: "en", content: bytes.note }] });
const withdrawn = await addDocument(db, meeting.id, { title: "Withdrawn paper", deleted: true, files: [{ language: "en", content: bytes.note }] });

async function downloads(documentId: number): Promise<number> {
  const row = await db.selectFrom("document_downloads").select((eb) => eb.fn.countAll<string>().as("n")).where("document_id", "=", documentId).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("a public paper's 304, answered before Remix", () => {
  it("answers an anonymous visitor's If-None-Match with the route's 304: no body, the file's ETag, public no-cache, not counted", async () => {
    const before = await downloads(paper.id);
    const whole = await get(`${base}/${paper.id}?lang=en`);
    assert.equal(whole.status, 200);
    assert.deepEqual(whole.bytes, bytes.v2);
    assert.equal(whole.headers.etag, etag(bytes.v2));
    for (const address of [`${base}/${paper.id}`, `${base}/${paper.id}?lang=en`, `${base}/${paper.id}?lang=en&version=2`]) {
      const unchanged = await get(address, { "If-None-Match": `W/"other", ${etag(bytes.v2)}` });
      assert.equal(unchanged.status, 304, address);
      assert.equal(unchanged.bytes.length, 0);
      assert.equal(unchanged.headers.etag, etag(bytes.v2));
      assert.equal(unchanged.headers["cache-control"], "public, no-cache");
      assert.equal(unchanged.headers["x-content-type-options"], "nosniff");
      assert.equal(unchanged.headers["referrer-policy"], "strict-origin-when-cross-origin", "the headers every answer carries");
    }
    assert.equal(await downloads(paper.id), before + 1, "only the whole download is counted");
    const earlier = await get(`${base}/${paper.id}?lang=en&version=1`, { "If-None-Match": etag(bytes.v1) });
    assert.equal(earlier.status, 304, "an earlier version's bytes, asked by its number");
  });

  it("sends the file when the visitor holds another version, and counts it", async () => {
    const before = await downloads(paper.id);
    const changed = await get(`${base}/${paper.id}?lang=en`, { "If-None-Match": etag(bytes.v1) });
    assert.equal(changed.status, 200);
    assert.deepEqual(changed.bytes, bytes.v2);
    assert.equal(await downloads(paper.id), before + 1);
  });

  it("sees a change to the paper at once, though what it names is kept: made participants-only, then withdrawn", async () => {
    const address = `${base}/${paper.id}?lang=en`;
    const holding = { "If-None-Match": etag(bytes.v2) };
    assert.equal((await get(address, holding)).status, 304);
    await db.updateTable("documents").set({ access_level: "registered" }).where("id", "=", paper.id).execute();
    const restricted = await get(address, holding);
    assert.equal(restricted.status, 302, "an anonymous visitor is sent to sign in");
    assert.match(String(restricted.headers.location), /^\/login\?redirectTo=/);
    await db.updateTable("documents").set({ access_level: "public" }).where("id", "=", paper.id).execute();
    assert.equal((await get(address, holding)).status, 304, "public again");
    await db.updateTable("documents").set({ deleted_at: new Date() }).where("id", "=", paper.id).execute();
    assert.equal((await get(address, holding)).status, 404, "withdrawn");
    await db.updateTable("documents").set({ deleted_at: null }).where("id", "=", paper.id).execute();
  });

  it("leaves the route to answer what is not an anonymous visitor's public paper, whatever ETag is sent", async () => {
    const participantsOnly = await get(`${base}/${note.id}`, { "If-None-Match": etag(bytes.note) });
    assert.equal(participantsOnly.status, 302, "a participants' paper sends an anonymous visitor to sign in");
    assert.match(String(participantsOnly.headers.location), /^\/login\?redirectTo=/);
    assert.equal((await get(`${base}/${withdrawn.id}`, { "If-None-Match": etag(bytes.note) })).status, 404, "a deleted paper");
    assert.equal((await get(`${base}/${paper.id}?lang=english`, { "If-None-Match": etag(bytes.v2) })).status, 400, "a malformed language");
    assert.equal((await get(`${base}/${paper.id}?lang=fr`, { "If-None-Match": etag(bytes.v2) })).status, 404, "a language it does not have");
    assert.equal((await get(`/meetings/no-such-meeting/documents/${paper.id}`, { "If-None-Match": etag(bytes.v2) })).status, 404, "another meeting's address");

    const { cookie } = await signedIn(db, "reader@example.org", "participant");
    const signedInAnswer = await get(`${base}/${paper.id}`, { Cookie: cookie, "If-None-Match": etag(bytes.v2) });
    assert.equal(signedInAnswer.status, 304, "a signed-in visitor's 304 comes from the route");
    const anonymousAnswer = await get(`${base}/${paper.id}`, { "If-None-Match": etag(bytes.v2) });
    const described = (headers: Record<string, unknown>) => Object.entries(headers).filter(([name]) => !["date", "connection", "keep-alive"].includes(name)).sort();
    assert.deepEqual(described(anonymousAnswer.headers), described(signedInAnswer.headers), "the same 304 before Remix as from the route");
  });
});
