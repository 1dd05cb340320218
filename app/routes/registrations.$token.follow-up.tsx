import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { database } from "~/database.server";
import { countryChoices } from "~/lib/countries.server";
import { plainForm } from "~/lib/form";
import { meetingDays, zoneLabel } from "~/lib/time";
import { followUpFormValues, openFollowUp, parseFollowUpForm, saveFollowUp } from "~/registration/follow-up.server";
import { FUNDING_DECISION_LABELS } from "~/registration/organiser-labels";
import { ErrorPage } from "~/ui/error-page";
import { ErrorSummary, SelectField, TextField } from "~/ui/fields";
import { SECRET_LINK_HEADERS, SECRET_LINK_REFERRER } from "~/lib/secret-link";

export const headers: HeadersFunction = () => SECRET_LINK_HEADERS;

async function followUpFor(token: string | undefined) {
  const access = await openFollowUp(database(), token);
  if (access.kind === "not-found") {
    throw new Response("This link does not open a registration. It may be an older link: use the newest email.", { status: 404, headers: SECRET_LINK_HEADERS });
  }
  if (access.kind === "not-eligible") throw new Response(access.message, { status: 403, headers: SECRET_LINK_HEADERS });
  return access;
}

export async function loader({ params }: LoaderFunctionArgs) {
  const { registration, meeting, followUp } = await followUpFor(params.token);
  return json(
    {
      meeting: {
        slug: meeting.slug,
        title: meeting.title,
        when: meetingDays(meeting),
        zone: zoneLabel(meeting.timezone),
        startsOn: meeting.starts_on,
        endsOn: meeting.ends_on,
      },
      name: `${registration.first_name} ${registration.last_name}`,
      saved: Boolean(followUp),
      funding: followUp?.travel_funding_requested ? FUNDING_DECISION_LABELS[followUp.travel_funding_decision ?? "undecided"] : null,
      values: followUpFormValues(followUp, registration),
      countries: countryChoices(),
    },
    { headers: SECRET_LINK_HEADERS },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { registration, meeting } = await followUpFor(params.token);
  const parsed = parseFollowUpForm(await plainForm(request), meeting);
  if (!parsed.ok) return json({ saved: false, errors: parsed.errors, values: parsed.values }, { status: 400, headers: SECRET_LINK_HEADERS });
  await saveFollowUp(database(), registration.id, parsed.input);
  return json({ saved: true, errors: {}, values: {} }, { headers: SECRET_LINK_HEADERS });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Travel and visa: ${data.meeting.title}` : "Travel and visa" },
  SECRET_LINK_REFERRER,
  { name: "robots", content: "noindex" },
];

function YesNo({ name, legend, value, error, hint }: { name: string; legend: string; value: string | undefined; error?: string; hint?: string }) {
  const described = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset id={name} aria-describedby={described} aria-invalid={error ? true : undefined}>
      <legend>
        {legend}
        <span aria-hidden="true"> *</span>
      </legend>
      {hint && (
        <p className="hint muted" id={`${name}-hint`}>
          {hint}
        </p>
      )}
      <label style={{ display: "block" }}>
        <input type="radio" name={name} value="yes" defaultChecked={value === "yes"} /> Yes
      </label>
      <label style={{ display: "block" }}>
        <input type="radio" name={name} value="no" defaultChecked={value === "no"} /> No
      </label>
      {error && (
        <span className="error" id={`${name}-error`}>
          {error}
        </span>
      )}
    </fieldset>
  );
}

export default function FollowUp() {
  const { meeting, name, saved, funding, values: stored, countries } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const errors: Record<string, string> = result?.errors ?? {};
  const values: Record<string, string> = result && !result.saved ? result.values : stored;
  const zone = meeting.zone;
  return (
    <>
      <nav aria-label="Breadcrumb" className="muted">
        <Link to={`/meetings/${meeting.slug}`}>{meeting.title}</Link> ›{" "}
        <Link to=".." relative="path">
          Your registration
        </Link>{" "}
        › Travel and visa
      </nav>
      <h1>Travel, visa letter and funding</h1>
      <p>
        {name} · {meeting.title} · {meeting.when}
      </p>
      {result?.saved && (
        <p className="notice ok" role="status">
          Thank you: your travel details are saved. You can come back to this page with the same link to change them.
        </p>
      )}
      {!result && saved && <p className="muted">You sent these details before; change them below if your plans change.</p>}
      {funding && (
        <p className="notice" role="note">
          Travel funding: <strong>{funding}</strong>.
        </p>
      )}
      <Form method="post" className="stacked" noValidate key={JSON.stringify(values)}>
        <ErrorSummary errors={errors} />
        <fieldset>
          <legend>Arrival</legend>
          <p className="hint muted">Dates and times are local times at the venue ({zone}).</p>
          <div className="row">
            <TextField name="arrivalDate" label="Arrival date" type="date" defaultValue={values.arrivalDate} error={errors.arrivalDate} />
            <TextField name="arrivalTime" label={`Arrival time (${zone})`} type="time" placeholder="HH:mm" defaultValue={values.arrivalTime} error={errors.arrivalTime} />
            <TextField name="arrivalFlight" label="Arrival flight" placeholder="e.g. TG 659" defaultValue={values.arrivalFlight} error={errors.arrivalFlight} />
          </div>
        </fieldset>
        <fieldset>
          <legend>Departure</legend>
          <div className="row">
            <TextField name="departureDate" label="Departure date" type="date" defaultValue={values.departureDate} error={errors.departureDate} />
            <TextField name="departureTime" label={`Departure time (${zone})`} type="time" placeholder="HH:mm" defaultValue={values.departureTime} error={errors.departureTime} />
            <TextField name="departureFlight" label="Departure flight" defaultValue={values.departureFlight} error={errors.departureFlight} />
          </div>
        </fieldset>
        <fieldset>
          <legend>Accommodation</legend>
          <TextField name="hotel" label="Hotel" hint="Where you will stay, if you know." defaultValue={values.hotel} error={errors.hotel} />
        </fieldset>
        <YesNo
          name="needsVisaLetter"
          legend="Do you need a visa support letter?"
          hint="The organisers then send you a letter for your visa application, with your name and nationality as in your passport."
          value={values.needsVisaLetter}
          error={errors.needsVisaLetter}
        />
        <fieldset>
          <legend>For the visa letter (only if you need one)</legend>
          <TextField
            name="passportName"
            label="Name as in your passport"
            hint="In Latin letters, as printed in your passport; accents are fine."
            autoComplete="name"
            defaultValue={values.passportName}
            error={errors.passportName}
          />
          <SelectField
            name="passportNationality"
            label="Nationality (passport)"
            placeholder="Choose…"
            options={countries}
            defaultValue={values.passportNationality}
            error={errors.passportNationality}
          />
        </fieldset>
        <YesNo
          name="travelFundingRequested"
          legend="Do you request travel funding?"
          hint="The organisers decide on requests and tell you."
          value={values.travelFundingRequested}
          error={errors.travelFundingRequested}
        />
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? "Saving…" : "Save"}
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
