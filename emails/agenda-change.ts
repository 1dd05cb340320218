import { type EmailContent, emailButton, emailHtml, escapeHtml } from "./layout";

export interface AgendaChangeLine {
  title: string;
  /** "Now Tue 1 Dec 2026, 11:00 Bangkok time (05:00 your time, Zurich)" or "Cancelled". */
  change: string;
  /** The time it had: "Tue 1 Dec 2026, 09:30 Bangkok time". */
  was: string;
}

/**
 * Sent to those confirmed for a meeting when an item starting within 48 hours moves or is
 * cancelled: calendar apps refresh subscriptions slowly, so the updated .ics is attached.
 */
export function agendaChangeEmail(input: { firstName: string; meetingTitle: string; agendaUrl: string; lines: AgendaChangeLine[] }): EmailContent {
  const cancelledOnly = input.lines.every((line) => line.change === "Cancelled");
  const subject = `${cancelledOnly ? "Cancelled" : "Time change"}: ${input.lines.map((line) => line.title).join(", ")} (${input.meetingTitle})`.slice(0, 250);
  const html = emailHtml(
    subject,
    `<p>Dear ${escapeHtml(input.firstName)},</p>
<p>The agenda of <strong>${escapeHtml(input.meetingTitle)}</strong> has changed shortly before the event:</p>
<ul>${input.lines.map((line) => `<li><strong>${escapeHtml(line.title)}</strong>: ${escapeHtml(line.change)}; it was ${escapeHtml(line.was)}</li>`).join("")}</ul>
<p>The attached calendar file updates the entries in your calendar.</p>
${emailButton(input.agendaUrl, "See the agenda")}`,
  );
  const text = `Dear ${input.firstName},

The agenda of ${input.meetingTitle} has changed shortly before the event:

${input.lines.map((line) => `- ${line.title}: ${line.change}; it was ${line.was}`).join("\n")}

The attached calendar file updates the entries in your calendar.

See the agenda: ${input.agendaUrl}
`;
  return { subject, html, text };
}
