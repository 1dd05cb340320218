import type { Kysely, Transaction } from "kysely";
import PDFDocument from "pdfkit";
import type { AttendanceMode, Database, Meeting } from "../../db/schema";
import { pdfBytes, registerNameFonts } from "~/lib/pdf.server";
import { formatDay, todayIn } from "~/lib/time";
import { venueText } from "~/meetings/meeting-place.server";
import { fullName } from "~/registration/registration-console.server";
import { formatLetterDates } from "~/registration/visa-letter.server";
import { type ParticipantAttendance, attendanceReport, participantAttendance } from "./attendance-report.server";

/**
 * Certificates of attendance: one A4 landscape page per person who attended at least one day,
 * naming them, the meeting, its dates and place, and the days they attended and how. Printed in
 * DejaVu Sans, which has the letters of Latin, Cyrillic, Greek and Vietnamese names (PDF's
 * standard fonts have only Western European ones).
 */

type Executor = Kysely<Database> | Transaction<Database>;
type CertificateMeeting = Pick<
  Meeting,
  "id" | "slug" | "title" | "timezone" | "starts_on" | "ends_on" | "online_attendance_percent" | "organising_body" | "venue_name" | "venue_city" | "venue_country" | "page_version"
>;

interface Certificate {
  registrationId: number;
  name: string;
  organisation: string;
  meetingTitle: string;
  organisingBody: string;
  /** "1 to 3 December 2026" */
  dates: string;
  /** "United Nations Conference Centre, Bangkok, Thailand", "Online", or both. */
  place: string;
  /** "Attended in person on 1 and 2 December 2026, and online on 3 December 2026." */
  attendance: string;
  /** The day it was made, in the meeting's zone: "5 December 2026". */
  issuedOn: string;
}

function listed(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

/** "1, 2 and 3 December 2026", "30 November and 1 December 2026": days grouped by month. */
function daysInWords(days: string[]): string {
  const months = new Map<string, string[]>();
  for (const day of [...days].sort()) {
    const [date = "", ...month] = formatDay(day, "formal").split(" ");
    const monthName = month.join(" ");
    months.set(monthName, [...(months.get(monthName) ?? []), date]);
  }
  return listed([...months].map(([month, dates]) => `${listed(dates)} ${month}`));
}

function attendanceSentence(participant: ParticipantAttendance): string {
  const daysIn = (mode: AttendanceMode) => Object.keys(participant.days).filter((day) => participant.days[day] === mode);
  const parts: string[] = [];
  if (daysIn("in_person").length) parts.push(`in person on ${daysInWords(daysIn("in_person"))}`);
  if (daysIn("online").length) parts.push(`online on ${daysInWords(daysIn("online"))}`);
  return `Attended ${parts.join(", and ")}.`;
}

function placeOf(meeting: CertificateMeeting, participant: ParticipantAttendance): string {
  const modes = Object.values(participant.days);
  const venue = venueText(meeting);
  const inPerson = modes.includes("in_person") && venue;
  if (inPerson && modes.includes("online")) return `${venue}, and online`;
  return inPerson ? venue : "Online";
}

function certificateOf(meeting: CertificateMeeting, participant: ParticipantAttendance, now: Date): Certificate {
  return {
    registrationId: participant.registrationId,
    name: fullName({ salutation: participant.salutation, first_name: participant.firstName, last_name: participant.lastName }),
    organisation: participant.organisation,
    meetingTitle: meeting.title,
    organisingBody: meeting.organising_body,
    dates: formatLetterDates(meeting.starts_on, meeting.ends_on),
    place: placeOf(meeting, participant),
    attendance: attendanceSentence(participant),
    issuedOn: formatDay(todayIn(meeting.timezone, now), "formal"),
  };
}

/** The certificates of everyone who attended, in the register's order (by name). */
export async function meetingCertificates(db: Executor, meeting: CertificateMeeting, now: Date = new Date()): Promise<Certificate[]> {
  const report = await attendanceReport(db, meeting);
  return report.participants.filter((p) => p.mode !== null).map((p) => certificateOf(meeting, p, now));
}

/** One person's certificate; undefined unless they are a confirmed participant who attended at least one day. */
export async function participantCertificate(db: Executor, meeting: CertificateMeeting, registrationId: number, now: Date = new Date()): Promise<Certificate | undefined> {
  const participant = await participantAttendance(db, meeting, registrationId);
  return participant?.mode ? certificateOf(meeting, participant, now) : undefined;
}

function drawCertificate(doc: PDFKit.PDFDocument, certificate: Certificate) {
  const { width, height } = doc.page;
  const margin = 56;
  const textWidth = width - 2 * margin;
  const centred = { width: textWidth, align: "center" as const };
  doc.lineWidth(3).strokeColor("#1d4f91").rect(24, 24, width - 48, height - 48).stroke();
  doc.lineWidth(0.75).rect(32, 32, width - 64, height - 64).stroke();
  doc.fillColor("#1d4f91").font("Bold").fontSize(13).text(certificate.organisingBody, margin, 80, centred);
  doc.moveDown(1.5);
  doc.fillColor("#000000").font("Bold").fontSize(30).text("Certificate of attendance", centred);
  doc.moveDown(0.8);
  doc.font("Regular").fontSize(13).text("This is to certify that", centred);
  doc.moveDown(0.5);
  doc.font("Bold").fontSize(26).text(certificate.name, centred);
  doc.font("Regular").fontSize(12).fillColor("#444444").text(certificate.organisation, centred);
  doc.moveDown(1.2);
  doc.fillColor("#000000").fontSize(13).text("participated in", centred);
  doc.moveDown(0.4);
  doc.font("Bold").fontSize(18).text(certificate.meetingTitle, centred);
  doc.moveDown(0.4);
  doc.font("Regular").fontSize(13).text(`${certificate.dates} · ${certificate.place}`, centred);
  doc.moveDown(1.2);
  doc.fontSize(12).text(certificate.attendance, centred);
  const footer = height - 120;
  doc.fontSize(11).text(`Issued on ${certificate.issuedOn}`, margin, footer, { width: textWidth / 2 });
  doc.text("_______________________________", margin + textWidth / 2, footer, { width: textWidth / 2, align: "right" });
  doc.font("Bold").text("Secretary of the meeting", margin + textWidth / 2, footer + 18, { width: textWidth / 2, align: "right" });
}

/** The certificates as one PDF, a page each (A4 landscape). */
export function renderCertificatesPdf(certificates: Certificate[], title: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", layout: "landscape", margin: 56, autoFirstPage: false, info: { Title: title } });
  const done = pdfBytes(doc);
  registerNameFonts(doc);
  for (const certificate of certificates) {
    doc.addPage();
    drawCertificate(doc, {
      ...certificate,
      name: certificate.name.normalize("NFC"),
      organisation: certificate.organisation.normalize("NFC"),
      meetingTitle: certificate.meetingTitle.normalize("NFC"),
    });
  }
  doc.end();
  return done;
}
