import QRCode from 'qrcode';

/** Quiet zone around the symbol, in modules (the QR specification asks for 4). */
export const QR_QUIET = 4;

export interface QrMatrix {
  size: number;
  dark(x: number, y: number): boolean;
}

/** The module matrix of a QR code (error correction M), row-major like qrcode's BitMatrix. */
export function qrMatrix(text: string): QrMatrix {
  const m = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
  return { size: m.size, dark: (x, y) => m.data[y * m.size + x] === 1 };
}

/**
 * Draws a QR code as vector rectangles, one per dark module, filled as a single path.
 * `side` is the width of the symbol itself; the caller keeps QR_QUIET modules of blank space around it.
 */
export function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, side: number): void {
  const q = qrMatrix(text);
  const cell = side / q.size;
  doc.save();
  for (let r = 0; r < q.size; r++) {
    for (let c = 0; c < q.size; c++) if (q.dark(c, r)) doc.rect(x + c * cell, y + r * cell, cell, cell);
  }
  doc.fillColor('black').fill();
  doc.restore();
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!);
}

/**
 * A standalone SVG of the QR code for `text`: a white background with the quiet zone, then one
 * `<rect>` per dark module. `title` is the accessible name (defaults to the encoded text).
 */
export function qrSvg(text: string, title = text): string {
  const q = qrMatrix(text);
  const n = q.size + 2 * QR_QUIET;
  const rects: string[] = [];
  for (let r = 0; r < q.size; r++) {
    for (let c = 0; c < q.size; c++) {
      if (q.dark(c, r)) rects.push(`<rect x="${c + QR_QUIET}" y="${r + QR_QUIET}" width="1" height="1"/>`);
    }
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n} ${n}" role="img" shape-rendering="crispEdges">` +
    `<title>${escapeXml(title)}</title>` +
    `<path d="M0 0h${n}v${n}H0z" fill="#fff"/>` +
    `<g fill="#000">${rects.join('')}</g>` +
    `</svg>`
  );
}
