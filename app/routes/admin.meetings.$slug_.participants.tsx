import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { database } from "~/database.server";
import { meetingPlace } from "~/meetings/meeting-place.server";
import { meetingDays } from "~/lib/time";
import { CATEGORY_LABELS } from "~/registration/labels";
import { participantsList } from "~/registration/participants-list.server";
import { organisersMeeting } from "~/registration/organiser-meeting.server";
import { ErrorPage } from "~/ui/error-page";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeeting(request, params.slug);
  const db = database();
  const list = await participantsList(db, meeting.id);
  return json({
    meeting: {
      slug: meeting.slug,
      title: meeting.title,
      organisingBody: meeting.organising_body,
      hybrid: meeting.mode === "hybrid",
      when: meetingDays(meeting),
      place: meetingPlace(meeting),
    },
    list,
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `List of participants: ${data.meeting.title}` : "List of participants" }];

export default function ParticipantsList() {
  const { meeting, list } = useLoaderData<typeof loader>();
  return (
    <>
      <MeetingAdminNav meeting={meeting} />
      <div className="actions no-print">
        <button type="button" className="button secondary" onClick={() => window.print()}>
          Print
        </button>
      </div>
      <article className="participants-list">
        <header>
          <p className="muted">{meeting.organisingBody}</p>
          <p className="list-meeting">{meeting.title}</p>
          <p>
            {meeting.when}
            {meeting.place && ` · ${meeting.place}`}
          </p>
          <h1>List of participants</h1>
          <p className="muted">
            {list.total === 0
              ? "No participant is confirmed yet."
              : `${list.total} confirmed ${list.total === 1 ? "participant" : "participants"} from ${list.countries.length} ${list.countries.length === 1 ? "country" : "countries"}.`}
          </p>
        </header>
        {list.countries.map((country) => (
          <section key={country.country} className="participants-country" aria-labelledby={`country-${country.country}`}>
            <h2 id={`country-${country.country}`}>{country.countryName}</h2>
            {country.categories.map((group) => (
              <section key={group.category} className="participants-category">
                <h3>{CATEGORY_LABELS[group.category]}</h3>
                <ul>
                  {group.participants.map((p) => (
                    <li key={p.id}>
                      <span className="participant-name">
                        {[p.salutation, p.firstName, p.lastName].filter(Boolean).join(" ")}
                      </span>
                      {meeting.hybrid && p.attendanceMode === "online" && <span className="muted"> (online)</span>}
                      {p.jobTitle && <span className="participant-line">{p.jobTitle}</span>}
                      <span className="participant-line">{p.organisation}</span>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </section>
        ))}
      </article>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
