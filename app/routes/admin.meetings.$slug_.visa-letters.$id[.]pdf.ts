import type { LoaderFunctionArgs } from "@remix-run/node";
import { database } from "~/database.server";
import { recordId } from "~/lib/form";
import { noPdf, pdfResponse } from "~/lib/pdf.server";
import { organisersMeetingForDownload } from "~/registration/organiser-meeting.server";
import { findVisaLetter, renderVisaLetterPdf } from "~/registration/visa-letter.server";

/** A participant's visa support letter as a PDF; 404 unless their follow-up asks for one. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeetingForDownload(request, params.slug);
  const id = recordId.safeParse(params.id);
  const letter = id.success ? await findVisaLetter(database(), meeting, id.data) : undefined;
  if (!letter) throw noPdf("Page not found: no visa letter for this registration, whose travel form does not ask for one.");
  const pdf = await renderVisaLetterPdf(letter);
  return pdfResponse(pdf, `visa-letter-${meeting.slug}-${letter.registrationId}.pdf`);
}
