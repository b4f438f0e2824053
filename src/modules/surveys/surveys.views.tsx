import { CsrfField } from '../../web/components/form.js';
import type { PageContext } from '../../web/context.js';
import { formatDateTime, formatNumber, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import type { SurveyResults } from './surveys.responses.js';
import { SurveyResultsView } from './surveys.results-view.js';
import { MAX_SAMPLE, type SurveyView } from './surveys.schema.js';

type Err = { message: MessageKey; params?: Record<string, string | number> } | undefined;

function Problem(p: { ctx: PageContext; error: Err }) {
  if (!p.error) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <h2>{p.ctx.t('form.errorSummary')}</h2>
      <p>
        {p.ctx.t(
          p.error.message,
          Object.fromEntries(
            Object.entries(p.error.params ?? {}).map(([k, v]) => [k, typeof v === 'number' ? formatNumber(v, p.ctx.locale) : v]),
          ),
        )}
      </p>
    </div>
  );
}

export interface CreateForm {
  title: string;
  units: string[];
  sampleMode: string;
  sampleSize: string;
  opensAt: string;
  closesAt: string;
}

/** Survey list and the form for a new draft. */
export function SurveysPage(p: {
  ctx: PageContext;
  surveys: SurveyView[];
  units: { code: string; name_vi: string; name_en: string; n: number }[];
  form: CreateForm;
  error: Err;
}) {
  const { t, locale } = p.ctx;
  const f = p.form;
  return (
    <Layout ctx={p.ctx} title={t('surveys.admin.title')} hasError={!!p.error}>
      <h1>{t('surveys.admin.title')}</h1>
      <p class="lead">{t('surveys.admin.lead')}</p>
      {p.surveys.length === 0 ? (
        <p>{t('surveys.none')}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t('surveys.admin.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('surveys.col.title')}</th>
              <th scope="col">{t('surveys.col.phase')}</th>
              <th scope="col">{t('surveys.col.window')}</th>
              <th scope="col">{t('surveys.col.invited')}</th>
              <th scope="col">{t('surveys.col.responded')}</th>
            </tr>
          </thead>
          <tbody>
            {p.surveys.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  <a href={`/admin/surveys/${s.id}`}>{s.title}</a>
                </th>
                <td>{t(`surveys.phase.${s.phase}`)}</td>
                <td>
                  {t('surveys.window', {
                    from: formatDateTime(new Date(s.opensAt), locale),
                    to: formatDateTime(new Date(s.closesAt), locale),
                  })}
                </td>
                <td class="num">{formatNumber(s.invited, locale)}</td>
                <td class="num">{formatNumber(s.responded, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href="/admin/surveys/preview">{t('surveys.preview')}</a>
      </p>
      <h2 id="new">{t('surveys.new')}</h2>
      <Problem ctx={p.ctx} error={p.error} />
      <form method="post" action="/admin/surveys" class="survey-create">
        <CsrfField token={p.ctx.csrfToken} />
        <div class="field">
          <label for="title">{t('surveys.f.title')}</label>
          <input id="title" name="title" type="text" required maxLength={200} value={f.title} />
        </div>
        <fieldset class="field">
          <legend>{t('surveys.f.units')}</legend>
          <p class="hint" id="units-hint">
            {t('surveys.f.unitsHint')}
          </p>
          {p.units.length === 0 && <p>{t('surveys.f.unitsNone')}</p>}
          {p.units.map((u) => (
            <div class="radio" key={u.code}>
              <input type="checkbox" id={`unit-${u.code}`} name="units" value={u.code} checked={f.units.includes(u.code)} />
              <label for={`unit-${u.code}`}>
                {t('surveys.f.unitCount', { unit: locale === 'en' ? u.name_en : u.name_vi, n: formatNumber(u.n, locale) })}
              </label>
            </div>
          ))}
        </fieldset>
        <fieldset class="field">
          <legend>{t('surveys.f.sampleMode')}</legend>
          {(['per_unit', 'total'] as const).map((m) => (
            <div class="radio" key={m}>
              <input type="radio" id={`mode-${m}`} name="sampleMode" value={m} checked={f.sampleMode === m} required />
              <label for={`mode-${m}`}>{t(`surveys.f.sampleMode.${m}`)}</label>
            </div>
          ))}
        </fieldset>
        <div class="field">
          <label for="sampleSize">{t('surveys.f.sampleSize')}</label>
          <p class="hint" id="sampleSize-hint">
            {t('surveys.f.sampleSizeHint', { max: formatNumber(MAX_SAMPLE, locale) })}
          </p>
          <input
            id="sampleSize"
            name="sampleSize"
            type="number"
            inputMode="numeric"
            required
            value={f.sampleSize}
            aria-describedby="sampleSize-hint"
          />
        </div>
        <div class="field">
          <label for="opensAt">{t('surveys.f.opensAt')}</label>
          <input id="opensAt" name="opensAt" type="datetime-local" required value={f.opensAt} />
        </div>
        <div class="field">
          <label for="closesAt">{t('surveys.f.closesAt')}</label>
          <input id="closesAt" name="closesAt" type="datetime-local" required value={f.closesAt} />
        </div>
        <button type="submit" class="button">
          {t('surveys.create')}
        </button>
      </form>
    </Layout>
  );
}

/** One survey: what it covers, the launch or close action, and its results once launched. */
export function SurveyPage(p: { ctx: PageContext; s: SurveyView; results: SurveyResults | null; notice: MessageKey | null; error: Err }) {
  const { t, locale } = p.ctx;
  const s = p.s;
  return (
    <Layout ctx={p.ctx} title={s.title} hasError={!!p.error}>
      <h1>{s.title}</h1>
      {p.notice && (
        <div class="success" role="status">
          <p>{t(p.notice, { n: formatNumber(s.invited, locale) })}</p>
        </div>
      )}
      <Problem ctx={p.ctx} error={p.error} />
      <dl class="summary-list">
        <div>
          <dt>{t('surveys.d.phase')}</dt>
          <dd data-phase={s.phase}>{t(`surveys.phase.${s.phase}`)}</dd>
        </div>
        <div>
          <dt>{t('surveys.d.window')}</dt>
          <dd>
            {t('surveys.window', { from: formatDateTime(new Date(s.opensAt), locale), to: formatDateTime(new Date(s.closesAt), locale) })}
          </dd>
        </div>
        <div>
          <dt>{t('surveys.d.sample')}</dt>
          <dd>{t(`surveys.d.sample.${s.sampleMode}`, { n: formatNumber(s.sampleSize, locale) })}</dd>
        </div>
        <div>
          <dt>{t('surveys.d.units')}</dt>
          <dd>{s.units ? s.units.map((u) => u.name[locale]).join('; ') : t('surveys.d.allUnits')}</dd>
        </div>
        {s.population !== null && (
          <div>
            <dt>{t('surveys.d.population')}</dt>
            <dd>{formatNumber(s.population, locale)}</dd>
          </div>
        )}
        {s.seed && (
          <div>
            <dt>{t('surveys.d.seed')}</dt>
            <dd class="hash">{s.seed}</dd>
          </div>
        )}
      </dl>
      {s.phase === 'draft' && (
        <form method="post" action={`/admin/surveys/${s.id}/launch`}>
          <CsrfField token={p.ctx.csrfToken} />
          <p>{t('surveys.launch.hint')}</p>
          <p>
            <a href="/admin/surveys/preview">{t('surveys.preview')}</a>
          </p>
          <button type="submit" class="button">
            {t('surveys.launch')}
          </button>
        </form>
      )}
      {(s.phase === 'open' || s.phase === 'scheduled') && (
        <form method="post" action={`/admin/surveys/${s.id}/close`}>
          <CsrfField token={p.ctx.csrfToken} />
          <p>{t('surveys.close.hint')}</p>
          <button type="submit" class="button button-secondary">
            {t('surveys.close')}
          </button>
        </form>
      )}
      {p.results && (
        <>
          <h2>{t('surveys.r.heading')}</h2>
          <SurveyResultsView ctx={p.ctx} r={p.results} />
          <ul>
            <li>
              <a href={`/api/v1/surveys/${s.id}/results.csv`}>{t('surveys.r.csv')}</a>
            </li>
            {s.phase === 'closed' && (
              <>
                <li>
                  <a href={`/statistics/surveys/${s.id}`}>{t('surveys.r.public')}</a>
                </li>
                <li>
                  <a href={`/api/v1/open-data/surveys/${s.id}.json`}>{t('surveys.r.opendata')}</a>
                </li>
              </>
            )}
          </ul>
        </>
      )}
      <p>
        <a href="/admin/surveys">{t('surveys.back')}</a>
      </p>
    </Layout>
  );
}

/** The public results of a closed survey; small units withheld. */
export function PublicResultsPage(p: { ctx: PageContext; r: SurveyResults }) {
  const { t, locale } = p.ctx;
  const s = p.r.survey;
  const title = t('surveys.r.title', { title: s.title });
  return (
    <Layout ctx={p.ctx} title={title}>
      <h1>{title}</h1>
      <p class="lead">
        {t('surveys.r.lead', {
          from: formatDateTime(new Date(s.opensAt), locale),
          to: formatDateTime(new Date(s.closesAt), locale),
          method: p.r.questionnaire.method[locale],
        })}
      </p>
      <SurveyResultsView ctx={p.ctx} r={p.r} />
      <ul>
        <li>
          <a href={`/api/v1/open-data/surveys/${s.id}.json`}>{t('surveys.r.opendata')}</a>
        </li>
        <li>
          <a href="/statistics/surveys">{t('surveys.public.title')}</a>
        </li>
      </ul>
    </Layout>
  );
}

/** Closed surveys whose results are public. */
export function PublicListPage(p: {
  ctx: PageContext;
  rows: { id: number; title: string; opens_at: Date; closes_at: Date; responses: number }[];
}) {
  const { t, locale } = p.ctx;
  return (
    <Layout ctx={p.ctx} title={t('surveys.public.title')}>
      <h1>{t('surveys.public.title')}</h1>
      <p class="lead">{t('surveys.public.lead')}</p>
      {p.rows.length === 0 ? (
        <p>{t('surveys.public.none')}</p>
      ) : (
        <ul>
          {p.rows.map((s) => (
            <li key={s.id}>
              <a href={`/statistics/surveys/${s.id}`}>{s.title}</a>{' '}
              {t('surveys.public.item', {
                from: formatDateTime(s.opens_at, locale),
                to: formatDateTime(s.closes_at, locale),
                n: formatNumber(s.responses, locale),
              })}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
