// Forms 04 (apology and new appointment) and 05 (control sheet) of Circular 01/2018/TT-VPCP,
// drawn with the same layout as forms 01-03; bilingual when the applicant chose English.
import type { DossierFormBase } from './dossier-forms.js';
import { FORM_LABELS, FormWriter, type LabelTable } from './form-layout.js';

export interface ApologyForm extends DossierFormBase {
  receivedAt: Date;
  reason: string;
  originalDueAt: Date;
  newDueAt: Date;
  signerName: string;
}

export interface ControlLine {
  step: { vi: string; en: string };
  unit: { vi: string; en: string };
  official: string;
  startedAt: Date;
  dueAt: Date | null;
  finishedAt: Date | null;
  rating: 'early' | 'on_time' | 'late' | null;
}

export interface ControlSheetForm extends DossierFormBase {
  receivedAt: Date | null;
  dueAt: Date | null;
  lines: ControlLine[];
}

const VI = {
  ...FORM_LABELS.vi,
  form04: 'Mẫu số 04',
  form05: 'Mẫu số 05',
  title04: 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
  title05: 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
  to: 'Kính gửi',
  apologyLead: 'Ngày {date}, {unit} tiếp nhận giải quyết hồ sơ đề nghị {procedure} của Ông/Bà, mã hồ sơ {code}.',
  apologyDue: 'Ngày hẹn trả kết quả giải quyết hồ sơ: {date}.',
  apologyReason: 'Tuy nhiên, đến nay cơ quan chưa giải quyết xong hồ sơ của Ông/Bà. Lý do',
  apologySorry: '{unit} xin lỗi Ông/Bà và hẹn trả kết quả giải quyết hồ sơ vào ngày',
  apologyClose: 'Mong nhận được sự thông cảm của Ông/Bà vì sự chậm trễ này.',
  signUnit: 'THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ',
  received: 'Thời gian tiếp nhận',
  due: 'Ngày hẹn trả kết quả',
  colNo: 'STT',
  colStep: 'Bước, đơn vị xử lý',
  colOfficial: 'Người xử lý',
  colStart: 'Nhận hồ sơ',
  colDue: 'Hạn xử lý',
  colEnd: 'Giao hồ sơ',
  colRating: 'Kết quả',
  early: 'Trước hạn',
  on_time: 'Đúng hạn',
  late: 'Quá hạn',
  open: 'Đang xử lý',
  signReceiver: 'NGƯỜI TIẾP NHẬN HỒ SƠ',
};
type Key = keyof typeof VI;

const LABELS: LabelTable<Key> = {
  vi: VI,
  en: {
    ...FORM_LABELS.en,
    form04: 'Form 04',
    form05: 'Form 05',
    title04: 'APOLOGY AND NEW APPOINTMENT FOR THE RESULT',
    title05: 'CONTROL SHEET OF THE HANDLING OF THE DOSSIER',
    to: 'To',
    apologyLead: 'On {date}, {unit} received your application for {procedure}, dossier code {code}.',
    apologyDue: 'The appointment for the result was: {date}.',
    apologyReason: 'We have not yet been able to complete it. The reason',
    apologySorry: '{unit} apologises and sets a new appointment for the result on',
    apologyClose: 'We ask for your understanding for this delay.',
    signUnit: 'HEAD OF THE AGENCY',
    received: 'Received',
    due: 'Appointment for the result',
    colNo: 'No.',
    colStep: 'Step, unit',
    colOfficial: 'Official',
    colStart: 'Received',
    colDue: 'Due',
    colEnd: 'Handed over',
    colRating: 'Result',
    early: 'Early',
    on_time: 'On time',
    late: 'Late',
    open: 'In progress',
    signReceiver: 'RECEIVING OFFICER',
  },
};

/** Form 04: the unit apologises, says why, and sets the one new appointment. */
export function apologyPdf(f: ApologyForm): Promise<Buffer> {
  const w = new FormWriter<Key>(f, LABELS, 'title04', f.issuedAt);
  w.header('form04', 'title04');
  w.field(w.t('to'), f.applicant.name, true);
  const received = w.instant(f.receivedAt);
  w.para(w.l('apologyLead', { date: received, unit: f.unit.name, procedure: f.procedure.name, code: f.code }));
  w.para(w.l('apologyDue', { date: w.instant(f.originalDueAt) }));
  w.para(w.colon(w.l('apologyReason')));
  w.para(f.reason, { bold: true, indent: 14 });
  w.para(w.colon(w.l('apologySorry', { unit: f.unit.name })));
  w.para(w.instant(f.newDueAt), { bold: true, indent: 14 });
  w.para(w.l('apologyClose'));
  return w.finish(null, { title: 'signUnit', name: f.signerName });
}

/** Form 05: every hand-over with its time, rated against the step's allowance. */
export function controlSheetPdf(f: ControlSheetForm): Promise<Buffer> {
  const w = new FormWriter<Key>(f, LABELS, 'title05', f.issuedAt);
  w.header('form05', 'title05');
  if (f.receivedAt) w.field(w.t('received'), w.instant(f.receivedAt));
  if (f.dueAt) w.field(w.t('due'), w.instant(f.dueAt), true);
  const at = (d: Date | null) => (d ? w.s(w.instant(d)) : '');
  w.table(
    [
      { head: 'colNo', width: 28, align: 'center' },
      { head: 'colStep', width: 0 },
      { head: 'colOfficial', width: 80 },
      { head: 'colStart', width: 70 },
      { head: 'colDue', width: 70 },
      { head: 'colEnd', width: 70 },
      { head: 'colRating', width: 52, align: 'center' },
    ],
    f.lines.map((l, i) => [
      String(i + 1),
      `${w.s(l.step)}\n${w.s(l.unit)}`,
      l.official,
      at(l.startedAt),
      at(l.dueAt),
      at(l.finishedAt),
      w.s(w.l(l.rating ?? 'open')),
    ]),
  );
  return w.finish(null, { title: 'signReceiver', name: f.officerName });
}
