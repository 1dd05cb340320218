import type { LoaderFunctionArgs } from "@remix-run/node";
import { attendanceRegisterXlsx } from "~/attendance/attendance-register.server";
import { attendanceReport } from "~/attendance/attendance-report.server";
import { database } from "~/database.server";
import { XLSX_CONTENT_TYPE } from "~/lib/xlsx.server";
import { exportFilename } from "~/registration/exports.server";
import { organisersMeetingForDownload } from "~/registration/organiser-meeting.server";

/** The attendance register as an Excel workbook: one row per confirmed participant. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeetingForDownload(request, params.slug);
  const workbook = await attendanceRegisterXlsx(await attendanceReport(database(), meeting), meeting);
  return new Response(new Uint8Array(workbook), {
    headers: {
      "Content-Type": XLSX_CONTENT_TYPE,
      "Content-Disposition": `attachment; filename="${exportFilename(meeting, "xlsx", new Date(), "attendance")}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
