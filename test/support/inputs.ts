import type { Kysely } from "kysely";
import { DateTime } from "luxon";
import { hashSecretToken, newSecretToken } from "../../app/accounts/secret-token.server";
import type { Database, Meeting, ParticipantCategory, RegistrationStatus } from "../../db/schema";

/** Helpers for the tests of inputs on drafts. */

let people = 0;

/** A registration made directly in the database; its email is unique unless given. */
export async function addRegistration(
  db: Kysely<Database>,
  meeting: Pick<Meeting, "id">,
  input: { first: string; last: string; status?: RegistrationStatus; email?: string; organisation?: string; country?: string; category?: ParticipantCategory },
): Promise<{ id: number; email: string }> {
  const email = input.email ?? `commenter${++people}-${Date.now()}@example.org`;
  const row = await db
    .insertInto("registrations")
    .values({
      meeting_id: meeting.id,
      email,
      first_name: input.first,
      last_name: input.last,
      organisation: input.organisation ?? "Ministry of Information and Communications",
      country: input.country ?? "VN",
      gender: "female",
      category: input.category ?? "government",
      attendance_mode: "in_person",
      status: input.status ?? "confirmed",
      manage_token_hash: hashSecretToken(newSecretToken()),
      consent_at: new Date(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: row.id, email };
}

/** The wall clock (`YYYY-MM-DDTHH:mm`) in the zone `hours` from now. */
export function wallClockIn(hours: number, zone: string): string {
  return DateTime.now().setZone(zone).plus({ hours }).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** Next year's last Sunday of the month (3 = March: summer time starts; 10 = October: it ends), as `YYYY-MM-DD`. */
export function lastSundayOf(month: 3 | 10): string {
  const lastDay = DateTime.utc(DateTime.now().year + 1, month, 1).endOf("month");
  return lastDay.minus({ days: lastDay.weekday % 7 }).toISODate()!;
}
