import type { AttendanceMode } from "../../db/schema";
import { spreadsheetCsv } from "~/lib/csv.server";
import { countryName } from "~/lib/countries.server";
import { formatDay, zoneLabel } from "~/lib/time";
import { type SpreadsheetColumn, spreadsheetXlsx } from "~/lib/xlsx.server";
import { ATTENDANCE_MODE_LABELS, CATEGORY_LABELS, GENDER_LABELS } from "~/registration/labels";
import { type AttendanceReport, type ParticipantAttendance, madeFromReport } from "./attendance-report.server";

/**
 * The attendance register as a spreadsheet: one row per confirmed participant, how they attended
 * each day (in person, online or not: "—"), and their minutes online. The same table as CSV and
 * as an Excel workbook.
 */

type Column = SpreadsheetColumn<ParticipantAttendance>;

const NOT_ATTENDED = "—";

function modeText(mode: AttendanceMode | null | undefined): string {
  return mode ? ATTENDANCE_MODE_LABELS[mode] : NOT_ATTENDED;
}

function columnsOf(report: AttendanceReport): Column[] {
  const zone = zoneLabel(report.timezone);
  return [
    { header: "ID", width: 8, value: (p) => p.registrationId },
    { header: "Last name", width: 18, value: (p) => p.lastName },
    { header: "First name", width: 18, value: (p) => p.firstName },
    { header: "Organisation", width: 36, value: (p) => p.organisation },
    { header: "Country", width: 24, value: (p) => countryName(p.country) ?? p.country },
    { header: "Category", width: 24, value: (p) => CATEGORY_LABELS[p.category] },
    { header: "Gender", width: 12, value: (p) => GENDER_LABELS[p.gender] },
    { header: "Registered to attend", width: 14, value: (p) => ATTENDANCE_MODE_LABELS[p.registeredMode] },
    { header: "Attended", width: 12, value: (p) => modeText(p.mode) },
    ...report.days.map(({ day }): Column => ({ header: `${formatDay(day)} (${zone})`, width: 16, value: (p) => modeText(p.days[day]) })),
    { header: "Days attended", width: 10, value: (p) => p.daysAttended },
    { header: "Minutes online", width: 10, value: (p) => p.onlineMinutes },
  ];
}

/** The register as CSV, in UTF-8 (made once per report). */
export function attendanceRegisterCsv(report: AttendanceReport): Uint8Array {
  return madeFromReport(report, "register.csv", () => {
    const columns = columnsOf(report);
    return Buffer.from(spreadsheetCsv([columns.map((c) => c.header), ...report.participants.map((p) => columns.map((c) => c.value(p)))]));
  });
}

/** The register as an Excel workbook. */
export function attendanceRegisterXlsx(report: AttendanceReport, meeting: { title: string }): Promise<Buffer> {
  return spreadsheetXlsx(columnsOf(report), report.participants, { title: `Attendance: ${meeting.title}`, sheet: "Attendance" });
}
