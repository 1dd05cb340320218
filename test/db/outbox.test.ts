import assert from "node:assert/strict";
import { after, beforeEach, describe, it } from "node:test";
import { sql } from "kysely";
import { type MailProvider, deliverNextEmail, resendProvider, retryAfterMs, retryDelayMs, startOutboxWorker } from "../../emails/delivery.server";
import { enqueueEmail, enqueueEmails } from "../../emails/outbox.server";
import { freshDatabase } from "../support/database";
import { startResendStub } from "../support/resend-stub";

describe("outbox delivery through Resend", async () => {
  const { db } = await freshDatabase();
  const stub = await startResendStub();
  after(() => stub.close());
  const stubbedProvider = (options?: { timeoutMs: number }): MailProvider => {
    const savedBaseUrl = process.env.RESEND_BASE_URL;
    process.env.RESEND_BASE_URL = stub.url;
    const made = resendProvider("re_test_key", "Meetings <meetings@example.org>", options);
    if (savedBaseUrl === undefined) delete process.env.RESEND_BASE_URL;
    else process.env.RESEND_BASE_URL = savedBaseUrl;
    return made;
  };
  const provider = stubbedProvider();

  beforeEach(async () => {
    await db.deleteFrom("outbox").execute();
    stub.requests.length = 0;
    Object.assign(stub.state, { fail: false, failWith: 0, retryAfter: "", delayMs: 0, maxInFlight: 0 });
  });

  const queue = (to: string, subject = "Your registration") =>
    enqueueEmail(db, {
      to,
      template: "test",
      content: { subject, html: `<p>${subject}</p>`, text: subject },
      headers: { "X-Entity-Ref-ID": `ref-${to}` },
    });
  const row = (id: string) => db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

  it("sends a due message once and records the provider's id", async () => {
    const id = await queue("delegate@example.org", "Registration confirmed");
    assert.equal(await deliverNextEmail(db, provider), true);

    assert.equal(stub.requests.length, 1);
    const [request] = stub.requests;
    assert.equal(request?.method, "POST");
    assert.equal(request?.url, "/emails");
    assert.equal(request?.headers["idempotency-key"], `outbox-${id}`);
    assert.equal(request?.headers.authorization, "Bearer re_test_key");
    assert.deepEqual(request?.body.to, "delegate@example.org");
    assert.equal(request?.body.subject, "Registration confirmed");
    assert.equal(request?.body.from, "Meetings <meetings@example.org>");
    assert.equal(request?.body.text, "Registration confirmed");
    assert.equal(request?.body.html, "<p>Registration confirmed</p>");
    assert.deepEqual(request?.body.headers, { "X-Entity-Ref-ID": "ref-delegate@example.org" });

    const sent = await row(id);
    assert.equal(sent.status, "sent");
    assert.equal(sent.provider_message_id, `re_1_outbox-${id}`);
    assert.equal(sent.attempts, 1);
    assert.ok(sent.sent_at instanceof Date);
    assert.equal(sent.last_error, null);

    assert.equal(await deliverNextEmail(db, provider), false, "nothing left");
    assert.equal(stub.requests.length, 1, "not sent again");
  });

  it("keeps a message pending and backs off when the provider fails, then sends it", async () => {
    const id = await queue("retry@example.org");
    stub.state.fail = true;
    const before = Date.now();
    assert.equal(await deliverNextEmail(db, provider), true);
    const failed = await row(id);
    assert.equal(failed.status, "pending");
    assert.equal(failed.attempts, 1);
    assert.match(failed.last_error ?? "", /The stub is down/);
    assert.equal(failed.provider_message_id, null);
    const delay = failed.next_attempt_at.getTime() - before;
    assert.ok(delay >= 22_000 && delay <= 38_500, `first retry after ~30 s, not ${delay} ms`);

    stub.state.fail = false;
    assert.equal(await deliverNextEmail(db, provider), false, "not due yet");
    assert.equal(stub.requests.length, 1);

    await db.updateTable("outbox").set({ next_attempt_at: new Date(Date.now() - 1_000) }).where("id", "=", id).execute();
    assert.equal(await deliverNextEmail(db, provider), true);
    const sent = await row(id);
    assert.equal(sent.status, "sent");
    assert.equal(sent.attempts, 2);
    assert.equal(sent.last_error, null);
    assert.deepEqual(
      stub.requests.map((r) => r.headers["idempotency-key"]),
      [`outbox-${id}`, `outbox-${id}`],
      "the retry carries the same key, so the provider can tell it is the same message",
    );
  });

  it("gives up on a message that has failed for a day", async () => {
    const id = await queue("gone@example.org");
    // created_at is not writable through the typed builder: age the message with SQL.
    await sql`update outbox set attempts = 12, created_at = now() - interval '25 hours' where id = ${id}`.execute(db);
    stub.state.fail = true;
    assert.equal(await deliverNextEmail(db, provider), true);
    const failed = await row(id);
    assert.equal(failed.status, "failed");
    assert.equal(failed.attempts, 13);
    stub.state.fail = false;
    await db.updateTable("outbox").set({ next_attempt_at: new Date(Date.now() - 1_000) }).where("id", "=", id).execute();
    assert.equal(await deliverNextEmail(db, provider), false, "a failed message is not retried");
  });

  it("retries a 502 or 503 with backoff, and a timeout too, under the same key", async () => {
    for (const status of [502, 503]) {
      const id = await queue(`busy-${status}@example.org`);
      stub.state.failWith = status;
      const before = Date.now();
      assert.equal(await deliverNextEmail(db, provider), true);
      const kept = await row(id);
      assert.equal(kept.status, "pending", `${status}: kept for another try`);
      assert.match(kept.last_error ?? "", new RegExp(`${status}`));
      const delay = kept.next_attempt_at.getTime() - before;
      assert.ok(delay >= 22_000 && delay <= 38_500, `${status}: first retry after ~30 s, not ${delay} ms`);
      await db.deleteFrom("outbox").execute();
    }

    stub.state.failWith = 0;
    stub.state.delayMs = 1_500;
    const impatient = stubbedProvider({ timeoutMs: 200 });
    const id = await queue("slow@example.org");
    const started = Date.now();
    assert.equal(await deliverNextEmail(db, impatient), true);
    assert.ok(Date.now() - started < 1_400, "the send was abandoned at its timeout, not when the provider answered");
    const timedOut = await row(id);
    assert.equal(timedOut.status, "pending");
    assert.match(timedOut.last_error ?? "", /no answer within 0\.2 s/);
  });

  it("waits as long as a 429's Retry-After says, and tells the worker to pause", async () => {
    const id = await queue("limited@example.org");
    stub.state.failWith = 429;
    stub.state.retryAfter = "120";
    const before = Date.now();
    assert.deepEqual(await deliverNextEmail(db, provider), { rateLimitedForMs: 120_000 });
    const limited = await row(id);
    assert.equal(limited.status, "pending");
    const delay = limited.next_attempt_at.getTime() - before;
    assert.ok(delay >= 119_000 && delay <= 121_500, `retried after the 120 s asked, not ${delay} ms`);
  });

  it("gives up at once on a message the provider refuses as invalid (422)", async () => {
    const id = await queue("not-an-address@example.org");
    stub.state.failWith = 422;
    assert.equal(await deliverNextEmail(db, provider), true);
    const refused = await row(id);
    assert.equal(refused.status, "failed");
    assert.match(refused.last_error ?? "", /422 validation_error/);
  });

  it("the worker sends nothing more until a 429's Retry-After has passed, then sends the rest", async () => {
    const first = await queue("first@example.org");
    const second = await queue("second@example.org");
    stub.state.failWith = 429;
    stub.state.retryAfter = "1";
    const lines: string[] = [];
    const stop = startOutboxWorker(db, provider, { idleMs: 50, log: (line) => lines.push(line) });
    try {
      await until(() => stub.requests.length >= 1);
      stub.state.failWith = 0;
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(stub.requests.length, 1, "paused: the second message waited");
      await until(async () => (await row(first)).status === "sent" && (await row(second)).status === "sent", 5_000);
    } finally {
      await stop();
    }
    assert.ok(lines.some((line) => /pausing 1 s/.test(line)), lines.join("\n"));
  });

  it("never sends a message twice when two workers deliver at the same time", async () => {
    const ids: string[] = [];
    for (let n = 1; n <= 5; n++) ids.push(await queue(`person${n}@example.org`, `Message ${n}`));
    // The first send is held until the other worker sends too: under load, one worker could otherwise take all five first.
    stub.state.awaitInFlight = 2;
    const worker = async () => {
      let delivered = 0;
      while (await deliverNextEmail(db, provider)) delivered++;
      return delivered;
    };
    const delivered = await Promise.all([worker(), worker()]);
    assert.equal(delivered[0]! + delivered[1]!, 5);
    assert.ok(delivered[0]! > 0 && delivered[1]! > 0, `both workers took messages: ${delivered.join(", ")}`);
    assert.equal(stub.state.maxInFlight, 2, "the two workers were sending at the same moment");

    const perKey = new Map<string, number>();
    for (const request of stub.requests) {
      const key = String(request.headers["idempotency-key"]);
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    assert.deepEqual([...perKey.keys()].sort(), ids.map((id) => `outbox-${id}`).sort());
    assert.ok([...perKey.values()].every((count) => count === 1), JSON.stringify([...perKey]));
    const statuses = await db.selectFrom("outbox").select("status").execute();
    assert.deepEqual(statuses.map((s) => s.status), ["sent", "sent", "sent", "sent", "sent"]);
  });
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  for (const started = Date.now(); !(await condition()); ) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("retryAfterMs", () => {
  it("reads seconds and HTTP dates, and nothing else", () => {
    const now = Date.parse("2026-12-01T02:00:00Z");
    assert.equal(retryAfterMs("30", now), 30_000);
    assert.equal(retryAfterMs("Tue, 01 Dec 2026 02:01:00 GMT", now), 60_000);
    assert.equal(retryAfterMs("Tue, 01 Dec 2026 01:00:00 GMT", now), 0, "a date past is now");
    assert.equal(retryAfterMs("soon", now), undefined);
    assert.equal(retryAfterMs(undefined, now), undefined);
  });
});

describe("retryDelayMs", () => {
  const middle = () => 0.5;
  it("doubles from 30 seconds", () => {
    assert.equal(retryDelayMs(1, middle), 30_000);
    assert.equal(retryDelayMs(2, middle), 60_000);
    assert.equal(retryDelayMs(3, middle), 120_000);
    assert.equal(retryDelayMs(0, middle), 30_000);
  });
  it("never shrinks as attempts grow, and stops growing at one hour", () => {
    let previous = 0;
    for (let attempts = 1; attempts <= 40; attempts++) {
      const delay = retryDelayMs(attempts, middle);
      assert.ok(delay >= previous, `attempt ${attempts}`);
      assert.ok(delay <= 3_600_000, `attempt ${attempts}`);
      previous = delay;
    }
    assert.equal(retryDelayMs(8, middle), 3_600_000);
    assert.equal(retryDelayMs(1_000, middle), 3_600_000);
  });
  it("adds at most a quarter either way of jitter", () => {
    assert.equal(retryDelayMs(1, () => 0), 22_500);
    assert.ok(retryDelayMs(1, () => 0.999_999) <= 37_500);
    const longest = retryDelayMs(1_000, () => 0.999_999);
    assert.ok(longest > 4_400_000 && longest <= 4_500_000, String(longest));
    for (let n = 0; n < 100; n++) {
      const delay = retryDelayMs(3);
      assert.ok(delay >= 90_000 && delay <= 150_000, String(delay));
    }
  });
});

describe("enqueueEmails", async () => {
  const { db } = await freshDatabase();

  it("queues many emails in batches and gives each one's outbox id in the order asked, inside the caller's transaction", async () => {
    const emails = Array.from({ length: 1_203 }, (_, n) => ({
      to: `person-${n}@example.org`,
      template: "test",
      content: { subject: `Message ${n}`, html: `<p>${n}</p>`, text: String(n) },
    }));
    const ids = await db.transaction().execute((trx) => enqueueEmails(trx, emails));
    assert.equal(ids.length, emails.length);
    const rows = await db.selectFrom("outbox").select(["id", "to_address", "subject"]).where("template", "=", "test").execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    ids.forEach((id, n) => assert.deepEqual([byId.get(id)?.to_address, byId.get(id)?.subject], [`person-${n}@example.org`, `Message ${n}`]));

    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await enqueueEmails(trx, emails.slice(0, 3));
        throw new Error("the change fails");
      }),
    );
    assert.equal((await db.selectFrom("outbox").select("id").where("template", "=", "test").execute()).length, emails.length, "nothing queued when the change fails");
  });
});
