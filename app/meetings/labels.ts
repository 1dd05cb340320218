import type { MeetingKind, MeetingMode, MeetingStatus, RegistrationPolicy } from "../../db/schema";

export const KIND_LABELS: Record<MeetingKind, string> = {
  expert_group_meeting: "Expert group meeting",
  workshop: "Workshop",
  ministerial_conference: "Ministerial conference",
  webinar: "Webinar",
};

export const MODE_LABELS: Record<MeetingMode, string> = {
  in_person: "In person",
  online: "Online",
  hybrid: "Hybrid (in person and online)",
};

export const STATUS_LABELS: Record<MeetingStatus, string> = {
  draft: "Draft",
  published: "Published",
  cancelled: "Cancelled",
};

export const POLICY_LABELS: Record<RegistrationPolicy, string> = {
  open: "Open: confirmed at once while places remain",
  moderated: "Moderated: an organiser decides",
  invitation: "By invitation only",
};
