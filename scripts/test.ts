/**
 * `npm test`: the whole suite. Unit and integration tests (node's test runner) against a real
 * PostgreSQL, then the end-to-end suite (Playwright in Chromium) against the built app.
 * Without DATABASE_URL it starts an embedded PostgreSQL in a temporary folder; with it, it creates
 * (and drops) its databases on that server. `npm test -- unit db http e2e` runs some suites only.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createDatabase } from "../db/connection.server";
import { loadDemoData } from "../db/demo-data";
import { type EmbeddedServer, freePort, startEmbeddedPostgres } from "../db/embedded";
import { migrateToLatest } from "../db/migrate";
import { configuredDatabaseUrl } from "../db/settings";

const SUITES = ["unit", "db", "http", "e2e"] as const;
type Suite = (typeof SUITES)[number];
const requested = process.argv.slice(2).filter((arg): arg is Suite => (SUITES as readonly string[]).includes(arg));
const suites: Suite[] = requested.length ? requested : [...SUITES];
/** `npm test -- http test/http/calendar.test.ts` or `-- e2e e2e/browse.spec.ts` runs only the named files of the chosen suites. */
const onlyFiles = process.argv.slice(2).filter((arg) => arg.endsWith(".test.ts")).map((file) => path.normalize(file));
const onlySpecs = process.argv.slice(2).filter((arg) => arg.endsWith(".spec.ts"));

function testFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".test.ts"))
    .map((file) => path.join(folder, file))
    .sort();
}

function run(command: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function adminQuery(adminUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function main(): Promise<number> {
  const tempDir = mkdtempSync(path.join(os.tmpdir(), "meetings-test-"));
  let embedded: EmbeddedServer | null = null;
  let adminUrl = configuredDatabaseUrl();
  if (adminUrl) {
    console.log(`tests: using the PostgreSQL server at DATABASE_URL`);
  } else {
    embedded = await startEmbeddedPostgres(path.join(tempDir, "postgres"));
    adminUrl = embedded.url("postgres");
    console.log("tests: using an embedded PostgreSQL in a temporary folder");
  }
  const tag = `${process.pid}_${Date.now().toString(36)}`;
  const template = `meetings_template_${tag}`;
  const e2eDatabase = `meetings_e2e_${tag}`;
  const failures: string[] = [];
  try {
    await adminQuery(adminUrl, `create database "${template}"`);
    const templateDb = createDatabase(databaseUrl(adminUrl, template), 1);
    await migrateToLatest(templateDb);
    await templateDb.destroy();

    const env: Record<string, string> = {
      TEST_DATABASE_ADMIN_URL: adminUrl,
      TEST_DATABASE_TEMPLATE: template,
      DATA_DIR: path.join(tempDir, "data"),
      SESSION_SECRET: "test-session-secret-test-session-secret",
      APP_URL: "http://localhost:3000",
      DATABASE_URL: "",
      RESEND_API_KEY: "",
    };

    if (suites.includes("http") || suites.includes("e2e")) {
      if ((await run("npm", ["run", "build", "--silent"], {})) !== 0) return 1;
    }
    const nodeSuites = (["unit", "db", "http"] as const).filter((suite) => suites.includes(suite));
    const files = nodeSuites
      .flatMap((suite) => testFiles(path.join("test", suite)))
      .filter((file) => onlyFiles.length === 0 || onlyFiles.includes(file));
    if (nodeSuites.length) {
      if (files.length === 0) failures.push("no unit or integration test files found");
      else if ((await run(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", "--test-concurrency=2", ...files], env)) !== 0) {
        failures.push(`unit and integration tests (${nodeSuites.join(", ")})`);
      }
    }

    if (suites.includes("e2e")) {
      await adminQuery(adminUrl, `create database "${e2eDatabase}" template "${template}"`);
      const e2eUrl = databaseUrl(adminUrl, e2eDatabase);
      const seedDb = createDatabase(e2eUrl, 1);
      // The demo documents' files go to the store the e2e server reads (DATA_DIR), not ./.data.
      process.env.DATA_DIR = env.DATA_DIR;
      await loadDemoData(seedDb);
      await seedDb.destroy();
      const port = await freePort();
      const code = await run(path.resolve("node_modules/.bin/playwright"), ["test", ...onlySpecs], {
        ...env,
        E2E_DATABASE_URL: e2eUrl,
        E2E_PORT: String(port),
        APP_URL: `http://localhost:${port}`,
      });
      if (code !== 0) failures.push("end-to-end tests (Playwright)");
    }
  } finally {
    await adminQuery(adminUrl, `drop database if exists "${e2eDatabase}" with (force)`).catch(() => {});
    await adminQuery(adminUrl, `drop database if exists "${template}" with (force)`).catch(() => {});
    await embedded?.stop();
    rmSync(tempDir, { recursive: true, force: true });
  }
  if (failures.length) {
    console.error(`\nFAILED: ${failures.join("; ")}`);
    return 1;
  }
  console.log(`\nAll suites passed: ${suites.join(", ")}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
