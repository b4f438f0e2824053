// CSV as spreadsheets read it: UTF-8 with a BOM (without it Excel opens UTF-8 in the ANSI code
// page and Vietnamese letters come out garbled), CRLF line ends, RFC 4180 quoting.

export type CsvValue = string | number | null | undefined;

/**
 * A spreadsheet runs a text cell starting with one of these as a formula (OWASP "CSV injection"),
 * so such a cell is written with a leading apostrophe. Apostrophes already in front of one are
 * counted in, so that parseCsv can take exactly one off and give back the text as it was.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

export function csvField(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const text = FORMULA_START.test(v) ? `'${v}` : v;
  // ";" too: a file saved by Excel with a Vietnamese list separator is read with ";" (parseCsv).
  return /[",;\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(lines: readonly (readonly CsvValue[])[]): string {
  return '\uFEFF' + lines.map((l) => l.map(csvField).join(',') + '\r\n').join('');
}

/** RFC 4180: quoted fields may hold commas, line breaks and doubled quotes; CRLF or LF line ends. */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Excel set to a Vietnamese or European list separator saves with ";".
  // Quoted parts do not count: a ";" or a line break inside quotes is text.
  const unquoted = src.slice(0, 64 * 1024).replace(/"(?:[^"]|"")*"/g, '');
  const firstLine = unquoted.slice(0, unquoted.search(/\r?\n|$/));
  const sep = !firstLine.includes(',') && firstLine.includes(';') ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const end = () => row.push(FORMULA_START.test(field) && field.startsWith("'") ? field.slice(1) : field);
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === sep) {
      end();
      field = '';
    } else if (c === '\n' || c === '\r') {
      end();
      rows.push(row);
      row = [];
      field = '';
      if (c === '\r' && src[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  if (field !== '' || row.length > 0) {
    end();
    rows.push(row);
  }
  return rows;
}
