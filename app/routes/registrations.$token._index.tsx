import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { hasAttended } from "~/attendance/attendance-report.server";
import { database } from "~/database.server";
import { countryName } from "~/lib/countries.server";
import { plainForm } from "~/lib/form";
import { meetingDays } from "~/lib/time";
import { ATTENDANCE_MODE_LABELS, CATEGORY_LABELS, REGISTRATION_STATUS_LABELS } from "~/registration/labels";
import { RegistrationFields } from "~/registration/registration-fields";
import { parseRegistrationDetails } from "~/registration/registration-form.server";
import { registrationForm } from "~/registration/registration-page.server";
import {
  changeRegistrationStatus,
  findRegistrationByToken,
  needsFollowUp,
  registrationQuestions,
  updateRegistrationDetails,
} from "~/registration/registrations.server";
import { ErrorPage } from "~/ui/error-page";
import { ErrorSummary } from "~/ui/fields";
import { SECRET_LINK_HEADERS, SECRET_LINK_REFERRER } from "~/lib/secret-link";

const intentSchema = z.enum(["save", "cancel"], { error: "Unknown action" });

/** The page itself (a loader's or action's headers reach only data requests), its errors included. */
export const headers: HeadersFunction = () => SECRET_LINK_HEADERS;

async function registrationFor(token: string | undefined) {
  const found = await findRegistrationByToken(database(), token);
  if (!found) throw new Response("This link does not open a registration. It may be an older link: use the newest email.", { status: 404 });
  return found;
}

function formValuesOf(registration: Awaited<ReturnType<typeof registrationFor>>["registration"]): Record<string, string> {
  const values: Record<string, string> = {
    salutation: registration.salutation ?? "",
    firstName: registration.first_name,
    lastName: registration.last_name,
    organisation: registration.organisation,
    jobTitle: registration.job_title ?? "",
    country: registration.country,
    gender: registration.gender,
    category: registration.category,
    attendanceMode: registration.attendance_mode,
    needs: registration.needs ?? "",
    timezone: registration.timezone ?? "",
  };
  for (const [id, answer] of Object.entries(registration.answers)) values[`question-${id}`] = Array.isArray(answer) ? answer.join("\n") : answer;
  return values;
}

export async function loader({ params }: LoaderFunctionArgs) {
  const { registration, meeting } = await registrationFor(params.token);
  const [questions, attended] = await Promise.all([registrationQuestions(database(), meeting.id), hasAttended(database(), meeting, registration)]);
  return json(
    {
      attended,
      meeting: {
        slug: meeting.slug,
        title: meeting.title,
        mode: meeting.mode,
        when: meetingDays(meeting),
        cancelled: meeting.status === "cancelled",
      },
      registration: {
        name: [registration.salutation, registration.first_name, registration.last_name].filter(Boolean).join(" "),
        email: registration.email,
        status: registration.status,
        organisation: registration.organisation,
        country: countryName(registration.country),
        category: registration.category,
        attendanceMode: registration.attendance_mode,
        followUp: needsFollowUp(registration),
      },
      values: formValuesOf(registration),
      form: registrationForm(meeting, questions),
    },
    { headers: SECRET_LINK_HEADERS },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { registration, meeting } = await registrationFor(params.token);
  const formData = await plainForm(request);
  const intent = intentSchema.safeParse(formData.get("intent") ?? "save");
  if (!intent.success) throw new Response("Unknown action.", { status: 400 });
  const db = database();
  if (intent.data === "cancel") {
    const result = await changeRegistrationStatus(db, {
      meetingId: meeting.id,
      registrationId: registration.id,
      to: "cancelled",
      by: registration.user_id,
      byParticipant: true,
    });
    if (!result.ok) throw new Response(result.message, { status: 409 });
    return json({ done: "cancelled" as const, errors: {}, values: {} }, { headers: SECRET_LINK_HEADERS });
  }
  if (registration.status === "cancelled" || registration.status === "declined") {
    throw new Response("A cancelled or declined registration cannot be changed.", { status: 409 });
  }
  const questions = await registrationQuestions(db, meeting.id);
  const parsed = parseRegistrationDetails(formData, meeting.mode, questions);
  if (!parsed.ok) return json({ done: null, errors: parsed.errors, values: parsed.values }, { status: 400, headers: SECRET_LINK_HEADERS });
  await updateRegistrationDetails(db, registration.id, parsed.input);
  return json({ done: "saved" as const, errors: {}, values: {} }, { headers: SECRET_LINK_HEADERS });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Your registration: ${data.meeting.title}` : "Your registration" },
  SECRET_LINK_REFERRER,
  { name: "robots", content: "noindex" },
];

export default function ManageRegistration() {
  const { meeting, registration, values: saved, form, attended } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const closed = registration.status === "cancelled" || registration.status === "declined";
  const values: Record<string, string> = result?.done ? saved : { ...saved, ...result?.values };
  return (
    <>
      <nav aria-label="Breadcrumb" className="muted">
        <Link to={`/meetings/${meeting.slug}`}>{meeting.title}</Link> › Your registration
      </nav>
      <h1>Your registration</h1>
      <p>
        {meeting.title} · {meeting.when}
      </p>
      {meeting.cancelled && <p className="notice cancelled">This meeting has been cancelled.</p>}
      {result?.done === "saved" && (
        <p className="notice ok" role="status">
          Your changes are saved.
        </p>
      )}
      {result?.done === "cancelled" && (
        <p className="notice ok" role="status">
          Your registration is cancelled. We have emailed you a confirmation.
        </p>
      )}
      <dl className="facts card">
        <dt>Name</dt>
        <dd>{registration.name}</dd>
        <dt>Email</dt>
        <dd>{registration.email}</dd>
        <dt>Status</dt>
        <dd>
          <strong>{REGISTRATION_STATUS_LABELS[registration.status]}</strong>
        </dd>
        <dt>Organisation</dt>
        <dd>
          {registration.organisation}, {registration.country}
        </dd>
        <dt>Participating as</dt>
        <dd>{CATEGORY_LABELS[registration.category]}</dd>
        <dt>Attending</dt>
        <dd>{ATTENDANCE_MODE_LABELS[registration.attendanceMode]}</dd>
      </dl>
      {attended && (
        <p>
          <Link className="button secondary" to="certificate.pdf" relative="path" reloadDocument>
            Certificate of attendance (PDF)
          </Link>
        </p>
      )}
      {registration.followUp && (
        <p>
          <Link className="button secondary" to="follow-up" relative="path">
            Travel, visa letter and funding
          </Link>
        </p>
      )}
      {!closed && (
        <>
          <h2>Change your details</h2>
          <Form method="post" className="stacked" noValidate key={JSON.stringify(values)}>
            <ErrorSummary errors={result?.errors} />
            <RegistrationFields {...form} values={values} errors={result?.errors ?? {}} />
            <button type="submit" name="intent" value="save" className="button" disabled={submitting}>
              Save changes
            </button>
          </Form>
          <h2>Cancel your registration</h2>
          <Form
            method="post"
            onSubmit={(event) => {
              if (!window.confirm("Cancel your registration? Your place may go to someone on the waiting list.")) event.preventDefault();
            }}
          >
            <p>If you can no longer attend, please cancel so that your place can go to someone else.</p>
            <button type="submit" name="intent" value="cancel" className="button danger">
              Cancel my registration
            </button>
          </Form>
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
