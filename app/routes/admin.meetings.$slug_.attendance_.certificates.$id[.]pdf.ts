import type { LoaderFunctionArgs } from "@remix-run/node";
import { participantCertificate, renderCertificatesPdf } from "~/attendance/certificates.server";
import { database } from "~/database.server";
import { recordId } from "~/lib/form";
import { noPdf, pdfResponse } from "~/lib/pdf.server";
import { organisersMeetingForDownload } from "~/registration/organiser-meeting.server";

/** One participant's certificate of attendance; 404 unless they are confirmed and attended at least one day. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeetingForDownload(request, params.slug);
  const id = recordId.safeParse(params.id);
  const certificate = id.success ? await participantCertificate(database(), meeting, id.data) : undefined;
  if (!certificate) throw noPdf("Page not found: no certificate for this registration, whose attendance is not recorded.");
  const pdf = await renderCertificatesPdf([certificate], `Certificate of attendance: ${certificate.name}`);
  return pdfResponse(pdf, `certificate-${meeting.slug}-${certificate.registrationId}.pdf`);
}
