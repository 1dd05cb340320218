import { spreadsheetCsv } from "~/lib/csv.server";
import { inTransaction, recordAuditEvent } from "~/audit/audit-log.server";
import { type Kysely, type Transaction, sql } from "kysely";
import { DateTime } from "luxon";
import { z } from "zod";
import type { Database, Meeting, Registration, RegistrationFollowUp, RegistrationStatus } from "../../db/schema";
import { countryName, isCountryCode } from "~/lib/countries.server";
import { type FormFailure, fieldErrors, formValues, optionalText } from "~/lib/form";
import { FUNDING_DECISION_LABELS, type FundingDecision } from "./organiser-labels";
import { findRegistrationByToken, needsFollowUp } from "./registrations.server";

/**
 * The follow-up form of confirmed in-person participants: travel (arrival and departure, wall-clock
 * times in the meeting's zone, where the venue is), hotel, a visa support letter (then the name and
 * nationality as in the passport) and travel funding (which organisers then grant or not).
 */

type Executor = Kysely<Database> | Transaction<Database>;

/** How far before the first day one may arrive, and after the last day leave. */
const TRAVEL_WINDOW_DAYS = 30;

export type FollowUpAccess =
  | { kind: "not-found" }
  | { kind: "not-eligible"; message: string }
  | { kind: "ok"; registration: Registration; meeting: Meeting; followUp: RegistrationFollowUp | undefined };

/** The registration a manage link opens, if its person is to fill in the follow-up. */
export async function openFollowUp(db: Executor, token: string | undefined): Promise<FollowUpAccess> {
  const found = await findRegistrationByToken(db, token);
  if (!found) return { kind: "not-found" };
  const { registration, meeting } = found;
  if (meeting.status === "cancelled") return { kind: "not-eligible", message: "This meeting has been cancelled." };
  if (!needsFollowUp(registration)) {
    return {
      kind: "not-eligible",
      message:
        registration.status === "confirmed"
          ? "The travel and visa form is for participants who attend in person. You attend online."
          : "The travel and visa form is for participants whose place is confirmed and who attend in person.",
    };
  }
  const followUp = await db.selectFrom("registration_follow_ups").selectAll().where("registration_id", "=", registration.id).executeTakeFirst();
  return { kind: "ok", registration, meeting, followUp };
}

export interface FollowUpInput {
  arrivalDate: string | null;
  arrivalTime: string | null;
  arrivalFlight: string | null;
  departureDate: string | null;
  departureTime: string | null;
  departureFlight: string | null;
  hotel: string | null;
  needsVisaLetter: boolean;
  passportName: string | null;
  passportNationality: string | null;
  travelFundingRequested: boolean;
}

const day = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx) => {
    if (!value) return null;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !DateTime.fromISO(value, { zone: "UTC" }).isValid) {
      ctx.addIssue({ code: "custom", message: "A date, e.g. 2026-12-01" });
      return z.NEVER;
    }
    return value;
  });

const clock = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx) => {
    if (!value) return null;
    const match = /^(\d{1,2})[:.h](\d{2})(?::\d{2})?$/.exec(value);
    if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) {
      ctx.addIssue({ code: "custom", message: "A time on the 24-hour clock, e.g. 14:30" });
      return z.NEVER;
    }
    return `${match[1]!.padStart(2, "0")}:${match[2]}`;
  });

const yesNo = (missing: string) => z.enum(["yes", "no"], { error: missing }).transform((value) => value === "yes");

/**
 * Latin letters (accents included), spaces, hyphens, apostrophes and full stops: the script of a
 * passport's name line, which the letter prints. Other scripts are refused, with a message saying so.
 */
const PASSPORT_NAME = /^[\p{Script=Latin}\p{M}][\p{Script=Latin}\p{M} '’.-]*$/u;

const followUpFields = {
  arrivalDate: day,
  arrivalTime: clock,
  arrivalFlight: optionalText(60),
  departureDate: day,
  departureTime: clock,
  departureFlight: optionalText(60),
  hotel: optionalText(200),
  needsVisaLetter: yesNo("Say whether you need a visa support letter"),
  passportName: z
    .string()
    .optional()
    .transform((value) => (value ?? "").normalize("NFC").replace(/\s+/g, " ").trim() || null),
  passportNationality: z
    .string()
    .trim()
    .toUpperCase()
    .optional()
    .transform((value) => value || null),
  travelFundingRequested: yesNo("Say whether you request travel funding"),
};

type FollowUpFields = { [K in keyof typeof followUpFields]: z.output<(typeof followUpFields)[K]> };

/** Each field on its own, so that a form with several mistakes gets every message at once, checks across fields included. */
function parseFields(values: Record<string, string>, errors: Record<string, string>): Partial<FollowUpFields> {
  const data: Partial<Record<keyof FollowUpFields, unknown>> = {};
  for (const [name, schema] of Object.entries(followUpFields) as [keyof FollowUpFields, z.ZodType][]) {
    const result = schema.safeParse(values[name]);
    if (result.success) data[name] = result.data;
    else errors[name] = result.error.issues[0]?.message ?? "Not valid";
  }
  return data as Partial<FollowUpFields>;
}

/** The follow-up form, checked against the meeting's dates (one may come early or stay on, within 30 days). */
export function parseFollowUpForm(
  formData: FormData,
  meeting: Pick<Meeting, "starts_on" | "ends_on">,
): { ok: true; input: FollowUpInput } | ({ ok: false } & FormFailure) {
  const values = formValues(formData);
  const errors: Record<string, string> = {};
  const data = parseFields(values, errors);
  const issue = (field: keyof FollowUpFields, message: string) => {
    errors[field] ??= message;
  };

  if (data.arrivalTime && data.arrivalDate === null) issue("arrivalDate", "Give the arrival date too");
  if (data.departureTime && data.departureDate === null) issue("departureDate", "Give the departure date too");
  const earliest = DateTime.fromISO(meeting.starts_on, { zone: "UTC" }).minus({ days: TRAVEL_WINDOW_DAYS }).toISODate()!;
  const latest = DateTime.fromISO(meeting.ends_on, { zone: "UTC" }).plus({ days: TRAVEL_WINDOW_DAYS }).toISODate()!;
  const { arrivalDate, departureDate } = data;
  if (arrivalDate && (arrivalDate < earliest || arrivalDate > meeting.ends_on)) {
    issue("arrivalDate", `The meeting is ${meeting.starts_on} to ${meeting.ends_on}: give an arrival between ${earliest} and ${meeting.ends_on}`);
  }
  if (departureDate && (departureDate < meeting.starts_on || departureDate > latest)) {
    issue("departureDate", `The meeting is ${meeting.starts_on} to ${meeting.ends_on}: give a departure between ${meeting.starts_on} and ${latest}`);
  }
  if (arrivalDate && departureDate && !errors.arrivalDate && !errors.departureDate && !errors.arrivalTime && !errors.departureTime) {
    if (`${departureDate}T${data.departureTime ?? "23:59"}` < `${arrivalDate}T${data.arrivalTime ?? "00:00"}`) issue("departureDate", "Departure comes after arrival");
  }
  if (data.needsVisaLetter) {
    const name = data.passportName;
    if (!name) issue("passportName", "Give your name as written in your passport");
    else if (name.length > 100) issue("passportName", "At most 100 characters");
    else if (!PASSPORT_NAME.test(name)) {
      issue("passportName", "Write the name as in your passport, in Latin letters: accents, spaces, hyphens and apostrophes are fine, other scripts are not");
    }
    const nationality = data.passportNationality;
    if (!nationality) issue("passportNationality", "Choose the nationality of your passport");
    else if (!isCountryCode(nationality)) issue("passportNationality", "Choose the nationality from the list");
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  const input = data as FollowUpFields;
  // Passport details are kept only when a letter is asked for.
  return {
    ok: true,
    input: input.needsVisaLetter ? input : { ...input, passportName: null, passportNationality: null },
  };
}

/** The form's values for a saved follow-up; a first visit suggests the nationality of the registration's country. */
export function followUpFormValues(followUp: RegistrationFollowUp | undefined, registration: Pick<Registration, "country">): Record<string, string> {
  if (!followUp) return { passportNationality: registration.country };
  return {
    arrivalDate: followUp.arrival_date ?? "",
    arrivalTime: followUp.arrival_time ?? "",
    arrivalFlight: followUp.arrival_flight ?? "",
    departureDate: followUp.departure_date ?? "",
    departureTime: followUp.departure_time ?? "",
    departureFlight: followUp.departure_flight ?? "",
    hotel: followUp.hotel ?? "",
    needsVisaLetter: followUp.needs_visa_letter ? "yes" : "no",
    passportName: followUp.passport_name ?? "",
    passportNationality: followUp.passport_nationality ?? registration.country,
    travelFundingRequested: followUp.travel_funding_requested ? "yes" : "no",
  };
}

/**
 * Saves the person's answers (one row per registration). An organiser's funding decision stays
 * while funding is requested, and is cleared when the request is withdrawn.
 */
export async function saveFollowUp(db: Executor, registrationId: number, input: FollowUpInput): Promise<void> {
  const columns = {
    arrival_date: input.arrivalDate,
    arrival_time: input.arrivalTime,
    arrival_flight: input.arrivalFlight,
    departure_date: input.departureDate,
    departure_time: input.departureTime,
    departure_flight: input.departureFlight,
    hotel: input.hotel,
    needs_visa_letter: input.needsVisaLetter,
    passport_name: input.passportName,
    passport_nationality: input.passportNationality,
    travel_funding_requested: input.travelFundingRequested,
    updated_at: new Date(),
  };
  const withdrawn = !input.travelFundingRequested;
  await db
    .insertInto("registration_follow_ups")
    .values({ registration_id: registrationId, ...columns })
    .onConflict((oc) =>
      oc.column("registration_id").doUpdateSet({
        ...columns,
        ...(withdrawn ? { travel_funding_decision: null, travel_funding_decided_by: null, travel_funding_decided_at: null } : {}),
      }),
    )
    .execute();
}

export type DecisionResult = { ok: true } | { ok: false; message: string };

/** An organiser grants travel funding or not (or takes the decision back), recording who and when. */
export async function decideTravelFunding(
  db: Executor,
  input: { meetingId: number; registrationId: number; decision: FundingDecision | null; by: number },
): Promise<DecisionResult> {
  return inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("registration_follow_ups")
      .select("travel_funding_decision")
      .where("registration_id", "=", input.registrationId)
      .where("travel_funding_requested", "=", true)
      .where("registration_id", "in", (eb) => eb.selectFrom("registrations").select("id").where("meeting_id", "=", input.meetingId))
      .forUpdate()
      .executeTakeFirst();
    if (!before) return { ok: false, message: "This participant has not requested travel funding." };
    await trx
      .updateTable("registration_follow_ups")
      .set({
        travel_funding_decision: input.decision,
        travel_funding_decided_by: input.decision ? input.by : null,
        travel_funding_decided_at: input.decision ? new Date() : null,
      })
      .where("registration_id", "=", input.registrationId)
      .execute();
    await recordAuditEvent(trx, {
      actor: input.by,
      meetingId: input.meetingId,
      action: "registration.travel_funding_decided",
      subject: { type: "registration", id: input.registrationId },
      summary: `Travel funding of registration ${input.registrationId}: ${before.travel_funding_decision ?? "undecided"} → ${input.decision ?? "undecided"}`,
      before: { travel_funding_decision: before.travel_funding_decision },
      after: { travel_funding_decision: input.decision },
    });
    return { ok: true };
  });
}

export const followUpFilterSchema = z.object({
  visa: z.enum(["", "yes", "no"]).catch(""),
  funding: z.enum(["", "requested", "not_requested"]).catch(""),
  decision: z.enum(["", "undecided", "granted", "not_granted"]).catch(""),
});
export type FollowUpFilter = z.output<typeof followUpFilterSchema>;

export function parseFollowUpFilter(params: URLSearchParams): FollowUpFilter {
  return followUpFilterSchema.parse({ visa: params.get("visa") ?? "", funding: params.get("funding") ?? "", decision: params.get("decision") ?? "" });
}

export interface FollowUpRow {
  registrationId: number;
  name: string;
  email: string;
  organisation: string;
  country: string;
  countryName: string;
  status: RegistrationStatus;
  /** Still a confirmed in-person place: the visa letter can be printed (if asked for). */
  attendsInPerson: boolean;
  arrivalDate: string | null;
  arrivalTime: string | null;
  arrivalFlight: string | null;
  departureDate: string | null;
  departureTime: string | null;
  departureFlight: string | null;
  hotel: string | null;
  needsVisaLetter: boolean;
  passportName: string | null;
  passportNationality: string | null;
  passportNationalityName: string | null;
  fundingRequested: boolean;
  fundingDecision: FundingDecision | null;
  fundingDecidedBy: string | null;
  fundingDecidedAt: string | null;
  updatedAt: string;
}

/** The meeting's follow-ups, filtered, by country then name. */
export async function listFollowUps(db: Executor, meetingId: number, filter: FollowUpFilter): Promise<FollowUpRow[]> {
  let query = db
    .selectFrom("registration_follow_ups as f")
    .innerJoin("registrations as r", "r.id", "f.registration_id")
    .leftJoin("users as u", "u.id", "f.travel_funding_decided_by")
    .selectAll("f")
    .select(["r.first_name", "r.last_name", "r.salutation", "r.email", "r.organisation", "r.country", "r.status", "r.attendance_mode", sql<string | null>`coalesce(u.name, u.email)`.as("decided_by")])
    .where("r.meeting_id", "=", meetingId);
  if (filter.visa) query = query.where("f.needs_visa_letter", "=", filter.visa === "yes");
  if (filter.funding) query = query.where("f.travel_funding_requested", "=", filter.funding === "requested");
  if (filter.decision === "undecided") query = query.where("f.travel_funding_requested", "=", true).where("f.travel_funding_decision", "is", null);
  else if (filter.decision) query = query.where("f.travel_funding_decision", "=", filter.decision);
  const rows = await query.orderBy("r.country").orderBy("r.last_name").orderBy("r.first_name").orderBy("r.id").execute();
  return rows.map((row) => ({
    registrationId: row.registration_id,
    name: [row.salutation, row.first_name, row.last_name].filter(Boolean).join(" "),
    email: row.email,
    organisation: row.organisation,
    country: row.country,
    countryName: countryName(row.country) ?? row.country,
    status: row.status,
    attendsInPerson: needsFollowUp(row),
    arrivalDate: row.arrival_date,
    arrivalTime: row.arrival_time,
    arrivalFlight: row.arrival_flight,
    departureDate: row.departure_date,
    departureTime: row.departure_time,
    departureFlight: row.departure_flight,
    hotel: row.hotel,
    needsVisaLetter: row.needs_visa_letter,
    passportName: row.passport_name,
    passportNationality: row.passport_nationality,
    passportNationalityName: countryName(row.passport_nationality),
    fundingRequested: row.travel_funding_requested,
    fundingDecision: row.travel_funding_decision,
    fundingDecidedBy: row.decided_by,
    fundingDecidedAt: row.travel_funding_decided_at?.toISOString() ?? null,
    updatedAt: row.updated_at.toISOString(),
  }));
}

/** A spreadsheet cell that would start a formula is written as text. */

/**
 * The follow-ups as CSV, UTF-8 with a byte order mark so that Excel reads non-Latin names
 * correctly; times are wall-clock times in the meeting's zone, which the header names.
 */
export function followUpsCsv(rows: FollowUpRow[], meeting: Pick<Meeting, "timezone">): string {
  const zone = meeting.timezone;
  const header = [
    "Name", "Email", "Organisation", "Country", "Registration status",
    "Arrival date", `Arrival time (${zone})`, "Arrival flight",
    "Departure date", `Departure time (${zone})`, "Departure flight",
    "Hotel", "Visa letter needed", "Passport name", "Passport nationality",
    "Travel funding requested", "Travel funding decision", "Decided by", "Decided at (UTC)",
  ];
  const records = rows.map((r) => [
    r.name, r.email, r.organisation, r.countryName, r.status,
    r.arrivalDate ?? "", r.arrivalTime ?? "", r.arrivalFlight,
    r.departureDate ?? "", r.departureTime ?? "", r.departureFlight,
    r.hotel, r.needsVisaLetter ? "yes" : "no", r.passportName, r.passportNationalityName ?? "",
    r.fundingRequested ? "yes" : "no",
    r.fundingRequested ? FUNDING_DECISION_LABELS[r.fundingDecision ?? "undecided"] : "",
    r.fundingDecidedBy, r.fundingDecidedAt ? r.fundingDecidedAt.replace(/\.\d{3}Z$/, "Z") : "",
  ]);
  return spreadsheetCsv([header, ...records]);
}
