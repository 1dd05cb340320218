import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { derivedSecretToken } from "~/accounts/secret-token.server";
import { inTransaction, recordAuditEvent } from "~/audit/audit-log.server";
import { appUrl } from "~/settings.server";

/**
 * The secrets that stand for a registration at the door and online: the badge's check-in
 * reference (in its QR code) and the self check-in link in the day's reminder. Each is
 * `<registration id>.<256-bit secret>`, the secret derived from the registration's salt with the
 * server's key, so nothing is stored beside it; reissuing the badge (a new salt) retires both.
 * Neither is the manage link: a badge lost in a hotel lobby lets no one change the registration.
 */

type Executor = Kysely<Database> | Transaction<Database>;
type Purpose = "badge" | "self-check-in";

function reference(purpose: Purpose, registration: { id: number; checkin_salt: Buffer }): string {
  return `${registration.id}.${derivedSecretToken(purpose, registration.id, registration.checkin_salt)}`;
}

/** The text a badge's QR code holds: the desk's address with the reference, so a plain camera app leads there too. */
export function badgeCode(meetingSlug: string, registration: { id: number; checkin_salt: Buffer }): string {
  return `${appUrl()}/admin/meetings/${encodeURIComponent(meetingSlug)}/checkin?badge=${reference("badge", registration)}`;
}

/** The self check-in address for the day's reminder. */
export function selfCheckInUrl(meetingSlug: string, registration: { id: number; checkin_salt: Buffer }): string {
  return `${appUrl()}/meetings/${encodeURIComponent(meetingSlug)}/attend/${reference("self-check-in", registration)}`;
}

const REFERENCE = /(?:^|[?&=/\s])(\d{1,9})\.([A-Za-z0-9_-]{43})(?:$|[&#\s])/;

/** The reference inside what a scanner read (the badge's whole address, or the reference alone); null when there is none. */
export function readReference(scanned: string): { registrationId: number; secret: string } | null {
  const match = REFERENCE.exec(scanned.trim());
  if (!match) return null;
  return { registrationId: Number(match[1]), secret: match[2]! };
}

async function registrationOf(db: Executor, purpose: Purpose, meetingId: number, scanned: string) {
  const ref = readReference(scanned);
  if (!ref) return undefined;
  const registration = await db
    .selectFrom("registrations")
    .leftJoin("users", "users.id", "registrations.user_id")
    .selectAll("registrations")
    .select("users.timezone as account_timezone")
    .where("registrations.id", "=", ref.registrationId)
    .where("registrations.meeting_id", "=", meetingId)
    .executeTakeFirst();
  if (!registration) return undefined;
  const expected = Buffer.from(derivedSecretToken(purpose, registration.id, registration.checkin_salt));
  const given = Buffer.from(ref.secret);
  return expected.length === given.length && timingSafeEqual(expected, given) ? registration : undefined;
}

/** The meeting's registration a scanned badge stands for; undefined for a forged, retired or other meeting's badge. */
export function registrationOfBadge(db: Executor, meetingId: number, scanned: string) {
  return registrationOf(db, "badge", meetingId, scanned);
}

/** The meeting's registration a self check-in link stands for; undefined when unknown or retired. */
export function registrationOfSelfCheckIn(db: Executor, meetingId: number, token: string) {
  return registrationOf(db, "self-check-in", meetingId, token);
}

/** A new salt: the badge's old QR code and the old self check-in links stop working. */
export async function reissueBadge(db: Executor, meetingId: number, registrationId: number, by: number | null): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const reissued = await trx
      .updateTable("registrations")
      .set({ checkin_salt: randomBytes(16) })
      .where("id", "=", registrationId)
      .where("meeting_id", "=", meetingId)
      .returning(["first_name", "last_name"])
      .executeTakeFirst();
    if (!reissued) return false;
    const summary = `Reissued the badge of ${reissued.first_name} ${reissued.last_name}: the old badge no longer works`;
    await recordAuditEvent(trx, { actor: by, meetingId, action: "registration.badge_reissued", subject: { type: "registration", id: registrationId }, summary });
    return true;
  });
}
