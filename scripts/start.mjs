/**
 * `npm start`: builds the app when its production build is missing or older than the sources, then
 * runs the server (build/server.js, server.ts bundled) in this process with plain Node. The server
 * is compiled rather than run through tsx, whose loader thread and transpiled-module copies cost
 * about 110 MB of memory for as long as the server runs.
 *
 * Plain JavaScript on purpose: it runs before anything is compiled.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildSync } from "esbuild";

const APP_BUILD = path.resolve("build/index.js");
const SERVER_BUILD = path.resolve("build/server.js");
const SOURCES = ["app", "db", "emails", "server.ts", "remix.config.js", "package.json", "tsconfig.json"];

function log(line) {
  console.log(`[${new Date().toISOString()}] ${line}`);
}

/** @param {string} entry */
function newestChange(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(entry).map((child) => newestChange(path.join(entry, child))));
}

/** When both halves of a production build were made; 0 when one is missing (`npm run dev` leaves a development app build in the same place). */
function productionBuildTime() {
  if (!existsSync(APP_BUILD) || !existsSync(SERVER_BUILD)) return 0;
  if (!/\bmode = "production"/.test(readFileSync(APP_BUILD, "utf8"))) return 0;
  return Math.min(statSync(APP_BUILD).mtimeMs, statSync(SERVER_BUILD).mtimeMs);
}

/** The server entry for plain Node: our own modules bundled, packages imported from node_modules. */
function buildServer() {
  buildSync({
    entryPoints: ["server.ts"],
    outfile: SERVER_BUILD,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
}

function ensureBuild() {
  const built = productionBuildTime();
  if (built && Math.max(...SOURCES.map(newestChange)) <= built) return;
  log(built ? "sources changed since the last build: building" : "no production build: building");
  const app = spawnSync(path.resolve("node_modules/.bin/remix"), ["build"], { stdio: "inherit" });
  if (app.status !== 0) throw new Error("`remix build` failed; see above.");
  buildServer();
}

if (process.argv[2] === "--build-only") {
  buildServer();
} else {
  process.env.NODE_ENV ??= "production";
  ensureBuild();
  await import(pathToFileURL(SERVER_BUILD).href);
}
