import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { MeetingsPage } from "~/meetings/meeting-list";
import { loadMeetingList } from "~/meetings/meeting-list.server";
import { ErrorPage } from "~/ui/error-page";

export async function loader({ request }: LoaderFunctionArgs) {
  return json(await loadMeetingList(request));
}

export const meta: MetaFunction = () => [{ title: "Meetings" }];

export default function Meetings() {
  return <MeetingsPage data={useLoaderData<typeof loader>()} />;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
