import type { Kysely, Transaction } from "kysely";
import type { AccessLevel, Database, RegistrationStatus, User } from "../../db/schema";
import { managesMeeting } from "~/accounts/roles.server";

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Who is reading a meeting's documents, as far as access goes: an organiser (an administrator or
 * one of the meeting's managers), someone with a registration (by their signed-in address),
 * someone signed in without one, or an anonymous visitor.
 */
export type DocumentReader = {
  user: Pick<User, "id" | "email" | "role"> | null;
  organiser: boolean;
  /** The person's registration for this meeting, if any. */
  registration: { id: number; status: RegistrationStatus } | null;
};

export async function documentReader(db: Executor, user: Pick<User, "id" | "email" | "role"> | null, meetingId: number): Promise<DocumentReader> {
  if (!user) return { user, organiser: false, registration: null };
  if (await managesMeeting(db, user, meetingId)) return { user, organiser: true, registration: null };
  const registration = await db
    .selectFrom("registrations")
    .select(["id", "status"])
    .where("meeting_id", "=", meetingId)
    .where("email", "=", user.email.toLowerCase())
    .executeTakeFirst();
  return { user, organiser: false, registration: registration ?? null };
}

/** The access levels this reader may read, lowest first. */
export function readableLevels(reader: DocumentReader): AccessLevel[] {
  if (reader.organiser) return ["public", "registered", "confirmed", "organisers"];
  return levelsOfRegistration(reader.registration?.status ?? null);
}

/** The access levels a registration in this status opens (none: public papers only). */
export function levelsOfRegistration(status: RegistrationStatus | null): AccessLevel[] {
  if (status === "confirmed") return ["public", "registered", "confirmed"];
  if (status === "pending" || status === "waitlisted") return ["public", "registered"];
  return ["public"];
}

export function mayRead(reader: DocumentReader, level: AccessLevel): boolean {
  return readableLevels(reader).includes(level);
}

export function isOrganiser(reader: DocumentReader): boolean {
  return reader.organiser;
}
