import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import QRCode from 'qrcode';
import { pdfText } from '../../test/helpers/pdf.js';
import {
  feeReceiptPdf,
  qrSvg,
  receiptPdf,
  refusalPdf,
  supplementPdf,
  type DossierFormBase,
  type FeeReceiptForm,
  type ReceiptForm,
  type SupplementForm,
} from './dossier-forms.js';

const CODE = '000.13.42.H26-261127-0001';
const URL = `https://motcua.example.vn/tra-cuu?ma=${CODE}`;

function base(locale: 'vi' | 'en'): DossierFormBase {
  return {
    locale,
    code: CODE,
    unit: {
      name: { vi: 'Bộ phận Tiếp nhận và Trả kết quả phường Văn Quán', en: 'One-stop desk, Văn Quán ward' },
      parentName: { vi: 'UBND quận Hà Đông', en: 'Hà Đông District People’s Committee' },
    },
    procedure: { code: '1.001193', name: { vi: 'Đăng ký khai sinh', en: 'Birth registration' } },
    applicant: {
      name: 'Nguyễn Thị Hồng Nhung',
      citizenIdMasked: '001******789',
      phone: '0912 345 678',
      email: 'nhung@example.vn',
      address: 'Số 5 ngõ 12 phố Chiến Thắng, phường Văn Quán, quận Hà Đông',
    },
    channel: 1,
    officerName: 'Trần Văn Bình',
    lookupUrl: URL,
    issuedAt: new Date('2026-11-27T02:30:00Z'),
  };
}

function receipt(locale: 'vi' | 'en', over: Partial<ReceiptForm> = {}): ReceiptForm {
  return {
    ...base(locale),
    receivedAt: new Date('2026-11-27T02:30:00Z'), // 09:30 in Hà Nội
    dueAt: new Date('2026-12-02T08:00:00Z'), // 15:00 in Hà Nội
    documents: [
      { name: { vi: 'Tờ khai đăng ký khai sinh', en: 'Birth registration declaration' }, originals: 1, copies: null, provided: 'paper' },
      { name: { vi: 'Giấy chứng sinh', en: 'Birth certificate from the hospital' }, originals: 1, copies: 0, provided: 'file' },
      {
        name: { vi: 'Giấy tờ tùy thân của người đi đăng ký', en: 'Identity document of the declarant' },
        originals: null,
        copies: 1,
        provided: 'missing',
      },
    ],
    feeAmount: 15000,
    ...over,
  };
}

const supplement = (locale: 'vi' | 'en'): SupplementForm => ({
  ...base(locale),
  items: [
    { name: { vi: 'Giấy chứng sinh', en: 'Birth certificate from the hospital' }, reason: 'Bản chụp bị mờ, không đọc được số hiệu' },
    { name: { vi: 'Tờ khai đăng ký khai sinh', en: 'Birth registration declaration' }, reason: 'Thiếu chữ ký của người đi đăng ký' },
  ],
  note: 'Nộp bổ sung trực tuyến hoặc tại Bộ phận Một cửa',
});

const fee = (locale: 'vi' | 'en', over: Partial<FeeReceiptForm> = {}): FeeReceiptForm => ({
  ...base(locale),
  receiptNo: 'BL-2026-000123',
  amount: 15000,
  method: 'gateway',
  paidAt: new Date('2026-11-27T03:05:00Z'),
  txnRef: 'VNP14567890',
  ...over,
});

const isPdf = (b: Buffer) => assert.equal(b.subarray(0, 5).toString('latin1'), '%PDF-');

describe('dossier forms (PDF)', () => {
  test('form 01: receipt and appointment, Vietnamese', async () => {
    const pdf = await receiptPdf(receipt('vi'));
    isPdf(pdf);
    const text = await pdfText(pdf);
    for (const s of [
      CODE,
      'Nguyễn Thị Hồng Nhung',
      'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'UBND QUẬN HÀ ĐÔNG',
      'Đăng ký khai sinh',
      'Giấy chứng sinh',
      'Bản điện tử',
      'Bản giấy',
      'Thiếu',
      '09 giờ 30, ngày 27/11/2026',
      '15 giờ 00, ngày 02/12/2026',
      '15.000 đồng',
      '001******789',
      'NGƯỜI NỘP HỒ SƠ',
      'NGƯỜI TIẾP NHẬN HỒ SƠ',
      'Trần Văn Bình',
      'Quét mã để tra cứu hồ sơ',
      'Thông tư 01/2018/TT-VPCP',
    ]) {
      assert.ok(text.includes(s), `missing ${s}`);
    }
    assert.ok(!text.includes('Scan to track'), 'no English on a Vietnamese form');
  });

  test('form 01: English adds the English labels and dates', async () => {
    const text = await pdfText(await receiptPdf(receipt('en')));
    for (const s of [
      CODE,
      'Nguyễn Thị Hồng Nhung',
      'Ngày hẹn trả kết quả / Appointment for the result',
      '02/12/2026',
      '2 December 2026, 15:00',
      'DOSSIER RECEIPT AND APPOINTMENT FOR THE RESULT',
      'Birth registration',
      'VND 15,000',
      'Scan to track',
      'RECEIVING OFFICER',
    ]) {
      assert.ok(text.includes(s), `missing ${s}`);
    }
  });

  test('form 01: no confirmed appointment prints the rule, never a made-up date; no fee line without a fee', async () => {
    const text = await pdfText(await receiptPdf(receipt('vi', { dueAt: null, feeAmount: null, documents: [] })));
    assert.ok(text.includes('Theo thời hạn giải quyết quy định của thủ tục'));
    assert.ok(!text.includes('02/12/2026'));
    assert.ok(!text.includes('đồng'));
    assert.ok(text.includes('Không có giấy tờ kèm theo'));
  });

  test('form 01: a long list of documents flows onto further pages', async () => {
    const documents = Array.from({ length: 40 }, (_, i) => ({
      name: { vi: `Giấy tờ số ${i + 1}`, en: `Document ${i + 1}` },
      originals: 1,
      copies: 2,
      provided: 'paper' as const,
    }));
    const text = await pdfText(await receiptPdf(receipt('vi', { documents })));
    assert.ok(text.includes('Giấy tờ số 40'));
    assert.ok(text.includes('15 giờ 00, ngày 02/12/2026'));
    assert.ok(text.includes('Quét mã để tra cứu hồ sơ'));
  });

  test('form 02: supplement request, once and complete', async () => {
    const text = await pdfText(await supplementPdf(supplement('vi')));
    for (const s of [
      CODE,
      'Nguyễn Thị Hồng Nhung',
      'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
      'Bản chụp bị mờ, không đọc được số hiệu',
      'Thiếu chữ ký của người đi đăng ký',
      'Nộp bổ sung trực tuyến hoặc tại Bộ phận Một cửa',
      'Yêu cầu bổ sung một lần, đầy đủ',
      'NGƯỜI HƯỚNG DẪN',
    ]) {
      assert.ok(text.includes(s), `missing ${s}`);
    }
    const en = await pdfText(await supplementPdf(supplement('en')));
    assert.ok(en.includes('Document to supplement or complete'));
    assert.ok(en.includes('This request is made once and completely'));
  });

  test('form 03: refusal with reason and legal basis', async () => {
    const f = {
      ...base('vi'),
      reason: 'Thủ tục không thuộc thẩm quyền giải quyết của phường',
      legalBasis: 'Quy định về thẩm quyền trong hồ sơ thủ tục 1.001193',
    };
    const text = await pdfText(await refusalPdf(f));
    for (const s of [CODE, 'Nguyễn Thị Hồng Nhung', 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ', f.reason, 'Căn cứ pháp lý', f.legalBasis]) {
      assert.ok(text.includes(s), `missing ${s}`);
    }
    const en = await pdfText(await refusalPdf({ ...f, locale: 'en', legalBasis: null }));
    assert.ok(en.includes('NOTICE OF REFUSAL TO RECEIVE THE DOSSIER'));
    assert.ok(en.includes(f.reason));
    assert.ok(!en.includes('Legal basis'));
  });

  test('fee receipt: number, payer, amount, method and instant', async () => {
    const text = await pdfText(await feeReceiptPdf(fee('vi')));
    for (const s of [
      CODE,
      'BIÊN LAI THU PHÍ, LỆ PHÍ (ĐIỆN TỬ)',
      'BL-2026-000123',
      'Nguyễn Thị Hồng Nhung',
      '15.000',
      'Trực tuyến qua cổng thanh toán',
      'VNP14567890',
      '10 giờ 05, ngày 27/11/2026',
    ]) {
      assert.ok(text.includes(s), `missing ${s}`);
    }
    assert.ok(!text.includes('Mẫu số'), 'not a one-stop form of the circular');
    const cash = await pdfText(await feeReceiptPdf(fee('en', { method: 'cash', txnRef: null, amount: 1234567 })));
    assert.ok(cash.includes('Tiền mặt tại Bộ phận Một cửa'));
    assert.ok(cash.includes('Cash at the one-stop desk'));
    assert.ok(cash.includes('1.234.567 đồng / VND 1,234,567'));
    assert.ok(cash.includes('NGƯỜI NỘP TIỀN'));
  });
});

/** A small well-formedness check: every tag closes in order, attributes are quoted, text has no bare markup. */
function assertWellFormed(xml: string) {
  const stack: string[] = [];
  const re = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<&]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    assert.doesNotMatch(xml.slice(last, m.index), /[<>]|&(?!(amp|lt|gt|quot|apos);)/, 'stray markup between tags');
    last = re.lastIndex;
    const [, close, name, , selfClose] = m;
    if (close) assert.equal(stack.pop(), name, `unbalanced </${name}>`);
    else if (!selfClose) stack.push(name!);
    if (stack.length === 0) assert.equal(last, xml.length, 'content after the root element');
  }
  assert.equal(last, xml.length, 'unparsed text at the end');
  assert.deepEqual(stack, []);
}

describe('QR code', () => {
  test('qrSvg draws one rect per dark module of the lookup URL', () => {
    const svg = qrSvg(URL);
    assertWellFormed(svg);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 (\d+) \1" role="img"/);
    assert.ok(svg.includes(`<title>${URL.replace(/&/g, '&amp;')}</title>`));
    const m = QRCode.create(URL, { errorCorrectionLevel: 'M' }).modules;
    const dark = Array.from(m.data).filter(Boolean).length;
    assert.equal(svg.match(/<rect /g)?.length, dark);
    assert.equal(Number(/viewBox="0 0 (\d+)/.exec(svg)![1]), m.size + 8);
    // Each rect sits where the matrix is dark (quiet zone of 4).
    for (const [, x, y] of svg.matchAll(/<rect x="(\d+)" y="(\d+)"/g)) {
      assert.equal(m.data[(Number(y) - 4) * m.size + (Number(x) - 4)], 1);
    }
  });

  test('a different URL gives a different SVG; markup in the text is escaped', () => {
    assert.notEqual(qrSvg(URL), qrSvg(URL.replace('0001', '0002')));
    const svg = qrSvg('https://x.vn/?a=1&b=<2>');
    assertWellFormed(svg);
    assert.ok(svg.includes('<title>https://x.vn/?a=1&amp;b=&lt;2&gt;</title>'));
  });
});
