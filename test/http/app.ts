import assert from "node:assert/strict";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type ServerBuild, createRequestHandler } from "@remix-run/node";
import type { Kysely } from "kysely";
import { startSession } from "../../app/accounts/session.server";
import { withWebSecurity } from "../../app/lib/web-security.server";
import { loadDemoData } from "../../db/demo-data";
import type { Database, MeetingRole, UserRole } from "../../db/schema";
import { freshDatabase } from "../support/database";
import { registeredRedirect } from "../support/registration";

/** The built app (build/index.js) answering in this process, behind the cross-site check and security headers of server.ts. */
export async function builtApp() {
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  return { build, handler: withWebSecurity(createRequestHandler(build, "production")) };
}

/**
 * A file's own database with the demo data, and the built app (build/index.js) answering requests in
 * this process, behind the same cross-site check and security headers as in server.ts.
 */
export async function startApp() {
  const { db, url } = await freshDatabase();
  await loadDemoData(db);
  const { build, handler } = await builtApp();

  /**
   * Sends a request to the app and reads the body; every answer is checked for leaked stack traces.
   * `network` is the client's address as the server would pass it on (a documentation address unless given).
   */
  async function request(url: string, init: RequestInit & { cookie?: string | null; network?: string } = {}) {
    const { cookie, network = "192.0.2.1", ...rest } = init;
    const headers = new Headers(rest.headers);
    if (cookie) headers.set("Cookie", cookie);
    const response = await handler(new Request(new URL(url, "http://localhost:3000"), { ...rest, headers, redirect: "manual" }), { clientNetwork: network });
    const body = await response.text();
    assertNoStackTrace(body, `${rest.method ?? "GET"} ${url}`);
    return { status: response.status, headers: response.headers, body, json: () => JSON.parse(body) as unknown };
  }

  /** The thank-you page a registration's POST redirected to, opened as the browser would (with `cookie`, a session's, too). */
  async function thanksPage(answer: Awaited<ReturnType<typeof request>>, cookie?: string | null) {
    const thanks = registeredRedirect(answer);
    return request(thanks.location, { cookie: [cookie, thanks.cookie].filter(Boolean).join("; ") });
  }

  return { db, url, build, request, thanksPage };
}

/** An answer must never show a stack trace: no "at …" frames, no source paths with line numbers. */
export function assertNoStackTrace(body: string, what: string) {
  const frame =
    /\bat\s+(?:async\s+)?\S*\s*\(?(?:file:\/\/)?(?:\/|[A-Za-z]:\\)[^\s)]*:\d+(?::\d+)?\)?/.exec(body) ??
    /\bat\s+\S+\s+\((?:node:|file:|\/)[^)]*\)/.exec(body);
  if (frame) assert.fail(`${what}: a stack frame in the body: ${frame[0]}`);
  if (body.includes(process.cwd())) assert.fail(`${what}: a server path (${process.cwd()}) in the body`);
}

/** A user with the role, signed in: the `Cookie` header value that carries their session. */
export async function signedIn(db: Kysely<Database>, email: string, role: UserRole): Promise<{ userId: number; cookie: string }> {
  const user = await db
    .insertInto("users")
    .values({ email, role })
    .onConflict((oc) => oc.column("email").doUpdateSet({ role }))
    .returning("id")
    .executeTakeFirstOrThrow();
  const setCookie = await startSession(db, user.id);
  const cookie = setCookie.split(";")[0]!;
  assert.match(cookie, /^__session=.+/);
  return { userId: user.id, cookie };
}

/** A participant given a role in a meeting, signed in. */
export async function signedInWithMeetingRole(db: Kysely<Database>, email: string, meetingId: number, role: MeetingRole) {
  const session = await signedIn(db, email, "participant");
  await db
    .insertInto("meeting_roles")
    .values({ meeting_id: meetingId, user_id: session.userId, role, granted_by: null })
    .onConflict((oc) => oc.columns(["meeting_id", "user_id"]).doUpdateSet({ role }))
    .execute();
  return session;
}

/** Form fields for a valid new in-person meeting. */
export function meetingFields(overrides: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    intent: "save",
    title: "Subregional Workshop on Spectrum Policy",
    summary: "Regulators compare spectrum auctions.",
    organisingBody: "ESCAP",
    kind: "workshop",
    mode: "in_person",
    timezone: "Asia/Bangkok",
    startsOn: "2027-02-09",
    endsOn: "2027-02-10",
    programme: "apis-working-group-1-connectivity-for-all",
    venueName: "United Nations Conference Centre",
    venueCity: "Bangkok",
    venueCountry: "TH",
    registrationPolicy: "moderated",
    capacity: "50",
    ...overrides,
  });
}

/** Asserts that a page's body matches, failing with a short message rather than the whole page. */
export function assertBody(body: string, pattern: RegExp | string, message?: string) {
  const found = typeof pattern === "string" ? body.includes(pattern) : pattern.test(body);
  if (!found) assert.fail(`${message ? `${message}: ` : ""}${String(pattern)} not found in a body of ${body.length} characters`);
}
