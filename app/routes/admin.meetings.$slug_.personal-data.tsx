import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { database } from "~/database.server";
import { fieldErrors, formValues, plainForm } from "~/lib/form";
import { formatInstant } from "~/lib/time";
import { identifiableRegistrations, purgeMeeting, purgeableFrom, purgesOf } from "~/personal-data/erasure.server";
import { meetingSummary, organisersMeeting } from "~/registration/organiser-meeting.server";
import { retentionDays } from "~/settings.server";
import { ErrorPage } from "~/ui/error-page";
import { ErrorSummary, TextField } from "~/ui/fields";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeeting(request, params.slug);
  const db = database();
  const from = purgeableFrom(meeting, retentionDays());
  const [identifiable, purges] = await Promise.all([identifiableRegistrations(db, meeting.id), purgesOf(db, meeting.id)]);
  return json({
    meeting: meetingSummary(meeting),
    retentionDays: retentionDays(),
    purgeableFrom: formatInstant(from, meeting.timezone),
    purgeable: new Date() >= from,
    identifiable,
    purges: purges.map((purge) => ({ ...purge, at: formatInstant(purge.created_at, meeting.timezone) })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { meeting, user } = await organisersMeeting(request, params.slug);
  const formData = await plainForm(request);
  const confirmation = z.object({
    confirmSlug: z
      .string({ error: "Type the meeting's short name to confirm" })
      .trim()
      .refine((typed) => typed === meeting.slug, `Type the meeting's short name, ${meeting.slug}, to confirm`),
  });
  const parsed = confirmation.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return json({ errors: fieldErrors(parsed.error), values: formValues(formData) }, { status: 400 });
  const purged = await purgeMeeting(database(), meeting, { by: user.id, retentionDays: retentionDays() });
  if (!purged.ok) return json({ errors: { form: purged.message }, values: formValues(formData) }, { status: 409 });
  return redirect(`/admin/meetings/${meeting.slug}/personal-data?purged=1`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Personal data: ${data.meeting.title}` : "Personal data" }];

export default function PersonalData() {
  const { meeting, retentionDays, purgeableFrom, purgeable, identifiable, purges } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const [searchParams] = useSearchParams();
  const errors: Record<string, string> = refused?.errors ?? {};
  return (
    <>
      <MeetingAdminNav meeting={meeting} />
      <h1>Personal data: {meeting.title}</h1>
      <p>{meeting.when}</p>
      {searchParams.get("purged") === "1" && !refused && (
        <p className="notice ok" role="status">
          The meeting's personal data is purged. Its reports and figures are unchanged.
        </p>
      )}
      <p>
        {`Participants' personal data is kept for ${retentionDays} days after the meeting ends, then it may be purged: `}
        names, addresses, organisations, answers, travel details, webinar names and the emails sent through the meeting are erased. Each
        registration stays as an anonymous record (status, country, category, gender, mode and attendance), so the attendance report, its exports
        and the public figures stay the same. Comments on documents stay, without their authors.
      </p>
      <p>
        {purgeable ? "Purging is possible since" : "Purging will be possible from"} <strong>{purgeableFrom}</strong>.{" "}
        {identifiable === 1 ? "1 registration names a person." : `${identifiable} registrations name a person.`}
      </p>
      {purgeable && identifiable > 0 && (
        <Form method="post" className="stacked" noValidate>
          <ErrorSummary errors={errors} />
          {errors.form && (
            <p className="notice cancelled" role="alert">
              {errors.form}
            </p>
          )}
          <TextField
            name="confirmSlug"
            label={`Type the meeting's short name, ${meeting.slug}, to confirm`}
            hint="This cannot be undone."
            required
            autoComplete="off"
            defaultValue={refused?.values.confirmSlug}
            error={errors.confirmSlug}
          />
          <div className="actions">
            <button type="submit" className="button danger" disabled={submitting}>
              Purge personal data
            </button>
          </div>
        </Form>
      )}
      <h2>Purges</h2>
      {purges.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul>
          {purges.map((purge, index) => (
            <li key={index}>
              {`${purge.at}, by ${purge.by ?? "a deleted account"}: ${purge.registrations} registrations, ${purge.online_sessions} webinar report lines and ${purge.emails} emails erased.`}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
