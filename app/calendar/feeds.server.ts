import { createHash } from "node:crypto";
import ical, { type ICalCalendar, ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { DateTime } from "luxon";
import type { Kysely, Transaction } from "kysely";
import type { Database, EmailAttachment, Meeting } from "../../db/schema";
import { type CalendarAgendaItem, listCalendarAgendaItems } from "~/agenda/agenda-calendar.server";
import { clientHolds } from "~/lib/conditional-requests.server";
import type { HeaderReader, PlainAnswer } from "~/lib/plain-answer.server";
import { feedCache } from "./feed-cache.server";
import type { CalendarEventLink } from "./calendar-links";
import { AGENDA_ROLE_LABELS, AGENDA_ROLE_PLURALS } from "~/agenda/labels";
import { markdownToText } from "~/lib/markdown.server";
import { meetingPlace } from "~/meetings/meeting-place.server";
import { appUrl } from "~/settings.server";

/**
 * iCalendar feeds. Every DATE-TIME is UTC (no floating times, no VTIMEZONE to go stale); all-day
 * spans are built from the meeting's own days. UIDs come from database ids; DTSTAMP and
 * LAST-MODIFIED are the data's last change, so unchanged data renders byte for byte the same.
 */

export interface CalendarContent {
  name: string;
  /** X-WR-TIMEZONE: the zone clients should show the feed in. */
  timezone: string;
  meetings: Meeting[];
  items: CalendarAgendaItem[];
  /** Meetings whose online joining link the feed may carry: a person's own feed, for what they are confirmed for. Public feeds never do. */
  joiningLinkFor?: ReadonlySet<number>;
  /** Leave out the meetings' all-day spans (a feed of starred items only). */
  itemsOnly?: boolean;
}

/** A calendar `DATE` for a meeting day: midnight UTC, which ical-generator writes as that same day wherever the server runs. */
function calendarDay(day: string, plusDays = 0): Date {
  return DateTime.fromISO(day, { zone: "UTC" }).plus({ days: plusDays }).toJSDate();
}

/** "Chair: Ms A (Ministry of ICT)" or "Panellists: A (X); B (Y)", one line per role. */
function peopleLines(people: CalendarAgendaItem["people"]): string[] {
  const roles = [...new Set(people.map((person) => person.role))];
  return roles.map((role) => {
    const names = people
      .filter((person) => person.role === role)
      .map((person) => (person.affiliation ? `${person.name} (${person.affiliation})` : person.name));
    return `${names.length > 1 ? AGENDA_ROLE_PLURALS[role] : AGENDA_ROLE_LABELS[role]}: ${names.join("; ")}`;
  });
}

function joiningLine(meeting: Meeting, joinable: ReadonlySet<number> | undefined): string | null {
  return joinable?.has(meeting.id) && meeting.mode !== "in_person" && meeting.online_url ? `Join online: ${meeting.online_url}` : null;
}

function later(a: Date, b: Date | null): Date {
  return b && b > a ? b : a;
}

function meetingUid(meetingId: number): string {
  return `meeting-${meetingId}@${new URL(appUrl()).host}`;
}

function agendaItemUid(meetingId: number, itemId: number): string {
  return `meeting-${meetingId}-item-${itemId}@${new URL(appUrl()).host}`;
}

export function renderCalendar(content: CalendarContent): string {
  const host = new URL(appUrl()).host;
  const calendar = ical({
    name: content.name,
    prodId: { company: host, product: "Meetings", language: "EN" },
    method: ICalCalendarMethod.PUBLISH,
    scale: "gregorian",
    ttl: 60 * 60,
    x: [{ key: "X-WR-TIMEZONE", value: content.timezone }],
  });
  const meetingsById = new Map(content.meetings.map((meeting) => [meeting.id, meeting]));
  if (!content.itemsOnly) {
    for (const meeting of content.meetings) {
      const url = `${appUrl()}/meetings/${meeting.slug}`;
      const cancelled = meeting.status === "cancelled";
      calendar.createEvent({
        id: meetingUid(meeting.id),
        allDay: true,
        start: calendarDay(meeting.starts_on),
        end: calendarDay(meeting.ends_on, 1),
        summary: cancelled ? `Cancelled: ${meeting.title}` : meeting.title,
        description: [meeting.summary, joiningLine(meeting, content.joiningLinkFor), url].filter(Boolean).join("\n\n"),
        location: meetingPlace(meeting),
        url,
        status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
        sequence: meeting.calendar_sequence,
        stamp: meeting.updated_at,
        lastModified: meeting.updated_at,
      });
    }
  }
  for (const item of content.items) {
    const meeting = meetingsById.get(item.meetingId);
    if (!meeting) continue;
    const url = `${appUrl()}/meetings/${meeting.slug}/agenda#item-${item.id}`;
    const cancelled = meeting.status === "cancelled" || item.deletedAt !== null;
    const changed = later(item.updatedAt, meeting.updated_at);
    calendar.createEvent({
      id: agendaItemUid(meeting.id, item.id),
      start: item.startsAt,
      end: item.endsAt,
      summary: `${cancelled ? "Cancelled: " : ""}${item.title} (${meeting.title})`,
      description: [markdownToText(item.description), peopleLines(item.people).join("\n"), joiningLine(meeting, content.joiningLinkFor), url]
        .filter(Boolean)
        .join("\n\n"),
      location: meetingPlace(meeting, item.roomName),
      url,
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      // Both only grow, so their sum grows when either the item or its meeting changes.
      sequence: item.sequence + meeting.calendar_sequence,
      stamp: changed,
      lastModified: changed,
    });
  }
  return withFoldedEvents(calendar);
}

/** UTF-8 length of one code point, without encoding it. */
function octets(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

/** RFC 5545 folding: lines of at most 75 octets, continued after CRLF and a space, never inside a character. */
function foldLine(line: string): string {
  if (Buffer.byteLength(line) <= 75) return line;
  let folded = "";
  let length = 0;
  for (const char of line) {
    const size = octets(char);
    if (length + size > 75) {
      folded += "\r\n ";
      length = 1;
    }
    folded += char;
    length += size;
  }
  return folded;
}

/**
 * The calendar's text. ical-generator folds the whole text one character at a time with a new
 * encoder for each (seconds for a feed of a thousand meetings): it writes the calendar's own lines,
 * and each event, unfolded by ical-generator, is folded here, line by line.
 */
function withFoldedEvents(calendar: ICalCalendar): string {
  const events = calendar.events();
  calendar.clear();
  const shell = calendar.toString();
  const end = shell.lastIndexOf("END:VCALENDAR");
  const body = events.map((event) => event.toString().split("\r\n").map(foldLine).join("\r\n")).join("");
  return shell.slice(0, end) + body + shell.slice(end);
}

/** What the meeting page's "Add to calendar" links need: the .ics address and the event to prefill. */
export function meetingCalendarLinks(meeting: Meeting): { icsUrl: string; event: CalendarEventLink } {
  const url = `${appUrl()}/meetings/${meeting.slug}`;
  return {
    icsUrl: `${url}/calendar.ics`,
    event: {
      title: meeting.title,
      details: [meeting.summary, url].filter(Boolean).join("\n\n"),
      location: meetingPlace(meeting),
      when: { firstDay: meeting.starts_on, lastDay: meeting.ends_on },
    },
  };
}

/**
 * The meeting and its agenda as an .ics file for an email (public content: no joining link): the
 * meeting's public feed, from the feed cache, so a burst of confirmations renders it once.
 */
export async function meetingCalendarAttachment(db: Kysely<Database> | Transaction<Database>, meeting: Meeting): Promise<EmailAttachment> {
  const key = meetingFeedKey(meeting.id, null, meetingFeedVersion(meeting, null));
  const body = await feedCache.body(key, async () => {
    const items = await listCalendarAgendaItems(db, [meeting.id]);
    return renderCalendar({ name: meeting.title, timezone: meeting.timezone, meetings: [meeting], items });
  });
  return icsAttachment(`${meeting.slug}.ics`, body);
}

/** A calendar as an email's attachment. */
export function icsAttachment(filename: string, ics: string | Uint8Array): EmailAttachment {
  const bytes = typeof ics === "string" ? Buffer.from(ics, "utf8") : Buffer.from(ics.buffer, ics.byteOffset, ics.byteLength);
  return { filename, contentType: "text/calendar; charset=utf-8; method=PUBLISH", contentBase64: bytes.toString("base64") };
}

/** Where the feed cache keeps a meeting's feed (all of it, or one item's) at this version. */
export function meetingFeedKey(meetingId: number, itemId: number | null, version: FeedVersion): string {
  return `meeting:${meetingId}:${itemId ?? "all"}:${version.etag}`;
}

/** The version of a meeting's feed (or of one item's, with `itemId`): its row and its agenda's last change. */
export function meetingFeedVersion(meeting: Meeting, itemId: number | null): FeedVersion {
  return feedVersion(later(meeting.updated_at, meeting.agenda_updated_at), meeting.id, meeting.calendar_sequence, itemId);
}

/**
 * The oldest end a meeting in a feed may have: feeds keep the last twelve months and everything
 * ahead, so that what they send stays the same size however many years of meetings a body, or a
 * delegate, has. From the start of the UTC day, as feeds' versions change with that day.
 */
export function feedWindowStart(now: Date = new Date()): Date {
  return DateTime.fromJSDate(now, { zone: "UTC" }).startOf("day").minus({ months: 12 }).toJSDate();
}

/** What identifies a feed's current content without rendering it: its ETag and Last-Modified. */
export interface FeedVersion {
  etag: string;
  lastModified: Date;
}

/**
 * The version of a feed whose data last changed then and that the parts (filters, ids) pick out.
 * It also changes with the day: feeds drop deleted items after 30 days and meetings after 12
 * months, changes no row records.
 */
export function feedVersion(lastChange: Date, ...parts: (string | number | null)[]): FeedVersion {
  const digest = createHash("sha256")
    .update(JSON.stringify([lastChange.toISOString(), new Date().toISOString().slice(0, 10), ...parts]))
    .digest("base64url")
    .slice(0, 27);
  // HTTP dates have whole seconds (and Last-Modified is never in the future); the ETag tells changes within a second apart.
  return { etag: `"${digest}"`, lastModified: new Date(Math.floor(lastChange.getTime() / 1000) * 1000) };
}

function feedHeaders(version: FeedVersion, audience: "public" | "private"): Record<string, string> {
  return {
    ETag: version.etag,
    "Last-Modified": version.lastModified.toUTCString(),
    "Cache-Control": audience === "public" ? "public, max-age=300" : "private, max-age=300",
    ...(audience === "private" ? { "Referrer-Policy": "no-referrer" } : {}),
  };
}

/** 304 when the client already has this version (If-None-Match first, else If-Modified-Since). */
export function notModified(requestHeaders: HeaderReader, version: FeedVersion, audience: "public" | "private"): PlainAnswer | null {
  return clientHolds(requestHeaders, version) ? { status: 304, headers: feedHeaders(version, audience), body: [] } : null;
}

/** Feeds are served uncompressed and inline, 200 to any Accept: Google rejects attachments, Outlook has failed on compressed feeds. */
export function calendarAnswer(bytes: Uint8Array, filename: string, version: FeedVersion, audience: "public" | "private"): PlainAnswer {
  return {
    status: 200,
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `inline; filename="${filename}"`,
      ...feedHeaders(version, audience),
    },
    body: [bytes],
  };
}
