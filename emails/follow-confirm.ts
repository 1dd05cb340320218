import { type EmailContent, emailButton, emailHtml, escapeHtml } from "./layout";

/** What is followed, as the emails say it: "APIS Working Group 1" or "all meetings". */
interface FollowFacts {
  followedName: string;
  /** The follow's own page: confirm (while pending), see and stop every follow of this address. */
  manageUrl: string;
}

const IGNORE = "If you did not ask for this, ignore this email: nothing is sent to you unless you confirm.";

/** Double opt-in: nothing is sent about meetings until the person confirms on the linked page. */
export function followConfirmEmail(facts: FollowFacts): EmailContent {
  const subject = `Confirm: email news about ${facts.followedName}`;
  const sentence = `Someone, probably you, asked to be emailed when a meeting of ${facts.followedName} is published, rescheduled or cancelled.`;
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
  const subject = `You already follow ${facts.followedName}`;
  const sentence = `Someone, probably you, asked again to be emailed about meetings of ${facts.followedName}. You already receive these emails, so nothing has changed.`;
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
