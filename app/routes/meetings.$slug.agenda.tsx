import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { z } from "zod";
import { requireUser, signedInUser } from "~/accounts/session.server";
import { changeStar, loadAgendaPage } from "~/agenda/agenda-page.server";
import { AgendaDays, AgendaZoneLine, ZonePicker } from "~/agenda/agenda-view";
import { SubscribeLinks } from "~/calendar/calendar-buttons";
import { database } from "~/database.server";
import { MeetingHeader, NotYetAvailable } from "~/meetings/meeting-header";
import { ErrorPage } from "~/ui/error-page";
import { plainForm, recordId } from "~/lib/form";

/** `?tz=Area/City` (checked against the zone database by the loader) and `?view=both`; anything else is ignored. */
const agendaQuery = z.object({
  tz: z.string().max(200).optional().catch(undefined),
  view: z.literal("both").optional().catch(undefined),
});

const starForm = z.object({
  intent: z.enum(["star", "unstar"]),
  item: recordId,
});

export async function loader({ params, request }: LoaderFunctionArgs) {
  const query = agendaQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const user = await signedInUser(request);
  return json(await loadAgendaPage(database(), params.slug, query, user));
}

export async function action({ params, request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = starForm.safeParse(Object.fromEntries(await plainForm(request)));
  if (!parsed.success) throw new Response("Choose an item of this agenda to star.", { status: 400 });
  const { intent, item } = parsed.data;
  if (!(await changeStar(database(), params.slug, user.id, item, intent === "star"))) {
    throw new Response("This agenda has no such item.", { status: 404 });
  }
  const url = new URL(request.url);
  return redirect(`${url.pathname}${url.search}#item-${item}`, 303);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Agenda: ${data.meeting.title}` : "Agenda" }];

function PersonalAgendaLink({ starred }: { starred: number[] | null }) {
  const { pathname, search } = useLocation();
  if (starred) {
    return (
      <p className="no-print">
        <Link to="/my/agenda">My agenda</Link> ({starred.length} starred {starred.length === 1 ? "item" : "items"})
      </p>
    );
  }
  return (
    <p className="no-print">
      <Link to={`/login?redirectTo=${encodeURIComponent(pathname + search)}`}>Sign in to build your personal agenda</Link> of
      the items you plan to attend.
    </p>
  );
}

export default function AgendaPage() {
  const { meeting, agenda, unknownZone, lastUpdated, starred, timezones, calendar, documents } = useLoaderData<typeof loader>();
  if (agenda.days.length === 0) return <NotYetAvailable meeting={meeting} section="Agenda" />;
  return (
    <article className="agenda-page">
      <MeetingHeader meeting={meeting} section="Agenda" />
      <AgendaZoneLine agenda={agenda} unknownZone={unknownZone} />
      {lastUpdated && (
        <p className="muted">
          Last updated <time dateTime={lastUpdated.at}>{lastUpdated.text}</time>
        </p>
      )}
      <ZonePicker agenda={agenda} timezones={timezones} />
      <PersonalAgendaLink starred={starred} />
      <SubscribeLinks feedUrl={calendar.icsUrl} name={meeting.title} label="Subscribe to this agenda in your calendar" />
      <AgendaDays agenda={agenda} starred={starred} calendar={calendar} documents={documents} />
    </article>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
