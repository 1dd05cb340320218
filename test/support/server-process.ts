import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import { after } from "node:test";
import { freePort } from "../../db/embedded";

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The bytes as sent, still encoded (compressed bodies are read from these). */
  bytes: Buffer;
}

/** One request on its own connection, with exactly these headers. */
export function rawRequest(port: number, pathname: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, path: pathname, method: options.method ?? "GET", headers: options.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: bytes.toString("utf8"), bytes });
      });
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(options.body);
  });
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** The last of what it wrote (stdout and stderr). */
  output(): string;
  get(pathname: string, headers?: Record<string, string>): Promise<RawAnswer>;
  /** A form post (urlencoded) with these headers. */
  post(pathname: string, headers: Record<string, string>, body: string): Promise<RawAnswer>;
  /** Resolves with the exit code (null when killed by a signal) once it has exited. */
  exited: Promise<number | null>;
}

/**
 * The real server (`node scripts/start.mjs`, as `npm start`) on a free port with these settings
 * added to the test's environment, once it answers /healthz with 200. Stopped with SIGTERM when the
 * test file ends, if still running.
 */
export async function startServerProcess(env: Record<string, string>, options: { port?: number } = {}): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  let output = "";
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), APP_URL: `http://localhost:${port}`, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-20_000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  after(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    await exited;
  });
  const server: ServerProcess = {
    child,
    port,
    output: () => output,
    get: (pathname, headers) => rawRequest(port, pathname, { headers }),
    post: (pathname, headers, body) => rawRequest(port, pathname, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers }, body }),
    exited,
  };
  for (const started = Date.now(); Date.now() - started < 120_000; ) {
    if (child.exitCode !== null) throw new Error(`the server stopped (exit ${child.exitCode}):\n${output}`);
    if (await server.get("/healthz").then((answer) => answer.status === 200, () => false)) return server;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the server did not answer /healthz:\n${output}`);
}

/** Waits until `condition` holds, checking every 50 ms; fails after `timeoutMs` saying what was awaited. */
export async function eventually(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  for (const started = Date.now(); !(await condition()); ) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
