import { z } from "zod";
import { AGENDA_ITEM_KINDS, AGENDA_ROLES, type AgendaRole } from "../../db/schema";
import { fieldErrors, type FormFailure, formValues, optionalText, recordId, requiredText } from "~/lib/form";
import { type OverlapReadings, instantOfWallTime } from "~/lib/time";

/**
 * The organisers' agenda item form. Input names follow PRODUCT.md: `title`, `kind`, `date` (a day
 * of the meeting), `start` and `end` (`HH:mm`, wall clock in the meeting's zone), `room`; and
 * `description`, `parent`, people as `people[i].name|role|affiliation`, `startSide`/`endSide`
 * when a time occurs twice.
 */

const MAX_PEOPLE = 30;

/** What the form needs to know of the meeting it belongs to. */
export interface AgendaFormContext {
  timezone: string;
  startsOn: string;
  endsOn: string;
  roomIds: number[];
  /** Top-level items an item may be part of, with their wall-clock times. */
  parents: { id: number; title: string; startsLocal: string; endsLocal: string }[];
  /** When editing an item with parts: its parts, which must stay within its new times. */
  parts?: { title: string; startsLocal: string; endsLocal: string }[];
}

export interface AgendaPersonInput {
  name: string;
  role: AgendaRole;
  affiliation: string | null;
}

export interface AgendaItemInput {
  title: string;
  kind: (typeof AGENDA_ITEM_KINDS)[number];
  description: string | null;
  roomId: number | null;
  parentId: number | null;
  startsLocal: string;
  endsLocal: string;
  startsAt: Date;
  endsAt: Date;
  people: AgendaPersonInput[];
}

export interface AgendaOverlapChoice extends OverlapReadings {
  field: "start" | "end";
}

export type AgendaFormResult =
  | { ok: true; input: AgendaItemInput }
  | ({ ok: false; overlaps: AgendaOverlapChoice[] } & FormFailure);

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

const clock = (label: string) =>
  z
    .string({ error: `${label}: a time as HH:mm` })
    .trim()
    .regex(CLOCK, `${label}: a time as HH:mm, e.g. 09:30`);

const optionalId = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? Number(value) : null))
  .pipe(z.number().int().positive().nullable());

/** The builder's "move" form: an item to a day and start of the meeting (its length stays), and a room or none. */
export const agendaMoveSchema = z.object({
  item: recordId,
  date: z.iso.date({ error: "Choose a day of the meeting" }),
  start: z.string({ error: "A start as HH:mm" }).regex(CLOCK, "A start as HH:mm, e.g. 09:30"),
  room: optionalId,
});

const itemSchema = z.object({
  title: requiredText(300, "Give the item a title"),
  kind: z.enum(AGENDA_ITEM_KINDS, { error: "Choose what kind of item this is" }),
  description: optionalText(10_000),
  date: z.iso.date({ error: "Choose a day of the meeting" }),
  start: clock("Start"),
  end: clock("End"),
  room: optionalId,
  parent: optionalId,
  startSide: z.enum(["earlier", "later"]).optional(),
  endSide: z.enum(["earlier", "later"]).optional(),
});

const personSchema = z.object({
  name: requiredText(200, "Give the person's name"),
  role: z.enum(AGENDA_ROLES, { error: "Choose the person's role" }),
  affiliation: optionalText(200),
});

/** People rows as typed; rows left entirely empty are dropped, others must be whole. */
function parsePeople(values: Record<string, string>, errors: Record<string, string>): AgendaPersonInput[] {
  const people: AgendaPersonInput[] = [];
  for (let i = 0; i < MAX_PEOPLE; i++) {
    const row = { name: values[`people[${i}].name`], role: values[`people[${i}].role`], affiliation: values[`people[${i}].affiliation`] };
    if (!row.name?.trim() && !row.affiliation?.trim()) continue;
    const parsed = personSchema.safeParse(row);
    if (!parsed.success) {
      for (const [field, message] of Object.entries(fieldErrors(parsed.error))) errors[`people[${i}].${field}`] = message;
      continue;
    }
    people.push(parsed.data);
  }
  return people;
}

export function parseAgendaItemForm(formData: FormData, context: AgendaFormContext): AgendaFormResult {
  const values = formValues(formData);
  const parsed = itemSchema.safeParse(values);
  const errors: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error);
  const people = parsePeople(values, errors);
  const overlaps: AgendaOverlapChoice[] = [];
  if (!parsed.success) return { ok: false, errors, values, overlaps };

  const item = parsed.data;
  if (item.date < context.startsOn || item.date > context.endsOn) {
    errors.date = `Choose a day of the meeting, ${context.startsOn} to ${context.endsOn}`;
  }
  if (item.end <= item.start) errors.end = "The end must be after the start (items end on the day they start)";
  if (item.room !== null && !context.roomIds.includes(item.room)) errors.room = "Choose a room of this meeting";
  const parent = item.parent === null ? undefined : context.parents.find((p) => p.id === item.parent);
  if (item.parent !== null && !parent) errors.parent = "Choose an item of this meeting's agenda";
  if (item.parent !== null && (context.parts ?? []).length > 0) {
    errors.parent = "This item has parts of its own, so it cannot be part of another: the agenda nests one level deep";
  }

  const startsLocal = `${item.date}T${item.start}`;
  const endsLocal = `${item.date}T${item.end}`;
  if (parent && !errors.end && (startsLocal < parent.startsLocal || endsLocal > parent.endsLocal)) {
    errors.parent = `A part of "${parent.title}" must fit within its times (${parent.startsLocal.replace("T", " ")} to ${parent.endsLocal.slice(11)})`;
  }
  const outside = (context.parts ?? []).find((part) => part.startsLocal < startsLocal || part.endsLocal > endsLocal);
  if (outside && !errors.end && !errors.date) {
    errors.end = `Its part "${outside.title}" (${outside.startsLocal.replace("T", " ")} to ${outside.endsLocal.slice(11)}) must stay within its times: move the part first`;
  }
  const resolve = (field: "start" | "end", local: string, side?: "earlier" | "later"): Date | null => {
    if (errors[field] || errors.date) return null;
    const answer = instantOfWallTime(local, context.timezone, side);
    if (answer.ok) return answer.at;
    errors[field] = answer.message;
    if (answer.overlap) overlaps.push({ field, ...answer.overlap });
    return null;
  };
  const startsAt = resolve("start", startsLocal, item.startSide);
  const endsAt = resolve("end", endsLocal, item.endSide);
  if (startsAt && endsAt && endsAt <= startsAt) errors.end = "The end must be after the start";
  if (Object.keys(errors).length > 0 || !startsAt || !endsAt) return { ok: false, errors, values, overlaps };

  return {
    ok: true,
    input: {
      title: item.title,
      kind: item.kind,
      description: item.description,
      roomId: item.room,
      parentId: item.parent,
      startsLocal,
      endsLocal,
      startsAt,
      endsAt,
      people,
    },
  };
}
