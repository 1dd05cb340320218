import type { Kysely, Transaction } from "kysely";
import type { Database, Meeting } from "../../db/schema";
import { clockReading } from "~/agenda/agenda-view.server";
import { AGENDA_KIND_LABELS } from "~/agenda/labels";
import { countryName } from "~/lib/countries.server";
import { formatDay, isoInstant, meetingDays, zoneLabel } from "~/lib/time";
import { ATTENDANCE_MODE_LABELS } from "~/registration/labels";
import { fullName } from "~/registration/registration-console.server";
import { type AttendanceReport, type BreakdownRow, type ReportScope, type Tally, attendanceReport, madeFromReport, percentText, whoAttended } from "./attendance-report.server";

/** The organisers' attendance page: the report shaped for reading, and who attended in the scope asked for (the meeting, a day or an item). */

type Executor = Kysely<Database> | Transaction<Database>;
type PageMeeting = Pick<
  Meeting,
  "id" | "slug" | "title" | "mode" | "timezone" | "starts_on" | "ends_on" | "ends_at" | "online_attendance_percent" | "shows_participation" | "self_check_in" | "page_version"
>;

function figures(tally: Tally) {
  return { confirmed: tally.confirmed, attended: tally.attended, inPerson: tally.inPerson, online: tally.online, noShow: percentText(tally.noShowRate) };
}

function breakdownRows(rows: BreakdownRow[]) {
  return rows.map((row) => ({ key: row.key, label: row.label, ...figures(row) }));
}

/** What the breakdowns are about, in words ("Mon 1 Jun 2026", "Opening, Mon 1 Jun 2026"); null for the whole meeting, undefined if the day or item is not the report's. */
function scopeLabel(report: AttendanceReport, scope: ReportScope): { kind: "day" | "item"; label: string } | null | undefined {
  if (scope.kind === "meeting") return null;
  if (scope.kind === "day") return report.days.some((d) => d.day === scope.day) ? { kind: "day", label: formatDay(scope.day) } : undefined;
  const item = report.items.find((i) => i.id === scope.itemId);
  return item && { kind: "item", label: `${item.title}, ${formatDay(item.day)}` };
}

/** Rows of the register a page shows: the whole register is in the CSV and Excel exports. */
export const REGISTER_PAGE_SIZE = 100;

/** The register's page asked for (past the last: the last), and the scope its pages' links keep. */
function registerPage(total: number, asked: number, scopeQuery: string) {
  const pageCount = Math.max(1, Math.ceil(total / REGISTER_PAGE_SIZE));
  const page = Math.min(Math.max(1, asked), pageCount);
  return {
    page,
    pageCount,
    first: total === 0 ? 0 : (page - 1) * REGISTER_PAGE_SIZE + 1,
    last: Math.min(total, page * REGISTER_PAGE_SIZE),
    total,
    scopeQuery,
  };
}

function scopeQuery(scope: ReportScope): string {
  if (scope.kind === "day") return `day=${scope.day}`;
  if (scope.kind === "item") return `item=${scope.itemId}`;
  return "";
}

/** The page's data, with one page of the register (`registerPageAsked`, from 1); undefined when the scope names a day or item the report does not have. */
export async function attendancePage(db: Executor, meeting: PageMeeting, scope: ReportScope, registerPageAsked = 1, now: Date = new Date()) {
  const report = await attendanceReport(db, meeting);
  const scopeName = scopeLabel(report, scope);
  if (scopeName === undefined) return undefined;
  const base = `/admin/meetings/${meeting.slug}/attendance`;
  const who = madeFromReport(report, `who attended:${scopeQuery(scope)}`, () => whoAttended(report.participants, scope));
  const register = registerPage(report.participants.length, registerPageAsked, scopeQuery(scope));
  return {
    meeting: { slug: meeting.slug, title: meeting.title, zone: zoneLabel(meeting.timezone), when: meetingDays(meeting), ended: meeting.ends_at <= now },
    settings: {
      onlineAttendancePercent: String(meeting.online_attendance_percent),
      showsParticipation: meeting.shows_participation ? "yes" : "",
      selfCheckIn: meeting.self_check_in ? "yes" : "",
    },
    totals: { ...figures(report.totals), countries: report.totals.countries, women: report.totals.women, womenShare: percentText(report.totals.womenShare) },
    days: report.days.map((day) => ({
      day: day.day,
      label: formatDay(day.day),
      breakdownHref: `${base}?day=${day.day}#who-attended`,
      ...figures(day),
      items: report.items
        .filter((item) => item.day === day.day)
        .map((item) => ({
          id: item.id,
          title: item.title,
          kind: AGENDA_KIND_LABELS[item.kind],
          isPart: item.parentId !== null,
          reading: clockReading(item.startsAt, item.endsAt, meeting.timezone),
          startsAt: isoInstant(item.startsAt),
          endsAt: isoInstant(item.endsAt),
          breakdownHref: `${base}?item=${item.id}#who-attended`,
          ...figures(item),
        })),
    })),
    who: {
      scope: scopeName,
      attended: who.attended,
      women: who.women,
      womenShare: percentText(who.womenShare),
      byCountry: breakdownRows(who.byCountry),
      byCategory: breakdownRows(who.byCategory),
      byGender: breakdownRows(who.byGender),
      wholeMeetingHref: `${base}#who-attended`,
    },
    register,
    participants: report.participants.slice(register.first - 1, register.last).map((p) => ({
      id: p.registrationId,
      name: fullName({ salutation: p.salutation, first_name: p.firstName, last_name: p.lastName }),
      organisation: p.organisation,
      country: countryName(p.country) ?? p.country,
      days: report.days.map(({ day }) => (p.days[day] ? ATTENDANCE_MODE_LABELS[p.days[day]] : null)),
      onlineMinutes: p.onlineMinutes,
      certificate: p.mode ? `${base}/certificates/${p.registrationId}.pdf` : null,
    })),
    links: { csv: `${base}.csv`, xlsx: `${base}.xlsx`, certificates: `${base}/certificates.pdf`, online: `${base}/online`, desk: `/admin/meetings/${meeting.slug}/checkin` },
  };
}
