import { Form, Link } from "@remix-run/react";
import { SelectField } from "~/ui/fields";
import { Pagination } from "~/ui/pagination";
import { AUDIT_ACTIONS, AUDIT_ACTION_LABELS } from "./actions";
import type { AuditChange, AuditRow } from "./audit-log.server";

/** The audit log's filter, its rows (newest first) and its pages: one meeting's, or every meeting's with `showMeeting`. */
export function AuditLogView(props: { rows: AuditRow[]; total: number; page: number; pageCount: number; action: string | null; showMeeting: boolean }) {
  const { rows, total, page, pageCount, action, showMeeting } = props;
  const pageLink = (to: number) => `?${new URLSearchParams({ ...(action ? { action } : {}), page: String(to) })}`;
  return (
    <>
      <Form method="get" className="filters" aria-label="Filter the audit log">
        <SelectField
          name="action"
          label="Action"
          placeholder="All actions"
          defaultValue={action}
          options={AUDIT_ACTIONS.map((value) => ({ value, label: AUDIT_ACTION_LABELS[value] }))}
        />
        <div className="actions">
          <button type="submit" className="button">
            Show
          </button>
        </div>
      </Form>
      <p role="status">
        <strong>{`${total} ${total === 1 ? "action" : "actions"}`}</strong>
        {`${action ? " of this kind" : ""} recorded${pageCount > 1 ? `; page ${page} of ${pageCount}` : ""}.`}
      </p>
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="data audit-log">
            <caption className="muted">Newest first. Each time is in its meeting's zone, or UTC.</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                {showMeeting && <th scope="col">Meeting</th>}
                <th scope="col">What</th>
                <th scope="col">Before → after</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td className="nowrap">
                    <time dateTime={row.at}>{row.when}</time>
                  </td>
                  <td>
                    {row.who}
                    {row.who !== row.email && <div className="muted small">{row.email}</div>}
                  </td>
                  {showMeeting && <td>{row.meeting ? <Link to={`/admin/meetings/${row.meeting.slug}/audit`}>{row.meeting.title}</Link> : "—"}</td>}
                  <td>
                    <strong>{row.action}</strong>
                    <div>{row.summary}</div>
                  </td>
                  <td>
                    <Changes changes={row.changes} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination
        page={page}
        pageCount={pageCount}
        hrefOf={pageLink}
        previousText="← Newer"
        nextText="Older →"
      />
    </>
  );
}

function Changes({ changes }: { changes: AuditChange[] }) {
  if (changes.length === 0) return <span className="muted">—</span>;
  return (
    <dl className="audit-changes">
      {changes.map((change) => (
        <div key={change.field}>
          <dt>{change.field}</dt>
          <dd>
            <span className="audit-before">{change.before ?? "(none)"}</span>
            <span aria-hidden="true"> → </span>
            <span className="visually-hidden"> became </span>
            <span className="audit-after">{change.after ?? "(none)"}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}
