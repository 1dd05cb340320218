import type { LoaderFunctionArgs } from "@remix-run/node";
import { participantCertificate, renderCertificatesPdf } from "~/attendance/certificates.server";
import { database } from "~/database.server";
import { recordId } from "~/lib/form";
import { organisersMeetingForDownload } from "~/registration/organiser-meeting.server";

/** One participant's certificate of attendance; 404 unless they are confirmed and attended at least one day. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeetingForDownload(request, params.slug);
  const id = recordId.safeParse(params.id);
  const certificate = id.success ? await participantCertificate(database(), meeting, id.data) : undefined;
  if (!certificate) {
    throw new Response("Page not found: no certificate for this registration, whose attendance is not recorded.", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const pdf = await renderCertificatesPdf([certificate], `Certificate of attendance: ${certificate.name}`);
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="certificate-${meeting.slug}-${certificate.registrationId}.pdf"`,
      "Content-Length": String(pdf.length),
      "Cache-Control": "private, no-store",
    },
  });
}
