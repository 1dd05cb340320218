import type { LoaderFunctionArgs } from "@remix-run/node";
import { database } from "~/database.server";
import { organisersMeetingForDownload } from "~/registration/organiser-meeting.server";
import { findVisaLetter, renderVisaLetterPdf } from "~/registration/visa-letter.server";
import { recordId } from "~/lib/form";

const idSchema = recordId;

/** A participant's visa support letter as a PDF; 404 unless their follow-up asks for one. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeetingForDownload(request, params.slug);
  const id = idSchema.safeParse(params.id);
  const letter = id.success ? await findVisaLetter(database(), meeting, id.data) : undefined;
  if (!letter) {
    throw new Response("Page not found: no visa letter for this registration, whose travel form does not ask for one.", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const pdf = await renderVisaLetterPdf(letter);
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="visa-letter-${meeting.slug}-${letter.registrationId}.pdf"`,
      "Content-Length": String(pdf.length),
      "Cache-Control": "private, no-store",
    },
  });
}
