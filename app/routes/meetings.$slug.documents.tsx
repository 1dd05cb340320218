import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { NotYetAvailable } from "~/meetings/meeting-header";
import { loadPublicMeeting } from "~/meetings/meeting-page.server";
import { ErrorPage } from "~/ui/error-page";

export async function loader({ params }: LoaderFunctionArgs) {
  return json({ meeting: await loadPublicMeeting(params.slug) });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Documents: ${data.meeting.title}` : "Documents" }];

export default function DocumentsPlaceholder() {
  const { meeting } = useLoaderData<typeof loader>();
  return <NotYetAvailable meeting={meeting} section="Documents" />;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
