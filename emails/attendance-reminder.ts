import type { AttendanceReminderKind } from "../db/schema";
import { type EmailContent, emailButton, emailHtml, escapeHtml } from "./layout";

/** One agenda item as the recipient reads it; talks within a panel are its parts. */
export interface ReminderAgendaLine {
  /** "21:00–22:30 New York time", with the date first when it is not the email's day: "Mon 30 Nov 2026, 21:00–22:30 New York time". */
  time: string;
  /** The same in the meeting's zone, when the recipient's differs. */
  meetingTime: string | null;
  title: string;
  /** For in-person participants. */
  room: string | null;
  parts: ReminderAgendaLine[];
}

export interface AttendanceReminder {
  kind: AttendanceReminderKind;
  firstName: string;
  meetingTitle: string;
  meetingUrl: string;
  /** The agenda in the recipient's zone. */
  agendaUrl: string;
  /** The day the day's programme starts, in the recipient's zone: "Tue 1 Dec 2026". */
  date: string;
  dayNumber: number;
  dayCount: number;
  /** "New York time" */
  zoneName: string;
  /** "Bangkok time", when the recipient's zone is not the meeting's. */
  meetingZoneName: string | null;
  lines: ReminderAgendaLine[];
  /** For in-person participants: "United Nations Conference Centre, Bangkok, Thailand". */
  venue: string | null;
  /** For online participants: the meeting's joining link, when the organisers gave one. */
  joinUrl: string | null;
  /** For online participants: opening it during a session records their attendance. */
  selfCheckInUrl: string | null;
}

/**
 * Sent to each confirmed participant the day before a meeting and on the morning of each of its
 * days (see attendance-reminders.server.ts for when): the day's agenda in their own time, where to
 * go or how to join, and for online participants the link that records their attendance.
 */
export function attendanceReminderEmail(input: AttendanceReminder): EmailContent {
  const subject = (input.kind === "day_before" ? `Reminder: ${input.meetingTitle} begins on ${input.date}` : `Agenda for ${input.date}: ${input.meetingTitle}`).slice(0, 250);
  return { subject, html: html(input, subject), text: text(input) };
}

function opening(input: AttendanceReminder): string {
  const day = input.dayCount > 1 ? ` (day ${input.dayNumber} of ${input.dayCount})` : "";
  return input.kind === "day_before" ? `${input.meetingTitle} begins on ${input.date}${day}.` : `Here is the agenda of ${input.meetingTitle} for ${input.date}${day}.`;
}

function zonesSentence(input: AttendanceReminder): string {
  const beside = input.meetingZoneName ? `, with the meeting's own time (${input.meetingZoneName}) beside them` : "";
  return `Times are in ${input.zoneName}${beside}.`;
}

const CHECK_IN_SENTENCE = "To record your attendance, open this link during each session (from 15 minutes before it starts); it is yours alone, please do not share it:";
const NO_ITEMS = "No sessions are listed for this day yet: the agenda shows any that are added.";

function lineHtml(line: ReminderAgendaLine): string {
  const meeting = line.meetingTime ? ` <span style="color:#52606d">(${escapeHtml(line.meetingTime)})</span>` : "";
  const room = line.room ? `, ${escapeHtml(line.room)}` : "";
  const parts = line.parts.length ? `<ul>${line.parts.map(lineHtml).join("")}</ul>` : "";
  return `<li>${escapeHtml(line.time)}${meeting}: <strong>${escapeHtml(line.title)}</strong>${room}${parts}</li>`;
}

function html(input: AttendanceReminder, subject: string): string {
  const agenda = input.lines.length ? `<ul>${input.lines.map(lineHtml).join("")}</ul>` : `<p>${escapeHtml(NO_ITEMS)}</p>`;
  const venue = input.venue ? `<p><strong>Venue:</strong> ${escapeHtml(input.venue)}</p>` : "";
  const join = input.joinUrl
    ? `<p><strong>Join online:</strong> <a href="${escapeHtml(input.joinUrl)}">${escapeHtml(input.joinUrl)}</a></p>`
    : input.selfCheckInUrl
      ? "<p>The organisers will send the joining link.</p>"
      : "";
  const checkIn = input.selfCheckInUrl ? `<p>${escapeHtml(CHECK_IN_SENTENCE)}<br><a href="${escapeHtml(input.selfCheckInUrl)}">${escapeHtml(input.selfCheckInUrl)}</a></p>` : "";
  return emailHtml(
    subject,
    `<p>Dear ${escapeHtml(input.firstName)},</p>
<p>${escapeHtml(opening(input))} ${escapeHtml(zonesSentence(input))}</p>
${agenda}
${venue}${join}${checkIn}
${emailButton(input.agendaUrl, "See the full agenda")}
<p><a href="${escapeHtml(input.meetingUrl)}">${escapeHtml(input.meetingTitle)}</a></p>`,
  );
}

function lineText(line: ReminderAgendaLine, indent = ""): string {
  const meeting = line.meetingTime ? ` (${line.meetingTime})` : "";
  const room = line.room ? `, ${line.room}` : "";
  return [`${indent}- ${line.time}${meeting}: ${line.title}${room}`, ...line.parts.map((part) => lineText(part, `${indent}  `))].join("\n");
}

function text(input: AttendanceReminder): string {
  const agenda = input.lines.length ? input.lines.map((line) => lineText(line)).join("\n") : NO_ITEMS;
  const venue = input.venue ? `Venue: ${input.venue}\n\n` : "";
  const join = input.joinUrl ? `Join online: ${input.joinUrl}\n\n` : input.selfCheckInUrl ? "The organisers will send the joining link.\n\n" : "";
  const checkIn = input.selfCheckInUrl ? `${CHECK_IN_SENTENCE}\n${input.selfCheckInUrl}\n\n` : "";
  return `Dear ${input.firstName},

${opening(input)} ${zonesSentence(input)}

${agenda}

${venue}${join}${checkIn}See the full agenda: ${input.agendaUrl}
`;
}
