import type { LoaderFunctionArgs } from "@remix-run/node";
import { attendanceRegisterCsv } from "~/attendance/attendance-register.server";
import { attendanceReport } from "~/attendance/attendance-report.server";
import { database } from "~/database.server";
import { keptBody } from "~/lib/render-cache.server";
import { exportFilename } from "~/registration/exports.server";
import { organisersMeetingForDownload } from "~/registration/organiser-meeting.server";

/** The attendance register as CSV (UTF-8 with a byte order mark): one row per confirmed participant. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeetingForDownload(request, params.slug);
  const { body, length } = keptBody([attendanceRegisterCsv(await attendanceReport(database(), meeting))]);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Length": String(length),
      "Content-Disposition": `attachment; filename="${exportFilename(meeting, "csv", new Date(), "attendance")}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
