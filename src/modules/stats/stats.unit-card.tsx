import { periodOf } from '../../domain/stats/periods.js';
import type { PageContext } from '../../web/context.js';
import { formatNumber, type MessageKey } from '../../web/i18n/index.js';
import type { App } from '../../web/request-context.js';
import { todayInVietnam } from '../units/units.service.js';
import { serviceIndex } from './stats.index766.js';

/**
 * A unit's service quality on its public page: the figures citizens ask about (on time, satisfied,
 * feedback answered on time, the 766 index) for the current official year, each linking to its
 * full table. Every number comes from the same services as the statistics pages.
 */
export async function unitQuality(app: App, unit: { code: string; path: string }) {
  const period = periodOf('year', todayInVietnam());
  const q = { unit: unit.code, period: period.name };
  const [report, satisfaction, feedback, index] = await Promise.all([
    app.services.stats.report(q),
    app.services.ratings.figures(q),
    app.services.feedback.figures({ unitPath: unit.path, from: period.from, to: period.to }),
    serviceIndex(app.services.stats.deps, q),
  ]);
  return { period, report, satisfaction, feedback: feedback.total, index: index.total };
}

export type UnitQuality = Awaited<ReturnType<typeof unitQuality>>;

export function UnitQualitySection({ ctx, code, q }: { ctx: PageContext; code: string; q: UnitQuality }) {
  const { t, locale } = ctx;
  const n = (v: number | null) => (v === null ? '—' : formatNumber(v, locale));
  const stats = `/statistics?unit=${encodeURIComponent(code)}&period=${q.period.name}`;
  const rows: { label: string; value: string; def: string; href: string }[] = [
    { label: t('unitq.received'), value: n(q.report.received.total), def: t('unitq.receivedDef'), href: stats },
    { label: t('stats.fig.onTimeRate'), value: n(q.report.onTimeRate), def: t('unitq.onTimeDef'), href: stats },
    {
      label: t('sat.rate'),
      value: n(q.satisfaction.satisfiedRate),
      def: t('unitq.satisfiedDef', { n: formatNumber(q.satisfaction.ratings, locale) }),
      href: `${stats}#satisfaction-title`,
    },
    {
      label: t('unitq.feedbackOnTime'),
      value: n(q.feedback.onTimeRate),
      def: t('unitq.feedbackDef', { n: formatNumber(q.feedback.answered, locale), overdue: formatNumber(q.feedback.openOverdue, locale) }),
      href: `/feedback?unit=${encodeURIComponent(code)}`,
    },
    {
      label: t('unitq.index'),
      value: q.index.percent === null ? '—' : `${n(q.index.percent)} (${t(`stats.index.band.${q.index.band!}` as MessageKey)})`,
      def: t('unitq.indexDef'),
      href: `${stats}#index-title`,
    },
  ];
  return (
    <section aria-labelledby="unit-quality">
      <h2 id="unit-quality">{t('unitq.title', { period: `${q.period.from} – ${q.period.to}` })}</h2>
      <table>
        <caption class="visually-hidden">{t('unitq.title', { period: q.period.name })}</caption>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row">
                <a href={r.href}>{r.label}</a>
              </th>
              <td class="num">{r.value}</td>
              <td class="definition">{r.def}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href={`/conferences?unit=${encodeURIComponent(code)}`}>{t('unitq.conferences')}</a>
      </p>
    </section>
  );
}
