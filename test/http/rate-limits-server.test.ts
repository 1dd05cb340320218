import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { freshDatabase } from "../support/database";
import { startServerProcess } from "../support/server-process";

/**
 * Which network a request counts against, through the real server (`node scripts/start.mjs`, as
 * `npm start`) on a free port against this file's database: the socket's peer, or behind a trusted
 * proxy the `X-Forwarded-For` entry it added, never one the client wrote.
 */

const { url } = await freshDatabase();
const server = await startServerProcess({ DATABASE_URL: url, TRUST_PROXY: "1", SIGN_IN_LINKS_PER_IP_PER_HOUR: "2" });

/** Asks for a sign-in link for a new address, as sent through a proxy (`forwardedFor`) or not. */
let asked = 0;
async function askForLink(forwardedFor?: string): Promise<{ status: number; retryAfter: string | undefined }> {
  const body = new URLSearchParams({ email: `person${asked++}@example.org` }).toString();
  const headers: Record<string, string> = { Origin: `http://localhost:${server.port}` };
  if (forwardedFor) headers["X-Forwarded-For"] = forwardedFor;
  const answer = await server.post("/login", headers, body);
  return { status: answer.status, retryAfter: answer.headers["retry-after"] as string | undefined };
}

describe("the client's network through the server", () => {
  it("says at start-up which limits are in force", () => {
    assert.match(server.output(), /rate limits per hour: 5 sign-in links per address, 2 per network;/);
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
