import { type Kysely, type RawBuilder, type Transaction, sql } from "kysely";
import type { Database } from "../../db/schema";
import { z } from "zod";
import { ERASED_DOMAIN } from "~/lib/erased-address";
import { formatInstant, isoInstant } from "~/lib/time";
import { AUDIT_ACTIONS, AUDIT_ACTION_LABELS, type AuditAction } from "./actions";

/**
 * The audit log: who did what to which meeting, and what it was before and after. Each event is
 * written in the transaction of the change it records: it commits with the change, and is rolled
 * back with it.
 */

type Executor = Kysely<Database> | Transaction<Database>;
type Fields = Record<string, unknown>;

export interface AuditEventInput {
  /** The organiser who acted; null when nobody did (a participant's own change, the system): nothing is recorded then. */
  actor: number | null;
  meetingId: number | null;
  action: AuditAction;
  subject?: { type: string; id: number | string };
  summary: string;
  before?: Fields | null;
  after?: Fields | null;
}

/** Records one organiser action; call it with the transaction that makes the change. */
export async function recordAuditEvent(trx: Transaction<Database>, event: AuditEventInput): Promise<void> {
  if (event.actor === null) return;
  const actor = event.actor;
  await trx
    .insertInto("audit_events")
    .values((eb) => ({
      actor_user_id: actor,
      actor_email: eb.selectFrom("users").select("email").where("id", "=", actor),
      meeting_id: event.meetingId,
      action: event.action,
      subject_type: event.subject?.type ?? null,
      subject_id: event.subject ? String(event.subject.id) : null,
      summary: event.summary,
      before: event.before ? JSON.stringify(event.before) : null,
      after: event.after ? JSON.stringify(event.after) : null,
    }))
    .execute();
}

/**
 * Erasing people from the log (see app/personal-data/erasure.server.ts). An event about a person
 * (a registration, an invitation, an account's role) keeps its action, time, actor and the values
 * that are no one's (statuses, roles, modes); its summary becomes "Registration #12 (personal data
 * erased)" and the fields that named the person (below) go from before and after.
 */
const PERSONAL_FIELDS = ["email", "salutation", "first_name", "last_name", "organisation", "job_title", "identity", "label"];
const ERASED = "(personal data erased)";

async function redactSubjects(trx: Transaction<Database>, which: RawBuilder<boolean>): Promise<void> {
  await sql`
    update audit_events set
      summary = case subject_type when 'registration' then 'Registration' when 'invitation' then 'Invitation' else 'Account' end
        || ' #' || subject_id || ' ' || ${ERASED},
      before = before - ${PERSONAL_FIELDS}::text[],
      after = after - ${PERSONAL_FIELDS}::text[]
    where ${which}`.execute(trx);
}

/** A person's registrations, invitations and account as the log names them (subject_id is text). */
const subjectIn = (type: string, ids: readonly (number | string)[]) =>
  ids.length === 0 ? sql<boolean>`false` : sql<boolean>`(subject_type = ${type} and subject_id in (${sql.join(ids.map(String))}))`;

/**
 * Erases one person from the log when their account is deleted: the events about their
 * registrations, invitations and account as above; their address wherever else it is written (a
 * list of people invited, another event's text) becomes "(personal data erased)"; and where they
 * acted, the action stays (what was done to a meeting, and when, is the organisers' record) but
 * their address gives way to a stand-in for the erased account, the same in each of its events.
 */
export async function redactPersonFromAuditLog(
  trx: Transaction<Database>,
  person: { id: number; email: string },
  subjects: { registrations: readonly number[]; invitations: readonly number[] },
): Promise<void> {
  await redactSubjects(
    trx,
    sql<boolean>`(${subjectIn("registration", subjects.registrations)} or ${subjectIn("invitation", subjects.invitations)} or ${subjectIn("user", [person.id])})`,
  );
  const address = person.email.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
  // The address as a whole word of the text, and as a whole string of the JSON.
  const inText = `(^|[^a-z0-9._%+-])${address}($|[^a-z0-9._%+-])`;
  const inJson = `"${address}"`;
  await sql`
    update audit_events set
      summary = regexp_replace(summary, ${inText}, ${`\\1${ERASED}\\2`}, 'gi'),
      before = regexp_replace(before::text, ${inJson}, ${JSON.stringify(ERASED)}, 'gi')::jsonb,
      after = regexp_replace(after::text, ${inJson}, ${JSON.stringify(ERASED)}, 'gi')::jsonb
    where summary ~* ${inText} or before::text ~* ${inJson} or after::text ~* ${inJson}`.execute(trx);
  await trx
    .updateTable("audit_events")
    .set({ actor_email: `erased-account-${person.id}@${ERASED_DOMAIN}` })
    .where((eb) => eb.or([eb("actor_user_id", "=", person.id), eb(eb.fn("lower", ["actor_email"]), "=", person.email.toLowerCase())]))
    .execute();
}

/**
 * Erases a purged meeting's people from its events: those about a registration (its check-ins,
 * status, badge, report names), an invitation or a team member's account as above, and the lists
 * of addresses invited, which become how many they were.
 */
export async function redactMeetingFromAuditLog(trx: Transaction<Database>, meetingId: number): Promise<void> {
  await redactSubjects(trx, sql<boolean>`(meeting_id = ${meetingId} and subject_type in ('registration', 'invitation', 'user'))`);
  await sql`
    update audit_events set after = jsonb_set(after, '{invited}', to_jsonb(jsonb_array_length(after->'invited')))
    where meeting_id = ${meetingId} and action = 'invitation.sent' and jsonb_typeof(after->'invited') = 'array'`.execute(trx);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The fields that differ between two versions of a record, with their values on each side;
 * `keys` limits the comparison to the fields a form edits (internal columns stay out of the log).
 */
export function changedFields(before: Fields, after: Fields, keys: readonly string[] = Object.keys(after)): { before: Fields; after: Fields; names: string[] } {
  const names = keys.filter((key) => key in after && !same(before[key], after[key]));
  return {
    before: Object.fromEntries(names.map((key) => [key, before[key] ?? null])),
    after: Object.fromEntries(names.map((key) => [key, after[key] ?? null])),
    names,
  };
}

/** Runs `work` in the caller's transaction, or in a new one: a change and its audit event commit together. */
export function inTransaction<T>(db: Executor, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
}

export const AUDIT_PAGE_SIZE = 50;

export interface AuditQuery {
  /** One meeting's events; null for every meeting's (and those of no meeting: programmes). */
  meetingId: number | null;
  action: AuditAction | null;
  page: number;
}

export interface AuditEntry {
  id: string;
  occurredAt: Date;
  actorEmail: string;
  actorName: string | null;
  meeting: { slug: string; title: string; timezone: string } | null;
  action: AuditAction | string;
  summary: string;
  before: Fields | null;
  after: Fields | null;
}

/** One page of the log, newest first, with the number of events that match. */
export async function listAuditEvents(db: Executor, query: AuditQuery): Promise<{ entries: AuditEntry[]; total: number }> {
  let base = db.selectFrom("audit_events");
  if (query.meetingId !== null) base = base.where("audit_events.meeting_id", "=", query.meetingId);
  if (query.action !== null) base = base.where("audit_events.action", "=", query.action);
  const [rows, count] = await Promise.all([
    base
      .leftJoin("users", "users.id", "audit_events.actor_user_id")
      .leftJoin("meetings", "meetings.id", "audit_events.meeting_id")
      .select([
        "audit_events.id",
        "audit_events.occurred_at",
        "audit_events.actor_email",
        "users.name as actor_name",
        "meetings.slug as meeting_slug",
        "meetings.title as meeting_title",
        "meetings.timezone as meeting_timezone",
        "audit_events.action",
        "audit_events.summary",
        "audit_events.before",
        "audit_events.after",
      ])
      .orderBy("audit_events.occurred_at", "desc")
      .orderBy("audit_events.id", "desc")
      .limit(AUDIT_PAGE_SIZE)
      .offset((query.page - 1) * AUDIT_PAGE_SIZE)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    entries: rows.map((row) => ({
      id: row.id,
      occurredAt: row.occurred_at,
      actorEmail: row.actor_email,
      actorName: row.actor_name,
      meeting:
        row.meeting_slug && row.meeting_title && row.meeting_timezone ? { slug: row.meeting_slug, title: row.meeting_title, timezone: row.meeting_timezone } : null,
      action: row.action,
      summary: row.summary,
      before: row.before,
      after: row.after,
    })),
  };
}

/** How the viewer asks for a page: `?action=` one of the actions (else all), `?page=` from 1 (else the first). */
export function parseAuditQuery(url: URL, meetingId: number | null): AuditQuery {
  const action = z.enum(AUDIT_ACTIONS).nullable().catch(null).parse(url.searchParams.get("action"));
  const page = z.coerce.number<string>().int().min(1).max(100_000).catch(1).parse(url.searchParams.get("page") ?? "1");
  return { meetingId, action, page };
}

/** One field's change as the viewer shows it; null where the field had no value (or the event has no such side). */
export interface AuditChange {
  field: string;
  before: string | null;
  after: string | null;
}

export interface AuditRow {
  id: string;
  at: string;
  when: string;
  who: string;
  email: string;
  meeting: { slug: string; title: string } | null;
  action: string;
  summary: string;
  changes: AuditChange[];
}

function shown(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string" || typeof value === "number") return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === "string" || typeof item === "number")) return value.join(", ") || null;
  return JSON.stringify(value);
}

function changesOf(before: Fields | null, after: Fields | null): AuditChange[] {
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return fields.map((field) => ({ field: field.replaceAll("_", " "), before: shown(before?.[field]), after: shown(after?.[field]) }));
}

/**
 * A page of the log as the viewer shows it: each time in its meeting's zone (named), else in UTC;
 * values as text, which the page escapes like any other.
 */
export async function auditLogPage(db: Executor, query: AuditQuery) {
  const { entries, total } = await listAuditEvents(db, query);
  const rows: AuditRow[] = entries.map((entry) => ({
    id: entry.id,
    at: isoInstant(entry.occurredAt),
    when: formatInstant(entry.occurredAt, entry.meeting?.timezone ?? "UTC"),
    who: entry.actorName ?? entry.actorEmail,
    email: entry.actorEmail,
    meeting: entry.meeting && { slug: entry.meeting.slug, title: entry.meeting.title },
    action: isAuditAction(entry.action) ? AUDIT_ACTION_LABELS[entry.action] : entry.action,
    summary: entry.summary,
    changes: changesOf(entry.before, entry.after),
  }));
  return { rows, total, page: query.page, pageCount: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)), action: query.action };
}

function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}
