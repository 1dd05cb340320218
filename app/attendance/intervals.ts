/**
 * Time spent online, from the intervals webinar reports give. One person often appears on several
 * rows (they left and rejoined, or joined from two devices at once), so intervals are merged
 * before they are counted: overlapping time counts once.
 */
export interface Interval {
  start: Date;
  end: Date;
}

/** The intervals merged where they overlap or touch, in order. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start.getTime() - b.start.getTime());
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last && interval.start <= last.end) {
      if (interval.end > last.end) last.end = interval.end;
    } else {
      merged.push({ start: interval.start, end: interval.end });
    }
  }
  return merged;
}

/** Milliseconds covered by the intervals, overlaps counted once. */
function coveredMs(intervals: readonly Interval[]): number {
  return mergeIntervals(intervals).reduce((sum, i) => sum + (i.end.getTime() - i.start.getTime()), 0);
}

/** The intervals cut to the window. */
function within(intervals: readonly Interval[], window: Interval): Interval[] {
  return intervals.map((i) => ({ start: i.start > window.start ? i.start : window.start, end: i.end < window.end ? i.end : window.end }));
}

/** Whole minutes covered by the intervals, overlaps counted once (rounded down, as the platforms do). */
export function coveredMinutes(intervals: readonly Interval[]): number {
  return Math.floor(coveredMs(intervals) / 60_000);
}

/** Whether the intervals cover at least `percent` of `window` (and some of it): the meeting's rule for attending online. */
export function attendedOnline(intervals: readonly Interval[], window: Interval, percent: number): boolean {
  const windowMs = window.end.getTime() - window.start.getTime();
  if (windowMs <= 0) return false;
  const present = coveredMs(within(intervals, window));
  return present > 0 && present >= (windowMs * percent) / 100;
}
