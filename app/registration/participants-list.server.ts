import type { Kysely, Transaction } from "kysely";
import { type AttendanceMode, type Database, PARTICIPANT_CATEGORIES, type ParticipantCategory } from "../../db/schema";
import { countryName } from "~/lib/countries.server";

type Executor = Kysely<Database> | Transaction<Database>;

export interface ListedParticipant {
  id: number;
  salutation: string | null;
  firstName: string;
  /** In capitals, as UN lists of participants print family names. */
  lastName: string;
  jobTitle: string | null;
  organisation: string;
  attendanceMode: AttendanceMode;
}

export interface ParticipantsByCountry {
  country: string;
  countryName: string;
  categories: { category: ParticipantCategory; participants: ListedParticipant[] }[];
}

/**
 * The "List of participants" as UN meetings publish it: confirmed participants grouped by country
 * (by name, alphabetically), then by category (in the usual order: governments first), then by
 * family name.
 */
export async function participantsList(db: Executor, meetingId: number): Promise<{ countries: ParticipantsByCountry[]; total: number }> {
  const rows = await db
    .selectFrom("registrations")
    .select(["id", "salutation", "first_name", "last_name", "job_title", "organisation", "country", "category", "attendance_mode"])
    .where("meeting_id", "=", meetingId)
    .where("status", "=", "confirmed")
    .execute();
  const byCountry = new Map<string, ParticipantsByCountry>();
  for (const row of rows) {
    let country = byCountry.get(row.country);
    if (!country) {
      country = { country: row.country, countryName: countryName(row.country) ?? row.country, categories: [] };
      byCountry.set(row.country, country);
    }
    let group = country.categories.find((c) => c.category === row.category);
    if (!group) {
      group = { category: row.category, participants: [] };
      country.categories.push(group);
    }
    group.participants.push({
      id: row.id,
      salutation: row.salutation,
      firstName: row.first_name,
      lastName: row.last_name.toLocaleUpperCase("en"),
      jobTitle: row.job_title,
      organisation: row.organisation,
      attendanceMode: row.attendance_mode,
    });
  }
  const collator = new Intl.Collator("en", { sensitivity: "base" });
  const countries = [...byCountry.values()].sort((a, b) => collator.compare(a.countryName, b.countryName));
  for (const country of countries) {
    country.categories.sort((a, b) => PARTICIPANT_CATEGORIES.indexOf(a.category) - PARTICIPANT_CATEGORIES.indexOf(b.category));
    for (const group of country.categories) {
      group.participants.sort((a, b) => collator.compare(a.lastName, b.lastName) || collator.compare(a.firstName, b.firstName) || a.id - b.id);
    }
  }
  return { countries, total: rows.length };
}
