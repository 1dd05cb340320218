import { z } from "zod";
import { ATTENDANCE_MODES, GENDERS, PARTICIPANT_CATEGORIES, REGISTRATION_STATUSES } from "../../db/schema";
import { blankIsAbsent } from "~/lib/form";
import { ATTENDANCE_MODE_LABELS, CATEGORY_LABELS, GENDER_LABELS, REGISTRATION_STATUS_LABELS } from "./labels";

/**
 * The filters organisers apply to a meeting's registrations: in the table's query string, the
 * exports' and the mailing's audience. One schema, so the table, the CSV, the XLSX and an email
 * to "these people" always mean the same set. Names follow the registration form's inputs.
 */

/** `active` stands for the registrations that still count: pending, confirmed and on the waiting list. */
export const STATUS_FILTERS = ["active", ...REGISTRATION_STATUSES] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export const ACTIVE_STATUSES = ["pending", "confirmed", "waitlisted"] as const;

export const STATUS_FILTER_LABELS: Record<StatusFilter, string> = {
  active: "Active (pending, confirmed, waiting list)",
  ...REGISTRATION_STATUS_LABELS,
};


function oneOf<T extends readonly [string, ...string[]]>(field: string, values: T) {
  return z.preprocess(
    blankIsAbsent,
    z.enum(values, { error: (issue) => `Unknown ${field} "${String(issue.input)}": use one of ${values.join(", ")}` }).optional(),
  );
}

export const registrationFiltersSchema = z.object({
  status: oneOf("status", STATUS_FILTERS),
  category: oneOf("category", PARTICIPANT_CATEGORIES),
  country: z.preprocess(
    blankIsAbsent,
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, { error: "A country is its two-letter ISO code, e.g. TH" })
      .optional(),
  ),
  gender: oneOf("gender", GENDERS),
  attendanceMode: oneOf("attendanceMode", ATTENDANCE_MODES),
  q: z.preprocess(blankIsAbsent, z.string().trim().max(200, { error: "Search for at most 200 characters" }).optional()),
});

export type RegistrationFilters = z.output<typeof registrationFiltersSchema>;
export const FILTER_NAMES = ["status", "category", "country", "gender", "attendanceMode", "q"] as const satisfies readonly (keyof RegistrationFilters)[];

export type FiltersParse = { ok: true; filters: RegistrationFilters } | { ok: false; message: string };

/** Reads the filters from a query string or a form; the first problem, in words, when one is wrong. */
export function parseRegistrationFilters(source: URLSearchParams | FormData): FiltersParse {
  const raw: Record<string, unknown> = {};
  for (const name of FILTER_NAMES) {
    const value = source.get(name);
    if (typeof value === "string") raw[name] = value;
  }
  const parsed = registrationFiltersSchema.safeParse(raw);
  if (parsed.success) return { ok: true, filters: parsed.data };
  return { ok: false, message: parsed.error.issues[0]?.message ?? "These filters cannot be applied." };
}

/** The filters as they travel in a query string or a stored audience: only those that are set. */
export function filtersToRecord(filters: RegistrationFilters): Record<string, string> {
  const record: Record<string, string> = {};
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value) record[name] = value;
  }
  return record;
}

export function filtersQuery(filters: RegistrationFilters, extra: Record<string, string> = {}): string {
  const search = new URLSearchParams({ ...filtersToRecord(filters), ...extra }).toString();
  return search ? `?${search}` : "";
}

export function hasFilters(filters: RegistrationFilters): boolean {
  return Object.keys(filtersToRecord(filters)).length > 0;
}

/** "Confirmed · Government · TH · search “ministry”"; the caller passes a country's name when it has one. */
export function describeFilters(filters: Record<string, string | undefined>, countryLabel: (code: string) => string = (code) => code): string {
  const parts: string[] = [];
  if (filters.status) parts.push(STATUS_FILTER_LABELS[filters.status as StatusFilter] ?? filters.status);
  if (filters.category) parts.push(CATEGORY_LABELS[filters.category as keyof typeof CATEGORY_LABELS] ?? filters.category);
  if (filters.country) parts.push(countryLabel(filters.country));
  if (filters.gender) parts.push(GENDER_LABELS[filters.gender as keyof typeof GENDER_LABELS] ?? filters.gender);
  if (filters.attendanceMode) {
    parts.push(ATTENDANCE_MODE_LABELS[filters.attendanceMode as keyof typeof ATTENDANCE_MODE_LABELS] ?? filters.attendanceMode);
  }
  if (filters.q) parts.push(`matching “${filters.q}”`);
  return parts.length ? parts.join(" · ") : "All registrants";
}
