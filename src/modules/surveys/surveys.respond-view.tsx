import type { Questionnaire } from '../../domain/surveys/questionnaire.js';
import { CsrfField } from '../../web/components/form.js';
import type { PageContext } from '../../web/context.js';
import { formatDateTime, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { fieldId, QuestionnaireFields, questionText } from './surveys.form.js';

export interface RespondData {
  token: string;
  title: string;
  procedure: string;
  unit: string;
  closesAt: Date;
  opensAt: Date;
  q: Questionnaire;
  state: 'form' | 'scheduled' | 'closed' | 'answered' | 'thanks';
  values: Record<string, unknown>;
  error?: { code: MessageKey; key: string | undefined };
}

/** The respondent's page: no login, works without JavaScript, plain words. */
export function RespondPage(p: { ctx: PageContext; d: RespondData }) {
  const { t, locale } = p.ctx;
  const d = p.d;
  const title = d.state === 'thanks' ? t('survey.thanks.title') : d.q.title[locale];
  return (
    <Layout ctx={p.ctx} title={title} hasError={!!d.error}>
      <h1>{title}</h1>
      {d.state === 'thanks' && (
        <div class="success" role="status">
          <p>{t('survey.thanks')}</p>
        </div>
      )}
      {d.state === 'answered' && <p class="lead">{t('survey.answered')}</p>}
      {d.state === 'closed' && <p class="lead">{t('survey.closed')}</p>}
      {d.state === 'scheduled' && <p class="lead">{t('survey.notOpen', { date: formatDateTime(d.opensAt, locale) })}</p>}
      {d.state === 'form' && (
        <form method="post" action={`/survey/${d.token}`} class="survey-form" noValidate={false}>
          <CsrfField token={p.ctx.csrfToken} />
          <p class="lead">{t('survey.about', { procedure: d.procedure, unit: d.unit })}</p>
          <p>{d.q.intro[locale]}</p>
          <p>{t('survey.until', { date: formatDateTime(d.closesAt, locale) })}</p>
          <p class="hint">{t('survey.privacy')}</p>
          {d.error && (
            <div class="error-summary" role="alert" tabIndex={-1}>
              <h2>{t('form.errorSummary')}</h2>
              <p>{t(d.error.code)}</p>
              {d.error.key && (
                <p>
                  <a href={`#${fieldId(d.error.key)}`}>{t('survey.errorAt', { question: questionText(d.q, d.error.key, locale) })}</a>
                </p>
              )}
            </div>
          )}
          <QuestionnaireFields t={t} locale={locale} q={d.q} values={d.values} invalid={d.error?.key} />
          <button type="submit" class="button">
            {t('survey.submit')}
          </button>
        </form>
      )}
      <p class="hint">{d.q.method[locale]}</p>
    </Layout>
  );
}

export function PreviewPage(p: { ctx: PageContext; q: Questionnaire }) {
  const { t, locale } = p.ctx;
  return (
    <Layout ctx={p.ctx} title={t('surveys.preview.title')}>
      <h1>{t('surveys.preview.title')}</h1>
      <p class="lead">{t('surveys.preview.lead')}</p>
      <h2>{p.q.title[locale]}</h2>
      <p>{p.q.intro[locale]}</p>
      <p class="hint">{p.q.method[locale]}</p>
      <QuestionnaireFields t={t} locale={locale} q={p.q} values={{}} />
      <p>
        <a href="/admin/surveys">{t('surveys.back')}</a>
      </p>
    </Layout>
  );
}
