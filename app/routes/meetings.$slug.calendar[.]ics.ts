import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { listCalendarAgendaItems } from "~/agenda/agenda-calendar.server";
import { calendarAnswer, meetingFeedKey, meetingFeedVersion, notModified, renderCalendar } from "~/calendar/feeds.server";
import { feedCache } from "~/calendar/feed-cache.server";
import { answerResponse } from "~/lib/plain-answer.server";
import { database } from "~/database.server";
import { findPublicMeeting } from "~/meetings/meetings.server";

/** `?item=ID`: only that agenda item, for an item's own "Add to calendar". */
const feedQuery = z.object({ item: z.coerce.number().int().positive().optional() });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = feedQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response("item: the number of an agenda item.", { status: 400 });
  const { item } = parsed.data;
  const db = database();
  const meeting = await findPublicMeeting(db, params.slug ?? "");
  if (!meeting) throw new Response("No such meeting.", { status: 404 });
  const version = meetingFeedVersion(meeting, item ?? null);
  const unchanged = notModified(request.headers, version, "public");
  if (unchanged) return answerResponse(unchanged);
  const body = await feedCache.body(meetingFeedKey(meeting.id, item ?? null, version), async () => {
    const items = await listCalendarAgendaItems(db, [meeting.id], item ? { itemIds: [item] } : {});
    if (item && items.length === 0) throw new Response("No such agenda item.", { status: 404 });
    return renderCalendar({ name: meeting.title, timezone: meeting.timezone, meetings: [meeting], items, itemsOnly: Boolean(item) });
  });
  return answerResponse(calendarAnswer(body, item ? `${meeting.slug}-item-${item}.ics` : `${meeting.slug}.ics`, version, "public"));
}
