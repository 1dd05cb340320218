import type { Kysely, Transaction } from "kysely";
import type { Database, MeetingRole, User } from "../../db/schema";
import { recordAuditEvent } from "~/audit/audit-log.server";
import { adminEmails } from "~/settings.server";
import { MEETING_ROLE_LABELS } from "./labels";

type Executor = Kysely<Database> | Transaction<Database>;
type Person = Pick<User, "id" | "role">;

/**
 * Who may do what: administrators everything; a meeting's managers everything about that meeting;
 * its check-in staff only its check-in desk; everyone else is a participant.
 */

/** What a person may do in one meeting's console: all of it, or only the check-in desk. */
export type ConsoleAccess = "manage" | "check_in";

export function isAdministrator(person: Pick<User, "role"> | null | undefined): boolean {
  return person?.role === "administrator";
}

/** The person's access to the meeting's console, or null when they have none. */
export async function meetingAccess(db: Executor, person: Person, meetingId: number): Promise<ConsoleAccess | null> {
  if (isAdministrator(person)) return "manage";
  const grant = await db
    .selectFrom("meeting_roles")
    .select("role")
    .where("meeting_id", "=", meetingId)
    .where("user_id", "=", person.id)
    .executeTakeFirst();
  return grant ? accessOfRole(grant.role) : null;
}

function accessOfRole(role: MeetingRole): ConsoleAccess {
  return role === "manager" ? "manage" : "check_in";
}

/** May this person manage the meeting (its papers for organisers, its drafts, its console)? */
export async function managesMeeting(db: Executor, person: Person | null, meetingId: number): Promise<boolean> {
  return person !== null && (await meetingAccess(db, person, meetingId)) === "manage";
}

export async function hasMeetingRoles(db: Executor, userId: number): Promise<boolean> {
  const grant = await db.selectFrom("meeting_roles").select("meeting_id").where("user_id", "=", userId).limit(1).executeTakeFirst();
  return grant !== undefined;
}

/** The meetings a person who is not an administrator was given, with what they may do in each. */
export async function grantedMeetings(db: Executor, userId: number): Promise<Map<number, ConsoleAccess>> {
  const rows = await db.selectFrom("meeting_roles").select(["meeting_id", "role"]).where("user_id", "=", userId).execute();
  return new Map(rows.map((row) => [row.meeting_id, accessOfRole(row.role)]));
}

/** The user with this address, made (as a participant) if they never signed in, so a grant holds at their first sign-in. */
async function userByEmail(db: Executor, email: string): Promise<Pick<User, "id" | "email" | "role">> {
  const normalised = email.trim().toLowerCase();
  const existing = await db.selectFrom("users").select(["id", "email", "role"]).where("email", "=", normalised).executeTakeFirst();
  if (existing) return existing;
  return db
    .insertInto("users")
    .values({ email: normalised })
    // Two grants for a new address at once: the second reads the first one's row.
    .onConflict((oc) => oc.column("email").doUpdateSet((eb) => ({ email: eb.ref("excluded.email") })))
    .returning(["id", "email", "role"])
    .executeTakeFirstOrThrow();
}

export type TeamMember = { userId: number; email: string; name: string | null; role: MeetingRole; grantedAt: Date; grantedBy: string | null };

/** The meeting's managers and check-in staff, managers first. */
export async function meetingTeam(db: Executor, meetingId: number): Promise<TeamMember[]> {
  const rows = await db
    .selectFrom("meeting_roles as r")
    .innerJoin("users as u", "u.id", "r.user_id")
    .leftJoin("users as by", "by.id", "r.granted_by")
    .select(["u.id as userId", "u.email", "u.name", "r.role", "r.granted_at as grantedAt", "by.email as grantedBy"])
    .where("r.meeting_id", "=", meetingId)
    .orderBy("r.role", "desc")
    .orderBy("u.email")
    .execute();
  return rows;
}

/** Gives the person with this address the role in the meeting (replacing the one they had there). */
export async function grantMeetingRole(db: Kysely<Database>, grant: { meetingId: number; email: string; role: MeetingRole; grantedBy: number }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const user = await userByEmail(trx, grant.email);
    const before = await trx.selectFrom("meeting_roles").select("role").where("meeting_id", "=", grant.meetingId).where("user_id", "=", user.id).executeTakeFirst();
    await trx
      .insertInto("meeting_roles")
      .values({ meeting_id: grant.meetingId, user_id: user.id, role: grant.role, granted_by: grant.grantedBy })
      .onConflict((oc) => oc.columns(["meeting_id", "user_id"]).doUpdateSet({ role: grant.role, granted_by: grant.grantedBy, granted_at: new Date() }))
      .execute();
    if (before?.role === grant.role) return;
    await recordAuditEvent(trx, {
      actor: grant.grantedBy,
      meetingId: grant.meetingId,
      action: "team.role_granted",
      subject: { type: "user", id: user.id },
      summary: `${user.email}: ${MEETING_ROLE_LABELS[grant.role].toLowerCase()}`,
      before: before ? { role: before.role } : null,
      after: { role: grant.role },
    });
  });
}

/** Takes the person's role in the meeting away; false if they had none. */
export async function revokeMeetingRole(db: Kysely<Database>, meetingId: number, userId: number, removedBy: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom("meeting_roles").where("meeting_id", "=", meetingId).where("user_id", "=", userId).returning("role").executeTakeFirst();
    if (!removed) return false;
    const { email } = await trx.selectFrom("users").select("email").where("id", "=", userId).executeTakeFirstOrThrow();
    await recordAuditEvent(trx, {
      actor: removedBy,
      meetingId,
      action: "team.role_removed",
      subject: { type: "user", id: userId },
      summary: `${email}: no longer ${MEETING_ROLE_LABELS[removed.role].toLowerCase()}`,
      before: { role: removed.role },
      after: null,
    });
    return true;
  });
}

/** The creator of a meeting manages it. */
export async function makeManager(db: Executor, meetingId: number, userId: number): Promise<void> {
  await db
    .insertInto("meeting_roles")
    .values({ meeting_id: meetingId, user_id: userId, role: "manager", granted_by: userId })
    .onConflict((oc) => oc.columns(["meeting_id", "user_id"]).doUpdateSet({ role: "manager" }))
    .execute();
}

export type Administrator = { userId: number; email: string; name: string | null; lastSignInAt: Date | null; fromSettings: boolean };

export async function listAdministrators(db: Executor): Promise<Administrator[]> {
  const settings = adminEmails();
  const rows = await db
    .selectFrom("users")
    .select(["id", "email", "name", "last_sign_in_at"])
    .where("role", "=", "administrator")
    .orderBy("email")
    .execute();
  return rows.map((row) => ({ userId: row.id, email: row.email, name: row.name, lastSignInAt: row.last_sign_in_at, fromSettings: settings.has(row.email) }));
}

/** Makes the person with this address an administrator (made a user first if they never signed in). */
export async function grantAdministrator(db: Kysely<Database>, email: string, grantedBy: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const user = await userByEmail(trx, email);
    if (user.role === "administrator") return;
    await trx.updateTable("users").set({ role: "administrator" }).where("id", "=", user.id).execute();
    await recordAuditEvent(trx, {
      actor: grantedBy,
      meetingId: null,
      action: "administrator.granted",
      subject: { type: "user", id: user.id },
      summary: `${user.email} made an administrator`,
      before: { role: user.role },
      after: { role: "administrator" },
    });
  });
}

export type RevokeResult = { ok: true } | { ok: false; message: string };

/**
 * Makes an administrator a participant again, unless the address is in `ADMIN_EMAILS` (they would
 * be an administrator again at their next sign-in) or they are the last one: someone must be able to grant roles.
 */
export async function revokeAdministrator(db: Kysely<Database>, userId: number, removedBy: number): Promise<RevokeResult> {
  return db.transaction().execute(async (trx) => {
    // Every administrator's row locked, so that two revocations at once cannot leave none.
    const admins = await trx.selectFrom("users").select(["id", "email"]).where("role", "=", "administrator").orderBy("id").forUpdate().execute();
    const target = admins.find((admin) => admin.id === userId);
    if (!target) return { ok: false, message: "This person is not an administrator." };
    if (adminEmails().has(target.email)) {
      return { ok: false, message: `${target.email} is an administrator by the ADMIN_EMAILS setting: remove the address there.` };
    }
    if (admins.length === 1) return { ok: false, message: "There must always be at least one administrator: grant the role to someone else first." };
    await trx.updateTable("users").set({ role: "participant" }).where("id", "=", userId).execute();
    await recordAuditEvent(trx, {
      actor: removedBy,
      meetingId: null,
      action: "administrator.removed",
      subject: { type: "user", id: userId },
      summary: `${target.email} no longer an administrator`,
      before: { role: "administrator" },
      after: { role: "participant" },
    });
    return { ok: true };
  });
}
