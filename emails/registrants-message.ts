import { type EmailContent, emailButton, emailHtml, escapeHtml } from "./layout";

/**
 * An organisers' message to a meeting's registrants. The body arrives already rendered from the
 * organisers' markdown and sanitised (`bodyHtml`), and as the markdown itself for the plain-text
 * part. Manage links are stored hashed and cannot be repeated here: the message links to the
 * meeting's page.
 */
export function registrantsMessageEmail(input: {
  firstName: string;
  meetingTitle: string;
  meetingUrl: string;
  subject: string;
  bodyHtml: string;
  bodyText: string;
}): EmailContent {
  const subject = input.subject;
  const html = emailHtml(
    subject,
    `<p>Dear ${escapeHtml(input.firstName)},</p>
${input.bodyHtml}
${emailButton(input.meetingUrl, "Meeting page")}
<p style="font-size:13px;color:#52606d">You receive this message because you registered for ${escapeHtml(input.meetingTitle)}. To view, change or cancel your registration, use the private link in your registration email.</p>`,
  );
  const text = `Dear ${input.firstName},

${input.bodyText.trim()}

Meeting page: ${input.meetingUrl}

You receive this message because you registered for ${input.meetingTitle}. To view, change or cancel your registration, use the private link in your registration email.
`;
  return { subject, html, text };
}
