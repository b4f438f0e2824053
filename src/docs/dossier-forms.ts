// One-stop desk forms as PDF: 01 receipt and appointment, 02 supplement request, 03 refusal
// (annex of Thông tư 01/2018/TT-VPCP), and the electronic fee receipt. 'vi' prints Vietnamese
// only; 'en' prints every label as "Vietnamese / English" (the Vietnamese text stays authoritative).
import { FORM_LABELS, FormWriter, type LabelTable } from './form-layout.js';

export { qrSvg } from './qr.js';

export interface Named {
  vi: string;
  en: string;
}
/** The receiving unit; `parentName` (e.g. "UBND quận Hà Đông") is printed above it in the header. */
export interface FormParty {
  name: Named;
  parentName: Named | null;
}
export interface FormDocumentLine {
  name: Named;
  originals: number | null;
  copies: number | null;
  provided: 'file' | 'paper' | 'missing';
}
export interface DossierFormBase {
  locale: 'vi' | 'en';
  code: string;
  unit: FormParty;
  procedure: { code: string; name: Named };
  applicant: { name: string; citizenIdMasked: string | null; phone: string | null; email: string | null; address: string | null };
  channel: 1 | 2 | 3;
  officerName: string;
  /** Public lookup URL, encoded in the QR code. */
  lookupUrl: string;
  issuedAt: Date;
}
/** Form 01. `dueAt` null: no appointment date is confirmed, so the form says the procedure's own time limit applies. */
export interface ReceiptForm extends DossierFormBase {
  receivedAt: Date;
  dueAt: Date | null;
  documents: FormDocumentLine[];
  feeAmount: number | null;
}
export interface SupplementForm extends DossierFormBase {
  items: { name: Named; reason: string }[];
  note: string | null;
}
export interface RefusalForm extends DossierFormBase {
  reason: string;
  legalBasis: string | null;
}
export interface FeeReceiptForm extends DossierFormBase {
  receiptNo: string;
  amount: number;
  method: 'gateway' | 'cash';
  paidAt: Date;
  txnRef: string | null;
}

const VI = {
  ...FORM_LABELS.vi,
  form01: 'Mẫu số 01',
  form02: 'Mẫu số 02',
  form03: 'Mẫu số 03',
  title01: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
  title02: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
  title03: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
  titleFee: 'BIÊN LAI THU PHÍ, LỆ PHÍ (ĐIỆN TỬ)',
  receivedFrom: '{unit} tiếp nhận hồ sơ của',
  applicant: 'Ông/Bà',
  citizenId: 'Số định danh cá nhân',
  phone: 'Số điện thoại',
  email: 'Thư điện tử',
  address: 'Địa chỉ',
  request: 'Nội dung yêu cầu giải quyết',
  procedureCode: 'Mã thủ tục',
  channel: 'Hình thức nộp hồ sơ',
  channel1: 'Trực tiếp',
  channel2: 'Trực tuyến',
  channel3: 'Qua dịch vụ bưu chính công ích',
  documents: 'Thành phần hồ sơ nộp gồm',
  noDocuments: 'Không có giấy tờ kèm theo',
  colNo: 'STT',
  colName: 'Tên giấy tờ',
  colOriginals: 'Bản chính',
  colCopies: 'Bản sao',
  colProvided: 'Hình thức',
  file: 'Bản điện tử',
  paper: 'Bản giấy',
  missing: 'Thiếu',
  receivedAt: 'Thời gian tiếp nhận hồ sơ',
  dueAt: 'Ngày hẹn trả kết quả',
  dueNone: 'Theo thời hạn giải quyết quy định của thủ tục',
  fee: 'Phí, lệ phí',
  feeNone: 'Không thu',
  signApplicant: 'NGƯỜI NỘP HỒ SƠ',
  signReceiver: 'NGƯỜI TIẾP NHẬN HỒ SƠ',
  signGuide: 'NGƯỜI HƯỚNG DẪN',
  signPayer: 'NGƯỜI NỘP TIỀN',
  signCollector: 'NGƯỜI THU TIỀN',
  supplementLead: 'Yêu cầu Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau',
  colDocument: 'Giấy tờ cần bổ sung, hoàn thiện',
  colReason: 'Lý do',
  note: 'Ghi chú',
  once: 'Yêu cầu bổ sung một lần, đầy đủ: trên đây là toàn bộ các nội dung cần bổ sung, hoàn thiện đối với hồ sơ này.',
  contact: 'Nếu có vướng mắc trong quá trình hoàn thiện hồ sơ, Ông/Bà liên hệ người hướng dẫn: {officer}.',
  refusalLead: 'Qua xem xét, cơ quan tiếp nhận thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau',
  legalBasis: 'Căn cứ pháp lý',
  refusalClose: 'Xin thông báo để Ông/Bà được biết và thực hiện.',
  receiptNo: 'Số biên lai',
  collector: 'Đơn vị thu',
  payer: 'Người nộp',
  feeFor: 'Nội dung thu',
  feeForText: 'Phí, lệ phí giải quyết thủ tục hành chính',
  amount: 'Số tiền',
  method: 'Hình thức thanh toán',
  gateway: 'Trực tuyến qua cổng thanh toán',
  txnRef: 'mã giao dịch',
  cash: 'Tiền mặt tại Bộ phận Một cửa',
  paidAt: 'Thời điểm thanh toán',
};
type Key = keyof typeof VI;

const LABELS: LabelTable<Key> = {
  vi: VI,
  en: {
    ...FORM_LABELS.en,
    form01: 'Form 01',
    form02: 'Form 02',
    form03: 'Form 03',
    title01: 'DOSSIER RECEIPT AND APPOINTMENT FOR THE RESULT',
    title02: 'REQUEST TO SUPPLEMENT AND COMPLETE THE DOSSIER',
    title03: 'NOTICE OF REFUSAL TO RECEIVE THE DOSSIER',
    titleFee: 'RECEIPT FOR FEES AND CHARGES (ELECTRONIC)',
    receivedFrom: '{unit} received the dossier of',
    applicant: 'Applicant',
    citizenId: 'Personal ID number',
    phone: 'Phone',
    email: 'Email',
    address: 'Address',
    request: 'Request',
    procedureCode: 'Procedure code',
    channel: 'Submitted',
    channel1: 'In person',
    channel2: 'Online',
    channel3: 'By public postal service',
    documents: 'Documents submitted',
    noDocuments: 'No documents attached',
    colNo: 'No.',
    colName: 'Document',
    colOriginals: 'Originals',
    colCopies: 'Copies',
    colProvided: 'Provided as',
    file: 'Electronic',
    paper: 'Paper',
    missing: 'Missing',
    receivedAt: 'Received at',
    dueAt: 'Appointment for the result',
    dueNone: 'Within the time limit set for the procedure',
    fee: 'Fees and charges',
    feeNone: 'None',
    signApplicant: 'APPLICANT',
    signReceiver: 'RECEIVING OFFICER',
    signGuide: 'GUIDING OFFICER',
    signPayer: 'PAYER',
    signCollector: 'COLLECTOR',
    supplementLead: 'Please supplement and complete the dossier as follows',
    colDocument: 'Document to supplement or complete',
    colReason: 'Reason',
    note: 'Note',
    once: 'This request is made once and completely: the items above are everything this dossier still needs.',
    contact: 'If anything is unclear while completing the dossier, please contact the guiding officer: {officer}.',
    refusalLead: 'Having examined it, the receiving office will not receive or process this dossier, for the following reason',
    legalBasis: 'Legal basis',
    refusalClose: 'This notice is given for your information.',
    receiptNo: 'Receipt no.',
    collector: 'Collected by',
    payer: 'Payer',
    feeFor: 'For',
    feeForText: 'Fees and charges for an administrative procedure',
    amount: 'Amount',
    method: 'Payment method',
    gateway: 'Online through the payment gateway',
    txnRef: 'transaction reference',
    cash: 'Cash at the one-stop desk',
    paidAt: 'Paid at',
  },
};

const count = (n: number | null) => (n === null ? '—' : String(n));
type Writer = FormWriter<Key>;
const writer = (f: DossierFormBase, title: Key): Writer => new FormWriter<Key>(f, LABELS, title);

/** "<unit> received the dossier of": the applicant's details, then the request and the channel. */
function applicantBlock(w: Writer) {
  const { f } = w;
  w.para(w.colon(w.l('receivedFrom', { unit: f.unit.name })));
  w.field(w.t('applicant'), f.applicant.name, true);
  if (f.applicant.citizenIdMasked) w.field(w.t('citizenId'), f.applicant.citizenIdMasked);
  if (f.applicant.phone) w.field(w.t('phone'), f.applicant.phone);
  if (f.applicant.email) w.field(w.t('email'), f.applicant.email);
  if (f.applicant.address) w.field(w.t('address'), f.applicant.address);
  w.field(w.t('request'), f.procedure.name, true);
  w.field(w.t('procedureCode'), f.procedure.code);
  w.field(w.t('channel'), w.l(`channel${f.channel}`));
  w.doc.moveDown(0.4);
}

/** Form 01: receipt of the dossier and appointment for the result. */
export function receiptPdf(f: ReceiptForm): Promise<Buffer> {
  const w = writer(f, 'title01');
  w.header('form01', 'title01');
  applicantBlock(w);
  w.para(`1. ${w.t('documents')}:`);
  if (f.documents.length === 0) w.para(w.l('noDocuments'), { indent: 14 });
  else {
    w.table(
      [
        { head: 'colNo', width: 34, align: 'center' },
        { head: 'colName', width: 0 },
        { head: 'colOriginals', width: 58, align: 'center' },
        { head: 'colCopies', width: 58, align: 'center' },
        { head: 'colProvided', width: 86, align: 'center' },
      ],
      f.documents.map((d, i) => [String(i + 1), w.s(d.name), count(d.originals), count(d.copies), w.stack(d.provided)]),
    );
  }
  w.field(`2. ${w.t('receivedAt')}`, w.instant(f.receivedAt));
  w.field(`3. ${w.t('dueAt')}`, f.dueAt ? w.instant(f.dueAt) : w.l('dueNone'), true);
  if (f.feeAmount !== null) w.field(`4. ${w.t('fee')}`, f.feeAmount === 0 ? w.l('feeNone') : w.money(f.feeAmount));
  return w.finish({ title: 'signApplicant', name: f.applicant.name }, { title: 'signReceiver', name: f.officerName });
}

/** Form 02: request to supplement and complete the dossier, made once and completely. */
export function supplementPdf(f: SupplementForm): Promise<Buffer> {
  const w = writer(f, 'title02');
  w.header('form02', 'title02');
  applicantBlock(w);
  w.para(w.colon(w.l('supplementLead')));
  w.table(
    [
      { head: 'colNo', width: 34, align: 'center' },
      { head: 'colDocument', width: 220 },
      { head: 'colReason', width: 0 },
    ],
    f.items.map((it, i) => [String(i + 1), w.s(it.name), it.reason]),
  );
  if (f.note) w.field(w.t('note'), f.note);
  w.doc.moveDown(0.3);
  w.para(w.l('once'), { bold: true });
  w.doc.moveDown(0.3);
  w.para(w.l('contact', { officer: f.officerName }));
  return w.finish(null, { title: 'signGuide', name: f.officerName });
}

/** Form 03: refusal to receive the dossier, with the reason. */
export function refusalPdf(f: RefusalForm): Promise<Buffer> {
  const w = writer(f, 'title03');
  w.header('form03', 'title03');
  applicantBlock(w);
  w.para(w.colon(w.l('refusalLead')));
  w.para(f.reason, { bold: true, indent: 14 });
  if (f.legalBasis) {
    w.doc.moveDown(0.3);
    w.field(w.t('legalBasis'), f.legalBasis);
  }
  w.doc.moveDown(0.3);
  w.para(w.l('refusalClose'));
  return w.finish(null, { title: 'signReceiver', name: f.officerName });
}

/** Electronic receipt for the fees and charges of a dossier (not one of the circular's one-stop forms). */
export function feeReceiptPdf(f: FeeReceiptForm): Promise<Buffer> {
  const w = writer(f, 'titleFee');
  w.header(null, 'titleFee');
  w.field(w.t('receiptNo'), f.receiptNo, true);
  w.field(w.t('collector'), f.unit.name);
  w.field(w.t('payer'), f.applicant.name, true);
  if (f.applicant.citizenIdMasked) w.field(w.t('citizenId'), f.applicant.citizenIdMasked);
  if (f.applicant.address) w.field(w.t('address'), f.applicant.address);
  const what = w.l('feeForText');
  const forWhat = (lang: 'vi' | 'en') => `${what[lang]}: ${w.pick(f.procedure.name, lang)} (${f.procedure.code})`;
  w.field(w.t('feeFor'), { vi: forWhat('vi'), en: w.en ? forWhat('en') : '' });
  w.field(w.t('amount'), w.money(f.amount), true);
  const ref = (lang: 'vi' | 'en') => (f.txnRef ? ` (${w.l('txnRef')[lang]}: ${f.txnRef})` : '');
  const gw = w.l('gateway');
  w.field(w.t('method'), f.method === 'cash' ? w.l('cash') : { vi: gw.vi + ref('vi'), en: gw.en && gw.en + ref('en') });
  w.field(w.t('paidAt'), w.instant(f.paidAt));
  const payer = f.method === 'cash' ? { title: 'signPayer' as const, name: f.applicant.name } : null;
  return w.finish(payer, { title: 'signCollector', name: f.officerName });
}
