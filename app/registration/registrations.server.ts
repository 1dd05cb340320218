import type { Kysely, Transaction } from "kysely";
import { meetingPlace } from "~/meetings/meeting-place.server";
import type { Database, Meeting, Registration, RegistrationQuestion, RegistrationStatus } from "../../db/schema";
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
  | { kind: "registered"; status: "confirmed" | "waitlisted" | "pending" }
  | { kind: "already-registered" }
  | { kind: "closed" }
  | { kind: "refused"; errors: Record<string, string> };

/**
 * Registers someone for a meeting under its policy, in one transaction with the email it causes.
 * The meeting's row is locked first, so the capacity check and the insert see every other
 * registration (and a check on the meeting row holds the count within capacity regardless).
 */
export async function register(
  db: Kysely<Database>,
  meetingId: number,
  input: RegistrationInput,
  userId: number | null,
  now: Date = new Date(),
): Promise<RegisterOutcome> {
  return db.transaction().execute(async (trx) => {
    const meeting = await lockMeeting(trx, meetingId);
    const counts = { confirmed: meeting.confirmed_count, waitlisted: meeting.waitlisted_count, pending: meeting.pending_count };
    if (!registrationState(meeting, counts, now).isOpen) return { kind: "closed" };

    const existing = await trx
      .selectFrom("registrations")
      .selectAll()
      .where("meeting_id", "=", meeting.id)
      .where("email", "=", input.email)
      .executeTakeFirst();
    if (existing) {
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
      return { kind: "already-registered" };
    }

    const invitation = await useInvitation(trx, meeting, input);
    if (!invitation.ok) return { kind: "refused", errors: { [invitation.field]: invitation.message } };

    const status = meeting.registration_policy === "moderated" ? "pending" : hasFreePlace(meeting) ? "confirmed" : "waitlisted";
    await insertRegistration(trx, meeting, { ...input, invitationId: invitation.invitationId }, status, { userId, by: userId }, now);
    return { kind: "registered", status };
  });
}

/** Inserts a registration with its first status and the email that acknowledges it. The caller holds the meeting's lock. */
async function insertRegistration(
  trx: Transaction<Database>,
  meeting: Meeting,
  input: RegistrationDetails & { email: string; invitationId: number | null },
  status: "confirmed" | "waitlisted" | "pending",
  who: { userId: number | null; by: number | null; note?: string },
  now: Date,
): Promise<Registration> {
  const token = newSecretToken();
  const registration = await trx
    .insertInto("registrations")
    .values({
      meeting_id: meeting.id,
      user_id: who.userId,
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
      status,
      manage_token_hash: hashSecretToken(token),
      invitation_id: input.invitationId,
      consent_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordStatusChange(trx, registration.id, null, status, who.by, who.note);
  await enqueueEmail(trx, {
    to: registration.email,
    template: "registration-received",
    content: registrationReceivedEmail({ ...registrationFacts(meeting, registration, token), status }),
    attachments: status === "confirmed" ? [await meetingCalendarAttachment(trx, meeting)] : [],
  });
  return registration;
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
  const existing = await trx.selectFrom("registrations").selectAll().where("meeting_id", "=", meeting.id).where("email", "=", input.email).executeTakeFirst();
  if (existing) return { ok: true, registration: existing, existing: true };
  if (meeting.status !== "published") return { ok: false, message: "Only a published meeting takes registrations." };
  if (!hasFreePlace(meeting)) {
    return { ok: false, message: `No places left (${meeting.confirmed_count} of ${meeting.capacity} confirmed). Raise the capacity first.` };
  }
  const who = { userId: null, by: organiserId, note: "registered on the spot by an organiser" };
  const registration = await insertRegistration(trx, meeting, { ...input, invitationId: null }, "confirmed", who, now);
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
