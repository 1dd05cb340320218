import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { signedInUser } from "~/accounts/session.server";
import { database } from "~/database.server";
import { AccessNote, DocumentEntry, DownloadAllForm } from "~/documents/public-document-list";
import { loadDocumentsPage } from "~/documents/public-documents.server";
import { zoneLabel } from "~/lib/time";
import { MeetingHeader } from "~/meetings/meeting-header";
import { ErrorPage } from "~/ui/error-page";

export async function loader({ params, request }: LoaderFunctionArgs) {
  const user = await signedInUser(request);
  return json(await loadDocumentsPage(database(), params.slug, user), { headers: { "Cache-Control": "private, no-cache" } });
}

/** The page differs by visitor (links, locks, "New"): never shared by caches. */
export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Documents: ${data.meeting.title}` : "Documents" }];

export default function DocumentsPage() {
  const { meeting, groups, zipLanguages, visitor, locked, signInUrl } = useLoaderData<typeof loader>();
  const base = `/meetings/${meeting.slug}`;
  return (
    <article className="documents-page">
      <MeetingHeader meeting={meeting} section="Documents" />
      {groups.length === 0 ? (
        <p className="notice" role="status">
          No documents have been published for this meeting yet.
        </p>
      ) : (
        <>
          {locked && <AccessNote visitor={visitor} signInUrl={signInUrl} registerUrl={`${base}/register`} />}
          {zipLanguages.length > 0 && <DownloadAllForm action={`${base}/documents.zip`} languages={zipLanguages} />}
          <p className="muted">Dates are in {zoneLabel(meeting.timezone)}.</p>
          {groups.map((group) => (
            <section key={group.type} aria-labelledby={`type-${group.type}`} className="document-group">
              <h2 id={`type-${group.type}`}>{group.heading}</h2>
              <ul className="document-list">
                {group.documents.map((document) => (
                  <li key={document.id}>
                    <DocumentEntry document={document} signInUrl={visitor ? null : signInUrl} />
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </>
      )}
      <p>
        <Link to={base}>Back to the meeting</Link>
      </p>
    </article>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
