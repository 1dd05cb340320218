import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertBody, signedIn, startApp } from "./app";

const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'", "&amp;": "&" };

/** The text of each cell of the audit table's body rows, tags dropped and entities read back. */
function auditCells(body: string): string[][] {
  const table = /<table class="data audit-log">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(body);
  if (!table) return [];
  return table[1]!
    .split(/<tr[^>]*>/)
    .slice(1)
    .map((row) =>
      row
        .split(/<td[^>]*>/)
        .slice(1)
        .map((cell) => cell.replace(/<[^>]+>/g, " ").replace(/&(?:lt|gt|quot|#x27|amp);/g, (entity) => ENTITIES[entity]!).replace(/\s+/g, " ").trim()),
    );
}

describe("the audit log's pages", async () => {
  const { db, request } = await startApp();
  const participant = await signedIn(db, "participant@example.org", "participant");
  const organiser = await signedIn(db, "audit.organiser@example.org", "administrator");
  const meeting = await db.selectFrom("meetings").select(["id", "slug", "title"]).where("status", "=", "draft").executeTakeFirstOrThrow();
  const base = `/admin/meetings/${meeting.slug}`;
  const post = (url: string, fields: Record<string, string>) =>
    request(url, { method: "POST", body: new URLSearchParams(fields), cookie: organiser.cookie });

  const script = "<script>alert('room')</script>";
  const image = `"><img src=x onerror="alert(1)">`;

  it("shows what organisers did, with before and after, user text escaped", async () => {
    assert.equal((await post(base, { intent: "publish" })).status, 302);
    assert.equal((await post(`${base}/agenda`, { intent: "add-room", name: script })).status, 302);
    const room = await db.selectFrom("meeting_rooms").select("id").where("meeting_id", "=", meeting.id).where("name", "=", script).executeTakeFirstOrThrow();
    assert.equal((await post(`${base}/agenda`, { intent: "rename-room", room: String(room.id), name: image })).status, 302);

    const page = await request(`${base}/audit`, { cookie: organiser.cookie });
    assert.equal(page.status, 200);
    assert.ok(!page.body.includes(script), "the script tag is not in the page as markup");
    assert.ok(!page.body.includes(`<img src=x`), "nor the image");
    const cells = auditCells(page.body);
    assert.equal(cells.length, 3);
    // Newest first: the rename, the room, the publication.
    assert.match(cells[0]![2]!, /^Room renamed/);
    assert.ok(cells[0]![2]!.includes(`Renamed room “${script}” to “${image}”`), "the summary reads as the text typed");
    assert.ok(cells[0]![3]!.includes(`name ${script} → became ${image}`), "before → after, as text");
    assert.match(cells[2]![2]!, /^Meeting status changed/);
    assert.ok(cells[2]![3]!.includes("status draft → became published"));
    assert.equal(cells[2]![1], "audit.organiser@example.org");
    assertBody(page.body, /<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{3})?Z">/i);
    assert.doesNotMatch(page.body, /<img|<script>alert/, "no element made of the text");

    const renamed = await request(`${base}/audit?action=room.renamed`, { cookie: organiser.cookie });
    assert.equal(auditCells(renamed.body).length, 1);
    assertBody(renamed.body, "1 action");
    for (const odd of ["?action=no.such.action", "?page=zero", "?page=-3", "?page=99999"]) {
      const answer = await request(`${base}/audit${odd}`, { cookie: organiser.cookie });
      assert.equal(answer.status, 200, odd);
    }
  });

  it("lists every meeting's actions for the organisers, linked to each meeting's log", async () => {
    const page = await request("/admin/audit", { cookie: organiser.cookie });
    assert.equal(page.status, 200);
    const links = [...page.body.matchAll(new RegExp(`<a [^>]*href="${base}/audit"[^>]*>([^<]*)</a>`, "g"))];
    assert.equal(links.length, 3);
    assert.equal(auditCells(page.body)[0]![2], meeting.title, "the meeting's column");
  });

  it("is linked from the meeting's console", async () => {
    const console = await request(`${base}/agenda`, { cookie: organiser.cookie });
    assertBody(console.body, new RegExp(`<nav aria-label="Meeting console"[\\s\\S]*<a [^>]*href="${base}/audit"[^>]*>Audit log</a>[\\s\\S]*</nav>`));
  });

  it("refuses participants and sends anonymous visitors to sign in", async () => {
    for (const url of [`${base}/audit`, "/admin/audit"]) {
      assert.equal((await request(url, { cookie: participant.cookie })).status, 403, url);
      const anonymous = await request(url);
      assert.equal(anonymous.status, 302, url);
      assert.match(anonymous.headers.get("Location") ?? "", /^\/login/, url);
    }
    assert.equal((await request("/admin/meetings/no-such-meeting/audit", { cookie: organiser.cookie })).status, 404);
  });
});
