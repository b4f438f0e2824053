import type { ProcedureDetail } from '../modules/catalogue/catalogue.schema.js';
import { formatCurrency, translator, type Locale } from '../web/i18n/index.js';
import { newA4, toBuffer } from './pdf.js';

const BRAND = '#8b0000';

function heading(doc: PDFKit.PDFDocument, text: string) {
  doc.moveDown(0.6).font('bold').fontSize(14).fillColor(BRAND).text(text).fillColor('black').font('regular').fontSize(11);
}

/** A printable A4 leaflet for one procedure, in the chosen language (Vietnamese names always shown). */
export async function procedureLeaflet(p: ProcedureDetail, locale: Locale, portalUrl: string): Promise<Buffer> {
  const t = translator(locale);
  const c = p.content;
  const pick = (x: { vi: string; en: string } | null | undefined) => (x ? x[locale] || x.vi : t('proc.tbc'));
  const doc = newA4(p.name.vi, locale);
  doc.font('bold').fontSize(10).fillColor(BRAND).text(t('site.name').toUpperCase()).fillColor('black');
  doc.moveDown(0.5).font('bold').fontSize(20).text(p.name.vi);
  if (locale === 'en') doc.font('regular').fontSize(14).text(p.name.en);
  doc
    .font('regular')
    .fontSize(10)
    .fillColor('#444')
    .text(`${t('proc.code')}: ${p.code} · ${p.field.name[locale]}`)
    .fillColor('black')
    .fontSize(11);
  heading(doc, t('proc.summary'));
  const fee = !c.fee || c.fee.amount === null ? t('proc.tbc') : c.fee.amount === 0 ? t('proc.free') : formatCurrency(c.fee.amount, locale);
  const limit = c.timeLimit ? `${c.timeLimit.amount} ${t(`due.unit.${c.timeLimit.unit}`)}` : t('proc.tbc');
  for (const [k, v] of [
    [t('proc.what'), pick(c.result)],
    [t('proc.who'), pick(c.applicants)],
    [t('proc.where'), pick(c.submitTo)],
    [t('proc.howLong'), limit],
    [t('proc.howMuch'), fee],
  ] as const) {
    doc.font('bold').text(`${k}: `, { continued: true }).font('regular').text(v);
  }
  heading(doc, t('proc.documents'));
  const left = doc.page.margins.left;
  for (const d of c.documents) {
    // A drawn box to tick: the font has no ballot-box glyph.
    const y = doc.y;
    doc.rect(left + 2, y + 2, 9, 9).stroke();
    const counts = `${d.originals ? ` (${t('proc.doc.originals')}: ${d.originals})` : ''}${d.copies ? ` (${t('proc.doc.copies')}: ${d.copies})` : ''}`;
    doc.text(`${pick(d.name)}${counts}`, left + 18, y);
    doc.x = left;
  }
  if (c.documents.length === 0) doc.text(t('proc.tbc'));
  heading(doc, t('proc.steps'));
  c.steps.forEach((s, i) => doc.text(`${i + 1}. ${pick(s)}`, { indent: 10 }));
  if (c.steps.length === 0) doc.text(t('proc.tbc'));
  doc.moveDown(1).fontSize(10).fillColor('#444').text(`${portalUrl}/procedures/${p.code}`);
  if (locale === 'en') doc.text(t('proc.bindingNote'));
  return toBuffer(doc);
}

/** The general leaflet that explains online public services in three steps. */
export async function onlineServicesLeaflet(locale: Locale, portalUrl: string): Promise<Buffer> {
  const t = translator(locale);
  const doc = newA4(t('home.how.title'), locale);
  doc.font('bold').fontSize(10).fillColor(BRAND).text(t('site.name').toUpperCase()).fillColor('black');
  doc.moveDown(0.5).font('bold').fontSize(22).text(t('home.how.title'));
  doc.moveDown(0.5).font('regular').fontSize(13).text(t('home.lead'));
  [t('home.how.1'), t('home.how.2'), t('home.how.3')].forEach((s, i) => {
    doc
      .moveDown(0.8)
      .font('bold')
      .fontSize(28)
      .fillColor(BRAND)
      .text(String(i + 1), { continued: true })
      .fillColor('black')
      .font('regular')
      .fontSize(13)
      .text(`   ${s}`);
  });
  doc.moveDown(1.5).font('bold').fontSize(13).text(portalUrl);
  return toBuffer(doc);
}
