import type { AccessLevel, DocumentDistribution, DocumentType } from "../../db/schema";

export const DOCUMENT_TYPE_LABELS: Record<DocumentType, string> = {
  provisional_agenda: "Provisional agenda",
  concept_note: "Concept note",
  information_note: "Information note for participants",
  working_paper: "Working paper",
  background_paper: "Background paper",
  presentation: "Presentation",
  report: "Report",
  list_of_participants: "List of participants",
  other: "Other",
};

/** Plural headings for the documents page, which groups documents by type. */
export const DOCUMENT_TYPE_PLURALS: Record<DocumentType, string> = {
  provisional_agenda: "Provisional agenda",
  concept_note: "Concept notes",
  information_note: "Information notes for participants",
  working_paper: "Working papers",
  background_paper: "Background papers",
  presentation: "Presentations",
  report: "Reports",
  list_of_participants: "List of participants",
  other: "Other documents",
};

export const DISTRIBUTION_LABELS: Record<DocumentDistribution, string> = {
  general: "General",
  limited: "Limited",
  restricted: "Restricted",
};

export const ACCESS_LEVEL_LABELS: Record<AccessLevel, string> = {
  public: "Everyone",
  registered: "Registered participants (pending, waiting list or confirmed)",
  confirmed: "Confirmed participants",
  organisers: "Organisers only",
};

/** The lowest access level each distribution allows (the database holds documents to it). */
export const DISTRIBUTION_MINIMUM_ACCESS: Record<DocumentDistribution, AccessLevel> = {
  general: "public",
  limited: "registered",
  restricted: "confirmed",
};

/** The commission's languages, offered first; any other ISO 639 code is accepted too. */
export const MEETING_LANGUAGES = ["en", "zh", "fr", "ru"] as const;

const languageNames = new Intl.DisplayNames(["en"], { type: "language", fallback: "code" });

/** "English", "Chinese", "French"…, or the code itself when it names no language. */
export function languageName(code: string): string {
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** The symbol as printed on the paper: `ESCAP/APIS/2026/WP.1/Rev.2` for the second revision. */
export function displaySymbol(symbol: string | null, revision: number): string | null {
  if (!symbol) return null;
  return revision > 0 ? `${symbol}/Rev.${revision}` : symbol;
}

/** How a document is named in lists and emails: "ESCAP/APIS/2026/WP.1 — Title", or the title alone. */
export function documentLabel(symbol: string | null, title: string): string {
  return symbol ? `${symbol} — ${title}` : title;
}

/** "850 bytes", "12 KB", "1.4 MB". */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
}
