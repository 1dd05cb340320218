/**
 * Start-up times as an operator sees them: `npm start`'s command with the build present, a fresh DATA_DIR and no DATABASE_URL (so the embedded PostgreSQL is
 * initialised, migrated and given the demo data) until `/` first answers 200; then SIGTERM and a
 * warm restart on the same DATA_DIR until `/` answers 200 again. Everything runs in a temporary
 * folder that is removed afterwards, on a free port.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../db/embedded";

export interface StartupResult {
  coldMs: number;
  warmMs: number;
}

const LIMIT_MS = 120_000;

/**
 * `npm start`'s command (package.json) as arguments to this Node, run without npm in between so
 * that the child's pid is the server's own (its memory is read from /proc).
 */
export function npmStartArguments(): string[] {
  const script = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: { start: string } }).scripts.start;
  const [program, ...args] = script.trim().split(/\s+/);
  if (program !== "node") throw new Error(`npm start runs "${script}"; the bench runs a node command only`);
  return args;
}

async function firstOk(url: string, server: ChildProcess, output: () => string): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < LIMIT_MS) {
    if (server.exitCode !== null) throw new Error(`the server stopped (exit ${server.exitCode}):\n${output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not answer 200 within ${LIMIT_MS / 1000} s:\n${output()}`);
}

async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  server.kill("SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
  if (server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
}

/** The embedded PostgreSQL a killed server may have left running: stopped by its pid file. */
function stopLeftoverPostgres(dataDir: string): void {
  const pidFile = path.join(dataDir, "postgres", "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    // already gone
  }
}

/** Cold then warm start; `register` is given a function that stops whatever is running (for the watchdog). */
export async function measureStartup(log: (line: string) => void, register: (cleanup: () => Promise<void>) => void): Promise<StartupResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "meetings-bench-start-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: String(port), APP_URL: base, DATA_DIR: dataDir, RESEND_API_KEY: "", DEV_MAILBOX: "" };
  delete env.DATABASE_URL;
  delete env.EMBEDDED_DATABASE_URL;
  delete env.SESSION_SECRET;
  let server: ChildProcess | null = null;
  let output = "";
  const cleanup = async () => {
    if (server) await stop(server);
    stopLeftoverPostgres(dataDir);
    await new Promise((resolve) => setTimeout(resolve, 500));
    rmSync(dataDir, { recursive: true, force: true });
  };
  register(cleanup);
  const start = async (): Promise<number> => {
    const started = performance.now();
    server = spawn(process.execPath, npmStartArguments(), { env, stdio: ["ignore", "pipe", "pipe"] });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-3_000);
    };
    server.stdout?.on("data", keep);
    server.stderr?.on("data", keep);
    await firstOk(`${base}/`, server, () => output);
    return Math.round(performance.now() - started);
  };
  try {
    log("start-up: cold (fresh DATA_DIR: initdb, migrations, demo data)");
    const coldMs = await start();
    await stop(server!);
    log("start-up: warm restart");
    const warmMs = await start();
    return { coldMs, warmMs };
  } finally {
    await cleanup();
  }
}
