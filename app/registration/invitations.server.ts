import { randomBytes } from "node:crypto";
import { meetingPlace } from "~/meetings/meeting-place.server";
import type { Kysely, Transaction } from "kysely";
import { z } from "zod";
import type { Database, Invitation, InvitationKind, Meeting } from "../../db/schema";
import { invitationEmail } from "../../emails/invitation";
import { enqueueEmail } from "../../emails/outbox.server";
import { hashSecretToken, newSecretToken } from "~/accounts/secret-token.server";
import { inTransaction, recordAuditEvent } from "~/audit/audit-log.server";
import { type FormFailure, fieldErrors, formValues } from "~/lib/form";
import { formatInstant, meetingDays } from "~/lib/time";
import { appUrl } from "~/settings.server";
import type { InvitationStatus } from "./organiser-labels";

/**
 * Invitations to an invitation-only meeting: a personal email link (one use, for that address) or
 * a code a government focal point passes to the delegates they nominate (N uses). Only the link's
 * hash is stored; register() (registrations.server.ts) checks and uses them up under the meeting's lock.
 */

type Executor = Kysely<Database> | Transaction<Database>;

export function invitationStatus(invitation: Pick<Invitation, "revoked_at" | "uses" | "max_uses">): InvitationStatus {
  if (invitation.revoked_at) return "revoked";
  return invitation.uses >= invitation.max_uses ? "used_up" : "active";
}

/** How many addresses one submission may invite. */
export const MAX_ADDRESSES = 500;

/** Letters and digits nobody confuses when reading a code aloud or copying it: no I, O, 0, 1. */
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A code such as `ABCD-EFGH-JKLM`: 12 characters of a 32-letter alphabet, 60 random bits. */
export function newInvitationCode(): string {
  const bytes = randomBytes(12);
  // 256 is a multiple of 32, so taking the low five bits keeps every letter equally likely.
  const letters = [...bytes].map((byte) => CODE_ALPHABET[byte & 31]).join("");
  return `${letters.slice(0, 4)}-${letters.slice(4, 8)}-${letters.slice(8, 12)}`;
}

/**
 * A code as someone may type it (lower case, spaces, no hyphens) in the form it is stored, or
 * null when it cannot be one of ours.
 */
export function normaliseInvitationCode(typed: string): string | null {
  const letters = typed.toUpperCase().replace(/[^A-Z0-9]/g, "");
  if (letters.length !== 12 || [...letters].some((c) => !CODE_ALPHABET.includes(c))) return null;
  return `${letters.slice(0, 4)}-${letters.slice(4, 8)}-${letters.slice(8, 12)}`;
}

export function invitationRegisterUrl(meeting: Pick<Meeting, "slug">, token: string): string {
  return `${appUrl()}/meetings/${meeting.slug}/register?invitation=${token}`;
}

async function sendInvitation(trx: Transaction<Database>, meeting: Meeting, email: string, token: string, now: Date = new Date()) {
  await enqueueEmail(trx, {
    to: email,
    meetingId: meeting.id,
    template: "invitation",
    content: invitationEmail({
      email,
      organisingBody: meeting.organising_body,
      meetingTitle: meeting.title,
      meetingDates: meetingDays(meeting),
      meetingPlace: meetingPlace(meeting),
      meetingUrl: `${appUrl()}/meetings/${meeting.slug}`,
      registrationOpens:
        meeting.registration_opens_at && meeting.registration_opens_at > now ? formatInstant(meeting.registration_opens_at, meeting.timezone) : null,
      registrationCloses: meeting.registration_closes_at ? formatInstant(meeting.registration_closes_at, meeting.timezone) : null,
      registerUrl: invitationRegisterUrl(meeting, token),
    }),
  });
}

/** Emails go out only for a meeting people can open: a draft's form is not public, a cancelled one takes no one. */
function cannotSendFor(meeting: Meeting, now: Date = new Date()): string | null {
  if (meeting.status === "draft") return "Publish the meeting first: invited people open its registration form, which is public only once the meeting is published.";
  if (meeting.status === "cancelled") return "The meeting is cancelled: nobody can register for it.";
  if (meeting.ends_at <= now || (meeting.registration_closes_at && meeting.registration_closes_at <= now)) {
    return "Registration for this meeting has closed: an invitation could not be used. Change the closing time on the meeting's page first.";
  }
  return null;
}

const emailSchema = z.email();

/** Addresses as pasted from a spreadsheet or an email: one a line or separated by commas, semicolons or spaces; `Name <address>` allowed. */
export function parseAddressList(text: string): { valid: string[]; invalid: string[] } {
  const valid: string[] = [];
  const invalid: string[] = [];
  const entries = text.split(/[\n\r,;]+/).flatMap((entry) => (entry.includes("<") ? [entry] : entry.split(/\s+/)));
  for (const entry of entries) {
    const trimmed = entry.trim();
    if (!trimmed) continue;
    const address = (/<([^<>]+)>\s*$/.exec(trimmed)?.[1] ?? trimmed).trim().toLowerCase();
    if (address.length <= 200 && emailSchema.safeParse(address).success) {
      if (!valid.includes(address)) valid.push(address);
    } else if (!invalid.includes(trimmed)) {
      invalid.push(trimmed);
    }
  }
  return { valid, invalid };
}

export type InviteResult =
  | { ok: true; invited: string[]; alreadyInvited: string[]; alreadyRegistered: string[]; invalid: string[] }
  | ({ ok: false } & FormFailure);

/**
 * Invites each valid address once: an invitation row (its link's hash) and the email carrying the
 * link, in one transaction. Addresses already invited or already registered are reported, not invited again.
 */
export async function inviteByEmail(db: Kysely<Database>, meeting: Meeting, formData: FormData, by: number | null): Promise<InviteResult> {
  const values = formValues(formData);
  const text = values.emails ?? "";
  const refuse = (message: string): InviteResult => ({ ok: false, errors: { emails: message }, values });
  const { valid, invalid } = parseAddressList(text);
  if (valid.length === 0 && invalid.length === 0) return refuse("Give at least one email address");
  if (valid.length > MAX_ADDRESSES) return refuse(`At most ${MAX_ADDRESSES} addresses at a time`);
  const notNow = cannotSendFor(meeting);
  if (notNow) return refuse(notNow);
  if (valid.length === 0) return { ok: false, errors: { emails: `Not email addresses: ${invalid.join(", ")}` }, values };

  return db.transaction().execute(async (trx) => {
    const registered = new Set(
      (
        await trx
          .selectFrom("registrations")
          .select("email")
          .where("meeting_id", "=", meeting.id)
          .where("email", "in", valid)
          .execute()
      ).map((r) => r.email),
    );
    const invited: string[] = [];
    const alreadyInvited: string[] = [];
    const alreadyRegistered: string[] = [];
    for (const email of valid) {
      if (registered.has(email)) {
        alreadyRegistered.push(email);
        continue;
      }
      const token = newSecretToken();
      const row = await trx
        .insertInto("invitations")
        .values({ meeting_id: meeting.id, kind: "email", email, token_hash: hashSecretToken(token), max_uses: 1, created_by: by })
        .onConflict((oc) => oc.columns(["meeting_id", "email"]).doNothing())
        .returning("id")
        .executeTakeFirst();
      if (!row) {
        alreadyInvited.push(email);
        continue;
      }
      await sendInvitation(trx, meeting, email, token);
      invited.push(email);
    }
    if (invited.length > 0) {
      const summary = `Invited ${invited.length} ${invited.length === 1 ? "person" : "people"} by email`;
      await recordAuditEvent(trx, { actor: by, meetingId: meeting.id, action: "invitation.sent", subject: { type: "meeting", id: meeting.id }, summary, after: { invited } });
    }
    return { ok: true, invited, alreadyInvited, alreadyRegistered, invalid };
  });
}

const codeSchema = z.object({
  label: z
    .string({ error: "Say who the code is for, e.g. Republic of Korea focal point" })
    .trim()
    .min(1, "Say who the code is for, e.g. Republic of Korea focal point")
    .max(200, "At most 200 characters"),
  maxUses: z
    .string({ error: "How many people may register with it?" })
    .trim()
    .min(1, "How many people may register with it?")
    .pipe(z.coerce.number<string>({ error: "A whole number, e.g. 5" }).int("A whole number, e.g. 5").min(1, "At least 1").max(1000, "At most 1000")),
});

export type IssueCodeResult = { ok: true; code: string } | ({ ok: false } & FormFailure);

/** Issues a new code for the meeting, unique within it. */
export async function issueCode(db: Executor, meeting: Meeting, formData: FormData, by: number | null): Promise<IssueCodeResult> {
  const values = formValues(formData);
  const parsed = codeSchema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error), values };
  if (meeting.status === "cancelled") return { ok: false, errors: { label: "The meeting is cancelled: nobody can register for it." }, values };
  const { label, maxUses } = parsed.data;
  return inTransaction(db, async (trx) => {
    // A clash within one meeting is a 1 in 2^60 event per pair; try again rather than fail.
    for (let attempt = 0; attempt < 5; attempt++) {
      const code = newInvitationCode();
      const row = await trx
        .insertInto("invitations")
        .values({ meeting_id: meeting.id, kind: "code", code, label, max_uses: maxUses, created_by: by })
        .onConflict((oc) => oc.columns(["meeting_id", "code"]).doNothing())
        .returning(["id", "code"])
        .executeTakeFirst();
      if (!row?.code) continue;
      // The code itself stays out of the log: it lets people register.
      const summary = `Issued a code for “${label}”, ${maxUses} use${maxUses === 1 ? "" : "s"}`;
      await recordAuditEvent(trx, { actor: by, meetingId: meeting.id, action: "invitation.code_issued", subject: { type: "invitation", id: row.id }, summary, after: { label, max_uses: maxUses } });
      return { ok: true as const, code: row.code };
    }
    throw new Error("could not find a free invitation code");
  });
}

/** Stops an invitation at once: register() refuses it from the next request on. */
export async function revokeInvitation(db: Executor, meetingId: number, invitationId: number, by: number | null): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const revoked = await trx
      .updateTable("invitations")
      .set({ revoked_at: new Date() })
      .where("id", "=", invitationId)
      .where("meeting_id", "=", meetingId)
      .where("revoked_at", "is", null)
      .returning(["email", "label"])
      .executeTakeFirst();
    if (!revoked) return false;
    const summary = `Revoked the invitation of ${revoked.email ?? `“${revoked.label}”`}`;
    await recordAuditEvent(trx, { actor: by, meetingId, action: "invitation.revoked", subject: { type: "invitation", id: invitationId }, summary, before: { revoked: false }, after: { revoked: true } });
    return true;
  });
}

/** `unknown` when the meeting has no such email invitation (the caller answers 404). */
export type ResendResult = { ok: true; email: string } | { ok: false; message: string; unknown?: true };

/**
 * Sends an email invitation again with a new link (the old one stops working); a revoked one is
 * reinstated, since sending it again is the organiser's decision to invite that person after all.
 */
export async function resendInvitation(db: Kysely<Database>, meeting: Meeting, invitationId: number, by: number | null): Promise<ResendResult> {
  const notNow = cannotSendFor(meeting);
  if (notNow) return { ok: false, message: notNow };
  return db.transaction().execute(async (trx) => {
    const invitation = await trx
      .selectFrom("invitations")
      .selectAll()
      .where("id", "=", invitationId)
      .where("meeting_id", "=", meeting.id)
      .forUpdate()
      .executeTakeFirst();
    if (!invitation || invitation.kind !== "email" || !invitation.email) return { ok: false, message: "No such email invitation for this meeting.", unknown: true };
    if (invitation.uses >= invitation.max_uses) return { ok: false, message: `${invitation.email} has already registered with this invitation.` };
    const token = newSecretToken();
    await trx.updateTable("invitations").set({ token_hash: hashSecretToken(token), revoked_at: null }).where("id", "=", invitation.id).execute();
    await sendInvitation(trx, meeting, invitation.email, token);
    const summary = `Sent the invitation of ${invitation.email} again, with a new link`;
    const revoked = invitation.revoked_at !== null;
    await recordAuditEvent(trx, { actor: by, meetingId: meeting.id, action: "invitation.resent", subject: { type: "invitation", id: invitation.id }, summary, ...(revoked ? { before: { revoked }, after: { revoked: false } } : {}) });
    return { ok: true, email: invitation.email };
  });
}

export interface InvitationRow {
  id: number;
  kind: InvitationKind;
  email: string | null;
  code: string | null;
  label: string | null;
  uses: number;
  maxUses: number;
  status: InvitationStatus;
  createdAt: string;
  /** Who registered with it, oldest first. */
  registrants: string[];
}

/** The meeting's invitations, newest first, with who registered with each. */
export async function listInvitations(db: Executor, meetingId: number): Promise<InvitationRow[]> {
  const invitations = await db
    .selectFrom("invitations")
    .selectAll()
    .where("meeting_id", "=", meetingId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
  const registrants = await db
    .selectFrom("registrations")
    .select(["invitation_id", "first_name", "last_name"])
    .where("meeting_id", "=", meetingId)
    .where("invitation_id", "is not", null)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const byInvitation = new Map<number, string[]>();
  for (const r of registrants) {
    const names = byInvitation.get(r.invitation_id!) ?? [];
    names.push(`${r.first_name} ${r.last_name}`);
    byInvitation.set(r.invitation_id!, names);
  }
  return invitations.map((i) => ({
    id: i.id,
    kind: i.kind,
    email: i.email,
    code: i.code,
    label: i.label,
    uses: i.uses,
    maxUses: i.max_uses,
    status: invitationStatus(i),
    createdAt: i.created_at.toISOString(),
    registrants: byInvitation.get(i.id) ?? [],
  }));
}
