import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import { after } from "node:test";
import { freePort } from "../../db/embedded";

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The bytes as sent, still encoded. */
  body: Buffer;
}

/**
 * The real server (`node scripts/start.mjs`, as `npm start`: production mode) on a free port against
 * the given database, stopped when the file's tests end; `get` sends a GET with exactly the given
 * headers and `post` a form, with node:http; neither decodes the body.
 */
export async function startServerProcess(databaseUrl: string, env: Record<string, string> = {}) {
  const port = await freePort();
  let output = "";
  const child: ChildProcess = spawn(process.execPath, ["scripts/start.mjs"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), DATABASE_URL: databaseUrl, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-4_000)));
  after(async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  });

  function send(method: string, pathname: string, headers: Record<string, string>, body?: string): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const request = http.request({ host: "127.0.0.1", port, path: pathname, method, headers, agent: false }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on("error", reject);
      });
      request.on("error", reject);
      request.end(body);
    });
  }

  const get = (pathname: string, headers: Record<string, string> = {}) => send("GET", pathname, headers);
  /** A form post (urlencoded) with these headers. */
  const post = (pathname: string, headers: Record<string, string>, body: string) =>
    send("POST", pathname, { "Content-Type": "application/x-www-form-urlencoded", ...headers }, body);

  for (const started = Date.now(); Date.now() - started < 120_000; ) {
    if (child.exitCode !== null) throw new Error(`the server stopped (exit ${child.exitCode}):\n${output}`);
    if (await get("/healthz").then((answer) => answer.status === 200, () => false)) return { port, child, get, post };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the server did not answer /healthz:\n${output}`);
}
