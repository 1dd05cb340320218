import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/accounts/session.server";
import { type PersonalAgendaItem, loadMyAgenda } from "~/agenda/agenda-page.server";
import { TimeRange } from "~/agenda/time-range";
import { unstarItem } from "~/agenda/stars.server";
import { database } from "~/database.server";
import { plainForm } from "~/lib/form";
import { ErrorPage } from "~/ui/error-page";

const unstarForm = z.object({
  intent: z.literal("unstar"),
  item: z.coerce.number().int().positive(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json(await loadMyAgenda(database(), user), { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = unstarForm.safeParse(Object.fromEntries(await plainForm(request)));
  if (!parsed.success) throw new Response("Choose one of your starred items.", { status: 400 });
  await unstarItem(database(), user.id, parsed.data.item);
  return redirect("/my/agenda", 303);
}

export const meta: MetaFunction = () => [{ title: "My agenda" }];

function Times({ item }: { item: PersonalAgendaItem }) {
  const mine = item.inPersonZone;
  return (
    <>
      <p>
        <TimeRange reading={item.inMeetingZone} startsAt={item.startsAt} endsAt={item.endsAt} withDate />
      </p>
      {mine && (
        <p>
          <TimeRange reading={mine} startsAt={item.startsAt} endsAt={item.endsAt} withDate /> <span className="muted">(your time zone)</span>
        </p>
      )}
    </>
  );
}

function StarredList({ label, items }: { label: string; items: PersonalAgendaItem[] }) {
  return (
    <ul className="meeting-list starred-list" aria-label={label}>
      {items.map((item) => (
        <li key={item.id} className="card">
          <h3>
            <Link to={`/meetings/${item.meeting.slug}/agenda#item-${item.id}`}>{item.title}</Link>
          </h3>
          <p className="muted">
            <Link to={`/meetings/${item.meeting.slug}`}>{item.meeting.title}</Link>
            {item.meeting.cancelled && " · the meeting is cancelled"}
          </p>
          <Times item={item} />
          {item.room && <p>Room: {item.room}</p>}
          <Form method="post">
            <input type="hidden" name="item" value={item.id} />
            <button type="submit" name="intent" value="unstar" aria-label={`Remove from my agenda: ${item.title}`} className="button small secondary">
              Remove from my agenda
            </button>
          </Form>
        </li>
      ))}
    </ul>
  );
}

export default function MyAgenda() {
  const { timezone, upcoming, past } = useLoaderData<typeof loader>();
  return (
    <>
      <nav aria-label="Breadcrumb" className="muted">
        <Link to="/my">My registrations</Link> › My agenda
      </nav>
      <h1>My agenda</h1>
      <p className="muted">
        The agenda items you starred, each in its meeting's time zone
        {timezone ? ` and, where it differs, in yours (${timezone})` : ""}.{" "}
        {!timezone && <Link to="/my">Set your time zone</Link>}
      </p>
      {upcoming.length + past.length === 0 && (
        <p>
          You have not starred any agenda items yet. Open a meeting's agenda and choose “Add to my agenda”.{" "}
          <Link to="/meetings">Find a meeting</Link>
        </p>
      )}
      {upcoming.length > 0 && (
        <section aria-labelledby="upcoming-title">
          <h2 id="upcoming-title">Coming up</h2>
          <StarredList label="Coming up" items={upcoming} />
        </section>
      )}
      {past.length > 0 && (
        <section aria-labelledby="past-title">
          <h2 id="past-title">Past</h2>
          <StarredList label="Past" items={past} />
        </section>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
