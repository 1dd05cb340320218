import type { Kysely } from "kysely";
import type { Database, Meeting } from "../../db/schema";
import { type ParticipationFigures, publicParticipation, showsParticipation } from "./attendance-report.server";

/**
 * The participation figures a past meeting's public page shows, kept for a minute per meeting:
 * they come from the whole attendance report (every registration, check-in and online stretch),
 * which anonymous visitors must not be able to have rebuilt on every page view. Turning the
 * figures off hides them at once, since that is read from the meeting's row each time.
 */

const KEEP_MS = 60_000;
const MAX_MEETINGS = 1_000;
const kept = new Map<number, { until: number; figures: ParticipationFigures | null }>();

export async function publicFigures(
  db: Kysely<Database>,
  meeting: Parameters<typeof publicParticipation>[1] & Pick<Meeting, "id">,
  now: Date = new Date(),
): Promise<ParticipationFigures | null> {
  if (!showsParticipation(meeting, now)) return null;
  const entry = kept.get(meeting.id);
  if (entry && entry.until > now.getTime()) return entry.figures;
  const figures = await publicParticipation(db, meeting, now);
  if (kept.size >= MAX_MEETINGS) kept.clear();
  kept.set(meeting.id, { until: now.getTime() + KEEP_MS, figures });
  return figures;
}
