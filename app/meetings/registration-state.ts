import type { RegistrationPolicy } from "../../db/schema";
import { formatInstant, isoInstant } from "~/lib/time";

/** The API's `registration` object (PRODUCT.md). Instants are ISO strings. */
export interface RegistrationState {
  policy: RegistrationPolicy;
  opensAt: string | null;
  closesAt: string | null;
  isOpen: boolean;
  capacity: number | null;
  confirmed: number;
  waitlisted: number;
  pending: number;
}

export interface RegistrationCounts {
  confirmed: number;
  waitlisted: number;
  pending: number;
}

interface MeetingRegistrationFields {
  status: string;
  ends_at: Date;
  registration_policy: RegistrationPolicy;
  registration_opens_at: Date | null;
  registration_closes_at: Date | null;
  capacity: number | null;
}

export function registrationState(
  meeting: MeetingRegistrationFields,
  counts: RegistrationCounts,
  now: Date = new Date(),
): RegistrationState {
  const opensAt = meeting.registration_opens_at;
  const closesAt = meeting.registration_closes_at;
  const isOpen =
    meeting.status === "published" &&
    now < meeting.ends_at &&
    (!opensAt || opensAt <= now) &&
    (!closesAt || now < closesAt);
  return {
    policy: meeting.registration_policy,
    opensAt: opensAt ? isoInstant(opensAt) : null,
    closesAt: closesAt ? isoInstant(closesAt) : null,
    isOpen,
    capacity: meeting.capacity,
    ...counts,
  };
}

/** One line for a person: "Registration open until Mon 30 Nov 2026, 17:00 Bangkok time". */
export function registrationLabel(state: RegistrationState, zone: string, now: Date = new Date()): string {
  if (!state.isOpen) {
    if (state.opensAt && new Date(state.opensAt) > now) return `Registration opens ${formatInstant(state.opensAt, zone)}`;
    return "Registration closed";
  }
  if (state.policy === "invitation") return "Registration by invitation";
  const full = state.capacity !== null && state.confirmed >= state.capacity;
  const base = full ? "Full: waiting list open" : state.policy === "moderated" ? "Registration open (subject to approval)" : "Registration open";
  return state.closesAt ? `${base} until ${formatInstant(state.closesAt, zone)}` : base;
}
