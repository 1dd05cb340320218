import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { instantOfWallTime } from "../../app/lib/time";
import type { Database, Gender, Meeting, ParticipantCategory, RegistrationStatus } from "../../db/schema";
import { addRegistration } from "./inputs";

/** Helpers for the attendance report's tests: people with a gender, and online sessions as a webinar import would leave them. */

/** The instant of a wall-clock time (`YYYY-MM-DDTHH:mm`) in the meeting's zone. */
export function at(meeting: Pick<Meeting, "timezone">, local: string): Date {
  const answer = instantOfWallTime(local, meeting.timezone);
  if (!answer.ok) throw new Error(`${local}: ${answer.message}`);
  return answer.at;
}

export async function addPerson(
  db: Kysely<Database>,
  meeting: Pick<Meeting, "id">,
  person: { first: string; last: string; country: string; category: ParticipantCategory; gender: Gender; status?: RegistrationStatus },
): Promise<number> {
  const { id } = await addRegistration(db, meeting, person);
  await db.updateTable("registrations").set({ gender: person.gender }).where("id", "=", id).execute();
  return id;
}

/** Online sessions (wall-clock times in the meeting's zone), from one made-up webinar import. */
export async function addOnlineSessions(
  db: Kysely<Database>,
  meeting: Pick<Meeting, "id" | "timezone">,
  sessions: { registrationId: number | null; name: string; from: string; to: string }[],
): Promise<void> {
  const upload = await db
    .insertInto("attendance_imports")
    .values({
      meeting_id: meeting.id,
      platform: "zoom",
      file_name: "participants.csv",
      content_sha256: randomBytes(32),
      timezone: meeting.timezone,
      row_count: sessions.length,
      new_session_count: sessions.length,
      imported_by: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("online_sessions")
    .values(
      sessions.map((session, index) => ({
        meeting_id: meeting.id,
        import_id: upload.id,
        registration_id: session.registrationId,
        name: session.name,
        email: null,
        joined_at: at(meeting, session.from),
        left_at: at(meeting, session.to),
        line: index + 2,
      })),
    )
    .execute();
}
