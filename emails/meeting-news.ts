import { type EmailContent, emailHtml, escapeHtml } from "./layout";

export type MeetingNewsChange = "published" | "rescheduled" | "cancelled";

/** What a follower is told about a meeting; formatted by the caller. */
export interface MeetingNews {
  change: MeetingNewsChange;
  meetingTitle: string;
  meetingUrl: string;
  /** "1–3 Dec 2026, Bangkok time" */
  meetingDates: string;
  /** For a rescheduled meeting: its dates before the change. */
  previousDates: string | null;
  /** "United Nations Conference Centre, Bangkok, Thailand", "Online" or "… (and online)" */
  meetingPlace: string;
  /** Why this person receives it: "APIS Working Group 1" or "all meetings". */
  followedName: string;
  manageUrl: string;
  unsubscribeUrl: string;
}

const SUBJECTS: Record<MeetingNewsChange, string> = {
  published: "New meeting",
  rescheduled: "Meeting rescheduled",
  cancelled: "Meeting cancelled",
};

const SENTENCES: Record<MeetingNewsChange, string> = {
  published: "A new meeting has been announced.",
  rescheduled: "A meeting has new dates.",
  cancelled: "A meeting has been cancelled.",
};

function facts(news: MeetingNews): [string, string][] {
  return [
    ["Dates", news.meetingDates],
    ...(news.previousDates ? [["Previously", news.previousDates] as [string, string]] : []),
    ["Place", news.meetingPlace],
  ];
}

/** Sent to each confirmed follower when a meeting they follow is published, rescheduled or cancelled. */
export function meetingNewsEmail(news: MeetingNews): EmailContent {
  const subject = `${SUBJECTS[news.change]}: ${news.meetingTitle}`;
  const why = `You receive this because you follow ${news.followedName}.`;
  const rows = facts(news)
    .map(([label, value]) => `<tr><td style="padding:2px 12px 2px 0;color:#52606d">${label}</td><td>${escapeHtml(value)}</td></tr>`)
    .join("\n");
  const html = emailHtml(
    subject,
    `<p>${SENTENCES[news.change]}</p>
<p style="font-size:18px"><a href="${escapeHtml(news.meetingUrl)}">${escapeHtml(news.meetingTitle)}</a></p>
<table role="presentation" style="border-collapse:collapse;margin:12px 0">
${rows}
</table>
<p style="font-size:13px;color:#52606d">${escapeHtml(why)}
<a href="${escapeHtml(news.manageUrl)}">Manage what you follow</a> ·
<a href="${escapeHtml(news.unsubscribeUrl)}">Unsubscribe</a></p>`,
  );
  const text = `${SENTENCES[news.change]}

${news.meetingTitle}
${facts(news)
  .map(([label, value]) => `${label}: ${value}`)
  .join("\n")}
${news.meetingUrl}

${why}
Manage what you follow: ${news.manageUrl}
Unsubscribe: ${news.unsubscribeUrl}
`;
  return { subject, html, text };
}
