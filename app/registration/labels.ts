import type { AttendanceMode, Gender, ParticipantCategory, QuestionKind, RegistrationStatus } from "../../db/schema";

export const REGISTRATION_STATUS_LABELS: Record<RegistrationStatus, string> = {
  pending: "Pending",
  confirmed: "Confirmed",
  waitlisted: "Waiting list",
  declined: "Declined",
  cancelled: "Cancelled",
};

export const CATEGORY_LABELS: Record<ParticipantCategory, string> = {
  government: "Government",
  international_organization: "International organization",
  expert: "Expert (in personal capacity)",
  civil_society: "Civil society",
  private_sector: "Private sector",
  academia: "Academia",
  media: "Media",
  secretariat: "Secretariat",
};

export const GENDER_LABELS: Record<Gender, string> = {
  female: "Female",
  male: "Male",
  other: "Other",
  undisclosed: "Prefer not to say",
};

export const ATTENDANCE_MODE_LABELS: Record<AttendanceMode, string> = {
  in_person: "In person",
  online: "Online",
};

export const QUESTION_KIND_LABELS: Record<QuestionKind, string> = {
  short_text: "Short text",
  long_text: "Long text",
  single_choice: "Single choice",
  multiple_choice: "Multiple choice",
  yes_no: "Yes / no",
};

export const SALUTATIONS = ["Ms", "Mr", "Mx", "Dr", "Prof.", "H.E."] as const;
