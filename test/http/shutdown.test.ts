import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { createDatabase } from "../../db/connection.server";
import { startEmbeddedPostgres } from "../../db/embedded";
import { registeredRedirect, registrationBody } from "../support/registration";
import { startResendStub } from "../support/resend-stub";
import { eventually, rawRequest, startServerProcess } from "../support/server-process";

/**
 * SIGTERM to the real server running its own embedded PostgreSQL (a fresh DATA_DIR) and sending
 * mail through a local stand-in for Resend: it stops accepting connections, finishes the request in
 * flight and the email being sent, stops the embedded database, and exits 0.
 */

const WORKSHOP = "regional-workshop-on-rural-connectivity-and-community-networks";
const FORM = "application/x-www-form-urlencoded";

describe("stopping the server: SIGTERM, and SIGKILL then a restart", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "meetings-shutdown-"));
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  const stub = await startResendStub();
  after(() => stub.close());
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  // The first email is held at the provider until the test lets it go: the worker is mid-send at SIGTERM.
  stub.hooks.onRequest = () => held;
  const server = await startServerProcess({ DATA_DIR: dataDir, DATABASE_URL: "", RESEND_API_KEY: "re_test_key", RESEND_BASE_URL: stub.url, MAIL_FROM: "Meetings <meetings@example.org>" });
  const pidFile = path.join(dataDir, "postgres", "postmaster.pid");

  it("finishes the request in flight and the email being sent, refuses new connections, stops the database and exits 0", async () => {
    assert.ok(existsSync(pidFile), "the embedded PostgreSQL runs in DATA_DIR");
    const first = await rawRequest(server.port, `/meetings/${WORKSHOP}/register`, {
      method: "POST",
      headers: { "Content-Type": FORM },
      body: registrationBody({ email: "before-the-signal@example.org" }).toString(),
    });
    registeredRedirect(first);
    await eventually("the worker sends the first email", () => stub.requests.length === 1, 15_000);

    // A registration whose body is still arriving when the signal comes.
    const body = Buffer.from(registrationBody({ email: "in-flight@example.org" }).toString());
    const slow = http.request({ host: "127.0.0.1", port: server.port, method: "POST", path: `/meetings/${WORKSHOP}/register`, headers: { "Content-Type": FORM, "Content-Length": String(body.length) } });
    const answered = new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      slow.on("response", (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
      });
      slow.on("error", reject);
    });
    slow.write(body.subarray(0, 40));
    await new Promise((resolve) => setTimeout(resolve, 200));

    server.child.kill("SIGTERM");
    await eventually("new connections are refused", () => server.get("/healthz").then(() => false, (error: NodeJS.ErrnoException) => error.code === "ECONNREFUSED"), 5_000);
    assert.equal(server.child.exitCode, null, "still running: a request and a send are in flight");

    slow.end(body.subarray(40));
    registeredRedirect(await answered);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(server.child.exitCode, null, "still running: the worker is sending");
    release();

    assert.equal(await server.exited, 0, server.output());
    assert.ok(!existsSync(pidFile), "the embedded PostgreSQL stopped (its postmaster.pid is gone)");
    assert.match(server.output(), /SIGTERM: finishing requests in flight/);
    assert.deepEqual(stub.delivered.length, 1, "the worker took no new message after the signal");

    // The database, started again, holds both registrations; the email being sent at the signal is marked sent, the later one waits in the outbox.
    const embedded = await startEmbeddedPostgres(path.join(dataDir, "postgres"));
    const db = createDatabase(embedded.url("meetings"), 1);
    try {
      const mail = await db.selectFrom("outbox").select(["id", "to_address", "status"]).where("template", "=", "registration-received").orderBy("id").execute();
      assert.deepEqual(
        mail.map((row) => [row.to_address, row.status]),
        [
          ["before-the-signal@example.org", "sent"],
          ["in-flight@example.org", "pending"],
        ],
      );
      assert.deepEqual(stub.delivered, [`outbox-${mail[0]!.id}`]);
    } finally {
      await db.destroy();
      await embedded.stop();
    }
  });

  it("starts again on the same data after a SIGKILL, which leaves the embedded PostgreSQL running", async () => {
    const killed = await startServerProcess({ DATA_DIR: dataDir, DATABASE_URL: "" });
    const orphan = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    killed.child.kill("SIGKILL");
    assert.equal(await killed.exited, null);
    assert.doesNotThrow(() => process.kill(orphan, 0), "the killed app's PostgreSQL still runs");

    const again = await startServerProcess({ DATA_DIR: dataDir, DATABASE_URL: "" });
    assert.equal((await again.get(`/meetings/${WORKSHOP}`)).status, 200);
    again.child.kill("SIGTERM");
    assert.equal(await again.exited, 0, again.output());
    assert.ok(!existsSync(pidFile), "stopped cleanly");
  });
});
