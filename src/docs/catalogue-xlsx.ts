import ExcelJS from 'exceljs';
import { Value } from '@sinclair/typebox/value';
import { AppError } from '../lib/errors.js';
import { FieldRecord, ProcedureRecord, VersionContent, type ProcedureRecord as Rec } from '../modules/catalogue/catalogue.schema.js';

type Field = { code: string; name: { vi: string; en: string } };

// Scalar columns are what an official edits in a spreadsheet; content_json carries the rest
// (steps, documents, form) so a file can go out and come back without loss.
const PROCEDURE_COLUMNS = [
  'code',
  'field',
  'levels',
  'name_vi',
  'name_en',
  'summary_vi',
  'summary_en',
  'effective_from',
  'time_limit_amount',
  'time_limit_unit',
  'fee_amount',
  'online_level',
  'online_mode',
  'content_json',
] as const;
const FIELD_COLUMNS = ['code', 'name_vi', 'name_en'] as const;

export async function catalogueToXlsx(file: { fields: Field[]; procedures: Rec[] }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'motcua';
  const fields = wb.addWorksheet('fields');
  fields.addRow([...FIELD_COLUMNS]);
  for (const f of file.fields) fields.addRow([f.code, f.name.vi, f.name.en]);
  const procs = wb.addWorksheet('procedures');
  procs.addRow([...PROCEDURE_COLUMNS]);
  for (const p of file.procedures) {
    const v = p.version;
    procs.addRow([
      p.code,
      p.field,
      p.levels.join(','),
      p.name.vi,
      p.name.en,
      p.summary?.vi ?? '',
      p.summary?.en ?? '',
      v.effectiveFrom ?? '',
      v.timeLimit?.amount ?? '',
      v.timeLimit?.unit ?? '',
      v.fee?.amount ?? '',
      v.onlineLevel ?? '',
      v.onlineMode ?? '',
      JSON.stringify(v),
    ]);
  }
  for (const ws of [fields, procs]) ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const bad = (detail: string) => new AppError('invalid_catalogue_file', { detail });

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  if (typeof v === 'object' && 'text' in v) return String(v.text);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).trim();
}

function readSheet(wb: ExcelJS.Workbook, name: string, columns: readonly string[]): Record<string, string>[] {
  const ws = wb.getWorksheet(name);
  if (!ws) throw bad(`missing sheet "${name}"`);
  const header = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(cellText);
  const missing = columns.filter((c) => !header.includes(c));
  const extra = header.filter((h) => h && !columns.includes(h));
  if (missing.length || extra.length)
    throw bad(`sheet "${name}": missing columns [${missing.join(', ')}], unknown columns [${extra.join(', ')}]`);
  const rows: Record<string, string>[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const values = row.values as ExcelJS.CellValue[];
    const rec: Record<string, string> = {};
    header.forEach((h, i) => (rec[h] = cellText(values[i + 1])));
    if (Object.values(rec).some(Boolean)) rows.push(rec);
  });
  return rows;
}

const intOrNull = (s: string, what: string, row: number) => {
  if (s === '') return null;
  if (!/^\d+$/.test(s)) throw bad(`row ${row}: ${what} must be a whole number`);
  return Number(s);
};

/** Reads a catalogue workbook into the same records the JSON import takes; throws on any problem. */
export async function catalogueFromXlsx(data: Buffer): Promise<{ fields: Field[]; procedures: Rec[] }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw bad('not a readable xlsx workbook');
  }
  const fields = readSheet(wb, 'fields', FIELD_COLUMNS).map((r, i) => {
    const f = { code: r.code!, name: { vi: r.name_vi!, en: r.name_en! } };
    if (!Value.Check(FieldRecord, f)) throw bad(`fields row ${i + 2}: invalid field`);
    return f;
  });
  const procedures = readSheet(wb, 'procedures', PROCEDURE_COLUMNS).map((r, i) => {
    const row = i + 2;
    let content: unknown;
    try {
      content = r.content_json ? JSON.parse(r.content_json) : null;
    } catch {
      throw bad(`row ${row}: content_json is not valid JSON`);
    }
    if (!Value.Check(VersionContent, content)) throw bad(`row ${row}: content_json does not describe a procedure version`);
    const amount = intOrNull(r.time_limit_amount!, 'time_limit_amount', row);
    const version = {
      ...content,
      effectiveFrom: r.effective_from || null,
      timeLimit: amount === null ? null : { ...(content.timeLimit ?? {}), amount, unit: r.time_limit_unit },
      fee: r.fee_amount === '' ? content.fee : { ...(content.fee ?? {}), amount: intOrNull(r.fee_amount!, 'fee_amount', row) },
      onlineLevel: intOrNull(r.online_level!, 'online_level', row),
      onlineMode: r.online_mode || null,
    };
    const rec = {
      code: r.code || null,
      field: r.field,
      levels: r
        .levels!.split(',')
        .map((l) => l.trim())
        .filter(Boolean),
      name: { vi: r.name_vi, en: r.name_en },
      ...(r.summary_vi ? { summary: { vi: r.summary_vi, en: r.summary_en ?? '' } } : {}),
      version,
    };
    if (!Value.Check(ProcedureRecord, rec)) {
      const e = [...Value.Errors(ProcedureRecord, rec)][0];
      throw bad(`row ${row}: ${e?.path ?? ''} ${e?.message ?? 'invalid'}`);
    }
    return rec as Rec;
  });
  return { fields, procedures };
}
