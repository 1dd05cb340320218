import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction, sql } from "kysely";
import { DateTime } from "luxon";
import type { Database, Meeting, User } from "../../db/schema";
import { recordAuditEvent, redactMeetingFromAuditLog, redactPersonFromAuditLog } from "~/audit/audit-log.server";
import { ERASED_DOMAIN } from "~/lib/erased-address";
import { formatInstant } from "~/lib/time";
import { adminEmails } from "~/settings.server";
import { changeRegistrationStatus } from "~/registration/registrations.server";

/**
 * Erasing people: a participant deleting their account, or the organisers purging a past meeting's
 * personal data. A registration is anonymised in place rather than deleted: its status, country,
 * gender, category and attendance mode stay, and so do its check-ins and online stretches, so every
 * attendance report, export and public figure reads exactly as before, while nothing left (name,
 * address, organisation, answers, travel details, links) says who it was. A separate table of
 * counts would have had to reproduce each report's rules (days, items, online shares) and keep
 * them in step with every future report; anonymised rows are read by the same code as the rest.
 */

type Executor = Kysely<Database> | Transaction<Database>;

const NOT_SENT = "Not sent: the recipient's personal data was erased.";

/**
 * Erases the people of these registrations, keeping what reports count. Their manage links, badge
 * references and self check-in links stop working (new random values), their travel details and
 * the names and addresses by which webinar reports were matched to them go.
 */
async function anonymiseRegistrations(trx: Transaction<Database>, ids: number[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable("registrations")
    .set({
      email: sql<string>`'anonymised-' || id || ${`@${ERASED_DOMAIN}`}`,
      salutation: null,
      first_name: "Anonymised",
      last_name: "participant",
      organisation: "",
      job_title: null,
      needs: null,
      timezone: null,
      answers: "{}",
      user_id: null,
      manage_token_hash: sql<Buffer>`sha256(uuid_send(gen_random_uuid()))`,
      checkin_salt: sql<Buffer>`uuid_send(gen_random_uuid())`,
      anonymised_at: now,
      updated_at: now,
    })
    .where("id", "in", ids)
    .execute();
  await trx.updateTable("registration_status_changes").set({ note: null }).where("registration_id", "in", ids).execute();
  await trx.deleteFrom("registration_follow_ups").where("registration_id", "in", ids).execute();
  await trx.deleteFrom("online_identities").where("registration_id", "in", ids).execute();
  await anonymiseOnlineSessions(trx, (eb) => eb("registration_id", "in", ids));
}

/** Which rows of the table, as a `where` clause. */
type Where<T extends keyof Database> = (eb: ExpressionBuilder<Database, T>) => Expression<SqlBool>;

/** A webinar report's lines keep their times (reports count them) and lose the name and address. */
async function anonymiseOnlineSessions(trx: Transaction<Database>, which: Where<"online_sessions">): Promise<number> {
  const result = await trx
    .updateTable("online_sessions")
    .set({ name: sql<string>`'Anonymised ' || id`, email: null })
    .where(which)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Emails keep their subject, template and dates (what was sent, when); the address and the body go.
 * Those not yet sent never are: the person asked to be forgotten, or the meeting's data is purged.
 */
async function eraseEmails(trx: Transaction<Database>, which: Where<"outbox">): Promise<number> {
  const result = await trx
    .updateTable("outbox")
    .set({
      to_address: sql<string>`'erased-' || id || ${`@${ERASED_DOMAIN}`}`,
      html: "",
      text: "",
      attachments: "[]",
      last_error: sql<string | null>`case when status = 'pending' then ${NOT_SENT} else last_error end`,
      status: sql<"pending" | "sent" | "failed">`case when status = 'pending' then 'failed' else status end`,
    })
    .where(which)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Invitations by address lose it, and can no longer be used. */
async function eraseInvitations(trx: Transaction<Database>, ids: number[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable("invitations")
    .set({ email: sql<string>`'anonymised-invitation-' || id || ${`@${ERASED_DOMAIN}`}`, label: null, revoked_at: sql<Date>`coalesce(revoked_at, ${now})` })
    .where("id", "in", ids)
    .where("kind", "=", "email")
    .execute();
}

const ACTIVE = ["pending", "confirmed", "waitlisted"] as const;

/**
 * Deletes a person's account and erases them from every registration under their address, in one
 * transaction: it all happens, or nothing does. Their places in meetings not yet over are cancelled
 * first, the usual way (the place goes to the first person waiting); past registrations stay as
 * anonymous records, so attendance reports do not change. Their comments on documents are deleted
 * (their files, then unreferenced, are swept by the store's daily sweep), and so are their follows,
 * stars, sessions and sign-in links; the audit log keeps no name or address of theirs.
 */
export async function deleteAccount(db: Kysely<Database>, person: Pick<User, "id" | "email">, now: Date = new Date()): Promise<DeletionResult> {
  return db.transaction().execute(async (trx) => {
    if (await isLastAdministrator(trx, person.id)) return { ok: false as const, message: LAST_ADMINISTRATOR };
    const upcoming = await trx
      .selectFrom("registrations")
      .innerJoin("meetings", "meetings.id", "registrations.meeting_id")
      .select(["registrations.id", "registrations.meeting_id"])
      .where("registrations.email", "=", person.email)
      .where("registrations.status", "in", ACTIVE)
      .where("meetings.ends_at", ">", now)
      // Meetings locked in one order, as two deletions at once would otherwise each wait for the other.
      .orderBy("registrations.meeting_id")
      .orderBy("registrations.id")
      .execute();
    for (const registration of upcoming) {
      await changeRegistrationStatus(trx, { meetingId: registration.meeting_id, registrationId: registration.id, to: "cancelled", by: person.id, byParticipant: true });
    }
    const ids = (await trx.selectFrom("registrations").select("id").where("email", "=", person.email).forUpdate().execute()).map((row) => row.id);
    if (ids.length > 0) await trx.deleteFrom("document_inputs").where("registration_id", "in", ids).execute();
    await anonymiseRegistrations(trx, ids, now);
    await anonymiseOnlineSessions(trx, (eb) => eb("email", "=", person.email));
    await eraseEmails(trx, (eb) => eb("to_address", "=", person.email));
    const invitations = (await trx.selectFrom("invitations").select("id").where("email", "=", person.email).execute()).map((row) => row.id);
    await eraseInvitations(trx, invitations, now);
    await redactPersonFromAuditLog(trx, person, { registrations: ids, invitations });
    await trx.deleteFrom("follows").where("email", "=", person.email).execute();
    await trx.deleteFrom("login_tokens").where("email", "=", person.email).execute();
    await trx.deleteFrom("circulation_opt_outs").where("email", "=", person.email).execute();
    await trx.updateTable("document_downloads").set({ user_id: null }).where("user_id", "=", person.id).execute();
    // Sessions, stars and document visits go with the account (on delete cascade).
    await trx.deleteFrom("users").where("id", "=", person.id).execute();
    return { ok: true as const };
  });
}

export type DeletionResult = { ok: true } | { ok: false; message: string };

const LAST_ADMINISTRATOR =
  "You are the last administrator: make someone else an administrator first (Administrators page), so that someone can still grant roles.";

/**
 * Whether deleting this account would leave no administrator, nor anyone who becomes one on signing
 * in. An `ADMIN_EMAILS` address is an administrator again whenever it signs in, so when the setting
 * names anyone (the person included) the deletion goes ahead: the operator decides there.
 * Every administrator's row is locked, as revokeAdministrator() does, so that two deletions (or a
 * deletion and a revocation) at once cannot leave none.
 */
async function isLastAdministrator(trx: Transaction<Database>, userId: number): Promise<boolean> {
  const admins = await trx.selectFrom("users").select("id").where("role", "=", "administrator").orderBy("id").forUpdate().execute();
  return admins.length === 1 && admins[0]?.id === userId && adminEmails().size === 0;
}

/** The first moment a meeting's personal data may be purged: its end plus the retention period. */
export function purgeableFrom(meeting: Pick<Meeting, "ends_at">, retentionDays: number): Date {
  return DateTime.fromJSDate(meeting.ends_at).plus({ days: retentionDays }).toJSDate();
}

export type PurgeResult = { ok: true; registrations: number; onlineSessions: number; emails: number } | { ok: false; message: string };

/**
 * Erases the personal data of a meeting over for longer than the retention period: every
 * registration anonymised as above (comments on its documents stay, now anonymous: they are the
 * consultation's record), every webinar report line, the addresses of invitations, who downloaded
 * its papers, who opted out of its circulations, and the emails sent through it (those marked with
 * the meeting: acknowledgements, status changes, manage links, invitations, agenda changes,
 * cancellations, comment reminders; and circulations, mailings, attendance reminders), and the
 * names in its audit log's events about people. Recorded with who did it and how much was erased.
 */
export async function purgeMeeting(
  db: Kysely<Database>,
  meeting: Pick<Meeting, "id" | "ends_at" | "timezone">,
  input: { by: number | null; retentionDays: number; now?: Date },
): Promise<PurgeResult> {
  const now = input.now ?? new Date();
  const from = purgeableFrom(meeting, input.retentionDays);
  if (now < from) {
    return { ok: false, message: `This meeting's personal data is kept for ${input.retentionDays} days after it ends: it can be purged from ${formatInstant(from, meeting.timezone)}.` };
  }
  return db.transaction().execute(async (trx) => {
    const ids = (
      await trx.selectFrom("registrations").select("id").where("meeting_id", "=", meeting.id).where("anonymised_at", "is", null).forUpdate().execute()
    ).map((row) => row.id);
    const emails = await eraseEmails(trx, (eb) =>
      eb.or([
        eb("meeting_id", "=", meeting.id),
        eb("id", "in", eb.selectFrom("circulation_recipients").innerJoin("circulations", "circulations.id", "circulation_recipients.circulation_id").select("outbox_id").where("circulations.meeting_id", "=", meeting.id)),
        eb("id", "in", eb.selectFrom("mailing_recipients").innerJoin("mailings", "mailings.id", "mailing_recipients.mailing_id").select("outbox_id").where("mailings.meeting_id", "=", meeting.id)),
        eb(
          "id",
          "in",
          eb
            .selectFrom("attendance_reminders")
            .innerJoin("registrations", "registrations.id", "attendance_reminders.registration_id")
            .select("outbox_id")
            .where("registrations.meeting_id", "=", meeting.id)
            .where("outbox_id", "is not", null)
            .$narrowType<{ outbox_id: string }>(),
        ),
      ]),
    );
    await anonymiseRegistrations(trx, ids, now);
    const onlineSessions = await anonymiseOnlineSessions(trx, (eb) => eb.and([eb("meeting_id", "=", meeting.id), eb.or([eb("email", "is not", null), eb("name", "not like", "Anonymised %")])]));
    const invitations = await trx.selectFrom("invitations").select("id").where("meeting_id", "=", meeting.id).execute();
    await eraseInvitations(trx, invitations.map((row) => row.id), now);
    await trx.updateTable("invitations").set({ label: null }).where("meeting_id", "=", meeting.id).execute();
    await redactMeetingFromAuditLog(trx, meeting.id);
    await trx
      .updateTable("document_downloads")
      .set({ user_id: null })
      .where("document_id", "in", (eb) => eb.selectFrom("documents").select("documents.id").where("documents.meeting_id", "=", meeting.id))
      .where("user_id", "is not", null)
      .execute();
    await trx.deleteFrom("document_visits").where("meeting_id", "=", meeting.id).execute();
    await trx.deleteFrom("circulation_opt_outs").where("meeting_id", "=", meeting.id).execute();
    await trx.insertInto("personal_data_purges").values({ meeting_id: meeting.id, purged_by: input.by, registrations: ids.length, online_sessions: onlineSessions, emails }).execute();
    await recordAuditEvent(trx, {
      actor: input.by,
      meetingId: meeting.id,
      action: "personal_data.purged",
      summary: `Personal data purged: ${ids.length} registrations, ${onlineSessions} webinar report lines, ${emails} emails`,
      after: { registrations: ids.length, onlineSessions, emails },
    });
    return { ok: true as const, registrations: ids.length, onlineSessions, emails };
  });
}

/** How many of the meeting's registrations still name a person. */
export async function identifiableRegistrations(db: Executor, meetingId: number): Promise<number> {
  const row = await db
    .selectFrom("registrations")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("meeting_id", "=", meetingId)
    .where("anonymised_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The meeting's purges, latest first, with who made them. */
export async function purgesOf(db: Executor, meetingId: number) {
  return db
    .selectFrom("personal_data_purges")
    .leftJoin("users", "users.id", "personal_data_purges.purged_by")
    .select(["personal_data_purges.created_at", "personal_data_purges.registrations", "personal_data_purges.online_sessions", "personal_data_purges.emails", "users.email as by"])
    .where("personal_data_purges.meeting_id", "=", meetingId)
    .orderBy("personal_data_purges.created_at", "desc")
    .orderBy("personal_data_purges.id", "desc")
    .execute();
}
