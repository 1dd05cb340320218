import { type EmailContent, emailButton, emailHtml, escapeHtml } from "./layout";

interface FollowFacts {
  /** The programme followed, or null: all meetings. */
  programmeTitle: string | null;
  /** The follow's own page: confirm (while pending), see and stop every follow of this address. */
  manageUrl: string;
}

function followed(facts: FollowFacts): { name: string; meetings: string } {
  return facts.programmeTitle
    ? { name: facts.programmeTitle, meetings: `a meeting of ${facts.programmeTitle}` }
    : { name: "all meetings", meetings: "any meeting" };
}

const IGNORE = "If you did not ask for this, ignore this email: nothing is sent to you unless you confirm.";

/** Double opt-in: nothing is sent about meetings until the person confirms on the linked page. */
export function followConfirmEmail(facts: FollowFacts): EmailContent {
  const { name, meetings } = followed(facts);
  const subject = `Confirm: email news about ${name}`;
  const sentence = `Someone, probably you, asked to be emailed when ${meetings} is published, rescheduled or cancelled.`;
  const html = emailHtml(
    subject,
    `<p>${escapeHtml(sentence)}</p>
<p>Open this page and press “Confirm” to start receiving these emails:</p>
${emailButton(facts.manageUrl, "Confirm")}
<p style="font-size:13px;color:#52606d">${escapeHtml(facts.manageUrl)}</p>
<p style="font-size:13px;color:#52606d">${escapeHtml(IGNORE)}</p>`,
  );
  const text = `${sentence}

Open this page and press "Confirm" to start receiving these emails:
${facts.manageUrl}

${IGNORE}
`;
  return { subject, html, text };
}

/** Asked again for a follow already confirmed: nothing changes; the link to manage it. */
export function alreadyFollowingEmail(facts: FollowFacts): EmailContent {
  const { name, meetings } = followed(facts);
  const subject = `You already follow ${name}`;
  const sentence = `Someone, probably you, asked again to be emailed when ${meetings} is published, rescheduled or cancelled. You already receive these emails, so nothing has changed.`;
  const html = emailHtml(
    subject,
    `<p>${escapeHtml(sentence)}</p>
<p>See what you follow, or stop these emails:</p>
${emailButton(facts.manageUrl, "Manage what I follow")}
<p style="font-size:13px;color:#52606d">${escapeHtml(facts.manageUrl)}</p>`,
  );
  const text = `${sentence}

See what you follow, or stop these emails:
${facts.manageUrl}
`;
  return { subject, html, text };
}
