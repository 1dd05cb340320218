import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AuditLogView } from "~/audit/audit-log-view";
import { auditLogPage, parseAuditQuery } from "~/audit/audit-log.server";
import { database } from "~/database.server";
import { zoneLabel } from "~/lib/time";
import { organisersMeeting } from "~/registration/organiser-meeting.server";
import { ErrorPage } from "~/ui/error-page";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";

export async function loader({ request, params }: LoaderFunctionArgs) {
  // Who may read a meeting's log: those who may manage the meeting.
  const { meeting } = await organisersMeeting(request, params.slug);
  const log = await auditLogPage(database(), parseAuditQuery(new URL(request.url), meeting.id));
  return json({ meeting: { slug: meeting.slug, title: meeting.title, zone: zoneLabel(meeting.timezone) }, log });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Audit log: ${data.meeting.title}` : "Audit log" }];

export default function MeetingAuditLog() {
  const { meeting, log } = useLoaderData<typeof loader>();
  return (
    <>
      <MeetingAdminNav meeting={meeting} />
      <h1>Audit log</h1>
      <p className="muted">Every organiser action on this meeting: who did what, when ({meeting.zone}), and what it changed.</p>
      <AuditLogView {...log} showMeeting={false} />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
