import { type ExpressionBuilder, type Kysely, type Transaction, sql } from "kysely";
import { type Database, type Meeting, type MeetingKind, type MeetingUpdate, PUBLIC_MEETING_STATUSES } from "../../db/schema";
import { makeManager } from "~/accounts/roles.server";
import { changedFields, recordAuditEvent } from "~/audit/audit-log.server";
import { noNul } from "~/lib/form";
import { slugFromTitle } from "~/lib/slug";
import { emailMeetingCancelled } from "~/registration/meeting-cancelled.server";
import { agendaItemsOutsideDays, hasAgendaItems, reexpressAgendaInZone } from "~/agenda/agenda.server";
import { notifyFollowers } from "~/calendar/follows.server";
import { dayBounds } from "~/lib/time";
import { findProgramme, programmeAndDescendantIds } from "~/programmes/programmes.server";
import type { MeetingInput } from "./meeting-form.server";
import type { StatusChange } from "./status-changes";
import { containsPattern } from "~/lib/contains-pattern";

type Executor = Kysely<Database> | Transaction<Database>;

export type MeetingWithProgramme = Meeting & { programme_slug: string | null; programme_title: string | null };

function meetingsWithProgramme(db: Executor) {
  return db
    .selectFrom("meetings")
    .leftJoin("programmes", "programmes.id", "meetings.programme_id")
    .selectAll("meetings")
    .select(["programmes.slug as programme_slug", "programmes.title as programme_title"]);
}

export interface MeetingFilter {
  kind?: MeetingKind | null;
  /** A programme's id: its meetings and those of all programmes under it. */
  programmeId?: number | null;
  q?: string | null;
  past?: boolean;
  page?: number;
  pageSize?: number;
}

/**
 * Meetings that have ended by `now`. The redundant bound on starts_at (a meeting starts before it
 * ends) lets the list read past meetings along meetings_public_starts_at_idx from `now` backwards.
 */
function endedBy(eb: ExpressionBuilder<Database, "meetings">, now: Date) {
  return [eb("meetings.ends_at", "<=", now), eb("meetings.starts_at", "<", now)];
}

/**
 * Meetings that have not ended by `now`. None started before `now` less the longest public meeting
 * (the top of meetings_public_length_idx): that bound lets the list read upcoming meetings along
 * meetings_public_starts_at_idx from about `now`, instead of skipping every past meeting to get there.
 */
function notEndedBy(eb: ExpressionBuilder<Database, "meetings">, now: Date) {
  const longest = sql<string>`(select coalesce(max(m.ends_at - m.starts_at), interval '0') from meetings m where m.status in ('published', 'cancelled'))`;
  return [eb("meetings.ends_at", ">", now), eb("meetings.starts_at", ">", sql<Date>`${now}::timestamptz - ${longest}`)];
}

/**
 * Published and cancelled meetings (drafts never): upcoming ones soonest first, or with `past`
 * those that have ended, latest first. Returns one page and the total: the page is read along an
 * index in its order (not sorted from every match), and the total is counted apart from the rows.
 */
export async function listPublicMeetings(
  db: Executor,
  filter: MeetingFilter,
  now: Date = new Date(),
): Promise<{ meetings: MeetingWithProgramme[]; total: number }> {
  const pageSize = filter.pageSize ?? 20;
  const page = Math.max(1, filter.page ?? 1);
  const programmeIds = filter.programmeId ? await programmeAndDescendantIds(db, filter.programmeId) : null;
  const pattern = filter.q ? containsPattern(filter.q) : null;
  const matching = (eb: ExpressionBuilder<Database, "meetings">) =>
    eb.and([
      eb("meetings.status", "in", PUBLIC_MEETING_STATUSES),
      ...(filter.past ? endedBy(eb, now) : notEndedBy(eb, now)),
      ...(filter.kind ? [eb("meetings.kind", "=", filter.kind)] : []),
      ...(programmeIds ? [eb("meetings.programme_id", "in", programmeIds)] : []),
      ...(pattern
        ? [eb.or([eb("meetings.title", "ilike", pattern), eb("meetings.summary", "ilike", pattern), eb("meetings.venue_city", "ilike", pattern)])]
        : []),
    ]);
  const [meetings, count] = await Promise.all([
    meetingsWithProgramme(db)
      .where(matching)
      .orderBy("meetings.starts_at", filter.past ? "desc" : "asc")
      .orderBy("meetings.id")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db.selectFrom("meetings").select((eb) => eb.fn.countAll<string>().as("n")).where(matching).executeTakeFirstOrThrow(),
  ]);
  return { meetings, total: Number(count.n) };
}

/** A meeting the public may see: published or cancelled, never a draft. */
export async function findPublicMeeting(db: Executor, slug: string): Promise<MeetingWithProgramme | undefined> {
  return publicMeetingAt(db, slug)?.executeTakeFirst();
}

/** The query for the public meeting at a slug, for callers that read more in the same query; null for a slug no meeting has. */
export function publicMeetingAt(db: Executor, slug: string) {
  // PostgreSQL refuses a NUL in text; no slug holds one.
  if (!noNul(slug)) return null;
  return meetingsWithProgramme(db).where("meetings.slug", "=", slug).where("meetings.status", "in", PUBLIC_MEETING_STATUSES);
}

/** Any meeting, drafts included: for organisers. */
export async function findMeeting(db: Executor, slug: string): Promise<MeetingWithProgramme | undefined> {
  if (!noNul(slug)) return undefined;
  return meetingsWithProgramme(db).where("meetings.slug", "=", slug).executeTakeFirst();
}

export interface ConsoleMeetingFilter {
  /** Only these meetings (those a person was given); every meeting without. */
  ids?: number[];
  /** Text the title or the city contains. */
  q?: string | null;
  page: number;
  pageSize: number;
}

type ConsoleMeeting = Pick<Meeting, "id" | "slug" | "title" | "kind" | "status" | "starts_on" | "ends_on" | "timezone"> & { programme_title: string | null };

/**
 * The organisers' list: meetings, drafts included, latest first, one page of them (the columns the
 * list shows) and how many match. The page is read along meetings_starts_at_idx, not sorted from every meeting.
 */
export async function listConsoleMeetings(db: Executor, filter: ConsoleMeetingFilter): Promise<{ meetings: ConsoleMeeting[]; total: number }> {
  if (filter.ids?.length === 0) return { meetings: [], total: 0 };
  const pattern = filter.q ? containsPattern(filter.q) : null;
  const matching = (eb: ExpressionBuilder<Database, "meetings">) =>
    eb.and([
      ...(filter.ids ? [eb("meetings.id", "in", filter.ids)] : []),
      ...(pattern ? [eb.or([eb("meetings.title", "ilike", pattern), eb("meetings.venue_city", "ilike", pattern)])] : []),
    ]);
  const [meetings, count] = await Promise.all([
    db
      .selectFrom("meetings")
      .leftJoin("programmes", "programmes.id", "meetings.programme_id")
      .select(["meetings.id", "meetings.slug", "meetings.title", "meetings.kind", "meetings.status", "meetings.starts_on", "meetings.ends_on", "meetings.timezone", "programmes.title as programme_title"])
      .where(matching)
      .orderBy("meetings.starts_at", "desc")
      .orderBy("meetings.id", "desc")
      .limit(filter.pageSize)
      .offset((filter.page - 1) * filter.pageSize)
      .execute(),
    db.selectFrom("meetings").select((eb) => eb.fn.countAll<string>().as("n")).where(matching).executeTakeFirstOrThrow(),
  ]);
  return { meetings, total: Number(count.n) };
}

export type MeetingSaveResult = { ok: true; slug: string } | { ok: false; errors: Record<string, string> };

async function meetingColumns(db: Executor, input: MeetingInput) {
  let programmeId: number | null = null;
  if (input.programme) {
    const programme = await findProgramme(db, input.programme);
    if (!programme) return { ok: false as const, errors: { programme: "Choose a programme from the list" } };
    programmeId = programme.id;
  }
  const online = input.mode === "online";
  return {
    ok: true as const,
    columns: {
      title: input.title,
      summary: input.summary,
      description: input.description,
      organising_body: input.organisingBody,
      partners: input.partners,
      kind: input.kind,
      mode: input.mode,
      timezone: input.timezone,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      starts_at: dayBounds(input.startsOn, input.timezone).startsAt,
      ends_at: dayBounds(input.endsOn, input.timezone).endsAt,
      programme_id: programmeId,
      venue_name: online ? null : input.venueName,
      venue_address: online ? null : input.venueAddress,
      venue_city: online ? null : input.venueCity,
      venue_country: online ? null : input.venueCountry,
      online_url: input.mode === "in_person" ? null : input.onlineUrl,
      contact_email: input.contactEmail,
      registration_policy: input.registrationPolicy,
      registration_opens_local: input.registrationOpens?.local ?? null,
      registration_opens_at: input.registrationOpens?.at ?? null,
      registration_closes_local: input.registrationCloses?.local ?? null,
      registration_closes_at: input.registrationCloses?.at ?? null,
      capacity: input.capacity,
    } satisfies MeetingUpdate,
  };
}

/** Creates a draft meeting, which its creator manages; its slug comes from the title, made unique with a number if taken. */
export async function createMeeting(db: Kysely<Database>, input: MeetingInput, userId: number | null): Promise<MeetingSaveResult> {
  const prepared = await meetingColumns(db, input);
  if (!prepared.ok) return prepared;
  const base = slugFromTitle(input.title);
  return db.transaction().execute(async (trx) => {
    for (let attempt = 1; ; attempt++) {
      const slug = attempt === 1 ? base : `${base}-${attempt}`;
      const row = await trx
        .insertInto("meetings")
        .values({ ...prepared.columns, slug, created_by: userId, updated_by: userId })
        .onConflict((oc) => oc.column("slug").doNothing())
        .returning(["id", "slug"])
        .executeTakeFirst();
      if (!row) continue;
      if (userId !== null) await makeManager(trx, row.id, userId);
      await recordAuditEvent(trx, { actor: userId, meetingId: row.id, action: "meeting.created", subject: { type: "meeting", id: row.id }, summary: `Created “${input.title}” (${row.slug})`, after: { ...prepared.columns } });
      return { ok: true, slug: row.slug };
    }
  });
}

/** Saves the form's fields; the slug stays, since links to the meeting are already out there. */
export async function updateMeeting(
  db: Kysely<Database>,
  meeting: Meeting,
  input: MeetingInput,
  userId: number | null,
): Promise<MeetingSaveResult> {
  const prepared = await meetingColumns(db, input);
  if (!prepared.ok) return prepared;
  if (input.capacity !== null && input.capacity < meeting.confirmed_count) {
    return { ok: false, errors: { capacity: `${meeting.confirmed_count} places are already confirmed: the capacity cannot be lower` } };
  }
  const zoneChanges = input.timezone !== meeting.timezone && (await hasAgendaItems(db, meeting.id));
  if (zoneChanges && !input.agendaKeeps) {
    return { ok: false, errors: { agendaKeeps: `The agenda's items were typed in ${meeting.timezone}: choose whether they keep their clock times or their moments in ${input.timezone}` } };
  }
  try {
    return await db.transaction().execute(async (trx): Promise<MeetingSaveResult> => {
      // The meeting first, so that what the agenda's changes email is in its new zone and days.
      const updated = await trx
        .updateTable("meetings")
        .set({ ...prepared.columns, updated_by: userId, updated_at: new Date() })
        .where("id", "=", meeting.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (zoneChanges && input.agendaKeeps) {
        const moved = await reexpressAgendaInZone(trx, meeting.id, input.timezone, input.agendaKeeps, userId);
        if (!moved.ok) throw new MeetingRefused({ agendaKeeps: moved.error });
      }
      const rescheduled = (["starts_on", "ends_on", "timezone"] as const).some((column) => updated[column] !== meeting[column]);
      const outside = rescheduled ? await agendaItemsOutsideDays(trx, meeting.id, updated.starts_on, updated.ends_on) : [];
      if (outside.length > 0) {
        const named = outside.slice(0, 3).map((item) => `"${item.title}" (${item.startsLocal.replace("T", " ")})`).join(", ");
        const more = outside.length > 3 ? ` and ${outside.length - 3} more` : "";
        throw new MeetingRefused({
          startsOn: `${outside.length} agenda item${outside.length === 1 ? "" : "s"} would fall outside these days: ${named}${more}. Move or delete them first.`,
        });
      }
      if (rescheduled && updated.status === "published") await notifyFollowers(trx, updated, "rescheduled", meeting);
      const changed = changedFields(meeting, updated, Object.keys(prepared.columns));
      if (changed.names.length > 0) {
        await recordAuditEvent(trx, { actor: userId, meetingId: meeting.id, action: "meeting.updated", subject: { type: "meeting", id: meeting.id }, summary: `Edited ${changed.names.join(", ")}`, ...changed });
      }
      return { ok: true, slug: meeting.slug };
    });
  } catch (error) {
    if (error instanceof MeetingRefused) return { ok: false, errors: error.errors };
    throw error;
  }
}

/** Thrown inside a transaction to undo it and refuse the form with these messages. */
class MeetingRefused extends Error {
  constructor(readonly errors: Record<string, string>) {
    super("The meeting's change was refused");
  }
}


/**
 * Publishes, unpublishes (back to draft) or cancels. Returns false if the meeting was not in a state that allows it.
 * Publishing, and cancelling a published meeting, email its followers in the same transaction;
 * cancelling also emails those registered, with the cancelling .ics for those confirmed.
 */
export async function changeMeetingStatus(
  db: Kysely<Database>,
  meeting: Meeting,
  change: StatusChange,
  userId: number | null,
): Promise<boolean> {
  const now = new Date();
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("meetings").select("status").where("id", "=", meeting.id).forUpdate().executeTakeFirst();
    const base = trx.updateTable("meetings").where("id", "=", meeting.id);
    const byWhom = { updated_by: userId, updated_at: now };
    const query =
      change === "publish"
        ? base
            .set({ ...byWhom, status: "published", published_at: meeting.published_at ?? now, cancelled_at: null })
            .where("status", "in", ["draft", "cancelled"])
        : change === "unpublish"
          ? base.set({ ...byWhom, status: "draft" }).where("status", "=", "published")
          : base.set({ ...byWhom, status: "cancelled", cancelled_at: now }).where("status", "in", ["draft", "published"]);
    const updated = await query.returningAll().executeTakeFirst();
    if (!updated) return false;
    await recordAuditEvent(trx, {
      actor: userId,
      meetingId: meeting.id,
      action: "meeting.status_changed",
      subject: { type: "meeting", id: meeting.id },
      summary: `${before?.status ?? meeting.status} → ${updated.status}`,
      before: { status: before?.status ?? meeting.status },
      after: { status: updated.status },
    });
    if (change === "publish") await notifyFollowers(trx, updated, "published");
    if (change === "cancel" && before?.status === "published") {
      await notifyFollowers(trx, updated, "cancelled");
      await emailMeetingCancelled(trx, updated);
    }
    return true;
  });
}

/** Published and cancelled meetings that end after `since`, for the public calendar feed. */
export async function listCalendarMeetings(
  db: Executor,
  filter: { kind?: MeetingKind | null; programmeId?: number | null; since: Date },
): Promise<MeetingWithProgramme[]> {
  let query = meetingsWithProgramme(db)
    .where("meetings.status", "in", PUBLIC_MEETING_STATUSES)
    .where("meetings.ends_at", ">", filter.since);
  if (filter.kind) query = query.where("meetings.kind", "=", filter.kind);
  if (filter.programmeId) {
    query = query.where("meetings.programme_id", "in", await programmeAndDescendantIds(db, filter.programmeId));
  }
  return query.orderBy("meetings.starts_at").orderBy("meetings.id").execute();
}

/**
 * The latest change to any meeting or programme: what decides whether a meetings feed changed, in
 * one small query (the top of meetings_updated_at_idx). Meetings are never deleted, only
 * unpublished or cancelled, which changes their updated_at; a programme's deletion touches its
 * meetings (deleteProgramme).
 */
export async function meetingsLastChange(db: Executor): Promise<Date> {
  const { rows } = await sql<{ at: Date | null }>`
    select greatest((select max(updated_at) from meetings), (select max(updated_at) from programmes)) as at`.execute(db);
  const at = rows[0]?.at;
  return at ? new Date(at) : new Date(0);
}

/** These meetings, if the public may see them (drafts never), soonest first; with `endedAfter`, only those that ended after it. */
export async function listMeetingsByIds(db: Executor, ids: number[], endedAfter?: Date): Promise<MeetingWithProgramme[]> {
  if (ids.length === 0) return [];
  let query = meetingsWithProgramme(db).where("meetings.id", "in", ids).where("meetings.status", "in", PUBLIC_MEETING_STATUSES);
  if (endedAfter) query = query.where("meetings.ends_at", ">", endedAfter);
  return query
    .orderBy("meetings.starts_at")
    .orderBy("meetings.id")
    .execute();
}
