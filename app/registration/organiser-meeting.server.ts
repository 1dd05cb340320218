import type { User } from "../../db/schema";
import { requireOrganiser } from "~/accounts/session.server";
import { database } from "~/database.server";
import { meetingDays } from "~/lib/time";
import { type MeetingWithProgramme, findMeeting } from "~/meetings/meetings.server";

/**
 * Who asks and for which meeting, for every organisers' page about one meeting: anonymous visitors
 * are sent to sign in, participants get 403, an unknown meeting is 404 (drafts included: organisers see them).
 */
export async function organisersMeeting(request: Request, slug: string | undefined): Promise<{ user: User; meeting: MeetingWithProgramme }> {
  const user = await requireOrganiser(request);
  const meeting = await findMeeting(database(), slug ?? "");
  if (!meeting) throw new Response("There is no such meeting.", { status: 404 });
  return { user, meeting };
}

/**
 * The same for a download (CSV, XLSX, PDF): a resource route has no error page, so a refusal says
 * in plain text what the page would.
 */
export async function organisersMeetingForDownload(request: Request, slug: string | undefined) {
  try {
    return await organisersMeeting(request, slug);
  } catch (error) {
    if (error instanceof Response && (error.status === 403 || error.status === 404)) {
      const message =
        error.status === 403 ? "You do not have access to this page: it is for the meeting organisers." : "Page not found: there is no such meeting.";
      throw new Response(message, { status: error.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    }
    throw error;
  }
}

/** What the pages' header shows about the meeting. */
export function meetingSummary(meeting: MeetingWithProgramme) {
  return {
    slug: meeting.slug,
    title: meeting.title,
    status: meeting.status,
    policy: meeting.registration_policy,
    timezone: meeting.timezone,
    when: meetingDays(meeting),
  };
}
