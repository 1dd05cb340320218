import { type EmailContent, emailHtml, escapeHtml } from "./layout";

/** Sent to everyone still registered when organisers cancel a published meeting. */
export function meetingCancelledEmail(input: { firstName: string; meetingTitle: string; meetingDates: string; meetingUrl: string; contactEmail: string | null; withCalendar: boolean }): EmailContent {
  const subject = `Cancelled: ${input.meetingTitle}`;
  const calendar = input.withCalendar ? "The attached calendar file removes it from your calendar." : "";
  const contact = input.contactEmail ? `Questions: ${input.contactEmail}` : "";
  const html = emailHtml(
    subject,
    `<p>Dear ${escapeHtml(input.firstName)},</p>
<p>The organisers have cancelled <a href="${escapeHtml(input.meetingUrl)}"><strong>${escapeHtml(input.meetingTitle)}</strong></a> (${escapeHtml(input.meetingDates)}). Your registration ends with it; there is nothing you need to do.</p>
${calendar ? `<p>${escapeHtml(calendar)}</p>` : ""}${contact ? `<p>${escapeHtml(contact)}</p>` : ""}`,
  );
  const text = `Dear ${input.firstName},

The organisers have cancelled ${input.meetingTitle} (${input.meetingDates}). Your registration ends with it; there is nothing you need to do.
${calendar ? `\n${calendar}\n` : ""}${contact ? `\n${contact}\n` : ""}
${input.meetingUrl}
`;
  return { subject, html, text };
}
