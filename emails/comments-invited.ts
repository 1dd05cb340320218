import { type EmailContent, emailButton, emailHtml, escapeHtml } from "./layout";

/** What the invitation and the reminder to comment on a draft say about it. */
interface CommentRequestFacts {
  firstName: string;
  meetingTitle: string;
  /** "ESCAP/APIS/2026/WP.1 — Draft regional roadmap", or the title alone. */
  documentName: string;
  /** The deadline in the meeting's zone, named: "Tue 1 Dec 2026, 17:00 Bangkok time". */
  deadline: string;
  /** The page where the person reads the draft and sends their inputs. */
  inputsUrl: string;
  /** The organisers' note, plain text (only in the invitation). */
  message?: string | null;
}

function paragraphsHtml(text: string): string {
  return text
    .replace(/\r\n/g, "\n")
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replaceAll("\n", "<br>")}</p>`)
    .join("\n");
}

function requestEmail(subject: string, lead: string, facts: CommentRequestFacts): EmailContent {
  const note = facts.message?.trim() ?? "";
  const html = emailHtml(
    subject,
    `<p>Dear ${escapeHtml(facts.firstName)},</p>
<p>${escapeHtml(lead)}</p>
<p><strong>${escapeHtml(facts.documentName)}</strong><br>${escapeHtml(facts.meetingTitle)}</p>
<p>Deadline: <strong>${escapeHtml(facts.deadline)}</strong></p>
${note ? paragraphsHtml(note) : ""}
${emailButton(facts.inputsUrl, "Read the draft and send your inputs")}
<p style="font-size:13px;color:#52606d">${escapeHtml(facts.inputsUrl)}<br>Sign in with this email address to send your inputs.</p>`,
  );
  const text = `Dear ${facts.firstName},

${lead}

${facts.documentName}
${facts.meetingTitle}

Deadline: ${facts.deadline}
${note ? `\n${note}\n` : ""}
Read the draft and send your inputs (sign in with this email address):
${facts.inputsUrl}
`;
  return { subject, html, text };
}

/** An invitation to comment on a draft before its deadline. */
export function commentsInvitedEmail(facts: CommentRequestFacts): EmailContent {
  return requestEmail(
    `Your comments are invited: ${facts.documentName}`,
    "The organisers invite your written inputs on this draft. You may comment on the whole text or on a section or page, and attach a marked-up copy.",
    facts,
  );
}

/** A reminder, shortly before the deadline, to someone invited who has not commented yet. */
export function commentsReminderEmail(facts: CommentRequestFacts): EmailContent {
  return requestEmail(
    `Reminder: comments on ${facts.documentName} close ${facts.deadline}`,
    "This is a reminder that the period for comments on this draft closes soon, and we have not yet received your inputs.",
    { ...facts, message: null },
  );
}
