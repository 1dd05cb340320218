import type { Kysely, Transaction } from "kysely";
import { inTransaction, recordAuditEvent } from "~/audit/audit-log.server";
import { DateTime } from "luxon";
import PDFDocument from "pdfkit";
import type { Database, Meeting } from "../../db/schema";
import { countryName } from "~/lib/countries.server";
import { pdfBytes, toWinAnsi } from "~/lib/pdf.server";

/**
 * Visa support letters: the meeting's template (or the default below) filled in with the person's
 * passport name and nationality and the meeting's dates and venue, printed as an A4 PDF.
 */

type Executor = Kysely<Database> | Transaction<Database>;

export const VISA_LETTER_PLACEHOLDERS = {
  name: "the name as in the passport",
  nationality: "the passport's nationality",
  organisation: "the person's organisation",
  meeting: "the meeting's title",
  dates: "the meeting's dates, e.g. 1 to 3 December 2026",
  venue: "the venue",
  city: "the venue's city",
  country: "the venue's country",
  organisingBody: "the organising body",
} as const;

type Placeholder = keyof typeof VISA_LETTER_PLACEHOLDERS;
export type VisaLetterValues = Record<Placeholder, string>;

export const DEFAULT_VISA_LETTER_TEMPLATE = `To whom it may concern

The secretariat of {{organisingBody}} has the honour to confirm that {{name}}, a national of {{nationality}}, is invited to participate in {{meeting}}, to be held at {{venue}}, {{city}}, {{country}}, from {{dates}}.

{{name}} will attend the meeting as a representative of {{organisation}}.

The secretariat would be grateful for any assistance that the competent authorities could extend to {{name}} in issuing the necessary entry visa in time for the meeting.

This letter does not commit {{organisingBody}} to cover any cost of travel, accommodation or subsistence, unless confirmed separately in writing.`;

export const MAX_TEMPLATE_LENGTH = 10_000;

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** What is wrong with a template, or null: unknown placeholders, no {{name}}, too long. */
export function templateProblem(template: string): string | null {
  if (!template.trim()) return "Write the letter, or restore the default";
  if (template.length > MAX_TEMPLATE_LENGTH) return `At most ${MAX_TEMPLATE_LENGTH} characters`;
  const unknown = [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !(name in VISA_LETTER_PLACEHOLDERS));
  if (unknown.length > 0) {
    return `Unknown placeholder {{${unknown[0]}}}: use ${Object.keys(VISA_LETTER_PLACEHOLDERS).map((p) => `{{${p}}}`).join(", ")}`;
  }
  if (![...template.matchAll(PLACEHOLDER)].some((m) => m[1] === "name")) return "The letter must name the person: keep {{name}}";
  return null;
}

/** Saves the meeting's template; the default, or null, means the default letter. */
export async function saveVisaLetterTemplate(
  db: Executor,
  meetingId: number,
  template: string | null,
  actor: number | null,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const text = template?.replace(/\r\n/g, "\n").trim() ?? null;
  if (text !== null && text !== DEFAULT_VISA_LETTER_TEMPLATE) {
    const problem = templateProblem(text);
    if (problem) return { ok: false, error: problem };
  }
  const stored = text === null || text === DEFAULT_VISA_LETTER_TEMPLATE ? null : text;
  await inTransaction(db, async (trx) => {
    const before = await trx.selectFrom("meetings").select("visa_letter_template").where("id", "=", meetingId).forUpdate().executeTakeFirstOrThrow();
    await trx.updateTable("meetings").set({ visa_letter_template: stored }).where("id", "=", meetingId).execute();
    const summary = stored === null ? "Restored the default visa letter" : "Saved the visa letter template";
    await recordAuditEvent(trx, { actor, meetingId, action: "visa_letter.template_changed", subject: { type: "meeting", id: meetingId }, summary, before, after: { visa_letter_template: stored } });
  });
  return { ok: true };
}

/** The template with each placeholder replaced; a missing value (a meeting without a venue name) leaves no stray commas. */
export function fillTemplate(template: string, values: VisaLetterValues): string {
  return template
    .replace(PLACEHOLDER, (whole, name: string) => (name in values ? values[name as Placeholder] : whole))
    .replace(/\b(at|in) ,\s*/g, "$1 ")
    .replace(/,(?:[ \t]*,)+/g, ",");
}

/** "1 to 3 December 2026", "30 November to 2 December 2026", "30 December 2026 to 2 January 2027", "1 December 2026". */
export function formatLetterDates(startsOn: string, endsOn: string): string {
  const start = DateTime.fromISO(startsOn, { zone: "UTC" }).setLocale("en-GB");
  const end = DateTime.fromISO(endsOn, { zone: "UTC" }).setLocale("en-GB");
  if (startsOn === endsOn) return start.toFormat("d LLLL yyyy");
  if (start.year !== end.year) return `${start.toFormat("d LLLL yyyy")} to ${end.toFormat("d LLLL yyyy")}`;
  if (start.month !== end.month) return `${start.toFormat("d LLLL")} to ${end.toFormat("d LLLL yyyy")}`;
  return `${start.toFormat("d")} to ${end.toFormat("d LLLL yyyy")}`;
}

export interface VisaLetter {
  registrationId: number;
  /** The date on the letter: today in the meeting's zone, "12 March 2026". */
  date: string;
  text: string;
  name: string;
  organisingBody: string;
  meetingTitle: string;
}

/**
 * The letter for a registration of this meeting whose follow-up asks for one, while the place is
 * confirmed and in person; undefined otherwise.
 */
export async function findVisaLetter(db: Executor, meeting: Meeting, registrationId: number, now: Date = new Date()): Promise<VisaLetter | undefined> {
  const row = await db
    .selectFrom("registration_follow_ups as f")
    .innerJoin("registrations as r", "r.id", "f.registration_id")
    .select(["r.id", "r.organisation", "f.passport_name", "f.passport_nationality"])
    .where("r.id", "=", registrationId)
    .where("r.meeting_id", "=", meeting.id)
    .where("r.status", "=", "confirmed")
    .where("r.attendance_mode", "=", "in_person")
    .where("f.needs_visa_letter", "=", true)
    .executeTakeFirst();
  if (!row?.passport_name || !row.passport_nationality) return undefined;
  const values: VisaLetterValues = {
    name: row.passport_name,
    nationality: countryName(row.passport_nationality) ?? row.passport_nationality,
    organisation: row.organisation,
    meeting: meeting.title,
    dates: formatLetterDates(meeting.starts_on, meeting.ends_on),
    venue: meeting.venue_name ?? "",
    city: meeting.venue_city ?? "",
    country: countryName(meeting.venue_country) ?? "",
    organisingBody: meeting.organising_body,
  };
  return {
    registrationId: row.id,
    date: DateTime.fromJSDate(now, { zone: meeting.timezone }).setLocale("en-GB").toFormat("d LLLL yyyy"),
    text: fillTemplate(meeting.visa_letter_template ?? DEFAULT_VISA_LETTER_TEMPLATE, values),
    name: row.passport_name,
    organisingBody: meeting.organising_body,
    meetingTitle: meeting.title,
  };
}

/** The letter on A4: the organising body, the date, the text, and the signature block. */
export function renderVisaLetterPdf(letter: VisaLetter): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: 72, bottom: 72, left: 72, right: 72 },
    info: { Title: `Visa support letter: ${letter.name}`, Author: letter.organisingBody, Subject: letter.meetingTitle },
  });
  const done = pdfBytes(doc);
  doc.font("Helvetica-Bold").fontSize(13).text(toWinAnsi(letter.organisingBody));
  doc.moveDown(0.25);
  doc.font("Helvetica").fontSize(10).fillColor("#444444").text(toWinAnsi(letter.meetingTitle));
  doc.moveDown(1.5);
  doc.fillColor("#000000").fontSize(11).text(toWinAnsi(letter.date), { align: "right" });
  doc.moveDown(1.5);
  const paragraphs = letter.text.replace(/\r\n/g, "\n").split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  for (const paragraph of paragraphs) {
    doc.font("Helvetica").fontSize(11).text(toWinAnsi(paragraph), { align: "justify", lineGap: 2 });
    doc.moveDown(1);
  }
  doc.moveDown(2);
  doc.text("_______________________________");
  doc.moveDown(0.25);
  doc.font("Helvetica-Bold").text("Secretary of the meeting");
  doc.font("Helvetica").text(toWinAnsi(letter.organisingBody));
  doc.end();
  return done;
}
