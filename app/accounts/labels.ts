import type { MeetingRole } from "../../db/schema";

export const MEETING_ROLE_LABELS: Record<MeetingRole, string> = {
  manager: "Manager",
  check_in: "Check-in staff",
};

/** What each role may do, said once where roles are granted. */
export const MEETING_ROLE_HINTS: Record<MeetingRole, string> = {
  manager: "manages everything about this meeting, and its team",
  check_in: "uses the check-in desk only: finds people, checks them in, prints their badges",
};
