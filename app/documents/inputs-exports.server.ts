import type { Kysely, Transaction } from "kysely";
import PDFDocument from "pdfkit";
import { z } from "zod";
import type { Database, Document, Meeting } from "../../db/schema";
import { database } from "~/database.server";
import { spreadsheetCsv } from "~/lib/csv.server";
import { recordId } from "~/lib/form";
import { pdfBytes, toWinAnsi } from "~/lib/pdf.server";
import { zoneLabel } from "~/lib/time";
import { organisersMeetingForDownload } from "~/registration/organiser-meeting.server";
import { contentDisposition } from "~/lib/content-disposition";
import { type InputView, documentInputs, liveDocument } from "./inputs.server";
import { displaySymbol, documentLabel } from "./labels";

/** A document's inputs exported for the revision: CSV (one row per input) and a PDF compilation. */

type Executor = Kysely<Database> | Transaction<Database>;
type MeetingRef = Pick<Meeting, "slug" | "title" | "timezone" | "organising_body">;

/** "expert-group-meeting-…-document-12-inputs.csv" */
function inputsFilename(meeting: Pick<Meeting, "slug">, document: Pick<Document, "id">, extension: "csv" | "pdf"): string {
  return `${meeting.slug}-document-${document.id}-inputs.${extension}`;
}

const documentParams = z.object({ id: recordId });

/**
 * A document's inputs for the organisers, as CSV (UTF-8 with a byte order mark) or as a PDF
 * compilation: organisers only (others are sent to sign in or refused), a live document of the meeting or 404.
 */
export async function inputsExport(request: Request, params: { slug?: string; id?: string }, format: "csv" | "pdf"): Promise<Response> {
  const { meeting } = await organisersMeetingForDownload(request, params.slug);
  const db = database();
  const id = documentParams.safeParse(params);
  const document = id.success ? await liveDocument(db, meeting.id, id.data.id) : undefined;
  if (!document) throw new Response("Not found: there is no such document.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const headers = { "Content-Disposition": contentDisposition(inputsFilename(meeting, document, format)), "Cache-Control": "private, no-store" };
  if (format === "csv") return new Response(await inputsCsv(db, meeting, document), { headers: { ...headers, "Content-Type": "text/csv; charset=utf-8" } });
  const pdf = await inputsPdf(db, meeting, document);
  return new Response(new Uint8Array(pdf), { headers: { ...headers, "Content-Type": "application/pdf", "Content-Length": String(pdf.length) } });
}

function where(input: InputView): string {
  return [input.section ? `Section ${input.section}` : null, input.page ? `page ${input.page}` : null].filter(Boolean).join(", ");
}

/** CSV in UTF-8 with a byte order mark (as the registrations export), times in the meeting's zone. */
export async function inputsCsv(db: Executor, meeting: MeetingRef, document: Document): Promise<string> {
  const inputs = await documentInputs(db, document.id, meeting.timezone);
  const header = ["ID", "Author", "Organisation", "Country", "Section", "Page", "Input", "File", `Received (${zoneLabel(meeting.timezone)})`, "Received (UTC)", "Addressed"];
  const rows = inputs.map((input) => [
    input.id,
    input.author,
    input.organisation,
    input.country,
    input.section ?? "",
    input.page ?? "",
    input.body,
    input.file?.name ?? "",
    input.receivedAt,
    input.receivedAtIso,
    input.addressed ? "yes" : "no",
  ]);
  return spreadsheetCsv([header, ...rows]);
}

/**
 * The inputs compiled on A4 for the drafting team: the document's symbol and title, then each input
 * with its author, section or page, date and text. Standard PDF fonts, as the visa letter: letters
 * they lack lose their accent, other scripts print as "?" (the CSV keeps every character).
 */
export async function inputsPdf(db: Executor, meeting: MeetingRef, document: Document): Promise<Buffer> {
  const inputs = await documentInputs(db, document.id, meeting.timezone);
  const title = documentLabel(displaySymbol(document.symbol, document.revision), document.title);
  const pdf = new PDFDocument({ size: "A4", margins: { top: 60, bottom: 60, left: 60, right: 60 }, info: { Title: `Inputs: ${toWinAnsi(title)}`, Author: toWinAnsi(meeting.organising_body) } });
  const done = pdfBytes(pdf);
  pdf.font("Helvetica").fontSize(10).fillColor("#444444").text(toWinAnsi(meeting.title));
  pdf.moveDown(0.5);
  pdf.font("Helvetica-Bold").fontSize(15).fillColor("#000000").text(toWinAnsi(`Inputs on ${title}`));
  pdf.moveDown(0.25);
  pdf.font("Helvetica").fontSize(10).text(`${inputs.length} ${inputs.length === 1 ? "input" : "inputs"}; times in ${toWinAnsi(zoneLabel(meeting.timezone))}.`);
  const lossy = inputs.some((input) => [input.author, input.organisation, input.section ?? "", input.body].some((text) => toWinAnsi(text) !== text.normalize("NFC")));
  if (lossy) {
    pdf.moveDown(0.25);
    pdf.fillColor("#444444").text("Some characters cannot be printed with this PDF's fonts and show without accents or as \"?\": the CSV export keeps every character.");
    pdf.fillColor("#000000");
  }
  pdf.moveDown(1);
  inputs.forEach((input, index) => {
    pdf.font("Helvetica-Bold").fontSize(11).text(toWinAnsi(`${index + 1}. ${input.author}, ${input.organisation} (${input.country})`));
    const details = [where(input), input.receivedAt, input.addressed ? "addressed" : null, input.file ? `file: ${input.file.name}` : null].filter(Boolean).join(" · ");
    pdf.font("Helvetica").fontSize(9).fillColor("#444444").text(toWinAnsi(details));
    pdf.moveDown(0.3);
    pdf.fontSize(11).fillColor("#000000").text(toWinAnsi(input.body.replace(/\r\n/g, "\n")), { lineGap: 2 });
    pdf.moveDown(1);
  });
  if (inputs.length === 0) pdf.font("Helvetica").fontSize(11).text("No inputs have been received.");
  pdf.end();
  return done;
}
