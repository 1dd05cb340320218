import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import http from "node:http";
import { after, describe, it } from "node:test";
import { freePort } from "../../db/embedded";
import { freshDatabase } from "../support/database";

/**
 * Which network a request counts against, through the real server (`node scripts/start.mjs`, as
 * `npm start`) on a free port against this file's database: the socket's peer, or behind a trusted
 * proxy the `X-Forwarded-For` entry it added, never one the client wrote.
 */

const { url } = await freshDatabase();
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
let output = "";
const server = spawn(process.execPath, ["scripts/start.mjs"], {
  env: { ...process.env, NODE_ENV: "production", PORT: String(port), APP_URL: origin, DATABASE_URL: url, TRUST_PROXY: "1", SIGN_IN_LINKS_PER_IP_PER_HOUR: "2" },
  stdio: ["ignore", "pipe", "pipe"],
});
for (const stream of [server.stdout, server.stderr]) stream?.on("data", (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-8_000)));
after(async () => {
  if (server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  await exited;
});

/** Asks for a sign-in link for a new address, as sent through a proxy (`forwardedFor`) or not. */
let asked = 0;
function askForLink(forwardedFor?: string): Promise<{ status: number; retryAfter: string | undefined }> {
  const body = new URLSearchParams({ email: `person${asked++}@example.org` }).toString();
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(Buffer.byteLength(body)), Origin: origin };
  if (forwardedFor) headers["X-Forwarded-For"] = forwardedFor;
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, path: "/login", method: "POST", headers, agent: false }, (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers["retry-after"] }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

async function untilHealthy() {
  for (const started = Date.now(); Date.now() - started < 120_000; ) {
    if (server.exitCode !== null) throw new Error(`the server stopped (exit ${server.exitCode}):\n${output}`);
    const healthy = await fetch(`${origin}/healthz`).then((answer) => answer.ok, () => false);
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the server did not answer /healthz:\n${output}`);
}

describe("the client's network through the server", async () => {
  await untilHealthy();

  it("says at start-up which limits are in force", () => {
    assert.match(output, /rate limits per hour: 5 sign-in links per address, 2 per network;/);
  });

  it("is the socket's peer without X-Forwarded-For, and the entry the proxy added with it", async () => {
    assert.equal((await askForLink()).status, 200);
    assert.equal((await askForLink()).status, 200);
    const refused = await askForLink();
    assert.equal(refused.status, 429, "the third from 127.0.0.1");
    assert.match(refused.retryAfter ?? "", /^\d+$/);
    assert.equal((await askForLink("203.0.113.5")).status, 200, "a client behind the proxy is another network");
    assert.equal((await askForLink("6.6.6.6, 203.0.113.5")).status, 200);
    assert.equal((await askForLink("7.7.7.7, 203.0.113.5")).status, 429, "what the client wrote left of the proxy's entry changes nothing");
  });
});
