import { HBarChart, ShareBar, StackedBarChart } from '../../web/charts/charts.js';
import { SelectField } from '../../web/components/form.js';
import type { PageContext } from '../../web/context.js';
import { formatDateTime, formatNumber, type MessageKey } from '../../web/i18n/index.js';
import { periodLabel, recentPeriods, rangePeriod, parsePeriod, type Period } from '../../domain/stats/periods.js';
import type { Figures, Report } from './stats.schema.js';

/** Recent official periods, then the half-years and years back to 2018, and the one chosen. */
export function periodChoices(today: string, chosen: string): Period[] {
  const out = recentPeriods(today, 4);
  const year = Number(today.slice(0, 4));
  for (let y = year - 1; y >= 2018; y--) for (const n of [`half-year-${y}-2`, `half-year-${y}-1`, `year-${y}`]) out.push(parsePeriod(n));
  if (chosen) {
    try {
      out.unshift(parsePeriod(chosen));
    } catch {
      // A wrong name is reported by the report itself.
    }
  }
  const seen = new Set<string>();
  return out.filter((p) => !seen.has(p.name) && seen.add(p.name));
}

/** What the filter form holds; every value also goes into the drill-down and export links. */
export interface StatsFilter {
  unit: string;
  period: string;
  from: string;
  to: string;
  convention: 'pause' | 'restart';
  channel: string;
  procedure: string;
  subtree: boolean;
}

export const filterQuery = (f: StatsFilter, extra: Record<string, string> = {}) => {
  const p = new URLSearchParams();
  p.set('unit', f.unit);
  if (f.from && f.to && !f.period) {
    p.set('from', f.from);
    p.set('to', f.to);
  } else if (f.period) p.set('period', f.period);
  if (f.convention !== 'pause') p.set('convention', f.convention);
  if (f.channel) p.set('channel', f.channel);
  if (f.procedure) p.set('procedure', f.procedure);
  if (!f.subtree) p.set('subtree', 'false');
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p.toString();
};

/** The figure rows, in reading order, with the key that names them in docs/metrics.md and i18n. */
export const FIGURE_ROWS: { key: string; drill: string | null; get: (f: Figures) => number | null; rate?: boolean }[] = [
  { key: 'received.total', drill: 'received', get: (f) => f.received.total },
  { key: 'received.inPerson', drill: 'received.inPerson', get: (f) => f.received.inPerson },
  { key: 'received.online', drill: 'received.online', get: (f) => f.received.online },
  { key: 'received.post', drill: 'received.post', get: (f) => f.received.post },
  { key: 'received.carriedOver', drill: 'received.carriedOver', get: (f) => f.received.carriedOver },
  { key: 'finished.total', drill: 'finished', get: (f) => f.finished.total },
  { key: 'finished.early', drill: 'finished.early', get: (f) => f.finished.early },
  { key: 'finished.onTime', drill: 'finished.onTime', get: (f) => f.finished.onTime },
  { key: 'finished.late', drill: 'finished.late', get: (f) => f.finished.late },
  { key: 'inProgress.total', drill: 'inProgress', get: (f) => f.inProgress.total },
  { key: 'inProgress.withinDeadline', drill: 'inProgress.withinDeadline', get: (f) => f.inProgress.withinDeadline },
  { key: 'inProgress.overdue', drill: 'inProgress.overdue', get: (f) => f.inProgress.overdue },
  { key: 'stopped', drill: 'stopped', get: (f) => f.stopped },
  { key: 'refusedAtReception', drill: 'refusedAtReception', get: (f) => f.refusedAtReception },
  { key: 'onTimeRate', drill: null, get: (f) => f.onTimeRate, rate: true },
  { key: 'onlineShare', drill: null, get: (f) => f.onlineShare, rate: true },
];

export function periodText(r: Pick<Report, 'period'>, locale: 'vi' | 'en'): string {
  let p: Period;
  try {
    p = r.period.name ? parsePeriod(r.period.name) : rangePeriod(r.period.from, r.period.to);
  } catch {
    return `${r.period.from} – ${r.period.to}`;
  }
  return periodLabel(p, locale);
}

export function FilterForm(p: {
  ctx: PageContext;
  action: string;
  filter: StatsFilter;
  units: { code: string; name: string }[];
  today: string;
  official: boolean;
}) {
  const { t, locale } = p.ctx;
  const periods = periodChoices(p.today, p.filter.period);
  return (
    <form method="get" action={p.action} class="filters stats-filters" aria-labelledby="filters-title">
      <h2 id="filters-title" class="visually-hidden">
        {t('dash.filter.title')}
      </h2>
      <SelectField
        name="unit"
        label={t('dash.filter.unit')}
        value={p.filter.unit}
        options={p.units.map((u) => ({ value: u.code, label: u.name }))}
      />
      <SelectField
        name="period"
        label={t('dash.filter.period')}
        value={p.filter.period}
        emptyLabel={t('dash.filter.custom')}
        options={periods.map((x) => ({ value: x.name, label: periodLabel(x, locale) }))}
      />
      <div class="field">
        <label for="from">{t('dash.filter.from')}</label>
        <p class="hint" id="from-hint">
          {t('dash.filter.dateHint')}
        </p>
        <input id="from" name="from" value={p.filter.from} aria-describedby="from-hint" pattern="\d{4}-\d{2}-\d{2}" size={10} />
      </div>
      <div class="field">
        <label for="to">{t('dash.filter.to')}</label>
        <input id="to" name="to" value={p.filter.to} aria-describedby="from-hint" pattern="\d{4}-\d{2}-\d{2}" size={10} />
      </div>
      <SelectField
        name="convention"
        label={t('dash.filter.convention')}
        value={p.filter.convention}
        options={(['pause', 'restart'] as const).map((c) => ({ value: c, label: t(`stats.convention.${c}`) }))}
      />
      {p.official && (
        <>
          <SelectField
            name="channel"
            label={t('dash.filter.channel')}
            value={p.filter.channel}
            emptyLabel={t('dash.filter.all')}
            options={[1, 2, 3].map((c) => ({ value: String(c), label: t(`desk.channel.${c as 1 | 2 | 3}`) }))}
          />
          <div class="field">
            <label for="procedure">{t('dash.filter.procedure')}</label>
            <input id="procedure" name="procedure" value={p.filter.procedure} pattern="\d\.\d{6}|L\.\d{6}" size={10} />
          </div>
        </>
      )}
      <button type="submit" class="button button-secondary">
        {t('dash.filter.apply')}
      </button>
    </form>
  );
}

export const fmt = (v: number | null, locale: 'vi' | 'en') => (v === null ? '—' : formatNumber(v, locale));

/** Every figure with its definition next to it; officials get each number as a drill-down link. */
export function FigureTable(p: { ctx: PageContext; report: Report; drill: ((figure: string) => string) | null }) {
  const { t, locale } = p.ctx;
  return (
    <table class="stats-figures">
      <caption>
        {t('dash.figures.title', { unit: p.report.unit.name[locale] })} {t('dash.figures.period', { period: periodText(p.report, locale) })}
      </caption>
      <thead>
        <tr>
          <th scope="col">{t('dash.col.figure')}</th>
          <th scope="col" class="num">
            {t('dash.col.value')}
          </th>
          <th scope="col">{t('dash.col.definition')}</th>
        </tr>
      </thead>
      <tbody>
        {FIGURE_ROWS.map((r) => {
          const v = r.get(p.report);
          const text = fmt(v, locale);
          return (
            <tr key={r.key} id={`fig-${r.key.replace('.', '-')}`}>
              <th scope="row">{t(`stats.fig.${r.key}` as MessageKey)}</th>
              <td class="num">{p.drill && r.drill && v ? <a href={p.drill(r.drill)}>{text}</a> : text}</td>
              <td class="definition">{t(`stats.def.${r.key}` as MessageKey)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** One row per unit below, with links to its own figures (and, for officials, to the dossiers). */
export function UnitsTable(p: {
  ctx: PageContext;
  report: Report;
  unitHref: (code: string) => string;
  drill: ((code: string, figure: string) => string) | null;
}) {
  const { t, locale } = p.ctx;
  if (p.report.units.length === 0) return <p>{t('dash.units.none')}</p>;
  const cols = [
    'received.total',
    'received.online',
    'finished.total',
    'finished.early',
    'finished.onTime',
    'finished.late',
    'inProgress.overdue',
    'onTimeRate',
  ];
  const rows = FIGURE_ROWS.filter((r) => cols.includes(r.key));
  return (
    <div class="table-scroll">
      <table class="stats-units">
        <caption>{t('dash.units.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dash.col.unit')}</th>
            {rows.map((r) => (
              <th scope="col" class="num" key={r.key}>
                {t(`stats.fig.${r.key}` as MessageKey)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {p.report.units.map((u) => (
            <tr key={u.code}>
              <th scope="row">
                <a href={p.unitHref(u.code)}>{u.name[locale]}</a>
              </th>
              {rows.map((r) => {
                const v = r.get(u);
                const text = fmt(v, locale);
                return (
                  <td class="num" key={r.key}>
                    {p.drill && r.drill && v ? <a href={p.drill(u.code, r.drill)}>{text}</a> : text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The charts; the tables above carry the same numbers and links for screen readers and keyboards. */
export function Charts(p: { ctx: PageContext; report: Report; unitHref: (code: string) => string }) {
  const { t, locale } = p.ctx;
  const num = (v: number) => formatNumber(v, locale);
  const ranked = p.report.units
    .filter((u) => u.onTimeRate !== null)
    .sort((a, b) => b.onTimeRate! - a.onTimeRate! || a.code.localeCompare(b.code));
  const r = p.report.received;
  return (
    <div class="stats-charts">
      <ShareBar
        id="chart-channels"
        title={t('dash.channels.title')}
        description={t('dash.channels.desc', { inPerson: num(r.inPerson), online: num(r.online), post: num(r.post) })}
        emptyText={t('dash.noData')}
        format={num}
        parts={[
          { label: t('stats.fig.received.inPerson'), value: r.inPerson, colorClass: 'chart-s1' },
          { label: t('stats.fig.received.online'), value: r.online, colorClass: 'chart-s2' },
          { label: t('stats.fig.received.post'), value: r.post, colorClass: 'chart-s3' },
        ]}
      />
      {p.report.units.length > 0 && (
        <>
          <HBarChart
            id="chart-league"
            title={t('dash.league.title')}
            description={t('dash.league.desc', { n: String(ranked.length) })}
            emptyText={t('dash.noData')}
            format={(v) => formatNumber(v, locale)}
            unit="%"
            max={100}
            rows={ranked.map((u) => ({ label: u.name[locale], value: u.onTimeRate! }))}
          />
          <StackedBarChart
            id="chart-finished"
            title={t('dash.finished.title')}
            description={t('dash.finished.desc')}
            emptyText={t('dash.noData')}
            format={num}
            categories={p.report.units.map((u) => u.name[locale])}
            series={[
              {
                key: 'early',
                label: t('stats.fig.finished.early'),
                values: p.report.units.map((u) => u.finished.early),
                colorClass: 'chart-early',
              },
              {
                key: 'onTime',
                label: t('stats.fig.finished.onTime'),
                values: p.report.units.map((u) => u.finished.onTime),
                colorClass: 'chart-ontime',
              },
              {
                key: 'late',
                label: t('stats.fig.finished.late'),
                values: p.report.units.map((u) => u.finished.late),
                colorClass: 'chart-late',
              },
            ]}
          />
        </>
      )}
    </div>
  );
}

export function MeasuredAt(p: { ctx: PageContext; report: Report }) {
  return <p class="hint">{p.ctx.t('dash.measuredAt', { time: formatDateTime(new Date(p.report.measuredAt), p.ctx.locale) })}</p>;
}
