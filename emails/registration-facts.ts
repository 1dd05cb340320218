import { escapeHtml } from "./layout";

/** What registration emails say about the meeting and the person's place; formatted by the caller. */
export interface RegistrationFacts {
  firstName: string;
  meetingTitle: string;
  /** "1–3 Dec 2026, Bangkok time" */
  meetingDates: string;
  /** "United Nations Conference Centre, Bangkok, Thailand" or "Online" */
  meetingPlace: string;
  meetingUrl: string;
  /** When registration closes, in the meeting's zone and the person's: "Thu 10 Dec 2026, 17:00 Kolkata time (12:30 your time, Zurich)". */
  registrationCloses: string | null;
  manageUrl: string;
  /** Set for confirmed in-person participants: the travel and visa form. */
  followUpUrl: string | null;
}

export const STATUS_SENTENCES = {
  confirmed: "Your place is confirmed.",
  waitlisted: "The meeting is full, so you are on the waiting list. We will email you as soon as a place becomes free.",
  pending: "Your registration has been received. The organisers will review it and email you their decision.",
  declined: "The organisers are unable to accept your registration for this meeting.",
  cancelled: "Your registration has been cancelled.",
} as const;

export function factsHtml(facts: RegistrationFacts): string {
  return `<table role="presentation" style="border-collapse:collapse;margin:12px 0">
<tr><td style="padding:2px 12px 2px 0;color:#52606d">Meeting</td><td><a href="${escapeHtml(facts.meetingUrl)}">${escapeHtml(facts.meetingTitle)}</a></td></tr>
<tr><td style="padding:2px 12px 2px 0;color:#52606d">Dates</td><td>${escapeHtml(facts.meetingDates)}</td></tr>
<tr><td style="padding:2px 12px 2px 0;color:#52606d">Place</td><td>${escapeHtml(facts.meetingPlace)}</td></tr>
${facts.registrationCloses ? `<tr><td style="padding:2px 12px 2px 0;color:#52606d">Registration closes</td><td>${escapeHtml(facts.registrationCloses)}</td></tr>` : ""}
</table>`;
}

export function factsText(facts: RegistrationFacts): string {
  return `Meeting: ${facts.meetingTitle}
Dates: ${facts.meetingDates}
Place: ${facts.meetingPlace}
${facts.registrationCloses ? `Registration closes: ${facts.registrationCloses}\n` : ""}${facts.meetingUrl}`;
}

export function manageHtml(facts: RegistrationFacts): string {
  const followUp = facts.followUpUrl
    ? `<p>If you attend in person, please tell us your travel plans, and whether you need a visa support letter or travel funding: <a href="${escapeHtml(facts.followUpUrl)}">travel and visa form</a>.</p>`
    : "";
  return `${followUp}<p>View, change or cancel your registration with your private link (do not share it):<br><a href="${escapeHtml(facts.manageUrl)}">${escapeHtml(facts.manageUrl)}</a></p>`;
}

export function manageText(facts: RegistrationFacts): string {
  const followUp = facts.followUpUrl
    ? `If you attend in person, please tell us your travel plans, and whether you need a visa support letter or travel funding:\n${facts.followUpUrl}\n\n`
    : "";
  return `${followUp}View, change or cancel your registration with your private link (do not share it):\n${facts.manageUrl}`;
}
