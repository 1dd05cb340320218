import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { MeetingList } from "~/meetings/meeting-list";
import { loadMeetingList } from "~/meetings/meeting-list.server";
import { ErrorPage } from "~/ui/error-page";

export async function loader({ request }: LoaderFunctionArgs) {
  return json(await loadMeetingList(request));
}

export const meta: MetaFunction = () => [
  { title: "Meetings" },
  { name: "description", content: "Expert group meetings, workshops, ministerial conferences and webinars." },
];

export default function Meetings() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{data.filter.past ? "Past meetings" : "Upcoming meetings"}</h1>
      <MeetingList data={data} />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
