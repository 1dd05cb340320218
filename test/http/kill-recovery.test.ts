import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { loadDemoData } from "../../db/demo-data";
import { freshDatabase } from "../support/database";
import { addDocument, samplePdf } from "../support/documents";
import { addMeeting, registrationBody } from "../support/registration";
import { startResendStub } from "../support/resend-stub";
import { type ServerProcess, eventually, rawRequest, startServerProcess } from "../support/server-process";
import { signedIn } from "./app";

/**
 * SIGKILL of the real server in the middle of a registration burst, and in the middle of sending a
 * circulation, then a restart: every registration answered as a success is there, none is half-made
 * (without its status history or its acknowledgement), and every email committed to the outbox
 * reaches the provider (a local stand-in for Resend that, like Resend, delivers a repeated
 * Idempotency-Key once) exactly once.
 */

const FORM = "application/x-www-form-urlencoded";

describe("SIGKILL mid-burst and mid-circulation, then a restart", async () => {
  const { db, url } = await freshDatabase();
  await loadDemoData(db);
  const stub = await startResendStub();
  after(() => stub.close());
  const env = { DATABASE_URL: url, RESEND_API_KEY: "re_test_key", RESEND_BASE_URL: stub.url, MAIL_FROM: "Meetings <meetings@example.org>" };
  const meeting = await addMeeting(db);
  const organiser = await signedIn(db, "organiser@example.org", "administrator");

  async function drained(server: ServerProcess) {
    await eventually(
      "the restarted worker empties the outbox",
      async () => (await db.selectFrom("outbox").select("id").where("status", "=", "pending").limit(1).execute()).length === 0,
      60_000,
    );
    assert.equal(server.child.exitCode, null);
  }

  /** Each outbox row reached the provider once: the keys delivered are exactly the rows', and all rows are sent. */
  async function assertEachEmailOnce() {
    const rows = await db.selectFrom("outbox").select(["id", "status"]).execute();
    assert.deepEqual(
      rows.filter((row) => row.status !== "sent"),
      [],
      "every committed email was sent",
    );
    assert.deepEqual([...stub.delivered].sort(), rows.map((row) => `outbox-${row.id}`).sort(), "each row delivered once, none unknown");
    assert.equal(new Set(stub.delivered).size, stub.delivered.length);
  }

  it("keeps every registration answered, none half-made, and sends each acknowledgement once", async () => {
    stub.state.delayMs = 20;
    const first = await startServerProcess(env);
    const succeeded: string[] = [];
    let killed = false;
    const register = async (email: string) => {
      const answer = await rawRequest(first.port, `/meetings/${meeting.slug}/register`, { method: "POST", headers: { "Content-Type": FORM }, body: registrationBody({ email }).toString() }).catch(() => null);
      // Registered: 303 to the thank-you page.
      if (answer?.status === 303 && answer.headers.location?.endsWith("/register?registered=1")) succeeded.push(email);
      if (!killed && succeeded.length >= 25) {
        killed = true;
        first.child.kill("SIGKILL");
      }
    };
    const senders = Array.from({ length: 6 }, async (_, sender) => {
      for (let n = 0; n < 20; n++) await register(`burst-${sender}-${n}@example.org`);
    });
    await Promise.all(senders);
    assert.ok(killed, "the server was killed mid-burst");
    assert.equal(await first.exited, null, "killed by the signal");
    assert.ok(succeeded.length >= 25 && succeeded.length < 120, `${succeeded.length} registrations answered before the kill`);

    const second = await startServerProcess(env, { port: first.port });
    await drained(second);

    const registrations = await db.selectFrom("registrations").select(["id", "email"]).where("meeting_id", "=", meeting.id).execute();
    const registered = new Set(registrations.map((row) => row.email));
    assert.deepEqual(succeeded.filter((email) => !registered.has(email)), [], "every registration answered as a success exists");
    for (const registration of registrations) {
      const history = await db.selectFrom("registration_status_changes").select("id").where("registration_id", "=", registration.id).execute();
      assert.ok(history.length >= 1, `${registration.email}: its status history`);
      const acknowledgements = await db.selectFrom("outbox").select("id").where("to_address", "=", registration.email).where("template", "=", "registration-received").execute();
      assert.equal(acknowledgements.length, 1, `${registration.email}: its acknowledgement, once`);
    }
    await assertEachEmailOnce();
    second.child.kill("SIGTERM");
    assert.equal(await second.exited, 0);
  });

  it("sends every email of a circulation committed before the kill exactly once, the one in flight at the kill included", async () => {
    const paper = await addDocument(db, meeting.id, { title: "Concept note", symbol: "ESCAP/TEST/2026/INF.1", files: [{ language: "en", content: await samplePdf("Concept note") }] });
    const confirmed = await db.selectFrom("registrations").select("id").where("meeting_id", "=", meeting.id).where("status", "=", "confirmed").execute();
    assert.ok(confirmed.length >= 25);
    const requestsBefore = stub.requests.length;
    const first = await startServerProcess(env);
    // Killed while the provider holds the fifth email of the circulation: the provider has it, the outbox does not know.
    stub.state.delayMs = 30;
    stub.hooks.onRequest = async () => {
      if (stub.requests.length - requestsBefore !== 5) return;
      first.child.kill("SIGKILL");
      await first.exited;
    };
    const sent = await rawRequest(first.port, `/admin/meetings/${meeting.slug}/circulations`, {
      method: "POST",
      headers: { "Content-Type": FORM, Cookie: organiser.cookie },
      body: new URLSearchParams([["documents", String(paper.id)], ["audience", "confirmed"], ["intent", "send"], ["expectedCount", String(confirmed.length)]]).toString(),
    });
    assert.equal(sent.status, 302, sent.body.slice(0, 500));
    assert.equal(await first.exited, null, "killed mid-send");
    stub.hooks.onRequest = undefined;
    const circulated = await db.selectFrom("circulation_recipients").innerJoin("outbox", "outbox.id", "circulation_recipients.outbox_id").select(["outbox.id", "outbox.status"]).execute();
    assert.equal(circulated.length, confirmed.length, "the circulation was committed whole");
    assert.ok(circulated.some((row) => row.status === "pending"), "and was not all sent before the kill");

    const second = await startServerProcess(env, { port: first.port });
    await drained(second);
    await assertEachEmailOnce();
    const perKey = new Map<string, number>();
    for (const request of stub.requests.slice(requestsBefore)) perKey.set(String(request.headers["idempotency-key"]), (perKey.get(String(request.headers["idempotency-key"])) ?? 0) + 1);
    assert.ok([...perKey.values()].some((count) => count === 2), "the email in flight at the kill was sent again under its key, and delivered once");
    second.child.kill("SIGTERM");
    assert.equal(await second.exited, 0);
  });
});
