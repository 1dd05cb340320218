import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { type ConsoleAccess, grantedMeetings, isAdministrator, meetingAccess } from "~/accounts/roles.server";
import { type SignedInUser, forbidden, requireUser } from "~/accounts/session.server";
import { database } from "~/database.server";
import { meetingDays } from "~/lib/time";
import { type ConsoleMeetingFilter, type MeetingWithProgramme, findMeeting, listConsoleMeetings } from "~/meetings/meetings.server";

/**
 * The one gate of every organisers' page about one meeting, given what the page needs: to manage
 * the meeting (the default) or only its check-in desk. Anonymous visitors are sent to sign in;
 * people given no meeting at all get 403 before the meeting is looked up (a participant learns
 * nothing about which addresses exist); an unknown meeting is 404 (drafts included); signed in
 * without that right on this meeting, 403.
 */
export async function organisersMeeting(
  request: Request,
  slug: string | undefined,
  need: ConsoleAccess = "manage",
): Promise<{ user: SignedInUser; meeting: MeetingWithProgramme; access: ConsoleAccess }> {
  const user = await consoleUser(request);
  const db = database();
  const meeting = await findMeeting(db, slug ?? "");
  if (!meeting) throw new Response("There is no such meeting.", { status: 404 });
  const access = await meetingAccess(db, user, meeting.id);
  if (!access || (need === "manage" && access !== "manage")) throw forbidden(access ? "This page is for the meeting's managers." : "This page is for the organisers of this meeting.");
  return { user, meeting, access };
}

/** Who may open the organisers' pages: an administrator, or someone given a meeting (others 403; anonymous visitors are sent to sign in). */
export async function consoleUser(request: Request): Promise<SignedInUser> {
  const user = await requireUser(request);
  if (!isAdministrator(user) && !user.has_meeting_roles) throw forbidden();
  return user;
}

/**
 * The organisers' list, a page at a time: for an administrator every meeting, for others the
 * meetings they were given, each with what they may do in it.
 */
export async function consoleMeetings(db: Kysely<Database>, user: SignedInUser, filter: Omit<ConsoleMeetingFilter, "ids">) {
  if (isAdministrator(user)) {
    const { meetings, total } = await listConsoleMeetings(db, filter);
    return { meetings: meetings.map((meeting) => ({ meeting, access: "manage" as ConsoleAccess })), total };
  }
  const granted = await grantedMeetings(db, user.id);
  const { meetings, total } = await listConsoleMeetings(db, { ...filter, ids: [...granted.keys()] });
  return { meetings: meetings.map((meeting) => ({ meeting, access: granted.get(meeting.id) ?? "check_in" })), total };
}

/**
 * The same for a download (CSV, XLSX, PDF): a resource route has no error page, so a refusal says
 * in plain text what the page would.
 */
export async function organisersMeetingForDownload(request: Request, slug: string | undefined, need: ConsoleAccess = "manage") {
  try {
    return await organisersMeeting(request, slug, need);
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
