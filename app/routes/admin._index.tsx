import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { isAdministrator } from "~/accounts/roles.server";
import { database } from "~/database.server";
import { NUL_MESSAGE, blankIsAbsent, fieldErrors, noNul } from "~/lib/form";
import { formatDayRange, zoneLabel } from "~/lib/time";
import { KIND_LABELS, STATUS_LABELS } from "~/meetings/labels";
import { consoleMeetings, consoleUser } from "~/registration/organiser-meeting.server";
import { ErrorPage } from "~/ui/error-page";
import { TextField } from "~/ui/fields";
import { Pagination } from "~/ui/pagination";

const PAGE_SIZE = 50;

const listQuery = z.object({
  q: z.preprocess(blankIsAbsent, z.string().trim().max(200, "Search for at most 200 characters").refine(noNul, NUL_MESSAGE).optional()),
  page: z.preprocess(blankIsAbsent, z.coerce.number({ error: "The page is a number" }).int("The page is a whole number").min(1, "Pages start at 1").max(100_000).optional()),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await consoleUser(request);
  const asked = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = listQuery.safeParse(asked);
  const administrator = isAdministrator(user);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    // A search that cannot be run is shown on its field, as typed; a page that cannot exist is refused.
    if (!errors.q) throw new Response(Object.values(errors).join(". "), { status: 400 });
    return json({ administrator, meetings: [], total: 0, page: 1, pageCount: 1, q: String(asked.q ?? ""), error: errors.q }, { status: 400 });
  }
  const { q = "", page = 1 } = parsed.data;
  const { meetings, total } = await consoleMeetings(database(), user, { q, page, pageSize: PAGE_SIZE });
  return json({
    administrator,
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
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    q,
    error: null as string | null,
  });
}

export const meta: MetaFunction = () => [{ title: "Organisers" }];

/** The list's address for a page, keeping the search. */
function pageHref(q: string, page: number): string {
  const search = new URLSearchParams({ ...(q ? { q } : {}), ...(page > 1 ? { page: String(page) } : {}) });
  return search.size ? `/admin?${search}` : "/admin";
}

const count = (n: number) => n.toLocaleString("en");

/** "Meetings: 51–100 of 1,012.", or what the search found. */
function listSummary(total: number, page: number, shown: number, q: string): string {
  if (total === 0) return q ? `No meeting's title or city contains “${q}”.` : "No meetings yet.";
  const first = (page - 1) * PAGE_SIZE + 1;
  const which = shown === 0 ? `none on this page, of ${count(total)}` : total <= PAGE_SIZE ? `all ${count(total)}` : `${count(first)}–${count(first + shown - 1)} of ${count(total)}`;
  return q ? `Meetings whose title or city contains “${q}”: ${which}.` : `Meetings: ${which}.`;
}

export default function AdminHome() {
  const { administrator, meetings, total, page, pageCount, q, error } = useLoaderData<typeof loader>();
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
      <Form method="get" role="search" aria-label="Find a meeting" className="filters">
        <TextField name="q" type="search" label="Find a meeting" hint="Part of its title or city" defaultValue={q} error={error ?? undefined} autoComplete="off" />
        <div className="actions">
          <button type="submit" className="button">
            Search
          </button>
          {q && (
            <Link to="/admin" className="button secondary">
              Show all
            </Link>
          )}
        </div>
      </Form>
      <p className="muted" aria-live="polite">
        {error ? "Correct the search to see meetings." : listSummary(total, page, meetings.length, q)}
      </p>
      {meetings.length > 0 && (
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
      )}
      <Pagination label="Pages of meetings" page={page} pageCount={pageCount} hrefOf={(to) => pageHref(q, to)} />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
