import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { Value } from '@sinclair/typebox/value';
import { pdfText } from '../../../test/helpers/pdf.js';
import { openDataCsv, reportCsv, reportPdf, reportXlsx } from './stats.export.js';
import { ReportSchema, type Figures, type Report } from './stats.schema.js';

const NOW = new Date('2019-06-20T03:00:00Z');

function figures(received: number, early: number, onTime: number, late: number): Figures {
  const finished = early + onTime + late;
  const online = Math.floor(received / 3);
  const post = Math.floor(received / 20);
  return {
    received: { total: received, online, inPerson: received - online - post, post, carriedOver: 12 },
    finished: { total: finished, early, onTime, late, rejected: 1 },
    inProgress: { total: 40, withinDeadline: 38, overdue: 2 },
    stopped: 3,
    stoppedBy: { withdrawn: 2, stopped: 1 },
    refusedAtReception: 5,
    onTimeRate: finished ? Math.round(((early + onTime) / finished) * 10000) / 100 : null,
    onlineShare: received ? Math.round((online / received) * 10000) / 100 : null,
  };
}

// Hà Đông, first half of 2019: the worked example of docs/metrics.md (4 early, 5,750 on time, 3 late → 99.95%).
const REPORT: Report = {
  unit: { code: 'HD', name: { vi: 'UBND quận Hà Đông', en: 'Hà Đông District People’s Committee' }, level: 'district' },
  subtree: true,
  period: { from: '2018-12-15', to: '2019-06-14', name: 'half-year-2019-1' },
  convention: 'pause',
  filters: { procedure: null, field: null, channel: null },
  measuredAt: '2019-06-14T16:59:59.999Z',
  ...figures(6333, 4, 5750, 3),
  units: [
    {
      code: 'HD.VQ',
      name: { vi: 'Phường Văn Quán, "thí điểm"', en: 'Văn Quán ward, "pilot"' },
      level: 'commune',
      ...figures(2100, 1, 1999, 2),
    },
    { code: 'HD.XX', name: { vi: '=HYPERLINK("http://evil")', en: '=HYPERLINK("http://evil")' }, level: 'commune', ...figures(0, 0, 0, 0) },
  ],
  procedures: [
    {
      code: '1.001193',
      name: { vi: 'Đăng ký khai sinh', en: 'Birth registration' },
      received: 900,
      finished: 880,
      onTime: 879,
      late: 1,
      averageTime: { value: 1.25, unit: 'working_days' },
    },
    {
      code: '2.000001',
      name: { vi: 'Thủ tục chưa có hồ sơ xong', en: 'Nothing finished yet' },
      received: 3,
      finished: 0,
      onTime: 0,
      late: 0,
      averageTime: null,
    },
  ],
};

const COLUMN_KEYS = ['received.total', 'received.carriedOver', 'received.inPerson', 'received.online', 'received.post'] as const;

/** RFC 4180, just enough to read back what the exporter writes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (quoted) field += ch;
    else if (ch === ',') endField();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else field += ch;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

describe('the report literal', () => {
  test('is a valid report', () => {
    assert.ok(Value.Check(ReportSchema, REPORT), JSON.stringify([...Value.Errors(ReportSchema, REPORT)][0]));
    assert.equal(REPORT.onTimeRate, 99.95);
  });
});

describe('reportXlsx', () => {
  test('Vietnamese headers, the unit row as numbers, rates with two decimals', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportXlsx(REPORT, 'vi', NOW)) as unknown as ArrayBuffer);
    assert.equal(wb.creator, 'motcua');
    assert.equal(wb.created.getTime(), NOW.getTime());
    const ws = wb.getWorksheet('Báo cáo');
    assert.ok(ws);
    assert.equal(ws.getCell(1, 1).value, 'Báo cáo tình hình giải quyết thủ tục hành chính');
    assert.equal(ws.getCell(1, 1).font.bold, true);

    const texts: string[][] = [];
    const text = (v: ExcelJS.CellValue) =>
      typeof v === 'string' ? v : v && typeof v === 'object' && 'richText' in v ? v.richText.map((r) => r.text).join('') : '';
    ws.eachRow((row, n) => (texts[n] = (row.values as ExcelJS.CellValue[]).map(text)));
    const h1 = texts.findIndex((r) => r?.includes('Tiếp nhận'));
    assert.ok(h1 > 0, 'group header row');
    for (const group of ['Đã giải quyết', 'Đang giải quyết', 'Rút/dừng', 'Tỷ lệ đúng hạn (%)', 'Mã', 'Đơn vị'])
      assert.ok(texts[h1]!.includes(group), group);
    for (const sub of [
      'Tổng',
      'Kỳ trước chuyển sang',
      'Trực tiếp',
      'Trực tuyến',
      'Bưu chính',
      'Trước hạn',
      'Đúng hạn',
      'Quá hạn',
      'Trong hạn',
    ])
      assert.ok(texts[h1 + 1]!.includes(sub), sub);
    assert.ok(texts.some((r) => r?.some((c) => c === 'Kỳ báo cáo: 15/12/2018 – 14/06/2019 (6 tháng đầu năm 2019)')));

    const unitRow = ws.getRow(h1 + 2);
    assert.equal(unitRow.getCell(1).value, 'HD');
    assert.equal(unitRow.getCell(2).value, 'UBND quận Hà Đông');
    COLUMN_KEYS.forEach((k, i) => assert.equal(unitRow.getCell(3 + i).value, REPORT.received[k.split('.')[1] as 'total']));
    const numbers = (row: ExcelJS.Row) => (row.values as ExcelJS.CellValue[]).slice(3);
    const f = REPORT.finished;
    const p = REPORT.inProgress;
    assert.deepEqual(numbers(unitRow).slice(5), [f.total, f.early, f.onTime, f.late, p.total, p.withinDeadline, p.overdue, 3, 99.95]);
    const rate = unitRow.getCell(3 + 13);
    assert.equal(rate.numFmt, '0.00');
    assert.equal(typeof rate.value, 'number');
    assert.equal(ws.getRow(h1 + 3).getCell(2).value, 'Phường Văn Quán, "thí điểm"');
    assert.equal(ws.getRow(h1 + 4).getCell(3 + 13).value, '—', 'no rate when nothing finished');
    assert.equal(ws.views[0]?.state, 'frozen');

    const ps = wb.getWorksheet('Theo thủ tục');
    assert.ok(ps);
    assert.deepEqual((ps.getRow(2).values as ExcelJS.CellValue[]).slice(1), [
      '1.001193',
      'Đăng ký khai sinh',
      900,
      880,
      879,
      1,
      1.25,
      'ngày làm việc',
    ]);
  });

  test('English labels', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportXlsx(REPORT, 'en', NOW)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Report');
    assert.ok(ws);
    let found = false;
    ws.eachRow((row) => (found ||= (row.values as ExcelJS.CellValue[]).includes('On-time rate (%)')));
    assert.ok(found);
    assert.ok(wb.getWorksheet('By procedure'));
  });
});

describe('reportCsv', () => {
  const csv = reportCsv(REPORT, 'vi');
  const table = parseCsv(csv.slice(1));
  const header = table[0]!;
  const col = (label: string) => {
    const i = header.indexOf(label);
    assert.ok(i >= 0, label);
    return i;
  };

  test('BOM, CRLF, a localized header and one line per row', () => {
    assert.ok(csv.startsWith('\uFEFF'));
    assert.ok(csv.endsWith('\r\n'));
    assert.ok(!/[^\r]\n/.test(csv));
    assert.equal(header[0], 'Mã');
    assert.equal(table.length, 1 + 1 + REPORT.units.length);
    assert.notEqual(col('Đã giải quyết – Quá hạn'), col('Đang giải quyết – Quá hạn'));
  });

  test('numbers come back unformatted', () => {
    const unit = table[1]!;
    assert.equal(unit[1], 'UBND quận Hà Đông');
    assert.equal(Number(unit[col('Tiếp nhận – Tổng')]), 6333);
    assert.equal(unit[col('Tiếp nhận – Tổng')], '6333');
    assert.equal(Number(unit[col('Đã giải quyết – Đúng hạn')]), 5750);
    assert.equal(unit[col('Tỷ lệ đúng hạn (%)')], '99.95');
    assert.equal(Number(unit[col('Từ chối tiếp nhận')]), REPORT.refusedAtReception);
    assert.equal(table[3]![col('Tỷ lệ đúng hạn (%)')], '', 'no value is an empty field');
  });

  test('quoting and formula injection', () => {
    assert.ok(csv.includes(',"Phường Văn Quán, ""thí điểm""",'));
    assert.equal(table[2]![1], 'Phường Văn Quán, "thí điểm"');
    assert.equal(table[3]![1], `'=HYPERLINK("http://evil")`);
  });

  test('open data: keys as the header, same rules', () => {
    const out = openDataCsv(
      [
        { unit: 'HD', name: 'a "b", c', 'finished.total': 5757, onTimeRate: 99.95 },
        { unit: 'X', name: '+1', 'finished.total': -1, onTimeRate: null },
      ],
      ['unit', 'name', 'finished.total', 'onTimeRate'],
    );
    assert.equal(out, '\uFEFFunit,name,finished.total,onTimeRate\r\nHD,"a ""b"", c",5757,99.95\r\nX,\'+1,-1,\r\n');
  });
});

describe('reportPdf', () => {
  test('Vietnamese text with diacritics and formatted numbers', async () => {
    const pdf = await reportPdf(REPORT, 'vi', NOW);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const text = await pdfText(pdf);
    for (const s of ['UBND quận Hà Đông', '6.333', '5.750', '99,95', 'Trước hạn', 'Tỷ lệ đúng hạn (%)', 'Theo đơn vị', 'Phường Văn Quán'])
      assert.ok(text.includes(s), s);
  });

  test('English numbers; a long unit list runs over several pages', async () => {
    const many: Report = {
      ...REPORT,
      units: Array.from({ length: 80 }, (_, i) => ({
        ...REPORT.units[0]!,
        code: `U${i}`,
        name: { vi: `Phường số ${i + 1}`, en: `Ward ${i + 1}` },
      })),
    };
    const text = await pdfText(await reportPdf(many, 'en', NOW));
    assert.ok(text.includes('6,333'));
    assert.ok(text.includes('Ward 80'));
    assert.ok(text.includes('Page 3'));
  });
});
