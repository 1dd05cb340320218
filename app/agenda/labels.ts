import type { AgendaItemKind, AgendaRole } from "../../db/schema";

export const AGENDA_KIND_LABELS: Record<AgendaItemKind, string> = {
  opening: "Opening",
  session: "Session",
  panel: "Panel",
  keynote: "Keynote",
  break: "Break",
  lunch: "Lunch",
  side_event: "Side event",
  closing: "Closing",
  other: "Other",
};

/** Pauses in the programme: nobody attends a coffee break, so attendance is neither taken nor reported for them. */
export const PAUSE_KINDS: readonly AgendaItemKind[] = ["break", "lunch"];

export const AGENDA_ROLE_LABELS: Record<AgendaRole, string> = {
  chair: "Chair",
  moderator: "Moderator",
  speaker: "Speaker",
  panellist: "Panellist",
  rapporteur: "Rapporteur",
};

/** Plural headings for people grouped by role on the agenda: "Panellists". */
export const AGENDA_ROLE_PLURALS: Record<AgendaRole, string> = {
  chair: "Chairs",
  moderator: "Moderators",
  speaker: "Speakers",
  panellist: "Panellists",
  rapporteur: "Rapporteurs",
};
