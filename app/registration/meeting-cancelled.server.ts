import type { Transaction } from "kysely";
import type { Database, Meeting } from "../../db/schema";
import { meetingCancelledEmail } from "../../emails/meeting-cancelled";
import { enqueueEmails } from "../../emails/outbox.server";
import { meetingCalendarAttachment } from "~/calendar/feeds.server";
import { meetingDays } from "~/lib/time";
import { appUrl } from "~/settings.server";

/**
 * Inside the cancellation's transaction: everyone still registered (confirmed, pending or
 * waiting) hears that the meeting is cancelled; those confirmed get the .ics in which it and its
 * items are CANCELLED with a higher SEQUENCE, so calendars that imported it remove it now rather
 * than at the feed's next refresh. Returns how many were emailed.
 */
export async function emailMeetingCancelled(trx: Transaction<Database>, meeting: Meeting): Promise<number> {
  const people = await trx
    .selectFrom("registrations")
    .select(["email", "first_name", "status"])
    .where("meeting_id", "=", meeting.id)
    .where("status", "in", ["confirmed", "pending", "waitlisted"])
    .orderBy("id")
    .execute();
  if (people.length === 0) return 0;
  const attachment = await meetingCalendarAttachment(trx, meeting);
  await enqueueEmails(
    trx,
    people.map((person) => {
      const withCalendar = person.status === "confirmed";
      return {
        to: person.email,
        meetingId: meeting.id,
        template: "meeting-cancelled",
        content: meetingCancelledEmail({
          firstName: person.first_name,
          meetingTitle: meeting.title,
          meetingDates: meetingDays(meeting),
          meetingUrl: `${appUrl()}/meetings/${meeting.slug}`,
          contactEmail: meeting.contact_email,
          withCalendar,
        }),
        attachments: withCalendar ? [attachment] : [],
      };
    }),
  );
  return people.length;
}
