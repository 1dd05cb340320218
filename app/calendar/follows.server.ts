import { randomBytes } from "node:crypto";
import { meetingPlace } from "~/meetings/meeting-place.server";
import { type Kysely, type Transaction, sql } from "kysely";
import type { Database, Follow, Meeting, Programme } from "../../db/schema";
import { alreadyFollowingEmail, followConfirmEmail } from "../../emails/follow-confirm";
import { type MeetingNewsChange, meetingNewsEmail } from "../../emails/meeting-news";
import { enqueueEmail, enqueueEmails } from "../../emails/outbox.server";
import { oneClickUnsubscribeHeaders } from "../../emails/layout";
import { derivedSecretToken, hashSecretToken, looksLikeSecretToken } from "~/accounts/secret-token.server";
import { meetingDays } from "~/lib/time";
import { programmeAncestry } from "~/programmes/programmes.server";
import { appUrl } from "~/settings.server";

/**
 * Following by email: a person follows a programme (with its sub-programmes) or, with no
 * programme, all meetings; once confirmed, they get one email when a meeting in it is published,
 * rescheduled or cancelled. A follow's links carry a secret derived from its id and salt with the
 * server's key, so every email can carry a working link while only the secret's hash is stored.
 */

type Executor = Kysely<Database> | Transaction<Database>;

/** The 43-character secret in a follow's links. */
function followToken(follow: Pick<Follow, "id" | "salt">): string {
  return derivedSecretToken("follow", follow.id, follow.salt);
}

function manageUrl(follow: Pick<Follow, "id" | "salt">): string {
  return `${appUrl()}/follows/${followToken(follow)}`;
}

/** Inserts a pending follow, or nothing if this address already follows this (returns undefined then). */
async function insertPendingFollow(trx: Transaction<Database>, email: string, programmeId: number | null) {
  const { rows } = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('follows', 'id'))::int as id`.execute(trx);
  const id = rows[0]!.id;
  const salt = randomBytes(16);
  return trx
    .insertInto("follows")
    .values({ id, email, programme_id: programmeId, salt, token_hash: hashSecretToken(followToken({ id, salt })) })
    .onConflict((oc) => oc.expression(sql`email, coalesce(programme_id, 0)`).doNothing())
    .returningAll()
    .executeTakeFirst();
}

async function existingFollow(trx: Transaction<Database>, email: string, programmeId: number | null): Promise<Follow> {
  return trx
    .selectFrom("follows")
    .selectAll()
    .where("email", "=", email)
    .where(sql<boolean>`coalesce(programme_id, 0) = ${programmeId ?? 0}`)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

const FOLLOW_EMAIL_INTERVAL_MINUTES = 10;

/**
 * Someone asks to follow a programme (null: all meetings). Records a pending follow (one per
 * address and programme) and, in the same transaction, emails the link that confirms it; if the
 * address already follows it, the email says so instead; at most one such email per follow every
 * ten minutes, so the form cannot be used to flood someone's mailbox. The caller answers the same either way.
 */
export async function requestFollow(db: Kysely<Database>, email: string, programme: Pick<Programme, "id" | "title"> | null): Promise<void> {
  const address = email.trim().toLowerCase();
  await db.transaction().execute(async (trx) => {
    const inserted = await insertPendingFollow(trx, address, programme?.id ?? null);
    const follow = inserted ?? (await existingFollow(trx, address, programme?.id ?? null));
    if (!inserted) {
      // Asking again (or someone asking for another's address) sends at most one email per follow in this time.
      if (follow.emailed_at.getTime() > Date.now() - FOLLOW_EMAIL_INTERVAL_MINUTES * 60_000) return;
      await trx.updateTable("follows").set({ emailed_at: new Date() }).where("id", "=", follow.id).execute();
    }
    const facts = { programmeTitle: programme?.title ?? null, manageUrl: manageUrl(follow) };
    await enqueueEmail(trx, {
      to: address,
      template: follow.confirmed_at ? "follow-already" : "follow-confirm",
      content: follow.confirmed_at ? alreadyFollowingEmail(facts) : followConfirmEmail(facts),
    });
  });
}

async function findFollowByToken(db: Executor, token: string | undefined): Promise<Follow | undefined> {
  if (!looksLikeSecretToken(token)) return undefined;
  return db.selectFrom("follows").selectAll().where("token_hash", "=", hashSecretToken(token)).executeTakeFirst();
}

/** One follow of an address, as its manage page lists it. */
export interface FollowOfAddress {
  id: number;
  programme: { slug: string; title: string } | null;
  confirmed: boolean;
}

/** Everything the address behind a follow's link follows (all meetings first, then by title); null for an unknown link. */
export async function listFollowsOfToken(
  db: Executor,
  token: string | undefined,
): Promise<{ email: string; followId: number; follows: FollowOfAddress[] } | null> {
  const owner = await findFollowByToken(db, token);
  if (!owner) return null;
  const rows = await db
    .selectFrom("follows")
    .leftJoin("programmes", "programmes.id", "follows.programme_id")
    .select(["follows.id", "follows.confirmed_at", "programmes.slug", "programmes.title"])
    .where("follows.email", "=", owner.email)
    .orderBy(sql`programmes.title nulls first`)
    .execute();
  return {
    email: owner.email,
    followId: owner.id,
    follows: rows.map((row) => ({
      id: row.id,
      programme: row.slug && row.title ? { slug: row.slug, title: row.title } : null,
      confirmed: row.confirmed_at !== null,
    })),
  };
}

/**
 * Confirms a follow of the link's address: the link's own, or another of the same address
 * listed on its page. Returns false for an unknown link or a follow not of that address.
 */
export async function confirmFollow(db: Kysely<Database>, token: string | undefined, followId?: number): Promise<boolean> {
  const owner = await findFollowByToken(db, token);
  if (!owner) return false;
  const { numUpdatedRows } = await db
    .updateTable("follows")
    .set({ confirmed_at: sql`coalesce(confirmed_at, now())` })
    .where("email", "=", owner.email)
    .where("id", "=", followId ?? owner.id)
    .executeTakeFirstOrThrow();
  return numUpdatedRows > 0n;
}

/**
 * Stops a follow of the link's address (its own by default, another by id, or "all"): the row is
 * deleted, so its links stop working. Returns null for an unknown link or nothing to stop; otherwise
 * the token of a follow the address still has (the same one if it remains), to show what is left.
 */
export async function unsubscribe(
  db: Kysely<Database>,
  token: string | undefined,
  which?: number | "all",
): Promise<{ remainingToken: string | null } | null> {
  const owner = await findFollowByToken(db, token);
  if (!owner) return null;
  let query = db.deleteFrom("follows").where("email", "=", owner.email);
  if (which !== "all") query = query.where("id", "=", which ?? owner.id);
  const { numDeletedRows } = await query.executeTakeFirstOrThrow();
  if (numDeletedRows === 0n) return null;
  const remaining = await db
    .selectFrom("follows")
    .select(["id", "salt"])
    .where("email", "=", owner.email)
    .orderBy(sql`id = ${owner.id}`, "desc")
    .orderBy("id")
    .executeTakeFirst();
  return { remainingToken: remaining ? followToken(remaining) : null };
}

/** How many addresses have confirmed they follow this programme (null: all meetings). */
export async function countFollowers(db: Executor, programmeId: number | null): Promise<number> {
  const row = await db
    .selectFrom("follows")
    .select(db.fn.countAll<string>().as("n"))
    .where("confirmed_at", "is not", null)
    .where((eb) => (programmeId === null ? eb("programme_id", "is", null) : eb("programme_id", "=", programmeId)))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

interface MatchingFollow {
  id: number;
  email: string;
  salt: Buffer;
  slug: string | null;
  title: string | null;
}

/**
 * One follow per address among those that match: the one nearest the meeting (its own programme,
 * then the parents up to the root, then all meetings), whose name and links the email carries.
 */
function nearestPerAddress(follows: MatchingFollow[], ancestrySlugs: string[]): MatchingFollow[] {
  const nearness = (follow: MatchingFollow) => (follow.slug === null ? -1 : ancestrySlugs.indexOf(follow.slug));
  const chosen = new Map<string, MatchingFollow>();
  for (const follow of follows) {
    const current = chosen.get(follow.email);
    if (!current || nearness(follow) > nearness(current)) chosen.set(follow.email, follow);
  }
  return [...chosen.values()];
}

/**
 * Emails every confirmed follower of the meeting's programme, of a programme above it or of all
 * meetings, once per address, that the meeting was published, rescheduled or cancelled. Call it
 * with the transaction that makes the change. Each email can be stopped in one click (RFC 8058).
 * Returns how many were queued.
 */
export async function notifyFollowers(
  trx: Transaction<Database>,
  meeting: Meeting,
  change: MeetingNewsChange,
  previous?: Pick<Meeting, "starts_on" | "ends_on" | "timezone">,
): Promise<number> {
  const ancestry = meeting.programme_id === null ? [] : await programmeAncestry(trx, meeting.programme_id);
  const slugs = ancestry.map((programme) => programme.slug);
  const follows = await trx
    .selectFrom("follows")
    .leftJoin("programmes", "programmes.id", "follows.programme_id")
    .select(["follows.id", "follows.email", "follows.salt", "programmes.slug", "programmes.title"])
    .where("follows.confirmed_at", "is not", null)
    .where((eb) => eb.or([eb("follows.programme_id", "is", null), ...(slugs.length ? [eb("programmes.slug", "in", slugs)] : [])]))
    .execute();
  const recipients = nearestPerAddress(follows, slugs);
  const dates = meetingDays(meeting);
  const previousDates = previous && meetingDays(previous) !== dates ? meetingDays(previous) : null;
  await enqueueEmails(
    trx,
    recipients.map((follow) => {
      const unsubscribeUrl = `${manageUrl(follow)}/unsubscribe`;
      return {
        to: follow.email,
        meetingId: meeting.id,
        template: "meeting-news",
        content: meetingNewsEmail({
          change,
          meetingTitle: meeting.title,
          meetingUrl: `${appUrl()}/meetings/${meeting.slug}`,
          meetingDates: dates,
          previousDates,
          meetingPlace: meetingPlace(meeting),
          followedName: follow.title ?? "all meetings",
          manageUrl: manageUrl(follow),
          unsubscribeUrl,
        }),
        headers: oneClickUnsubscribeHeaders(unsubscribeUrl),
      };
    }),
  );
  return recipients.length;
}
