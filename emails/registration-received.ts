import { type EmailContent, emailHtml, escapeHtml } from "./layout";
import { type RegistrationFacts, STATUS_SENTENCES, factsHtml, factsText, manageHtml, manageText } from "./registration-facts";

/** Sent when someone registers: what happens next depends on the status they got. */
export function registrationReceivedEmail(
  facts: RegistrationFacts & { status: "confirmed" | "waitlisted" | "pending" },
): EmailContent {
  const subject = `${facts.status === "confirmed" ? "Registration confirmed" : facts.status === "waitlisted" ? "On the waiting list" : "Registration received"}: ${facts.meetingTitle}`;
  const html = emailHtml(
    subject,
    `<p>Dear ${escapeHtml(facts.firstName)},</p>
<p>Thank you for registering. ${escapeHtml(STATUS_SENTENCES[facts.status])}</p>
${factsHtml(facts)}
${manageHtml(facts)}`,
  );
  const text = `Dear ${facts.firstName},

Thank you for registering. ${STATUS_SENTENCES[facts.status]}

${factsText(facts)}

${manageText(facts)}
`;
  return { subject, html, text };
}
