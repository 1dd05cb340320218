import { jsonArrayFrom } from "kysely/helpers/postgres";
import { database } from "~/database.server";
import { countryOptions } from "~/lib/countries.server";
import { timeZoneNames } from "~/lib/timezones";
import { type MeetingWithProgramme, findPublicMeeting, publicMeetingAt } from "~/meetings/meetings.server";
import type { FormQuestion } from "./registration-form.server";

const notFound = () => new Response("There is no public meeting at this address.", { status: 404 });

/** The published meeting behind a registration URL. Drafts and unknown slugs are 404. */
export async function findRegistrationMeeting(slug: string | undefined) {
  const meeting = await findPublicMeeting(database(), slug ?? "");
  if (!meeting) throw notFound();
  return meeting;
}

/**
 * The published meeting behind a registration URL and its own questions, in one query (a burst of
 * registrations makes a round trip per form count): what a submitted form is checked against.
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
  if (!found) throw notFound();
  const { questions, ...meeting } = found;
  return { meeting, questions };
}

/** The published meeting behind a registration URL, with what its form needs. Drafts and unknown slugs are 404. */
export async function loadRegistrationForm(slug: string | undefined) {
  const { meeting, questions } = await loadRegistrationMeeting(slug);
  return {
    meeting,
    form: {
      meetingMode: meeting.mode,
      questions: questions.map(({ id, label, kind, required, options }) => ({ id, label, kind, required, options })),
      countries: countryOptions().map(({ code, name }) => ({ value: code, label: name })),
      timezones: timeZoneNames(),
    },
  };
}
