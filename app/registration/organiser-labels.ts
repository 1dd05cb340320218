/** Labels the organisers' invitation and travel pages show; shared by server and browser (the *.server modules are empty in the browser). */

export type InvitationStatus = "active" | "used_up" | "revoked";

export const INVITATION_STATUS_LABELS: Record<InvitationStatus, string> = {
  active: "Active",
  used_up: "Used up",
  revoked: "Revoked",
};

export type FundingDecision = "granted" | "not_granted";

export const FUNDING_DECISION_LABELS: Record<FundingDecision | "undecided", string> = {
  granted: "Granted",
  not_granted: "Not granted",
  undecided: "Not decided yet",
};
