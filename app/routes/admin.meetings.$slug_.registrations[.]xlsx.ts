import type { LoaderFunctionArgs } from "@remix-run/node";
import { database } from "~/database.server";
import { XLSX_CONTENT_TYPE } from "~/lib/xlsx.server";
import { exportFilename, registrationsXlsx } from "~/registration/exports.server";
import { organisersMeetingForDownload } from "~/registration/organiser-meeting.server";
import { parseRegistrationFilters } from "~/registration/registration-filters";

/** The meeting's registrations as an Excel workbook, with the table's filters. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeetingForDownload(request, params.slug);
  const db = database();
  const filters = parseRegistrationFilters(new URL(request.url).searchParams);
  if (!filters.ok) throw new Response(filters.message, { status: 400 });
  const workbook = await registrationsXlsx(db, meeting, filters.filters);
  return new Response(new Uint8Array(workbook), {
    headers: {
      "Content-Type": XLSX_CONTENT_TYPE,
      "Content-Disposition": `attachment; filename="${exportFilename(meeting, "xlsx")}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
