import type { Kysely } from "kysely";
import PDFDocument from "pdfkit";
import { addDocumentFile, createDocument } from "../app/documents/document-admin.server";
import { documentStore } from "../app/documents/document-store.server";
import { DISTRIBUTION_LABELS } from "../app/documents/labels";
import { pdfBytes } from "../app/lib/pdf.server";
import type { AccessLevel, Database, DocumentDistribution, DocumentType } from "./schema";

/**
 * The demo meetings' papers: small real PDFs generated here (our own text, nothing copied), stored
 * in the document store like uploads and recorded as organisers' uploads are. The expert group meeting has a provisional
 * agenda in English and French, a concept note, an information note for registrants only and a
 * working paper in two versions; the ministerial conference has its agenda and information note.
 */

interface DemoFile {
  language: "en" | "fr";
  /** Paragraphs of the paper; a later version has more. */
  versions: string[][];
}

interface DemoDocument {
  meeting: string;
  type: DocumentType;
  title: string;
  /** After the meeting's prefix, e.g. "WP.1"; null for a paper without symbol. */
  symbol: string | null;
  distribution: DocumentDistribution;
  access: AccessLevel;
  /** Linked to the agenda items whose titles contain this. */
  agendaItem?: string;
  files: DemoFile[];
}

const EGM = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";
const CONFERENCE = "ministerial-conference-on-digital-cooperation-in-asia-and-the-pacific";
const PREFIX: Record<string, string> = { [EGM]: "ESCAP/APIS/EGM", [CONFERENCE]: "ESCAP/MCDC" };

const DOCUMENTS: DemoDocument[] = [
  {
    meeting: EGM,
    type: "provisional_agenda",
    title: "Provisional agenda",
    symbol: "1",
    distribution: "general",
    access: "public",
    files: [
      {
        language: "en",
        versions: [["1. Opening of the meeting.", "2. Adoption of the agenda.", "3. Review of the draft Regional Framework for e-Resilience.", "4. National experience of network resilience in disasters.", "5. Recommendations.", "6. Closing of the meeting."]],
      },
      {
        language: "fr",
        versions: [["1. Ouverture de la réunion.", "2. Adoption de l'ordre du jour.", "3. Examen du projet de cadre régional pour la e-résilience.", "4. Expériences nationales de la résilience des réseaux face aux catastrophes.", "5. Recommandations.", "6. Clôture de la réunion."]],
      },
    ],
  },
  {
    meeting: EGM,
    type: "concept_note",
    title: "Concept note",
    symbol: null,
    distribution: "general",
    access: "public",
    files: [
      {
        language: "en",
        versions: [["Digital networks carry early warnings, coordinate relief and keep families in touch when disasters strike.", "This meeting asks experts to review a draft framework that helps member States keep those networks running."]],
      },
    ],
  },
  {
    meeting: EGM,
    type: "information_note",
    title: "Information note for participants",
    symbol: "INF.1",
    distribution: "limited",
    access: "registered",
    files: [
      {
        language: "en",
        versions: [["The meeting takes place in Meeting Room G of the United Nations Conference Centre, Bangkok.", "Participants joining online receive the link by email two days before the meeting.", "The secretariat can help with visa letters and hotel bookings on request."]],
      },
    ],
  },
  {
    meeting: EGM,
    type: "working_paper",
    title: "Draft Regional Framework for e-Resilience",
    symbol: "WP.1",
    distribution: "general",
    access: "public",
    agendaItem: "Regional Framework for e-Resilience",
    files: [
      {
        language: "en",
        versions: [
          ["Chapter 1 sets out principles for resilient digital infrastructure.", "Chapter 2 describes redundancy in backbone and submarine links."],
          [
            "Chapter 1 sets out principles for resilient digital infrastructure.",
            "Chapter 2 describes redundancy in backbone and submarine links.",
            "Chapter 3, new in this version, covers emergency telecommunications and early warning dissemination.",
          ],
        ],
      },
    ],
  },
  {
    meeting: CONFERENCE,
    type: "provisional_agenda",
    title: "Provisional agenda",
    symbol: "1",
    distribution: "general",
    access: "public",
    files: [
      { language: "en", versions: [["Senior officials segment: review of the regional action plan for digital cooperation.", "Ministerial segment: policy statements and adoption of the ministerial declaration."]] },
      { language: "fr", versions: [["Segment des hauts fonctionnaires : examen du plan d'action régional pour la coopération numérique.", "Segment ministériel : déclarations de politique générale et adoption de la déclaration ministérielle."]] },
    ],
  },
  {
    meeting: CONFERENCE,
    type: "information_note",
    title: "Information note for participants",
    symbol: "INF.1",
    distribution: "limited",
    access: "registered",
    files: [{ language: "en", versions: [["Delegations are asked to confirm their composition through their focal points.", "Shuttle buses run between the official hotels and Songdo Convensia."]] }],
  },
];

/** A small A4 PDF of the paper, the same bytes every time for the same text. */
function demoPdf(heading: { symbol: string | null; distribution: string; title: string; meeting: string }, paragraphs: string[]): Promise<Buffer> {
  const pdf = new PDFDocument({ size: "A4", margin: 72, info: { Title: heading.title, CreationDate: new Date(Date.UTC(2026, 0, 1)) } });
  const done = pdfBytes(pdf);
  pdf.font("Helvetica").fontSize(9).text(`Distr.: ${heading.distribution}`, { align: "right" });
  if (heading.symbol) pdf.text(heading.symbol, { align: "right" });
  pdf.moveDown(2).fontSize(11).text(heading.meeting).moveDown();
  pdf.font("Helvetica-Bold").fontSize(16).text(heading.title).moveDown();
  for (const paragraph of paragraphs) pdf.font("Helvetica").fontSize(11).text(paragraph, { lineGap: 2 }).moveDown(0.5);
  pdf.end();
  return done;
}

interface DocumentMeeting {
  id: number;
  slug: string;
  title: string;
  starts_on: string;
}

function fileName(document: DemoDocument, symbol: string | null, language: string): string {
  const base = symbol ? symbol.replaceAll("/", "_") : document.title.replaceAll(" ", "-");
  return `${base}_${language.toUpperCase()}.pdf`;
}

export async function insertDemoDocuments(db: Kysely<Database>, meetings: DocumentMeeting[]): Promise<void> {
  const bySlug = new Map(meetings.map((meeting) => [meeting.slug, meeting]));
  for (const demo of DOCUMENTS) {
    const meeting = bySlug.get(demo.meeting);
    if (!meeting) continue;
    const symbol = demo.symbol ? `${PREFIX[demo.meeting]}/${meeting.starts_on.slice(0, 4)}/${demo.symbol}` : null;
    const heading = { symbol, distribution: DISTRIBUTION_LABELS[demo.distribution], title: demo.title, meeting: meeting.title };
    const stored = async (language: string, paragraphs: string[]) => {
      const { key, size } = await documentStore().put([await demoPdf(heading, paragraphs)], { maxBytes: Number.MAX_SAFE_INTEGER });
      return { key, size, mediaType: "application/pdf", fileName: fileName(demo, symbol, language) };
    };
    const created = await createDocument(db, {
      meetingId: meeting.id,
      type: demo.type,
      title: demo.title,
      symbol,
      description: null,
      distribution: demo.distribution,
      access: demo.access,
      agendaItemIds: demo.agendaItem ? await agendaItemIds(db, meeting.id, demo.agendaItem) : [],
      files: await Promise.all(demo.files.map(async (file) => ({ ...(await stored(file.language, file.versions[0]!)), language: file.language }))),
      createdBy: null,
    });
    if (!created.ok) throw new Error(`Demo document ${demo.title}: ${created.message}`);
    for (const file of demo.files) {
      for (const paragraphs of file.versions.slice(1)) {
        const added = await addDocumentFile(db, { documentId: created.value, language: file.language, file: await stored(file.language, paragraphs), revision: false, uploadedBy: null });
        if (!added.ok) throw new Error(`Demo document ${demo.title}: ${added.message}`);
      }
    }
  }
}

async function agendaItemIds(db: Kysely<Database>, meetingId: number, titlePart: string): Promise<number[]> {
  const items = await db.selectFrom("agenda_items").select("id").where("meeting_id", "=", meetingId).where("title", "like", `%${titlePart}%`).execute();
  return items.map((item) => item.id);
}
