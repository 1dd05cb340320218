import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import type { Kysely } from "kysely";
import { DateTime } from "luxon";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { Database, Meeting, NewMeeting, OutboxMessage } from "../../db/schema";
import type { RegistrationInput } from "../../app/registration/registration-form.server";
import { addMeeting } from "./registration";

/** Helpers for the invitation, question and follow-up tests. */

/**
 * A published in-person meeting in Bangkok on 1–3 December of next year, registration open since
 * yesterday; `overrides` replace columns (registration times get their wall clock beside them).
 */
export async function meetingForRegistration(db: Kysely<Database>, overrides: Partial<NewMeeting> = {}): Promise<Meeting> {
  const zone = overrides.timezone ?? "Asia/Bangkok";
  const year = DateTime.now().year + 1;
  const startsOn = `${year}-12-01`;
  const endsOn = `${year}-12-03`;
  const tag = randomBytes(4).toString("hex");
  return addMeeting(db, {
    slug: `extras-test-${tag}`,
    title: `Regional Workshop on Community Networks ${tag}`,
    starts_on: startsOn,
    ends_on: endsOn,
    starts_at: DateTime.fromISO(startsOn, { zone }).toJSDate(),
    ends_at: DateTime.fromISO(endsOn, { zone }).plus({ days: 1 }).toJSDate(),
    registration_policy: "invitation",
    ...overrides,
  });
}

/** What register() takes, as the form would give it. */
export function registrationInput(overrides: Partial<RegistrationInput> = {}): RegistrationInput {
  return {
    salutation: "Ms",
    firstName: "Ji-won",
    lastName: "Park",
    email: "ji-won.park@example.org",
    organisation: "Ministry of Science and ICT",
    jobTitle: "Deputy Director",
    country: "KR",
    gender: "female",
    category: "government",
    attendanceMode: "in_person",
    needs: null,
    timezone: "Asia/Seoul",
    answers: {},
    invitationCode: null,
    invitation: null,
    ...overrides,
  };
}

/** A complete, valid registration form; `overrides` replace fields, `undefined` removes one. */
export function registrationForm(overrides: Record<string, string | string[] | undefined> = {}): URLSearchParams {
  const fields: Record<string, string | string[] | undefined> = {
    salutation: "Mr",
    firstName: "Min-jun",
    lastName: "Lee",
    email: "min-jun.lee@example.org",
    organisation: "Ministry of Science and ICT",
    jobTitle: "Director",
    country: "KR",
    gender: "male",
    category: "government",
    timezone: "Asia/Seoul",
    consent: "yes",
    ...overrides,
  };
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) form.append(name, one);
  }
  return form;
}

/** The newest email to the address (optionally with a template). */
export async function latestEmail(db: Kysely<Database>, to: string, template?: string): Promise<OutboxMessage> {
  let query = db.selectFrom("outbox").selectAll().where("to_address", "=", to);
  if (template) query = query.where("template", "=", template);
  const message = await query.orderBy("id", "desc").limit(1).executeTakeFirst();
  assert.ok(message, `an email to ${to}${template ? ` (${template})` : ""}`);
  return message;
}

/** The first link in an email's text that matches. */
export function linkIn(message: Pick<OutboxMessage, "text">, pattern: RegExp): string {
  const link = message.text.split(/\s+/).find((word) => pattern.test(word));
  assert.ok(link, `a link matching ${pattern} in: ${message.text}`);
  return link;
}

const standardFontDataUrl = `${path.join(path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts")}/`;

/** The text of every page of a PDF, words separated by single spaces. */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  const document = await getDocument({ data: new Uint8Array(pdf), standardFontDataUrl }).promise;
  let text = "";
  for (let n = 1; n <= document.numPages; n++) {
    const content = await (await document.getPage(n)).getTextContent();
    for (const item of content.items) if ("str" in item) text += item.str + (item.hasEOL ? " " : "");
  }
  return text.replace(/\s+/g, " ");
}
