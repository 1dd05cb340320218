import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { database } from "~/database.server";
import { formatInstant, zoneLabel } from "~/lib/time";
import { decideTravelFunding, listFollowUps, parseFollowUpFilter } from "~/registration/follow-up.server";
import { REGISTRATION_STATUS_LABELS } from "~/registration/labels";
import { FUNDING_DECISION_LABELS } from "~/registration/organiser-labels";
import { meetingSummary, organisersMeeting } from "~/registration/organiser-meeting.server";
import { DEFAULT_VISA_LETTER_TEMPLATE, VISA_LETTER_PLACEHOLDERS, saveVisaLetterTemplate } from "~/registration/visa-letter.server";
import { ErrorPage } from "~/ui/error-page";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";
import { ErrorSummary, SelectField, TextArea } from "~/ui/fields";
import { plainForm, recordId } from "~/lib/form";

const intentSchema = z.enum(["decide", "template", "default-template"], { error: "Unknown action" });
const decisionSchema = z.object({
  registration: recordId,
  decision: z.enum(["granted", "not_granted", "undecided"]),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeeting(request, params.slug);
  const url = new URL(request.url);
  const filter = parseFollowUpFilter(url.searchParams);
  const rows = await listFollowUps(database(), meeting.id, filter);
  return json({
    meeting: meetingSummary(meeting),
    filter,
    rows: rows.map((row) => ({ ...row, fundingDecidedAt: row.fundingDecidedAt ? formatInstant(row.fundingDecidedAt, meeting.timezone) : null })),
    template: meeting.visa_letter_template ?? DEFAULT_VISA_LETTER_TEMPLATE,
    customTemplate: meeting.visa_letter_template !== null,
    placeholders: Object.entries(VISA_LETTER_PLACEHOLDERS).map(([name, meaning]) => ({ name, meaning })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, meeting } = await organisersMeeting(request, params.slug);
  const formData = await plainForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Unknown action.", { status: 400 });
  const db = database();
  if (intent.data === "decide") {
    const parsed = decisionSchema.safeParse({ registration: formData.get("registration"), decision: formData.get("decision") });
    if (!parsed.success) throw new Response("Which registration, and which decision?", { status: 400 });
    const { registration, decision } = parsed.data;
    const result = await decideTravelFunding(db, { meetingId: meeting.id, registrationId: registration, decision: decision === "undecided" ? null : decision, by: user.id });
    if (!result.ok) return json({ notice: result.message, failed: true, errors: {}, values: {} as Record<string, string> }, { status: 409 });
    return json({ notice: `Travel funding: ${FUNDING_DECISION_LABELS[decision].toLowerCase()}.`, failed: false, errors: {}, values: {} as Record<string, string> });
  }
  const template = intent.data === "default-template" ? null : String(formData.get("visaLetterTemplate") ?? "");
  const saved = await saveVisaLetterTemplate(db, meeting.id, template, user.id);
  if (!saved.ok) {
    return json({ notice: null, failed: true, errors: { visaLetterTemplate: saved.error }, values: { visaLetterTemplate: template ?? "" } as Record<string, string> }, { status: 400 });
  }
  return json({ notice: template === null ? "The default letter is restored." : "Letter template saved.", failed: false, errors: {}, values: {} as Record<string, string> });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Travel and visas: ${data.meeting.title}` : "Travel and visas" }];

function when(date: string | null, time: string | null, flight: string | null) {
  if (!date) return <span className="muted">—</span>;
  return (
    <>
      {time ? `${date} ${time}` : date}
      {flight && <div className="muted">{flight}</div>}
    </>
  );
}

const YES_NO = [
  { value: "yes", label: "Yes" },
  { value: "no", label: "No" },
];

export default function FollowUps() {
  const { meeting, filter, rows, template, customTemplate, placeholders } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const { search } = useLocation();
  const errors: Record<string, string> = result?.errors ?? {};
  const filtered = Boolean(filter.visa || filter.funding || filter.decision);
  const base = `/admin/meetings/${meeting.slug}`;
  return (
    <>
      <MeetingAdminNav meeting={meeting} />
      <h1>
        Travel and visas: {meeting.title}
      </h1>
      <p>{meeting.when}</p>
      <p>
        Confirmed participants who attend in person tell their travel plans, and whether they need a visa support letter or travel funding, with
        the form linked from their confirmation email. Times are local times at the venue ({zoneLabel(meeting.timezone)}).
      </p>
      {result?.notice && (
        <p className={result.failed ? "notice cancelled" : "notice ok"} role={result.failed ? "alert" : "status"}>
          {result.notice}
        </p>
      )}
      <Form method="get" className="filters" aria-label="Filter">
        <SelectField name="visa" label="Visa letter needed" placeholder="All" options={YES_NO} defaultValue={filter.visa} />
        <SelectField
          name="funding"
          label="Travel funding"
          placeholder="All"
          options={[
            { value: "requested", label: "Requested" },
            { value: "not_requested", label: "Not requested" },
          ]}
          defaultValue={filter.funding}
        />
        <SelectField
          name="decision"
          label="Funding decision"
          placeholder="All"
          options={[
            { value: "undecided", label: "Not decided yet" },
            { value: "granted", label: "Granted" },
            { value: "not_granted", label: "Not granted" },
          ]}
          defaultValue={filter.decision}
        />
        <button type="submit" className="button secondary">
          Filter
        </button>
        {filtered && <Link to=".">Show all</Link>}
      </Form>
      <p className="actions">
        <a className="button secondary" href={`${base}/follow-ups.csv${search}`} download>
          Export CSV{filtered ? " (these rows)" : ""}
        </a>
      </p>
      {rows.length === 0 ? (
        <p className="muted">{filtered ? "No follow-ups match these filters." : "Nobody has filled in the travel form yet."}</p>
      ) : (
        <div className="table-scroll">
          <table className="data">
            <caption className="muted">
              {rows.length} {rows.length === 1 ? "participant" : "participants"}, by country then name.
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Country</th>
                <th scope="col">Arrival</th>
                <th scope="col">Departure</th>
                <th scope="col">Hotel</th>
                <th scope="col">Visa letter</th>
                <th scope="col">Funding requested</th>
                <th scope="col">Funding decision</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.registrationId}>
                  <th scope="row" style={{ fontWeight: "normal" }}>
                    <strong>{row.name}</strong>
                    <div className="muted">{row.organisation}</div>
                    {row.status !== "confirmed" && <span className="badge cancelled">{REGISTRATION_STATUS_LABELS[row.status]}</span>}
                    {row.status === "confirmed" && !row.attendsInPerson && <span className="badge">Online</span>}
                  </th>
                  <td>{row.countryName}</td>
                  <td>{when(row.arrivalDate, row.arrivalTime, row.arrivalFlight)}</td>
                  <td>{when(row.departureDate, row.departureTime, row.departureFlight)}</td>
                  <td>{row.hotel ?? <span className="muted">—</span>}</td>
                  <td>
                    {row.needsVisaLetter ? (
                      <>
                        Yes
                        <div className="muted">
                          {row.passportName}, {row.passportNationalityName}
                        </div>
                        {row.attendsInPerson ? (
                          <a href={`${base}/visa-letters/${row.registrationId}.pdf`} aria-label={`Visa letter for ${row.name} (PDF)`}>
                            Letter (PDF)
                          </a>
                        ) : (
                          <div className="muted">No letter: {row.status === "confirmed" ? "now attends online" : "place not confirmed"}</div>
                        )}
                      </>
                    ) : (
                      "No"
                    )}
                  </td>
                  <td>{row.fundingRequested ? "Yes" : "No"}</td>
                  <td>
                    {row.fundingRequested ? (
                      <>
                        <strong>{FUNDING_DECISION_LABELS[row.fundingDecision ?? "undecided"]}</strong>
                        {row.fundingDecision && (
                          <div className="muted">
                            by {row.fundingDecidedBy ?? "an organiser"}, {row.fundingDecidedAt}
                          </div>
                        )}
                        <Form method="post" className="actions" style={{ margin: ".25rem 0 0" }}>
                          <input type="hidden" name="intent" value="decide" />
                          <input type="hidden" name="registration" value={row.registrationId} />
                          {row.fundingDecision !== "granted" && (
                            <button type="submit" name="decision" value="granted" className="button secondary" aria-label={`Grant travel funding to ${row.name}`}>
                              Grant
                            </button>
                          )}
                          {row.fundingDecision !== "not_granted" && (
                            <button type="submit" name="decision" value="not_granted" className="button secondary" aria-label={`Do not grant travel funding to ${row.name}`}>
                              Not grant
                            </button>
                          )}
                          {row.fundingDecision && (
                            <button type="submit" name="decision" value="undecided" className="button secondary" aria-label={`Undo the funding decision for ${row.name}`}>
                              Undo
                            </button>
                          )}
                        </Form>
                      </>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 id="visa-letter">Visa support letter</h2>
      <p>
        The letter printed for each participant who needs one. {customTemplate ? "This meeting has its own text." : "This is the default text."} Placeholders are
        filled in for each person:
      </p>
      <ul>
        {placeholders.map((p) => (
          <li key={p.name}>
            <code>{`{{${p.name}}}`}</code>: {p.meaning}
          </li>
        ))}
      </ul>
      <p className="muted">The PDF adds the organising body and the date at the top, and the signature block “Secretary of the meeting” at the end.</p>
      <Form method="post" className="stacked" noValidate aria-labelledby="visa-letter" key={`${template}${JSON.stringify(result?.values ?? {})}`}>
        <ErrorSummary errors={errors} />
        <TextArea
          name="visaLetterTemplate"
          label="Letter text"
          rows={14}
          hint="Paragraphs are separated by an empty line."
          defaultValue={result?.values.visaLetterTemplate ?? template}
          error={errors.visaLetterTemplate}
        />
        <div className="actions">
          <button type="submit" name="intent" value="template" className="button" disabled={submitting}>
            Save letter
          </button>
          {customTemplate && (
            <button type="submit" name="intent" value="default-template" className="button secondary" disabled={submitting}>
              Restore the default letter
            </button>
          )}
        </div>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
