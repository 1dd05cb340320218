import { spreadsheetCsv } from "~/lib/csv.server";
import type { Kysely, Transaction } from "kysely";
import { DateTime } from "luxon";
import type { Database, Meeting, Registration, RegistrationQuestion } from "../../db/schema";
import { countryName } from "~/lib/countries.server";
import { type SpreadsheetColumn, spreadsheetXlsx } from "~/lib/xlsx.server";
import { answerText, filteredRegistrations } from "./registration-console.server";
import type { RegistrationFilters } from "./registration-filters";
import { ATTENDANCE_MODE_LABELS, CATEGORY_LABELS, GENDER_LABELS, REGISTRATION_STATUS_LABELS } from "./labels";
import { registrationQuestions } from "./registrations.server";

/** Registrations as a spreadsheet: one row per registration, the standard fields, then one column per question. */

type Executor = Kysely<Database> | Transaction<Database>;

/** An instant as ISO 8601 in UTC, to the second: "2026-12-01T02:00:00Z". */
function isoSecond(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

type Column = SpreadsheetColumn<Registration>;

const STANDARD_COLUMNS: Column[] = [
  { header: "ID", width: 8, value: (r) => r.id },
  { header: "Status", width: 14, value: (r) => REGISTRATION_STATUS_LABELS[r.status] },
  { header: "Salutation", width: 10, value: (r) => r.salutation ?? "" },
  { header: "First name", width: 18, value: (r) => r.first_name },
  { header: "Last name", width: 18, value: (r) => r.last_name },
  { header: "Email", width: 32, value: (r) => r.email },
  { header: "Organisation", width: 36, value: (r) => r.organisation },
  { header: "Job title", width: 28, value: (r) => r.job_title ?? "" },
  { header: "Country code", width: 8, value: (r) => r.country },
  { header: "Country", width: 24, value: (r) => countryName(r.country) ?? r.country },
  { header: "Gender", width: 12, value: (r) => GENDER_LABELS[r.gender] },
  { header: "Category", width: 24, value: (r) => CATEGORY_LABELS[r.category] },
  { header: "Attendance mode", width: 14, value: (r) => ATTENDANCE_MODE_LABELS[r.attendance_mode] },
  { header: "Accessibility or dietary needs", width: 30, value: (r) => r.needs ?? "" },
  { header: "Time zone", width: 18, value: (r) => r.timezone ?? "" },
  { header: "Registered at (UTC)", width: 22, value: (r) => isoSecond(r.created_at) },
  { header: "Updated at (UTC)", width: 22, value: (r) => isoSecond(r.updated_at) },
  { header: "Consent given at (UTC)", width: 22, value: (r) => isoSecond(r.consent_at) },
];

function columnsFor(questions: RegistrationQuestion[]): Column[] {
  return [
    ...STANDARD_COLUMNS,
    ...questions.map((question) => ({
      header: question.label,
      width: Math.min(40, Math.max(14, question.label.length)),
      value: (r: Registration) => answerText(question, r.answers[String(question.id)]),
    })),
  ];
}

interface RegistrationsTable {
  columns: Column[];
  registrations: Registration[];
}

async function registrationsTable(db: Executor, meetingId: number, filters: RegistrationFilters): Promise<RegistrationsTable> {
  const [questions, registrations] = await Promise.all([registrationQuestions(db, meetingId), filteredRegistrations(db, meetingId, filters)]);
  return { columns: columnsFor(questions), registrations };
}

/** "expert-group-meeting-…-registrations-2026-03-01.csv": the meeting, what it holds and the day it was taken, in the meeting's zone. */
export function exportFilename(
  meeting: Pick<Meeting, "slug" | "timezone">,
  extension: "csv" | "xlsx",
  now: Date = new Date(),
  contents: "registrations" | "attendance" = "registrations",
): string {
  const day = DateTime.fromJSDate(now, { zone: meeting.timezone }).toFormat("yyyy-MM-dd");
  return `${meeting.slug}-${contents}-${day}.${extension}`;
}

/** CSV in UTF-8 with a byte order mark, so that Excel reads Thai, Chinese or Cyrillic names correctly. */
export async function registrationsCsv(db: Executor, meetingId: number, filters: RegistrationFilters): Promise<string> {
  const { columns, registrations } = await registrationsTable(db, meetingId, filters);
  return spreadsheetCsv([columns.map((c) => c.header), ...registrations.map((r) => columns.map((c) => c.value(r)))]);
}

/** The same table as an Excel workbook: header row bold and frozen, filters on, columns sized. */
export async function registrationsXlsx(
  db: Executor,
  meeting: Pick<Meeting, "id" | "title">,
  filters: RegistrationFilters,
): Promise<Buffer> {
  const { columns, registrations } = await registrationsTable(db, meeting.id, filters);
  return spreadsheetXlsx(columns, registrations, { title: `Registrations: ${meeting.title}`, sheet: "Registrations" });
}
