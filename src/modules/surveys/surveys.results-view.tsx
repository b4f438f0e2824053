import type { Figures } from '../../domain/surveys/scoring.js';
import type { PageContext } from '../../web/context.js';
import { formatNumber } from '../../web/i18n/index.js';
import type { SurveyResults } from './surveys.responses.js';

const num = (v: number | null, locale: 'vi' | 'en') => (v === null ? '—' : formatNumber(v, locale));
const pct = (v: number | null, locale: 'vi' | 'en') => (v === null ? '—' : `${formatNumber(v, locale)} %`);

/** The headline figures: response rate and the SIPAS-style index with its definition beside it. */
function Headline(p: { ctx: PageContext; f: Figures & { suppressed: boolean } }) {
  const { t, locale } = p.ctx;
  const f = p.f;
  return (
    <dl class="summary-list survey-headline">
      <div>
        <dt>{t('surveys.r.invited')}</dt>
        <dd>{num(f.invited, locale)}</dd>
      </div>
      <div>
        <dt>{t('surveys.r.responded')}</dt>
        <dd>{num(f.responded, locale)}</dd>
      </div>
      <div>
        <dt>{t('surveys.r.rate')}</dt>
        <dd data-figure="response-rate">{pct(f.responseRate, locale)}</dd>
      </div>
      <div>
        <dt>{t('surveys.r.index')}</dt>
        <dd>
          <strong class="big-result" data-figure="sipas-index">
            {f.suppressed ? t('surveys.r.suppressed') : pct(f.sipasIndex, locale)}
          </strong>
          <p class="hint">{t('surveys.r.indexDef')}</p>
        </dd>
      </div>
      <div>
        <dt>{t('surveys.r.overall')}</dt>
        <dd>
          {f.suppressed
            ? '—'
            : `${t('surveys.r.mean')}: ${num(f.overall.mean, locale)}; ${t('surveys.r.satisfied')}: ${pct(f.overall.satisfiedShare, locale)}`}
        </dd>
      </div>
    </dl>
  );
}

/** Per unit and overall, then per factor (assessments, expectations) over all responses. */
export function SurveyResultsView(p: { ctx: PageContext; r: SurveyResults }) {
  const { t, locale } = p.ctx;
  const { r } = p;
  const q = r.questionnaire;
  const hidden = r.overall.suppressed;
  return (
    <>
      <Headline ctx={p.ctx} f={r.overall} />
      <h2>{t('surveys.r.byUnit')}</h2>
      <div class="table-scroll" role="region" aria-label={t('surveys.r.byUnit')} tabIndex={0}>
        <table class="survey-units">
          <caption>{t('surveys.r.byUnitNote')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('surveys.r.unit')}</th>
              <th scope="col">{t('surveys.r.invited')}</th>
              <th scope="col">{t('surveys.r.responded')}</th>
              <th scope="col">{t('surveys.r.rate')}</th>
              <th scope="col">{t('surveys.r.index')}</th>
              {q.factors.map((f) => (
                <th scope="col" key={f.key}>
                  {f.title[locale]} <span class="visually-hidden">{t('surveys.r.satisfied')}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {r.units.map((u) => (
              <tr key={u.unit.code}>
                <th scope="row">{u.unit.name[locale]}</th>
                <td class="num">{num(u.invited, locale)}</td>
                <td class="num">{num(u.responded, locale)}</td>
                <td class="num">{pct(u.responseRate, locale)}</td>
                {u.suppressed ? (
                  <td colSpan={1 + q.factors.length}>{t('surveys.r.suppressed')}</td>
                ) : (
                  <>
                    <td class="num">{pct(u.sipasIndex, locale)}</td>
                    {u.factors.map((f) => (
                      <td class="num" key={f.key}>
                        {pct(f.satisfaction.satisfiedShare, locale)}
                      </td>
                    ))}
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!hidden && r.overall.responded > 0 && (
        <>
          <h2>{t('surveys.r.factors')}</h2>
          {r.overall.factors.map((f, i) => {
            const def = q.factors[i]!;
            return (
              <section key={f.key} class="survey-factor" aria-labelledby={`r-${f.key}`}>
                <h3 id={`r-${f.key}`}>{def.title[locale]}</h3>
                <p data-factor={f.key}>
                  {t('surveys.r.factorScore', {
                    mean: num(f.satisfaction.mean, locale),
                    share: pct(f.satisfaction.satisfiedShare, locale),
                    n: num(f.satisfaction.answers, locale),
                  })}
                </p>
                <table>
                  <caption>{t('surveys.r.distribution')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('surveys.r.statement')}</th>
                      {[1, 2, 3, 4, 5].map((n) => (
                        <th scope="col" class="num" key={n}>
                          {n}
                        </th>
                      ))}
                      <th scope="col" class="num">
                        {t('surveys.r.mean')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {f.assessments.map((a, j) => (
                      <tr key={a.key}>
                        <th scope="row">{def.assessments[j]!.text[locale]}</th>
                        {a.distribution.map((c, k) => (
                          <td class="num" key={k}>
                            {num(c, locale)}
                          </td>
                        ))}
                        <td class="num">{num(a.mean, locale)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <h4>{t('surveys.r.expectations')}</h4>
                <ol>
                  {f.expectations.map((e) => (
                    <li key={e.key}>
                      {t('surveys.r.choices', {
                        option: def.expectation.options.find((o) => o.key === e.key)?.text[locale] ?? e.key,
                        n: num(e.count, locale),
                      })}
                    </li>
                  ))}
                </ol>
              </section>
            );
          })}
        </>
      )}
      {r.overall.responded === 0 && <p>{t('surveys.r.noResponses')}</p>}
    </>
  );
}
