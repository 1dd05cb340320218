import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { signedInUser } from "~/accounts/session.server";
import { database } from "~/database.server";
import { formValues, plainForm } from "~/lib/form";
import { SECRET_LINK_HEADERS } from "~/lib/secret-link";
import { MeetingHeader } from "~/meetings/meeting-header";
import { publicMeetingData } from "~/meetings/meeting-page.server";
import { RegistrationFields } from "~/registration/registration-fields";
import { parseRegistrationForm } from "~/registration/registration-form.server";
import { rememberOutcome, rememberedOutcome, thanksAddress } from "~/registration/registration-outcome.server";
import { loadRegistrationMeeting, registrationForm } from "~/registration/registration-page.server";
import { register } from "~/registration/registrations.server";
import { limitRegistrations, retryAfterHeaders, withRetryAfter } from "~/rate-limits/rate-limits.server";
import { ErrorPage } from "~/ui/error-page";
import { ErrorSummary, TextField } from "~/ui/fields";

const OUTCOME_TEXT = {
  confirmed: "Your place is confirmed.",
  waitlisted: "The meeting is full, so you are on the waiting list. We will email you if a place becomes free.",
  pending: "Your registration is pending: the organisers will review it and email you their decision.",
} as const;

/**
 * `?invitation=` carries an emailed invitation's secret; anything that cannot be one is dropped (the
 * form then asks for a code). `?registered` is the thank-you page a registration redirects to.
 */
const registrationQuery = z.object({
  invitation: z.string().max(100).optional().catch(undefined),
  registered: z.string().optional().catch(undefined),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { invitation = "", registered } = registrationQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { meeting, questions } = await loadRegistrationMeeting(params.slug);
  // Without the outcome (expired, or the address opened elsewhere) the thank-you address shows the form again.
  const thanks = registered === undefined ? null : await rememberedOutcome(request, meeting.id);
  if (thanks) return json({ meeting: publicMeetingData(meeting), thanks: { outcome: thanks.outcome, email: thanks.email } });
  const user = await signedInUser(request);
  return json(
    { meeting: publicMeetingData(meeting), thanks: null, form: registrationForm(meeting, questions), values: { email: user?.email ?? "", timezone: user?.timezone ?? "", invitation } },
    { headers: invitation ? SECRET_LINK_HEADERS : {} },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) => withRetryAfter(loaderHeaders, actionHeaders);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { meeting, questions } = await loadRegistrationMeeting(params.slug);
  const user = await signedInUser(request);
  const formData = await plainForm(request);
  const parsed = parseRegistrationForm(formData, meeting.mode, questions);
  if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const values = formValues(formData);
  const db = database();
  // Only forms that would register count: a hall correcting its typos is not held back.
  const verdict = await limitRegistrations(db, meeting.id, context.clientNetwork);
  if (verdict.limited) return json({ errors: {}, values, refusal: verdict.message }, { status: 429, headers: retryAfterHeaders(verdict) });
  const outcome = await register(db, meeting, parsed.input, user?.id ?? null);
  switch (outcome.kind) {
    case "refused":
      return json({ errors: outcome.errors, values }, { status: 400 });
    case "closed":
      return json({ errors: { form: "Registration for this meeting is not open." }, values }, { status: 409 });
    case "already-registered":
    case "registered": {
      const thanks = { meetingId: meeting.id, outcome: outcome.kind === "registered" ? outcome.status : outcome.kind, email: parsed.input.email };
      return redirect(thanksAddress(meeting.slug), { status: 303, headers: { "Set-Cookie": await rememberOutcome(meeting.slug, thanks) } });
    }
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Register: ${data.meeting.title}` : "Register" }];

export default function Register() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const { meeting, thanks } = data;

  if (thanks) {
    return (
      <>
        <MeetingHeader meeting={meeting} section="Registration" />
        <section className="notice ok" role="status">
          {thanks.outcome === "already-registered" ? (
            <p>
              <strong>{thanks.email} is already registered for this meeting.</strong> Nothing new was created: we have
              emailed a new private link to view, change or cancel the registration.
            </p>
          ) : (
            <p>
              <strong>Thank you for registering.</strong> {OUTCOME_TEXT[thanks.outcome]} We have sent a confirmation to{" "}
              {thanks.email} with a private link to view, change or cancel your registration.
            </p>
          )}
        </section>
        <p>
          <Link to={`/meetings/${meeting.slug}`}>Back to the meeting</Link> ·{" "}
          <Link to={`/meetings/${meeting.slug}/register`}>Register another person</Link>
        </p>
      </>
    );
  }

  const { form, values: initial } = data;
  const values: Record<string, string> = { ...initial, ...result?.values };
  const errors: Record<string, string> = result?.errors ?? {};
  const refusal = result && "refusal" in result ? result.refusal : null;
  const { registration } = meeting;
  if (meeting.status === "cancelled" || !registration.isOpen) {
    return (
      <>
        <MeetingHeader meeting={meeting} section="Registration" />
        <p className="notice" role="status">
          {meeting.status === "cancelled" ? "This meeting has been cancelled." : meeting.registrationText}.
        </p>
        <p>
          <Link to={`/meetings/${meeting.slug}`}>Back to the meeting</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <MeetingHeader meeting={meeting} section="Registration" />
      <p>{meeting.registrationText}.</p>
      {(refusal || errors.form) && (
        <p className="notice cancelled" role="alert">
          {refusal || errors.form}
        </p>
      )}
      <Form method="post" className="stacked" noValidate key={JSON.stringify(result?.values ?? {})}>
        <ErrorSummary errors={errors} />
        {registration.policy === "invitation" && (
          <fieldset>
            <legend>Invitation</legend>
            <input type="hidden" name="invitation" value={values.invitation ?? ""} />
            {values.invitation?.trim() ? (
              // The summary's link for an error about the emailed invitation lands here.
              <div className="field" id="invitation" tabIndex={-1}>
                <p>You are registering with the invitation you received by email.</p>
                {errors.invitation && (
                  <p className="error" id="invitation-error">
                    {errors.invitation}
                  </p>
                )}
              </div>
            ) : (
              <TextField
                name="invitationCode"
                label="Invitation code"
                required
                hint="Registration is by invitation. Your government's focal point or the organisers give the code."
                defaultValue={values.invitationCode}
                error={errors.invitationCode}
              />
            )}
          </fieldset>
        )}
        <fieldset>
          <legend>Contact</legend>
          <TextField name="email" label="Email address" type="email" required autoComplete="email" defaultValue={values.email} error={errors.email} />
        </fieldset>
        <RegistrationFields {...form} values={values} errors={errors} />
        <fieldset>
          <legend>Privacy</legend>
          <div className="field">
            <label>
              <input type="checkbox" name="consent" value="yes" defaultChecked={values.consent === "yes"} aria-describedby="consent-hint" aria-invalid={errors.consent ? true : undefined} id="consent" /> I
              accept the privacy notice
            </label>
            <span className="hint" id="consent-hint">
              The organisers keep these details to run the meeting: to confirm your place, send you its papers and report
              attendance (only as totals by country, category and gender). You can change or cancel your registration at
              any time with the link we email you.
            </span>
            {errors.consent && <span className="error">{errors.consent}</span>}
          </div>
        </fieldset>
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? "Registering…" : "Register"}
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
