import { type EmailContent, emailButton, emailHtml, escapeHtml } from "./layout";

/** Sent when someone registers again with the same email: their (new) private link, nothing created. */
export function manageLinkEmail(input: { firstName: string; meetingTitle: string; manageUrl: string; statusLabel: string }): EmailContent {
  const subject = `Your registration: ${input.meetingTitle}`;
  const html = emailHtml(
    subject,
    `<p>Dear ${escapeHtml(input.firstName)},</p>
<p>You are already registered for <strong>${escapeHtml(input.meetingTitle)}</strong> (status: ${escapeHtml(input.statusLabel)}), so nothing new was created.</p>
<p>Here is a new private link to view, change or cancel your registration. Earlier links no longer work.</p>
${emailButton(input.manageUrl, "Manage my registration")}
<p style="font-size:13px;color:#52606d">${escapeHtml(input.manageUrl)}</p>`,
  );
  const text = `Dear ${input.firstName},

You are already registered for ${input.meetingTitle} (status: ${input.statusLabel}), so nothing new was created.

Here is a new private link to view, change or cancel your registration. Earlier links no longer work.
${input.manageUrl}
`;
  return { subject, html, text };
}
