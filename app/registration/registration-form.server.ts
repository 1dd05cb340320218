import { z } from "zod";
import {
  ATTENDANCE_MODES,
  type Answers,
  type AttendanceMode,
  GENDERS,
  type MeetingMode,
  PARTICIPANT_CATEGORIES,
  type RegistrationQuestion,
} from "../../db/schema";
import { isCountryCode } from "~/lib/countries.server";
import { type FormFailure, emailAddress, fieldErrors, formValues, optionalText, requiredText } from "~/lib/form";
import { normaliseTimeZone } from "~/lib/timezones";
import { SALUTATIONS } from "./labels";

/** The registration form (PRODUCT.md names its inputs) plus the meeting's own questions (`question-<id>`). */

const detailsShape = {
  salutation: z
    .enum(["", ...SALUTATIONS], { error: "Choose a salutation from the list" })
    .optional()
    .transform((value) => value || null),
  firstName: requiredText(100, "Give your first name"),
  lastName: requiredText(100, "Give your last name"),
  organisation: requiredText(200, "Give your organisation, e.g. Ministry of ICT"),
  jobTitle: optionalText(200),
  country: z
    .string({ error: "Choose your country" })
    .trim()
    .toUpperCase()
    .refine(isCountryCode, "Choose your country from the list"),
  gender: z.enum(GENDERS, { error: "Choose one (or 'Prefer not to say')" }),
  category: z.enum(PARTICIPANT_CATEGORIES, { error: "Choose the category you participate in" }),
  attendanceMode: z
    .enum(["", ...ATTENDANCE_MODES], { error: "Choose in person or online" })
    .optional()
    .transform((value) => value || null),
  needs: optionalText(1_000),
  timezone: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value?.trim()) return null;
      const zone = normaliseTimeZone(value);
      if (!zone) ctx.addIssue({ code: "custom", message: "Not a time zone: use Area/City, e.g. Europe/Zurich" });
      return zone;
    }),
};

const registrationSchema = z.object({
  ...detailsShape,
  email: emailAddress(),
  consent: z.literal(["on", "yes", "true"], { error: "Please accept the privacy notice to register" }),
  invitationCode: optionalText(100),
  invitation: optionalText(100),
});

const detailsSchema = z.object(detailsShape);

export type RegistrationDetails = z.output<typeof detailsSchema> & { attendanceMode: AttendanceMode; answers: Answers };
export type RegistrationInput = RegistrationDetails & { email: string; invitationCode: string | null; invitation: string | null };

/** What checking an answer needs of its question. */
export type FormQuestion = Pick<RegistrationQuestion, "id" | "label" | "kind" | "required" | "options">;

function answerFor(question: FormQuestion, formData: FormData): { value?: string | string[]; error?: string } {
  const name = `question-${question.id}`;
  const raw = formData.getAll(name).filter((v): v is string => typeof v === "string").map((v) => v.trim()).filter(Boolean);
  const missing = question.required ? { error: "This question needs an answer" } : {};
  switch (question.kind) {
    case "short_text":
    case "long_text": {
      const max = question.kind === "short_text" ? 300 : 5_000;
      const text = raw[0];
      if (!text) return missing;
      return text.length > max ? { error: `At most ${max} characters` } : { value: text };
    }
    case "yes_no": {
      const answer = raw[0];
      if (!answer) return missing;
      return answer === "yes" || answer === "no" ? { value: answer } : { error: "Answer yes or no" };
    }
    case "single_choice": {
      const answer = raw[0];
      if (!answer) return missing;
      return question.options.includes(answer) ? { value: answer } : { error: "Choose one of the options" };
    }
    case "multiple_choice": {
      if (raw.length === 0) return missing;
      return raw.every((answer) => question.options.includes(answer)) ? { value: [...new Set(raw)] } : { error: "Choose among the options" };
    }
  }
}

function parseAnswers(formData: FormData, questions: FormQuestion[], errors: Record<string, string>): Answers {
  const answers: Answers = {};
  for (const question of questions) {
    const { value, error } = answerFor(question, formData);
    if (error) errors[`question-${question.id}`] = error;
    else if (value !== undefined) answers[String(question.id)] = value;
  }
  return answers;
}

/** Hybrid meetings ask; the others have one mode. */
function attendanceModeFor(meetingMode: MeetingMode, chosen: AttendanceMode | null, errors: Record<string, string>): AttendanceMode {
  if (meetingMode === "in_person") return "in_person";
  if (meetingMode === "online") return "online";
  if (!chosen) errors.attendanceMode = "Choose whether you attend in person or online";
  return chosen ?? "online";
}

function checkboxValues(formData: FormData): Record<string, string> {
  const values = formValues(formData);
  for (const key of new Set(formData.keys())) {
    const all = formData.getAll(key).filter((v): v is string => typeof v === "string");
    if (all.length > 1) values[key] = all.join("\n");
  }
  return values;
}

export function parseRegistrationForm(
  formData: FormData,
  meetingMode: MeetingMode,
  questions: FormQuestion[],
): { ok: true; input: RegistrationInput } | ({ ok: false } & FormFailure) {
  const values = checkboxValues(formData);
  const parsed = registrationSchema.safeParse(values);
  const errors: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error);
  const answers = parseAnswers(formData, questions, errors);
  const attendanceMode = attendanceModeFor(meetingMode, parsed.success ? parsed.data.attendanceMode : null, errors);
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors, values };
  const { consent: _consent, ...input } = parsed.data;
  return { ok: true, input: { ...input, attendanceMode, answers } };
}

/** The manage page's edit form: the same details (not the email, which identifies the registration). */
export function parseRegistrationDetails(
  formData: FormData,
  meetingMode: MeetingMode,
  questions: FormQuestion[],
): { ok: true; input: RegistrationDetails } | ({ ok: false } & FormFailure) {
  const values = checkboxValues(formData);
  const parsed = detailsSchema.safeParse(values);
  const errors: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error);
  const answers = parseAnswers(formData, questions, errors);
  const attendanceMode = attendanceModeFor(meetingMode, parsed.success ? parsed.data.attendanceMode : null, errors);
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors, values };
  return { ok: true, input: { ...parsed.data, attendanceMode, answers } };
}

const onTheSpotSchema = z.object({
  ...detailsShape,
  email: emailAddress(),
  consent: z.literal(["on", "yes", "true"], { error: "Ask the person to accept the privacy notice, then tick this" }),
});

/**
 * An organiser's form for someone registered on the spot (a walk-in at the desk, a name from a
 * webinar report): the person's details and their consent, without the meeting's own questions,
 * which the person can answer later from their manage link.
 */
export function parseOnTheSpotForm(
  formData: FormData,
  meetingMode: MeetingMode,
): { ok: true; input: RegistrationDetails & { email: string } } | ({ ok: false } & FormFailure) {
  const values = formValues(formData);
  const parsed = onTheSpotSchema.safeParse(values);
  const errors: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error);
  const attendanceMode = attendanceModeFor(meetingMode, parsed.success ? parsed.data.attendanceMode : null, errors);
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors, values };
  const { consent: _consent, ...input } = parsed.data;
  return { ok: true, input: { ...input, attendanceMode, answers: {} } };
}
