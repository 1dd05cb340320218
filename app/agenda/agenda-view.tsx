import { Form, Link, useLocation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { zoneCity, zoneOffsetLabel } from "~/lib/time";
import { normaliseTimeZone } from "~/lib/timezones";
import { AddToCalendarLinks } from "~/calendar/calendar-buttons";
import type { CalendarEventLink } from "~/calendar/calendar-links";
import type { AgendaDocument } from "~/documents/documents.server";
import type { AgendaCard, AgendaDay, AgendaView, CardReading } from "./agenda-view.server";
import { AGENDA_KIND_LABELS } from "./labels";
import { TimeRange } from "./time-range";

/** The public agenda's parts. Every string comes computed from the server, in the zone asked for. */

/** Stars are offered to signed-in people (their starred ids) and not to visitors (null). */
type Starred = number[] | null;

/** The meeting's calendar (its .ics address and the meeting as an event), from which each item's own links are made. */
export interface MeetingCalendar {
  icsUrl: string;
  event: CalendarEventLink;
}

/** What every item card needs besides itself: the reader's stars, the meeting's calendar and the papers by item id. */
interface AgendaContext {
  starred: Starred;
  calendar: MeetingCalendar;
  documents: Record<string, AgendaDocument[]>;
}

/** The zones' names, said once for the agenda and by every card's times. */
interface ZoneLabels {
  zoneLabel: string;
  meetingZoneLabel: string;
}

function ItemDocuments({ documents }: { documents: AgendaDocument[] | undefined }) {
  if (!documents?.length) return null;
  return (
    <ul className="agenda-documents" aria-label="Documents">
      {documents.map((document) => (
        <li key={document.id}>
          {document.label}:{" "}
          {document.downloads.map((download, index) => (
            <span key={download.language}>
              {index > 0 && ", "}
              <a href={download.href}>{download.language}</a>
            </span>
          ))}
        </li>
      ))}
    </ul>
  );
}

/**
 * "Add to calendar" for one item: its .ics, its feed, and Google Calendar and Outlook.com
 * prefilled. Their addresses repeat the titles, the place and the times at length (a kilobyte an
 * item), so only the .ics, which every calendar takes, is in the page; the others are made in the
 * browser when the menu is first opened.
 */
function ItemCalendarLinks({ card, calendar }: { card: AgendaCard; calendar: MeetingCalendar }) {
  return (
    <AddToCalendarLinks
      icsUrl={`${calendar.icsUrl}?item=${card.id}`}
      event={() => itemEvent(card, calendar)}
      label={`Add to calendar: ${card.title}`}
      className="calendar-links no-print"
    />
  );
}

function itemEvent(card: AgendaCard, calendar: MeetingCalendar): CalendarEventLink {
  return {
    title: `${card.title} (${calendar.event.title})`,
    details: `${calendar.icsUrl.replace(/\/calendar\.ics$/, "")}/agenda#item-${card.id}`,
    location: [card.room, calendar.event.location].filter(Boolean).join(", "),
    when: { startsAt: card.startsAt, endsAt: card.endsAt },
  };
}

function CardTimes({ reading, zoneName, card }: { reading: CardReading; zoneName: string; card: AgendaCard }) {
  return (
    <TimeRange
      reading={{ zoneName, date: reading.date ?? "", start: reading.start, end: reading.end }}
      startsAt={card.startsAt}
      endsAt={card.endsAt}
      withDate={reading.date !== undefined}
      zoneClass="agenda-zone-name"
    />
  );
}

function ItemTimes({ card, zones }: { card: AgendaCard; zones: ZoneLabels }) {
  return (
    <div className={card.meeting ? "agenda-times two" : "agenda-times"}>
      <p>
        <CardTimes reading={card.shown} zoneName={zones.zoneLabel} card={card} />
      </p>
      {card.meeting && (
        <p className="agenda-meeting-time">
          <CardTimes reading={card.meeting} zoneName={zones.meetingZoneLabel} card={card} /> <span className="muted">(meeting time)</span>
        </p>
      )}
    </div>
  );
}

function StarButton({ card, starred }: { card: AgendaCard; starred: boolean }) {
  const label = starred ? "Remove from my agenda" : "Add to my agenda";
  return (
    <Form method="post" preventScrollReset className="agenda-star no-print">
      <input type="hidden" name="item" value={card.id} />
      <button
        type="submit"
        name="intent"
        value={starred ? "unstar" : "star"}
        aria-label={`${label}: ${card.title}`}
        className={starred ? "button small" : "button small secondary"}
      >
        <span aria-hidden="true">{starred ? "★ " : "☆ "}</span>
        {label}
      </button>
    </Form>
  );
}

function ItemCard({ card, level, context }: { card: AgendaCard; level: 3 | 4; context: AgendaContext & ZoneLabels }) {
  const { starred, calendar } = context;
  const Heading = level === 3 ? "h3" : "h4";
  return (
    <article className={`agenda-item kind-${card.kind}`} id={`item-${card.id}`} aria-labelledby={`item-${card.id}-title`}>
      <ItemTimes card={card} zones={context} />
      <span className="tag">{AGENDA_KIND_LABELS[card.kind]}</span>
      <Heading id={`item-${card.id}-title`}>{card.title}</Heading>
      {card.room && <p className="agenda-room">{`Room: ${card.room}`}</p>}
      {card.people && (
        <dl className="agenda-people">
          {card.people.map((group) => (
            <div key={group.label}>
              <dt>{group.label}</dt>
              {group.people.map((person, index) => (
                <dd key={index}>
                  {person.name}
                  {person.affiliation && <span className="muted">{`, ${person.affiliation}`}</span>}
                </dd>
              ))}
            </div>
          ))}
        </dl>
      )}
      {card.descriptionHtml && <div className="prose agenda-description" dangerouslySetInnerHTML={{ __html: card.descriptionHtml }} />}
      <ItemDocuments documents={context.documents[card.id]} />
      {card.parts && (
        <ol className="agenda-parts" aria-label={`Within ${card.title}`}>
          {card.parts.map((part) => (
            <li key={part.id}>
              <ItemCard card={part} level={4} context={context} />
            </li>
          ))}
        </ol>
      )}
      {starred && <StarButton card={card} starred={starred.includes(card.id)} />}
      <ItemCalendarLinks card={card} calendar={calendar} />
    </article>
  );
}

function Day({ day, context }: { day: AgendaDay; context: AgendaContext & ZoneLabels }) {
  return (
    <section className="agenda-day" aria-labelledby={`day-${day.date}`}>
      <h2 id={`day-${day.date}`}>
        <time dateTime={day.date}>{day.label}</time>
      </h2>
      {day.clockChange && <p className="notice">{day.clockChange}</p>}
      <ol className="agenda-slots">
        {day.slots.map((slot) => (
          <li key={slot.lanes[0]![0]!.id} className={slot.lanes.length > 1 ? "agenda-slot parallel" : "agenda-slot"}>
            {slot.lanes.length > 1 ? (
              <ul className="agenda-lanes" aria-label="At the same time">
                {slot.lanes.map((lane) => (
                  <li key={lane[0]!.id} className="agenda-lane">
                    {lane.map((card) => (
                      <ItemCard key={card.id} card={card} level={3} context={context} />
                    ))}
                  </li>
                ))}
              </ul>
            ) : (
              slot.lanes[0]!.map((card) => <ItemCard key={card.id} card={card} level={3} context={context} />)
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function AgendaDays({ agenda, ...rest }: { agenda: AgendaView } & AgendaContext) {
  const context = { ...rest, zoneLabel: agenda.zoneLabel, meetingZoneLabel: agenda.meetingZoneLabel };
  return (
    <div className="agenda">
      {agenda.days.map((day) => (
        <Day key={day.date} day={day} context={context} />
      ))}
    </div>
  );
}

/** Which zone the times are in, said at the top, with a notice when it is not the meeting's own. */
export function AgendaZoneLine({ agenda, unknownZone }: { agenda: AgendaView; unknownZone: string | null }) {
  const { pathname } = useLocation();
  const browserZone = useBrowserZone();
  // People miss that the times are not theirs: said at the top once the browser tells its zone.
  const notYours = browserZone !== null && zoneOffsetLabel(browserZone) !== zoneOffsetLabel(agenda.zone);
  return (
    <>
      {notYours && (
        <p className="notice agenda-your-zone no-print">
          <strong>
            These times are {agenda.zoneName}; your clock ({zoneCity(browserZone)}, {zoneOffsetLabel(browserZone)}) differs.
          </strong>{" "}
          <Link to={zoneHref(browserZone, true)}>Show them in your time as well</Link>
        </p>
      )}
      {unknownZone && (
        <p className="notice" role="alert">
          “{unknownZone}” is not a time zone we know, so the times are in the meeting's own {agenda.meetingZoneName}. Choose a
          zone by its Area/City name, e.g. Europe/Zurich.
        </p>
      )}
      {agenda.zoneDiffers && (
        <p className="notice agenda-zone-notice">
          <strong>
            These times are in {agenda.zoneName}, not the meeting's own {agenda.meetingZoneName}.
          </strong>{" "}
          Where the date differs between the two, both dates are shown. <Link to={pathname}>Show meeting time</Link>
        </p>
      )}
      <p className="agenda-zone-line">
        <strong>
          {agenda.both
            ? `Times in ${agenda.zoneName}, with the meeting's ${agenda.meetingZoneName} beside them`
            : `All times ${agenda.zoneName}`}
        </strong>
      </p>
    </>
  );
}

/** The browser's own zone, known only after hydration (so the server's page never depends on it). */
function useBrowserZone(): string | null {
  const [zone, setZone] = useState<string | null>(null);
  useEffect(() => setZone(normaliseTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone ?? "")), []);
  return zone;
}

function zoneHref(zone: string, both: boolean): string {
  return `?${new URLSearchParams(both ? { tz: zone, view: "both" } : { tz: zone })}`;
}

/** A GET form: works without JavaScript; with it, the browser's zone is offered in one click. */
export function ZonePicker({ agenda, timezones }: { agenda: AgendaView; timezones: string[] }) {
  const { pathname } = useLocation();
  const browserZone = useBrowserZone();
  return (
    <Form method="get" className="zone-picker no-print" aria-label="Time zone">
      <div className="field">
        <label htmlFor="agenda-tz">Show the times in</label>
        <span className="hint" id="agenda-tz-hint">
          Type a city or an Area/City zone, e.g. Europe/Zurich
        </span>
        <input
          key={agenda.zone}
          id="agenda-tz"
          name="tz"
          list="agenda-timezones"
          defaultValue={agenda.zone}
          autoComplete="off"
          spellCheck={false}
          aria-describedby="agenda-tz-hint"
        />
        <datalist id="agenda-timezones">
          {timezones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </div>
      <label className="checkbox">
        <input type="checkbox" name="view" value="both" defaultChecked={agenda.both} key={String(agenda.both)} />
        Show meeting time beside it
      </label>
      <button type="submit" className="button">
        Show times
      </button>
      <p className="zone-links">
        {browserZone && browserZone !== agenda.zone && (
          <Link to={zoneHref(browserZone, agenda.both)}>Use my time zone ({browserZone})</Link>
        )}
        {agenda.zoneDiffers && <Link to={pathname}>Back to meeting time ({agenda.meetingZone})</Link>}
      </p>
    </Form>
  );
}
