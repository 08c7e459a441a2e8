/** CSV for spreadsheets: RFC 4180 quoting, and no cell that a spreadsheet would run as a formula. */

/** Quotes when needed; a cell starting with = @ or a tab/CR is prefixed with ' (phone numbers like +1555… stay as they are). */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  if (/^[=@\t\r]/.test(s) || /^[+-](?![0-9.]+$)/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Lines from rows, header first: a pull stream, so memory holds one row at a time. */
export async function* csvLines<T>(header: readonly string[], rows: AsyncIterable<T>, cells: (row: T) => unknown[]): AsyncGenerator<string> {
  yield csvLine(header);
  for await (const row of rows) yield csvLine(cells(row));
}
