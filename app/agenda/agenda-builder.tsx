import { Form, Link } from "@remix-run/react";
import type { AgendaItemKind, AgendaRole } from "../../db/schema";
import { isoInstant } from "~/lib/time";
import { ErrorSummary, labelOptions, type Option, OverlapChoice, SelectField, TextArea, TextField } from "~/ui/fields";
import { AGENDA_KIND_LABELS, AGENDA_ROLE_LABELS } from "./labels";

/** The organisers' agenda builder: the item form, the agenda by day with each item's actions, rooms, clashes. */


export interface AgendaFormChoicesView {
  days: Option[];
  rooms: Option[];
  parents: Option[];
  zoneLine: string;
}

export interface AgendaFormState {
  values: Record<string, string>;
  errors?: Record<string, string>;
  overlaps?: { field: "start" | "end"; earlier: string; later: string }[];
  /** How many people rows to show. */
  rows?: number;
}


/** At least three people rows, and one more than the last row typed in. */
export function peopleRows(values: Record<string, string>, extra = 0): number {
  const typed = Object.keys(values)
    .map((key) => /^people\[(\d+)\]\./.exec(key)?.[1])
    .filter((index): index is string => index !== undefined)
    .map(Number);
  return Math.max(3, typed.length ? Math.max(...typed) + 1 : 0) + extra;
}

function PersonRow({ index, values, errors }: { index: number; values: Record<string, string>; errors: Record<string, string> }) {
  const name = (field: string) => `people[${index}].${field}`;
  return (
    <fieldset className="builder-person">
      <legend>Person {index + 1}</legend>
      <div className="row">
        <TextField name={name("name")} label="Name" defaultValue={values[name("name")]} error={errors[name("name")]} />
        <SelectField
          name={name("role")}
          label="Role"
          options={labelOptions(AGENDA_ROLE_LABELS)}
          defaultValue={values[name("role")] || "speaker"}
          error={errors[name("role")]}
        />
        <TextField name={name("affiliation")} label="Affiliation" defaultValue={values[name("affiliation")]} error={errors[name("affiliation")]} />
      </div>
    </fieldset>
  );
}

function PeopleFieldset({ rows, values, errors }: { rows: number; values: Record<string, string>; errors: Record<string, string> }) {
  return (
    <fieldset>
      <legend>People</legend>
      <p className="muted small">Chairs, moderators, speakers, panellists, rapporteurs. Leave a row empty to skip it; “More people” adds rows.</p>
      {Array.from({ length: rows }, (_, index) => (
        <PersonRow key={index} index={index} values={values} errors={errors} />
      ))}
    </fieldset>
  );
}

/** Adds or edits an item. Times are typed in the meeting's zone, which the form names; a time the clocks show twice is asked about. */
export function AgendaItemForm({
  state,
  choices,
  intent,
  submitLabel,
  submitting,
  cancelTo,
}: {
  state: AgendaFormState;
  choices: AgendaFormChoicesView;
  intent: string;
  submitLabel: string;
  submitting: boolean;
  cancelTo?: string;
}) {
  const { values, errors = {}, overlaps = [] } = state;
  const rows = state.rows ?? peopleRows(values);
  const overlap = (field: "start" | "end") => overlaps.find((o) => o.field === field);
  return (
    <Form method="post" className="stacked builder-form" noValidate key={JSON.stringify(values) + rows}>
      <ErrorSummary errors={errors} />
      <p className="builder-zone" id="builder-zone">
        <strong>{choices.zoneLine}</strong>
      </p>
      <TextField name="title" label="Title" required defaultValue={values.title} error={errors.title} />
      <div className="row">
        <SelectField name="kind" label="Kind" required placeholder="Choose…" options={labelOptions(AGENDA_KIND_LABELS)} defaultValue={values.kind} error={errors.kind} />
        <SelectField name="date" label="Day" required placeholder="Choose…" options={choices.days} defaultValue={values.date} error={errors.date} />
      </div>
      <div className="row">
        <TextField name="start" label="Start" type="time" required placeholder="09:00" hint="HH:mm, meeting time" defaultValue={values.start} error={errors.start} />
        <TextField name="end" label="End" type="time" required placeholder="10:30" hint="HH:mm, meeting time" defaultValue={values.end} error={errors.end} />
      </div>
      {overlap("start") && <OverlapChoice name="startSide" legend="Which start time?" {...overlap("start")!} />}
      {overlap("end") && <OverlapChoice name="endSide" legend="Which end time?" {...overlap("end")!} />}
      <div className="row">
        {choices.rooms.length > 0 && (
          <SelectField name="room" label="Room or track" placeholder="None (plenary or online)" options={choices.rooms} defaultValue={values.room} error={errors.room} />
        )}
        {choices.parents.length > 0 && (
          <SelectField
            name="parent"
            label="Part of"
            hint="A talk within a panel or session."
            placeholder="Nothing: an item of its own"
            options={choices.parents}
            defaultValue={values.parent}
            error={errors.parent}
          />
        )}
      </div>
      <TextArea name="description" label="Description" hint="Markdown: lists, links, emphasis." rows={4} defaultValue={values.description} error={errors.description} />
      <PeopleFieldset rows={rows} values={values} errors={errors} />
      <div className="actions">
        {/* First, so that Enter in a field submits the item, not the extra rows. */}
        <button type="submit" name="intent" value={intent} className="button" disabled={submitting}>
          {submitting ? "Saving…" : submitLabel}
        </button>
        <button type="submit" name="intent" value={`${intent}-more-people`} className="button secondary">
          More people
        </button>
        {cancelTo && (
          <Link to={cancelTo} className="button secondary">
            Cancel
          </Link>
        )}
      </div>
    </Form>
  );
}

interface ItemRow {
  id: number;
  title: string;
  kind: AgendaItemKind;
  roomId: number | null;
  roomName: string | null;
  date: string;
  start: string;
  end: string;
  startsAt: string;
  endsAt: string;
  people: { name: string; role: AgendaRole; affiliation: string | null }[];
}

export interface MoveRefusal {
  item: number;
  error: string;
  values: Record<string, string>;
}

/** Moves an item to another day, start or room, keeping its length; opens by itself when a move was refused. */
function MoveForm({ item, choices, refused }: { item: ItemRow; choices: AgendaFormChoicesView; refused?: MoveRefusal }) {
  const values = refused?.item === item.id ? refused.values : { date: item.date, start: item.start, room: item.roomId ? String(item.roomId) : "" };
  const id = (field: string) => `move-${item.id}-${field}`;
  return (
    <details className="builder-action" open={refused?.item === item.id}>
      <summary>Move</summary>
      <Form method="post" className="builder-move">
        <input type="hidden" name="item" value={item.id} />
        {refused?.item === item.id && (
          <p className="error" role="alert">
            {refused.error}
          </p>
        )}
        <label htmlFor={id("date")}>Day</label>
        <select id={id("date")} name="date" defaultValue={values.date}>
          {choices.days.map((day) => (
            <option key={day.value} value={day.value}>
              {day.label}
            </option>
          ))}
        </select>
        <label htmlFor={id("start")}>New start (HH:mm)</label>
        <input id={id("start")} name="start" type="time" defaultValue={values.start} required />
        {choices.rooms.length > 0 && (
          <>
            <label htmlFor={id("room")}>Room</label>
            <select id={id("room")} name="room" defaultValue={values.room}>
              <option value="">None</option>
              {choices.rooms.map((room) => (
                <option key={room.value} value={room.value}>
                  {room.label}
                </option>
              ))}
            </select>
          </>
        )}
        <button type="submit" name="intent" value="move" className="button small">
          Move “{item.title}”
        </button>
      </Form>
    </details>
  );
}

function ItemActions({ item, slug, choices, refused, hasParts }: { item: ItemRow; slug: string; choices: AgendaFormChoicesView; refused?: MoveRefusal; hasParts: boolean }) {
  return (
    <div className="row-actions">
      <Link to={`/admin/meetings/${slug}/agenda/${item.id}`} className="button secondary small" aria-label={`Edit “${item.title}”`}>
        Edit
      </Link>
      <Form method="post">
        <input type="hidden" name="item" value={item.id} />
        <button type="submit" name="intent" value="duplicate" className="button secondary small" aria-label={`Duplicate “${item.title}”`}>
          Duplicate
        </button>
      </Form>
      <MoveForm item={item} choices={choices} refused={refused} />
      <details className="builder-action">
        <summary>Delete</summary>
        <Form method="post">
          <input type="hidden" name="item" value={item.id} />
          <p>Delete “{item.title}”{hasParts ? " and its parts" : ""}? Calendars that carry it will drop it.</p>
          <button type="submit" name="intent" value="delete" className="button danger small">
            Yes, delete “{item.title}”
          </button>
        </Form>
      </details>
    </div>
  );
}

function ItemSummary({ item }: { item: ItemRow }) {
  return (
    <>
      <p className="builder-when">
        <time dateTime={isoInstant(item.startsAt)}>{item.start}</time>–<time dateTime={isoInstant(item.endsAt)}>{item.end}</time>
        {item.roomName && <span className="builder-room"> · {item.roomName}</span>}
      </p>
      <h4 className="builder-title">
        {item.title} <span className="badge">{AGENDA_KIND_LABELS[item.kind]}</span>
      </h4>
      {item.people.length > 0 && (
        <ul className="builder-people">
          {item.people.map((person, index) => (
            <li key={index}>
              {AGENDA_ROLE_LABELS[person.role]}: {person.name}
              {person.affiliation && <span className="muted">, {person.affiliation}</span>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export interface AgendaDayView {
  date: string;
  label: string;
  zone: string;
  outsideMeeting: boolean;
  items: (ItemRow & { parts: ItemRow[] })[];
}

/** The agenda by day, each item with its parts and its actions. */
export function AgendaBuilderDays({ days, slug, choices, refused }: { days: AgendaDayView[]; slug: string; choices: AgendaFormChoicesView; refused?: MoveRefusal }) {
  return (
    <>
      {days.map((day) => (
        <section key={day.date} className="builder-day" aria-labelledby={`day-${day.date}`}>
          <h3 id={`day-${day.date}`}>
            {day.label} <span className="muted small">times in {day.zone}</span>
          </h3>
          {day.outsideMeeting && <p className="notice">This day is outside the meeting's dates: move these items or delete them.</p>}
          {day.items.length === 0 ? (
            <p className="muted">Nothing on this day yet.</p>
          ) : (
            <ol className="builder-items">
              {day.items.map((item) => (
                <li key={item.id} id={`item-${item.id}`} className="card builder-item">
                  <ItemSummary item={item} />
                  <ItemActions item={item} slug={slug} choices={choices} refused={refused} hasParts={item.parts.length > 0} />
                  {item.parts.length > 0 && (
                    <ol className="builder-parts" aria-label={`Parts of “${item.title}”`}>
                      {item.parts.map((part) => (
                        <li key={part.id} id={`item-${part.id}`} className="builder-part">
                          <ItemSummary item={part} />
                          <ItemActions item={part} slug={slug} choices={choices} refused={refused} hasParts={false} />
                        </li>
                      ))}
                    </ol>
                  )}
                </li>
              ))}
            </ol>
          )}
        </section>
      ))}
    </>
  );
}

export interface RoomRefusal {
  room: number | null;
  error: string;
  name: string;
}

/** One line to name a room: a new one, or a new name for one; a refusal shows beside it with the name typed. */
function RoomNameForm({ id, label, room, intent, button, name, error }: { id: string; label: string; room?: number; intent: string; button: string; name?: string; error?: string }) {
  return (
    <Form method="post" className="builder-inline">
      {room !== undefined && <input type="hidden" name="room" value={room} />}
      <label htmlFor={id}>{label}</label>
      <input id={id} name="name" defaultValue={name} required maxLength={120} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      <button type="submit" name="intent" value={intent} className="button secondary small">
        {button}
      </button>
      {error && (
        <span className="error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </Form>
  );
}

function RoomRow({ room, refused }: { room: { id: number; name: string; itemCount: number }; refused?: RoomRefusal }) {
  return (
    <li className="card">
      <RoomNameForm
        id={`room-${room.id}-name`}
        label={`Name of room “${room.name}”`}
        room={room.id}
        intent="rename-room"
        button="Rename"
        name={refused?.name ?? room.name}
        error={refused?.error}
      />
      <span className="muted small">{room.itemCount === 1 ? "1 item" : `${room.itemCount} items`}</span>
      <details className="builder-action">
        <summary>Delete</summary>
        <Form method="post">
          <input type="hidden" name="room" value={room.id} />
          <p>Delete the room “{room.name}”? {room.itemCount > 0 ? "Its items stay on the agenda, without a room." : ""}</p>
          <button type="submit" name="intent" value="delete-room" className="button danger small">
            Yes, delete “{room.name}”
          </button>
        </Form>
      </details>
    </li>
  );
}

/** Rooms or tracks: add, rename, delete (its items stay, without a room). */
export function RoomsPanel({ rooms, refused }: { rooms: { id: number; name: string; itemCount: number }[]; refused?: RoomRefusal }) {
  const refusedHere = (room: number | null) => (refused && refused.room === room ? refused : undefined);
  return (
    <section aria-labelledby="rooms-title" className="builder-rooms">
      <h2 id="rooms-title">Rooms and tracks</h2>
      {rooms.length === 0 ? (
        <p className="muted">No rooms yet: items are plenary.</p>
      ) : (
        <ul className="builder-room-list">
          {rooms.map((room) => (
            <RoomRow key={room.id} room={room} refused={refusedHere(room.id)} />
          ))}
        </ul>
      )}
      <RoomNameForm id="new-room" label="New room or track" intent="add-room" button="Add room" name={refusedHere(null)?.name} error={refusedHere(null)?.error} />
    </section>
  );
}

/** Items overlapping in one room: a warning, since a shared room may be intended. */
export function ClashWarning({ clashes }: { clashes: { roomName: string; first: { id: number; title: string }; second: { id: number; title: string } }[] }) {
  if (clashes.length === 0) return null;
  return (
    <div className="notice builder-clashes" role="note" aria-label="Room clashes">
      <strong>{clashes.length === 1 ? "Two items overlap in the same room" : `${clashes.length} overlaps in the same room`}</strong> (saved anyway; check they are meant):
      <ul>
        {clashes.map((clash) => (
          <li key={`${clash.first.id}-${clash.second.id}`}>
            {clash.roomName}: <a href={`#item-${clash.first.id}`}>{clash.first.title}</a> and <a href={`#item-${clash.second.id}`}>{clash.second.title}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
