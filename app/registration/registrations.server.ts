import type { Insertable, Kysely, Transaction } from "kysely";
import { meetingPlace } from "~/meetings/meeting-place.server";
import type { Database, EmailAttachment, Meeting, Registration, RegistrationQuestion, RegistrationStatus, RegistrationTable } from "../../db/schema";
import { manageLinkEmail } from "../../emails/manage-link";
import { enqueueEmail } from "../../emails/outbox.server";
import type { RegistrationFacts } from "../../emails/registration-facts";
import { registrationReceivedEmail } from "../../emails/registration-received";
import { registrationStatusChangedEmail } from "../../emails/registration-status-changed";
import { hashSecretToken, looksLikeSecretToken, newSecretToken } from "~/accounts/secret-token.server";
import { meetingCalendarAttachment } from "~/calendar/feeds.server";
import { formatInstantForPerson, meetingDays } from "~/lib/time";
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
export function registrationFacts(meeting: Meeting, registration: Registration, token: string | null): RegistrationFacts {
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

export type RegisterOutcome =
  | { kind: "registered"; status: FirstStatus }
  | { kind: "already-registered" }
  | { kind: "closed" }
  | { kind: "refused"; errors: Record<string, string> };

/** Thrown inside register's transaction when the same address registered meanwhile: undoes the invitation's use. */
class AlreadyRegistered extends Error {
  constructor() {
    super("Already registered for this meeting");
  }
}

/**
 * Registers someone for a meeting under its policy, in one transaction with the email it causes.
 * In a burst (a popular workshop opening) registrations for one meeting wait for each other on its
 * row, so what does not depend on the places left is done before its lock: reading the meeting,
 * the "already registered" check, the new row and the meeting's .ics for the confirmation. Under
 * the lock: whether registration is still open, the invitation's use, the status and the inserts.
 * The unique (meeting, email) key decides between two submissions of one address at once, and a
 * check on the meeting row holds the count within capacity.
 */
export async function register(
  db: Kysely<Database>,
  meetingId: number,
  input: RegistrationInput,
  userId: number | null,
  now: Date = new Date(),
): Promise<RegisterOutcome> {
  const meeting = await db.selectFrom("meetings").selectAll().where("id", "=", meetingId).executeTakeFirstOrThrow();
  if (!isOpen(meeting, now)) return { kind: "closed" };
  const existing = await findRegistration(db, meeting.id, input.email);
  if (existing) return sendManageLink(db, meeting, existing);

  // The .ics is built only for someone who may get a place: in a full meeting, only if one frees up meanwhile.
  let prepared = await newRegistration(db, meeting, input, userId, now, mayConfirm(meeting));
  try {
    return await db.transaction().execute(async (trx): Promise<RegisterOutcome> => {
      const locked = await lockMeeting(trx, meetingId);
      if (!isOpen(locked, now)) return { kind: "closed" };
      // The meeting or its agenda changed since it was read: the .ics is built again, from what it is now.
      if (!sameVersion(locked, meeting)) prepared = { ...prepared, calendar: null };
      const invitation = await useInvitation(trx, locked, input);
      if (!invitation.ok) return { kind: "refused", errors: { [invitation.field]: invitation.message } };
      const status = firstStatus(locked);
      const registration = await insertRegistration(trx, locked, { ...prepared, invitationId: invitation.invitationId }, status, { by: userId });
      if (!registration) throw new AlreadyRegistered();
      return { kind: "registered", status };
    });
  } catch (error) {
    if (!(error instanceof AlreadyRegistered)) throw error;
    return sendManageLink(db, meeting, await findRegistrationOrThrow(db, meeting.id, input.email));
  }
}

function isOpen(meeting: Meeting, now: Date): boolean {
  return registrationState(meeting, { confirmed: 0, waitlisted: 0, pending: 0 }, now).isOpen;
}

/** The status a new registration gets now; the caller holds the meeting's lock. */
function firstStatus(meeting: Meeting): FirstStatus {
  return meeting.registration_policy === "moderated" ? "pending" : hasFreePlace(meeting) ? "confirmed" : "waitlisted";
}

function mayConfirm(meeting: Meeting): boolean {
  return meeting.registration_policy !== "moderated" && hasFreePlace(meeting);
}

/** What the acknowledgement and its .ics are made of is the same: the meeting's row (title, days, place) and its agenda. */
function sameVersion(a: Meeting, b: Meeting): boolean {
  return (
    a.updated_at.getTime() === b.updated_at.getTime() &&
    a.agenda_updated_at?.getTime() === b.agenda_updated_at?.getTime() &&
    a.calendar_sequence === b.calendar_sequence
  );
}

async function findRegistration(db: Executor, meetingId: number, email: string): Promise<Registration | undefined> {
  return db.selectFrom("registrations").selectAll().where("meeting_id", "=", meetingId).where("email", "=", email).executeTakeFirst();
}

async function findRegistrationOrThrow(db: Executor, meetingId: number, email: string): Promise<Registration> {
  const registration = await findRegistration(db, meetingId, email);
  if (!registration) throw new Error(`No registration of ${email} for meeting ${meetingId}`);
  return registration;
}

/** Someone registers again with the same address: nothing new is created, and they are emailed a new manage link. */
async function sendManageLink(db: Kysely<Database>, meeting: Meeting, existing: Registration): Promise<RegisterOutcome> {
  await db.transaction().execute(async (trx) => {
    const token = await newManageToken(trx, existing.id);
    await enqueueEmail(trx, {
      to: existing.email,
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

type FirstStatus = "confirmed" | "waitlisted" | "pending";

/** A registration's row but for its status, its manage link, and the meeting's .ics if it may be confirmed. */
interface NewRegistration {
  row: Omit<Insertable<RegistrationTable>, "status" | "invitation_id">;
  token: string;
  calendar: EmailAttachment | null;
}

async function newRegistration(
  db: Executor,
  meeting: Meeting,
  input: RegistrationDetails & { email: string },
  userId: number | null,
  now: Date,
  withCalendar: boolean,
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
    consent_at: now,
  };
  return { row, token, calendar: withCalendar ? await meetingCalendarAttachment(db, meeting) : null };
}

/**
 * Inserts a registration with its first status and the email that acknowledges it (with the
 * meeting's .ics when confirmed); undefined when the address is already registered for the meeting.
 * The caller holds the meeting's lock.
 */
async function insertRegistration(
  trx: Transaction<Database>,
  meeting: Meeting,
  registration: NewRegistration & { invitationId: number | null },
  status: FirstStatus,
  who: { by: number | null; note?: string },
): Promise<Registration | undefined> {
  const calendar = status === "confirmed" ? (registration.calendar ?? (await meetingCalendarAttachment(trx, meeting))) : null;
  const inserted = await trx
    .insertInto("registrations")
    .values({ ...registration.row, status, invitation_id: registration.invitationId })
    .onConflict((conflict) => conflict.columns(["meeting_id", "email"]).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!inserted) return undefined;
  await recordStatusChange(trx, inserted.id, null, status, who.by, who.note);
  await enqueueEmail(trx, {
    to: inserted.email,
    template: "registration-received",
    content: registrationReceivedEmail({ ...registrationFacts(meeting, inserted, registration.token), status }),
    attachments: calendar ? [calendar] : [],
  });
  return inserted;
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
  const prepared = await newRegistration(trx, meeting, input, null, now, true);
  const who = { by: organiserId, note: "registered on the spot by an organiser" };
  const registration = await insertRegistration(trx, meeting, { ...prepared, invitationId: null }, "confirmed", who);
  if (!registration) throw new Error(`${input.email} registered for meeting ${meetingId} under its lock`);
  return { ok: true, registration, existing: false };
}

export type StatusChangeResult = { ok: true; changed: boolean } | { ok: false; message: string };

const MOVE_CONFIRMED_TO_WAITLIST =
  "A confirmed place is not moved to the waiting list, where the person would be in line for the place they had. Cancel or decline it instead: the place then goes to the first person waiting.";

/**
 * Changes a registration's status (an organiser's decision, or the participant cancelling), records
 * who did it and emails the person, once. When a confirmed place is given up (cancelled or
 * declined), the oldest on the waiting list are confirmed in the same transaction, each emailed
 * once. A confirmed place goes back to pending without promoting anyone: the organisers are
 * reconsidering that person, not freeing the place for the next.
 */
export async function changeRegistrationStatus(
  db: Kysely<Database>,
  input: { meetingId: number; registrationId: number; to: RegistrationStatus; by: number | null; byParticipant?: boolean },
): Promise<StatusChangeResult> {
  return db.transaction().execute(async (trx) => {
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

/** The meetings this address is confirmed for. */
export async function confirmedMeetingIds(db: Executor, email: string): Promise<number[]> {
  const rows = await db.selectFrom("registrations").select("meeting_id").where("email", "=", email.toLowerCase()).where("status", "=", "confirmed").execute();
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
