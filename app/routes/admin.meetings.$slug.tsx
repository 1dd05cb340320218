import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Fragment } from "react";
import { z } from "zod";
import { database } from "~/database.server";
import { formValues, plainForm } from "~/lib/form";
import { formatInstant, meetingDays } from "~/lib/time";
import { STATUS_LABELS } from "~/meetings/labels";
import { MeetingForm } from "~/meetings/meeting-form";
import { meetingFormOptions, meetingFormValues } from "~/meetings/meeting-form-options.server";
import { parseMeetingForm } from "~/meetings/meeting-form.server";
import { changeMeetingStatus, updateMeeting } from "~/meetings/meetings.server";
import { STATUS_CHANGES } from "~/meetings/status-changes";
import { CATEGORY_LABELS, GENDER_LABELS, REGISTRATION_STATUS_LABELS } from "~/registration/labels";
import { organisersMeeting } from "~/registration/organiser-meeting.server";
import { type RegistrationSummary, registrationSummary } from "~/registration/registration-console.server";
import { ErrorPage } from "~/ui/error-page";
import { undeliveredEmails } from "../../emails/outbox.server";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";

const intentSchema = z.object({ intent: z.enum(["save", ...STATUS_CHANGES], { error: "Unknown action" }) });

const SAVED_MESSAGES: Record<string, string> = {
  created: "Meeting created as a draft.",
  saved: "Changes saved.",
  publish: "Published: the meeting is now public.",
  unpublish: "Unpublished: the meeting is a draft again, hidden from the public.",
  cancel: "The meeting is cancelled. It stays visible, marked cancelled.",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeeting(request, params.slug);
  return json({
    meeting: {
      slug: meeting.slug,
      title: meeting.title,
      status: meeting.status,
      when: meetingDays(meeting),
    },
    values: meetingFormValues(meeting),
    options: await meetingFormOptions(database()),
    summary: await registrationSummary(database(), meeting.id),
    undelivered: (await undeliveredEmails(database(), meeting.id)).map((email) => ({
      id: email.id,
      to: email.to_address,
      subject: email.subject,
      queuedAt: formatInstant(email.created_at, meeting.timezone),
      attempts: email.attempts,
      error: email.last_error ?? "",
    })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, meeting } = await organisersMeeting(request, params.slug);
  const formData = await plainForm(request);
  const intent = intentSchema.safeParse({ intent: formData.get("intent") });
  if (!intent.success) throw new Response("Unknown action.", { status: 400 });
  const db = database();
  if (intent.data.intent !== "save") {
    const changed = await changeMeetingStatus(db, meeting, intent.data.intent, user.id);
    if (!changed) throw new Response(`A ${meeting.status} meeting cannot be changed that way.`, { status: 409 });
    return redirect(`/admin/meetings/${meeting.slug}?saved=${intent.data.intent}`);
  }
  const parsed = parseMeetingForm(formData);
  if (!parsed.ok) return json(parsed, { status: 400 });
  const saved = await updateMeeting(db, meeting, parsed.input, user.id);
  if (!saved.ok) return json({ ok: false as const, errors: saved.errors, values: formValues(formData), overlaps: [] }, { status: 400 });
  return redirect(`/admin/meetings/${meeting.slug}?saved=saved`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Edit: ${data.meeting.title}` : "Meeting" }];

function StatusButton({ intent, label, confirm, className = "button secondary" }: { intent: string; label: string; confirm?: string; className?: string }) {
  return (
    <Form method="post" onSubmit={(event) => confirm && !window.confirm(confirm) && event.preventDefault()}>
      <button type="submit" name="intent" value={intent} className={className}>
        {label}
      </button>
    </Form>
  );
}

function Breakdown({ caption, rows }: { caption: string; rows: { key: string; label: string; confirmed: number; registered: number }[] }) {
  return (
    <div className="table-scroll">
      <table className="data summary-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{caption.replace(/^By /, "").replace(/^./, (c) => c.toUpperCase())}</th>
            <th scope="col" className="number">
              Confirmed
            </th>
            <th scope="col" className="number">
              Active
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              <td className="number">{row.confirmed}</td>
              <td className="number">{row.registered}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Emails about this meeting the mail provider would not take, given up after a day of tries (or at once when it refused the message itself). */
function UndeliveredEmails({ emails }: { emails: { id: string; to: string; subject: string; queuedAt: string; attempts: number; error: string }[] }) {
  if (emails.length === 0) return null;
  return (
    <section aria-labelledby="undelivered-title">
      <h2 id="undelivered-title">Undelivered email</h2>
      <p className="notice" role="status">
        {emails.length === 1 ? "One email" : `${emails.length} emails`} about this meeting could not be delivered and will not be tried again. Reach
        these people another way.
      </p>
      <div className="table-scroll">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Queued</th>
              <th scope="col" className="number">
                Tries
              </th>
              <th scope="col">Last answer from the mail provider</th>
            </tr>
          </thead>
          <tbody>
            {emails.map((email) => (
              <tr key={email.id}>
                <td>{email.to}</td>
                <td>{email.subject}</td>
                <td>{email.queuedAt}</td>
                <td className="number">{email.attempts}</td>
                <td>{email.error}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The numbers organisers report; each status links to its registrations. */
function RegistrationsSummary({ slug, summary }: { slug: string; summary: RegistrationSummary }) {
  return (
    <section aria-labelledby="registrations-title">
      <h2 id="registrations-title">Registrations</h2>
      <dl className="facts card summary-facts">
        <dt>Registrations</dt>
        <dd>{summary.total}</dd>
        {summary.byStatus.map((row) => (
          <Fragment key={row.key}>
            <dt>{REGISTRATION_STATUS_LABELS[row.key]}</dt>
            <dd>
              <Link to={`/admin/meetings/${slug}/registrations?status=${row.key}`}>{row.count}</Link>
            </dd>
          </Fragment>
        ))}
        <dt>Women among confirmed participants</dt>
        <dd>
          {summary.womenShare === null ? (
            "n/a"
          ) : (
            <>
              <strong>{summary.womenShare}%</strong> ({summary.women} of {summary.confirmed})
            </>
          )}
        </dd>
      </dl>
      {summary.total > 0 && (
        <>
          <p className="muted">Confirmed participants, and all active registrations (pending, confirmed and on the waiting list).</p>
          <div className="summary-grid">
            <Breakdown
              caption="By category"
              rows={summary.byCategory.map((row) => ({ ...row, label: CATEGORY_LABELS[row.key] }))}
            />
            <Breakdown caption="By gender" rows={summary.byGender.map((row) => ({ ...row, label: GENDER_LABELS[row.key] }))} />
            <Breakdown caption="By country" rows={summary.byCountry.map((row) => ({ ...row, label: row.name }))} />
          </div>
        </>
      )}
    </section>
  );
}

export default function EditMeeting() {
  const { meeting, values, options, summary, undelivered } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const saved = SAVED_MESSAGES[searchParams.get("saved") ?? ""];
  return (
    <>
      <MeetingAdminNav meeting={meeting} />
      <h1>{meeting.title}</h1>
      <p>
        {meeting.when} · <span className={`badge ${meeting.status}`}>{STATUS_LABELS[meeting.status]}</span>
        {meeting.status !== "draft" && (
          <>
            {" "}
            · <Link to={`/meetings/${meeting.slug}`}>Public page</Link>
          </>
        )}
      </p>
      {saved && !refused && (
        <p className="notice ok" role="status">
          {saved}
        </p>
      )}
      <div className="actions">
        {meeting.status !== "published" && <StatusButton intent="publish" label="Publish" className="button" />}
        {meeting.status === "published" && (
          <StatusButton intent="unpublish" label="Unpublish" confirm="Hide this meeting from the public again?" />
        )}
        {meeting.status !== "cancelled" && (
          <StatusButton
            intent="cancel"
            label="Cancel meeting"
            className="button danger"
            confirm="Cancel this meeting? It stays visible, marked cancelled."
          />
        )}
      </div>
      <UndeliveredEmails emails={undelivered} />
      <RegistrationsSummary slug={meeting.slug} summary={summary} />
      <h2>Details</h2>
      <MeetingForm state={refused ?? { values }} options={options} submitLabel="Save changes" />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
