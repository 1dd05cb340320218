import type { ExpressionBuilder, Kysely } from "kysely";
import type { Database, User } from "../../db/schema";
import { groupBy } from "~/lib/group-by";

/**
 * Everything held about one signed-in person, as the JSON they download from /my: their account,
 * every registration under their address (also those made without an account) with its answers,
 * history, travel details, check-ins, online presence, comments and the papers and messages sent
 * to it, and what is kept under their account or address (team roles, invitations, the audit log's
 * events about them or by them, follows, stars, downloads, emails…).
 * Secrets (hashes, salts, tokens) are never included: they identify nothing and would only help an
 * attacker. The README's "Personal data" section lists the same.
 */

type Person = Pick<User, "id" | "email">;

export async function personalData(db: Kysely<Database>, person: Person, now: Date = new Date()) {
  const [account, registrations, teamRoles, invitations, auditEvents, follows, stars, downloads, visits, optOuts, emails, signInLinks, sessions, webinarPresence] = await Promise.all([
    accountOf(db, person),
    registrationsOf(db, person),
    db
      .selectFrom("meeting_roles")
      .innerJoin("meetings", "meetings.id", "meeting_roles.meeting_id")
      .select(["meetings.slug as meeting", "meeting_roles.role", "meeting_roles.granted_at as grantedAt"])
      .where("meeting_roles.user_id", "=", person.id)
      .orderBy("meeting_roles.granted_at")
      .execute(),
    db
      .selectFrom("invitations")
      .innerJoin("meetings", "meetings.id", "invitations.meeting_id")
      .select(["meetings.slug as meeting", "invitations.email", "invitations.label", "invitations.uses", "invitations.created_at as sentAt", "invitations.revoked_at as revokedAt"])
      .where("invitations.email", "=", person.email)
      .orderBy("invitations.created_at")
      .execute(),
    auditEventsOf(db, person),
    db
      .selectFrom("follows")
      .leftJoin("programmes", "programmes.id", "follows.programme_id")
      .select(["programmes.title as programme", "follows.confirmed_at as confirmedAt", "follows.created_at as createdAt"])
      .where("follows.email", "=", person.email)
      .orderBy("follows.id")
      .execute(),
    db
      .selectFrom("agenda_stars")
      .innerJoin("agenda_items", "agenda_items.id", "agenda_stars.item_id")
      .innerJoin("meetings", "meetings.id", "agenda_items.meeting_id")
      .select(["meetings.slug as meeting", "agenda_items.title as item", "agenda_items.starts_at as startsAt", "agenda_stars.created_at as starredAt"])
      .where("agenda_stars.user_id", "=", person.id)
      .orderBy("agenda_items.starts_at")
      .execute(),
    db
      .selectFrom("document_downloads")
      .innerJoin("documents", "documents.id", "document_downloads.document_id")
      .innerJoin("document_files", "document_files.id", "document_downloads.file_id")
      .innerJoin("meetings", "meetings.id", "documents.meeting_id")
      .select([
        "meetings.slug as meeting",
        "documents.title as document",
        "documents.symbol",
        "document_files.language",
        "document_files.version",
        "document_downloads.created_at as downloadedAt",
      ])
      .where("document_downloads.user_id", "=", person.id)
      .orderBy("document_downloads.created_at")
      .execute(),
    db
      .selectFrom("document_visits")
      .innerJoin("meetings", "meetings.id", "document_visits.meeting_id")
      .select(["meetings.slug as meeting", "document_visits.visited_at as visitedAt"])
      .where("document_visits.user_id", "=", person.id)
      .orderBy("document_visits.visited_at")
      .execute(),
    db
      .selectFrom("circulation_opt_outs")
      .innerJoin("meetings", "meetings.id", "circulation_opt_outs.meeting_id")
      .select(["meetings.slug as meeting", "circulation_opt_outs.created_at as optedOutAt"])
      .where("circulation_opt_outs.email", "=", person.email)
      .execute(),
    db
      .selectFrom("outbox")
      .select(["subject", "template", "status", "created_at as queuedAt", "sent_at as sentAt"])
      .where("to_address", "=", person.email)
      .orderBy("created_at")
      .execute(),
    db
      .selectFrom("login_tokens")
      .select(["created_at as requestedAt", "expires_at as expiresAt", "used_at as usedAt"])
      .where("email", "=", person.email)
      .orderBy("created_at")
      .execute(),
    db.selectFrom("sessions").select(["created_at as startedAt", "expires_at as expiresAt"]).where("user_id", "=", person.id).orderBy("created_at").execute(),
    // Webinar reports' lines under their address that no registration of theirs was linked to.
    db
      .selectFrom("online_sessions")
      .innerJoin("meetings", "meetings.id", "online_sessions.meeting_id")
      .select(["meetings.slug as meeting", "online_sessions.name", "online_sessions.joined_at as joinedAt", "online_sessions.left_at as leftAt"])
      .where("online_sessions.email", "=", person.email)
      .where("online_sessions.registration_id", "is", null)
      .orderBy("online_sessions.joined_at")
      .execute(),
  ]);
  return {
    exportedAt: now.toISOString(),
    account,
    registrations,
    teamRoles,
    invitations,
    auditEvents,
    follows,
    starredAgendaItems: stars,
    documentDownloads: downloads,
    documentPageVisits: visits,
    circulationOptOuts: optOuts,
    emails,
    signInLinks,
    sessions,
    unlinkedWebinarPresence: webinarPresence,
  };
}

async function accountOf(db: Kysely<Database>, person: Person) {
  const user = await db
    .selectFrom("users")
    .select(["email", "name", "role", "timezone", "feed_scope", "feed_token_hash", "created_at", "last_sign_in_at"])
    .where("id", "=", person.id)
    .executeTakeFirstOrThrow();
  return {
    email: user.email,
    name: user.name,
    role: user.role,
    timezone: user.timezone,
    calendarFeed: user.feed_token_hash ? { scope: user.feed_scope } : null,
    createdAt: user.created_at,
    lastSignInAt: user.last_sign_in_at,
  };
}

/**
 * The audit log's events about the person (their registrations, invitations and account), with
 * what changed; and what they did as an organiser, as the action and what it was done to, without
 * the text, which names the other people they acted on. Who acted on them is an organiser's
 * address, not theirs, and is left out as well.
 */
async function auditEventsOf(db: Kysely<Database>, person: Person) {
  const [registrations, invitations] = await Promise.all([
    db.selectFrom("registrations").select("id").where("email", "=", person.email).execute(),
    db.selectFrom("invitations").select("id").where("email", "=", person.email).execute(),
  ]);
  const about = (eb: ExpressionBuilder<Database, "audit_events">, type: string, ids: readonly { id: number }[]) =>
    eb.and([eb("audit_events.subject_type", "=", type), eb("audit_events.subject_id", "in", ids.length > 0 ? ids.map((row) => String(row.id)) : [""])]);
  const rows = await db
    .selectFrom("audit_events")
    .leftJoin("meetings", "meetings.id", "audit_events.meeting_id")
    .select([
      "audit_events.occurred_at as occurredAt",
      "meetings.slug as meeting",
      "audit_events.action",
      "audit_events.subject_type as subjectType",
      "audit_events.subject_id as subjectId",
      "audit_events.summary",
      "audit_events.before",
      "audit_events.after",
      "audit_events.actor_user_id",
    ])
    .where((eb) =>
      eb.or([
        eb("audit_events.actor_user_id", "=", person.id),
        about(eb, "user", [{ id: person.id }]),
        about(eb, "registration", registrations),
        about(eb, "invitation", invitations),
      ]),
    )
    .orderBy("audit_events.occurred_at")
    .orderBy("audit_events.id")
    .execute();
  return rows.map(({ actor_user_id, summary, before, after, ...event }) =>
    actor_user_id === person.id ? { ...event, byYou: true } : { ...event, byYou: false, summary, before, after },
  );
}

async function registrationsOf(db: Kysely<Database>, person: Person) {
  const rows = await db
    .selectFrom("registrations")
    .innerJoin("meetings", "meetings.id", "registrations.meeting_id")
    .select([
      "registrations.id",
      "meetings.slug as meetingSlug",
      "meetings.title as meetingTitle",
      "meetings.starts_on as meetingStartsOn",
      "meetings.ends_on as meetingEndsOn",
      "registrations.status",
      "registrations.email",
      "registrations.salutation",
      "registrations.first_name as firstName",
      "registrations.last_name as lastName",
      "registrations.organisation",
      "registrations.job_title as jobTitle",
      "registrations.country",
      "registrations.gender",
      "registrations.category",
      "registrations.attendance_mode as attendanceMode",
      "registrations.needs",
      "registrations.timezone",
      "registrations.answers",
      "registrations.consent_at as consentAt",
      "registrations.created_at as createdAt",
      "registrations.updated_at as updatedAt",
    ])
    .where("registrations.email", "=", person.email)
    .orderBy("meetings.starts_at")
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [questions, history, followUps, checkIns, online, inputs, circulations, mailings] = await Promise.all([
    db
      .selectFrom("registration_questions")
      .innerJoin("registrations", "registrations.meeting_id", "registration_questions.meeting_id")
      .select(["registration_questions.id", "registration_questions.label"])
      .where("registrations.id", "in", ids)
      .execute(),
    db
      .selectFrom("registration_status_changes")
      .select(["registration_id", "from_status as from", "to_status as to", "note", "created_at as at"])
      .where("registration_id", "in", ids)
      .orderBy("created_at")
      .orderBy("id")
      .execute(),
    db.selectFrom("registration_follow_ups").selectAll().where("registration_id", "in", ids).execute(),
    db
      .selectFrom("check_ins")
      .leftJoin("agenda_items", "agenda_items.id", "check_ins.agenda_item_id")
      .select(["check_ins.registration_id", "check_ins.day", "agenda_items.title as agendaItem", "check_ins.mode", "check_ins.method", "check_ins.recorded_at as recordedAt", "check_ins.undone_at as undoneAt"])
      .where("check_ins.registration_id", "in", ids)
      .orderBy("check_ins.recorded_at")
      .execute(),
    db
      .selectFrom("online_sessions")
      .select(["registration_id", "name", "email", "joined_at as joinedAt", "left_at as leftAt"])
      .where("registration_id", "in", ids)
      .orderBy("joined_at")
      .execute(),
    db
      .selectFrom("document_inputs")
      .innerJoin("documents", "documents.id", "document_inputs.document_id")
      .select([
        "document_inputs.registration_id",
        "documents.title as document",
        "document_inputs.body",
        "document_inputs.section",
        "document_inputs.page",
        "document_inputs.file_name as fileName",
        "document_inputs.created_at as createdAt",
        "document_inputs.updated_at as updatedAt",
        "document_inputs.addressed_at as addressedAt",
      ])
      .where("document_inputs.registration_id", "in", ids)
      .orderBy("document_inputs.created_at")
      .execute(),
    db
      .selectFrom("circulation_recipients")
      .innerJoin("circulations", "circulations.id", "circulation_recipients.circulation_id")
      .select(["circulation_recipients.registration_id", "circulations.id", "circulations.message", "circulations.created_at as sentAt"])
      .where("circulation_recipients.registration_id", "in", ids)
      .orderBy("circulations.created_at")
      .execute(),
    db
      .selectFrom("mailing_recipients")
      .innerJoin("mailings", "mailings.id", "mailing_recipients.mailing_id")
      .select(["mailing_recipients.registration_id", "mailings.subject", "mailings.created_at as sentAt"])
      .where("mailing_recipients.registration_id", "in", ids)
      .orderBy("mailings.created_at")
      .execute(),
  ]);
  const circulated = await circulatedDocuments(db, circulations.map((c) => c.id));
  const label = new Map(questions.map((q) => [String(q.id), q.label]));
  const of = <T extends { registration_id: number | null }>(list: T[], id: number) =>
    list.filter((row) => row.registration_id === id).map(({ registration_id: _, ...rest }) => rest);
  return rows.map(({ id, answers, meetingSlug, meetingTitle, meetingStartsOn, meetingEndsOn, ...registration }) => ({
    meeting: { slug: meetingSlug, title: meetingTitle, startsOn: meetingStartsOn, endsOn: meetingEndsOn },
    ...registration,
    answers: Object.entries(answers).map(([questionId, answer]) => ({ question: label.get(questionId) ?? null, answer })),
    statusHistory: of(history, id),
    travel: of(followUps, id).map(({ travel_funding_decided_by: _, updated_at, ...travel }) => ({ ...travel, updatedAt: updated_at }))[0] ?? null,
    checkIns: of(checkIns, id),
    onlineSessions: of(online, id),
    comments: of(inputs, id),
    circulationsReceived: of(circulations, id).map(({ id: circulationId, ...circulation }) => ({ ...circulation, documents: circulated.get(circulationId) ?? [] })),
    emailsFromOrganisers: of(mailings, id),
  }));
}

async function circulatedDocuments(db: Kysely<Database>, circulationIds: number[]): Promise<Map<number, string[]>> {
  if (circulationIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("circulation_documents")
    .innerJoin("documents", "documents.id", "circulation_documents.document_id")
    .select(["circulation_documents.circulation_id", "documents.title"])
    .where("circulation_documents.circulation_id", "in", circulationIds)
    .execute();
  return new Map([...groupBy(rows, (row) => row.circulation_id)].map(([id, documents]) => [id, documents.map((d) => d.title)]));
}
