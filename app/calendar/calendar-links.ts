/**
 * Links that put a feed or an event into people's calendars: webcal:// to subscribe in Apple
 * Calendar and Outlook desktop, and the prefilled pages of Google Calendar and Outlook.com.
 * Pure, for server and browser.
 */

/** `https://host/calendar.ics` → `webcal://host/calendar.ics`. */
export function webcalUrl(feedUrl: string): string {
  return feedUrl.replace(/^https?:\/\//, "webcal://");
}

export function googleSubscribeUrl(feedUrl: string): string {
  return `https://calendar.google.com/calendar/render?${new URLSearchParams({ cid: webcalUrl(feedUrl) })}`;
}

export function outlookSubscribeUrl(feedUrl: string, name: string): string {
  return `https://outlook.live.com/calendar/0/addfromweb?${new URLSearchParams({ url: feedUrl, name })}`;
}

export interface CalendarEventLink {
  title: string;
  details: string;
  location: string;
  /** Timed: UTC instants as ISO strings. All-day: the meeting's first and last day, `YYYY-MM-DD`. */
  when: { startsAt: string; endsAt: string } | { firstDay: string; lastDay: string };
}

function compactUtc(iso: string): string {
  return new Date(iso).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function compactDay(day: string): string {
  return day.replaceAll("-", "");
}

/** The day after `YYYY-MM-DD`, computed on the calendar date alone (no zone can shift it). */
function nextDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

export function googleEventUrl(event: CalendarEventLink): string {
  const dates =
    "startsAt" in event.when
      ? `${compactUtc(event.when.startsAt)}/${compactUtc(event.when.endsAt)}`
      : `${compactDay(event.when.firstDay)}/${compactDay(nextDay(event.when.lastDay))}`;
  const query = new URLSearchParams({ action: "TEMPLATE", text: event.title, dates, details: event.details, location: event.location });
  return `https://calendar.google.com/calendar/render?${query}`;
}

export function outlookEventUrl(event: CalendarEventLink): string {
  const timed = "startsAt" in event.when;
  const query = new URLSearchParams({
    path: "/calendar/action/compose",
    rru: "addevent",
    subject: event.title,
    body: event.details,
    location: event.location,
    startdt: "startsAt" in event.when ? event.when.startsAt : event.when.firstDay,
    enddt: "startsAt" in event.when ? event.when.endsAt : nextDay(event.when.lastDay),
    allday: String(!timed),
  });
  return `https://outlook.live.com/calendar/0/deeplink/compose?${query}`;
}
