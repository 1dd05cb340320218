import type { LoaderFunctionArgs } from "@remix-run/node";
import { participantCertificate, renderCertificatesPdf } from "~/attendance/certificates.server";
import { database } from "~/database.server";
import { noPdf, pdfResponse } from "~/lib/pdf.server";
import { SECRET_LINK_HEADERS } from "~/lib/secret-link";
import { findRegistrationByToken } from "~/registration/registrations.server";

/** The participant's own certificate of attendance, from their manage link; 404 for an unknown link or while they have attended no day. */
export async function loader({ params }: LoaderFunctionArgs) {
  const db = database();
  const found = await findRegistrationByToken(db, params.token);
  const certificate = found && (await participantCertificate(db, found.meeting, found.registration.id));
  if (!found || !certificate) {
    throw noPdf("Page not found: there is no certificate of attendance at this address, or your attendance is not recorded yet.", 404, SECRET_LINK_HEADERS);
  }
  const pdf = await renderCertificatesPdf([certificate], `Certificate of attendance: ${certificate.name}`);
  return pdfResponse(pdf, `certificate-${found.meeting.slug}.pdf`, SECRET_LINK_HEADERS);
}
