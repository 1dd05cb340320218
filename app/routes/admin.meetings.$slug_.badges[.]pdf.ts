import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { BADGE_LAYOUTS, meetingBadges, renderBadgesPdf } from "~/attendance/badges.server";
import { database } from "~/database.server";
import { recordId } from "~/lib/form";
import { noPdf, pdfResponse } from "~/lib/pdf.server";
import { organisersMeetingForDownload } from "~/registration/organiser-meeting.server";

const querySchema = z.object({
  layout: z.enum(BADGE_LAYOUTS, { error: "layout is a6 (one badge per page) or a4 (four to a sheet)" }).default("a4"),
  registration: recordId.optional(),
});

/** Badges as a PDF: every confirmed participant's by last name, or one person's (?registration=). The check-in desk prints them too. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeetingForDownload(request, params.slug, "check_in");
  const query = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw noPdf(`Bad request: ${query.error.issues[0]?.message ?? "unknown parameters"}.`, 400);
  const { layout, registration } = query.data;
  const badges = await meetingBadges(database(), meeting, registration);
  if (registration !== undefined && badges.length === 0) {
    throw noPdf("Page not found: this meeting has no confirmed registration with that number, and only confirmed participants have badges.");
  }
  const pdf = await renderBadgesPdf(meeting, badges, layout);
  const name = registration === undefined ? `badges-${meeting.slug}-${layout}.pdf` : `badge-${meeting.slug}-${registration}.pdf`;
  return pdfResponse(pdf, name);
}
