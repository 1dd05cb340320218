import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { AgendaBuilderDays, AgendaItemForm, ClashWarning, RoomsPanel, peopleRows } from "~/agenda/agenda-builder";
import { agendaDays, agendaFormChoices, lastUpdatedLine } from "~/agenda/agenda-builder.server";
import { agendaMoveSchema, parseAgendaItemForm } from "~/agenda/agenda-form.server";
import {
  addRoom,
  agendaLastUpdated,
  createAgendaItem,
  deleteAgendaItem,
  deleteRoom,
  duplicateAgendaItem,
  findAgendaItem,
  listAgendaItems,
  listRooms,
  moveAgendaItem,
  renameRoom,
  roomClashes,
} from "~/agenda/agenda.server";
import { database } from "~/database.server";
import { formValues, plainForm, requiredText } from "~/lib/form";
import { meetingSummary, organisersMeeting } from "~/registration/organiser-meeting.server";
import { ErrorPage } from "~/ui/error-page";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";

const intentSchema = z.enum(["add", "add-more-people", "duplicate", "delete", "move", "add-room", "rename-room", "delete-room"], {
  error: "Unknown action",
});
const id = z.coerce.number<unknown>().int().positive();
const itemSchema = z.object({ item: id });
const roomNameSchema = z.object({ name: requiredText(120, "Give the room a name") });
const roomSchema = z.object({ room: id });

const SAVED: Record<string, string> = {
  added: "Item added to the agenda.",
  saved: "Item saved.",
  duplicated: "Item duplicated at the same time: edit the copy.",
  deleted: "Item deleted.",
  moved: "Item moved.",
  "room-added": "Room added.",
  "room-renamed": "Room renamed.",
  "room-deleted": "Room deleted; its items stay on the agenda without a room.",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeeting(request, params.slug);
  const db = database();
  const [rooms, items, updated] = await Promise.all([listRooms(db, meeting.id), listAgendaItems(db, meeting.id), agendaLastUpdated(db, meeting.id)]);
  return json({
    meeting: { ...meetingSummary(meeting), online: meeting.mode === "online" },
    rooms,
    days: agendaDays(meeting, items),
    clashes: roomClashes(items),
    choices: agendaFormChoices(meeting, rooms, items).choices,
    lastUpdated: lastUpdatedLine(updated, meeting.timezone),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, meeting } = await organisersMeeting(request, params.slug);
  const formData = await plainForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Unknown action.", { status: 400 });
  const db = database();
  const values = formValues(formData);
  const back = (saved: string, itemId?: number) =>
    redirect(`/admin/meetings/${meeting.slug}/agenda?saved=${saved}${itemId ? `#item-${itemId}` : ""}`);

  switch (intent.data) {
    case "add-more-people":
      return json({ form: "item" as const, values, rows: peopleRows(values, 3) });
    case "add": {
      const [rooms, items] = await Promise.all([listRooms(db, meeting.id), listAgendaItems(db, meeting.id)]);
      const parsed = parseAgendaItemForm(formData, agendaFormChoices(meeting, rooms, items).context);
      if (!parsed.ok) return json({ form: "item" as const, ...parsed }, { status: 400 });
      return back("added", await createAgendaItem(db, meeting.id, parsed.input, user.id));
    }
    case "duplicate": {
      const item = itemSchema.safeParse(values);
      if (!item.success) throw new Response("Which item?", { status: 400 });
      const copy = await duplicateAgendaItem(db, meeting.id, item.data.item, user.id);
      if (copy === null) throw new Response("There is no such item on this agenda.", { status: 404 });
      return back("duplicated", copy);
    }
    case "delete": {
      const item = itemSchema.safeParse(values);
      if (!item.success) throw new Response("Which item?", { status: 400 });
      if (!(await deleteAgendaItem(db, meeting.id, item.data.item, user.id))) throw new Response("There is no such item on this agenda.", { status: 404 });
      return back("deleted");
    }
    case "move": {
      const move = agendaMoveSchema.safeParse(values);
      if (!move.success) {
        const item = itemSchema.safeParse(values);
        if (!item.success) throw new Response("Which item?", { status: 400 });
        return json({ form: "move" as const, item: item.data.item, error: move.error.issues[0]!.message, values }, { status: 400 });
      }
      const { item, date, start, room } = move.data;
      if (!(await findAgendaItem(db, meeting.id, item))) throw new Response("There is no such item on this agenda.", { status: 404 });
      const moved = await moveAgendaItem(db, meeting, item, { date, start, roomId: formData.has("room") ? room : undefined }, user.id);
      if (moved.ok) return back("moved", item);
      return json({ form: "move" as const, item, error: moved.error, values }, { status: 400 });
    }
    case "add-room": {
      const name = roomNameSchema.safeParse(values);
      if (!name.success) return json({ form: "room" as const, room: null, error: name.error.issues[0]!.message, name: values.name ?? "" }, { status: 400 });
      const added = await addRoom(db, meeting.id, name.data.name, user.id);
      if (!added.ok) return json({ form: "room" as const, room: null, error: added.error, name: name.data.name }, { status: 400 });
      return back("room-added");
    }
    case "rename-room": {
      const room = roomSchema.safeParse(values);
      if (!room.success) throw new Response("Which room?", { status: 400 });
      if (!(await listRooms(db, meeting.id)).some((r) => r.id === room.data.room)) throw new Response("There is no such room in this meeting.", { status: 404 });
      const name = roomNameSchema.safeParse(values);
      if (!name.success) return json({ form: "room" as const, room: room.data.room, error: name.error.issues[0]!.message, name: values.name ?? "" }, { status: 400 });
      const renamed = await renameRoom(db, meeting.id, room.data.room, name.data.name, user.id);
      if (renamed.ok) return back("room-renamed");
      return json({ form: "room" as const, room: room.data.room, error: renamed.error, name: name.data.name }, { status: 400 });
    }
    case "delete-room": {
      const room = roomSchema.safeParse(values);
      if (!room.success) throw new Response("Which room?", { status: 400 });
      if (!(await deleteRoom(db, meeting.id, room.data.room, user.id)).ok) throw new Response("There is no such room in this meeting.", { status: 404 });
      return back("room-deleted");
    }
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Agenda: ${data.meeting.title}` : "Agenda" }];

export default function AgendaBuilder() {
  const { meeting, rooms, days, clashes, choices, lastUpdated } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const [searchParams] = useSearchParams();
  // A new address after each saved change: the add form starts empty again.
  const { key } = useLocation();
  const saved = SAVED[searchParams.get("saved") ?? ""];
  const itemState = refused?.form === "item" ? refused : { values: {} };
  return (
    <>
      <MeetingAdminNav meeting={meeting} />
      <h1>Agenda: {meeting.title}</h1>
      <p>
        {meeting.when}
        {meeting.status !== "draft" && (
          <>
            {" "}
            · <Link to={`/meetings/${meeting.slug}/agenda`}>Public agenda</Link>
          </>
        )}
      </p>
      {lastUpdated && <p className="muted">{lastUpdated}</p>}
      {saved && !refused && (
        <p className="notice ok" role="status">
          {saved}
        </p>
      )}
      <ClashWarning clashes={clashes} />
      <div className="builder-layout">
        <section aria-labelledby="builder-title" className="builder-days">
          <h2 id="builder-title">By day</h2>
          <AgendaBuilderDays days={days} slug={meeting.slug} choices={choices} refused={refused?.form === "move" ? refused : undefined} />
        </section>
        <div>
          <section aria-labelledby="add-title">
            <h2 id="add-title">Add an item</h2>
            <AgendaItemForm key={key} state={itemState} choices={choices} intent="add" submitLabel="Add item" submitting={submitting} />
          </section>
          {meeting.online ? (
            <p className="muted">An online meeting's items have no rooms.</p>
          ) : (
            <RoomsPanel rooms={rooms} refused={refused?.form === "room" ? refused : undefined} />
          )}
        </div>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
