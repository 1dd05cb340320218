import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { database } from "~/database.server";
import { MEETING_KINDS } from "../../db/schema";
import { calendarAnswer, feedVersion, feedWindowStart, notModified, renderCalendar } from "~/calendar/feeds.server";
import { feedCache } from "~/calendar/feed-cache.server";
import { answerResponse } from "~/lib/plain-answer.server";
import { fieldErrors } from "~/lib/form";
import { listCalendarMeetings, meetingsLastChange } from "~/meetings/meetings.server";
import { findProgramme } from "~/programmes/programmes.server";

const feedQuery = z.object({
  kind: z.enum(MEETING_KINDS, { error: `Unknown kind: use one of ${MEETING_KINDS.join(", ")}` }).optional(),
  programme: z.string().trim().min(1).max(100).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = feedQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response(Object.values(fieldErrors(parsed.error)).join(". "), { status: 400 });
  const db = database();
  const version = feedVersion(await meetingsLastChange(db), parsed.data.kind ?? null, parsed.data.programme ?? null);
  // Polled forever by calendar clients: answer an unchanged feed with one small query.
  const unchanged = notModified(request.headers, version, "public");
  if (unchanged) return answerResponse(unchanged);
  const body = await feedCache.body(`meetings:${version.etag}`, async () => {
    const programme = parsed.data.programme ? await findProgramme(db, parsed.data.programme) : null;
    if (parsed.data.programme && !programme) throw new Response("No such programme.", { status: 404 });
    const meetings = await listCalendarMeetings(db, { kind: parsed.data.kind, programmeId: programme?.id, since: feedWindowStart() });
    const name = programme ? `Meetings: ${programme.title}` : "Meetings";
    return renderCalendar({ name, timezone: "UTC", meetings, items: [] });
  });
  return answerResponse(calendarAnswer(body, "meetings.ics", version, "public"));
}
