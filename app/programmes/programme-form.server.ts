import { z } from "zod";
import { type FormFailure, fieldErrors, formValues, optionalText, requiredText } from "~/lib/form";
import type { ProgrammeInput } from "./programmes.server";

const programmeForm = z.object({
  title: requiredText(200, "Give the programme a title"),
  summary: optionalText(1_000),
  parent: optionalText(100),
  position: z
    .string()
    .trim()
    .optional()
    .transform((value) => Number(value || "0"))
    .pipe(z.number({ error: "A whole number" }).int("A whole number").min(0, "0 or more").max(1_000, "At most 1000")),
});

export function parseProgrammeForm(formData: FormData): { ok: true; input: ProgrammeInput } | ({ ok: false } & FormFailure) {
  const values = formValues(formData);
  const parsed = programmeForm.safeParse(values);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error), values };
  return { ok: true, input: parsed.data };
}
