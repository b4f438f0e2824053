// The contest certificate: A4 landscape, the participant's full name (it is their own document),
// the round, score and rank, and a QR code to the public verification page.
import PDFDocument from 'pdfkit';
import type { CertificateData } from '../modules/contest/contest.certificates.js';
import { formatDate, formatNumber, translator, type Locale } from '../web/i18n/index.js';
import { FONTS, toBuffer } from './pdf.js';
import { drawQr } from './qr.js';

export function certificatePdf(d: CertificateData, locale: Locale, verifyUrl: string): Promise<Buffer> {
  const t = translator(locale);
  const n = (x: number) => formatNumber(x, locale);
  const title = t('contestPlay.cert.title');
  // The issue instant fixes the file's dates, so the same certificate gives the same bytes.
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 50,
    info: { Title: `${title} ${d.code}`, Creator: 'motcua', CreationDate: d.issuedAt },
    lang: locale === 'vi' ? 'vi-VN' : 'en',
    displayTitle: true,
  });
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  const W = doc.page.width;
  const H = doc.page.height;
  doc
    .lineWidth(3)
    .strokeColor('#8a1c1c')
    .rect(24, 24, W - 48, H - 48)
    .stroke();
  doc
    .lineWidth(1)
    .rect(32, 32, W - 64, H - 64)
    .stroke();
  const text = { width: W - 100, align: 'center' as const };
  doc.font('bold').fontSize(13).fillColor('black').text(t('contestPlay.cert.motto1'), 50, 60, text);
  doc.font('regular').fontSize(12).text(t('contestPlay.cert.motto2'), text);
  doc.moveDown(2.2);
  doc.font('bold').fontSize(34).fillColor('#8a1c1c').text(title.toUpperCase(), text);
  doc.moveDown(1);
  doc.font('regular').fontSize(14).fillColor('black').text(t('contestPlay.cert.awardedTo'), text);
  doc.moveDown(0.3);
  doc.font('bold').fontSize(28).text(d.name, text);
  doc.font('regular').fontSize(13).text(d.unit[locale], text);
  doc.moveDown(1);
  doc.fontSize(15).text(t('contestPlay.cert.contest', { contest: d.contest[locale], round: d.roundNumber }), text);
  const all = d.score === d.questionCount;
  doc
    .fontSize(15)
    .text(
      t(all ? 'contestPlay.cert.allCorrect' : 'contestPlay.cert.score', { score: n(d.score), count: n(d.questionCount) }) +
        ' ' +
        t('contestPlay.cert.rank', { rank: n(d.rank), total: n(d.ranked) }),
      text,
    );
  doc.fontSize(11).text(
    t('contestPlay.cert.window', {
      from: formatDate(new Date(d.opensAt), locale),
      to: formatDate(new Date(d.closesAt), locale),
    }),
    text,
  );
  const side = 96;
  const qx = W - 50 - side - 20;
  const qy = H - 60 - side - 30;
  drawQr(doc, verifyUrl, qx, qy, side);
  doc.fontSize(8).text(t('contestPlay.cert.scan'), qx - 30, qy + side + 4, { width: side + 60, align: 'center' });
  doc
    .fontSize(10)
    .text(t('contestPlay.cert.issued', { date: formatDate(d.issuedAt, locale) }), 70, qy + 20, { width: W - 300 })
    .text(t('contestPlay.cert.code', { code: d.code }), { width: W - 300 })
    .text(t('contestPlay.cert.verifyAt', { url: verifyUrl }), { width: W - 300 });
  return toBuffer(doc);
}
