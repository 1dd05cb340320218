import { z } from "zod";
import { appUrl } from "~/settings.server";
import { database } from "../../db/connection.server";
import { MEETING_KINDS } from "../../db/schema";
import { NUL_MESSAGE, fieldErrors, noNul } from "~/lib/form";
import { findProgramme, programmeChoices } from "~/programmes/programmes.server";
import { KIND_LABELS } from "./labels";
import { meetingListEntry } from "./meeting-json.server";
import { listPublicMeetings } from "./meetings.server";

const PAGE_SIZE = 20;

const listQuery = z.object({
  kind: z
    .enum(MEETING_KINDS, { error: `Unknown kind: use one of ${MEETING_KINDS.join(", ")}` })
    .optional()
    .or(z.literal("").transform(() => undefined)),
  programme: z.string().trim().max(100).optional(),
  q: z.string().trim().max(200, "Search for at most 200 characters").refine(noNul, NUL_MESSAGE).optional(),
  past: z.enum(["0", "1", ""], { error: "past is 1 or absent" }).optional(),
  page: z.coerce.number({ error: "page is a number" }).int().min(1).max(10_000).optional(),
});

function badRequest(message: string): Response {
  return new Response(message, { status: 400, statusText: "Bad Request" });
}

/**
 * The public list of meetings for `/`, `/meetings` and `/programmes/:slug`, from the query string
 * (`kind`, `programme`, `q`, `past`, `page`). A fixed programme (the programme page) wins over `?programme=`.
 */
export async function loadMeetingList(request: Request, fixedProgramme?: { id: number; slug: string; title: string }) {
  const url = new URL(request.url);
  const parsed = listQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw badRequest(Object.values(fieldErrors(parsed.error)).join(". "));
  const { kind, q, past, page = 1 } = parsed.data;
  const db = database();
  let programme = fixedProgramme ?? null;
  if (!programme && parsed.data.programme) {
    const found = await findProgramme(db, parsed.data.programme);
    if (!found) throw badRequest(`There is no programme "${parsed.data.programme}".`);
    programme = found;
  }
  const [{ meetings, total }, programmes] = await Promise.all([
    listPublicMeetings(db, { kind, programmeId: programme?.id, q: q || null, past: past === "1", page, pageSize: PAGE_SIZE }),
    programmeChoices(db),
  ]);
  const feedQuery = new URLSearchParams({ ...(kind ? { kind } : {}), ...(programme ? { programme: programme.slug } : {}) });
  return {
    feed: {
      url: `${appUrl()}/calendar.ics${feedQuery.size ? `?${feedQuery}` : ""}`,
      name: [programme?.title ?? "Meetings", kind ? KIND_LABELS[kind] : null].filter(Boolean).join(": "),
    },
    /** What "follow by email" under the list follows: the programme shown, or all meetings. */
    follow: programme ? { slug: programme.slug, title: programme.title } : null,
    meetings: meetings.map((meeting) => meetingListEntry(meeting)),
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    filter: { kind: kind ?? "", q: q ?? "", past: past === "1", programme: fixedProgramme ? "" : (programme?.slug ?? "") },
    kinds: MEETING_KINDS.map((value) => ({ value, label: KIND_LABELS[value] })),
    programmes,
  };
}

export type MeetingListData = Awaited<ReturnType<typeof loadMeetingList>>;
