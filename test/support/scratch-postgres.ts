import { execFileSync, spawn } from "node:child_process";
import { chown, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "../../db/embedded";

/**
 * A throwaway PostgreSQL server run from an installed version's own binaries (`initdb` and
 * `postgres` in `bin`), trusting connections on loopback; its files are deleted when it stops. For
 * the backup test when the test server is newer than every installed pg_dump. PostgreSQL refuses to
 * run as root: as root it runs as the machine's `postgres` user.
 */
export async function startScratchPostgres(bin: string): Promise<{ adminUrl: string; stop(): Promise<void> }> {
  const owner: { uid?: number; gid?: number } = process.getuid?.() === 0 ? postgresUser() : {};
  const dir = await mkdtemp(path.join(os.tmpdir(), "meetings-scratch-pg-"));
  if (owner.uid !== undefined && owner.gid !== undefined) await chown(dir, owner.uid, owner.gid);
  const data = path.join(dir, "data");
  execFileSync(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C"], { ...owner, stdio: "ignore" });
  const port = await freePort();
  const server = spawn(path.join(bin, "postgres"), ["-D", data, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="], {
    ...owner,
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await untilAccepting(adminUrl);
  return {
    adminUrl,
    async stop() {
      server.kill("SIGINT");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  try {
    return { uid: Number(execFileSync("id", ["-u", "postgres"]).toString()), gid: Number(execFileSync("id", ["-g", "postgres"]).toString()) };
  } catch {
    throw new Error("Running as root, a scratch PostgreSQL needs the machine's `postgres` user to run as.");
  }
}

async function untilAccepting(url: string): Promise<void> {
  for (let tries = 0; ; tries++) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (tries >= 150) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
