import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { isAdministrator } from "~/accounts/roles.server";
import { formatDayRange, zoneLabel } from "~/lib/time";
import { KIND_LABELS, STATUS_LABELS } from "~/meetings/labels";
import { consoleMeetings } from "~/registration/organiser-meeting.server";
import { ErrorPage } from "~/ui/error-page";

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, meetings } = await consoleMeetings(request);
  return json({
    administrator: isAdministrator(user),
    meetings: meetings.map(({ meeting: m, access }) => ({
      access,
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
  const { administrator, meetings } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Meetings you organise</h1>
      {administrator && (
        <div className="actions">
          <Link className="button" to="/admin/meetings/new">
            New meeting
          </Link>
          <Link className="button secondary" to="/admin/programmes">
            Programmes
          </Link>
          <Link className="button secondary" to="/admin/administrators">
            Administrators
          </Link>
          <Link className="button secondary" to="/admin/audit">
            Audit log
          </Link>
        </div>
      )}
      <div className="table-scroll">
        <table className="data">
          <caption className="muted">
            {administrator ? "All meetings, drafts included, latest first." : "The meetings you were given, drafts included, latest first."}
          </caption>
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
                  {meeting.access === "manage" ? (
                    <Link to={`/admin/meetings/${meeting.slug}`}>{meeting.title}</Link>
                  ) : (
                    <>
                      <Link to={`/admin/meetings/${meeting.slug}/checkin`}>{meeting.title}</Link>
                      <div className="muted">Check-in desk</div>
                    </>
                  )}
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
