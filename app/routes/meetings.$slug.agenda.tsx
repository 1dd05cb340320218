import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { NotYetAvailable } from "~/meetings/meeting-header";
import { loadPublicMeeting } from "~/meetings/meeting-page.server";
import { ErrorPage } from "~/ui/error-page";

export async function loader({ params }: LoaderFunctionArgs) {
  return json({ meeting: await loadPublicMeeting(params.slug) });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Agenda: ${data.meeting.title}` : "Agenda" }];

export default function AgendaPlaceholder() {
  const { meeting } = useLoaderData<typeof loader>();
  return <NotYetAvailable meeting={meeting} section="Agenda" />;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
