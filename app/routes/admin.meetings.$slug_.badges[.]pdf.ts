import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { BADGE_LAYOUTS, meetingBadges, renderBadgesPdf } from "~/attendance/badges.server";
import { database } from "~/database.server";
import { recordId } from "~/lib/form";
import { organisersMeetingForDownload } from "~/registration/organiser-meeting.server";

const querySchema = z.object({
  layout: z.enum(BADGE_LAYOUTS, { error: "layout is a6 (one badge per page) or a4 (four to a sheet)" }).default("a4"),
  registration: recordId.optional(),
});

const plainText = (message: string, status: number) => new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

/** Badges as a PDF: every confirmed participant's by last name, or one person's (?registration=). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeetingForDownload(request, params.slug);
  const query = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw plainText(`Bad request: ${query.error.issues[0]?.message ?? "unknown parameters"}.`, 400);
  const { layout, registration } = query.data;
  const badges = await meetingBadges(database(), meeting, registration);
  if (registration !== undefined && badges.length === 0) {
    throw plainText("Page not found: this meeting has no confirmed registration with that number, and only confirmed participants have badges.", 404);
  }
  const pdf = await renderBadgesPdf(meeting, badges, layout);
  const name = registration === undefined ? `badges-${meeting.slug}-${layout}.pdf` : `badge-${meeting.slug}-${registration}.pdf`;
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${name}"`,
      "Content-Length": String(pdf.length),
      "Cache-Control": "private, no-store",
    },
  });
}
