import { z } from "zod";
import { PARTICIPANT_CATEGORIES, type ParticipantCategory } from "../../db/schema";
import { CATEGORY_LABELS } from "~/registration/labels";

/**
 * Who documents go to (a circulation, a comment period): all registrants, confirmed participants
 * only, registrants of one category, or people chosen one by one. Only registrations that still
 * count (pending, confirmed, waiting list) are ever in an audience: people who declined or cancelled
 * left the meeting. Stored as JSON (circulations.audience, comment_periods.audience) as the choice
 * itself: `{status, category?}` (a subset of the registration filters, which select its
 * registrations) or `{registrations: [ids]}`; read back with `storedAudience`. The queries are in
 * document-audience.server.ts, the form's fields in audience-fields.tsx.
 */
export type DocumentAudienceChoice =
  | { status: "active" | "confirmed"; category?: ParticipantCategory }
  | { registrations: number[] };

export const AUDIENCE_KINDS = ["active", "confirmed", "category", "people"] as const;
type AudienceKind = (typeof AUDIENCE_KINDS)[number];

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

const storedAudienceSchema = z.union([
  z.strictObject({ status: z.enum(["active", "confirmed"]), category: z.enum(PARTICIPANT_CATEGORIES).optional() }),
  z.strictObject({ registrations: z.array(z.number().int().positive()) }),
]);

/** A stored audience read back; null for a shape this code never wrote (e.g. an older one). */
export function storedAudience(record: unknown): DocumentAudienceChoice | null {
  const parsed = storedAudienceSchema.safeParse(record);
  return parsed.success ? parsed.data : null;
}

/** The form's values that show the audience again: its kind, category and chosen people. */
export function audienceValues(audience: DocumentAudienceChoice | null): { audience: AudienceKind; category: string; registrations: string[] } {
  if (!audience) return { audience: "people", category: "", registrations: [] };
  if ("registrations" in audience) return { audience: "people", category: "", registrations: audience.registrations.map(String) };
  return { audience: audience.category ? "category" : audience.status, category: audience.category ?? "", registrations: [] };
}

/** "All registrants (pending, waiting list, confirmed)", "Registrants in the category Government", "3 people chosen"; "chosen people" when unreadable. */
export function describeDocumentAudience(audience: DocumentAudienceChoice | null): string {
  if (!audience) return "chosen people";
  if ("registrations" in audience) return `${audience.registrations.length} ${audience.registrations.length === 1 ? "person" : "people"} chosen`;
  if (audience.category) return `Registrants in the category ${CATEGORY_LABELS[audience.category]}`;
  return AUDIENCE_KIND_LABELS[audience.status];
}
