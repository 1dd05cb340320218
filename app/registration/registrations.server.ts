import { type Insertable, type Kysely, type Transaction, sql } from "kysely";
import { inTransaction, recordAuditEvent } from "~/audit/audit-log.server";
import { meetingPlace } from "~/meetings/meeting-place.server";
import type { Database, Meeting, Registration, RegistrationQuestion, RegistrationStatus, RegistrationTable } from "../../db/schema";
import { manageLinkEmail } from "../../emails/manage-link";
import { type OutboxRow, enqueueEmail, outboxRow } from "../../emails/outbox.server";
import type { RegistrationFacts } from "../../emails/registration-facts";
import { registrationReceivedEmail } from "../../emails/registration-received";
import { registrationStatusChangedEmail } from "../../emails/registration-status-changed";
import { hashSecretToken, looksLikeSecretToken, newSecretToken } from "~/accounts/secret-token.server";
import { meetingCalendarAttachment } from "~/calendar/feeds.server";
import { perDatabase } from "~/lib/per-database.server";
import { formatInstantForPerson, meetingDays } from "~/lib/time";
import { WriteGroups } from "~/lib/write-groups.server";
import { registrationState } from "~/meetings/registration-state";
import { appUrl } from "~/settings.server";
import { normaliseInvitationCode } from "./invitations.server";
import { REGISTRATION_STATUS_LABELS } from "./labels";
import type { RegistrationDetails, RegistrationInput } from "./registration-form.server";

type Executor = Kysely<Database> | Transaction<Database>;

export function manageUrl(token: string): string {
  return `${appUrl()}/registrations/${token}`;
}

/** Only confirmed participants who come in person fill in the travel and visa form. */
export function needsFollowUp(registration: Pick<Registration, "status" | "attendance_mode">): boolean {
  return registration.status === "confirmed" && registration.attendance_mode === "in_person";
}

/** What registration emails state about the meeting and this person's place. */
export function registrationFacts(
  meeting: Meeting,
  registration: Pick<Registration, "first_name" | "timezone" | "status" | "attendance_mode">,
  token: string | null,
): RegistrationFacts {
  const link = token ? manageUrl(token) : `${appUrl()}/my`;
  return {
    firstName: registration.first_name,
    meetingTitle: meeting.title,
    meetingDates: meetingDays(meeting),
    meetingPlace: meetingPlace(meeting),
    meetingUrl: `${appUrl()}/meetings/${meeting.slug}`,
    registrationCloses: meeting.registration_closes_at
      ? formatInstantForPerson(meeting.registration_closes_at, meeting.timezone, registration.timezone)
      : null,
    manageUrl: link,
    followUpUrl: token && needsFollowUp(registration) ? `${link}/follow-up` : null,
  };
}

export async function registrationQuestions(db: Executor, meetingId: number): Promise<RegistrationQuestion[]> {
  return db
    .selectFrom("registration_questions")
    .selectAll()
    .where("meeting_id", "=", meetingId)
    .orderBy("position")
    .orderBy("id")
    .execute();
}

/** Locks the meeting's row: registrations and status changes of one meeting then happen one after another. */
async function lockMeeting(trx: Transaction<Database>, meetingId: number): Promise<Meeting> {
  return trx.selectFrom("meetings").selectAll().where("id", "=", meetingId).forUpdate().executeTakeFirstOrThrow();
}

function hasFreePlace(meeting: Meeting): boolean {
  return meeting.capacity === null || meeting.confirmed_count < meeting.capacity;
}

async function recordStatusChange(
  trx: Transaction<Database>,
  registrationId: number,
  from: RegistrationStatus | null,
  to: RegistrationStatus,
  changedBy: number | null,
  note: string | null = null,
) {
  await trx
    .insertInto("registration_status_changes")
    .values({ registration_id: registrationId, from_status: from, to_status: to, changed_by: changedBy, note })
    .execute();
}

/** Rotates the manage link (only its hash is stored) and returns the new one. */
async function newManageToken(trx: Transaction<Database>, registrationId: number): Promise<string> {
  const token = newSecretToken();
  await trx
    .updateTable("registrations")
    .set({ manage_token_hash: hashSecretToken(token) })
    .where("id", "=", registrationId)
    .execute();
  return token;
}

type InvitationCheck = { ok: true; invitationId: number | null } | { ok: false; field: string; message: string };

const LINK_NOT_VALID =
  "This invitation link no longer works: the organisers may have withdrawn it or sent a newer one. Use the link in the newest invitation email, or ask the organisers to send it again.";
const CODE_NOT_VALID = "This invitation is not valid. Check the code, or ask the organisers.";
const CODE_MISSING = "This meeting is by invitation: enter your invitation code";

/**
 * For invitation-only meetings: a valid email invitation (its link, `invitation`) or code
 * (`invitationCode`, however it was typed), used up by one. A refusal names the field the person sees.
 */
async function useInvitation(trx: Transaction<Database>, meeting: Meeting, input: RegistrationInput): Promise<InvitationCheck> {
  if (meeting.registration_policy !== "invitation") return { ok: true, invitationId: null };
  const base = trx.selectFrom("invitations").selectAll().where("meeting_id", "=", meeting.id).forUpdate();
  const byLink = input.invitation !== null;
  const code = input.invitationCode === null ? null : normaliseInvitationCode(input.invitationCode);
  const invitation = byLink
    ? looksLikeSecretToken(input.invitation)
      ? await base.where("kind", "=", "email").where("token_hash", "=", hashSecretToken(input.invitation)).executeTakeFirst()
      : undefined
    : code
      ? await base.where("kind", "=", "code").where("code", "=", code).executeTakeFirst()
      : undefined;
  const field = byLink ? "invitation" : "invitationCode";
  if (!invitation || invitation.revoked_at) {
    return { ok: false, field, message: byLink ? LINK_NOT_VALID : input.invitationCode ? CODE_NOT_VALID : CODE_MISSING };
  }
  if (invitation.kind === "email" && invitation.email !== input.email) {
    return { ok: false, field: "email", message: `This invitation is for ${invitation.email}: register with that address` };
  }
  if (invitation.uses >= invitation.max_uses) {
    return { ok: false, field, message: "This invitation has already been used as many times as it allows" };
  }
  await trx.updateTable("invitations").set({ uses: invitation.uses + 1 }).where("id", "=", invitation.id).execute();
  return { ok: true, invitationId: invitation.id };
}

type FirstStatus = "confirmed" | "waitlisted" | "pending";

export type RegisterOutcome =
  | { kind: "registered"; status: FirstStatus }
  | { kind: "already-registered" }
  | { kind: "closed" }
  | { kind: "refused"; errors: Record<string, string> };

/**
 * Registers someone for a meeting under its policy, with the email it causes.
 *
 * In a burst (a popular workshop opening) registrations for one meeting wait for each other on its
 * row, so everything is prepared before: the meeting is read and found open, the row written and
 * its acknowledgement rendered for each status it may get. One statement then locks the meeting,
 * decides the status by the places left, and inserts the registration, its history and the email.
 * It is its own transaction, or shares one with the registrations for the same meeting that
 * arrived at the same moment (see registrationWrites), but for invitation-only meetings, where the
 * invitation's use goes with it; so the lock is held for work in PostgreSQL, never while Node is
 * busy elsewhere.
 * That statement writes nothing if the meeting has changed since it was read (an organiser closed
 * registration, raised the capacity, edited the agenda the .ics shows): all is then done again
 * from the meeting as it is. The unique (meeting, email) key decides between two submissions of
 * one address at once, and a check on the meeting row holds the count within capacity.
 *
 * `meetingOrId` is the meeting's id, or its row as the caller has just read it, which the first attempt
 * then uses as read (a change since makes that attempt write nothing, as above).
 */
export async function register(
  db: Kysely<Database>,
  meetingOrId: number | Meeting,
  input: RegistrationInput,
  userId: number | null,
  now: Date = new Date(),
): Promise<RegisterOutcome> {
  const meetingId = typeof meetingOrId === "number" ? meetingOrId : meetingOrId.id;
  let justRead = typeof meetingOrId === "number" ? null : meetingOrId;
  for (let attempt = 1; attempt <= 10; attempt++) {
    const meeting = justRead ?? (await db.selectFrom("meetings").selectAll().where("id", "=", meetingId).executeTakeFirstOrThrow());
    justRead = null;
    const counts = { confirmed: meeting.confirmed_count, waitlisted: meeting.waitlisted_count, pending: meeting.pending_count };
    if (!registrationState(meeting, counts, now).isOpen) return { kind: "closed" };
    const registration = await newRegistration(db, meeting, input, userId, now, meeting.registration_policy === "moderated" ? "pending" : null);
    const outcome =
      meeting.registration_policy === "invitation"
        ? await registerInvited(db, meeting, input, registration, userId)
        : await registrationWrites(db).write(meeting.id, { meeting, registration, who: { by: userId } });
    if (outcome === "meeting changed") continue;
    if (outcome === "already registered") return sendManageLink(db, meeting, input.email);
    if ("errors" in outcome) return { kind: "refused", errors: outcome.errors };
    return { kind: "registered", status: outcome.status };
  }
  throw new Error(`Meeting ${meetingId} kept changing while ${input.email} registered`);
}

type Inserted = NewlyRegistered | "already registered" | "meeting changed";
type NewlyRegistered = Registration & { status: FirstStatus };

/** Thrown to undo an invitation's use when its registration is not written after all. */
class NotInserted extends Error {
  constructor(readonly outcome: "already registered" | "meeting changed") {
    super(`Not registered: ${outcome}`);
  }
}

/**
 * For invitation-only meetings, the invitation is used up in the registration's transaction. Someone
 * already registered is told so before their invitation is looked at (it was used by their registration).
 */
async function registerInvited(
  db: Kysely<Database>,
  meeting: Meeting,
  input: RegistrationInput,
  registration: NewRegistration,
  userId: number | null,
): Promise<Inserted | { errors: Record<string, string> }> {
  try {
    return await db.transaction().execute(async (trx) => {
      if (await findRegistration(trx, meeting.id, input.email)) return "already registered";
      const invitation = await useInvitation(trx, meeting, input);
      if (!invitation.ok) {
        // A second submission of the same address waited here for the invitation its first one used up.
        if (await findRegistration(trx, meeting.id, input.email)) return "already registered";
        return { errors: { [invitation.field]: invitation.message } };
      }
      const inserted = await insertRegistration(trx, meeting, { ...registration, row: { ...registration.row, invitation_id: invitation.invitationId } }, { by: userId });
      if (typeof inserted === "string") throw new NotInserted(inserted);
      return inserted;
    });
  } catch (error) {
    if (error instanceof NotInserted) return error.outcome;
    throw error;
  }
}

async function findRegistration(db: Executor, meetingId: number, email: string): Promise<Registration | undefined> {
  return db.selectFrom("registrations").selectAll().where("meeting_id", "=", meetingId).where("email", "=", email).executeTakeFirst();
}

/** Someone registers again with the same address: nothing new is created, and they are emailed a new manage link. */
async function sendManageLink(db: Kysely<Database>, meeting: Meeting, email: string): Promise<RegisterOutcome> {
  await db.transaction().execute(async (trx) => {
    const existing = await findRegistration(trx, meeting.id, email);
    if (!existing) throw new Error(`No registration of ${email} for meeting ${meeting.id}`);
    const token = await newManageToken(trx, existing.id);
    await enqueueEmail(trx, {
      to: existing.email,
      meetingId: meeting.id,
      template: "manage-link",
      content: manageLinkEmail({
        firstName: existing.first_name,
        meetingTitle: meeting.title,
        manageUrl: manageUrl(token),
        statusLabel: REGISTRATION_STATUS_LABELS[existing.status],
      }),
    });
  });
  return { kind: "already-registered" };
}

/**
 * A registration ready to be written: its row but for the status, and the acknowledgement for each
 * status it may get: `status`, or else by the places left when it is written — confirmed (with the
 * meeting's .ics) or waitlisted, or only waitlisted if the meeting was full when read.
 */
interface NewRegistration {
  row: Omit<Insertable<RegistrationTable>, "status">;
  status: FirstStatus | null;
  acknowledgements: (OutboxRow & { status: FirstStatus })[];
}

async function newRegistration(
  db: Executor,
  meeting: Meeting,
  input: RegistrationDetails & { email: string },
  userId: number | null,
  now: Date,
  status: FirstStatus | null,
): Promise<NewRegistration> {
  const token = newSecretToken();
  const row = {
    meeting_id: meeting.id,
    user_id: userId,
    email: input.email,
    salutation: input.salutation,
    first_name: input.firstName,
    last_name: input.lastName,
    organisation: input.organisation,
    job_title: input.jobTitle,
    country: input.country,
    gender: input.gender,
    category: input.category,
    attendance_mode: input.attendanceMode,
    needs: input.needs,
    timezone: input.timezone,
    answers: JSON.stringify(input.answers),
    manage_token_hash: hashSecretToken(token),
    invitation_id: null,
    consent_at: now,
  };
  const statuses: FirstStatus[] = status ? [status] : hasFreePlace(meeting) ? ["confirmed", "waitlisted"] : ["waitlisted"];
  const calendar = statuses.includes("confirmed") ? [await meetingCalendarAttachment(db, meeting)] : [];
  const acknowledgements = statuses.map((status) => {
    const content = registrationReceivedEmail({ ...registrationFacts(meeting, { ...row, status }, token), status });
    return { status, ...outboxRow({ to: row.email, template: "registration-received", content, attachments: status === "confirmed" ? calendar : [] }) };
  });
  return { row, status, acknowledgements };
}

/**
 * Writes a registration, with its first status, the status's history and the acknowledgement, in
 * one statement that locks the meeting's row (see register) — unless the address is already
 * registered, or the meeting is no longer as it was read (nor full, if it was: a place freed
 * meanwhile is confirmed with the .ics, which is then prepared).
 */
async function insertRegistration(db: Executor, meeting: Meeting, registration: NewRegistration, who: { by: number | null; note?: string }): Promise<Inserted> {
  const mayConfirm = registration.status !== null || registration.acknowledgements.some((email) => email.status === "confirmed");
  const columns = Object.keys(registration.row).map((column) => sql.ref(column));
  const values = Object.values(registration.row).map((value) => sql.val(value));
  // One row if the meeting was locked as it was read, with nulls if the address was already registered.
  const { rows } = await sql<NewlyRegistered | { id: null }>`
    with meeting as (
      select id, coalesce(${registration.status}, case when capacity is null or confirmed_count < capacity then 'confirmed' else 'waitlisted' end) as status
      from meetings
      where id = ${meeting.id}
        and date_trunc('milliseconds', updated_at) = ${meeting.updated_at}
        and date_trunc('milliseconds', agenda_updated_at) is not distinct from ${meeting.agenda_updated_at}
        and calendar_sequence = ${meeting.calendar_sequence}
        and (${mayConfirm} or confirmed_count >= capacity)
      for update
    ), registration as (
      insert into registrations (${sql.join(columns)}, status)
      select ${sql.join(values)}, meeting.status from meeting
      on conflict (meeting_id, email) do nothing
      returning *
    ), history as (
      insert into registration_status_changes (registration_id, to_status, changed_by, note)
      select id, status, ${who.by}, ${who.note ?? null} from registration
    ), acknowledgement as (
      insert into outbox (to_address, template, subject, html, text, headers, attachments, meeting_id)
      select email.to_address, email.template, email.subject, email.html, email.text, email.headers::jsonb, email.attachments::jsonb, registration.meeting_id
      from registration
      join jsonb_to_recordset(${JSON.stringify(registration.acknowledgements)})
        as email(status text, to_address text, template text, subject text, html text, text text, headers text, attachments text)
        on email.status = registration.status
    )
    select registration.* from meeting left join registration on true`.execute(db);
  const inserted = rows[0];
  if (!inserted) return "meeting changed";
  if (inserted.id === null) return "already registered";
  return inserted;
}

interface QueuedRegistration {
  meeting: Meeting;
  registration: NewRegistration;
  who: { by: number | null };
}

/** A group's transaction holds the meeting's lock until it commits: an organiser's change to the meeting waits for at most this many. */
const REGISTRATIONS_PER_TRANSACTION = 50;

/**
 * Registrations for one meeting are written in turn under its row lock. Those that arrive while one
 * is written wait here (see WriteGroups) and are then written in one transaction, each by its own
 * statement, in the order they arrived: in a burst, one pooled connection waits on the meeting's
 * lock instead of every connection of the pool, which stays free for everything else (the
 * thank-you pages), and the group waits for the disk once instead of once each.
 */
const registrationWrites = perDatabase(
  (db: Kysely<Database>) =>
    new WriteGroups<number, QueuedRegistration, Inserted>({
      together: (queued) =>
        db.transaction().execute(async (trx) => {
          const inserted: Inserted[] = [];
          for (const { meeting, registration, who } of queued) inserted.push(await insertRegistration(trx, meeting, registration, who));
          return inserted;
        }),
      alone: ({ meeting, registration, who }) => insertRegistration(db, meeting, registration, who),
      most: REGISTRATIONS_PER_TRANSACTION,
    }),
);

/** How many registrations for the meeting wait in this process for the one being written (the burst's tests wait for them). */
export function registrationsWaiting(db: Kysely<Database>, meetingId: number): number {
  return registrationWrites(db).waiting(meetingId);
}

type OnTheSpotOutcome =
  | { ok: true; registration: Registration; existing: boolean }
  | { ok: false; message: string };

/**
 * An organiser registers someone who arrived unregistered (a walk-in at the desk, a name in a
 * webinar report): confirmed at once, whatever the meeting's policy or closing date, within its
 * capacity, with the usual acknowledgement email. Someone already registered is returned as they
 * are, for the organiser to decide on.
 */
export async function registerOnTheSpot(
  db: Kysely<Database>,
  meetingId: number,
  input: RegistrationDetails & { email: string },
  organiserId: number,
  now: Date = new Date(),
): Promise<OnTheSpotOutcome> {
  return db.transaction().execute((trx) => registerOnTheSpotIn(trx, meetingId, input, organiserId, now));
}

/** registerOnTheSpot within the caller's transaction, for a change that goes with it (linking a name from a webinar report). */
export async function registerOnTheSpotIn(
  trx: Transaction<Database>,
  meetingId: number,
  input: RegistrationDetails & { email: string },
  organiserId: number,
  now: Date = new Date(),
): Promise<OnTheSpotOutcome> {
  const meeting = await lockMeeting(trx, meetingId);
  const existing = await findRegistration(trx, meeting.id, input.email);
  if (existing) return { ok: true, registration: existing, existing: true };
  if (meeting.status !== "published") return { ok: false, message: "Only a published meeting takes registrations." };
  if (!hasFreePlace(meeting)) {
    return { ok: false, message: `No places left (${meeting.confirmed_count} of ${meeting.capacity} confirmed). Raise the capacity first.` };
  }
  const registration = await newRegistration(trx, meeting, input, null, now, "confirmed");
  const inserted = await insertRegistration(trx, meeting, registration, { by: organiserId, note: "registered on the spot by an organiser" });
  // Neither can happen under the meeting's lock, taken above.
  if (typeof inserted === "string") throw new Error(`${input.email} was not registered for meeting ${meetingId}: ${inserted}`);
  await recordAuditEvent(trx, {
    actor: organiserId,
    meetingId: meeting.id,
    action: "registration.created_on_the_spot",
    subject: { type: "registration", id: inserted.id },
    summary: `Registered ${inserted.first_name} ${inserted.last_name} on the spot, confirmed`,
    after: { email: inserted.email, first_name: inserted.first_name, last_name: inserted.last_name, status: inserted.status },
  });
  return { ok: true, registration: inserted, existing: false };
}

export type StatusChangeResult = { ok: true; changed: boolean } | { ok: false; message: string };

const MOVE_CONFIRMED_TO_WAITLIST =
  "A confirmed place is not moved to the waiting list, where the person would be in line for the place they had. Cancel or decline it instead: the place then goes to the first person waiting.";

/**
 * Changes a registration's status (an organiser's decision, or the participant cancelling), records
 * who did it and emails the person, once. When a confirmed place is given up (cancelled or
 * declined), the oldest on the waiting list are confirmed in the same transaction, each emailed
 * once. A confirmed place goes back to pending without promoting anyone: the organisers are
 * reconsidering that person, not freeing the place for the next. Given a transaction, it runs in it
 * (an account deletion cancels the person's places and erases them at once).
 */
export async function changeRegistrationStatus(
  db: Executor,
  input: { meetingId: number; registrationId: number; to: RegistrationStatus; by: number | null; byParticipant?: boolean },
): Promise<StatusChangeResult> {
  return inTransaction(db, async (trx) => {
    const meeting = await lockMeeting(trx, input.meetingId);
    const registration = await trx
      .selectFrom("registrations")
      .selectAll()
      .where("id", "=", input.registrationId)
      .where("meeting_id", "=", meeting.id)
      .forUpdate()
      .executeTakeFirst();
    if (!registration) return { ok: false, message: "No such registration for this meeting." };
    if (registration.status === input.to) return { ok: true, changed: false };
    if (registration.status === "confirmed" && input.to === "waitlisted") return { ok: false, message: MOVE_CONFIRMED_TO_WAITLIST };
    if (input.to === "confirmed" && !hasFreePlace(meeting)) {
      return {
        ok: false,
        message: `No places left (${meeting.confirmed_count} of ${meeting.capacity} confirmed). Raise the capacity, or put this person on the waiting list.`,
      };
    }
    await setStatus(trx, meeting, registration, input.to, input.by, input.byParticipant ?? false);
    await recordAuditEvent(trx, {
      actor: input.byParticipant ? null : input.by,
      meetingId: meeting.id,
      action: "registration.status_changed",
      subject: { type: "registration", id: registration.id },
      summary: `${registration.first_name} ${registration.last_name}: ${registration.status} → ${input.to}`,
      before: { status: registration.status },
      after: { status: input.to },
    });
    if (registration.status === "confirmed" && (input.to === "cancelled" || input.to === "declined")) await promoteFromWaitingList(trx, meeting.id);
    return { ok: true, changed: true };
  });
}

async function setStatus(
  trx: Transaction<Database>,
  meeting: Meeting,
  registration: Registration,
  to: RegistrationStatus,
  by: number | null,
  byParticipant: boolean,
) {
  await trx.updateTable("registrations").set({ status: to, updated_at: new Date() }).where("id", "=", registration.id).execute();
  await recordStatusChange(trx, registration.id, registration.status, to, by, byParticipant ? "by the participant" : null);
  // Links are stored hashed, so an email that carries one carries a new one; a closed registration's email carries none.
  const stillActive = to !== "cancelled" && to !== "declined";
  const token = stillActive ? await newManageToken(trx, registration.id) : null;
  await enqueueEmail(trx, {
    to: registration.email,
    meetingId: registration.meeting_id,
    template: "registration-status-changed",
    content: registrationStatusChangedEmail({
      ...registrationFacts(meeting, { ...registration, status: to }, token),
      status: to,
      previous: registration.status,
      byParticipant,
    }),
    attachments: to === "confirmed" ? [await meetingCalendarAttachment(trx, meeting)] : [],
  });
}

/** Fills free places from the waiting list, oldest first. The caller holds the meeting's lock. */
async function promoteFromWaitingList(trx: Transaction<Database>, meetingId: number) {
  for (;;) {
    const meeting = await trx.selectFrom("meetings").selectAll().where("id", "=", meetingId).executeTakeFirstOrThrow();
    if (!hasFreePlace(meeting)) return;
    const next = await trx
      .selectFrom("registrations")
      .selectAll()
      .where("meeting_id", "=", meetingId)
      .where("status", "=", "waitlisted")
      .orderBy("created_at")
      .orderBy("id")
      .limit(1)
      .forUpdate()
      .executeTakeFirst();
    if (!next) return;
    await setStatus(trx, meeting, next, "confirmed", null, false);
  }
}

/** The registration a manage link opens, with its meeting; undefined for an unknown or old link. */
export async function findRegistrationByToken(db: Executor, token: string | undefined) {
  if (!looksLikeSecretToken(token)) return undefined;
  const registration = await db
    .selectFrom("registrations")
    .selectAll()
    .where("manage_token_hash", "=", hashSecretToken(token))
    .executeTakeFirst();
  if (!registration) return undefined;
  const meeting = await db.selectFrom("meetings").selectAll().where("id", "=", registration.meeting_id).executeTakeFirstOrThrow();
  return { registration, meeting };
}

/** The participant's own changes from the manage page (the email stays: it identifies the registration). */
export async function updateRegistrationDetails(db: Executor, registrationId: number, details: RegistrationDetails): Promise<void> {
  await db
    .updateTable("registrations")
    .set({
      salutation: details.salutation,
      first_name: details.firstName,
      last_name: details.lastName,
      organisation: details.organisation,
      job_title: details.jobTitle,
      country: details.country,
      gender: details.gender,
      category: details.category,
      attendance_mode: details.attendanceMode,
      needs: details.needs,
      timezone: details.timezone,
      answers: JSON.stringify(details.answers),
      updated_at: new Date(),
    })
    .where("id", "=", registrationId)
    .execute();
}

/** Those confirmed for the meeting, as emails to them need them. */
export async function confirmedRegistrants(db: Executor, meetingId: number) {
  return db.selectFrom("registrations").select(["email", "first_name", "timezone"]).where("meeting_id", "=", meetingId).where("status", "=", "confirmed").execute();
}

/** The meetings this address is confirmed for that ended after `endedAfter`. */
export async function confirmedMeetingIds(db: Executor, email: string, endedAfter: Date): Promise<number[]> {
  const rows = await db
    .selectFrom("registrations")
    .select("meeting_id")
    .where("email", "=", email.toLowerCase())
    .where("status", "=", "confirmed")
    .where("meeting_ends_at", ">", endedAfter)
    .execute();
  return rows.map((row) => row.meeting_id);
}

/** A signed-in person's registrations (by their email), latest meeting first. */
export async function registrationsOfPerson(db: Executor, email: string) {
  return db
    .selectFrom("registrations")
    .innerJoin("meetings", "meetings.id", "registrations.meeting_id")
    .select([
      "registrations.id",
      "registrations.status",
      "registrations.attendance_mode",
      "registrations.created_at",
      "meetings.slug",
      "meetings.title",
      "meetings.timezone",
      "meetings.starts_on",
      "meetings.ends_on",
      "meetings.status as meeting_status",
    ])
    .where("registrations.email", "=", email.toLowerCase())
    .where("meetings.status", "!=", "draft")
    .orderBy("meetings.starts_at", "desc")
    .execute();
}

/**
 * A fresh manage link for one of a signed-in person's registrations (links are stored hashed, so
 * `/my` cannot show the old one).
 */
export async function manageLinkForPerson(db: Kysely<Database>, email: string, registrationId: number): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    const registration = await trx
      .selectFrom("registrations")
      .select("id")
      .where("id", "=", registrationId)
      .where("email", "=", email.toLowerCase())
      .executeTakeFirst();
    if (!registration) return null;
    return manageUrl(await newManageToken(trx, registration.id));
  });
}
