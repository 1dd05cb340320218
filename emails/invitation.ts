import { type EmailContent, emailButton, emailHtml, escapeHtml } from "./layout";

/** What an invitation states; formatted by the caller (dates name the meeting's zone). */
export interface InvitationFacts {
  email: string;
  organisingBody: string;
  meetingTitle: string;
  /** "1–3 Dec 2026, Seoul time" */
  meetingDates: string;
  /** "Songdo Convensia, Incheon, Republic of Korea" or "Online" */
  meetingPlace: string;
  meetingUrl: string;
  /** When registration opens, if it has not yet: "Mon 2 Nov 2026, 09:00 Seoul time". */
  registrationOpens: string | null;
  /** "Fri 27 Nov 2026, 17:00 Seoul time", or null when registration has no closing time. */
  registrationCloses: string | null;
  /** The personal registration link: it carries the invitation and works once, for this address. */
  registerUrl: string;
}

/** Sent to an invited email address: the meeting and a personal link to its registration form. */
export function invitationEmail(facts: InvitationFacts): EmailContent {
  const subject = `Invitation: ${facts.meetingTitle}`;
  const closes = [
    facts.registrationOpens ? `Registration opens ${facts.registrationOpens}.` : "",
    facts.registrationCloses ? `Please register by ${facts.registrationCloses}.` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const html = emailHtml(
    subject,
    `<p>Dear colleague,</p>
<p>${escapeHtml(facts.organisingBody)} has the pleasure to invite you to register for <strong>${escapeHtml(facts.meetingTitle)}</strong>.</p>
<table role="presentation" style="border-collapse:collapse;margin:12px 0">
<tr><td style="padding:2px 12px 2px 0;color:#52606d">Meeting</td><td><a href="${escapeHtml(facts.meetingUrl)}">${escapeHtml(facts.meetingTitle)}</a></td></tr>
<tr><td style="padding:2px 12px 2px 0;color:#52606d">Dates</td><td>${escapeHtml(facts.meetingDates)}</td></tr>
<tr><td style="padding:2px 12px 2px 0;color:#52606d">Place</td><td>${escapeHtml(facts.meetingPlace)}</td></tr>
</table>
${closes ? `<p>${escapeHtml(closes)}</p>` : ""}
${emailButton(facts.registerUrl, "Register")}
<p style="font-size:13px;color:#52606d">Your personal link (do not share it): ${escapeHtml(facts.registerUrl)}<br>
It registers one person, with the address ${escapeHtml(facts.email)}, once. If a colleague should attend instead, please ask the organisers.</p>`,
  );
  const text = `Dear colleague,

${facts.organisingBody} has the pleasure to invite you to register for ${facts.meetingTitle}.

Meeting: ${facts.meetingTitle}
Dates: ${facts.meetingDates}
Place: ${facts.meetingPlace}
${facts.meetingUrl}
${closes ? `\n${closes}\n` : ""}
Register with your personal link (do not share it):
${facts.registerUrl}

It registers one person, with the address ${facts.email}, once. If a colleague should attend instead, please ask the organisers.
`;
  return { subject, html, text };
}
