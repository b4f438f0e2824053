// What every export of a report shows, whatever its format (stats.export.ts writes the files): the
// figures in the order of the report forms, the columns of the summary table, their labels and the
// lines that say what the figures are about.
import { formatDate, formatDateTime, isMessageKey, type Locale, type Translate } from '../../web/i18n/index.js';
import type { Figures, Report } from './stats.schema.js';

// Every figure of docs/metrics.md that a report row carries, in the order of the report forms.
export const FIGURE_KEYS = [
  'received.total',
  'received.carriedOver',
  'received.inPerson',
  'received.online',
  'received.post',
  'finished.total',
  'finished.early',
  'finished.onTime',
  'finished.late',
  'finished.rejected',
  'inProgress.total',
  'inProgress.withinDeadline',
  'inProgress.overdue',
  'stopped',
  'stoppedBy.withdrawn',
  'stoppedBy.stopped',
  'refusedAtReception',
  'onTimeRate',
  'onlineShare',
] as const;
export type FigureKey = (typeof FIGURE_KEYS)[number];
export type Group = 'received' | 'finished' | 'inProgress';

// The columns of the official summary table: grouped the way the paper forms group them.
export const TABLE: { group: Group | null; keys: FigureKey[] }[] = [
  { group: 'received', keys: ['received.total', 'received.carriedOver', 'received.inPerson', 'received.online', 'received.post'] },
  { group: 'finished', keys: ['finished.total', 'finished.early', 'finished.onTime', 'finished.late'] },
  { group: 'inProgress', keys: ['inProgress.total', 'inProgress.withinDeadline', 'inProgress.overdue'] },
  { group: null, keys: ['stopped'] },
  { group: null, keys: ['onTimeRate'] },
];
export const TABLE_KEYS = TABLE.flatMap((g) => g.keys);
export const RATES = new Set<FigureKey>(['onTimeRate', 'onlineShare']);

type Row = Figures & { code: string; name: { vi: string; en: string } };

export function value(f: Figures, key: FigureKey): number | null {
  const [head, tail] = key.split('.') as [keyof Figures, string | undefined];
  const v = f[head];
  if (tail === undefined) return v as number | null;
  return (v as Record<string, number>)[tail] ?? null;
}

export function groupOf(key: FigureKey): Group | null {
  const head = key.split('.')[0];
  return head === 'received' || head === 'finished' || head === 'inProgress' ? head : null;
}

// Under a group heading "Total" is enough; "Quá hạn" appears under two groups, hence the prefix in flat headers.
export const subLabel = (t: Translate, key: FigureKey) => (key.endsWith('.total') ? t('stats.col.total') : t(`stats.fig.${key}`));
export function flatLabel(t: Translate, key: FigureKey): string {
  const group = groupOf(key);
  return group ? `${t(`stats.group.${group}`)} – ${subLabel(t, key)}` : t(`stats.fig.${key}`);
}

export const rows = (report: Report): Row[] => [{ ...report, code: report.unit.code, name: report.unit.name }, ...report.units];
export const pick = (name: { vi: string; en: string }, locale: Locale) => name[locale] || name.vi;

const PERIOD_NAMES: [RegExp, (m: string[], t: Translate) => string][] = [
  [/^month-(\d{4})-(\d{2})$/, (m, t) => t('stats.period.month', { year: m[1]!, month: m[2]! })],
  [/^quarter-(\d{4})-([1-4])$/, (m, t) => t('stats.period.quarter', { year: m[1]!, quarter: m[2]! })],
  [/^half-year-(\d{4})-1$/, (m, t) => t('stats.period.half1', { year: m[1]! })],
  [/^half-year-(\d{4})-2$/, (m, t) => t('stats.period.half2', { year: m[1]! })],
  [/^nine-months-(\d{4})$/, (m, t) => t('stats.period.nineMonths', { year: m[1]! })],
  [/^year-(\d{4})$/, (m, t) => t('stats.period.year', { year: m[1]! })],
];

function periodName(name: string, t: Translate): string {
  const calendar = name.startsWith('calendar-');
  const base = calendar ? name.slice('calendar-'.length) : name;
  for (const [re, label] of PERIOD_NAMES) {
    const m = re.exec(base);
    if (m) return calendar ? t('stats.period.calendar', { period: label([...m], t) }) : label([...m], t);
  }
  return name;
}

function periodLabel(report: Report, t: Translate, locale: Locale): string {
  const dates = `${formatDate(report.period.from, locale)} – ${formatDate(report.period.to, locale)}`;
  return report.period.name ? `${dates} (${periodName(report.period.name, t)})` : dates;
}

/** The lines that say what the figures are about: without them a printed table cannot be read correctly. */
export function about(report: Report, t: Translate, locale: Locale): [string, string][] {
  const unit = pick(report.unit.name, locale);
  const lines: [string, string][] = [
    [t('stats.export.unit'), report.subtree ? t('stats.export.subtree', { name: unit }) : unit],
    [t('stats.export.period'), periodLabel(report, t, locale)],
    [t('stats.export.convention'), t(`stats.convention.${report.convention}`)],
  ];
  const { procedure, field, channel } = report.filters;
  const channels = { 1: 'received.inPerson', 2: 'received.online', 3: 'received.post' } as const;
  const filters = [
    procedure ? t('stats.filter.procedure', { code: procedure }) : null,
    field ? t('stats.filter.field', { code: field }) : null,
    channel === 1 || channel === 2 || channel === 3 ? t('stats.filter.channel', { channel: t(`stats.fig.${channels[channel]}`) }) : null,
  ].filter((x): x is string => x !== null);
  if (filters.length) lines.push([t('stats.export.filters'), filters.join('; ')]);
  const measured = new Date(report.measuredAt);
  lines.push([t('stats.export.measuredAt'), Number.isNaN(measured.getTime()) ? report.measuredAt : formatDateTime(measured, locale)]);
  return lines;
}

export const timeUnit = (t: Translate, unit: string) => {
  const key = `stats.unit.${unit}`;
  return isMessageKey(key) ? t(key) : unit;
};
