import type { RegistrationStatus } from "../db/schema";
import { type EmailContent, emailHtml, escapeHtml } from "./layout";
import { type RegistrationFacts, STATUS_SENTENCES, factsHtml, factsText, manageHtml, manageText } from "./registration-facts";

const SUBJECTS: Record<RegistrationStatus, string> = {
  confirmed: "Registration confirmed",
  waitlisted: "On the waiting list",
  pending: "Registration pending",
  declined: "Registration not accepted",
  cancelled: "Registration cancelled",
};

/** Sent when a registration's status changes: an organiser's decision, a place freed from the waiting list, a cancellation. */
export function registrationStatusChangedEmail(
  facts: RegistrationFacts & { status: RegistrationStatus; previous: RegistrationStatus; byParticipant: boolean },
): EmailContent {
  const subject = `${SUBJECTS[facts.status]}: ${facts.meetingTitle}`;
  const sentence =
    facts.status === "confirmed" && facts.previous === "waitlisted"
      ? "A place has become free: your place is now confirmed."
      : facts.status === "cancelled" && facts.byParticipant
        ? "As you asked, your registration has been cancelled. Thank you for letting us know."
        : facts.status === "cancelled"
          ? "The organisers have cancelled your registration."
          : STATUS_SENTENCES[facts.status];
  const stillActive = facts.status !== "cancelled" && facts.status !== "declined";
  const html = emailHtml(
    subject,
    `<p>Dear ${escapeHtml(facts.firstName)},</p>
<p>${escapeHtml(sentence)}</p>
${factsHtml(facts)}
${stillActive ? manageHtml(facts) : ""}`,
  );
  const text = `Dear ${facts.firstName},

${sentence}

${factsText(facts)}
${stillActive ? `\n${manageText(facts)}\n` : ""}`;
  return { subject, html, text };
}
