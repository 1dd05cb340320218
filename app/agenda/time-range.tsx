import type { ClockReading } from "./agenda-view.server";

/**
 * A time range as read in one zone, "09:00–10:30 Bangkok time", each end in `<time datetime>` with
 * its UTC instant; `withDate` puts the day before the start, `zoneClass` wraps the zone's name.
 */
export function TimeRange({
  reading,
  startsAt,
  endsAt,
  withDate,
  zoneClass,
}: {
  reading: ClockReading;
  startsAt: string;
  endsAt: string;
  withDate: boolean;
  zoneClass?: string;
}) {
  return (
    <>
      <time dateTime={startsAt}>{withDate ? `${reading.date}, ${reading.start}` : reading.start}</time>–
      <time dateTime={endsAt}>{reading.end}</time> {zoneClass ? <span className={zoneClass}>{reading.zoneName}</span> : reading.zoneName}
    </>
  );
}
