import { CsvError, parse } from "csv-parse/sync";
import { DateTime } from "luxon";
import { resolveWallTime, type WallTimeResolution } from "~/lib/time";
import { type DateOrder, type Platform, PLATFORM_LABELS } from "./webinar-platforms";

/**
 * Reading the attendance reports that webinar platforms export (Zoom's participant report,
 * Microsoft Teams' attendance report, Webex's attendee report) into join/leave intervals. Pure:
 * bytes in, rows or a refusal naming the line out; nothing is stored here.
 *
 * Real exports are messy: Teams writes UTF-16 with tabs in numbered sections, Zoom may put a
 * meeting-summary table before the participants, and every platform writes dates and durations in
 * the exporter's locale. So the file is decoded by its byte-order mark (or the look of its bytes),
 * its participant table is found by its header row wherever it stands, and the date order
 * (day-first or month-first) is decided once for the whole file.
 */

export interface ReportRow {
  /** The line of the file (1-based) the row was read from. */
  line: number;
  name: string;
  /** Lower-case, or null when the report has none for this row (guests, phone dial-ins). */
  email: string | null;
  joinedAt: Date;
  leftAt: Date;
}

type ReportReading = { ok: true; platform: Platform; rows: ReportRow[] } | { ok: false; message: string };

export interface ReadOptions {
  platform: Platform | "auto";
  /** The zone times without an offset are read in (the meeting's, unless the organiser says otherwise). */
  zone: string;
  /** How to read dates like 06/01/2026 when nothing in the file decides it. */
  dateOrder?: DateOrder | "auto";
}

/** A refusal about one line of the file. */
class LineError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`Line ${line}: ${message}`);
  }
}

const NOT_A_REPORT =
  "This is not a webinar attendance report: no table with join times was found. Export the participants report from Zoom, the attendance report from Teams or the attendee report from Webex, as CSV.";

export function readWebinarReport(bytes: Uint8Array, options: ReadOptions): ReportReading {
  const decoded = decodeReport(bytes);
  if (!decoded.ok) return decoded;
  const lines = decoded.text.split(/\r\n|\n|\r/);
  if (lines.every((line) => line.trim() === "")) return { ok: false, message: "The file is empty." };
  try {
    const tables = participantTables(lines);
    const [first] = tables;
    if (!first) return { ok: false, message: NOT_A_REPORT };
    const detected = tables.map((table) => detectPlatform(table, lines)).find(Boolean) ?? null;
    if (options.platform !== "auto" && detected && detected !== options.platform) {
      return {
        ok: false,
        message: `This looks like a ${PLATFORM_LABELS[detected]} report, not ${PLATFORM_LABELS[options.platform]}: choose ${PLATFORM_LABELS[detected]}, or “Detect”.`,
      };
    }
    const platform = options.platform === "auto" ? detected : options.platform;
    if (!platform) return { ok: false, message: "Could not tell which platform exported this report: choose Zoom, Teams or Webex." };
    const order = dateOrderOf(tables, options.dateOrder ?? "auto");
    const rows = tables.flatMap((table) => (table.kind === "events" ? readEvents(table, order, options.zone) : readIntervals(table, order, options.zone)));
    rows.forEach(checkStretch);
    if (rows.length === 0) return { ok: false, message: `The report has no participant rows (its table starts on line ${first.headerLine}).` };
    return { ok: true, platform, rows };
  } catch (error) {
    if (error instanceof LineError) return { ok: false, message: error.message };
    throw error;
  }
}

// --- Decoding -------------------------------------------------------------------------------------

type Decoded = { ok: true; text: string } | { ok: false; message: string };

function decodeReport(bytes: Uint8Array): Decoded {
  if (bytes.length === 0) return { ok: false, message: "The file is empty." };
  const starts = (...magic: number[]) => magic.every((byte, i) => bytes[i] === byte);
  if (starts(0x25, 0x50, 0x44, 0x46)) return { ok: false, message: "This is a PDF. Export the attendance report as CSV and upload that." };
  if (starts(0x50, 0x4b, 0x03, 0x04)) return { ok: false, message: "This is a workbook or an archive (for example .xlsx). Save or export the report as CSV and upload that." };
  let text: string;
  if (starts(0xef, 0xbb, 0xbf)) text = utf8(bytes.subarray(3)) ?? "";
  else if (starts(0xff, 0xfe)) text = new TextDecoder("utf-16le").decode(bytes.subarray(2));
  else if (starts(0xfe, 0xff)) text = utf16be(bytes.subarray(2));
  else {
    const guess = utf16WithoutBom(bytes);
    text = guess === "le" ? new TextDecoder("utf-16le").decode(bytes) : guess === "be" ? utf16be(bytes) : (utf8(bytes) ?? new TextDecoder("windows-1252").decode(bytes));
  }
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) return { ok: false, message: "This is not a text (CSV) file. Export the attendance report as CSV and upload that." };
  return { ok: true, text };
}

function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function utf16be(bytes: Uint8Array): string {
  const swapped = new Uint8Array(bytes.length - (bytes.length % 2));
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    swapped[i] = bytes[i + 1]!;
    swapped[i + 1] = bytes[i]!;
  }
  return new TextDecoder("utf-16le").decode(swapped);
}

/** Text in UTF-16 without a mark has a zero byte beside nearly every ASCII character: after it (LE) or before it (BE). */
function utf16WithoutBom(bytes: Uint8Array): "le" | "be" | null {
  const sample = bytes.subarray(0, Math.min(bytes.length, 4096));
  if (sample.length < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) i % 2 === 0 ? evenZeros++ : oddZeros++;
  const pairs = sample.length / 2;
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return "le";
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return "be";
  return null;
}

// --- Finding the table ----------------------------------------------------------------------------

type Role = "attended" | "name" | "firstName" | "lastName" | "email" | "upn" | "join" | "firstJoin" | "leave" | "lastLeave" | "duration" | "date" | "action" | "timestamp";

/** Header names as the platforms write them (lower-case, spaces collapsed): in English, and Teams' German. */
const HEADERS: Record<string, Role> = {
  "name (original name)": "name",
  "user name (original name)": "name",
  "attended": "attended",
  "name": "name",
  "full name": "name",
  "participant name": "name",
  "participant": "name",
  "display name": "name",
  "attendee name": "name",
  "attendee": "name",
  "first name": "firstName",
  "last name": "lastName",
  "user email": "email",
  "email": "email",
  "e-mail": "email",
  "email address": "email",
  "participant email": "email",
  "attendee email": "email",
  "participant id (upn)": "upn",
  "upn": "upn",
  "join time": "join",
  "joined": "join",
  "join": "join",
  "joined at": "join",
  "time joined": "join",
  "first join": "firstJoin",
  "first join time": "firstJoin",
  "leave time": "leave",
  "left": "leave",
  "leave": "leave",
  "left at": "leave",
  "time left": "leave",
  "last leave": "lastLeave",
  "last leave time": "lastLeave",
  "duration (minutes)": "duration",
  "duration (mins)": "duration",
  "duration": "duration",
  "in-meeting duration": "duration",
  "attendance duration": "duration",
  "time in session": "duration",
  "time in session (minutes)": "duration",
  "date": "date",
  // Teams in German.
  "beitrittszeit": "join",
  "zeitpunkt des verlassens": "leave",
  "erster beitritt": "firstJoin",
  "letztes verlassen": "lastLeave",
  "dauer": "duration",
  "dauer der besprechung": "duration",
  "teilnehmer-id (upn)": "upn",
  "user action": "action",
  "action": "action",
  "timestamp": "timestamp",
};

interface Table {
  kind: "intervals" | "events";
  headerLine: number;
  headers: string[];
  columns: Partial<Record<Role, number>>;
  /** Header names that say their times are in UTC. */
  utcColumns: Set<number>;
  /** The table's records, each with its line. */
  records: { line: number; cells: string[] }[];
}

function headerKey(cell: string): string {
  return cell.replace(/^\uFEFF/, "").trim().replace(/^"|"$/g, "").replace(/\s+/g, " ").toLowerCase();
}

function roleOf(cell: string): { role: Role; utc: boolean } | null {
  const key = headerKey(cell);
  const utc = /\((utc|gmt)\)|\butc\b/.test(key);
  const plain = key.replace(/\s*\((utc|gmt)\)\s*/, "").replace(/\s+utc$/, "").trim();
  const role = HEADERS[plain];
  return role ? { role, utc } : null;
}

const DELIMITERS = ["\t", ";", ","] as const;

/** The delimiter a header line uses: the one that splits it into the most recognised column names. */
function headerCells(line: string): { delimiter: string; cells: string[] } | null {
  let best: { delimiter: string; cells: string[]; known: number } | null = null;
  for (const delimiter of DELIMITERS) {
    const cells = splitLine(line, delimiter);
    const known = cells.filter((cell) => roleOf(cell)).length;
    if (known >= 2 && (!best || known > best.known)) best = { delimiter, cells, known };
  }
  return best;
}

/** A header line's names: they hold no delimiters, so a plain split does (headerKey drops the quotes). */
function splitLine(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((name) => name.trim());
}

const HEADER_HINT = /join|beitritt|timestamp/i;

/** A numbered section title of a Teams report ("3. In-Meeting Activities") ends the table before it. */
const SECTION_TITLE = /^\s*"?\d+\.\s+\p{L}/u;

/**
 * The tables of participants: header rows with a join column (and a leave or duration column), or
 * the older Teams list of events. A report may have several: Zoom's webinar report lists hosts,
 * panelists and attendees apart (all are read), Teams gives first-join/last-leave totals and then a
 * row per join (only the latter is read, the totals being the same time again).
 */
function participantTables(lines: string[]): Table[] {
  const tables: Table[] = [];
  for (let i = 0; i < lines.length; i++) {
    // Every participant table's header names a join (or, in Teams' event list, a timestamp): a cheap test before parsing the line.
    if (!HEADER_HINT.test(lines[i]!)) continue;
    const header = headerCells(lines[i]!);
    if (!header) continue;
    const columns: Partial<Record<Role, number>> = {};
    const utcColumns = new Set<number>();
    header.cells.forEach((cell, index) => {
      const found = roleOf(cell);
      if (!found || columns[found.role] !== undefined) return;
      columns[found.role] = index;
      if (found.utc) utcColumns.add(index);
    });
    const events = columns.action !== undefined && columns.timestamp !== undefined && columns.name !== undefined;
    const joins = columns.join ?? columns.firstJoin;
    const intervals = joins !== undefined && (columns.leave ?? columns.lastLeave ?? columns.duration) !== undefined;
    if (!events && !intervals) continue;
    const end = tableEnd(lines, i + 1);
    const records = readRecords(lines, i + 1, end, header.delimiter);
    tables.push({ kind: events ? "events" : "intervals", headerLine: i + 1, headers: header.cells, columns, utcColumns, records });
    i = end - 1;
  }
  const events = tables.find((table) => table.kind === "events");
  if (events) return [events];
  const perJoin = tables.filter((table) => table.columns.join !== undefined);
  return perJoin.length > 0 ? perJoin : tables.slice(0, 1);
}

function tableEnd(lines: string[], from: number): number {
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.replace(/[\t,;"\s]/g, "") === "" || SECTION_TITLE.test(line)) return i;
  }
  return lines.length;
}

function readRecords(lines: string[], from: number, to: number, delimiter: string) {
  const text = lines.slice(from, to).join("\n");
  // The last line read whole: a quote left open starts the record after it.
  let lastRead = 0;
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, {
      delimiter,
      relax_quotes: true,
      relax_column_count: true,
      trim: true,
      skip_empty_lines: true,
      info: true,
      on_record: (record, context) => {
        lastRead = context.lines;
        return record;
      },
    }) as unknown as typeof parsed;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    if (error.code === "CSV_QUOTE_NOT_CLOSED") {
      throw new LineError(from + lastRead + 1, "a quotation mark opens a value that is never closed. Export the report again, or correct that line.");
    }
    const line = typeof (error as { lines?: unknown }).lines === "number" ? from + (error as unknown as { lines: number }).lines : from + lastRead + 1;
    throw new LineError(line, `the line cannot be read as CSV (${error.message.replace(/ at line \d+$/, "")}).`);
  }
  return parsed.map(({ record, info }) => ({ line: from + info.lines, cells: record }));
}

function detectPlatform(table: Table, lines: string[]): Platform | null {
  const headers = new Set(table.headers.map(headerKey));
  const has = (...names: string[]) => names.some((name) => headers.has(name));
  if (table.kind === "events") return "teams";
  if (has("name (original name)", "user name (original name)", "time in session (minutes)", "user email", "guest", "recording consent", "in waiting room", "recording disclaimer response")) return "zoom";
  if (has("first join", "last leave", "in-meeting duration", "participant id (upn)", "role", "erster beitritt", "teilnehmer-id (upn)", "rolle")) return "teams";
  if (lines.some((line) => /^\s*"?\d+\.\s+(summary|participants|in-meeting activities|zusammenfassung|teilnehmer|aktivitäten)/i.test(line))) return "teams";
  if (has("attendance duration", "connection type", "invited", "registered", "attendee email", "participant email")) return "webex";
  return null;
}

// --- Reading rows ---------------------------------------------------------------------------------

/** A cell's text; Zoom writes "--" for nothing. */
function cell(table: Table, record: { cells: string[] }, role: Role): string {
  const index = table.columns[role];
  const value = index === undefined ? "" : (record.cells[index] ?? "").trim();
  return value === "--" ? "" : value;
}

function nameOf(table: Table, record: { line: number; cells: string[] }, email: string | null): string {
  let name = cell(table, record, "name");
  // Zoom's "(User) Name (Original Name)" column: a renamed participant shows as "New name (Original name)".
  const header = headerKey(table.headers[table.columns.name ?? -1] ?? "");
  if (header.endsWith("name (original name)")) name = name.replace(/\s*\([^()]*\)$/, "") || name;
  if (!name) name = [cell(table, record, "firstName"), cell(table, record, "lastName")].filter(Boolean).join(" ");
  name = name.replace(/\s+/g, " ").trim() || email || "";
  if (!name) throw new LineError(record.line, "the row has neither a name nor an email address.");
  return name.slice(0, 300);
}

function emailOf(table: Table, record: { cells: string[] }): string | null {
  for (const role of ["email", "upn"] as const) {
    const value = cell(table, record, role).toLowerCase();
    if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && value.length <= 254) return value;
  }
  return null;
}

function readIntervals(table: Table, order: DateOrder, zone: string): ReportRow[] {
  const joinColumn: Role = table.columns.join !== undefined ? "join" : "firstJoin";
  const leaveColumn: Role = table.columns.leave !== undefined ? "leave" : "lastLeave";
  const rows: ReportRow[] = [];
  for (const record of table.records) {
    const joinText = cell(table, record, joinColumn);
    if (!joinText && record.cells.every((value) => !value.trim())) continue;
    // Zoom's webinar report lists registrants who did not attend, without times.
    if (/^no$/i.test(cell(table, record, "attended"))) continue;
    const email = emailOf(table, record);
    const name = nameOf(table, record, email);
    const dateText = cell(table, record, "date");
    const zoneOf = (role: Role) => (table.utcColumns.has(table.columns[role] ?? -1) ? "UTC" : zone);
    if (!joinText) throw new LineError(record.line, "the join time is missing.");
    const joinedAt = instantOf(joinText, { line: record.line, what: "join time", order, zone: zoneOf(joinColumn), date: dateText });
    const leaveText = cell(table, record, leaveColumn);
    let leftAt: Date;
    if (leaveText) {
      leftAt = instantOf(leaveText, { line: record.line, what: "leave time", order, zone: zoneOf(leaveColumn), date: dateText });
      // A Webex time of day past midnight belongs to the next day.
      if (leftAt < joinedAt && dateText && isTimeOnly(leaveText)) leftAt = DateTime.fromJSDate(leftAt, { zone: zoneOf(leaveColumn) }).plus({ days: 1 }).toJSDate();
    } else {
      const durationText = cell(table, record, "duration");
      if (!durationText) throw new LineError(record.line, "the leave time is missing, and no duration is given.");
      const seconds = durationSeconds(durationText);
      if (seconds === null) throw new LineError(record.line, `the duration “${durationText}” is not a duration (e.g. 65, 65 mins, 1h 5m 3s, 01:05:03).`);
      leftAt = new Date(joinedAt.getTime() + seconds * 1000);
    }
    if (leftAt < joinedAt) throw new LineError(record.line, `the leave time “${leaveText}” is before the join time “${joinText}”.`);
    if (!Number.isFinite(leftAt.getTime()) || leftAt.getTime() - joinedAt.getTime() > MAX_STRETCH_MS) throw stretchTooLong(record.line);
    rows.push({ line: record.line, name, email, joinedAt, leftAt });
  }
  return rows;
}

/**
 * The older Teams list: one row per event ("Joined", "Joined before" the list began, "Left"), paired
 * into intervals per person. Someone still there when the list ends is counted to its last event; a
 * "Left" with no join before it has no interval to close and is passed over.
 */
function readEvents(table: Table, order: DateOrder, zone: string): ReportRow[] {
  const events = table.records
    .filter((record) => record.cells.some((value) => value.trim()))
    .map((record) => {
      const email = emailOf(table, record);
      const name = nameOf(table, record, email);
      const actionText = cell(table, record, "action");
      const action = /^joined|^join/i.test(actionText) ? "join" : /^left|^leave/i.test(actionText) ? "leave" : null;
      if (!action) throw new LineError(record.line, `the action “${actionText}” is neither Joined nor Left.`);
      const at = instantOf(cell(table, record, "timestamp"), { line: record.line, what: "timestamp", order, zone, date: "" });
      return { line: record.line, name, email, action, at };
    });
  const last = events.reduce((latest, event) => (event.at > latest ? event.at : latest), new Date(0));
  const open = new Map<string, { line: number; name: string; email: string | null; at: Date }>();
  const rows: ReportRow[] = [];
  for (const event of events) {
    const key = event.email ?? `name:${event.name.toLowerCase()}`;
    const joined = open.get(key);
    if (event.action === "join") {
      if (!joined) open.set(key, event);
      continue;
    }
    if (!joined) continue;
    if (event.at < joined.at) throw new LineError(event.line, `${event.name} leaves before joining (line ${joined.line}).`);
    rows.push({ line: joined.line, name: joined.name, email: joined.email, joinedAt: joined.at, leftAt: event.at });
    open.delete(key);
  }
  for (const joined of open.values()) rows.push({ line: joined.line, name: joined.name, email: joined.email, joinedAt: joined.at, leftAt: last });
  return rows.sort((a, b) => a.line - b.line);
}

/** A single stretch online longer than a day is a mistake in the report (or a duration in the wrong unit), not a webinar. */
const MAX_STRETCH_MS = 24 * 60 * 60 * 1000;

const stretchTooLong = (line: number) => new LineError(line, "the session lasts more than 24 hours: check its leave time or duration.");

/** Every row, however read, is a stretch of at most a day between real instants. */
function checkStretch(row: ReportRow): void {
  const [joined, left] = [row.joinedAt.getTime(), row.leftAt.getTime()];
  if (!Number.isFinite(joined) || !Number.isFinite(left)) throw new LineError(row.line, "the join or leave time is not a date and time.");
  if (left < joined) throw new LineError(row.line, "the leave time is before the join time.");
  if (left - joined > MAX_STRETCH_MS) throw stretchTooLong(row.line);
}

// --- Dates, times and durations --------------------------------------------------------------------

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*([AaPp]\.?\s?[Mm]\.?)?`;
const OFFSET = String.raw`(?:\s*(Z|UTC|GMT|(?:UTC|GMT)?\s?[+-]\d{1,2}(?::?\d{2})?))?`;
const ISO = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+${TIME})?${OFFSET}$`);
const NUMERIC = new RegExp(String.raw`^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})\.?(?:,?\s*(?:${TIME}))?${OFFSET}$`);
const DAY_MONTH_NAME = new RegExp(String.raw`^(\d{1,2})\.?\s+([A-Za-z]{3,})\.?,?\s+(\d{4}),?\s*(?:${TIME})?${OFFSET}$`);
const MONTH_NAME_DAY = new RegExp(String.raw`^(?:[A-Za-z]{3,},?\s+)?([A-Za-z]{3,})\.?\s+(\d{1,2}),?\s+(\d{4}),?\s*(?:${TIME})?${OFFSET}$`);
const TIME_ONLY = new RegExp(String.raw`^${TIME}${OFFSET}$`);

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

function isTimeOnly(text: string): boolean {
  return TIME_ONLY.test(text.trim());
}

/**
 * The file's date order. A first field above 12 (31/05/2026) means day-first, a second one above 12
 * (05/31/2026) month-first; otherwise the organiser's choice, else the separator's custom:
 * dots are written day-first (1.6.2026), slashes month-first (6/1/26, as Zoom and Teams in English).
 */
function dateOrderOf(tables: Table[], chosen: DateOrder | "auto"): DateOrder {
  const roles: Role[] = ["join", "firstJoin", "leave", "lastLeave", "timestamp", "date"];
  let dayFirst = false;
  let monthFirst = false;
  let separator = "";
  const values = tables.flatMap((table) => table.records.flatMap((record) => roles.map((role) => cell(table, record, role))));
  for (const value of values) {
    const match = NUMERIC.exec(value);
    if (!match) continue;
    separator ||= match[2]!;
    if (Number(match[1]) > 12) dayFirst = true;
    if (Number(match[3]) > 12) monthFirst = true;
  }
  if (dayFirst && !monthFirst) return "day-first";
  if (monthFirst && !dayFirst) return "month-first";
  if (chosen !== "auto") return chosen;
  return separator === "/" ? "month-first" : "day-first";
}

interface TimeContext {
  line: number;
  what: string;
  order: DateOrder;
  zone: string;
  /** The row's date column (Webex), for a value that is a time of day only. */
  date: string;
}

type WallParts = { year: number; month: number; day: number; clock: (string | undefined)[]; offset: string | undefined };

/** A written date and time split into its parts, the date order applied; null when it is not one. */
function wallParts(value: string, context: TimeContext): WallParts | null {
  let match: RegExpExecArray | null;
  if ((match = ISO.exec(value))) {
    return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]), clock: match.slice(4, 8), offset: match[8] };
  }
  if ((match = NUMERIC.exec(value))) {
    const [first, second] = [Number(match[1]), Number(match[3])];
    const year = match[4]!.length === 2 ? 2000 + Number(match[4]) : Number(match[4]);
    const [day, month] = context.order === "day-first" ? [first, second] : [second, first];
    return { year, month, day, clock: match.slice(5, 9), offset: match[9] };
  }
  if ((match = DAY_MONTH_NAME.exec(value))) {
    return { year: Number(match[3]), month: monthNumber(match[2]!), day: Number(match[1]), clock: match.slice(4, 8), offset: match[8] };
  }
  if ((match = MONTH_NAME_DAY.exec(value))) {
    return { year: Number(match[3]), month: monthNumber(match[1]!), day: Number(match[2]), clock: match.slice(4, 8), offset: match[8] };
  }
  if ((match = TIME_ONLY.exec(value)) && context.date) {
    const date = wallParts(context.date.trim(), { ...context, date: "" });
    return date && { ...date, clock: match.slice(1, 5), offset: match[5] ?? date.offset };
  }
  return null;
}

function instantOf(text: string, context: TimeContext): Date {
  const value = text.trim();
  const notADate = () => new LineError(context.line, `the ${context.what} “${value}” is not a date and time.`);
  const parts = wallParts(value, context);
  const clock = parts && parts.month > 0 ? clockOf(parts.clock) : null;
  if (!parts || !clock) throw notADate();
  const pad = (n: number) => String(n).padStart(2, "0");
  const wall = `${parts.year}-${pad(parts.month)}-${pad(parts.day)}T${pad(clock.hour)}:${pad(clock.minute)}`;
  let instant: Date;
  if (parts.offset) {
    const offset = offsetMinutes(parts.offset);
    const resolved = resolvedWallTime(wall, "UTC");
    if (offset === null || resolved.kind !== "exact") throw notADate();
    instant = new Date(resolved.instant.getTime() - offset * 60_000);
  } else {
    const resolved = resolvedWallTime(wall, context.zone);
    if (resolved.kind === "invalid") throw notADate();
    if (resolved.kind === "gap") {
      throw new LineError(context.line, `the ${context.what} “${value}” does not exist in ${context.zone}: the clocks skip that hour when summer time starts.`);
    }
    // A time the clocks show twice is read as its first pass: the platforms give no way to tell.
    instant = resolved.kind === "exact" ? resolved.instant : resolved.earlier;
  }
  return new Date(instant.getTime() + clock.second * 1000);
}

/**
 * resolveWallTime, remembered: it asks the zone's offsets through Intl, which is slow for the
 * thousands of rows of a large webinar, whose times fall within a few hundred minutes.
 */
const resolutions = new Map<string, WallTimeResolution>();
function resolvedWallTime(wall: string, zone: string): WallTimeResolution {
  const key = `${wall} ${zone}`;
  let resolution = resolutions.get(key);
  if (!resolution) {
    if (resolutions.size >= 10_000) resolutions.clear();
    resolution = resolveWallTime(wall, zone);
    resolutions.set(key, resolution);
  }
  return resolution;
}

function monthNumber(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

/** Hours, minutes and seconds from the TIME groups (hour, minute, second, AM/PM); none for a date alone. */
function clockOf([hourText, minuteText, secondText, meridiem]: (string | undefined)[]): { hour: number; minute: number; second: number } | null {
  if (hourText === undefined) return { hour: 0, minute: 0, second: 0 };
  let hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText ?? 0);
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    const pm = /^p/i.test(meridiem);
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) return null;
  return { hour, minute, second };
}

/** Minutes east of UTC in "Z", "UTC", "+02:00", "GMT+7", "-0530". */
function offsetMinutes(text: string): number | null {
  const value = text.trim().toUpperCase();
  if (value === "Z" || value === "UTC" || value === "GMT") return 0;
  const match = /^(?:UTC|GMT)?\s?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(value);
  if (!match || Number(match[2]) > 14 || Number(match[3] ?? 0) > 59) return null;
  return (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0));
}

/**
 * Seconds in a duration as the platforms write it: minutes alone (Zoom "65", Webex "65 mins"),
 * units ("1h 5m 3s", "1 hr 5 min", "3h 0m 58s"), or a clock ("01:05:03", "65:03" as minutes and seconds).
 */
export function durationSeconds(text: string): number | null {
  const value = text.trim().toLowerCase();
  if (/^\d+(?:[.,]\d+)?$/.test(value)) return Math.round(Number(value.replace(",", ".")) * 60);
  const clock = /^(\d+):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (clock) {
    const [a, b, c] = [Number(clock[1]), Number(clock[2]), clock[3] === undefined ? null : Number(clock[3])];
    return c === null ? a * 60 + b : a * 3600 + b * 60 + c;
  }
  const units = /(\d+(?:[.,]\d+)?)\s*(hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b/g;
  let seconds = 0;
  let matched = "";
  for (const [whole, amount, unit] of value.matchAll(units)) {
    const n = Number(amount!.replace(",", "."));
    seconds += unit!.startsWith("h") ? n * 3600 : unit!.startsWith("m") ? n * 60 : n;
    matched += whole;
  }
  if (!matched || value.replace(units, "").replace(/[\s,]/g, "") !== "") return null;
  return Math.round(seconds);
}
