import type { Kysely } from "kysely";
import { addRoom, createAgendaItem } from "../../app/agenda/agenda.server";
import type { AgendaPersonInput } from "../../app/agenda/agenda-form.server";
import { instantOfWallTime } from "../../app/lib/time";
import type { AgendaItemKind, Database } from "../../db/schema";

/** An agenda item as an organiser types it: a day, wall-clock times in the meeting's zone, a room by name. */
export interface TypedItem {
  title: string;
  date: string;
  start: string;
  end: string;
  /** The day it ends, when not the day it starts. */
  endDate?: string;
  kind?: AgendaItemKind;
  room?: string;
  parentId?: number;
  description?: string;
  people?: AgendaPersonInput[];
}

function instant(local: string, zone: string): Date {
  const answer = instantOfWallTime(local, zone);
  if (!answer.ok) throw new Error(`${local} in ${zone}: ${answer.message}`);
  return answer.at;
}

/** The meeting's room with this name, added if it has none yet. */
export async function roomId(db: Kysely<Database>, meetingId: number, name: string): Promise<number> {
  const existing = await db.selectFrom("meeting_rooms").select("id").where("meeting_id", "=", meetingId).where("name", "=", name).executeTakeFirst();
  if (existing) return existing.id;
  const added = await addRoom(db, meetingId, name, null);
  if (!added.ok) throw new Error(added.error);
  return added.value;
}

/** Adds the item through the agenda's own code, as the organisers' form does; returns its id. */
export async function addAgendaItem(db: Kysely<Database>, meeting: { id: number; timezone: string }, item: TypedItem): Promise<number> {
  const startsLocal = `${item.date}T${item.start}`;
  const endsLocal = `${item.endDate ?? item.date}T${item.end}`;
  return createAgendaItem(
    db,
    meeting.id,
    {
      title: item.title,
      kind: item.kind ?? "session",
      description: item.description ?? null,
      roomId: item.room ? await roomId(db, meeting.id, item.room) : null,
      parentId: item.parentId ?? null,
      startsLocal,
      endsLocal,
      startsAt: instant(startsLocal, meeting.timezone),
      endsAt: instant(endsLocal, meeting.timezone),
      people: item.people ?? [],
    },
    null,
  );
}
