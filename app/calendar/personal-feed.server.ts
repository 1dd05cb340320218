import { randomBytes } from "node:crypto";
import { type Kysely, type Transaction, sql } from "kysely";
import type { Database, FeedScope } from "../../db/schema";
import { derivedSecretToken, hashSecretToken, looksLikeSecretToken } from "~/accounts/secret-token.server";
import { listCalendarAgendaItems } from "~/agenda/agenda-calendar.server";
import { starredItemRefs } from "~/agenda/stars.server";
import { listMeetingsByIds } from "~/meetings/meetings.server";
import { limitFeedRequests, retryAfterHeaders } from "~/rate-limits/rate-limits.server";
import { confirmedMeetingIds } from "~/registration/registrations.server";
import { feedCache } from "./feed-cache.server";
import type { HeaderReader, PlainAnswer, PlainRequest } from "~/lib/plain-answer.server";
import { type CalendarContent, type FeedVersion, calendarAnswer, feedVersion, feedWindowStart, notModified, renderCalendar } from "./feeds.server";

/**
 * A person's private calendar feed at `/feeds/:token/calendar.ics`: the meetings they are
 * confirmed for with their agendas, or only the items they starred, of the meetings in the feeds'
 * window (the last twelve months and ahead: a delegate of many years polls a feed of one). The
 * token (256 bits) is derived from a random salt, so /my can show the address again, and only its
 * hash is kept; a new salt retires the old address at once.
 */

type Executor = Kysely<Database> | Transaction<Database>;

export interface FeedOwner {
  userId: number;
  email: string;
  scope: FeedScope;
}

const PURPOSE = "calendar-feed";

/** Issues (or replaces, retiring the old address) the person's feed secret. */
export async function issueFeedToken(db: Executor, userId: number): Promise<string> {
  const salt = randomBytes(16);
  const token = derivedSecretToken(PURPOSE, userId, salt);
  await db.updateTable("users").set({ feed_salt: salt, feed_token_hash: hashSecretToken(token) }).where("id", "=", userId).execute();
  return token;
}

/** Turns the feed off: its address answers 404 from now on. */
export async function revokeFeedToken(db: Executor, userId: number): Promise<void> {
  await db.updateTable("users").set({ feed_salt: null, feed_token_hash: null }).where("id", "=", userId).execute();
}

export async function setFeedScope(db: Executor, userId: number, scope: FeedScope): Promise<void> {
  await db.updateTable("users").set({ feed_scope: scope }).where("id", "=", userId).execute();
}

/** The person's feed secret if they have a feed (for its address at /my), and what it shows. */
export async function feedSettings(db: Executor, userId: number): Promise<{ token: string | null; scope: FeedScope }> {
  const row = await db.selectFrom("users").select(["feed_salt", "feed_scope"]).where("id", "=", userId).executeTakeFirstOrThrow();
  return { token: row.feed_salt ? derivedSecretToken(PURPOSE, userId, row.feed_salt) : null, scope: row.feed_scope };
}

/**
 * The feed's owner and its current version, in one small query (calendar clients poll forever:
 * an unchanged feed is answered from this alone). Null for an unknown or retired token.
 */
export async function findFeedOwner(db: Executor, token: string, since: Date = feedWindowStart()): Promise<{ owner: FeedOwner; version: FeedVersion } | null> {
  if (!looksLikeSecretToken(token)) return null;
  const { rows } = await sql<{
    id: number;
    email: string;
    feed_scope: FeedScope;
    changed: Date | null;
    registrations: string;
    stars: string;
  }>`
    with owner as (select id, email, feed_scope from users where feed_token_hash = ${hashSecretToken(token)})
    select owner.id, owner.email, owner.feed_scope,
      greatest(
        (select max(greatest(r.updated_at, m.updated_at, m.agenda_updated_at))
           from registrations r join meetings m on m.id = r.meeting_id where r.email = owner.email and r.meeting_ends_at > ${since}),
        (select max(greatest(s.created_at, i.updated_at, m.updated_at))
           from agenda_stars s join agenda_items i on i.id = s.item_id join meetings m on m.id = i.meeting_id
           where s.user_id = owner.id and m.ends_at > ${since})
      ) as changed,
      (select count(*) from registrations r where r.email = owner.email and r.meeting_ends_at > ${since}) as registrations,
      (select count(*) from agenda_stars s where s.user_id = owner.id) as stars
    from owner`.execute(db);
  const row = rows[0];
  if (!row) return null;
  const owner = { userId: row.id, email: row.email, scope: row.feed_scope };
  const version = feedVersion(row.changed ? new Date(row.changed) : new Date(0), row.id, row.feed_scope, row.registrations, row.stars);
  return { owner, version };
}

/** What the person's feed shows. The joining link is given only for meetings they are confirmed for. */
export async function personalFeedContent(db: Executor, owner: FeedOwner, since: Date = feedWindowStart()): Promise<CalendarContent> {
  const confirmedIds = await confirmedMeetingIds(db, owner.email, since);
  const joiningLinkFor = new Set(confirmedIds);
  if (owner.scope === "registrations") {
    const meetings = await listMeetingsByIds(db, confirmedIds);
    const items = await listCalendarAgendaItems(db, meetings.map((meeting) => meeting.id));
    return { name: "My meetings", timezone: "UTC", meetings, items, joiningLinkFor };
  }
  const starred = await starredItemRefs(db, owner.userId);
  const meetings = await listMeetingsByIds(db, [...new Set(starred.map((star) => star.meetingId))], since);
  const items = await listCalendarAgendaItems(db, meetings.map((meeting) => meeting.id), { itemIds: starred.map((star) => star.itemId) });
  return { name: "My agenda", timezone: "UTC", meetings, items, itemsOnly: true, joiningLinkFor };
}

const utf8 = new TextEncoder();

/**
 * The answer to a poll of a feed: 429 (plain text, never stored, with when to ask again) when its
 * token has asked too often, 304 when the client holds the current version, else the feed, kept
 * rendered by version. Null for an unknown or retired token, which is never counted.
 */
export async function personalFeedAnswer(db: Kysely<Database>, requestHeaders: HeaderReader, token: string): Promise<PlainAnswer | null> {
  // One window for the version and the content, even across midnight UTC.
  const since = feedWindowStart();
  const found = await findFeedOwner(db, token, since);
  if (!found) return null;
  const verdict = await limitFeedRequests(db, token);
  if (verdict.limited) {
    return { status: 429, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...retryAfterHeaders(verdict) }, body: [utf8.encode(verdict.message)] };
  }
  const unchanged = notModified(requestHeaders, found.version, "private");
  if (unchanged) return unchanged;
  // Kept by the person, never by the token: a retired token must not find the feed again.
  const body = await feedCache.body(`person:${found.owner.userId}:${found.version.etag}`, async () => renderCalendar(await personalFeedContent(db, found.owner, since)));
  return calendarAnswer(body, "my-meetings.ics", found.version, "private");
}

const FEED_PATH = /^\/feeds\/([^/?]+)\/calendar\.ics(?:\?|$)/;

/**
 * A calendar client's poll of a private feed, which server.ts answers on Node's own request and
 * response (clients poll around the clock: Remix's own cost per request was half of a whole feed's,
 * and the Fetch API's `Request` and `Response` two fifths of a 304's): the route's answer, from the
 * same function. Null for every other request, and for an unknown token: the route answers its 404.
 */
export async function polledPersonalFeed(db: Kysely<Database>, request: PlainRequest): Promise<PlainAnswer | null> {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  const token = FEED_PATH.exec(request.path)?.[1];
  return token ? personalFeedAnswer(db, request.headers, token) : null;
}
