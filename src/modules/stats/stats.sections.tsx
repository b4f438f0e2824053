import type { PageContext } from '../../web/context.js';
import { formatNumber, type MessageKey } from '../../web/i18n/index.js';
import type { Coverage } from './stats.coverage.js';
import type { ServiceIndex } from './stats.index766.js';
import type { RatingService } from '../ratings/ratings.service.js';
import { CRITERIA } from '../ratings/ratings.schema.js';

const n = (v: number | null, locale: 'vi' | 'en') => (v === null ? '—' : formatNumber(v, locale));

/** Procedures per online level for the scope and per unit level, and the online share per field. */
export function CoverageSection(p: { ctx: PageContext; coverage: Coverage }) {
  const { t, locale } = p.ctx;
  const c = p.coverage;
  const rows = [
    { key: 'all', label: t('cov.scope.all'), using: c.unitsUsing.total, p: c.procedures },
    ...c.byUnitLevel.map((l) => ({ key: l.level, label: t(`units.level.${l.level}` as MessageKey), using: l.unitsUsing, p: l.procedures })),
  ];
  return (
    <section aria-labelledby="coverage-title">
      <h2 id="coverage-title">{t('cov.title')}</h2>
      <p>{t('cov.lead')}</p>
      <div class="table-scroll">
        <table class="stats-coverage">
          <caption class="visually-hidden">{t('cov.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('cov.col.scope')}</th>
              {(['procedures', 'level3', 'level4', 'online', 'shareOnline', 'full', 'partial', 'unitsUsing'] as const).map((k) => (
                <th scope="col" class="num" key={k}>
                  {t(`cov.col.${k}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} id={`cov-${r.key}`}>
                <th scope="row">{r.label}</th>
                <td class="num">{n(r.p.total, locale)}</td>
                <td class="num">{n(r.p.level3, locale)}</td>
                <td class="num">{n(r.p.level4, locale)}</td>
                <td class="num">{n(r.p.online, locale)}</td>
                <td class="num">{n(r.p.shareOnline, locale)}</td>
                <td class="num">{n(r.p.full, locale)}</td>
                <td class="num">{n(r.p.partial, locale)}</td>
                <td class="num">{n(r.using, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {c.onlineShareByField.length > 0 && (
        <div class="table-scroll">
          <table>
            <caption>{t('cov.field.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('cov.col.field')}</th>
                <th scope="col" class="num">
                  {t('cov.col.received')}
                </th>
                <th scope="col" class="num">
                  {t('cov.col.onlineDossiers')}
                </th>
                <th scope="col" class="num">
                  {t('cov.col.shareOnline')}
                </th>
              </tr>
            </thead>
            <tbody>
              {c.onlineShareByField.map((f) => (
                <tr key={f.field}>
                  <th scope="row">{f.name[locale]}</th>
                  <td class="num">{n(f.received, locale)}</td>
                  <td class="num">{n(f.online, locale)}</td>
                  <td class="num">{n(f.share, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The Decision 766 index of the units below, ranked; what cannot be measured is named, not zeroed. */
export function IndexSection(p: { ctx: PageContext; index: ServiceIndex }) {
  const { t, locale } = p.ctx;
  const rows = [...p.index.units, p.index.total];
  const measured = p.index.total.indicators
    .filter((i) => i.measured || i.reason === 'no_dossiers' || i.reason === 'no_fees')
    .map((i) => i.code);
  const unmeasured = p.index.total.indicators.filter((i) => !measured.includes(i.code));
  const key = (code: string) => `stats.index.ind.${code.replace('.', '_')}` as MessageKey;
  return (
    <section aria-labelledby="index-title">
      <h2 id="index-title">{t('stats.index.title')}</h2>
      <p>{t('idx.lead')}</p>
      <div class="table-scroll">
        <table class="stats-index">
          <caption class="visually-hidden">{t('stats.index.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('stats.index.rank')}</th>
              <th scope="col">{t('idx.col.unit')}</th>
              {measured.map((c) => (
                <th scope="col" class="num" key={c}>
                  {c} {t(key(c))} (%)
                </th>
              ))}
              <th scope="col" class="num">
                {t('stats.index.score')}
              </th>
              <th scope="col" class="num">
                {t('stats.index.percent')}
              </th>
              <th scope="col">{t('stats.index.band')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.code} class={r.rank === null ? 'total' : undefined}>
                <td>{r.rank ?? '—'}</td>
                <th scope="row">{r.rank === null ? `${t('stats.index.total')}: ${r.name[locale]}` : r.name[locale]}</th>
                {measured.map((c) => {
                  const i = r.indicators.find((x) => x.code === c)!;
                  return (
                    <td class="num" key={c}>
                      {i.measured ? n(i.value, locale) : '—'}
                    </td>
                  );
                })}
                <td class="num">
                  {n(r.score, locale)} / {n(r.maxScore, locale)}
                </td>
                <td class="num">{n(r.percent, locale)}</td>
                <td>{r.band ? t(`stats.index.band.${r.band}` as MessageKey) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="hint">
        {t('idx.unmeasured', {
          list: unmeasured.map((i) => `${i.code} ${t(key(i.code))} (${t(`stats.index.reason.${i.reason!}` as MessageKey)})`).join('; '),
        })}
      </p>
    </section>
  );
}

/** What applicants said about their returned dossiers in the period (no officer, no comment). */
export function SatisfactionSection(p: { ctx: PageContext; figures: Awaited<ReturnType<RatingService['figures']>> }) {
  const { t, locale } = p.ctx;
  const f = p.figures;
  return (
    <section aria-labelledby="satisfaction-title">
      <h2 id="satisfaction-title">{t('sat.title')}</h2>
      <p>{t('sat.lead')}</p>
      {f.ratings === 0 ? (
        <p>{t('sat.none')}</p>
      ) : (
        <>
          <table class="stats-satisfaction">
            <caption class="visually-hidden">{t('sat.title')}</caption>
            <tbody>
              <tr>
                <th scope="row">{t('sat.ratings')}</th>
                <td class="num">{n(f.ratings, locale)}</td>
                <td />
              </tr>
              {(['very_satisfied', 'satisfied', 'not_satisfied'] as const).map((o) => (
                <tr key={o}>
                  <th scope="row">{t(`rating.overall.${o}`)}</th>
                  <td class="num">
                    {n(o === 'very_satisfied' ? f.verySatisfied : o === 'satisfied' ? f.satisfied : f.notSatisfied, locale)}
                  </td>
                  <td />
                </tr>
              ))}
              <tr id="sat-rate">
                <th scope="row">{t('sat.rate')}</th>
                <td class="num">{n(f.satisfiedRate, locale)}</td>
                <td class="definition">{t('sat.rateDef')}</td>
              </tr>
            </tbody>
          </table>
          <table>
            <caption>{t('rating.criteria')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sat.criterion')}</th>
                <th scope="col" class="num">
                  {t('sat.average')}
                </th>
                <th scope="col" class="num">
                  {t('sat.answers')}
                </th>
              </tr>
            </thead>
            <tbody>
              {CRITERIA.map((c) => (
                <tr key={c}>
                  <th scope="row">{t(`rating.c.${c}`)}</th>
                  <td class="num">{n(f.criteria[c]?.average ?? null, locale)}</td>
                  <td class="num">{n(f.criteria[c]?.answers ?? 0, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <p>
        <a href="/statistics/surveys">{t('sat.surveysLink')}</a>
      </p>
    </section>
  );
}
