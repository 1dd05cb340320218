import { documentLabel } from "../app/documents/labels";
import { type EmailContent, emailButton, emailHtml, escapeHtml } from "./layout";

/** One circulated document as the email lists it: its printed symbol, title and a link per language. */
interface CirculatedDocument {
  symbol: string | null;
  title: string;
  files: { languageName: string; url: string }[];
}

/**
 * Documents an organiser circulates to a meeting's registrants. The organiser's short message
 * arrives rendered from markdown and sanitised (`messageHtml`) and as the markdown itself for the
 * plain-text part, as for the registrants' messages. Each recipient's own link stops them.
 */
export function documentsCirculatedEmail(input: {
  firstName: string;
  email: string;
  meetingTitle: string;
  documentsUrl: string;
  message: { html: string; text: string } | null;
  documents: CirculatedDocument[];
  unsubscribeUrl: string;
}): EmailContent {
  const subject = `Documents for ${input.meetingTitle}`;
  const signIn = `Documents that are not public open after you sign in with this address (${input.email}).`;
  const why = `You receive this because you registered for ${input.meetingTitle}.`;
  const items = input.documents
    .map((document) => {
      const links = document.files.map((file) => `<a href="${escapeHtml(file.url)}">${escapeHtml(file.languageName)}</a>`).join(" · ");
      const symbol = document.symbol ? `<span style="color:#52606d">${escapeHtml(document.symbol)}</span><br>` : "";
      return `<li style="margin:0 0 10px">${symbol}<strong>${escapeHtml(document.title)}</strong><br>${links}</li>`;
    })
    .join("\n");
  const html = emailHtml(
    subject,
    `<p>Dear ${escapeHtml(input.firstName)},</p>
${input.message ? input.message.html : ""}
<p>The following ${input.documents.length === 1 ? "document is" : "documents are"} available for ${escapeHtml(input.meetingTitle)}:</p>
<ul style="padding-left:20px">
${items}
</ul>
${emailButton(input.documentsUrl, "All the meeting's documents")}
<p style="font-size:13px;color:#52606d">${escapeHtml(signIn)}</p>
<p style="font-size:13px;color:#52606d">${escapeHtml(why)}
<a href="${escapeHtml(input.unsubscribeUrl)}">Stop receiving documents for this meeting</a></p>`,
  );
  const textItems = input.documents
    .map((document) =>
      [`- ${documentLabel(document.symbol, document.title)}`, ...document.files.map((file) => `  ${file.languageName}: ${file.url}`)].join("\n"),
    )
    .join("\n");
  const text = `Dear ${input.firstName},
${input.message ? `\n${input.message.text.trim()}\n` : ""}
The following ${input.documents.length === 1 ? "document is" : "documents are"} available for ${input.meetingTitle}:

${textItems}

All the meeting's documents: ${input.documentsUrl}

${signIn}

${why}
Stop receiving documents for this meeting: ${input.unsubscribeUrl}
`;
  return { subject, html, text };
}
