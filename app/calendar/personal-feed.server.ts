import { randomBytes } from "node:crypto";
import { type Kysely, type Transaction, sql } from "kysely";
import type { Database, FeedScope } from "../../db/schema";
import { derivedSecretToken, hashSecretToken, looksLikeSecretToken } from "~/accounts/secret-token.server";
import { listCalendarAgendaItems } from "~/agenda/agenda-calendar.server";
import { starredItemRefs } from "~/agenda/stars.server";
import { listMeetingsByIds } from "~/meetings/meetings.server";
import { limitFeedRequests, retryAfterHeaders } from "~/rate-limits/rate-limits.server";
import { confirmedMeetingIds } from "~/registration/registrations.server";
import { type CalendarContent, type FeedVersion, feedVersion, feedWindowStart, notModified } from "./feeds.server";

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
export async function findFeedOwner(db: Executor, token: string): Promise<{ owner: FeedOwner; version: FeedVersion } | null> {
  if (!looksLikeSecretToken(token)) return null;
  const since = feedWindowStart();
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
export async function personalFeedContent(db: Executor, owner: FeedOwner): Promise<CalendarContent> {
  const since = feedWindowStart();
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

/**
 * A poll of a live feed, counted against its token's limit: refused (429, plain text, never stored,
 * with when to ask again) when over it, else `unchanged` (the 304 when the client holds the current
 * version, null when the feed is to be sent). Made-up tokens are never counted: callers ask once
 * the owner is found.
 */
export async function countedFeedPoll(db: Executor, token: string, unchanged: Response | null): Promise<Response | null> {
  const verdict = await limitFeedRequests(db, token);
  if (!verdict.limited) return unchanged;
  return new Response(verdict.message, { status: 429, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...retryAfterHeaders(verdict) } });
}

const FEED_PATH = /^\/feeds\/([^/]+)\/calendar\.ics$/;

/**
 * A calendar client's poll of a private feed it already holds, answered before Remix (clients poll
 * around the clock, mostly to be told nothing changed): 304, or 429 when the token has asked too
 * often, counted here as the route counts the polls it answers. Null, and uncounted, for every
 * other request (an unknown token, a client without the current version): the route answers it.
 */
export async function unchangedPersonalFeed(db: Kysely<Database>, request: Request): Promise<Response | null> {
  const conditional = request.headers.has("If-None-Match") || request.headers.has("If-Modified-Since");
  if ((request.method !== "GET" && request.method !== "HEAD") || !conditional) return null;
  const token = FEED_PATH.exec(new URL(request.url).pathname)?.[1];
  if (!token) return null;
  const found = await findFeedOwner(db, token);
  const unchanged = found && notModified(request, found.version, "private");
  return unchanged ? countedFeedPoll(db, token, unchanged) : null;
}
