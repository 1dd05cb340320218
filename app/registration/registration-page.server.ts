import { jsonArrayFrom } from "kysely/helpers/postgres";
import { database } from "~/database.server";
import { countryChoices } from "~/lib/countries.server";
import { timeZoneNames } from "~/lib/timezones";
import { type MeetingWithProgramme, publicMeetingAt } from "~/meetings/meetings.server";
import type { FormQuestion } from "./registration-form.server";

/**
 * The published meeting behind a registration URL and its own questions, in one query (a burst of
 * registrations makes a round trip per form count): what a submitted form is checked against and
 * the form is made of. Drafts and unknown slugs are 404.
 */
export async function loadRegistrationMeeting(slug: string | undefined): Promise<{ meeting: MeetingWithProgramme; questions: FormQuestion[] }> {
  const found = await publicMeetingAt(database(), slug ?? "")
    ?.select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom("registration_questions")
          .select(["registration_questions.id", "registration_questions.label", "registration_questions.kind", "registration_questions.required", "registration_questions.options"])
          .whereRef("registration_questions.meeting_id", "=", "meetings.id")
          .orderBy("registration_questions.position")
          .orderBy("registration_questions.id"),
      ).as("questions"),
    )
    .executeTakeFirst();
  if (!found) throw new Response("There is no public meeting at this address.", { status: 404 });
  const { questions, ...meeting } = found;
  return { meeting, questions };
}

/** What the meeting's registration form shows: of each question, only what the form asks (a whole row may be given). */
export function registrationForm(meeting: Pick<MeetingWithProgramme, "mode">, questions: FormQuestion[]) {
  return {
    meetingMode: meeting.mode,
    questions: questions.map(({ id, label, kind, required, options }): FormQuestion => ({ id, label, kind, required, options })),
    countries: countryChoices(),
    timezones: timeZoneNames(),
  };
}
