import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { PAUSE_KINDS } from "~/agenda/labels";
import { listAgendaItems } from "~/agenda/agenda.server";
import { dayBounds, formatDay, formatInstantForPerson, isoInstant } from "~/lib/time";
import { findPublicMeeting } from "~/meetings/meetings.server";
import { fullName } from "~/registration/registration-console.server";
import { REGISTRATION_STATUS_LABELS } from "~/registration/labels";
import { type MeetingDay, meetingProgramme, recipientZone } from "./attendance-reminders.server";
import { registrationOfSelfCheckIn } from "./check-in-reference.server";
import { type AttendanceTarget, checkIn } from "./check-ins.server";

/**
 * Online participants record their own attendance by opening the link in the day's reminder
 * during a session: from 15 minutes before an agenda item starts until it ends, or, on a day
 * without items, during that meeting day in the meeting's zone. Breaks and lunches are not
 * attended, and talks within a panel are attended as the panel.
 */

const OPENS_BEFORE_MS = 15 * 60 * 1000;

/** When a day or an item can be checked in to. */
interface CheckInWindow {
  target: AttendanceTarget;
  title: string;
  startsAt: Date;
  opensAt: Date;
  closesAt: Date;
}

function dayTitle(day: string): string {
  return `the meeting day of ${formatDay(day, "long")}`;
}

/** Every window of the meeting, by opening time. */
export function checkInWindows(days: MeetingDay[], meetingZone: string): CheckInWindow[] {
  return days
    .flatMap((day): CheckInWindow[] => {
      const sessions = day.items.filter((item) => !PAUSE_KINDS.includes(item.kind) && !day.items.some((parent) => parent.id === item.parentId));
      if (sessions.length === 0) {
        const bounds = dayBounds(day.day, meetingZone);
        return [{ target: { day: day.day }, title: dayTitle(day.day), startsAt: bounds.startsAt, opensAt: bounds.startsAt, closesAt: bounds.endsAt }];
      }
      return sessions.map((item) => ({
        target: { agendaItemId: item.id },
        title: item.title,
        startsAt: item.startsAt,
        opensAt: new Date(item.startsAt.getTime() - OPENS_BEFORE_MS),
        closesAt: item.endsAt,
      }));
    })
    .sort((a, b) => a.opensAt.getTime() - b.opensAt.getTime());
}

/** The windows open at `now`: those under way when any is (a session ending beats the next one opening), else those about to start. */
export function openWindows(windows: CheckInWindow[], now: Date): CheckInWindow[] {
  const open = windows.filter((window) => window.opensAt.getTime() <= now.getTime() && now.getTime() < window.closesAt.getTime());
  const underway = open.filter((window) => window.startsAt.getTime() <= now.getTime());
  return underway.length > 0 ? underway : open;
}

function itemIdOf(window: CheckInWindow): number | null {
  return "agendaItemId" in window.target ? window.target.agendaItemId : null;
}

/** The next window to open: its title, and when it opens as the person reads it and as a UTC instant for `<time>`. */
export interface NextWindow {
  title: string;
  opensAt: string;
  opensAtIso: string;
}

export type SelfCheckInPage = { meetingTitle: string; meetingSlug: string } & (
  | { kind: "cancelled" }
  | { kind: "turned-off" }
  | { kind: "not-confirmed"; message: string }
  /** A link scanner, a HEAD request: nothing recorded, the person may record with a button. */
  | { kind: "ask" }
  | { kind: "recorded"; created: boolean; name: string; what: string; recordedAt: string; next: NextWindow | null }
  | { kind: "choose"; options: { id: number; title: string; startsAt: string }[] }
  | { kind: "closed"; next: NextWindow | null }
);

/**
 * What opening the self check-in link does at `now`: records the attendance when one window is
 * open (or the one chosen among parallel sessions), otherwise says why not. `record: false`
 * records nothing (a link scanner). Undefined when the link is unknown, retired or not the meeting's.
 */
export async function openSelfCheckIn(
  db: Kysely<Database>,
  input: { slug: string; token: string; record: boolean; itemId?: number; now?: Date },
): Promise<SelfCheckInPage | undefined> {
  const now = input.now ?? new Date();
  const meeting = await findPublicMeeting(db, input.slug);
  if (!meeting) return undefined;
  const registration = await registrationOfSelfCheckIn(db, meeting.id, input.token);
  if (!registration) return undefined;
  const about = { meetingTitle: meeting.title, meetingSlug: meeting.slug };
  if (meeting.status === "cancelled") return { ...about, kind: "cancelled" };
  if (!meeting.self_check_in) return { ...about, kind: "turned-off" };
  if (registration.status !== "confirmed") {
    const status = REGISTRATION_STATUS_LABELS[registration.status].toLowerCase();
    return { ...about, kind: "not-confirmed", message: `Your registration is not confirmed (${status}): only confirmed participants can record their attendance. Please contact the organisers.` };
  }
  if (!input.record) return { ...about, kind: "ask" };

  const zone = recipientZone(registration.timezone, registration.account_timezone, meeting.timezone);
  const when = (at: Date) => formatInstantForPerson(at, meeting.timezone, zone);
  const windows = checkInWindows(meetingProgramme(meeting, await listAgendaItems(db, meeting.id)), meeting.timezone);
  const open = openWindows(windows, now);
  const following = (after: Date): NextWindow | null => {
    const next = windows.find((window) => window.opensAt.getTime() > after.getTime());
    return next ? { title: next.title, opensAt: when(next.opensAt), opensAtIso: isoInstant(next.opensAt) } : null;
  };

  const chosen = input.itemId === undefined ? (open.length === 1 ? open[0] : undefined) : open.find((window) => itemIdOf(window) === input.itemId);
  if (!chosen) {
    const options = open.flatMap((window) => {
      const id = itemIdOf(window);
      return id === null ? [] : [{ id, title: window.title, startsAt: when(window.startsAt) }];
    });
    return options.length > 0 ? { ...about, kind: "choose", options } : { ...about, kind: "closed", next: following(now) };
  }
  const outcome = await checkIn(db, { meetingId: meeting.id, registrationId: registration.id, target: chosen.target, mode: "online", method: "self", by: null, at: now });
  if (!outcome.ok) return { ...about, kind: "not-confirmed", message: outcome.message };
  return {
    ...about,
    kind: "recorded",
    created: outcome.created,
    name: fullName(registration),
    what: chosen.title,
    recordedAt: when(outcome.checkIn.recorded_at),
    next: following(now),
  };
}
