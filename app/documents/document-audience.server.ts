import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction, sql } from "kysely";
import type { Database, RegistrationStatus } from "../../db/schema";
import { fullName, matchingRegistrations } from "~/registration/registration-console.server";
import { ACTIVE_STATUSES } from "~/registration/registration-filters";
import type { DocumentAudienceChoice } from "./document-audience";

/**
 * Who an audience of documents (a circulation, a comment period) reaches in the database: the
 * meeting's registrations that still count and match it. See document-audience.ts for its shape.
 */

type Executor = Kysely<Database> | Transaction<Database>;

/** The registrations an organiser may choose one by one: those that still count, by name. */
export async function choosablePeople(db: Executor, meetingId: number) {
  const rows = await db
    .selectFrom("registrations")
    .select(["id", "salutation", "first_name", "last_name", "email", "organisation", "status"])
    .where("meeting_id", "=", meetingId)
    .where("status", "in", [...ACTIVE_STATUSES])
    .orderBy("last_name")
    .orderBy("first_name")
    .orderBy("id")
    .execute();
  return rows.map((row) => ({ id: row.id, name: fullName(row), email: row.email, organisation: row.organisation, status: row.status }));
}

/** The audience as one condition on `registrations`: never a registration that declined or cancelled, nor another meeting's. */
function inAudience(meetingId: number, audience: DocumentAudienceChoice) {
  return (eb: ExpressionBuilder<Database, "registrations">): Expression<SqlBool> => {
    if (!("registrations" in audience)) return matchingRegistrations(meetingId, audience)(eb);
    return eb.and([
      eb("registrations.meeting_id", "=", meetingId),
      eb("registrations.status", "in", [...ACTIVE_STATUSES]),
      audience.registrations.length ? eb("registrations.id", "in", audience.registrations) : eb.val(false),
    ]);
  };
}

export type AudienceMember = { id: number; email: string; firstName: string; name: string; status: RegistrationStatus; optedOut: boolean };

/**
 * Everyone the audience names, in the order they registered, each with whether their address opted
 * out of the meeting's circulations. Chosen people who are not, or no longer, active registrants of
 * the meeting are reported as `unknown`.
 */
export async function audienceMembers(db: Executor, meetingId: number, audience: DocumentAudienceChoice) {
  const rows = await db
    .selectFrom("registrations")
    .select((eb) => [
      "registrations.id",
      "registrations.email",
      "registrations.salutation",
      "registrations.first_name",
      "registrations.last_name",
      "registrations.status",
      eb
        .exists(
          eb
            .selectFrom("circulation_opt_outs")
            .select("circulation_opt_outs.email")
            .where("circulation_opt_outs.meeting_id", "=", meetingId)
            .whereRef("circulation_opt_outs.email", "=", sql<string>`lower(registrations.email)`),
        )
        .as("opted_out"),
    ])
    .where(inAudience(meetingId, audience))
    .orderBy("registrations.created_at")
    .orderBy("registrations.id")
    .execute();
  const members: AudienceMember[] = rows.map((row) => ({
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    name: fullName(row),
    status: row.status,
    optedOut: Boolean(row.opted_out),
  }));
  const found = new Set(rows.map((row) => row.id));
  const unknown = "registrations" in audience ? audience.registrations.filter((id) => !found.has(id)) : [];
  return { members, unknown };
}

/**
 * Who a circulation to the audience reaches now: its members whose address has not opted out of
 * the meeting's circulations (those are counted apart), and the chosen people who are `unknown`.
 */
export async function audienceRecipients(db: Executor, meetingId: number, audience: DocumentAudienceChoice) {
  const { members, unknown } = await audienceMembers(db, meetingId, audience);
  const recipients = members.filter((member) => !member.optedOut);
  return { recipients, optedOut: members.length - recipients.length, unknown };
}
