import type { LoaderFunctionArgs } from "@remix-run/node";
import { database } from "~/database.server";
import { exportFilename, registrationsCsv } from "~/registration/exports.server";
import { organisersMeetingForDownload } from "~/registration/organiser-meeting.server";
import { parseRegistrationFilters } from "~/registration/registration-filters";

/** The meeting's registrations as CSV (UTF-8 with a byte order mark), with the table's filters. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeetingForDownload(request, params.slug);
  const db = database();
  const filters = parseRegistrationFilters(new URL(request.url).searchParams);
  if (!filters.ok) throw new Response(filters.message, { status: 400 });
  const csv = await registrationsCsv(db, meeting.id, filters.filters);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFilename(meeting, "csv")}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
