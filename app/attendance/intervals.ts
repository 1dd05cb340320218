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

/** Whole minutes covered by the intervals, overlaps counted once (rounded down, as the platforms do). */
export function coveredMinutes(intervals: readonly Interval[]): number {
  const ms = mergeIntervals(intervals).reduce((sum, i) => sum + (i.end.getTime() - i.start.getTime()), 0);
  return Math.floor(ms / 60_000);
}

/** Whole minutes of `window` the intervals cover, overlaps counted once. */
export function minutesWithin(intervals: readonly Interval[], window: Interval): number {
  const clipped = intervals.map((i) => ({
    start: i.start > window.start ? i.start : window.start,
    end: i.end < window.end ? i.end : window.end,
  }));
  return coveredMinutes(clipped);
}

/** Whether the intervals cover at least `percent` of `window`: the meeting's rule for attending online. */
export function attendedOnline(intervals: readonly Interval[], window: Interval, percent: number): boolean {
  const windowMinutes = (window.end.getTime() - window.start.getTime()) / 60_000;
  if (windowMinutes <= 0) return false;
  const present = mergeIntervals(intervals).reduce((sum, i) => {
    const start = Math.max(i.start.getTime(), window.start.getTime());
    const end = Math.min(i.end.getTime(), window.end.getTime());
    return sum + Math.max(0, end - start);
  }, 0);
  return present / 60_000 >= (windowMinutes * percent) / 100 && present > 0;
}
