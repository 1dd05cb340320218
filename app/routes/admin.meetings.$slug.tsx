import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { database } from "~/database.server";
import { requireOrganiser } from "~/accounts/session.server";
import { formValues } from "~/lib/form";
import { formatDayRange, zoneLabel } from "~/lib/time";
import { STATUS_LABELS } from "~/meetings/labels";
import { MeetingForm } from "~/meetings/meeting-form";
import { meetingFormOptions, meetingFormValues } from "~/meetings/meeting-form-options.server";
import { parseMeetingForm } from "~/meetings/meeting-form.server";
import { changeMeetingStatus, findMeeting, updateMeeting } from "~/meetings/meetings.server";
import { STATUS_CHANGES } from "~/meetings/status-changes";
import { ErrorPage } from "~/ui/error-page";

const intentSchema = z.object({ intent: z.enum(["save", ...STATUS_CHANGES], { error: "Unknown action" }) });

const SAVED_MESSAGES: Record<string, string> = {
  created: "Meeting created as a draft.",
  saved: "Changes saved.",
  publish: "Published: the meeting is now public.",
  unpublish: "Unpublished: the meeting is a draft again, hidden from the public.",
  cancel: "The meeting is cancelled. It stays visible, marked cancelled.",
};

async function organisersMeeting(slug: string | undefined) {
  const meeting = await findMeeting(database(), slug ?? "");
  if (!meeting) throw new Response("There is no such meeting.", { status: 404 });
  return meeting;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOrganiser(request);
  const meeting = await organisersMeeting(params.slug);
  return json({
    meeting: {
      slug: meeting.slug,
      title: meeting.title,
      status: meeting.status,
      when: `${formatDayRange(meeting.starts_on, meeting.ends_on)}, ${zoneLabel(meeting.timezone)}`,
    },
    values: meetingFormValues(meeting),
    options: await meetingFormOptions(database()),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireOrganiser(request);
  const meeting = await organisersMeeting(params.slug);
  const formData = await request.formData();
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

export default function EditMeeting() {
  const { meeting, values, options } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const saved = SAVED_MESSAGES[searchParams.get("saved") ?? ""];
  return (
    <>
      <p>
        <Link to="/admin">← Organisers</Link>
      </p>
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
      <h2>Details</h2>
      <MeetingForm state={refused ?? { values }} options={options} submitLabel="Save changes" />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
