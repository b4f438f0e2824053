import ExcelJS from 'exceljs';
import { parseCsv, toCsv } from '../../lib/csv.js';
import { AppError } from '../../lib/errors.js';

// The question file: one row per question, the same columns in xlsx and CSV, so an export can be
// edited and imported again. Headers are stable codes (not translated): a file made in English
// imports in Vietnamese and back. The second sheet of the template explains each column.

export const MAX_OPTIONS = 8;
export const MAX_ROWS = 1000;
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

const optionColumns = Array.from({ length: MAX_OPTIONS }, (_, i) => [`option${i + 1}_vi`, `option${i + 1}_en`]).flat();
export const COLUMNS = [
  'field',
  'kind',
  'difficulty',
  'text_vi',
  'text_en',
  ...optionColumns,
  'correct',
  'explanation_vi',
  'explanation_en',
  'procedure_code',
  'status',
] as const;
/** Columns a file must have; the options beyond the second, the procedure code and the status may be left out. */
export const REQUIRED_COLUMNS = [
  'field',
  'kind',
  'difficulty',
  'text_vi',
  'text_en',
  'option1_vi',
  'option1_en',
  'option2_vi',
  'option2_en',
  'correct',
  'explanation_vi',
  'explanation_en',
];

/** One data row as read: column code -> trimmed text (absent columns read as ""), with its line in the file. */
export interface SheetRow {
  row: number;
  cells: Record<string, string>;
}

export type SheetFormat = 'xlsx' | 'csv';

/** xlsx is a zip (PK\x03\x04); CSV is UTF-8 text. Anything else (PDF, images, old .xls) is refused. */
export function sniffFormat(bytes: Buffer, fileName: string): SheetFormat {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const zip = bytes.length >= 4 && bytes.readUInt32BE(0) === 0x504b0304;
  if (zip && (ext === 'xlsx' || ext === '')) return 'xlsx';
  if (!zip && (ext === 'csv' || ext === 'txt' || ext === '') && isUtf8Text(bytes)) return 'csv';
  throw new AppError('contest_import_file_type');
}

/** PDF, images, old Excel (.xls), zip-less office files: text-looking or not, never a question file. */
const BINARY = [
  Buffer.from('%PDF-'),
  Buffer.from([0x89, 0x50, 0x4e, 0x47]),
  Buffer.from([0xff, 0xd8, 0xff]),
  Buffer.from('GIF8'),
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0]),
];

function isUtf8Text(bytes: Buffer): boolean {
  if (BINARY.some((m) => bytes.subarray(0, m.length).equals(m))) return false;
  // Control characters other than tab and line breaks do not occur in a spreadsheet saved as CSV.
  if (bytes.some((b) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** UTF-8 with a BOM, CRLF line ends, RFC 4180 quoting, formula cells neutralised (lib/csv.ts). */
export function writeCsv(rows: readonly (readonly string[])[]): Buffer {
  return Buffer.from(toCsv(rows), 'utf8');
}

function cellText(cell: ExcelJS.Cell, column: string): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  // A procedure code typed in Excel becomes a number: 1.001610 reads 1.00161. Give back its six decimals.
  if (typeof v === 'number' && column === 'procedure_code' && /^\d\.\d{1,6}$/.test(String(v))) return v.toFixed(6);
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  if (typeof v === 'object' && 'result' in v) return String(v.result ?? '');
  if (typeof v === 'object' && 'text' in v) return String(v.text);
  return String(cell.text ?? v);
}

function toRows(matrix: string[][]): SheetRow[] {
  const header = (matrix[0] ?? []).map((h) => h.trim().toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (header.every((h) => h === '') || missing.length === REQUIRED_COLUMNS.length) throw new AppError('contest_import_no_header');
  if (missing.length > 0) throw new AppError('contest_import_columns_missing', { columns: missing.join(', ') });
  const rows: SheetRow[] = [];
  for (let r = 1; r < matrix.length; r++) {
    const line = matrix[r]!;
    if (line.every((v) => v.trim() === '')) continue;
    if (rows.length === MAX_ROWS) throw new AppError('contest_import_too_many_rows', { max: MAX_ROWS });
    const cells: Record<string, string> = {};
    for (const c of COLUMNS) {
      const at = header.indexOf(c);
      // Line breaks inside a cell are stored as LF, whatever the spreadsheet wrote.
      cells[c] = at >= 0 ? (line[at] ?? '').replace(/\r\n?/g, '\n').trim() : '';
    }
    rows.push({ row: r + 1, cells });
  }
  if (rows.length === 0) throw new AppError('contest_import_no_rows');
  return rows;
}

/** The data rows of an uploaded file; bad files are 4xx AppErrors with stable codes. */
export async function readSheet(bytes: Buffer, fileName: string): Promise<SheetRow[]> {
  if (bytes.length === 0) throw new AppError('file_empty');
  if (bytes.length > MAX_FILE_BYTES) throw new AppError('file_too_large', { maxMb: MAX_FILE_BYTES / 1048576 });
  const format = sniffFormat(bytes, fileName);
  if (format === 'csv') return toRows(parseCsv(bytes.toString('utf8')));
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new AppError('contest_import_unreadable');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new AppError('contest_import_no_header');
  const header: string[] = [];
  ws.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => (header[col - 1] = String(cell.text ?? '')));
  const matrix: string[][] = [header.map((h) => h ?? '')];
  const last = Math.min(ws.rowCount, MAX_ROWS + 2000);
  for (let r = 2; r <= last; r++) {
    const row = ws.getRow(r);
    matrix.push(header.map((h, i) => cellText(row.getCell(i + 1), (h ?? '').trim().toLowerCase())));
  }
  return toRows(matrix);
}

/** An xlsx with the header row, the rows, and (for the template) a sheet explaining each column. */
export async function writeXlsx(
  rows: readonly (readonly string[])[],
  guide?: { title: string; lines: [string, string][] },
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('questions');
  ws.addRow([...COLUMNS]);
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  // Every cell is text: a procedure code or "1,3" must not turn into a number or a date.
  for (const r of rows) ws.addRow([...r]).eachCell((c) => (c.numFmt = '@'));
  ws.columns.forEach((c, i) => (c.width = i < 3 ? 12 : 30));
  if (guide) {
    const g = wb.addWorksheet(guide.title);
    for (const line of guide.lines) g.addRow(line);
    g.getColumn(1).width = 18;
    g.getColumn(2).width = 100;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
