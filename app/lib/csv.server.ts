import { stringify } from "csv-stringify/sync";

/**
 * A CSV that spreadsheets open well: UTF-8 with a byte order mark (so Excel reads Thai, Chinese or
 * Cyrillic names), CRLF line ends, and every text cell Excel would run as a formula (=, +, -, @,
 * tab or return first) kept as text with a leading apostrophe. Null cells are empty.
 */
export function spreadsheetCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  return `\uFEFF${stringify(rows.map((row) => row.map(inertCell)), { record_delimiter: "\r\n" })}`;
}

function inertCell(value: string | number | null): string | number {
  if (value === null) return "";
  return typeof value === "string" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
