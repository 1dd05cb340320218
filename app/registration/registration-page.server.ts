import { database } from "~/database.server";
import { countryOptions } from "~/lib/countries.server";
import { timeZoneNames } from "~/lib/timezones";
import { findPublicMeeting } from "~/meetings/meetings.server";
import { registrationQuestions } from "./registrations.server";

/** The published meeting behind a registration URL. Drafts and unknown slugs are 404. */
export async function findRegistrationMeeting(slug: string | undefined) {
  const meeting = await findPublicMeeting(database(), slug ?? "");
  if (!meeting) throw new Response("There is no public meeting at this address.", { status: 404 });
  return meeting;
}

/** The published meeting behind a registration URL and its own questions: what a submitted form is checked against. */
export async function loadRegistrationMeeting(slug: string | undefined) {
  const meeting = await findRegistrationMeeting(slug);
  return { meeting, questions: await registrationQuestions(database(), meeting.id) };
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
