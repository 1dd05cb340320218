import { z } from "zod";
import { ACCESS_LEVELS, DOCUMENT_DISTRIBUTIONS, DOCUMENT_TYPES } from "../../db/schema";
import { fieldErrors, optionalText, recordId, requiredText } from "~/lib/form";
import type { DocumentMetadata, StoredFile } from "./document-admin.server";
import { fileField, OTHER_LANGUAGE } from "./document-fields";
import { ACCESS_LEVEL_LABELS, DISTRIBUTION_LABELS, DISTRIBUTION_MINIMUM_ACCESS, languageName, MEETING_LANGUAGES } from "./labels";
import type { UploadForm } from "./uploads.server";

/**
 * The organisers' documents forms, parsed with zod: the metadata (new document and edit), the
 * files of a new document, and a file added to a document. Every refusal is a message for a field.
 */

type Upload = Extract<UploadForm, { ok: true }>;
type Parsed<T> = { ok: true; input: T } | { ok: false; errors: Record<string, string> };

const CONTROL = /[\u0000-\u001F\u007F]/;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const SYMBOL = /^[\p{L}\p{N}][\p{L}\p{N}/.\-_()]*$/u;
const SUFFIX = /\/(Rev|Corr)\.\d+$/i;
const id = recordId;

const metadataSchema = z
  .object({
    title: requiredText(300, "Give the document a title").refine((title) => !CONTROL.test(title), "The title is one line of text, without control characters"),
    type: z.enum(DOCUMENT_TYPES, { error: "Choose the type of document" }),
    symbol: optionalText(120)
      .refine((symbol) => !symbol || SYMBOL.test(symbol), "A symbol is letters, digits and / . - _ ( ), without spaces: e.g. ESCAP/APIS/2026/WP.1")
      .refine((symbol) => !symbol || !SUFFIX.test(symbol), "Leave out /Rev.N and /Corr.N: they are added for a revision or a corrigendum"),
    description: optionalText(5000).refine((text) => !text || !CONTROL_BUT_LINES.test(text), "Remove the control characters"),
    distribution: z.enum(DOCUMENT_DISTRIBUTIONS, { error: "Choose the distribution" }),
    access: z.enum(ACCESS_LEVELS, { error: "Choose who may read it" }),
    agendaItems: z.array(id, { error: "Choose agenda items of this meeting" }).default([]),
  })
  // The database's rule, said where it can be corrected: limited papers for participants at least, restricted ones for confirmed participants at least.
  .superRefine((value, context) => {
    const minimum = DISTRIBUTION_MINIMUM_ACCESS[value.distribution];
    if (ACCESS_LEVELS.indexOf(value.access) < ACCESS_LEVELS.indexOf(minimum)) {
      context.addIssue({
        code: "custom",
        path: ["access"],
        message: `A ${DISTRIBUTION_LABELS[value.distribution].toLowerCase()} document is not for “${ACCESS_LEVEL_LABELS[value.access]}”: choose “${ACCESS_LEVEL_LABELS[minimum]}” or narrower`,
      });
    }
  });

const languageCode = z
  .string({ error: "Choose the language" })
  .trim()
  .toLowerCase()
  .refine((code) => /^[a-z]{2,3}$/.test(code) && languageName(code) !== code, "Give a language code (ISO 639): es, ar, ja…");

/** The metadata fields of a form, with its agenda items checked against the meeting's. */
export function parseDocumentMetadata(values: Record<string, string>, multiValues: Record<string, string[]>, meetingAgendaItemIds: number[]): Parsed<DocumentMetadata> {
  const parsed = metadataSchema.safeParse({ ...values, agendaItems: multiValues.agendaItems ?? [] });
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  if (parsed.success && parsed.data.agendaItems.some((item) => !meetingAgendaItemIds.includes(item))) errors.agendaItems = "Choose agenda items of this meeting";
  if (!parsed.success || Object.keys(errors).length) return { ok: false, errors };
  const { agendaItems, ...rest } = parsed.data;
  return { ok: true, input: { ...rest, agendaItemIds: agendaItems } };
}

/** The metadata of a form sent as application/x-www-form-urlencoded (the edit form). */
export function formFields(formData: FormData): { values: Record<string, string>; multiValues: Record<string, string[]> } {
  const values: Record<string, string> = {};
  // Without a prototype: a field named `constructor` or `toString` is a field, not Object's method.
  const multiValues: Record<string, string[]> = Object.create(null);
  for (const [key, value] of formData) {
    if (typeof value !== "string") continue;
    values[key] = value;
    (multiValues[key] ??= []).push(value);
  }
  return { values, multiValues };
}

type NewDocumentInput = DocumentMetadata & { correctsId: number | null; files: (StoredFile & { language: string })[] };

/**
 * The new-document form: its metadata, the document it corrects (one of `correctableIds`), and
 * its files, one per language (the commission's languages' inputs, and one for `otherLanguage`).
 */
export function parseNewDocument(upload: Upload, context: { agendaItemIds: number[]; correctableIds: number[] }): Parsed<NewDocumentInput> {
  const metadata = parseDocumentMetadata(upload.values, upload.multiValues, context.agendaItemIds);
  const errors = metadata.ok ? {} : { ...metadata.errors };
  const corrects = z.union([z.literal(""), id]).optional().safeParse(upload.values.corrects);
  const correctsId = corrects.success && corrects.data ? corrects.data : null;
  if (!corrects.success || (correctsId !== null && !context.correctableIds.includes(correctsId))) errors.corrects = "Choose one of this meeting's documents";
  if (correctsId !== null && upload.values.symbol?.trim()) errors.symbol = "Leave the symbol empty for a corrigendum: it is the original's with /Corr.N";

  const files: NewDocumentInput["files"] = [];
  for (const file of upload.files) {
    const commissionLanguage = MEETING_LANGUAGES.find((code) => fileField(code) === file.field);
    const field = commissionLanguage ? file.field : "otherLanguage";
    const language = commissionLanguage ?? languageCode.safeParse(upload.values.otherLanguage ?? "").data;
    if (!language) errors.otherLanguage = "Give a language code (ISO 639): es, ar, ja…";
    else if (files.some((entry) => entry.language === language)) errors[field] = `There is already a file in ${languageName(language)}: one file per language`;
    else files.push({ ...file, language });
  }
  if (upload.files.length === 0) errors[fileField(MEETING_LANGUAGES[0])] = "Choose at least one file, in any language";
  if (!metadata.ok || Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, input: { ...metadata.input, correctsId, files } };
}

/** The add-a-file form: `language` (a code, or "other" with `otherLanguage`), `file`, and the `revision` box. */
export function parseNewFile(upload: Upload): Parsed<{ language: string; file: StoredFile; revision: boolean }> {
  const errors: Record<string, string> = {};
  const chosen = upload.values.language === OTHER_LANGUAGE ? upload.values.otherLanguage : upload.values.language;
  const language = languageCode.safeParse(chosen ?? "");
  if (!language.success) errors[upload.values.language === OTHER_LANGUAGE ? "otherLanguage" : "language"] = fieldErrors(language.error).form ?? "Choose the language";
  const file = upload.files.find((entry) => entry.field === "file");
  if (!file) errors.file = "Choose the file to upload";
  if (!language.success || !file) return { ok: false, errors };
  return { ok: true, input: { language: language.data, file, revision: upload.values.revision === "yes" } };
}
