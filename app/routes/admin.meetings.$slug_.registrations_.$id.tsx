import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { database } from "~/database.server";
import { countryName } from "~/lib/countries.server";
import { formatInstant, zoneLabel } from "~/lib/time";
import { DecisionForm, StatusBadge } from "~/registration/console-ui";
import { DECISIONS, DECISION_DONE } from "~/registration/decisions";
import { ATTENDANCE_MODE_LABELS, CATEGORY_LABELS, GENDER_LABELS, REGISTRATION_STATUS_LABELS } from "~/registration/labels";
import { organisersMeeting } from "~/registration/organiser-meeting.server";
import { decide, fullName, registrationFile } from "~/registration/registration-console.server";
import { ErrorPage } from "~/ui/error-page";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";
import { plainForm, recordId } from "~/lib/form";

const idSchema = recordId;

/** One click: `change=<id>:<status>`, the id being this page's registration. */
const changeSchema = z
  .string({ error: "Unknown action" })
  .regex(/^\d+:\w+$/, { error: "Unknown action" })
  .transform((value) => value.split(":"))
  .pipe(z.tuple([idSchema, z.enum(DECISIONS, { error: "Unknown action" })]));

/** Organisers only; 404 for a registration of another meeting. */
async function registrationOf(request: Request, params: { slug?: string; id?: string }) {
  const { user, meeting } = await organisersMeeting(request, params.slug);
  const id = idSchema.safeParse(params.id);
  const file = id.success ? await registrationFile(database(), meeting, id.data) : undefined;
  if (!file) throw new Response("This meeting has no such registration.", { status: 404 });
  return { user, meeting, file };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting, file } = await registrationOf(request, params);
  const { registration: r, followUp } = file;
  return json({
    meeting: { slug: meeting.slug, title: meeting.title, zone: zoneLabel(meeting.timezone) },
    registration: {
      id: r.id,
      name: fullName(r),
      email: r.email,
      status: r.status,
      organisation: r.organisation,
      jobTitle: r.job_title,
      country: countryName(r.country) ?? r.country,
      category: CATEGORY_LABELS[r.category],
      gender: GENDER_LABELS[r.gender],
      attendanceMode: ATTENDANCE_MODE_LABELS[r.attendance_mode],
      needs: r.needs,
      timezone: r.timezone,
      registeredAt: formatInstant(r.created_at, meeting.timezone),
      updatedAt: formatInstant(r.updated_at, meeting.timezone),
    },
    answers: file.answers,
    followUp: followUp && {
      arrival: [followUp.arrival_date, followUp.arrival_time, followUp.arrival_flight].filter(Boolean).join(", "),
      departure: [followUp.departure_date, followUp.departure_time, followUp.departure_flight].filter(Boolean).join(", "),
      hotel: followUp.hotel,
      needsVisaLetter: followUp.needs_visa_letter,
      passportName: followUp.passport_name,
      passportNationality: countryName(followUp.passport_nationality),
      travelFundingRequested: followUp.travel_funding_requested,
      travelFundingDecision: followUp.travel_funding_decision,
    },
    history: file.history,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, meeting, file } = await registrationOf(request, params);
  const formData = await plainForm(request);
  const parsed = changeSchema.safeParse(formData.get("change") ?? undefined);
  if (!parsed.success || parsed.data[0] !== file.registration.id) throw new Response("Unknown action.", { status: 400 });
  const to = parsed.data[1];
  const [outcome] = await decide(database(), { meetingId: meeting.id, registrationIds: [file.registration.id], to, by: user.id });
  if (!outcome || !outcome.ok) return json({ ok: false as const, message: outcome && !outcome.ok ? outcome.message : "Not changed." }, { status: 409 });
  return json({ ok: true as const, message: outcome.changed ? `${DECISION_DONE[to][0]!.toUpperCase()}${DECISION_DONE[to].slice(1)}, and emailed.` : "Nothing to change." });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.registration.name}: registration for ${data.meeting.title}` : "Registration" },
];

function Fact({ term, value }: { term: string; value: string | null | undefined }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{value || <span className="muted">—</span>}</dd>
    </>
  );
}

export default function RegistrationDetail() {
  const { meeting, registration, answers, followUp, history } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <MeetingAdminNav meeting={meeting} />
      <p>
        <Link to={`/admin/meetings/${meeting.slug}/registrations`}>← All registrations</Link>
      </p>
      <h1>{registration.name}</h1>
      <p>
        <StatusBadge status={registration.status} /> · {registration.organisation} · registered {registration.registeredAt}
      </p>
      {result &&
        (result.ok ? (
          <p className="notice ok" role="status">
            {result.message}
          </p>
        ) : (
          <div className="error-summary" role="alert">
            <strong>Not done:</strong> {result.message}
          </div>
        ))}
      <DecisionForm id={registration.id} name={registration.name} status={registration.status} />

      <h2>Details</h2>
      <dl className="facts card">
        <Fact term="Email" value={registration.email} />
        <Fact term="Status" value={REGISTRATION_STATUS_LABELS[registration.status]} />
        <Fact term="Organisation" value={registration.organisation} />
        <Fact term="Job title" value={registration.jobTitle} />
        <Fact term="Country" value={registration.country} />
        <Fact term="Category" value={registration.category} />
        <Fact term="Gender" value={registration.gender} />
        <Fact term="Attendance" value={registration.attendanceMode} />
        <Fact term="Accessibility or dietary needs" value={registration.needs} />
        <Fact term="Own time zone" value={registration.timezone} />
        <Fact term="Registered" value={registration.registeredAt} />
        <Fact term="Last changed" value={registration.updatedAt} />
      </dl>

      <h2>Answers to the meeting's questions</h2>
      {answers.length === 0 ? (
        <p className="muted">This meeting asks no questions of its own.</p>
      ) : (
        <dl className="facts card">
          {answers.map((answer) => (
            <Fact key={answer.id} term={answer.label} value={answer.answer} />
          ))}
        </dl>
      )}

      <h2>Travel and visa</h2>
      {followUp ? (
        <dl className="facts card">
          <Fact term="Arrival" value={followUp.arrival} />
          <Fact term="Departure" value={followUp.departure} />
          <Fact term="Hotel" value={followUp.hotel} />
          <Fact term="Visa support letter" value={followUp.needsVisaLetter ? "Needed" : "Not needed"} />
          <Fact term="Name in passport" value={followUp.passportName} />
          <Fact term="Passport nationality" value={followUp.passportNationality} />
          <Fact
            term="Travel funding"
            value={
              followUp.travelFundingRequested
                ? `Requested${followUp.travelFundingDecision ? ` (${followUp.travelFundingDecision === "granted" ? "granted" : "not granted"})` : ", not decided yet"}`
                : "Not requested"
            }
          />
        </dl>
      ) : (
        <p className="muted">No travel details given.</p>
      )}

      <h2 id="history">History</h2>
      <div className="table-scroll">
        <table className="data" aria-labelledby="history">
          <caption className="muted">Times in {meeting.zone}, the meeting's zone.</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {history.map((change) => (
              <tr key={change.id}>
                <td>
                  <time dateTime={change.atIso}>{change.at}</time>
                </td>
                <td>{change.from ? REGISTRATION_STATUS_LABELS[change.from] : "New registration"}</td>
                <td>{REGISTRATION_STATUS_LABELS[change.to]}</td>
                <td>{change.by}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
