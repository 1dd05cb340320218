import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { type Database, PUBLIC_MEETING_STATUSES } from "../../db/schema";
import { type HeaderUser, carriesSession, headerUser, signedInUser } from "~/accounts/session.server";
import { anonymousDownload, notModifiedFile, parseDownloadQuery } from "~/documents/downloads.server";
import { clientHolds, pageTag } from "~/lib/conditional-requests.server";
import { recordId } from "~/lib/form";
import { type HeaderReader, type PlainAnswer, type PlainRequest, answerResponse } from "~/lib/plain-answer.server";
import { meetingsLastChange } from "./meetings.server";
import { RenderCache, cutAt } from "~/lib/render-cache.server";
import { newScriptNonce } from "~/lib/web-security.server";

/**
 * The public answers that cost the most to make, as anonymous visitors get them, kept rendered:
 * the 300-item agenda of a conference is half a megabyte of HTML that takes tens of milliseconds of
 * CPU to render, the API's meeting (with its agenda and documents) takes five queries, a list of
 * meetings, a meeting's page or its documents takes a few milliseconds to render, and so does the
 * registration form (its lists of countries and zones are 700 options) that everyone opens when a
 * popular workshop opens registration; and everyone not signed in gets the same bytes. A kept
 * answer is named by a version of what it shows, by the build and by the address. The public
 * calendar feeds are kept too: calendar clients poll them around the clock, mostly to be told they
 * are unchanged. So is which file a public paper's download address names, to tell a visitor who
 * has it that it is unchanged. Lists of meetings and a meeting's page are the same for signed-in
 * visitors but for the header: theirs are kept rendered for a stand-in, whose address is replaced by
 * theirs in each answer. Other pages of signed-in visitors (their stars, their documents, their
 * registration form) and addresses with other parameters are answered as before.
 */

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Set only while a page kept for signed-in visitors is rendered: the stand-in its header shows. */
    keptPageVisitor?: HeaderUser;
  }
}
const SLUG = "([a-z0-9]+(?:-[a-z0-9]+)*)";
const LIST_PARAMS = new Set(["kind", "programme", "q", "past", "page"]);
/** How long a kept answer that shows what time changes may show it as it was. */
const FRESH_MS = 10_000;

interface KeptAddress {
  path: RegExp;
  params: ReadonlySet<string>;
  version: (db: Kysely<Database>, slug: string | undefined, now: Date) => Promise<string | null>;
  /** Whether its page is the same for signed-in visitors but for the header (its loader does not ask who asks). */
  keptWhenSignedIn?: true;
}

const KEPT_ADDRESSES: KeptAddress[] = [
  { path: new RegExp(`^/meetings/${SLUG}$`), params: new Set(), version: meetingPageVersion, keptWhenSignedIn: true },
  { path: new RegExp(`^/meetings/${SLUG}/agenda$`), params: new Set(["tz", "view"]), version: meetingVersion },
  { path: new RegExp(`^/meetings/${SLUG}/documents$`), params: new Set(), version: meetingVersion },
  { path: new RegExp(`^/meetings/${SLUG}/register$`), params: new Set(), version: meetingVersion },
  { path: new RegExp(`^/api/v1/meetings/${SLUG}$`), params: new Set(), version: meetingVersion },
  { path: /^\/(?:meetings)?$/, params: LIST_PARAMS, version: listVersion, keptWhenSignedIn: true },
  { path: new RegExp(`^/meetings/${SLUG}/calendar\\.ics$`), params: new Set(["item"]), version: meetingCalendarVersion },
  { path: /^\/calendar\.ics$/, params: new Set(["kind", "programme"]), version: calendarVersion },
];

/**
 * A meeting's pages: its page version (kept by database triggers: any change to the meeting, its
 * counts, programme, rooms, items, people, documents or registration questions changes it) and
 * which of its registration dates and end have passed (its header, its registration form and the
 * API say whether registration is open). Unknown meetings and drafts are not kept (their 404 is
 * answered as before).
 */
async function meetingVersion(db: Kysely<Database>, slug: string | undefined, now: Date): Promise<string | null> {
  const meeting = await db
    .selectFrom("meetings")
    .select(["id", "page_version", "registration_opens_at", "registration_closes_at", "ends_at"])
    .where("slug", "=", slug ?? "")
    .where("status", "in", PUBLIC_MEETING_STATUSES)
    .executeTakeFirst();
  if (!meeting) return null;
  const passed = [meeting.registration_opens_at, meeting.registration_closes_at, meeting.ends_at].map((at) => (at && at <= now ? 1 : 0)).join("");
  return `${meeting.id}:${meeting.page_version}:${passed}`;
}

/**
 * A meeting's own page also shows, while the meeting runs, what is on now and next, and after it
 * the participation figures (from check-ins): its version also holds the time to ten seconds.
 */
async function meetingPageVersion(db: Kysely<Database>, slug: string | undefined, now: Date): Promise<string | null> {
  const version = await meetingVersion(db, slug, now);
  return version && `${version}:${Math.floor(now.getTime() / FRESH_MS)}`;
}

/**
 * Lists of meetings: the latest change to any meeting or programme, so that an edit, a publication
 * or a cancellation is listed at once; and the time to ten seconds, since registration counts and
 * dates that pass (a meeting ending, registration opening) change a list without changing a row's
 * `updated_at`: those are listed within ten seconds.
 */
async function listVersion(db: Kysely<Database>, _slug: string | undefined, now: Date): Promise<string> {
  return `${(await meetingsLastChange(db)).getTime()}:${Math.floor(now.getTime() / FRESH_MS)}`;
}

/** Feeds also change with the day (UTC, as their own versions do): they drop old items and meetings. */
function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** A meeting's feed: the meeting's version (its row and agenda, as its page) and the day. */
async function meetingCalendarVersion(db: Kysely<Database>, slug: string | undefined, now: Date): Promise<string | null> {
  const version = await meetingVersion(db, slug, now);
  return version && `${version}:${today(now)}`;
}

/** The feed of all meetings: the latest change to any meeting or programme (no counts: none is shown), and the day. */
async function calendarVersion(db: Kysely<Database>, _slug: string | undefined, now: Date): Promise<string> {
  return `${(await meetingsLastChange(db)).getTime()}:${today(now)}`;
}

const DOWNLOAD_PATH = new RegExp(`^/meetings/${SLUG}/documents/([^/]+)$`);

/**
 * The stored bytes (content key) each public paper's download address names, kept by its meeting's
 * version (a change to a document or its files changes it); null for an address that is not a public
 * paper's file. Small: a key and a few dozen bytes each.
 */
const keptDownloads = new RenderCache<{ contentKey: string | null }>(4 * 1024 * 1024, 5 * 60_000, () => 200);

/**
 * An anonymous visitor's "unchanged" for a public paper, answered before Remix (on Node's own
 * request and response) from the one small query that names the meeting's version: downloads are
 * `no-cache`, so every reopening of a paper asks again. It is the download route's own 304; every
 * other request (signed-in visitors, papers that are not public, unknown ones, malformed
 * addresses, a file that did change) is the route's.
 */
export async function unchangedPublicDownload(db: Kysely<Database>, request: PlainRequest, now: Date = new Date()): Promise<PlainAnswer | null> {
  if ((request.method !== "GET" && request.method !== "HEAD") || request.headers.get("If-None-Match") === null || carriesSession(request)) return null;
  const url = new URL(request.path, "http://localhost");
  const path = DOWNLOAD_PATH.exec(url.pathname);
  if (!path) return null;
  const id = recordId.safeParse(path[2]);
  const query = parseDownloadQuery(url);
  if (!id.success || !query.success) return null;
  const version = await meetingVersion(db, path[1], now);
  if (version === null) return null;
  const kept = await keptDownloads.get(`${version}:${url.pathname}${url.search}`, async () => {
    const file = await anonymousDownload(db, path[1]!, id.data, query.data);
    return { contentKey: file?.content_key ?? null };
  });
  return kept.contentKey === null ? null : notModifiedFile(request.headers, { content_key: kept.contentKey }, true);
}

/**
 * A rendered answer, its body cut where its script nonce was (each answer gets a nonce of its own:
 * a nonce served twice would be one an injected script could learn and carry) and, in a page kept
 * for signed-in visitors, where the stand-in's address was.
 */
interface KeptAnswer {
  status: number;
  headers: [string, string][];
  /** The body's parts between its holes; one part when it has none. */
  parts: Buffer[];
  /** What goes between each part and the next. */
  holes: Hole[];
  nonce: string | null;
  bytes: number;
}

type Hole = "nonce" | "email";

/**
 * Who a page kept for signed-in visitors is rendered for: an address no one has, different in each
 * process, of the characters the visitors' own addresses are limited to.
 */
const STAND_IN_EMAIL = `visitor-${randomBytes(9).toString("hex")}@kept-page.invalid`;

/**
 * Addresses written alike in HTML and in the page's JSON (neither escapes any of these characters):
 * the stand-in's place in a kept page takes such an address as it is. Others are rendered afresh.
 */
const PLAIN_EMAIL = /^[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+$/;

/** Which kept answer a request is, and the signed-in visitor whose address it shows (null: anonymous). */
export interface KeptAnswerName {
  key: string;
  visitor: HeaderUser | null;
}

/** 48 MB: about ninety 300-item agendas, or every zone asked of the busiest few. */
const keptAnswers = new RenderCache<KeptAnswer>(
  48 * 1024 * 1024,
  5 * 60_000,
  (page) => page.bytes,
  (page) => page.status === 200 && !page.headers.some(([name]) => name === "set-cookie"),
);

/** A GET of a kept address: the address, the slug it names and the URL asked. */
interface KeptRequest {
  address: KeptAddress;
  slug: string | undefined;
  url: URL;
}

/**
 * The kept address a GET of this URL (or path) names; on every GET, so the patterns are tried until
 * one matches. Null when it is not one, or has a parameter it does not take.
 */
function keptAddress(requestUrl: string): KeptRequest | null {
  const url = new URL(requestUrl, "http://localhost");
  for (const address of KEPT_ADDRESSES) {
    const match = address.path.exec(url.pathname);
    if (!match) continue;
    for (const name of url.searchParams.keys()) if (!address.params.has(name)) return null;
    return { address, slug: match[1], url };
  }
  return null;
}

/** The name of the kept answer to this request, or null when it is not one that is kept. */
export async function keptAnswerKey(db: Kysely<Database>, request: Request, build: string, now: Date = new Date()): Promise<KeptAnswerName | null> {
  if (request.method !== "GET") return null;
  const kept = keptAddress(request.url);
  if (!kept) return null;
  let visitor: HeaderUser | null = null;
  if (carriesSession(request)) {
    if (!kept.address.keptWhenSignedIn) return null;
    // A cookie that names no session (expired, signed out) is the route's to answer.
    const user = await signedInUser(request);
    if (!user || !PLAIN_EMAIL.test(user.email)) return null;
    visitor = headerUser(user);
  }
  return keptAnswerName(db, kept, visitor, build, now);
}

async function keptAnswerName(db: Kysely<Database>, kept: KeptRequest, visitor: HeaderUser | null, build: string, now: Date): Promise<KeptAnswerName | null> {
  const version = await kept.address.version(db, kept.slug, now);
  if (version === null) return null;
  const header = visitor ? `:signed-in${visitor.organiser ? ":organiser" : ""}` : "";
  return { key: `${build}:${version}:${kept.url.pathname}${kept.url.search}${header}`, visitor };
}

/**
 * The answer from memory, or made by `render` and kept. The render is asked without the visitor's
 * cookies (a signed-in visitor's page is rendered for the stand-in) and conditional headers, so that
 * it is the whole answer; the visitor's `If-None-Match` (or `If-Modified-Since`) is then answered here.
 */
export async function keptAnswer(request: Request, { key, visitor }: KeptAnswerName, render: (request: Request, standIn: HeaderUser | null) => Promise<Response>): Promise<Response> {
  const page = await keptAnswers.get(key, async () => {
    const headers = new Headers(request.headers);
    for (const name of ["Cookie", "If-None-Match", "If-Modified-Since"]) headers.delete(name);
    const standIn = visitor && { ...visitor, email: STAND_IN_EMAIL };
    return keptAnswerOf(await render(new Request(request.url, { method: "GET", headers }), standIn));
  });
  return answerResponse(answerFromKept(page, visitor, request.headers));
}

/**
 * An anonymous visitor's GET of an answer kept already, which server.ts writes on Node's own
 * request and response. Null for every other request (signed-in visitors, answers not kept yet,
 * other addresses): the Fetch path answers it, and keeps what it renders.
 */
export async function anonymousKeptAnswer(db: Kysely<Database>, request: PlainRequest, build: string, now: Date = new Date()): Promise<PlainAnswer | null> {
  if (request.method !== "GET" || carriesSession(request)) return null;
  const kept = keptAddress(request.path);
  const name = kept && (await keptAnswerName(db, kept, null, build, now));
  const page = name && keptAnswers.kept(name.key);
  return page ? answerFromKept(page.value, null, request.headers) : null;
}

/** A kept answer as this request gets it: 304 when the visitor holds it, else with a nonce and their address in its holes. */
function answerFromKept(page: KeptAnswer, visitor: HeaderUser | null, requestHeaders: HeaderReader): PlainAnswer {
  // The kept headers' names are lower case, as a Response gives them.
  const headers = Object.fromEntries(page.headers);
  const email = Buffer.from(visitor?.email ?? "", "utf8");
  if (visitor) {
    // The tag the route would give this visitor's page: its HTML but for the nonce (entry.server.tsx).
    // Only the tag tells one visitor's page from another's: a date could not.
    headers.etag = `W/${pageTag(filled(page, { nonce: Buffer.alloc(0), email }))}`;
    delete headers["last-modified"];
  }
  const lastModified = headers["last-modified"];
  if (page.status === 200 && clientHolds(requestHeaders, { etag: headers.etag?.replace(/^W\//, "") ?? null, lastModified: lastModified ? new Date(lastModified) : null })) {
    // As a rendered page's 304: no body, and no policy (the browser keeps the page it has with its own).
    for (const name of ["content-type", "content-security-policy"]) delete headers[name];
    return { status: 304, headers, body: [] };
  }
  const nonce = page.nonce ? newScriptNonce() : "";
  if (page.nonce) headers["content-security-policy"] = headers["content-security-policy"]!.replaceAll(page.nonce, nonce);
  return { status: page.status, headers, body: filled(page, { nonce: Buffer.from(nonce, "utf8"), email }) };
}

async function keptAnswerOf(response: Response): Promise<KeptAnswer> {
  const body = Buffer.from(await response.arrayBuffer());
  const nonce = /'nonce-([^']+)'/.exec(response.headers.get("Content-Security-Policy") ?? "")?.[1] ?? null;
  // Its length is not kept: each answer's is that of its own parts (plain-answer.server.ts gives it).
  const headers = [...response.headers].filter(([name]) => name !== "content-length");
  return { status: response.status, headers, ...cutAt(body, { nonce, email: STAND_IN_EMAIL }), nonce, bytes: body.length };
}

/** The kept body with this answer's nonce and visitor in its holes. */
function filled(page: KeptAnswer, values: Record<Hole, Buffer>): Buffer[] {
  return page.parts.flatMap((part, index) => (index === 0 ? [part] : [values[page.holes[index - 1]!], part]));
}
