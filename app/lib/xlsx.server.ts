import ExcelJS from "exceljs";

/** Excel workbooks of one table, as the organisers' exports give them (registrations, the attendance register). */

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A column of an exported table: its header, its width in Excel's characters, and each row's cell. */
export interface SpreadsheetColumn<T> {
  header: string;
  width: number;
  value: (row: T) => string | number;
}

/** The table as a workbook of one sheet: header row bold and frozen, filters on, columns sized. */
export async function spreadsheetXlsx<T>(
  columns: readonly SpreadsheetColumn<T>[],
  rows: readonly T[],
  options: { title: string; sheet: string },
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Meetings";
  workbook.title = options.title;
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(options.sheet, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  for (const row of rows) sheet.addRow(columns.map((c) => c.value(row)));
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  const data = await workbook.xlsx.writeBuffer();
  return Buffer.from(data as ArrayBuffer);
}
