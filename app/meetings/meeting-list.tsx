import { Form, useLocation } from "@remix-run/react";
import { SubscribeLinks } from "~/calendar/calendar-buttons";
import { FollowByEmail } from "~/calendar/follow-form";
import { Pagination } from "~/ui/pagination";
import { MeetingCard } from "./meeting-card";
import type { MeetingListData } from "./meeting-list.server";

function pageLink(search: string, page: number): string {
  const params = new URLSearchParams(search);
  params.set("page", String(page));
  return `?${params}`;
}

/** The filter form and the list of meeting cards, shared by the meeting and programme pages. */
export function MeetingList({ data, showProgrammeFilter = true }: { data: MeetingListData; showProgrammeFilter?: boolean }) {
  const { search } = useLocation();
  const { filter } = data;
  return (
    <>
      <Form method="get" className="filters" role="search" aria-label="Filter meetings">
        <div className="field">
          <label htmlFor="q">Search</label>
          <input id="q" name="q" type="search" defaultValue={filter.q} placeholder="Title, topic or city" />
        </div>
        <div className="field">
          <label htmlFor="kind">Kind</label>
          <select id="kind" name="kind" defaultValue={filter.kind}>
            <option value="">All kinds</option>
            {data.kinds.map((kind) => (
              <option key={kind.value} value={kind.value}>
                {kind.label}
              </option>
            ))}
          </select>
        </div>
        {showProgrammeFilter && (
          <div className="field">
            <label htmlFor="programme">Programme</label>
            <select id="programme" name="programme" defaultValue={filter.programme}>
              <option value="">All programmes</option>
              {data.programmes.map((programme) => (
                <option key={programme.value} value={programme.value}>
                  {programme.label}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="past">Show</label>
          <select id="past" name="past" defaultValue={filter.past ? "1" : ""}>
            <option value="">Upcoming meetings</option>
            <option value="1">Past meetings</option>
          </select>
        </div>
        <button type="submit" className="button">
          Apply
        </button>
      </Form>

      <SubscribeLinks feedUrl={data.feed.url} name={data.feed.name} label="Subscribe to these meetings in your calendar" />
      <FollowByEmail programme={data.follow} />
      <p className="muted" aria-live="polite">
        {data.total === 0
          ? filter.past
            ? "No past meetings match."
            : "No upcoming meetings match."
          : `${data.total} ${filter.past ? "past" : "upcoming"} meeting${data.total === 1 ? "" : "s"}`}
      </p>
      <ul className="meeting-list" aria-label={filter.past ? "Past meetings" : "Upcoming meetings"}>
        {data.meetings.map((meeting) => (
          <MeetingCard key={meeting.slug} meeting={meeting} />
        ))}
      </ul>
      <Pagination
        page={data.page}
        pageCount={data.pageCount}
        hrefOf={(page) => pageLink(search, page)}
      />
    </>
  );
}

/** The page at `/` and `/meetings`. */
export function MeetingsPage({ data }: { data: MeetingListData }) {
  return (
    <>
      <h1>{data.filter.past ? "Past meetings" : "Upcoming meetings"}</h1>
      <MeetingList data={data} />
    </>
  );
}
