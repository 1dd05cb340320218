import { useState } from "react";
import { type CalendarEventLink, googleEventUrl, googleSubscribeUrl, outlookEventUrl, outlookSubscribeUrl, webcalUrl } from "./calendar-links";

/** "Subscribe" to a feed: calendar apps keep it current. `feedUrl` is absolute. */
export function SubscribeLinks({ feedUrl, name, label = "Subscribe in your calendar" }: { feedUrl: string; name: string; label?: string }) {
  return (
    <details className="calendar-links">
      <summary>{label}</summary>
      <ul>
        <li>
          <a href={webcalUrl(feedUrl)}>Apple Calendar or Outlook (desktop)</a>
        </li>
        <li>
          <a href={googleSubscribeUrl(feedUrl)} rel="noopener noreferrer" target="_blank">
            Google Calendar
          </a>
        </li>
        <li>
          <a href={outlookSubscribeUrl(feedUrl, name)} rel="noopener noreferrer" target="_blank">
            Outlook.com
          </a>
        </li>
        <li>
          <label>
            Feed address <input type="url" readOnly value={feedUrl} onFocus={(event) => event.currentTarget.select()} />
          </label>
        </li>
      </ul>
    </details>
  );
}

/**
 * "Add to calendar" for one meeting or agenda item: download the .ics, or Google or Outlook.com
 * prefilled. Given `event` as a function, the provider links (long addresses) are made in the
 * browser when the menu is first opened, and only the .ics is in the page.
 */
export function AddToCalendarLinks({
  icsUrl,
  event,
  label = "Add to calendar",
  className = "calendar-links",
}: {
  icsUrl: string;
  event: CalendarEventLink | (() => CalendarEventLink);
  label?: string;
  className?: string;
}) {
  const [opened, setOpened] = useState(typeof event !== "function");
  return (
    <details className={className} onToggle={(toggle) => toggle.currentTarget.open && setOpened(true)}>
      <summary>{label}</summary>
      <ul>
        <li>
          <a href={icsUrl} download>
            Download .ics (Outlook, Apple Calendar)
          </a>
        </li>
        {opened && <EventProviderLinks icsUrl={icsUrl} event={typeof event === "function" ? event() : event} />}
      </ul>
    </details>
  );
}

/** The list items after "Download .ics": subscribe to the .ics, or the event prefilled in Google Calendar or Outlook.com. */
function EventProviderLinks({ icsUrl, event }: { icsUrl: string; event: CalendarEventLink }) {
  return (
    <>
      <li>
        <a href={webcalUrl(icsUrl)}>Subscribe (stays up to date)</a>
      </li>
      <li>
        <a href={googleEventUrl(event)} rel="noopener noreferrer" target="_blank">
          Google Calendar
        </a>
      </li>
      <li>
        <a href={outlookEventUrl(event)} rel="noopener noreferrer" target="_blank">
          Outlook.com
        </a>
      </li>
    </>
  );
}
