import { z } from "zod";
import { PARTICIPANT_CATEGORIES, type ParticipantCategory } from "../../db/schema";
import { CATEGORY_LABELS } from "~/registration/labels";

/**
 * Who documents go to (a circulation, a comment period): registrants by the registration filters'
 * status and category, or people chosen one by one. Only registrations that still count (pending,
 * confirmed, waiting list) are ever in an audience: people who declined or cancelled left the meeting.
 * Stored as JSON in the shape of the registration filters, so it reads the same everywhere.
 */
export type DocumentAudienceChoice =
  | { status: "active" | "confirmed"; category?: ParticipantCategory }
  | { registrations: number[] };

export const AUDIENCE_KINDS = ["active", "confirmed", "category", "people"] as const;
export type AudienceKind = (typeof AUDIENCE_KINDS)[number];

export const AUDIENCE_KIND_LABELS: Record<AudienceKind, string> = {
  active: "All registrants (pending, waiting list, confirmed)",
  confirmed: "Confirmed participants only",
  category: "Registrants of one category",
  people: "Specific people",
};

const MAX_PEOPLE = 5_000;

/** The audience's inputs: `audience` (a kind), `category` for "category", `registrations` (repeated ids) for "people". */
export const audienceSchema = z
  .object({
    audience: z.enum(AUDIENCE_KINDS, { error: `Choose who receives them: ${AUDIENCE_KINDS.join(", ")}` }),
    category: z.string().optional(),
    registrations: z.array(z.string()).max(MAX_PEOPLE, `At most ${MAX_PEOPLE} people at once`),
  })
  .transform((input, ctx): DocumentAudienceChoice => {
    if (input.audience === "active" || input.audience === "confirmed") return { status: input.audience };
    if (input.audience === "category") {
      const category = PARTICIPANT_CATEGORIES.find((value) => value === input.category);
      if (!category) {
        ctx.addIssue({ code: "custom", path: ["category"], message: "Choose a category from the list" });
        return z.NEVER;
      }
      return { status: "active", category };
    }
    if (input.registrations.length === 0 || !input.registrations.every((id) => /^[1-9]\d{0,8}$/.test(id))) {
      ctx.addIssue({
        code: "custom",
        path: ["registrations"],
        message: input.registrations.length === 0 ? "Choose at least one person" : "Choose people from the list",
      });
      return z.NEVER;
    }
    return { registrations: [...new Set(input.registrations.map(Number))] };
  });

/** The audience's inputs of a form, ready for `audienceSchema`. */
export function audienceInput(formData: FormData) {
  const text = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  return {
    audience: text("audience"),
    category: text("category"),
    registrations: formData.getAll("registrations").filter((value): value is string => typeof value === "string"),
  };
}

/** A stored audience read back; anything else is treated as nobody chosen. */
export function storedAudience(record: Record<string, unknown>): DocumentAudienceChoice {
  if (Array.isArray(record.registrations)) return { registrations: record.registrations.filter((id): id is number => typeof id === "number") };
  const category = PARTICIPANT_CATEGORIES.find((value) => value === record.category);
  return { status: record.status === "confirmed" ? "confirmed" : "active", ...(category ? { category } : {}) };
}

export function audienceKind(audience: DocumentAudienceChoice): AudienceKind {
  if ("registrations" in audience) return "people";
  return audience.category ? "category" : audience.status;
}

/** "All registrants (pending, waiting list, confirmed)", "Registrants of one category: Government", "3 people chosen". */
export function describeDocumentAudience(audience: DocumentAudienceChoice): string {
  if ("registrations" in audience) return `${audience.registrations.length} ${audience.registrations.length === 1 ? "person" : "people"} chosen`;
  if (audience.category) return `Registrants in the category ${CATEGORY_LABELS[audience.category]}`;
  return AUDIENCE_KIND_LABELS[audience.status];
}
