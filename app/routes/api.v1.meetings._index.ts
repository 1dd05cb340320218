import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { database } from "~/database.server";
import { MEETING_KINDS } from "../../db/schema";
import { apiError, apiJson } from "~/lib/api.server";
import { fieldErrors, noNul } from "~/lib/form";
import { meetingJson } from "~/meetings/meeting-json.server";
import { listPublicMeetings } from "~/meetings/meetings.server";
import { findProgramme } from "~/programmes/programmes.server";

const query = z.object({
  kind: z.enum(MEETING_KINDS, { error: `kind must be one of ${MEETING_KINDS.join(", ")}` }).optional(),
  programme: z.string().trim().min(1).max(100).optional(),
  q: z.string().trim().max(200).refine(noNul, "q must not contain a NUL character").optional(),
  past: z.enum(["0", "1"], { error: "past must be 0 or 1" }).optional(),
  page: z.coerce.number({ error: "page must be a number" }).int().min(1).max(10_000).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return apiError(400, Object.values(fieldErrors(parsed.error)).join("; "));
  const db = database();
  const programme = parsed.data.programme ? await findProgramme(db, parsed.data.programme) : null;
  if (parsed.data.programme && !programme) return apiError(404, `No programme "${parsed.data.programme}"`);
  const { meetings } = await listPublicMeetings(db, {
    kind: parsed.data.kind,
    programmeId: programme?.id,
    q: parsed.data.q || null,
    past: parsed.data.past === "1",
    page: parsed.data.page,
    pageSize: 100,
  });
  return apiJson({ meetings: meetings.map((meeting) => meetingJson(meeting)) });
}
