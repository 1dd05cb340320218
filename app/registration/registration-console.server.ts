import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction, sql } from "kysely";
import { DateTime } from "luxon";
import {
  type Answers,
  type Database,
  PARTICIPANT_CATEGORIES,
  type Registration,
  type RegistrationQuestion,
  type RegistrationStatus,
  GENDERS,
  REGISTRATION_STATUSES,
} from "../../db/schema";
import { countryName } from "~/lib/countries.server";
import { formatInstant } from "~/lib/time";
import type { Decision } from "./decisions";
import { ACTIVE_STATUSES, type RegistrationFilters } from "./registration-filters";
import { changeRegistrationStatus, registrationQuestions } from "./registrations.server";
import { containsPattern } from "~/lib/contains-pattern";

/** The organisers' registrations console: the filtered table, one registration's file, decisions, the summary. */

type Executor = Kysely<Database> | Transaction<Database>;

/** The registrations of a meeting that the filters select, as one condition (used by the table, exports and mailings). */
export function matchingRegistrations(meetingId: number, filters: RegistrationFilters) {
  return (eb: ExpressionBuilder<Database, "registrations">): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [eb("registrations.meeting_id", "=", meetingId)];
    if (filters.status === "active") conditions.push(eb("registrations.status", "in", [...ACTIVE_STATUSES]));
    else if (filters.status) conditions.push(eb("registrations.status", "=", filters.status));
    if (filters.category) conditions.push(eb("registrations.category", "=", filters.category));
    if (filters.country) conditions.push(eb("registrations.country", "=", filters.country));
    if (filters.gender) conditions.push(eb("registrations.gender", "=", filters.gender));
    if (filters.attendanceMode) conditions.push(eb("registrations.attendance_mode", "=", filters.attendanceMode));
    // One case-folded text per row, its parts on lines of their own, kept by the database: matched once.
    if (filters.q) conditions.push(eb("registrations.search_text", "like", sql<string>`lower(${containsPattern(filters.q)})`));
    return eb.and(conditions);
  };
}

/** Registrations matching the filters, in the order people registered (the waiting list's order). */
export async function filteredRegistrations(db: Executor, meetingId: number, filters: RegistrationFilters): Promise<Registration[]> {
  return db
    .selectFrom("registrations")
    .selectAll()
    .where(matchingRegistrations(meetingId, filters))
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

/** "3 Mar 2026": a day in the meeting's zone. */
export function dayIn(at: Date | string, zone: string): string {
  return DateTime.fromJSDate(new Date(at), { zone }).toFormat("d LLL yyyy");
}

export function fullName(registration: Pick<Registration, "salutation" | "first_name" | "last_name">): string {
  return [registration.salutation, registration.first_name, registration.last_name].filter(Boolean).join(" ");
}

export const PAGE_SIZE = 50;

/** One page of the table, with the counts of the whole filtered set (by status) and of the meeting. */
export async function registrationsPage(
  db: Executor,
  meeting: { id: number; timezone: string },
  filters: RegistrationFilters,
  page: number,
  pageSize: number = PAGE_SIZE,
) {
  const [rows, byStatusRows, all] = await Promise.all([
    db
      .selectFrom("registrations")
      .selectAll()
      .where(matchingRegistrations(meeting.id, filters))
      .orderBy("created_at")
      .orderBy("id")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom("registrations")
      .select(["status", (eb) => eb.fn.countAll<string>().as("count")])
      .where(matchingRegistrations(meeting.id, filters))
      .groupBy("status")
      .execute(),
    db
      .selectFrom("registrations")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .where("meeting_id", "=", meeting.id)
      .executeTakeFirstOrThrow(),
  ]);
  const byStatus = Object.fromEntries(REGISTRATION_STATUSES.map((status) => [status, 0])) as Record<RegistrationStatus, number>;
  for (const row of byStatusRows) byStatus[row.status] = Number(row.count);
  const total = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
  return {
    rows: rows.map((r) => ({
      id: r.id,
      name: fullName(r),
      email: r.email,
      organisation: r.organisation,
      country: countryName(r.country) ?? r.country,
      category: r.category,
      gender: r.gender,
      attendanceMode: r.attendance_mode,
      status: r.status,
      registered: dayIn(r.created_at, meeting.timezone),
      registeredAt: r.created_at.toISOString(),
    })),
    total,
    byStatus,
    meetingTotal: Number(all.count),
    page,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    pageSize,
  };
}

/** The countries the meeting's registrants come from, by name: the country filter's choices (and the one chosen, if any). */
export async function registrantCountries(db: Executor, meetingId: number, chosen?: string): Promise<{ value: string; label: string }[]> {
  const rows = await db.selectFrom("registrations").select("country").distinct().where("meeting_id", "=", meetingId).execute();
  const codes = new Set(rows.map((row) => row.country));
  if (chosen) codes.add(chosen);
  return [...codes]
    .map((country) => ({ value: country, label: countryName(country) ?? country }))
    .sort((a, b) => a.label.localeCompare(b.label, "en"));
}

/** An answer as people read it: choices joined with "; ", yes/no capitalised. */
export function answerText(question: Pick<RegistrationQuestion, "kind">, answer: Answers[string] | undefined): string {
  if (answer === undefined) return "";
  if (Array.isArray(answer)) return answer.join("; ");
  if (question.kind === "yes_no") return answer === "yes" ? "Yes" : answer === "no" ? "No" : answer;
  return answer;
}

/** Who made a change, as the history shows it. */
function changedBy(
  change: { changed_by: number | null; note: string | null; from_status: RegistrationStatus | null; user_email: string | null },
  registration: Registration,
): string {
  if (change.note === "by the participant") return "participant";
  if (change.user_email) return change.user_email === registration.email ? "participant" : change.user_email;
  // Nobody signed in: the registration form itself (the first entry), or the waiting list moving up.
  return change.from_status === null ? "participant" : "system";
}

/** One registration of the meeting with its answers, follow-up and history; undefined when it is not this meeting's. */
export async function registrationFile(db: Executor, meeting: { id: number; timezone: string }, registrationId: number) {
  const registration = await db
    .selectFrom("registrations")
    .selectAll()
    .where("id", "=", registrationId)
    .where("meeting_id", "=", meeting.id)
    .executeTakeFirst();
  if (!registration) return undefined;
  const [questions, followUp, changes] = await Promise.all([
    registrationQuestions(db, meeting.id),
    db.selectFrom("registration_follow_ups").selectAll().where("registration_id", "=", registration.id).executeTakeFirst(),
    db
      .selectFrom("registration_status_changes")
      .leftJoin("users", "users.id", "registration_status_changes.changed_by")
      .select([
        "registration_status_changes.id",
        "registration_status_changes.from_status",
        "registration_status_changes.to_status",
        "registration_status_changes.changed_by",
        "registration_status_changes.note",
        "registration_status_changes.created_at",
        "users.email as user_email",
      ])
      .where("registration_status_changes.registration_id", "=", registration.id)
      .orderBy("registration_status_changes.created_at")
      .orderBy("registration_status_changes.id")
      .execute(),
  ]);
  return {
    registration,
    answers: questions.map((question) => ({
      id: question.id,
      label: question.label,
      answer: answerText(question, registration.answers[String(question.id)]),
    })),
    followUp: followUp ?? null,
    history: changes.map((change) => ({
      id: change.id,
      from: change.from_status,
      to: change.to_status,
      by: changedBy(change, registration),
      note: change.note,
      at: formatInstant(change.created_at, meeting.timezone),
      atIso: change.created_at.toISOString(),
    })),
  };
}

export type DecisionOutcome = { registrationId: number; name: string; ok: true; changed: boolean } | { registrationId: number; name: string; ok: false; message: string };

/**
 * Applies an organiser's decision to each registration in turn, each through changeRegistrationStatus
 * (its own transaction: history, email, waiting-list promotion). A refusal (no places left, a
 * confirmed place to the waiting list) stops none of the others; each outcome is reported.
 */
export async function decide(
  db: Kysely<Database>,
  input: { meetingId: number; registrationIds: number[]; to: Decision; by: number },
): Promise<DecisionOutcome[]> {
  const ids = [...new Set(input.registrationIds)];
  if (ids.length === 0) return [];
  const people = await db
    .selectFrom("registrations")
    .select(["id", "salutation", "first_name", "last_name"])
    .where("meeting_id", "=", input.meetingId)
    .where("id", "in", ids)
    .execute();
  const names = new Map(people.map((p) => [p.id, fullName(p)]));
  const outcomes: DecisionOutcome[] = [];
  for (const id of ids) {
    const name = names.get(id) ?? `Registration ${id}`;
    const result = await changeRegistrationStatus(db, { meetingId: input.meetingId, registrationId: id, to: input.to, by: input.by });
    outcomes.push(result.ok ? { registrationId: id, name, ok: true, changed: result.changed } : { registrationId: id, name, ok: false, message: result.message });
  }
  return outcomes;
}

/** The selected registrations of this meeting (others' ids are dropped), for the bulk confirmation step. */
export async function selectedRegistrations(db: Executor, meetingId: number, ids: number[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("registrations")
    .select(["id", "salutation", "first_name", "last_name", "organisation", "status"])
    .where("meeting_id", "=", meetingId)
    .where("id", "in", ids)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ id: r.id, name: fullName(r), organisation: r.organisation, status: r.status }));
}

type Count<K extends string> = { key: K; count: number };

/**
 * The numbers organisers report: every registration by status; the confirmed participants and all
 * active registrations (pending, confirmed, waiting list) by category, country and gender; and the
 * share of women among the confirmed.
 */
export async function registrationSummary(db: Executor, meetingId: number) {
  const rows = await db
    .selectFrom("registrations")
    .select(["status", "category", "country", "gender", (eb) => eb.fn.countAll<string>().as("count")])
    .where("meeting_id", "=", meetingId)
    .groupBy(["status", "category", "country", "gender"])
    .execute();
  const active = new Set<RegistrationStatus>(ACTIVE_STATUSES);

  const byStatus: Count<RegistrationStatus>[] = REGISTRATION_STATUSES.map((key) => ({
    key,
    count: rows.filter((r) => r.status === key).reduce((n, r) => n + Number(r.count), 0),
  }));

  function breakdown<K extends string>(keyOf: (r: (typeof rows)[number]) => K, order: readonly K[] | null) {
    const confirmed = new Map<K, number>();
    const registered = new Map<K, number>();
    for (const r of rows) {
      if (!active.has(r.status)) continue;
      const key = keyOf(r);
      registered.set(key, (registered.get(key) ?? 0) + Number(r.count));
      if (r.status === "confirmed") confirmed.set(key, (confirmed.get(key) ?? 0) + Number(r.count));
    }
    const keys = order ? order.filter((k) => registered.has(k)) : [...registered.keys()];
    return keys.map((key) => ({ key, confirmed: confirmed.get(key) ?? 0, registered: registered.get(key) ?? 0 }));
  }

  const byCategory = breakdown((r) => r.category, PARTICIPANT_CATEGORIES);
  const byGender = breakdown((r) => r.gender, GENDERS);
  const byCountry = breakdown((r) => r.country, null)
    .map((row) => ({ ...row, name: countryName(row.key) ?? row.key }))
    .sort((a, b) => a.name.localeCompare(b.name, "en"));

  const confirmed = byStatus.find((s) => s.key === "confirmed")?.count ?? 0;
  const women = byGender.find((g) => g.key === "female")?.confirmed ?? 0;
  return {
    total: byStatus.reduce((n, s) => n + s.count, 0),
    byStatus,
    byCategory,
    byCountry,
    byGender,
    confirmed,
    women,
    /** Women among confirmed participants, in percent with one decimal; null when nobody is confirmed. */
    womenShare: confirmed === 0 ? null : Math.round((women / confirmed) * 1000) / 10,
  };
}

export type RegistrationSummary = Awaited<ReturnType<typeof registrationSummary>>;
