import type { LoaderFunctionArgs } from "@remix-run/node";
import { database } from "~/database.server";
import { followUpsCsv, listFollowUps, parseFollowUpFilter } from "~/registration/follow-up.server";
import { organisersMeetingForDownload } from "~/registration/organiser-meeting.server";

/** The follow-ups as a spreadsheet (UTF-8 with BOM), with the page's filters. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeetingForDownload(request, params.slug);
  const filter = parseFollowUpFilter(new URL(request.url).searchParams);
  const csv = followUpsCsv(await listFollowUps(database(), meeting.id, filter), meeting);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${meeting.slug}-travel-and-visas.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
