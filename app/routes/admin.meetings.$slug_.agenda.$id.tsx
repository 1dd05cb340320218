import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { AgendaItemForm, peopleRows } from "~/agenda/agenda-builder";
import { agendaFormChoices, agendaItemFormValues } from "~/agenda/agenda-builder.server";
import { parseAgendaItemForm } from "~/agenda/agenda-form.server";
import { listAgendaItems, listRooms, updateAgendaItem } from "~/agenda/agenda.server";
import { database } from "~/database.server";
import { formValues, plainForm, recordId } from "~/lib/form";
import { meetingSummary, organisersMeeting } from "~/registration/organiser-meeting.server";
import { ErrorPage } from "~/ui/error-page";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";

const intentSchema = z.enum(["save", "save-more-people"], { error: "Unknown action" });
const idSchema = recordId;

/** The meeting, its rooms and items, and the item asked for: 404 when the meeting has no such item. */
async function agendaItemOf(request: Request, params: LoaderFunctionArgs["params"]) {
  const { user, meeting } = await organisersMeeting(request, params.slug);
  const db = database();
  const id = idSchema.safeParse(params.id);
  const [rooms, items] = await Promise.all([listRooms(db, meeting.id), listAgendaItems(db, meeting.id)]);
  const item = id.success ? items.find((entry) => entry.id === id.data) : undefined;
  if (!item) throw new Response("There is no such item on this meeting's agenda.", { status: 404 });
  return { user, meeting, item, ...agendaFormChoices(meeting, rooms, items, item) };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting, item, choices } = await agendaItemOf(request, params);
  return json({ meeting: meetingSummary(meeting), item: { id: item.id, title: item.title }, values: agendaItemFormValues(item), choices });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, meeting, item, context } = await agendaItemOf(request, params);
  const formData = await plainForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Unknown action.", { status: 400 });
  if (intent.data === "save-more-people") {
    const values = formValues(formData);
    return json({ values, rows: peopleRows(values, 3) });
  }
  const parsed = parseAgendaItemForm(formData, context);
  if (!parsed.ok) return json(parsed, { status: 400 });
  if (!(await updateAgendaItem(database(), meeting.id, item.id, parsed.input, user.id))) {
    throw new Response("There is no such item on this meeting's agenda.", { status: 404 });
  }
  return redirect(`/admin/meetings/${meeting.slug}/agenda?saved=saved#item-${item.id}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Edit “${data.item.title}”: ${data.meeting.title}` : "Agenda item" }];

export default function EditAgendaItem() {
  const { meeting, item, values, choices } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const agenda = `/admin/meetings/${meeting.slug}/agenda`;
  return (
    <>
      <MeetingAdminNav meeting={meeting} />
      <p>
        <Link to={agenda}>‹ Back to the agenda</Link>
      </p>
      <h1>Edit “{item.title}”</h1>
      <p>{meeting.when}</p>
      <AgendaItemForm state={refused ?? { values }} choices={choices} intent="save" submitLabel="Save item" submitting={submitting} cancelTo={agenda} />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
