import type { LoaderFunctionArgs } from "@remix-run/node";
import { calendarResponse, notModified, renderCalendar } from "~/calendar/feeds.server";
import { feedCache } from "~/calendar/feed-cache.server";
import { countedFeedPoll, findFeedOwner, personalFeedContent } from "~/calendar/personal-feed.server";
import { database } from "~/database.server";

/** A person's private feed. An unknown or retired token is a plain 404 that says nothing more. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = database();
  const token = params.token ?? "";
  const found = await findFeedOwner(db, token);
  if (!found) throw new Response("Not found.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  // Counted for live tokens only: made-up ones are answered 404 above without leaving a row.
  const answered = await countedFeedPoll(db, token, notModified(request, found.version, "private"));
  if (answered) return answered;
  // Kept by the person, never by the token: a retired token must not find the feed again.
  const body = await feedCache.body(`person:${found.owner.userId}:${found.version.etag}`, async () =>
    renderCalendar(await personalFeedContent(db, found.owner)),
  );
  return calendarResponse(body, "my-meetings.ics", found.version, "private");
}
