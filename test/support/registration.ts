import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Kysely } from "kysely";
import { DateTime } from "luxon";
import type { Database, Meeting, NewMeeting, RegistrationStatus } from "../../db/schema";

/** Helpers for the registration tests: meetings made directly in the database, forms, counts and emails. */

export const DAY = 24 * 60 * 60 * 1000;

/**
 * A published in-person workshop a month from now, registration open since yesterday and never
 * closing; `overrides` replace columns (registration times keep their wall clock beside them).
 */
export async function addMeeting(db: Kysely<Database>, overrides: Partial<NewMeeting> = {}): Promise<Meeting> {
  const zone = overrides.timezone ?? "Asia/Bangkok";
  const local = (at: Date | string | null | undefined) =>
    at ? DateTime.fromJSDate(new Date(at), { zone }).toFormat("yyyy-MM-dd'T'HH:mm") : null;
  const startsOn = DateTime.now().setZone(zone).plus({ days: 30 }).toISODate() ?? "";
  const endsOn = DateTime.now().setZone(zone).plus({ days: 31 }).toISODate() ?? "";
  const tag = randomBytes(4).toString("hex");
  const values: NewMeeting = {
    slug: `registration-test-${tag}`,
    title: `Registration Test Meeting ${tag}`,
    summary: null,
    description: null,
    organising_body: "ESCAP",
    kind: "workshop",
    mode: "in_person",
    status: "published",
    timezone: zone,
    starts_on: startsOn,
    ends_on: endsOn,
    starts_at: DateTime.fromISO(startsOn, { zone }).toJSDate(),
    ends_at: DateTime.fromISO(endsOn, { zone }).plus({ days: 1 }).toJSDate(),
    programme_id: null,
    venue_name: "United Nations Conference Centre",
    venue_address: null,
    venue_city: "Bangkok",
    venue_country: "TH",
    online_url: null,
    contact_email: null,
    registration_policy: "open",
    registration_opens_at: new Date(Date.now() - DAY),
    registration_closes_at: null,
    capacity: null,
    published_at: new Date(),
    cancelled_at: null,
    created_by: null,
    updated_by: null,
    ...overrides,
  };
  return db
    .insertInto("meetings")
    .values({
      ...values,
      registration_opens_local: local(values.registration_opens_at),
      registration_closes_local: local(values.registration_closes_at),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export type FormFields = Record<string, string | string[] | undefined>;

/** A complete, valid registration form's fields; `overrides` replace fields, `undefined` removes one. */
export function registrationFields(overrides: FormFields = {}): [string, string][] {
  const fields: FormFields = {
    salutation: "Ms",
    firstName: "Siriporn",
    lastName: "Chaiyaporn",
    email: "siriporn@example.org",
    organisation: "Ministry of Digital Economy and Society",
    jobTitle: "Director",
    country: "TH",
    gender: "female",
    category: "government",
    needs: "",
    timezone: "Asia/Bangkok",
    consent: "yes",
    ...overrides,
  };
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) pairs.push([name, one]);
  }
  return pairs;
}

export function registrationForm(overrides: FormFields = {}): FormData {
  const form = new FormData();
  for (const [name, value] of registrationFields(overrides)) form.append(name, value);
  return form;
}

/** The same fields as a POST body (`application/x-www-form-urlencoded`). */
export function registrationBody(overrides: FormFields = {}): URLSearchParams {
  return new URLSearchParams(registrationFields(overrides));
}

export async function meetingCounts(db: Kysely<Database>, meetingId: number) {
  const row = await db
    .selectFrom("meetings")
    .select(["confirmed_count", "waitlisted_count", "pending_count"])
    .where("id", "=", meetingId)
    .executeTakeFirstOrThrow();
  return { confirmed: row.confirmed_count, waitlisted: row.waitlisted_count, pending: row.pending_count };
}

export async function rowCounts(db: Kysely<Database>, meetingId: number): Promise<Record<RegistrationStatus, number>> {
  const rows = await db
    .selectFrom("registrations")
    .select(["status", db.fn.countAll<string>().as("n")])
    .where("meeting_id", "=", meetingId)
    .groupBy("status")
    .execute();
  const counts = { pending: 0, confirmed: 0, waitlisted: 0, declined: 0, cancelled: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

/** The meeting's kept counts equal its rows, status by status. */
export async function assertCountsMatchRows(db: Kysely<Database>, meetingId: number, step: string) {
  const rows = await rowCounts(db, meetingId);
  assert.deepEqual(
    await meetingCounts(db, meetingId),
    { confirmed: rows.confirmed, waitlisted: rows.waitlisted, pending: rows.pending },
    `${step}: the meeting's counts follow its rows`,
  );
}

export async function outboxCount(db: Kysely<Database>, to?: string): Promise<number> {
  let query = db.selectFrom("outbox").select(db.fn.countAll<string>().as("n"));
  if (to) query = query.where("to_address", "=", to);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** The emails queued for an address, oldest first. */
export async function emailsTo(db: Kysely<Database>, to: string) {
  return db.selectFrom("outbox").selectAll().where("to_address", "=", to).orderBy("id").execute();
}

export async function registrationOf(db: Kysely<Database>, meetingId: number, email: string) {
  return db
    .selectFrom("registrations")
    .selectAll()
    .where("meeting_id", "=", meetingId)
    .where("email", "=", email)
    .executeTakeFirstOrThrow();
}

export const MANAGE_LINK = /\/registrations\/([A-Za-z0-9_-]{43})/;

/** The manage link's token in an email's text. */
export function manageToken(text: string): string {
  const token = MANAGE_LINK.exec(text)?.[1];
  assert.ok(token, `a manage link in: ${text.slice(0, 300)}`);
  return token;
}

/**
 * Asserts that a registration form's POST registered: 303 to the meeting's thank-you page (post,
 * redirect, get), with the cookie that carries the outcome there. Returns both, to open that page.
 */
export function registeredRedirect(answer: { status: number; headers: Headers | IncomingHttpHeaders; body: string }): { location: string; cookie: string } {
  const header = (name: string) => (answer.headers instanceof Headers ? answer.headers.get(name) : answer.headers[name]);
  const errors = answer.body.match(/id="[a-zA-Z]+-error"[^>]*>[^<]*/g)?.join("; ") ?? answer.body.slice(0, 200);
  assert.equal(answer.status, 303, `a registration answers 303 to its thanks, not ${answer.status}: ${errors}`);
  const location = String(header("location"));
  assert.match(location, /^\/meetings\/[^/?#]+\/register\?registered=1$/);
  const setCookie = [header("set-cookie") ?? []].flat().join(", ");
  const cookie = /registration_outcome=[^;]+/.exec(setCookie)?.[0];
  assert.ok(cookie, `the outcome's cookie is set: ${setCookie}`);
  return { location, cookie };
}
