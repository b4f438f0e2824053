import { translator, type Locale, type MessageKey } from '../../web/i18n/index.js';
import { COLUMNS, writeCsv, writeXlsx } from './contest.sheet.js';

/** The column guide: the option columns share one line (option1_vi ... option8_en). */
const GUIDE: [string, MessageKey][] = [
  ['field', 'contestBank.col.field'],
  ['kind', 'contestBank.col.kind'],
  ['difficulty', 'contestBank.col.difficulty'],
  ['text_vi, text_en', 'contestBank.col.text'],
  ['optionN_vi, optionN_en', 'contestBank.col.options'],
  ['correct', 'contestBank.col.correct'],
  ['explanation_vi, explanation_en', 'contestBank.col.explanation'],
  ['procedure_code', 'contestBank.col.procedureCode'],
  ['status', 'contestBank.col.status'],
];

/** The empty question file: the header row (the same as an export); the xlsx adds a sheet explaining each column. */
export async function templateFile(format: 'xlsx' | 'csv', locale: Locale): Promise<Buffer> {
  if (format === 'csv') return writeCsv([[...COLUMNS]]);
  const t = translator(locale);
  return writeXlsx([], { title: t('contestBank.template.guide'), lines: GUIDE.map(([c, k]) => [c, t(k)]) });
}
