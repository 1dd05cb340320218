import type { Kysely, Transaction } from "kysely";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import type { Database, Meeting, ParticipantCategory, Registration } from "../../db/schema";
import { countryName } from "~/lib/countries.server";
import { inBatches } from "~/lib/batches";
import { pdfBytes, registerNameFonts } from "~/lib/pdf.server";
import { formatDayRange } from "~/lib/time";
import { CATEGORY_LABELS } from "~/registration/labels";
import { badgeCode } from "./check-in-reference.server";

/**
 * Name badges for the confirmed participants: an A6 card each (one per page, or four to an A4
 * sheet with cut lines), with the name large, the organisation, the country, the category as a
 * coloured band that also names it, and a QR code holding the badge's check-in reference.
 * DejaVu Sans is embedded because PDF's standard fonts cannot print "Nguyễn Thị Hồng".
 */

type Executor = Kysely<Database> | Transaction<Database>;

export const BADGE_LAYOUTS = ["a6", "a4"] as const;
type BadgeLayout = (typeof BADGE_LAYOUTS)[number];

/** A fixed, distinct colour per category (white text on each meets 4.5:1); the band names the category too. */
const CATEGORY_COLOURS: Record<ParticipantCategory, string> = {
  government: "#1d4e9e",
  international_organization: "#006d6f",
  expert: "#6a3d9a",
  civil_society: "#2b6e2f",
  private_sector: "#b33c00",
  academia: "#7a5c00",
  media: "#b0124f",
  secretariat: "#222222",
};

interface Badge {
  registrationId: number;
  firstName: string;
  lastName: string;
  organisation: string;
  country: string;
  category: ParticipantCategory;
  code: string;
}

type BadgeMeeting = Pick<Meeting, "slug" | "title" | "starts_on" | "ends_on" | "venue_city">;

function badgeOf(meeting: BadgeMeeting, registration: Registration): Badge {
  return {
    registrationId: registration.id,
    firstName: registration.first_name,
    lastName: registration.last_name,
    organisation: registration.organisation,
    country: countryName(registration.country) ?? registration.country,
    category: registration.category,
    code: badgeCode(meeting.slug, registration),
  };
}

/** The badges of the meeting's confirmed participants by last name, or of one of them (none unless confirmed). */
export async function meetingBadges(db: Executor, meeting: BadgeMeeting & { id: number }, registrationId?: number): Promise<Badge[]> {
  let query = db.selectFrom("registrations").selectAll().where("meeting_id", "=", meeting.id).where("status", "=", "confirmed");
  if (registrationId !== undefined) query = query.where("id", "=", registrationId);
  const rows = await query.orderBy("last_name").orderBy("first_name").orderBy("id").execute();
  return rows.map((row) => badgeOf(meeting, row));
}

const MM = 72 / 25.4;
const A6 = { width: 105 * MM, height: 148 * MM };
const A4 = { width: 210 * MM, height: 297 * MM };
const PADDING = 14;
const BAND_HEIGHT = 40;
const QR_SIZE = 118;
/** The white margin a QR code needs around it to be read, in modules. */
const QUIET_ZONE = 4;

/** The largest size, at most `max`, at which the text fits the width on one line (in the current font). */
function fittingSize(pdf: PDFKit.PDFDocument, text: string, width: number, max: number): number {
  pdf.fontSize(100);
  return Math.min(max, (width / Math.max(pdf.widthOfString(text), 1)) * 100);
}

/** The name as large as fits: on one line, or first and last name on two when one line would be too small. */
function nameLines(pdf: PDFKit.PDFDocument, badge: Badge, width: number): { lines: string[]; size: number } {
  pdf.font("Bold");
  const whole = `${badge.firstName} ${badge.lastName}`;
  const oneLine = fittingSize(pdf, whole, width, 26);
  if (oneLine >= 18) return { lines: [whole], size: oneLine };
  const lines = [badge.firstName, badge.lastName];
  const twoLines = Math.min(...lines.map((line) => fittingSize(pdf, line, width, 26)));
  return twoLines > oneLine ? { lines, size: twoLines } : { lines: [whole], size: oneLine };
}

/** Text centred in the box, shrunk (down to `min`) until it takes at most `maxLines` lines. */
function centredText(pdf: PDFKit.PDFDocument, text: string, box: { x: number; y: number; width: number }, size: number, min: number, maxLines: number): number {
  let current = size;
  const lineHeight = () => pdf.currentLineHeight(true);
  for (; current > min; current -= 0.5) {
    pdf.fontSize(current);
    if (pdf.heightOfString(text, { width: box.width }) <= lineHeight() * maxLines + 0.5) break;
  }
  pdf.fontSize(current);
  const height = Math.min(pdf.heightOfString(text, { width: box.width }), lineHeight() * maxLines);
  pdf.text(text, box.x, box.y, { width: box.width, align: "center", height, ellipsis: true });
  return height;
}

function drawQr(pdf: PDFKit.PDFDocument, text: string, x: number, y: number, size: number) {
  const modules = QRCode.create(text, { errorCorrectionLevel: "M" }).modules;
  const cell = size / (modules.size + 2 * QUIET_ZONE);
  pdf.save();
  pdf.rect(x, y, size, size).fill("#ffffff");
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) pdf.rect(x + (col + QUIET_ZONE) * cell, y + (row + QUIET_ZONE) * cell, cell, cell);
    }
  }
  pdf.fill("#000000");
  pdf.restore();
}

function drawBadge(pdf: PDFKit.PDFDocument, meeting: BadgeMeeting, badge: Badge, origin: { x: number; y: number }) {
  const inner = { x: origin.x + PADDING, width: A6.width - 2 * PADDING };
  let y = origin.y + PADDING;
  pdf.fillColor("#000000").font("Bold");
  y += centredText(pdf, meeting.title, { ...inner, y }, 10, 7, 3) + 2;
  pdf.font("Regular").fillColor("#333333");
  const when = [formatDayRange(meeting.starts_on, meeting.ends_on), meeting.venue_city].filter(Boolean).join(" · ");
  y += centredText(pdf, when, { ...inner, y }, 8.5, 7, 1);
  pdf.moveTo(inner.x, y + 6).lineTo(inner.x + inner.width, y + 6).lineWidth(0.5).strokeColor("#999999").stroke();

  const bandTop = origin.y + A6.height - BAND_HEIGHT;
  const qrTop = bandTop - 6 - QR_SIZE;
  // The name, organisation and country share the space between the header and the QR code, centred in it.
  const name = nameLines(pdf, badge, inner.width);
  pdf.font("Bold").fontSize(name.size);
  const nameHeight = name.lines.length * pdf.currentLineHeight(true);
  const blockTop = y + 14 + Math.max(0, (qrTop - (y + 14) - (nameHeight + 58)) / 2);
  pdf.fillColor("#000000");
  name.lines.forEach((line, i) => pdf.text(line, inner.x, blockTop + i * pdf.currentLineHeight(true), { width: inner.width, align: "center", lineBreak: false }));
  let below = blockTop + nameHeight + 6;
  pdf.font("Regular").fillColor("#222222");
  below += centredText(pdf, badge.organisation, { ...inner, y: below }, 12, 7, 2) + 3;
  pdf.font("Bold");
  centredText(pdf, badge.country, { ...inner, y: below }, 12, 7, 2);

  drawQr(pdf, badge.code, origin.x + (A6.width - QR_SIZE) / 2, qrTop, QR_SIZE);

  pdf.rect(origin.x, bandTop, A6.width, BAND_HEIGHT).fill(CATEGORY_COLOURS[badge.category]);
  pdf.fillColor("#ffffff").font("Bold");
  const label = CATEGORY_LABELS[badge.category].toUpperCase();
  const size = fittingSize(pdf, label, inner.width, 14);
  pdf.fontSize(size).text(label, inner.x, bandTop + (BAND_HEIGHT - pdf.currentLineHeight()) / 2, { width: inner.width, align: "center", lineBreak: false });
  pdf.fillColor("#000000");
}

/** Thin dashed lines where an A4 sheet of four badges is cut into A6 cards. */
function drawCutLines(pdf: PDFKit.PDFDocument) {
  pdf.save().lineWidth(0.3).strokeColor("#888888").dash(3, { space: 3 });
  pdf.moveTo(A4.width / 2, 0).lineTo(A4.width / 2, A4.height).stroke();
  pdf.moveTo(0, A4.height / 2).lineTo(A4.width, A4.height / 2).stroke();
  pdf.undash().restore();
}

/** The badges as a PDF: one A6 page each, or four to an A4 page. */
export async function renderBadgesPdf(meeting: BadgeMeeting, badges: Badge[], layout: BadgeLayout): Promise<Buffer> {
  const size = layout === "a6" ? A6 : A4;
  const pdf = new PDFDocument({
    size: [size.width, size.height],
    margin: 0,
    autoFirstPage: false,
    info: { Title: `Badges: ${meeting.title}`, Subject: "Name badges" },
  });
  const bytes = pdfBytes(pdf);
  registerNameFonts(pdf);
  const perPage = layout === "a6" ? 1 : 4;
  for (const sheet of inBatches(badges, perPage)) {
    pdf.addPage({ size: [size.width, size.height], margin: 0 });
    if (layout === "a4") drawCutLines(pdf);
    sheet.forEach((badge, slot) => {
      const origin = { x: (slot % 2) * (A4.width / 2), y: Math.floor(slot / 2) * (A4.height / 2) };
      drawBadge(pdf, meeting, badge, layout === "a6" ? { x: 0, y: 0 } : origin);
    });
  }
  if (badges.length === 0) {
    pdf.addPage({ size: [size.width, size.height], margin: 40 });
    pdf.font("Regular").fontSize(12).text("No confirmed participants yet: there are no badges to print.");
  }
  pdf.end();
  return bytes;
}
