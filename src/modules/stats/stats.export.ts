import ExcelJS from 'exceljs';
import { toCsv } from '../../lib/csv.js';
import { newA4, toBuffer } from '../../docs/pdf.js';
import { formatDateTime, formatNumber, translator, type Locale, type Translate } from '../../web/i18n/index.js';
import type { Report } from './stats.schema.js';
import {
  about,
  FIGURE_KEYS,
  flatLabel,
  groupOf,
  pick,
  RATES,
  rows,
  subLabel,
  TABLE,
  TABLE_KEYS,
  timeUnit,
  value,
  type FigureKey,
  type Group,
} from './stats.export-layout.js';

// ---------------------------------------------------------------- xlsx

const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8E8E8' } };

function styleHeader(cell: ExcelJS.Cell) {
  cell.font = { bold: true };
  cell.fill = HEADER_FILL;
  cell.border = THIN;
  cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
}

function setNumber(cell: ExcelJS.Cell, v: number | null, format: string, t: Translate) {
  cell.border = THIN;
  if (v === null) {
    cell.value = t('stats.noValue');
    cell.alignment = { horizontal: 'center' };
  } else {
    cell.value = v;
    cell.numFmt = format;
  }
}

/** The report as a workbook: the unit's figures and its units on sheet 1, the procedures on sheet 2. */
export async function reportXlsx(report: Report, locale: Locale, now = new Date()): Promise<Buffer> {
  const t = translator(locale);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'motcua';
  wb.created = now;
  wb.modified = now;

  const ws = wb.addWorksheet(t('stats.export.sheet'), {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  const cols = 2 + TABLE_KEYS.length;
  ws.columns = [{ width: 14 }, { width: 42 }, ...TABLE_KEYS.map((k) => ({ width: k === 'received.carriedOver' ? 14 : 12 }))];

  ws.mergeCells(1, 1, 1, cols);
  const title = ws.getCell(1, 1);
  title.value = t('stats.export.title');
  title.font = { bold: true, size: 16 };
  title.alignment = { vertical: 'middle' };
  ws.getRow(1).height = 28;

  let r = 2;
  // One merged cell per line: the narrow code column could not hold the labels.
  for (const [label, text] of about(report, t, locale)) {
    ws.mergeCells(r, 1, r, cols);
    ws.getCell(r, 1).value = { richText: [{ font: { bold: true }, text: `${label}: ` }, { text }] };
    r++;
  }
  ws.getCell(r, 1).value = t('stats.export.generated', { time: formatDateTime(now, locale) });
  ws.getCell(r, 1).font = { italic: true, color: { argb: 'FF555555' } };

  const h1 = r + 2;
  const h2 = h1 + 1;
  ws.mergeCells(h1, 1, h2, 1);
  ws.getCell(h1, 1).value = t('stats.col.code');
  ws.mergeCells(h1, 2, h2, 2);
  ws.getCell(h1, 2).value = t('stats.col.unit');
  let c = 3;
  for (const { group, keys } of TABLE) {
    if (group) {
      ws.mergeCells(h1, c, h1, c + keys.length - 1);
      ws.getCell(h1, c).value = t(`stats.group.${group}`);
      keys.forEach((k, i) => (ws.getCell(h2, c + i).value = subLabel(t, k)));
    } else {
      ws.mergeCells(h1, c, h2, c);
      ws.getCell(h1, c).value = t(`stats.fig.${keys[0]!}`);
    }
    c += keys.length;
  }
  for (let hr = h1; hr <= h2; hr++) for (let hc = 1; hc <= cols; hc++) styleHeader(ws.getCell(hr, hc));
  ws.getRow(h1).height = 20;
  ws.getRow(h2).height = 32;

  rows(report).forEach((row, i) => {
    const excelRow = ws.getRow(h2 + 1 + i);
    excelRow.getCell(1).value = row.code;
    excelRow.getCell(2).value = pick(row.name, locale);
    excelRow.getCell(1).border = THIN;
    excelRow.getCell(2).border = THIN;
    TABLE_KEYS.forEach((k, j) => setNumber(excelRow.getCell(3 + j), value(row, k), RATES.has(k) ? '0.00' : '#,##0', t));
    // The first row is the reported unit itself (its total when the report covers a subtree).
    if (i === 0) excelRow.font = { bold: true };
  });
  ws.views = [{ state: 'frozen', xSplit: 2, ySplit: h2 }];

  const ps = wb.addWorksheet(t('stats.export.byProcedure'));
  ps.columns = [
    { header: t('stats.col.code'), width: 16 },
    { header: t('stats.col.procedure'), width: 60 },
    { header: t('stats.fig.received.total'), width: 14 },
    { header: t('stats.fig.finished.total'), width: 14 },
    { header: t('stats.fig.finished.onTime'), width: 12 },
    { header: t('stats.fig.finished.late'), width: 12 },
    { header: t('stats.fig.averageTime'), width: 18 },
    { header: t('stats.col.timeUnit'), width: 22 },
  ];
  ps.getRow(1).eachCell(styleHeader);
  ps.getRow(1).height = 32;
  for (const p of report.procedures) {
    const row = ps.addRow([p.code, pick(p.name, locale)]);
    row.getCell(1).border = THIN;
    row.getCell(2).border = THIN;
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    [p.received, p.finished, p.onTime, p.late].forEach((n, j) => setNumber(row.getCell(3 + j), n, '#,##0', t));
    setNumber(row.getCell(7), p.averageTime?.value ?? null, '0.0', t);
    row.getCell(8).value = p.averageTime ? timeUnit(t, p.averageTime.unit) : '';
    row.getCell(8).border = THIN;
  }
  ps.views = [{ state: 'frozen', xSplit: 0, ySplit: 1 }];

  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------- csv

/** The unit and its units as CSV, with localized headers and plain numbers (6333, 99.95) that spreadsheets parse. */
export function reportCsv(report: Report, locale: Locale): string {
  const t = translator(locale);
  const header = [t('stats.col.code'), t('stats.col.unit'), ...FIGURE_KEYS.map((k) => flatLabel(t, k))];
  return toCsv([header, ...rows(report).map((row) => [row.code, pick(row.name, locale), ...FIGURE_KEYS.map((k) => value(row, k))])]);
}

/** Open data: the given columns (stable keys) as the header, one line per row, a missing value as an empty field. */
export function openDataCsv(rows: Record<string, string | number | null>[], columns: string[]): string {
  return toCsv([columns, ...rows.map((row) => columns.map((c) => row[c]))]);
}

// ---------------------------------------------------------------- pdf

const LINE = '#999999';
// Rates always with two decimals so that a column of them lines up (99,50 rather than 99,5).
const RATE_FORMAT = {
  vi: new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
};
const SHADE = '#eeeeee';

/** Shortens text with an ellipsis to the width at the current font and size. */
function fit(doc: PDFKit.PDFDocument, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let s = text;
  while (s.length > 1 && doc.widthOfString(`${s}…`) > width) s = s.slice(0, -1);
  return `${s.trimEnd()}…`;
}

function footer(doc: PDFKit.PDFDocument, t: Translate, page: number) {
  // Writing inside the bottom margin would make pdfkit open a new page.
  const bottom = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  const x = doc.page.margins.left;
  const w = doc.page.width - x - doc.page.margins.right;
  doc
    .font('regular')
    .fontSize(8)
    .fillColor('#555555')
    .text(t('stats.export.page', { page }), x, doc.page.height - bottom / 2 - 4, { width: w, align: 'right', lineBreak: false });
  doc.fillColor('black');
  doc.page.margins.bottom = bottom;
  doc.x = x;
  doc.y = doc.page.margins.top;
}

/** A printable report: page 1 the unit's figures, then landscape pages with one line per unit. */
export async function reportPdf(report: Report, locale: Locale, now = new Date()): Promise<Buffer> {
  const t = translator(locale);
  const num = (v: number | null, rate = false) =>
    v === null ? t('stats.noValue') : rate ? RATE_FORMAT[locale].format(v) : formatNumber(v, locale);
  const doc = newA4(t('stats.export.title'), locale, now);
  let page = 1;
  footer(doc, t, page);

  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  doc.font('bold').fontSize(16).text(t('stats.export.title'), { width });
  doc.moveDown(0.6).fontSize(10);
  for (const [label, text] of about(report, t, locale)) doc.font('bold').text(`${label}: `, { continued: true }).font('regular').text(text);
  doc
    .fillColor('#555555')
    .text(t('stats.export.generated', { time: formatDateTime(now, locale) }))
    .fillColor('black');

  doc.moveDown(1).font('bold').fontSize(13).text(t('stats.export.figures'));
  doc.moveDown(0.3);
  const labelW = 320;
  const valueW = 110;
  const rowH = 17;
  const line = (label: string, v: string | null, opts: { bold?: boolean; indent?: number; shade?: boolean }) => {
    const y = doc.y;
    if (opts.shade)
      doc
        .rect(left, y, labelW + valueW, rowH)
        .fill(SHADE)
        .fillColor('black');
    doc.font(opts.bold ? 'bold' : 'regular').fontSize(10);
    const indent = opts.indent ?? 0;
    doc.text(fit(doc, label, labelW - 8 - indent), left + 4 + indent, y + 4, { lineBreak: false });
    if (v !== null) doc.text(v, left + labelW, y + 4, { width: valueW - 6, align: 'right', lineBreak: false });
    doc
      .moveTo(left, y + rowH)
      .lineTo(left + labelW + valueW, y + rowH)
      .lineWidth(0.5)
      .strokeColor(LINE)
      .stroke();
    doc.x = left;
    doc.y = y + rowH;
  };
  const sections: { group: Group | null; keys: FigureKey[] }[] = [
    ...(['received', 'finished', 'inProgress'] as const).map((g) => ({ group: g, keys: FIGURE_KEYS.filter((k) => groupOf(k) === g) })),
    { group: null, keys: ['stopped', 'stoppedBy.withdrawn', 'stoppedBy.stopped', 'refusedAtReception'] },
    { group: null, keys: ['onTimeRate', 'onlineShare'] },
  ];
  for (const { group, keys } of sections) {
    if (group) line(t(`stats.group.${group}`), null, { bold: true, shade: true });
    for (const k of keys) {
      const nested = group !== null || k.startsWith('stoppedBy.');
      line(t(`stats.fig.${k}`), num(value(report, k), RATES.has(k)), { indent: nested ? 12 : 0, bold: !nested });
    }
  }

  const all = rows(report);
  if (report.units.length === 0) return toBuffer(doc);

  // The unit table needs fourteen number columns: landscape pages.
  const margin = 36;
  const nameW = 170;
  const colW = 43;
  const h1 = 14;
  const h2 = 30;
  const dataH = 14;
  const newPage = () => {
    doc.addPage({ size: 'A4', layout: 'landscape', margin });
    footer(doc, t, ++page);
    doc
      .font('bold')
      .fontSize(12)
      .text(fit(doc, `${t('stats.export.byUnit')} · ${pick(report.unit.name, locale)}`, doc.page.width - 2 * margin));
    doc.moveDown(0.4);
    const top = doc.y;
    const cell = (text: string, x: number, y: number, w: number, h: number) => {
      doc.rect(x, y, w, h).fillAndStroke(SHADE, LINE).fillColor('black');
      doc.font('bold').fontSize(7);
      const textH = doc.heightOfString(text, { width: w - 4, align: 'center' });
      doc.text(text, x + 2, y + Math.max(2, (h - textH) / 2), { width: w - 4, align: 'center', height: h - 2, ellipsis: true });
    };
    cell(t('stats.col.unit'), margin, top, nameW, h1 + h2);
    let x = margin + nameW;
    for (const { group, keys } of TABLE) {
      if (group) {
        cell(t(`stats.group.${group}`), x, top, colW * keys.length, h1);
        keys.forEach((k, i) => cell(subLabel(t, k), x + colW * i, top + h1, colW, h2));
      } else cell(t(`stats.fig.${keys[0]!}`), x, top, colW, h1 + h2);
      x += colW * keys.length;
    }
    doc.x = margin;
    doc.y = top + h1 + h2;
  };
  newPage();
  all.forEach((row, i) => {
    if (doc.y + dataH > doc.page.height - margin) newPage();
    const y = doc.y;
    doc.font(i === 0 ? 'bold' : 'regular').fontSize(8);
    doc
      .rect(margin, y, nameW + colW * TABLE_KEYS.length, dataH)
      .lineWidth(0.5)
      .stroke(LINE);
    for (let j = 0; j < TABLE_KEYS.length; j++) {
      const x = margin + nameW + colW * j;
      doc
        .moveTo(x, y)
        .lineTo(x, y + dataH)
        .stroke(LINE);
    }
    doc.text(fit(doc, pick(row.name, locale), nameW - 6), margin + 3, y + 3.5, { lineBreak: false });
    TABLE_KEYS.forEach((k, j) =>
      doc.text(num(value(row, k), RATES.has(k)), margin + nameW + colW * j, y + 3.5, { width: colW - 3, align: 'right', lineBreak: false }),
    );
    doc.x = margin;
    doc.y = y + dataH;
  });
  return toBuffer(doc);
}
