import { Link } from "@remix-run/react";
import type { OnNowItem } from "./agenda-view.server";
import { TimeRange } from "./time-range";

function OnNowList({ label, items, withDate, agendaHref }: { label: string; items: OnNowItem[]; withDate: boolean; agendaHref: string }) {
  if (items.length === 0) return null;
  return (
    <>
      <h3>{label}</h3>
      <ul>
        {items.map((item) => (
          <li key={item.id}>
            <TimeRange reading={item.reading} startsAt={item.startsAt} endsAt={item.endsAt} withDate={withDate} />:{" "}
            <Link to={`${agendaHref}#item-${item.id}`}>{item.title}</Link>
            {item.room && <span className="muted"> · {item.room}</span>}
          </li>
        ))}
      </ul>
    </>
  );
}

/** On the meeting's page while it runs: what is on now and next, in the meeting's zone. */
export function OnNow({ onNow, agendaHref }: { onNow: { now: OnNowItem[]; next: OnNowItem[] }; agendaHref: string }) {
  return (
    <section className="card on-now" aria-labelledby="on-now-title">
      <h2 id="on-now-title">Happening now</h2>
      <OnNowList label="Now" items={onNow.now} withDate={false} agendaHref={agendaHref} />
      <OnNowList label="Next" items={onNow.next} withDate agendaHref={agendaHref} />
      <p>
        <Link to={agendaHref}>The full agenda</Link>
      </p>
    </section>
  );
}
