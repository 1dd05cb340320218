import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { formatDayRange, zoneLabel } from "~/lib/time";
import { KIND_LABELS } from "./labels";
import { meetingWhere } from "./meeting-card";
import type { PublicMeetingData } from "./meeting-page.server";

/** The meeting's title block, on its page and on its agenda, documents and registration pages. */
export function MeetingHeader({ meeting, section }: { meeting: PublicMeetingData; section?: string }) {
  return (
    <header>
      {section ? (
        <nav aria-label="Breadcrumb" className="muted">
          <Link to={`/meetings/${meeting.slug}`}>{meeting.title}</Link> › {section}
        </nav>
      ) : (
        <span className="tag">{KIND_LABELS[meeting.kind]}</span>
      )}
      <h1>{section ? `${section}: ${meeting.title}` : meeting.title}</h1>
      <p>
        <time dateTime={meeting.startsOn}>{formatDayRange(meeting.startsOn, meeting.endsOn)}</time>,{" "}
        {zoneLabel(meeting.timezone)} ({meeting.offsetLabel}) · {meetingWhere(meeting)}
      </p>
      {meeting.status === "cancelled" && (
        <p className="notice cancelled" role="status">
          <strong>This meeting has been cancelled.</strong>
        </p>
      )}
    </header>
  );
}

/** What a page of a capability that is not built yet says, with a 200: never an error. */
export function NotYetAvailable({ meeting, section, children }: { meeting: PublicMeetingData; section: string; children?: ReactNode }) {
  return (
    <>
      <MeetingHeader meeting={meeting} section={section} />
      <p className="notice" role="status">
        The {section.toLowerCase()} for this meeting is not yet available here.
      </p>
      {children}
      <p>
        <Link to={`/meetings/${meeting.slug}`}>Back to the meeting</Link>
      </p>
    </>
  );
}
