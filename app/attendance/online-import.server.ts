import { createHash } from "node:crypto";
import { unstable_parseMultipartFormData, type UploadHandlerPart } from "@remix-run/node";
import { type Kysely, sql, type Transaction } from "kysely";
import type { Database, Meeting } from "../../db/schema";
import { coveredMinutes } from "./intervals";
import { type DateOrder, type Platform, PLATFORM_LABELS, reportIdentity } from "./webinar-platforms";
import { readWebinarReport, type ReportRow } from "./webinar-reports.server";
import { cleanFileName } from "~/documents/uploads.server";
import { inTransaction, recordAuditEvent } from "~/audit/audit-log.server";
import { inBatches } from "~/lib/batches";
import { dayBounds, formatDay, formatInstant, todayIn } from "~/lib/time";
import { fullName } from "~/registration/registration-console.server";
import type { RegistrationDetails } from "~/registration/registration-form.server";
import { registerOnTheSpotIn } from "~/registration/registrations.server";

/**
 * Online attendance from webinar reports: each import is recorded by its content's SHA-256, and
 * each session (who, joined, left) once per meeting, so importing the same file again, or the same
 * rows in another file, adds nothing. Sessions are matched to registrations by email address, else
 * through the identities organisers linked ("this name in the reports is that registration"),
 * which later imports use too.
 */

type Executor = Kysely<Database> | Transaction<Database>;

/** How a person appears in the reports: `email:<address>` when the row has one, else `name:<lower-case name>`. */
function identityOf(row: { name: string; email: string | null }): string {
  return row.email ? `email:${row.email}` : `name:${row.name.toLowerCase()}`;
}

const IDENTITY_SQL = sql<string>`case when online_sessions.email is not null then 'email:' || online_sessions.email else 'name:' || lower(online_sessions.name) end`;

type ImportOutcome =
  | { ok: false; message: string }
  | { ok: true; alreadyImportedAt: Date; platform: Platform }
  | {
      ok: true;
      alreadyImportedAt: null;
      importId: number;
      platform: Platform;
      rowCount: number;
      newSessions: number;
      /** People in the file: registrations matched, and identities matched to none. */
      matchedPeople: number;
      unmatchedPeople: number;
      /** Rows more than FAR_DAYS from the meeting's days (imported all the same): how many, and the first's line. */
      farFromMeeting: { rows: number; firstLine: number } | null;
    };

/**
 * Sessions this many days before the meeting's first day or after its last are imported, but the
 * organiser is warned: a rehearsal or a report in another zone is near, a wrong file or a misread
 * date (month and day swapped, the year mistyped) is not. Refusing them would block a real
 * preparatory session; the stretch of each session is already capped (24 hours) by the reader.
 */
const FAR_DAYS = 3;

export async function importAttendanceReport(
  db: Kysely<Database>,
  input: {
    meeting: Pick<Meeting, "id" | "timezone" | "starts_on" | "ends_on">;
    fileName: string;
    bytes: Uint8Array;
    platform: Platform | "auto";
    zone: string;
    dateOrder?: DateOrder | "auto";
    by: number | null;
  },
): Promise<ImportOutcome> {
  const meetingId = input.meeting.id;
  const reading = readWebinarReport(input.bytes, { platform: input.platform, zone: input.zone, dateOrder: input.dateOrder });
  if (!reading.ok) return reading;
  const sha256 = createHash("sha256").update(input.bytes).digest();
  return db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto("attendance_imports")
      .values({
        meeting_id: meetingId,
        platform: reading.platform,
        file_name: input.fileName.trim().slice(0, 255) || "report.csv",
        content_sha256: sha256,
        timezone: input.zone,
        row_count: reading.rows.length,
        new_session_count: 0,
        imported_by: input.by,
      })
      .onConflict((oc) => oc.columns(["meeting_id", "content_sha256"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!created) {
      const earlier = await trx
        .selectFrom("attendance_imports")
        .select(["created_at", "platform"])
        .where("meeting_id", "=", meetingId)
        .where("content_sha256", "=", sha256)
        .executeTakeFirstOrThrow();
      return { ok: true, alreadyImportedAt: earlier.created_at, platform: earlier.platform };
    }
    const newSessions = await insertSessions(trx, meetingId, created.id, reading.rows);
    await trx.updateTable("attendance_imports").set({ new_session_count: newSessions }).where("id", "=", created.id).execute();
    await matchSessions(trx, meetingId);
    const people = await peopleOf(trx, meetingId, reading.rows);
    const farFromMeeting = rowsFarFrom(input.meeting, reading.rows);
    await recordAuditEvent(trx, {
      actor: input.by,
      meetingId,
      action: "attendance.report_imported",
      subject: { type: "attendance_import", id: created.id },
      summary: `Imported ${input.fileName} (${PLATFORM_LABELS[reading.platform]}): ${reading.rows.length} rows, ${newSessions} new sessions`,
      after: { file: input.fileName, platform: reading.platform, timezone: input.zone, rows: reading.rows.length, new_sessions: newSessions },
    });
    return { ok: true, alreadyImportedAt: null, importId: created.id, platform: reading.platform, rowCount: reading.rows.length, newSessions, ...people, farFromMeeting };
  });
}

function rowsFarFrom(meeting: Pick<Meeting, "timezone" | "starts_on" | "ends_on">, rows: ReportRow[]) {
  const margin = FAR_DAYS * 24 * 60 * 60 * 1000;
  const from = dayBounds(meeting.starts_on, meeting.timezone).startsAt.getTime() - margin;
  const to = dayBounds(meeting.ends_on, meeting.timezone).endsAt.getTime() + margin;
  const far = rows.filter((row) => row.joinedAt.getTime() < from || row.leftAt.getTime() > to);
  return far.length === 0 ? null : { rows: far.length, firstLine: Math.min(...far.map((row) => row.line)) };
}

async function insertSessions(trx: Transaction<Database>, meetingId: number, importId: number, rows: ReportRow[]): Promise<number> {
  let inserted = 0;
  for (const batch of inBatches(rows, 1_000)) {
    const chunk = batch.map((row) => ({
      meeting_id: meetingId,
      import_id: importId,
      name: row.name,
      email: row.email,
      joined_at: row.joinedAt,
      left_at: row.leftAt,
      line: row.line,
    }));
    // The same session from an earlier file (or twice in this one) is already there: the once-key skips it.
    const ids = await trx.insertInto("online_sessions").values(chunk).onConflict((oc) => oc.doNothing()).returning("id").execute();
    inserted += ids.length;
  }
  return inserted;
}

/** Gives unmatched sessions their registration: by email address, else by an identity an organiser linked. */
async function matchSessions(db: Executor, meetingId: number): Promise<void> {
  await sql`
    update online_sessions set registration_id = registrations.id
    from registrations
    where online_sessions.meeting_id = ${meetingId} and online_sessions.registration_id is null and online_sessions.email is not null
      and registrations.meeting_id = ${meetingId} and registrations.email = online_sessions.email`.execute(db);
  await sql`
    update online_sessions set registration_id = online_identities.registration_id
    from online_identities
    where online_sessions.meeting_id = ${meetingId} and online_sessions.registration_id is null
      and online_identities.meeting_id = ${meetingId} and online_identities.identity = ${IDENTITY_SQL}`.execute(db);
}

async function peopleOf(db: Executor, meetingId: number, rows: ReportRow[]) {
  const identities = [...new Set(rows.map(identityOf))];
  // One array parameter, not one per person: a large webinar has more people than a statement has parameters.
  // Unnested, so that it is joined on a hash: `= any(array)` compared each session with every identity in turn.
  const sessions = await db
    .selectFrom("online_sessions")
    .select(["registration_id", IDENTITY_SQL.as("identity")])
    .where("meeting_id", "=", meetingId)
    .where(sql<boolean>`${IDENTITY_SQL} in (select unnest(${identities}::text[]))`)
    .execute();
  const registrations = new Set(sessions.flatMap((session) => (session.registration_id === null ? [] : [session.registration_id])));
  const matchedIdentities = new Set(sessions.filter((session) => session.registration_id !== null).map((session) => session.identity));
  return { matchedPeople: registrations.size, unmatchedPeople: identities.filter((identity) => !matchedIdentities.has(identity)).length };
}

/** "Read 57 rows from a Zoom report: 41 people, 12 new sessions; 3 not matched." */
export function importSummary(outcome: Exclude<ImportOutcome, { ok: false }>, zone: string): string {
  if (outcome.alreadyImportedAt) {
    return `This ${PLATFORM_LABELS[outcome.platform]} report was already imported on ${formatInstant(outcome.alreadyImportedAt, zone)}: nothing changed. To read it again with other settings, delete that import first.`;
  }
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const people = outcome.matchedPeople + outcome.unmatchedPeople;
  const far = outcome.farFromMeeting;
  return (
    `Read ${plural(outcome.rowCount, "row", "rows")} from a ${PLATFORM_LABELS[outcome.platform]} report: ${plural(people, "person", "people")}, ` +
    `${plural(outcome.newSessions, "new session", "new sessions")}; ${outcome.unmatchedPeople} not matched.` +
    (far
      ? ` Check the report: ${plural(far.rows, "row is", "rows are")} more than ${FAR_DAYS} days from the meeting’s days (the first on line ${far.firstLine}); ` +
        `if the dates were misread, delete this import and choose how the report writes dates.`
      : "")
  );
}

// --- The upload ------------------------------------------------------------------------------------

/** Webinar reports are text: a day of a large webinar is well under a megabyte. */
export const MAX_REPORT_BYTES = 5 * 1024 * 1024;

type ReportUpload =
  | { ok: true; values: Record<string, string>; file: { name: string; bytes: Uint8Array } }
  | { ok: false; status: 400 | 413; field: string; message: string; values: Record<string, string> };

/** The import form has four fields; a choice is a few dozen characters. */
const MAX_PARTS = 10;
const MAX_TEXT_BYTES = 1024;

class UploadRefusal extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The import form (its text fields and the report in the field `report`), read into memory with a
 * size limit on each part and on their number, so a body without Content-Length holds at most one
 * report; an oversized or malformed body is refused with the field to show the message at.
 */
export async function readReportUpload(request: Request): Promise<ReportUpload> {
  const values: Record<string, string> = {};
  const refused = (status: 400 | 413, field: string, message: string): ReportUpload => ({ ok: false, status, field, message, values });
  if (!/^multipart\/form-data\s*;/i.test(request.headers.get("Content-Type") ?? "")) return refused(400, "report", "Send the form with its file (multipart/form-data).");
  const tooLarge = `The file is larger than ${MAX_REPORT_BYTES / 1024 / 1024} MB: is it the attendance report, exported as CSV?`;
  if (Number(request.headers.get("Content-Length")) > MAX_REPORT_BYTES + 64 * 1024) return refused(413, "report", tooLarge);
  const received: { file?: { name: string; bytes: Uint8Array } } = {};
  let parts = 0;
  let unexpected: unknown = null;
  const handler = async (part: UploadHandlerPart) => {
    try {
      if (++parts > MAX_PARTS) throw new UploadRefusal(400, "The form has too many fields.");
      if (part.filename === undefined) {
        values[part.name] = new TextDecoder().decode(await partBytes(part.data, MAX_TEXT_BYTES, "A field of the form is too long."));
      } else {
        if (part.name !== "report" || received.file) throw new UploadRefusal(400, "Send one report, in the field “report”.");
        received.file = { name: part.filename, bytes: await partBytes(part.data, MAX_REPORT_BYTES, tooLarge, 413) };
      }
      return null;
    } catch (error) {
      if (!(error instanceof UploadRefusal)) unexpected = error;
      throw error;
    }
  };
  try {
    await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    if (error instanceof UploadRefusal) return refused(error.status, "report", error.message);
    if (unexpected) throw unexpected;
    return refused(400, "report", "The form could not be read (it was cut off or malformed): send it again.");
  }
  const report = received.file;
  if (!report || report.bytes.length === 0) return refused(400, "report", report?.name ? "The file is empty." : "Choose the report file to import");
  return { ok: true, values, file: { name: cleanFileName(report.name, "csv"), bytes: report.bytes } };
}

/** A part's bytes, refused past `max` while it is read (nothing more is held). */
async function partBytes(data: AsyncIterable<Uint8Array>, max: number, message: string, status: 400 | 413 = 400): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of data) {
    size += chunk.length;
    if (size > max) throw new UploadRefusal(status, message);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

// --- For the page ---------------------------------------------------------------------------------

export async function attendanceImports(db: Executor, meetingId: number) {
  return db
    .selectFrom("attendance_imports")
    .leftJoin("users", "users.id", "attendance_imports.imported_by")
    .select([
      "attendance_imports.id",
      "attendance_imports.platform",
      "attendance_imports.file_name",
      "attendance_imports.timezone",
      "attendance_imports.row_count",
      "attendance_imports.new_session_count",
      "attendance_imports.created_at",
      "users.email as imported_by",
    ])
    .where("attendance_imports.meeting_id", "=", meetingId)
    .orderBy("attendance_imports.created_at", "desc")
    .orderBy("attendance_imports.id", "desc")
    .execute();
}

interface OnlinePerson {
  registrationId: number;
  name: string;
  email: string;
  organisation: string;
  sessions: number;
  /** Minutes online, rejoins and overlapping devices counted once. */
  minutes: number;
  /** The days (in the meeting's zone) they were online: "Mon 1 Jun 2026". */
  days: string[];
}

interface UnmatchedIdentity {
  identity: string;
  name: string;
  email: string | null;
  rows: number;
  minutes: number;
}

/** Everyone the reports show, matched people by name and the identities matched to no registration. */
export async function onlineAttendance(db: Executor, meeting: Pick<Meeting, "id" | "timezone">): Promise<{ people: OnlinePerson[]; unmatched: UnmatchedIdentity[] }> {
  const sessions = await db
    .selectFrom("online_sessions")
    .leftJoin("registrations", "registrations.id", "online_sessions.registration_id")
    .select([
      "online_sessions.registration_id",
      "online_sessions.name",
      "online_sessions.email",
      "online_sessions.joined_at",
      "online_sessions.left_at",
      IDENTITY_SQL.as("identity"),
      "registrations.salutation",
      "registrations.first_name",
      "registrations.last_name",
      "registrations.email as registration_email",
      "registrations.organisation",
    ])
    .where("online_sessions.meeting_id", "=", meeting.id)
    .orderBy("online_sessions.joined_at")
    .execute();

  const people = new Map<number, OnlinePerson & { intervals: { start: Date; end: Date }[]; dayKeys: Set<string> }>();
  const unmatched = new Map<string, UnmatchedIdentity & { intervals: { start: Date; end: Date }[] }>();
  for (const session of sessions) {
    const interval = { start: session.joined_at, end: session.left_at };
    if (session.registration_id !== null && session.first_name !== null && session.last_name !== null) {
      const person = people.get(session.registration_id) ?? {
        registrationId: session.registration_id,
        name: fullName({ salutation: session.salutation, first_name: session.first_name, last_name: session.last_name }),
        email: session.registration_email ?? "",
        organisation: session.organisation ?? "",
        sessions: 0,
        minutes: 0,
        days: [],
        intervals: [],
        dayKeys: new Set<string>(),
      };
      person.sessions++;
      person.intervals.push(interval);
      person.dayKeys.add(todayIn(meeting.timezone, session.joined_at));
      people.set(session.registration_id, person);
    } else {
      const identity = unmatched.get(session.identity) ?? { identity: session.identity, name: session.name, email: session.email, rows: 0, minutes: 0, intervals: [] };
      identity.rows++;
      identity.intervals.push(interval);
      unmatched.set(session.identity, identity);
    }
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return {
    people: [...people.values()]
      .map(({ intervals, dayKeys, ...person }) => ({
        ...person,
        minutes: coveredMinutes(intervals),
        days: [...dayKeys].sort().map((day) => formatDay(day)),
      }))
      .sort(byName),
    unmatched: [...unmatched.values()].map(({ intervals, ...identity }) => ({ ...identity, minutes: coveredMinutes(intervals) })).sort(byName),
  };
}

/** The meeting's confirmed registrations (only they count as attending) to link a name to, by name. */
export async function registrationChoices(db: Executor, meetingId: number) {
  const rows = await db
    .selectFrom("registrations")
    .select(["id", "salutation", "first_name", "last_name", "email", "organisation"])
    .where("meeting_id", "=", meetingId)
    .where("status", "=", "confirmed")
    .orderBy("last_name")
    .orderBy("first_name")
    .orderBy("id")
    .execute();
  return rows.map((row) => ({ value: String(row.id), label: `${fullName(row)} (${row.organisation}, ${row.email})` }));
}

type LinkOutcome = { ok: true; sessions: number } | { ok: false; message: string };

/**
 * An organiser says who a name or address in the reports is: recorded for later imports, and its
 * sessions not yet matched are given the registration now. Linked again to someone else, the
 * sessions the earlier link gave go along; those matched by their own address stay.
 */
export async function linkIdentity(db: Kysely<Database>, input: { meetingId: number; identity: string; registrationId: number; by: number | null }): Promise<LinkOutcome> {
  if (!reportIdentity.safeParse(input.identity).success) return { ok: false, message: "Not a name or address from the reports." };
  return db.transaction().execute((trx) => linkIdentityIn(trx, input));
}

async function linkIdentityIn(trx: Transaction<Database>, input: { meetingId: number; identity: string; registrationId: number; by: number | null }): Promise<LinkOutcome> {
  const registration = await trx
    .selectFrom("registrations")
    .select("id")
    .where("id", "=", input.registrationId)
    .where("meeting_id", "=", input.meetingId)
    .where("status", "=", "confirmed")
    .executeTakeFirst();
  if (!registration) return { ok: false, message: "Choose one of this meeting's confirmed registrations." };
  const earlier = await trx
    .selectFrom("online_identities")
    .select("registration_id")
    .where("meeting_id", "=", input.meetingId)
    .where("identity", "=", input.identity)
    .forUpdate()
    .executeTakeFirst();
  await trx
    .insertInto("online_identities")
    .values({ meeting_id: input.meetingId, identity: input.identity, registration_id: registration.id, created_by: input.by })
    .onConflict((oc) => oc.columns(["meeting_id", "identity"]).doUpdateSet({ registration_id: registration.id, created_by: input.by }))
    .execute();
  const previous = earlier?.registration_id ?? null;
  await recordAuditEvent(trx, {
    actor: input.by,
    meetingId: input.meetingId,
    action: "attendance.identity_linked",
    subject: { type: "registration", id: registration.id },
    summary: `Linked “${input.identity}” from the reports to registration ${registration.id}`,
    before: earlier ? { identity: input.identity, registration_id: previous } : null,
    after: { identity: input.identity, registration_id: registration.id },
  });
  const linked = await sql`
    update online_sessions set registration_id = ${registration.id}
    where meeting_id = ${input.meetingId} and ${IDENTITY_SQL} = ${input.identity}
      and (registration_id is null or (registration_id = ${previous} and registration_id <> ${registration.id}
        and not exists (select 1 from registrations where registrations.id = online_sessions.registration_id and registrations.email = online_sessions.email)))`.execute(trx);
  return { ok: true, sessions: Number(linked.numAffectedRows ?? 0) };
}

type AddOutcome = { ok: true; existing: boolean; name: string; sessions: number } | { ok: false; message: string };

/** "Add as participant": registers the person on the spot (confirmed, with the usual email), then links the identity to them. */
export async function addReportedPerson(
  db: Kysely<Database>,
  input: { meetingId: number; identity: string; details: RegistrationDetails & { email: string }; by: number },
): Promise<AddOutcome> {
  if (!reportIdentity.safeParse(input.identity).success) return { ok: false, message: "Not a name or address from the reports." };
  return db.transaction().execute(async (trx) => {
    const registered = await registerOnTheSpotIn(trx, input.meetingId, input.details, input.by);
    if (!registered.ok) return registered;
    if (registered.registration.status !== "confirmed") {
      return { ok: false, message: "This address is already registered, but not confirmed: confirm that registration first, then link the name to it." };
    }
    const linked = await linkIdentityIn(trx, { meetingId: input.meetingId, identity: input.identity, registrationId: registered.registration.id, by: input.by });
    // The identity was checked above and the registration is this meeting's and confirmed: a refusal here is a bug, and undoes the registration too.
    if (!linked.ok) throw new Error(`Linking a new registration failed: ${linked.message}`);
    return { ok: true, existing: registered.existing, name: fullName(registered.registration), sessions: linked.sessions };
  });
}

/**
 * Removes an import and the sessions it added. Sessions it found already there stay with the import
 * that added them; a later file that had the same sessions counts as imported, so bring them back by
 * deleting that import too and importing its file again.
 */
export async function deleteImport(db: Executor, meetingId: number, importId: number, by: number | null): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const deleted = await trx
      .deleteFrom("attendance_imports")
      .where("id", "=", importId)
      .where("meeting_id", "=", meetingId)
      .returning(["file_name", "platform", "row_count", "new_session_count"])
      .executeTakeFirst();
    if (!deleted) return false;
    await recordAuditEvent(trx, {
      actor: by,
      meetingId,
      action: "attendance.import_deleted",
      subject: { type: "attendance_import", id: importId },
      summary: `Deleted the import of ${deleted.file_name} and the ${deleted.new_session_count} sessions it added`,
      before: { file: deleted.file_name, platform: deleted.platform, rows: deleted.row_count, new_sessions: deleted.new_session_count },
    });
    return true;
  });
}
