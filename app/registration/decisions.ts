import type { RegistrationStatus } from "../../db/schema";

/** The statuses an organiser sets on a registration (pending is where registrations start, not a decision). */
export const DECISIONS = ["confirmed", "declined", "waitlisted", "cancelled"] as const satisfies readonly RegistrationStatus[];
export type Decision = (typeof DECISIONS)[number];

/** The button's word for each decision. */
export const DECISION_LABELS: Record<Decision, string> = {
  confirmed: "Confirm",
  declined: "Decline",
  waitlisted: "Waitlist",
  cancelled: "Cancel",
};

/** What a decision did, in the past tense. */
export const DECISION_DONE: Record<Decision, string> = {
  confirmed: "confirmed",
  declined: "declined",
  waitlisted: "put on the waiting list",
  cancelled: "cancelled",
};

/** The state a decision leaves a registration in: "already on the waiting list". */
export const DECISION_STATE: Record<Decision, string> = {
  confirmed: "confirmed",
  declined: "declined",
  waitlisted: "on the waiting list",
  cancelled: "cancelled",
};

function registrations(count: number): string {
  return count === 1 ? "1 registration" : `${count} registrations`;
}

/** "Confirm 7 registrations?" */
export function decisionQuestion(to: Decision, count: number): string {
  return to === "waitlisted" ? `Put ${registrations(count)} on the waiting list?` : `${DECISION_LABELS[to]} ${registrations(count)}?`;
}

/** "Yes, confirm 7 registrations" */
export function decisionButton(to: Decision, count: number): string {
  return to === "waitlisted"
    ? `Yes, put ${registrations(count)} on the waiting list`
    : `Yes, ${DECISION_LABELS[to].toLowerCase()} ${registrations(count)}`;
}
