// Layout primitives of the official one-stop forms (header with the national motto, labelled
// fields, bordered tables, signature columns, QR code). The strings come from the caller's label table.
import type { DossierFormBase, Named } from './dossier-forms.js';
import { newA4, toBuffer } from './pdf.js';
import { drawQr } from './qr.js';

/** Labels the layout itself needs; `instant`, `issued` and `money` are templates with {placeholders}. */
export type LayoutKey = 'motto1' | 'motto2' | 'code' | 'circular' | 'signHint' | 'qrCaption' | 'lookup' | 'instant' | 'issued' | 'money';
export type LabelTable<K extends string> = Record<'vi' | 'en', Record<K, string>>;

/** The labels every one-stop form (Circular 01/2018) shares; each form adds its own. */
export const FORM_LABELS: LabelTable<LayoutKey> = {
  vi: {
    motto1: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    motto2: 'Độc lập - Tự do - Hạnh phúc',
    circular: 'Thông tư 01/2018/TT-VPCP',
    code: 'Mã hồ sơ',
    issued: 'Ngày {d} tháng {mo} năm {y}',
    instant: '{h} giờ {mi}, ngày {d}/{mo}/{y}',
    money: '{vn} đồng',
    lookup: 'Tra cứu tình trạng hồ sơ tại',
    qrCaption: 'Quét mã để tra cứu hồ sơ',
    signHint: '(Ký và ghi rõ họ tên)',
  },
  en: {
    motto1: 'SOCIALIST REPUBLIC OF VIET NAM',
    motto2: 'Independence - Freedom - Happiness',
    circular: 'Circular 01/2018/TT-VPCP',
    code: 'Dossier code',
    issued: '{day}',
    instant: '{day}, {h}:{mi}',
    money: 'VND {intl}',
    lookup: 'Track the dossier at',
    qrCaption: 'Scan to track',
    signHint: '(Signature and full name)',
  },
};
type Vars = Record<string, Named | string>;

// Viet Nam has kept UTC+7 without daylight saving since 1975.
const VN_OFFSET_MS = 7 * 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');
const enDay = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: 'numeric', month: 'long', year: 'numeric' });
const groupDigits = (n: number, sep: string) =>
  Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, sep);

/** Date and time parts in Hà Nội: d, mo, y, h, mi zero-padded; `day` the English date ("2 December 2026"). */
function vnParts(d: Date): Record<string, string> {
  const v = new Date(d.getTime() + VN_OFFSET_MS);
  const [y, mo, day, h, mi] = [v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate(), v.getUTCHours(), v.getUTCMinutes()];
  return { y: String(y), mo: pad(mo), d: pad(day), h: pad(h), mi: pad(mi), day: enDay.format(d) };
}

export interface Signature<K> {
  title: K;
  name: string;
}

/** Lays out one form. Values are Named pairs: the English half is printed only when the locale is 'en'. */
export class FormWriter<K extends string> {
  readonly doc: PDFKit.PDFDocument;
  readonly left: number;
  readonly width: number;
  readonly en: boolean;

  constructor(
    readonly f: DossierFormBase,
    readonly labels: LabelTable<K | LayoutKey>,
    title: K,
    created?: Date,
  ) {
    this.doc = newA4(`${labels.vi[title]} - ${f.code}`, f.locale, created);
    this.left = this.doc.page.margins.left;
    this.width = this.doc.page.width - this.left - this.doc.page.margins.right;
    this.en = f.locale === 'en';
  }

  pick(v: Named | string, lang: 'vi' | 'en'): string {
    return typeof v === 'string' ? v : v[lang] || v.vi;
  }
  /** A label as a pair (English empty on a Vietnamese form), {placeholders} filled with same-language values. */
  l(key: K | LayoutKey, vars: Vars = {}): Named {
    const fill = (lang: 'vi' | 'en') => this.labels[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => this.pick(vars[k] ?? '', lang));
    return { vi: fill('vi'), en: this.en ? fill('en') : '' };
  }
  /** Vietnamese, or "Vietnamese / English" on a bilingual form when the English differs. */
  s(v: Named | string): string {
    if (typeof v === 'string') return v;
    return this.en && v.en && v.en !== v.vi ? `${v.vi} / ${v.en}` : v.vi;
  }
  t(key: K | LayoutKey, vars: Vars = {}): string {
    return this.s(this.l(key, vars));
  }
  instant(d: Date): Named {
    return this.l('instant', vnParts(d));
  }
  money(n: number): Named {
    return this.l('money', { vn: groupDigits(n, '.'), intl: groupDigits(n, ',') });
  }
  /** Vietnamese, with the English on the line below on a bilingual form. */
  stack(key: K | LayoutKey): string {
    const v = this.l(key);
    return v.en ? `${v.vi}\n${v.en}` : v.vi;
  }
  colon(n: Named): Named {
    return { vi: `${n.vi}:`, en: n.en && `${n.en}:` };
  }

  /** Unit (parent above, in capitals) and national motto side by side, the dossier code, then the title. */
  header(formNo: K | null, title: K) {
    const { doc, left, width, f } = this;
    if (formNo) {
      doc.font('regular').fontSize(8).fillColor('#555');
      doc.text(`${this.t(formNo)} - ${this.t('circular')}`, left, doc.y, { width, align: 'right' }).fillColor('black');
    }
    const top = doc.y + 6;
    const lw = 210;
    const rx = left + lw + 10;
    const rw = width - lw - 10;
    const rule = (x: number, w: number, y: number, half: number) =>
      doc
        .moveTo(x + w / 2 - half, y)
        .lineTo(x + w / 2 + half, y)
        .lineWidth(0.6)
        .stroke();
    const centred = (n: Named, x: number, w: number, font: 'regular' | 'bold', upper: boolean) => {
      doc
        .font(font)
        .fontSize(10.5)
        .text(upper ? n.vi.toUpperCase() : n.vi, x, doc.y, { width: w, align: 'center' });
      if (this.en && n.en)
        doc.font('regular').fontSize(8).fillColor('#555').text(n.en, x, doc.y, { width: w, align: 'center' }).fillColor('black');
    };
    doc.y = top;
    if (f.unit.parentName) centred(f.unit.parentName, left, lw, 'regular', true);
    centred(f.unit.name, left, lw, 'bold', true);
    rule(left, lw, doc.y + 2, 35);
    const leftBottom = doc.y + 4;
    doc.y = top;
    centred(this.l('motto1'), rx, rw, 'bold', false);
    const mottoY = doc.y;
    centred(this.l('motto2'), rx, rw, 'bold', false);
    doc.font('bold').fontSize(10.5);
    rule(rx, rw, mottoY + doc.currentLineHeight() + 1, doc.widthOfString(this.labels.vi.motto2) / 2);
    doc
      .font('regular')
      .fontSize(10)
      .text(this.t('issued', vnParts(f.issuedAt)), rx, doc.y + 6, { width: rw, align: 'center' });
    doc.x = left;
    doc.y = Math.max(leftBottom, doc.y) + 14;
    doc
      .font('regular')
      .fontSize(11)
      .text(`${this.t('code')}: `, { continued: true })
      .font('bold')
      .text(f.code);
    doc.moveDown(0.8).font('bold').fontSize(14).text(this.labels.vi[title], { align: 'center' });
    if (this.en) doc.font('regular').fontSize(11).text(this.labels.en[title], { align: 'center' });
    doc.moveDown(0.8).font('regular').fontSize(11);
  }

  /** "Label: value". A bilingual value too long for one line puts its English half on the next line. */
  field(label: string, value: Named | string, bold = false) {
    const { doc, left, width } = this;
    const font = bold ? 'bold' : 'regular';
    const head = `${label}: `;
    const one = this.s(value);
    const split =
      typeof value !== 'string' &&
      one !== value.vi &&
      doc.font('regular').fontSize(11).widthOfString(head) + doc.font(font).widthOfString(one) > width;
    doc.font('regular').fontSize(11).text(head, left, doc.y, { continued: true, width }).font(font);
    if (split) {
      doc.text(value.vi);
      doc.text(value.en, left + 14, doc.y, { width: width - 14 });
    } else doc.text(one);
    doc.font('regular').x = left;
  }

  /** A paragraph; on a bilingual form the English follows as its own paragraph. */
  para(text: Named | string, opts: { bold?: boolean; indent?: number } = {}) {
    const { doc } = this;
    const x = this.left + (opts.indent ?? 0);
    const w = this.width - (opts.indent ?? 0);
    const v = typeof text === 'string' ? { vi: text, en: '' } : text;
    doc
      .font(opts.bold ? 'bold' : 'regular')
      .fontSize(11)
      .text(v.vi, x, doc.y, { width: w });
    if (this.en && v.en && v.en !== v.vi) doc.text(v.en, x, doc.y, { width: w });
    doc.font('regular').x = this.left;
  }

  /** A bordered table; the column of width 0 takes the remaining space. The header repeats after a page break. */
  table(cols: { head: K; width: number; align?: 'left' | 'center' }[], rows: string[][]) {
    const { doc, left } = this;
    const fixed = cols.reduce((s, c) => s + c.width, 0);
    const widths = cols.map((c) => c.width || this.width - fixed);
    const cp = 4; // cell padding
    const headCells = cols.map((c) => this.stack(c.head));
    const drawRow = (cells: string[], head: boolean) => {
      const style = () => doc.font(head ? 'bold' : 'regular').fontSize(head ? 9.5 : 10);
      style();
      const h = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i]! - 2 * cp }))) + 2 * cp;
      if (doc.y + h > doc.page.height - doc.page.margins.bottom) {
        doc.addPage();
        if (!head) drawRow(headCells, true);
        style();
      }
      const y = doc.y;
      let x = left;
      cells.forEach((c, i) => {
        const w = widths[i]!;
        doc.lineWidth(0.5).rect(x, y, w, h);
        if (head) doc.fillAndStroke('#eeeeee', 'black').fillColor('black');
        else doc.stroke();
        doc.text(c, x + cp, y + cp, { width: w - 2 * cp, align: cols[i]!.align ?? 'left' });
        x += w;
      });
      doc.x = left;
      doc.y = y + h;
    };
    doc.moveDown(0.2);
    drawRow(headCells, true);
    for (const r of rows) drawRow(r, false);
    doc.font('regular').fontSize(11).moveDown(0.6);
  }

  /** The lookup address, then a band with the signature columns (left may be empty) and the QR code at the right. */
  finish(left: Signature<K> | null, right: Signature<K>): Promise<Buffer> {
    const { doc, labels } = this;
    doc.moveDown(0.4);
    this.field(this.t('lookup'), this.f.lookupUrl);
    const side = 80; // QR code, in points
    const qrCol = 100;
    const colW = (this.width - qrCol) / 2;
    if (doc.y + 12 + 125 > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const top = doc.y + 12;
    let bottom = top;
    [left, right].forEach((s, i) => {
      if (!s) return;
      const x = this.left + i * colW;
      doc.font('bold').fontSize(11).text(labels.vi[s.title], x, top, { width: colW, align: 'center' });
      if (this.en) doc.font('regular').fontSize(9).text(labels.en[s.title], x, doc.y, { width: colW, align: 'center' });
      doc.font('regular').fontSize(9).fillColor('#555').text(this.stack('signHint'), x, doc.y, { width: colW, align: 'center' });
      doc
        .fillColor('black')
        .font('bold')
        .fontSize(11)
        .text(s.name, x, doc.y + 44, { width: colW, align: 'center' });
      bottom = Math.max(bottom, doc.y);
    });
    const qx = this.left + this.width - qrCol;
    drawQr(doc, this.f.lookupUrl, qx + (qrCol - side) / 2, top, side);
    doc
      .font('regular')
      .fontSize(7.5)
      .text(this.stack('qrCaption'), qx, top + side + 4, { width: qrCol, align: 'center' });
    doc.x = this.left;
    doc.y = Math.max(bottom, doc.y);
    return toBuffer(doc);
  }
}
