import { z } from "zod";
import { ZONE_CHANGE_KEEPS } from "~/agenda/agenda.server";
import { MEETING_KINDS, MEETING_MODES, REGISTRATION_POLICIES } from "../../db/schema";
import { isCountryCode } from "~/lib/countries.server";
import { type FormFailure, fieldErrors, formValues, optionalText, requiredText } from "~/lib/form";
import { type OverlapReadings, instantOfWallTime } from "~/lib/time";
import { normaliseTimeZone } from "~/lib/timezones";

/** The organisers' meeting form (create and edit). Input names follow the API's fields (see PRODUCT.md). */

const day = (label: string) =>
  z.iso.date({ error: `${label}: a day as YYYY-MM-DD` });

const wallTime = z
  .string()
  .trim()
  .regex(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})?$/, "A date and time, e.g. 2026-12-01T09:00")
  .optional()
  .transform((value) => value || null);

const sideOfOverlap = z.enum(["earlier", "later"]).optional();

/** The fields that decide the registration window's instants; checked even when other fields are refused. */
const registrationTimingShape = {
  timezone: z
    .string({ error: "Choose the meeting's time zone" })
    .transform((value, ctx) => {
      const zone = normaliseTimeZone(value);
      if (!zone) {
        ctx.addIssue({ code: "custom", message: "Not a time zone: use Area/City, e.g. Asia/Bangkok" });
        return z.NEVER;
      }
      return zone;
    }),
  registrationOpensAt: wallTime,
  registrationOpensAtSide: sideOfOverlap,
  registrationClosesAt: wallTime,
  registrationClosesAtSide: sideOfOverlap,
};
const registrationTiming = z.object(registrationTimingShape);
type RegistrationTiming = z.output<typeof registrationTiming>;

const meetingFormSchema = z
  .object({
    title: requiredText(300, "Give the meeting a title").pipe(z.string().min(3, "At least 3 characters")),
    summary: optionalText(600),
    description: optionalText(20_000),
    organisingBody: requiredText(200, "Name the organising body, e.g. ESCAP"),
    partners: optionalText(1_000),
    kind: z.enum(MEETING_KINDS, { error: "Choose the kind of meeting" }),
    mode: z.enum(MEETING_MODES, { error: "Choose in person, online or hybrid" }),
    ...registrationTimingShape,
    startsOn: day("First day"),
    endsOn: day("Last day"),
    programme: optionalText(100),
    venueName: optionalText(200),
    venueAddress: optionalText(500),
    venueCity: optionalText(100),
    venueCountry: z
      .string()
      .trim()
      .toUpperCase()
      .optional()
      .transform((value) => value || null)
      .refine((value) => value === null || isCountryCode(value), "Choose a country from the list"),
    onlineUrl: z
      .union([z.literal(""), z.url({ protocol: /^https?$/, error: "A web address starting with https://" }).max(1_000)])
      .optional()
      .transform((value) => value || null),
    contactEmail: z
      .union([z.literal(""), z.email({ error: "An email address, e.g. meetings@example.org" }).max(200)])
      .optional()
      .transform((value) => value?.toLowerCase() || null),
    registrationPolicy: z.enum(REGISTRATION_POLICIES, { error: "Choose open, moderated or invitation" }),
    capacity: z
      .string()
      .trim()
      .optional()
      .transform((value) => (value ? Number(value) : null))
      .pipe(z.number({ error: "A whole number" }).int("A whole number").min(1, "At least 1").max(100_000, "At most 100,000").nullable()),
    /** Asked only when the zone of a meeting with an agenda changes: what its items keep. */
    agendaKeeps: z.enum(ZONE_CHANGE_KEEPS, { error: "Choose what the agenda's items keep" }).optional(),
  })
  .superRefine(
    (input, ctx) => {
      const isDay = (value: unknown) => typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);
      if (isDay(input.startsOn) && isDay(input.endsOn) && input.endsOn < input.startsOn) {
        ctx.addIssue({ code: "custom", path: ["endsOn"], message: "The last day cannot be before the first day" });
      }
      if (input.mode !== "online") {
        if (!input.venueCity) ctx.addIssue({ code: "custom", path: ["venueCity"], message: "Where does it take place? Give the city" });
        if (!input.venueCountry) ctx.addIssue({ code: "custom", path: ["venueCountry"], message: "Choose the venue's country" });
      }
    },
    // Also when another field is invalid (a bad time zone or kind), so that every message shows at once.
    { when: () => true },
  );

type ParsedForm = z.output<typeof meetingFormSchema>;

export interface MeetingInput extends Omit<ParsedForm, "registrationOpensAt" | "registrationClosesAt" | "partners" | "registrationOpensAtSide" | "registrationClosesAtSide"> {
  partners: string[];
  registrationOpens: { local: string; at: Date } | null;
  registrationCloses: { local: string; at: Date } | null;
}

/** When a typed time occurs twice (clocks go back), the form offers both; each option is labelled. */
export interface OverlapChoice extends OverlapReadings {
  field: "registrationOpensAt" | "registrationClosesAt";
}

export type MeetingFormResult =
  | { ok: true; input: MeetingInput }
  | ({ ok: false; overlaps: OverlapChoice[] } & FormFailure);

function resolveField(
  parsed: RegistrationTiming,
  field: "registrationOpensAt" | "registrationClosesAt",
  errors: Record<string, string>,
  overlaps: OverlapChoice[],
): { local: string; at: Date } | null {
  const local = parsed[field];
  if (!local || errors[field]) return null;
  const answer = instantOfWallTime(local, parsed.timezone, parsed[`${field}Side`]);
  if (answer.ok) return { local, at: answer.at };
  errors[field] = answer.message;
  if (answer.overlap) overlaps.push({ field, ...answer.overlap });
  return null;
}

export function parseMeetingForm(formData: FormData): MeetingFormResult {
  const values = formValues(formData);
  const parsed = meetingFormSchema.safeParse(values);
  const timing = registrationTiming.safeParse(values);
  const errors: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error);
  const overlaps: OverlapChoice[] = [];
  const registrationOpens = timing.success ? resolveField(timing.data, "registrationOpensAt", errors, overlaps) : null;
  const registrationCloses = timing.success ? resolveField(timing.data, "registrationClosesAt", errors, overlaps) : null;
  if (registrationOpens && registrationCloses && registrationCloses.at <= registrationOpens.at) {
    errors.registrationClosesAt = "Registration must close after it opens";
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors, values, overlaps };
  const { registrationOpensAt, registrationClosesAt, registrationOpensAtSide, registrationClosesAtSide, partners, ...rest } =
    parsed.data;
  return {
    ok: true,
    input: {
      ...rest,
      partners: (partners ?? "")
        .split(/[,\n]/)
        .map((partner) => partner.trim())
        .filter(Boolean),
      registrationOpens,
      registrationCloses,
    },
  };
}
