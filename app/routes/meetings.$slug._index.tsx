import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { MODE_LABELS } from "~/meetings/labels";
import { MeetingHeader } from "~/meetings/meeting-header";
import { loadMeetingPage } from "~/meetings/meeting-page.server";
import { OnNow } from "~/agenda/on-now";
import { AddToCalendarLinks } from "~/calendar/calendar-buttons";
import { ErrorPage } from "~/ui/error-page";

export async function loader({ params }: LoaderFunctionArgs) {
  return json(await loadMeetingPage(params.slug));
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [{ title: data.meeting.title }, { name: "description", content: data.meeting.summary ?? data.meeting.title }]
    : [{ title: "Meeting not found" }];

export default function MeetingPage() {
  const { meeting, onNow, calendar, participation } = useLoaderData<typeof loader>();
  const base = `/meetings/${meeting.slug}`;
  return (
    <article>
      <MeetingHeader meeting={meeting} />
      <div className="layout-two">
        <div>
          {meeting.summary && <p className="prose">{meeting.summary}</p>}
          {onNow && <OnNow onNow={onNow} agendaHref={`${base}/agenda`} />}
          <nav aria-label="This meeting" className="actions">
            {meeting.status !== "cancelled" && meeting.registration.isOpen && (
              <Link className="button" to={`${base}/register`}>
                Register
              </Link>
            )}
            <Link className="button secondary" to={`${base}/agenda`}>
              Agenda
            </Link>
            <Link className="button secondary" to={`${base}/documents`}>
              Documents
            </Link>
          </nav>
          <AddToCalendarLinks icsUrl={calendar.icsUrl} event={calendar.event} label="Add to your calendar (with its agenda)" />
          {participation && (
            <section aria-labelledby="participation" className="card participation">
              <h2 id="participation">Participation</h2>
              <dl className="attendance-totals">
                <div>
                  <dt>Participants</dt>
                  <dd>{participation.attended}</dd>
                </div>
                <div>
                  <dt>In person</dt>
                  <dd>{participation.inPerson}</dd>
                </div>
                <div>
                  <dt>Online</dt>
                  <dd>{participation.online}</dd>
                </div>
                <div>
                  <dt>Countries</dt>
                  <dd>{participation.countries}</dd>
                </div>
                <div>
                  <dt>Women’s share</dt>
                  <dd>{participation.womenShare}</dd>
                </div>
              </dl>
            </section>
          )}
          {meeting.descriptionHtml && (
            <section className="prose" aria-label="About the meeting" dangerouslySetInnerHTML={{ __html: meeting.descriptionHtml }} />
          )}
        </div>
        <aside className="card" aria-label="Key facts">
          <dl className="facts">
            <dt>Format</dt>
            <dd>{MODE_LABELS[meeting.mode]}</dd>
            {meeting.mode !== "online" && (
              <>
                <dt>Venue</dt>
                <dd>
                  {[meeting.venueName, meeting.venueAddress, meeting.city, meeting.country].filter(Boolean).map((line) => (
                    <div key={line}>{line}</div>
                  ))}
                </dd>
              </>
            )}
            {meeting.mode !== "in_person" && (
              <>
                <dt>Online</dt>
                <dd>The joining link is sent to confirmed participants.</dd>
              </>
            )}
            <dt>Organised by</dt>
            <dd>{meeting.organisingBody}</dd>
            {meeting.partners.length > 0 && (
              <>
                <dt>Partners</dt>
                <dd>{meeting.partners.join(", ")}</dd>
              </>
            )}
            {meeting.programme && (
              <>
                <dt>Programme</dt>
                <dd>
                  <Link to={`/programmes/${meeting.programme.slug}`}>{meeting.programme.title}</Link>
                </dd>
              </>
            )}
            <dt>Registration</dt>
            <dd>{meeting.status === "cancelled" ? "Cancelled" : meeting.registrationText}</dd>
            {meeting.contactEmail && (
              <>
                <dt>Contact</dt>
                <dd>
                  <a href={`mailto:${meeting.contactEmail}`}>{meeting.contactEmail}</a>
                </dd>
              </>
            )}
          </dl>
        </aside>
      </div>
    </article>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
