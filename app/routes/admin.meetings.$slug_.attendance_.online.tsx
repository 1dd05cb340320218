import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import {
  addReportedPerson,
  attendanceImports,
  deleteImport,
  importAttendanceReport,
  importSummary,
  linkIdentity,
  MAX_REPORT_BYTES,
  onlineAttendance,
  readReportUpload,
  registrationChoices,
} from "~/attendance/online-import.server";
import { DATE_ORDER_LABELS, DATE_ORDERS, identityLabel, nameParts, PLATFORM_LABELS, PLATFORMS, reportIdentity } from "~/attendance/webinar-platforms";
import { database } from "~/database.server";
import { countryChoices } from "~/lib/countries.server";
import { fieldErrors, formValues, noNul, plainForm, recordId } from "~/lib/form";
import { formatInstant, zoneLabel } from "~/lib/time";
import { normaliseTimeZone, timeZoneNames } from "~/lib/timezones";
import { OnTheSpotFields } from "~/registration/on-the-spot-fields";
import { organisersMeeting } from "~/registration/organiser-meeting.server";
import { parseOnTheSpotForm } from "~/registration/registration-form.server";
import { ErrorPage } from "~/ui/error-page";
import { ErrorSummary, labelOptions, SelectField } from "~/ui/fields";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";

const importSchema = z.object({
  platform: z.enum(["auto", ...PLATFORMS], { error: "Choose the platform, or Detect" }),
  zone: z.string({ error: "Choose the time zone of the report's times" }).refine(noNul, "Choose the time zone of the report's times from the list").transform((value, ctx) => {
    const zone = normaliseTimeZone(value);
    if (!zone) ctx.addIssue({ code: "custom", message: "Choose the time zone of the report's times from the list" });
    return zone ?? "";
  }),
  dateOrder: z.enum(["auto", ...DATE_ORDERS], { error: "Choose how the report writes dates, or Detect" }),
});

const linkSchema = z.object({ intent: z.literal("link"), identity: reportIdentity, registration: recordId });
const deleteSchema = z.object({ intent: z.literal("delete-import"), import: recordId });

const SAVED: Record<string, string> = {
  linked: "Linked: their sessions now count for that registration, in this report and in later ones.",
  added: "Registered as a confirmed participant (they were emailed, as usual) and linked to their sessions.",
  existing: "This address was already registered: linked to that registration.",
  deleted: "Import deleted, with the sessions it added.",
};

type ImportState = { form: "import"; message?: string; errors?: Record<string, string>; values?: Record<string, string> };
type LinkState = { form: "link"; identity: string; error: string };
type AddState = { form: "add"; errors: Record<string, string>; values: Record<string, string> };
type ActionState = ImportState | LinkState | AddState;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeeting(request, params.slug);
  const db = database();
  const [imports, attendance, registrations] = await Promise.all([attendanceImports(db, meeting.id), onlineAttendance(db, meeting), registrationChoices(db, meeting.id)]);
  const adding = new URL(request.url).searchParams.get("add");
  const toAdd = attendance.unmatched.find((entry) => entry.identity === adding) ?? null;
  const deleting = new URL(request.url).searchParams.get("delete");
  return json({
    meeting: { slug: meeting.slug, title: meeting.title, timezone: meeting.timezone, zone: zoneLabel(meeting.timezone), mode: meeting.mode },
    imports: imports.map((entry) => ({
      id: entry.id,
      fileName: entry.file_name,
      platform: PLATFORM_LABELS[entry.platform],
      rows: entry.row_count,
      newSessions: entry.new_session_count,
      zone: zoneLabel(entry.timezone),
      when: formatInstant(entry.created_at, meeting.timezone),
      by: entry.imported_by,
    })),
    people: attendance.people,
    unmatched: attendance.unmatched,
    registrations,
    toAdd,
    toDelete: imports.find((entry) => String(entry.id) === deleting)?.id ?? null,
    countries: toAdd ? countryChoices() : [],
    // UTC first: some platforms export in it; the meeting's zone is always there to choose.
    timezones: [...new Set(["UTC", meeting.timezone, ...timeZoneNames()])],
    maxUpload: `${MAX_REPORT_BYTES / 1024 / 1024} MB`,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, meeting } = await organisersMeeting(request, params.slug);
  const db = database();
  const base = `/admin/meetings/${meeting.slug}/attendance/online`;

  if (/^multipart\/form-data/i.test(request.headers.get("Content-Type") ?? "")) {
    const upload = await readReportUpload(request);
    if (!upload.ok) return json<ActionState>({ form: "import", errors: { [upload.field]: upload.message }, values: upload.values }, { status: upload.status });
    const parsed = importSchema.safeParse(upload.values);
    if (!parsed.success) return json<ActionState>({ form: "import", errors: fieldErrors(parsed.error), values: upload.values }, { status: 400 });
    const outcome = await importAttendanceReport(db, { meeting, fileName: upload.file.name, bytes: upload.file.bytes, ...parsed.data, by: user.id });
    if (!outcome.ok) return json<ActionState>({ form: "import", errors: { report: outcome.message }, values: upload.values }, { status: 400 });
    return json<ActionState>({ form: "import", message: importSummary(outcome, meeting.timezone), values: upload.values });
  }

  const formData = await plainForm(request);
  const intent = formData.get("intent");
  if (intent === "link") {
    const parsed = linkSchema.safeParse(formValues(formData));
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error);
      return json<ActionState>({ form: "link", identity: String(formData.get("identity") ?? ""), error: errors.identity ?? "Choose the registration from the list" }, { status: 400 });
    }
    const linked = await linkIdentity(db, { meetingId: meeting.id, identity: parsed.data.identity, registrationId: parsed.data.registration, by: user.id });
    if (!linked.ok) return json<ActionState>({ form: "link", identity: parsed.data.identity, error: linked.message }, { status: 400 });
    return redirect(`${base}?saved=linked`);
  }
  if (intent === "add") {
    const values = formValues(formData);
    const who = reportIdentity.safeParse(values.identity);
    const parsed = parseOnTheSpotForm(formData, meeting.mode);
    if (!parsed.ok || !who.success) {
      const errors = parsed.ok ? {} : parsed.errors;
      return json<ActionState>({ form: "add", errors: who.success ? errors : { ...errors, form: "Not a name or address from the reports" }, values }, { status: 400 });
    }
    const added = await addReportedPerson(db, { meetingId: meeting.id, identity: who.data, details: parsed.input, by: user.id });
    if (!added.ok) return json<ActionState>({ form: "add", errors: { form: added.message }, values }, { status: 400 });
    return redirect(`${base}?saved=${added.existing ? "existing" : "added"}`);
  }
  const removal = deleteSchema.safeParse(formValues(formData));
  if (!removal.success) throw new Response("Unknown action.", { status: 400 });
  if (!(await deleteImport(db, meeting.id, removal.data.import, user.id))) throw new Response("This meeting has no such import.", { status: 404 });
  return redirect(`${base}?saved=deleted`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Online attendance: ${data.meeting.title}` : "Online attendance" }];

const PLATFORM_OPTIONS = [{ value: "auto", label: "Detect" }, ...labelOptions(PLATFORM_LABELS)];
const DATE_ORDER_OPTIONS = [{ value: "auto", label: "Detect" }, ...labelOptions(DATE_ORDER_LABELS)];

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function hoursAndMinutes(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  return hours ? `${hours} h ${String(minutes % 60).padStart(2, "0")} min` : `${minutes} min`;
}

function ImportForm({ state, meeting, timezones, maxUpload }: { state: ImportState | null; meeting: LoaderData["meeting"]; timezones: string[]; maxUpload: string }) {
  const submitting = useNavigation().state === "submitting";
  const values = state?.values ?? {};
  return (
    <section aria-labelledby="import-report" className="card online-import">
      <h2 id="import-report">Import a webinar report</h2>
      {state?.message && (
        <p className="notice ok" role="status">
          {state.message}
        </p>
      )}
      <ErrorSummary errors={state?.errors} />
      <Form method="post" encType="multipart/form-data" className="stacked" key={JSON.stringify(values)}>
        <div className="row">
          <SelectField name="platform" label="Platform" options={PLATFORM_OPTIONS} defaultValue={values.platform ?? "auto"} error={state?.errors?.platform} />
          <SelectField
            name="zone"
            label="Time zone of the report's times"
            options={timezones.map((zone) => ({ value: zone, label: zone }))}
            defaultValue={values.zone ?? meeting.timezone}
            error={state?.errors?.zone}
            hint="The zone of the account that exported it. Times with an offset or “UTC” are read as written."
          />
          <SelectField
            name="dateOrder"
            label="Dates"
            options={DATE_ORDER_OPTIONS}
            defaultValue={values.dateOrder ?? "auto"}
            error={state?.errors?.dateOrder}
            hint="Detect: a day above 12 decides; otherwise 1.6.2026 is day first and 6/1/2026 month first."
          />
        </div>
        <div className="field">
          <label htmlFor="report">Report file (CSV)</label>
          <span className="hint" id="report-hint">
            Zoom’s participants report, Teams’ attendance report or Webex’s attendee report, as exported; at most {maxUpload}.
          </span>
          <input
            id="report"
            name="report"
            type="file"
            accept=".csv,.txt,text/csv,text/plain,text/tab-separated-values"
            required
            aria-describedby={state?.errors?.report ? "report-hint report-error" : "report-hint"}
            aria-invalid={state?.errors?.report ? true : undefined}
          />
          {state?.errors?.report && (
            <span className="error" id="report-error">
              {state.errors.report}
            </span>
          )}
        </div>
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? "Importing…" : "Import"}
        </button>
      </Form>
    </section>
  );
}

function UnmatchedList({ data, state }: { data: LoaderData; state: LinkState | null }) {
  if (data.unmatched.length === 0) return null;
  return (
    <section aria-labelledby="unmatched">
      <h2 id="unmatched">Not matched ({data.unmatched.length})</h2>
      <p className="muted">
        These names and addresses in the reports match no registration. Link each to the person’s confirmed registration (later reports will use the link), or add them as a participant.
      </p>
      <ul className="online-unmatched">
        {data.unmatched.map((entry, index) => {
          const error = state?.identity === entry.identity ? state.error : null;
          const field = `link-${index}`;
          return (
            <li key={entry.identity} className="card">
              <p>
                <strong>{entry.name}</strong> {entry.email && <span className="muted">({entry.email})</span>}
                <br />
                {entry.rows} {entry.rows === 1 ? "row" : "rows"}, {hoursAndMinutes(entry.minutes)} online
              </p>
              {data.registrations.length > 0 && (
                <Form method="post" className="online-link">
                  <input type="hidden" name="identity" value={entry.identity} />
                  <div className="field">
                    <label htmlFor={field}>Link “{entry.name}” to the confirmed registration of</label>
                    <span className="hint" id={`${field}-hint`}>
                      Only confirmed registrations are listed: only they count as attending.
                    </span>
                    <select
                      id={field}
                      name="registration"
                      defaultValue=""
                      required
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? `${field}-hint ${field}-error` : `${field}-hint`}
                    >
                      <option value="">Choose…</option>
                      {data.registrations.map((registration) => (
                        <option key={registration.value} value={registration.value}>
                          {registration.label}
                        </option>
                      ))}
                    </select>
                    {error && (
                      <span className="error" id={`${field}-error`} role="alert">
                        {error}
                      </span>
                    )}
                  </div>
                  <button type="submit" name="intent" value="link" className="button small secondary">
                    Link<span className="visually-hidden"> “{entry.name}”</span>
                  </button>
                </Form>
              )}
              <Link to={`?add=${encodeURIComponent(entry.identity)}#add-participant`} className="button small secondary">
                Add as participant<span className="visually-hidden">: {entry.name}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function AddParticipant({ data, state }: { data: LoaderData; state: AddState | null }) {
  const identity = state?.values.identity ?? data.toAdd?.identity;
  if (!identity) return null;
  const shown = data.toAdd ?? data.unmatched.find((entry) => entry.identity === identity);
  const values: Record<string, string> = state?.values ?? { ...nameParts(shown?.name ?? ""), email: shown?.email ?? "" };
  const errors = state?.errors ?? {};
  return (
    <section aria-labelledby="add-participant-title" className="card" id="add-participant">
      <h2 id="add-participant-title">Add “{shown?.name ?? identityLabel(identity)}” as a participant</h2>
      <p className="muted">
        Registered at once as confirmed, with the usual acknowledgement email; they can complete their details from its link. Their sessions then count for them.
      </p>
      <ErrorSummary errors={errors} />
      <Form method="post" className="stacked" id="form">
        <input type="hidden" name="identity" value={identity} />
        <OnTheSpotFields countries={data.countries} meetingMode={data.meeting.mode} values={{ attendanceMode: "online", ...values }} errors={errors} />
        <div className="actions">
          <button type="submit" name="intent" value="add" className="button">
            Register and link
          </button>{" "}
          <Link to="." className="button secondary">
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}

/** The delete question, asked at `?delete=<id>` so that it needs no script. */
function DeleteQuestion({ entry }: { entry: LoaderData["imports"][number] | undefined }) {
  if (!entry) return null;
  return (
    <Form method="post" className="notice cancelled" id="confirm-delete" aria-labelledby="confirm-delete-question">
      <input type="hidden" name="import" value={entry.id} />
      <p id="confirm-delete-question">
        <strong>Delete the import of “{entry.fileName}” ({entry.when})?</strong> The {entry.newSessions === 1 ? "session" : `${entry.newSessions} sessions`} it added are removed; import
        the file again to bring them back.
      </p>
      <div className="actions">
        <button type="submit" name="intent" value="delete-import" className="button danger">
          Delete import
        </button>{" "}
        <Link to="." className="button secondary">
          Keep it
        </Link>
      </div>
    </Form>
  );
}

export default function OnlineAttendance() {
  const data = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>() as ActionState | undefined;
  const [searchParams] = useSearchParams();
  const saved = SAVED[searchParams.get("saved") ?? ""];
  const { meeting, imports, people } = data;
  return (
    <>
      <MeetingAdminNav meeting={meeting} />
      <h1>Online attendance</h1>
      {saved && !state && (
        <p className="notice ok" role="status">
          {saved}
        </p>
      )}
      <ImportForm state={state?.form === "import" ? state : null} meeting={meeting} timezones={data.timezones} maxUpload={data.maxUpload} />

      <AddParticipant data={data} state={state?.form === "add" ? state : null} />
      <UnmatchedList data={data} state={state?.form === "link" ? state : null} />

      <section aria-labelledby="online-people">
        <h2 id="online-people">People online ({people.length})</h2>
        {people.length === 0 ? (
          <p className="muted">No one matched yet: import a report.</p>
        ) : (
          <div className="table-scroll online-table">
            <table className="data">
              <caption className="muted">Minutes online from all reports, rejoins and second devices counted once; days in {meeting.zone}.</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Organisation</th>
                  <th scope="col" className="number">
                    Sessions
                  </th>
                  <th scope="col" className="number">
                    Time online
                  </th>
                  <th scope="col">Days</th>
                </tr>
              </thead>
              <tbody>
                {people.map((person) => (
                  <tr key={person.registrationId}>
                    <td>
                      <Link to={`/admin/meetings/${meeting.slug}/registrations/${person.registrationId}`}>{person.name}</Link>
                      <div className="muted small">{person.email}</div>
                    </td>
                    <td>{person.organisation}</td>
                    <td className="number">{person.sessions}</td>
                    <td className="number" data-minutes={person.minutes}>
                      {hoursAndMinutes(person.minutes)}
                    </td>
                    <td>{person.days.join(", ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {imports.length > 0 && (
        <section aria-labelledby="imports">
          <h2 id="imports">Imported reports</h2>
          <div className="table-scroll online-table">
            <table className="data">
              <caption className="muted">Imported at, in {meeting.zone}; each report's times were read in the zone shown.</caption>
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Platform</th>
                  <th scope="col" className="number">
                    Rows
                  </th>
                  <th scope="col" className="number">
                    New sessions
                  </th>
                  <th scope="col">Times read in</th>
                  <th scope="col">Imported</th>
                  <th scope="col">Delete</th>
                </tr>
              </thead>
              <tbody>
                {imports.map((entry) => (
                  <tr key={entry.id}>
                    <td>{entry.fileName}</td>
                    <td>{entry.platform}</td>
                    <td className="number">{entry.rows}</td>
                    <td className="number">{entry.newSessions}</td>
                    <td>{entry.zone}</td>
                    <td>
                      {entry.when}
                      {entry.by && <div className="muted small">by {entry.by}</div>}
                    </td>
                    <td>
                      <Link to={`?delete=${entry.id}#confirm-delete`} className="button small secondary">
                        Delete<span className="visually-hidden"> the import of {entry.fileName}</span>
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted small">Deleting an import removes the sessions it added. Sessions an earlier import had already added stay.</p>
          <DeleteQuestion entry={imports.find((entry) => entry.id === data.toDelete)} />
        </section>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
