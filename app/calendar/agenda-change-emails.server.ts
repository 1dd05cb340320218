import type { Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { agendaChangeEmail } from "../../emails/agenda-change";
import { enqueueEmails } from "../../emails/outbox.server";
import { listCalendarAgendaItems } from "~/agenda/agenda-calendar.server";
import { formatInstantForPerson } from "~/lib/time";
import { listMeetingsByIds } from "~/meetings/meetings.server";
import { confirmedRegistrants } from "~/registration/registrations.server";
import { appUrl } from "~/settings.server";
import { icsAttachment, renderCalendar } from "./feeds.server";

/** Calendar clients refresh subscribed feeds slowly (Google: 8 to 24 hours): closer than this, a change goes out by email too. */
const IMMINENT_HOURS = 48;

export interface ItemBefore {
  itemId: number;
  startsAt: Date;
  endsAt: Date;
}

/**
 * After items changed (inside the change's transaction): when an item under way or starting
 * within 48 hours, before or after the change, moved or was cancelled, each person confirmed for the
 * meeting gets one email listing those items, with an .ics of them (same UIDs, higher SEQUENCE)
 * so a calendar that imported them updates in place.
 */
export async function emailImminentAgendaChanges(trx: Transaction<Database>, meetingId: number, before: ItemBefore[], now: Date = new Date()): Promise<number> {
  const horizon = now.getTime() + IMMINENT_HOURS * 3_600_000;
  // Under way or starting within the horizon.
  const soon = (times: { startsAt: Date; endsAt: Date }) => times.endsAt.getTime() >= now.getTime() && times.startsAt.getTime() <= horizon;
  const [meeting] = await listMeetingsByIds(trx, [meetingId]);
  if (!meeting || meeting.status !== "published") return 0;
  const items = await listCalendarAgendaItems(trx, [meetingId], { itemIds: before.map((item) => item.itemId), now });
  const changed = items.filter((item) => {
    const old = before.find((entry) => entry.itemId === item.id);
    if (!old) return false;
    if (item.deletedAt) return soon(old);
    const moved = item.startsAt.getTime() !== old.startsAt.getTime() || item.endsAt.getTime() !== old.endsAt.getTime();
    return moved && (soon(old) || soon(item));
  });
  if (changed.length === 0) return 0;
  const people = await confirmedRegistrants(trx, meetingId);
  const ics = renderCalendar({ name: meeting.title, timezone: meeting.timezone, meetings: [meeting], items: changed, itemsOnly: true });
  const attachment = icsAttachment(`${meeting.slug}-changes.ics`, ics);
  await enqueueEmails(
    trx,
    people.map((person) => {
      const lines = changed.map((item) => {
        const old = before.find((entry) => entry.itemId === item.id)!;
        return {
          title: item.title,
          change: item.deletedAt ? "Cancelled" : `Now ${formatInstantForPerson(item.startsAt, meeting.timezone, person.timezone)}`,
          was: formatInstantForPerson(old.startsAt, meeting.timezone, person.timezone),
        };
      });
      return {
        to: person.email,
        meetingId,
        template: "agenda-change",
        content: agendaChangeEmail({ firstName: person.first_name, meetingTitle: meeting.title, agendaUrl: `${appUrl()}/meetings/${meeting.slug}/agenda`, lines }),
        attachments: [attachment],
      };
    }),
  );
  return people.length;
}
