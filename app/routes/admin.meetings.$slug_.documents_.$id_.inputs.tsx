import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { database } from "~/database.server";
import { InputList } from "~/documents/input-list";
import {
  addressedSchema,
  closeCommentPeriod,
  commentPeriodOverview,
  documentInputs,
  liveDocument,
  openCommentPeriod,
  parseCommentPeriodForm,
  setInputAddressed,
} from "~/documents/inputs.server";
import { AudienceFields, type AudienceFieldValues } from "~/documents/audience-fields";
import { choosablePeople } from "~/documents/document-audience.server";
import { displaySymbol, documentLabel } from "~/documents/labels";
import { formValues, plainForm, recordId } from "~/lib/form";
import { type OverlapReadings, wallTimeOf, zoneLabel } from "~/lib/time";
import { organisersMeeting } from "~/registration/organiser-meeting.server";
import { ErrorPage } from "~/ui/error-page";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";
import { ErrorSummary, OverlapChoice, TextArea, TextField } from "~/ui/fields";

const paramsSchema = z.object({ id: recordId });
const intentSchema = z.enum(["open", "close", "addressed"]);

/** Who asks (an organiser), the meeting and its live document; 404 otherwise. */
async function context(request: Request, params: LoaderFunctionArgs["params"]) {
  const { user, meeting } = await organisersMeeting(request, params.slug);
  const db = database();
  const id = paramsSchema.safeParse(params);
  const document = id.success ? await liveDocument(db, meeting.id, id.data.id) : undefined;
  if (!document) throw new Response("There is no such document for this meeting.", { status: 404 });
  return { db, user, meeting, document };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, meeting, document } = await context(request, params);
  const [period, inputs, people] = await Promise.all([
    commentPeriodOverview(db, meeting, document.id),
    documentInputs(db, document.id, meeting.timezone),
    choosablePeople(db, meeting.id),
  ]);
  const base = `/admin/meetings/${meeting.slug}/documents/${document.id}/inputs`;
  return json({
    meeting: { slug: meeting.slug, title: meeting.title, zone: zoneLabel(meeting.timezone), timezone: meeting.timezone },
    document: { id: document.id, name: documentLabel(displaySymbol(document.symbol, document.revision), document.title), organisersOnly: document.access_level === "organisers" },
    period,
    inputs,
    people,
    suggestedDeadline: wallTimeOf(new Date(Date.now() + 14 * 86_400_000), meeting.timezone).slice(0, 11) + "17:00",
    exports: { csv: `${base}.csv`, pdf: `${base}.pdf` },
    filesBase: `/meetings/${meeting.slug}/documents/${document.id}/inputs`,
  });
}

type FormValues = AudienceFieldValues & { closesLocal: string; message: string; inputsVisible: string };
type ActionData = { kind: "refused"; errors: Record<string, string>; values: FormValues; overlap?: OverlapReadings };

/** What the form had, to show it again: its text fields and the people ticked. */
function typed(formData: FormData): FormValues {
  const { audience = "", category = "", closesLocal = "", message = "", inputsVisible = "" } = formValues(formData);
  const registrations = formData.getAll("registrations").filter((value): value is string => typeof value === "string");
  return { audience, category, registrations, closesLocal, message, inputsVisible };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, meeting, document } = await context(request, params);
  const formData = await plainForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Unknown action.", { status: 400 });
  const here = `/admin/meetings/${meeting.slug}/documents/${document.id}/inputs`;

  if (intent.data === "addressed") {
    const parsed = addressedSchema.safeParse(formValues(formData));
    if (!parsed.success) throw new Response("This form cannot be read: reload the page.", { status: 400 });
    const { inputId, addressed } = parsed.data;
    const changed = await setInputAddressed(db, { documentId: document.id, inputId, addressed: addressed === "yes", by: user.id });
    if (!changed) throw new Response("There is no such input on this document.", { status: 404 });
    return redirect(`${here}#input-${inputId}`);
  }
  if (intent.data === "close") {
    if (!(await closeCommentPeriod(db, meeting, document.id, user.id))) throw new Response("This document is not open for comments.", { status: 409 });
    return redirect(`${here}?closed=1`);
  }
  const form = parseCommentPeriodForm(formData);
  if (!form.ok) return json<ActionData>({ kind: "refused", errors: form.errors, values: typed(formData) }, { status: 400 });
  const opened = await openCommentPeriod(db, { ...form.form, meeting, documentId: document.id, createdBy: user.id });
  if (!opened.ok) return json<ActionData>({ kind: "refused", errors: opened.errors, values: typed(formData), overlap: opened.overlap }, { status: 400 });
  return redirect(`${here}?invited=${opened.invited}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Inputs on ${data.document.name}` : "Inputs" }];

function PeriodForm() {
  const { meeting, period, people, suggestedDeadline } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const errors = result?.errors ?? {};
  const values: FormValues = result?.values ?? {
    closesLocal: period?.closesLocal ?? suggestedDeadline,
    ...(period?.audienceValues ?? { audience: "active", category: "", registrations: [] }),
    message: period?.message ?? "",
    inputsVisible: period?.inputsVisible ? "on" : "",
  };
  return (
    <Form method="post" className="stacked" id="form" key={JSON.stringify(values)}>
      <ErrorSummary errors={errors} />
      <TextField
        name="closesLocal"
        type="datetime-local"
        label={`Deadline (${meeting.zone})`}
        required
        defaultValue={values.closesLocal}
        error={errors.closesLocal}
        hint={`Date and time in the meeting's zone, ${meeting.timezone}. In its last 48 hours, a reminder goes to those who have not commented (not to people invited within those 48 hours).`}
      />
      {result?.overlap && <OverlapChoice name="closesSide" legend="Which deadline?" {...result.overlap} />}
      <AudienceFields
        legend="Who is invited"
        hint="Only registrations that still count (pending, confirmed, waiting list) are invited. Changing the period keeps those already invited and their inputs; only new people get an invitation."
        people={people}
        values={values}
        errors={errors}
      />
      <TextArea name="message" label="Message to the invitees (optional)" rows={4} defaultValue={values.message} error={errors.message} />
      <label>
        <input type="checkbox" name="inputsVisible" defaultChecked={values.inputsVisible === "on"} /> Invitees may read each other's inputs (name, organisation and
        text)
      </label>
      <div className="actions">
        <button type="submit" name="intent" value="open" className="button">
          {period ? "Save the period and invite new people" : "Open for comments"}
        </button>
      </div>
    </Form>
  );
}

export default function DocumentInputsAdmin() {
  const { meeting, document, period, inputs, exports, filesBase } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const invited = searchParams.get("invited");
  return (
    <>
      <MeetingAdminNav meeting={meeting} />
      <h1>Inputs on {document.name}</h1>
      {invited !== null && (
        <p className="notice ok" role="status">
          Saved. {invited === "1" ? "1 new person was invited" : `${invited} new people were invited`} by email.
        </p>
      )}
      {searchParams.get("closed") && (
        <p className="notice ok" role="status">
          Comments are closed.
        </p>
      )}
      {document.organisersOnly && (
        <p className="notice">
          This document is for organisers only: it cannot be opened for comments, as invitees could not read it (and its title would reach them by
          email). Change who may read it first.
        </p>
      )}

      <section aria-labelledby="period-title">
        <h2 id="period-title">Period for comments</h2>
        {period ? (
          <p>
            {period.open ? "Open until" : "Closed"} <time dateTime={period.closesIso}>{period.closes}</time> · {period.audience} ·{" "}
            {period.inputsVisible ? "invitees see each other's inputs" : "only organisers see the inputs"}
          </p>
        ) : (
          <p className="muted">This document is not open for comments.</p>
        )}
        {period?.open && (
          <Form method="post">
            <button type="submit" name="intent" value="close" className="button secondary">
              Close now
            </button>
          </Form>
        )}
        <details open={!period}>
          <summary>{period ? "Change the deadline or invite more people" : "Open for comments"}</summary>
          <PeriodForm />
        </details>
      </section>

      {period && (
        <section aria-labelledby="invitees-title">
          <h2 id="invitees-title">Invited ({period.invitees.length})</h2>
          <div className="table-scroll">
            <table className="data">
              <caption className="muted">Reminder times in {meeting.zone}.</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Organisation</th>
                  <th scope="col">Email</th>
                  <th scope="col">Inputs</th>
                  <th scope="col">Reminded</th>
                </tr>
              </thead>
              <tbody>
                {period.invitees.map((invitee) => (
                  <tr key={invitee.id}>
                    <td>
                      {invitee.name}
                      {!invitee.active && <span className="muted small"> (registration no longer counts)</span>}
                    </td>
                    <td>{invitee.organisation}</td>
                    <td>{invitee.email}</td>
                    <td>{invitee.inputs > 0 ? invitee.inputs : <span className="muted">none yet</span>}</td>
                    <td>{invitee.remindedAt ?? <span className="muted">no</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}

      <section aria-labelledby="inputs-title">
        <h2 id="inputs-title">Inputs ({inputs.length})</h2>
        <p className="actions">
          <a href={exports.csv} className="button secondary" download>
            Download CSV
          </a>
          <a href={exports.pdf} className="button secondary">
            Compilation (PDF)
          </a>
        </p>
        {inputs.length === 0 ? (
          <p className="muted">No inputs yet.</p>
        ) : (
          <InputList
            inputs={inputs}
            filesBase={filesBase}
            showCountry
            actions={(input) => (
              <Form method="post" className="row-actions">
                <input type="hidden" name="inputId" value={input.id} />
                <input type="hidden" name="addressed" value={input.addressed ? "no" : "yes"} />
                <button type="submit" name="intent" value="addressed" className="button small secondary">
                  {input.addressed ? "Mark not addressed" : "Mark addressed"}
                </button>
              </Form>
            )}
          />
        )}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
