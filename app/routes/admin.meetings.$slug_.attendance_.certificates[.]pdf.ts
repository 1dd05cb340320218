import type { LoaderFunctionArgs } from "@remix-run/node";
import { meetingCertificates, renderCertificatesPdf } from "~/attendance/certificates.server";
import { database } from "~/database.server";
import { noPdf, pdfResponse } from "~/lib/pdf.server";
import { organisersMeetingForDownload } from "~/registration/organiser-meeting.server";

/** Every certificate of attendance of the meeting in one PDF, a page each; 404 while nobody has attended. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeetingForDownload(request, params.slug);
  const certificates = await meetingCertificates(database(), meeting);
  if (certificates.length === 0) throw noPdf("No certificates: nobody's attendance is recorded for this meeting yet.");
  const pdf = await renderCertificatesPdf(certificates, `Certificates of attendance: ${meeting.title}`);
  return pdfResponse(pdf, `certificates-${meeting.slug}.pdf`);
}
