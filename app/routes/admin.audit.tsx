import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireAdministrator } from "~/accounts/session.server";
import { AuditLogView } from "~/audit/audit-log-view";
import { auditLogPage, parseAuditQuery } from "~/audit/audit-log.server";
import { database } from "~/database.server";
import { ErrorPage } from "~/ui/error-page";

export async function loader({ request }: LoaderFunctionArgs) {
  // Every meeting's log, and the programmes': for those who manage everything.
  await requireAdministrator(request);
  const log = await auditLogPage(database(), parseAuditQuery(new URL(request.url), null));
  return json({ log });
}

export const meta: MetaFunction = () => [{ title: "Audit log" }];

export default function AuditLog() {
  const { log } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="muted">
        <Link to="/admin">Organisers</Link> › Audit log
      </p>
      <h1>Audit log</h1>
      <p className="muted">Every organiser action, on every meeting and programme.</p>
      <AuditLogView {...log} showMeeting />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
