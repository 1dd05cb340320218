import { Link } from "@remix-run/react";
import { formatDayRange, zoneLabel } from "~/lib/time";
import { KIND_LABELS } from "./labels";
import type { MeetingListEntry } from "./meeting-json.server";

export function meetingWhere(meeting: Pick<MeetingListEntry, "mode" | "city" | "country">): string {
  if (meeting.mode === "online") return "Online";
  const place = [meeting.city, meeting.country].filter(Boolean).join(", ");
  return meeting.mode === "hybrid" ? `${place} and online` : place;
}

export function MeetingCard({ meeting }: { meeting: MeetingListEntry }) {
  return (
    <li className="card meeting-card">
      <span className="tag">{KIND_LABELS[meeting.kind]}</span>{" "}
      {meeting.status === "cancelled" && <span className="badge cancelled">Cancelled</span>}
      <h3>
        <Link to={`/meetings/${meeting.slug}`}>{meeting.title}</Link>
      </h3>
      <dl>
        <dt>When</dt>
        <dd>
          <time dateTime={meeting.startsOn}>{formatDayRange(meeting.startsOn, meeting.endsOn)}</time>,{" "}
          {zoneLabel(meeting.timezone)}
        </dd>
        <dt>Where</dt>
        <dd>{meetingWhere(meeting)}</dd>
        <dt>Registration</dt>
        <dd>{meeting.status === "cancelled" ? "Cancelled" : meeting.registrationText}</dd>
      </dl>
    </li>
  );
}
