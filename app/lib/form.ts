import { z } from "zod";
import { isErasedAddress } from "./erased-address";

/** What a form action returns when input is refused: each field's message, and what was typed. */
export interface FormFailure {
  errors: Record<string, string>;
  values: Record<string, string>;
}

/** The form's text fields as typed (files and repeated fields are not echoed back). */
export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) if (typeof value === "string") values[key] = value;
  return values;
}

/** The form of a request without files; any other body (JSON, text) is refused with 400 rather than failing to parse. */
export async function plainForm(request: Request): Promise<FormData> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers.get("Content-Type") ?? "")) {
    throw new Response("Send the form as application/x-www-form-urlencoded.", { status: 400 });
  }
  return request.formData();
}

/** An empty (or blank) query or form value counts as not given, for optional fields. */
export const blankIsAbsent = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

/** Text PostgreSQL can store: no NUL character (pasted from some programs; the database refuses it). */
export const noNul = (value: string | null | undefined) => !value?.includes("\u0000");

/** zod's issues as one message per field (the first), keyed by the field's name. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}

export const NUL_MESSAGE = "Contains a character that cannot be stored (NUL): type it again or paste it as plain text";

/** A trimmed text field of at most `max` characters; empty becomes null. */
export function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max, `At most ${max} characters`)
    .refine(noNul, NUL_MESSAGE)
    .optional()
    .transform((value) => value || null);
}

export function requiredText(max: number, missing: string) {
  return z.string({ error: missing }).trim().min(1, missing).max(max, `At most ${max} characters`).refine(noNul, NUL_MESSAGE);
}

/** An email address as people type it: trimmed and lower-cased, at most 254 characters (RFC 5321's limit). */
export function emailAddress() {
  return z
    .string({ error: "Give your email address" })
    .trim()
    .toLowerCase()
    .pipe(
      z
        .email({ error: "An email address, e.g. name@example.org" })
        .max(254, "At most 254 characters")
        .refine((address) => !isErasedAddress(address), "An email address, e.g. name@example.org"),
    );
}

/** A record's id as an address or a form gives it: plain digits within PostgreSQL's integer, so "1e3", " 7", "-1" and 3000000000 are not ids. */
export const recordId = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, "Not a record number")
  .transform(Number)
  .pipe(z.number().max(2_147_483_647, "Not a record number"));
