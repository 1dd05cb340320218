import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { database } from "~/database.server";
import { requireOrganiser } from "~/accounts/session.server";
import { formatDayRange, zoneLabel } from "~/lib/time";
import { KIND_LABELS, STATUS_LABELS } from "~/meetings/labels";
import { listAllMeetings } from "~/meetings/meetings.server";
import { ErrorPage } from "~/ui/error-page";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOrganiser(request);
  const meetings = await listAllMeetings(database());
  return json({
    meetings: meetings.map((m) => ({
      slug: m.slug,
      title: m.title,
      kind: m.kind,
      status: m.status,
      startsOn: m.starts_on,
      endsOn: m.ends_on,
      timezone: m.timezone,
      programme: m.programme_title,
    })),
  });
}

export const meta: MetaFunction = () => [{ title: "Organisers" }];

export default function AdminHome() {
  const { meetings } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Meetings you organise</h1>
      <div className="actions">
        <Link className="button" to="/admin/meetings/new">
          New meeting
        </Link>
        <Link className="button secondary" to="/admin/programmes">
          Programmes
        </Link>
        <Link className="button secondary" to="/admin/audit">
          Audit log
        </Link>
      </div>
      <div className="table-scroll">
        <table className="data">
          <caption className="muted">All meetings, drafts included, latest first.</caption>
          <thead>
            <tr>
              <th scope="col">Meeting</th>
              <th scope="col">Kind</th>
              <th scope="col">Dates</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {meetings.map((meeting) => (
              <tr key={meeting.slug}>
                <td>
                  <Link to={`/admin/meetings/${meeting.slug}`}>{meeting.title}</Link>
                  {meeting.programme && <div className="muted">{meeting.programme}</div>}
                </td>
                <td>{KIND_LABELS[meeting.kind]}</td>
                <td>
                  {formatDayRange(meeting.startsOn, meeting.endsOn)}, {zoneLabel(meeting.timezone)}
                </td>
                <td>
                  <span className={`badge ${meeting.status}`}>{STATUS_LABELS[meeting.status]}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
