import ExcelJS from 'exceljs';

// Question files as an admin makes them: built here with exceljs and by hand (CSV), not with the
// application's own writer, so a bug in the writer cannot hide one in the reader.

export const HEADER = [
  'field',
  'kind',
  'difficulty',
  'text_vi',
  'text_en',
  'option1_vi',
  'option1_en',
  'option2_vi',
  'option2_en',
  'option3_vi',
  'option3_en',
  'option4_vi',
  'option4_en',
  'correct',
  'explanation_vi',
  'explanation_en',
  'procedure_code',
  'status',
];

export type Cells = Record<string, string | number>;

/** A valid question row; `n` makes its text unique. */
export const questionRow = (n: number, over: Cells = {}): Cells => ({
  field: 'civil_status',
  kind: 'single',
  difficulty: (n % 3) + 1,
  text_vi: `Câu hỏi nhập số ${n}: đăng ký khai sinh ở đâu?`,
  text_en: `Imported question ${n}: where is a birth registered?`,
  option1_vi: 'UBND cấp xã nơi cư trú',
  option1_en: 'The commune People’s Committee',
  option2_vi: 'Sở Tư pháp',
  option2_en: 'The Department of Justice',
  option3_vi: 'Công an tỉnh',
  option3_en: 'The provincial police',
  option4_vi: '',
  option4_en: '',
  correct: '1',
  explanation_vi: `Giải thích ${n}`,
  explanation_en: `Explanation ${n}`,
  procedure_code: '',
  status: '',
  ...over,
});

export async function xlsxOf(rows: Cells[], header = HEADER): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Câu hỏi');
  ws.addRow(header);
  for (const r of rows) ws.addRow(header.map((h) => r[h] ?? ''));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const quote = (v: string | number) => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function csvOf(rows: Cells[], header = HEADER, bom = true): Buffer {
  const lines = [header.join(','), ...rows.map((r) => header.map((h) => quote(r[h] ?? '')).join(','))];
  return Buffer.from(`${bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`, 'utf8');
}
