import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { staticFiles } from "../../app/lib/static-files.server";

/** The static files handler as server.ts uses it (production mode: the files are listed once, at start). */
describe("static files", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "static-files-"));
  mkdirSync(path.join(dir, "build"));
  writeFileSync(path.join(dir, "build", "entry-AAAA.js"), "console.log('old build');");
  writeFileSync(path.join(dir, "build", "entry-BBBB.js"), "console.log('also old');");
  const logged: string[] = [];
  const assets = staticFiles(dir, { etag: true }, (line) => logged.push(line));
  const server = http.createServer((req, res) => assets(req, res, () => res.writeHead(404).end("not a file")));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves a file, and passes on what is not one", async () => {
    const file = await fetch(`${base}/build/entry-AAAA.js`);
    assert.equal(file.status, 200);
    assert.equal(await file.text(), "console.log('old build');");
    const other = await fetch(`${base}/meetings`);
    assert.equal(other.status, 404);
    assert.equal(await other.text(), "not a file");
  });

  it("survives a file deleted under it (a new build): that response is cut short and logged, the next ones are served", async () => {
    rmSync(path.join(dir, "build", "entry-BBBB.js"));
    // Without the guard the read stream's ENOENT is unhandled and ends this very process.
    await assert.rejects(fetch(`${base}/build/entry-BBBB.js`).then((response) => response.text()));
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /static file for \/build\/entry-BBBB\.js could not be read \(ENOENT\)/);
    const still = await fetch(`${base}/build/entry-AAAA.js`);
    assert.equal(still.status, 200);
    assert.equal(await still.text(), "console.log('old build');");
  });
});

