// The result of a dossier as an electronic document: an approval ("Kết quả giải quyết thủ tục hành
// chính") or a reasoned rejection. Each carries a QR code and a footer pointing at the public
// verification page; the Ed25519 signature over the file's hash is kept beside it (the file cannot
// contain a signature of its own bytes). 'vi' prints Vietnamese only; 'en' adds the English.
import type { DossierFormBase, Named } from './dossier-forms.js';
import { FormWriter, type LabelTable } from './form-layout.js';
import { toBuffer } from './pdf.js';
import { drawQr } from './qr.js';

export interface ResultPdfInput {
  locale: 'vi' | 'en';
  kind: 'approval' | 'rejection';
  code: string;
  unit: Named;
  procedure: { code: string; name: Named };
  applicantName: string;
  /** Approval: what is decided or granted; rejection: the reason. */
  text: string;
  legalBasis: string | null;
  signerName: string;
  issuedAt: Date;
  /** Encoded in the QR code and printed in the footer. */
  verifyUrl: string;
  keyId: string;
}

const VI = {
  motto1: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  motto2: 'Độc lập - Tự do - Hạnh phúc',
  circular: '',
  code: 'Mã hồ sơ',
  issued: 'Hà Nội, ngày {d} tháng {mo} năm {y}',
  instant: '{h} giờ {mi}, ngày {d}/{mo}/{y}',
  money: '{vn} đồng',
  lookup: 'Kiểm tra văn bản tại',
  qrCaption: 'Quét mã để kiểm tra văn bản',
  signHint: '(Đã ký điện tử)',
  titleApproval: 'KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH',
  titleRejection: 'VĂN BẢN TỪ CHỐI GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH',
  procedure: 'Thủ tục hành chính',
  procedureCode: 'Mã thủ tục',
  applicant: 'Người yêu cầu',
  approvalLead: 'Căn cứ hồ sơ đề nghị của Ông/Bà, {unit} giải quyết như sau',
  rejectionLead: 'Qua xem xét hồ sơ, {unit} từ chối giải quyết yêu cầu của Ông/Bà với lý do cụ thể như sau',
  legalBasis: 'Căn cứ pháp lý',
  rejectionClose: 'Ông/Bà có quyền khiếu nại hoặc khởi kiện đối với văn bản này theo quy định của pháp luật.',
  signer: 'NGƯỜI KÝ',
  footer:
    'Văn bản điện tử được ký số bằng khóa {keyId} (Ed25519) của hệ thống một cửa điện tử. Kiểm tra văn bản có đúng và chưa bị sửa đổi tại {url}.',
};
type Key = keyof typeof VI;

const LABELS: LabelTable<Key> = {
  vi: VI,
  en: {
    motto1: 'SOCIALIST REPUBLIC OF VIET NAM',
    motto2: 'Independence - Freedom - Happiness',
    circular: '',
    code: 'Dossier code',
    issued: 'Hanoi, {day}',
    instant: '{day}, {h}:{mi}',
    money: 'VND {intl}',
    lookup: 'Verify this document at',
    qrCaption: 'Scan to verify',
    signHint: '(Signed electronically)',
    titleApproval: 'RESULT OF AN ADMINISTRATIVE PROCEDURE',
    titleRejection: 'REFUSAL TO GRANT AN ADMINISTRATIVE PROCEDURE REQUEST',
    procedure: 'Administrative procedure',
    procedureCode: 'Procedure code',
    applicant: 'Applicant',
    approvalLead: 'Having examined your dossier, {unit} decides as follows',
    rejectionLead: 'Having examined your dossier, {unit} refuses the request for the following reason',
    legalBasis: 'Legal basis',
    rejectionClose: 'You may lodge a complaint or bring a lawsuit against this document as provided by law.',
    signer: 'SIGNED BY',
    footer:
      'Electronic document signed with key {keyId} (Ed25519) of the one-stop system. Check that it is genuine and unchanged at {url}.',
  },
};

const QR_SIDE = 80; // points
const QR_COL = 100;

/** The result PDF. Same input, same bytes: the creation date is the issue date. */
export function resultPdf(r: ResultPdfInput): Promise<Buffer> {
  const base: DossierFormBase = {
    locale: r.locale,
    code: r.code,
    unit: { name: r.unit, parentName: null },
    procedure: r.procedure,
    applicant: { name: r.applicantName, citizenIdMasked: null, phone: null, email: null, address: null },
    channel: 2,
    officerName: r.signerName,
    lookupUrl: r.verifyUrl,
    issuedAt: r.issuedAt,
  };
  const title: Key = r.kind === 'approval' ? 'titleApproval' : 'titleRejection';
  const w = new FormWriter<Key>(base, LABELS, title, r.issuedAt);
  const { doc } = w;
  w.header(null, title);
  w.field(w.t('applicant'), r.applicantName, true);
  w.field(w.t('procedure'), r.procedure.name, true);
  w.field(w.t('procedureCode'), r.procedure.code);
  doc.moveDown(0.5);
  if (r.kind === 'approval') {
    w.para(w.colon(w.l('approvalLead', { unit: r.unit })));
    w.para(r.text, { bold: true, indent: 14 });
  } else {
    w.para(w.colon(w.l('rejectionLead', { unit: r.unit })));
    w.para(r.text, { bold: true, indent: 14 });
    if (r.legalBasis) {
      doc.moveDown(0.3);
      w.field(w.t('legalBasis'), r.legalBasis);
    }
    doc.moveDown(0.3);
    w.para(w.l('rejectionClose'));
  }
  doc.moveDown(0.4);
  w.field(w.t('lookup'), r.verifyUrl);
  signatureBand(w, r);
  footer(w, r);
  return toBuffer(doc);
}

/** The QR code at the left (where a verifier looks first), the signer at the right. */
function signatureBand(w: FormWriter<Key>, r: ResultPdfInput) {
  const { doc, left, width, labels } = w;
  if (doc.y + 12 + 125 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  const top = doc.y + 12;
  drawQr(doc, r.verifyUrl, left + (QR_COL - QR_SIDE) / 2, top, QR_SIDE);
  doc
    .font('regular')
    .fontSize(7.5)
    .text(w.stack('qrCaption'), left, top + QR_SIDE + 4, { width: QR_COL, align: 'center' });
  const qrBottom = doc.y;
  const colW = (width - QR_COL) / 2;
  const x = left + width - colW;
  doc.font('bold').fontSize(11).text(labels.vi.signer, x, top, { width: colW, align: 'center' });
  if (w.en) doc.font('regular').fontSize(9).text(labels.en.signer, x, doc.y, { width: colW, align: 'center' });
  doc.font('regular').fontSize(9).fillColor('#555').text(w.stack('signHint'), x, doc.y, { width: colW, align: 'center' });
  doc
    .fillColor('black')
    .font('bold')
    .fontSize(11)
    .text(r.signerName, x, doc.y + 30, { width: colW, align: 'center' });
  doc.x = left;
  doc.y = Math.max(qrBottom, doc.y);
}

/** The statement that the document is signed, with the key id and the address to check it, above a rule at the page foot. */
function footer(w: FormWriter<Key>, r: ResultPdfInput) {
  const { doc, left, width } = w;
  const text = w.l('footer', { keyId: r.keyId, url: r.verifyUrl });
  const body = text.en ? `${text.vi}\n${text.en}` : text.vi;
  doc.font('regular').fontSize(8);
  const h = doc.heightOfString(body, { width }) + 8;
  const bottom = doc.page.height - doc.page.margins.bottom;
  if (doc.y + 16 + h > bottom) doc.addPage();
  const y = Math.max(doc.y + 16, bottom - h);
  doc
    .moveTo(left, y)
    .lineTo(left + width, y)
    .lineWidth(0.5)
    .strokeColor('#555')
    .stroke()
    .strokeColor('black');
  doc.fillColor('#333').text(body, left, y + 6, { width });
  doc.fillColor('black');
}
