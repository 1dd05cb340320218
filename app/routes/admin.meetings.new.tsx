import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { database } from "~/database.server";
import { requireAdministrator } from "~/accounts/session.server";
import { formValues, plainForm } from "~/lib/form";
import { MeetingForm } from "~/meetings/meeting-form";
import { meetingFormOptions, newMeetingValues } from "~/meetings/meeting-form-options.server";
import { parseMeetingForm } from "~/meetings/meeting-form.server";
import { createMeeting } from "~/meetings/meetings.server";
import { ErrorPage } from "~/ui/error-page";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdministrator(request);
  return json({ options: await meetingFormOptions(database()), values: newMeetingValues() });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdministrator(request);
  const formData = await plainForm(request);
  const parsed = parseMeetingForm(formData);
  if (!parsed.ok) return json(parsed, { status: 400 });
  const saved = await createMeeting(database(), parsed.input, user.id);
  if (!saved.ok) return json({ ok: false as const, errors: saved.errors, values: formValues(formData), overlaps: [] }, { status: 400 });
  return redirect(`/admin/meetings/${saved.slug}?saved=created`);
}

export const meta: MetaFunction = () => [{ title: "New meeting" }];

export default function NewMeeting() {
  const { options, values } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/admin">← Organisers</Link>
      </p>
      <h1>New meeting</h1>
      <p className="muted">It is saved as a draft: nobody else sees it until you publish it.</p>
      <MeetingForm state={refused ?? { values }} options={options} submitLabel="Create draft" />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
