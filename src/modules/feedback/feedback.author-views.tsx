import { FEEDBACK_KINDS, FEEDBACK_RATINGS } from '../../db/types.js';
import type { PageContext } from '../../web/context.js';
import { CsrfField, ErrorSummary, SelectField, TextField, type FieldErrors } from '../../web/components/form.js';
import { formatDate, formatDateTime, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import type { AuthorView } from './feedback.schema.js';

export interface NewFormValues {
  kind: string;
  title: string;
  content: string;
  name: string;
  phone: string;
  email: string;
  unit: string;
  dossier: string;
}

const ORDER = ['kind', 'title', 'content', 'name', 'phone', 'email', 'unit', 'dossier', 'file'];

/** The public form: plain words, one column, works without JavaScript (multipart for the file). */
export function NewFeedbackPage(p: {
  ctx: PageContext;
  values: NewFormValues;
  errors: FieldErrors;
  units: { code: string; name: string }[];
}) {
  const { t } = p.ctx;
  const v = p.values;
  const e = p.errors;
  return (
    <Layout ctx={p.ctx} title={t('feedback.new.title')} hasError={Object.keys(e).length > 0}>
      <h1>{t('feedback.new.title')}</h1>
      <p class="lead">{t('feedback.new.lead')}</p>
      <p>{t('feedback.new.anonymous')}</p>
      <ErrorSummary t={t} errors={e} order={ORDER} />
      <form method="post" action="/feedback/new" enctype="multipart/form-data" class="feedback-form" noValidate>
        <CsrfField token={p.ctx.csrfToken} />
        <fieldset class={`field${e.kind ? ' field-error' : ''}`} id="kind">
          <legend>{t('feedback.new.kind')}</legend>
          {FEEDBACK_KINDS.map((k) => (
            <div class="radio radio-large" key={k}>
              <input type="radio" id={`kind-${k}`} name="kind" value={k} checked={v.kind === k} required />
              <label for={`kind-${k}`}>{t(`feedback.kind.${k}`)}</label>
            </div>
          ))}
        </fieldset>
        <TextField
          t={t}
          name="title"
          label={t('feedback.new.subject')}
          hint={t('feedback.new.subjectHint')}
          value={v.title}
          required
          error={e.title}
        />
        <div class={`field${e.content ? ' field-error' : ''}`}>
          <label for="content">
            {t('feedback.new.content')} <span class="field-flag">{t('form.required')}</span>
          </label>
          <p class="hint" id="content-hint">
            {t('feedback.new.contentHint')}
          </p>
          {e.content && (
            <p class="error-message" id="content-error">
              <span class="visually-hidden">{t('form.errorPrefix')} </span>
              {t(e.content)}
            </p>
          )}
          <textarea
            id="content"
            name="content"
            rows={8}
            required
            aria-invalid={e.content ? 'true' : undefined}
            aria-describedby={e.content ? 'content-hint content-error' : 'content-hint'}
          >
            {v.content}
          </textarea>
        </div>
        <TextField t={t} name="name" label={t('feedback.new.name')} value={v.name} autocomplete="name" required error={e.name} />
        <p class="hint">{t('feedback.new.contactHint')}</p>
        <TextField
          t={t}
          name="phone"
          type="tel"
          inputMode="tel"
          label={t('feedback.new.phone')}
          value={v.phone}
          autocomplete="tel"
          error={e.phone}
        />
        <TextField t={t} name="email" type="email" label={t('feedback.new.email')} value={v.email} autocomplete="email" error={e.email} />
        <SelectField
          name="unit"
          label={t('feedback.new.unit')}
          hint={t('feedback.new.unitHint')}
          value={v.unit}
          emptyLabel={t('feedback.new.unitUnknown')}
          options={p.units.map((u) => ({ value: u.code, label: u.name }))}
          error={e.unit ? t(e.unit) : undefined}
        />
        <TextField
          t={t}
          name="dossier"
          label={t('feedback.new.dossier')}
          hint={t('feedback.new.dossierHint')}
          value={v.dossier}
          error={e.dossier}
        />
        <div class={`field${e.file ? ' field-error' : ''}`}>
          <label for="file">
            {t('feedback.new.file')} <span class="field-flag">{t('form.optional')}</span>
          </label>
          <p class="hint" id="file-hint">
            {t('feedback.new.fileHint')}
          </p>
          {e.file && <p class="error-message">{t(e.file)}</p>}
          <input
            type="file"
            id="file"
            name="file"
            accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
            aria-describedby="file-hint"
          />
        </div>
        <button type="submit" class="button">
          {t('feedback.new.submit')}
        </button>
      </form>
    </Layout>
  );
}

/** Asks for the code and key when the page is opened without them. */
export function TrackLookupPage(p: { ctx: PageContext; code: string; error: MessageKey | undefined }) {
  const { t } = p.ctx;
  return (
    <Layout ctx={p.ctx} title={t('feedback.track.title')} hasError={!!p.error}>
      <h1>{t('feedback.track.title')}</h1>
      <p class="lead">{t('feedback.track.lead')}</p>
      {p.error && (
        <div class="error-summary" role="alert">
          <p>{t(p.error)}</p>
        </div>
      )}
      <form method="get" action="/feedback/track">
        <TextField t={t} name="code" label={t('feedback.track.code')} value={p.code} required />
        <TextField t={t} name="key" label={t('feedback.track.key')} required />
        <button type="submit" class="button">
          {t('feedback.track.open')}
        </button>
      </form>
    </Layout>
  );
}

/** The author's page: status, deadlines, what they sent, and the one thing they can do now. */
export function TrackPage(p: {
  ctx: PageContext;
  v: AuthorView;
  keyValue: string;
  notice: 'created' | 'saved' | null;
  error: MessageKey | undefined;
}) {
  const { t, locale } = p.ctx;
  const v = p.v;
  const hidden = (
    <>
      <CsrfField token={p.ctx.csrfToken} />
      <input type="hidden" name="code" value={v.code} />
      <input type="hidden" name="key" value={p.keyValue} />
    </>
  );
  return (
    <Layout ctx={p.ctx} title={`${t('feedback.track.title')} ${v.code}`} hasError={!!p.error}>
      <h1>
        {t('feedback.track.title')} {v.code}
      </h1>
      {p.error && (
        <div class="error-summary" role="alert">
          <p>{t(p.error)}</p>
        </div>
      )}
      {p.notice && (
        <div class="success" role="status">
          <p>{p.notice === 'created' ? t('feedback.track.created', { code: v.code }) : t('feedback.track.saved')}</p>
        </div>
      )}
      <dl class="summary-list">
        <div class="summary-row">
          <dt>{t('feedback.track.status')}</dt>
          <dd>
            <strong>{t(`feedback.status.${v.status}`)}</strong>
          </dd>
        </div>
        <div class="summary-row">
          <dt>{t('feedback.track.unit')}</dt>
          <dd>{locale === 'en' ? v.unit.name.en : v.unit.name.vi}</dd>
        </div>
        <div class="summary-row">
          <dt>{t('feedback.track.received')}</dt>
          <dd>{formatDateTime(new Date(v.receivedAt), locale)}</dd>
        </div>
        {v.status !== 'published' && v.status !== 'rejected' && (
          <div class="summary-row">
            <dt>{t('feedback.track.answerBy')}</dt>
            <dd>{formatDate(new Date(v.answerBy), locale)}</dd>
          </div>
        )}
      </dl>
      {v.status === 'rejected' && (
        <section aria-labelledby="reason-title">
          <h2 id="reason-title">{t('feedback.track.reason')}</h2>
          <p class="message-body">{v.reason}</p>
        </section>
      )}
      {v.status === 'info_requested' && (
        <section aria-labelledby="info-title" class="result-panel">
          <h2 id="info-title">{t('feedback.track.infoQuestion')}</h2>
          <p class="message-body">{v.infoQuestion}</p>
          <form method="post" action="/feedback/track/reply">
            {hidden}
            <div class="field">
              <label for="reply-text">{t('feedback.track.replyLabel')}</label>
              <textarea id="reply-text" name="text" rows={5} required />
            </div>
            <button type="submit" class="button">
              {t('feedback.track.replySubmit')}
            </button>
          </form>
        </section>
      )}
      {v.answer !== null && (
        <section aria-labelledby="answer-title" class="result-panel">
          <h2 id="answer-title">{t('feedback.track.answer')}</h2>
          <p class="message-body" id="answer-text">
            {v.answer}
          </p>
          {v.rating && <p>{t('feedback.track.rated', { rating: t(`feedback.rating.${v.rating}`) })}</p>}
          {v.canRate && (
            <form method="post" action="/feedback/track/rate">
              {hidden}
              <fieldset class="field">
                <legend>{t('feedback.track.rateLegend')}</legend>
                {FEEDBACK_RATINGS.map((r) => (
                  <div class="radio radio-large" key={r}>
                    <input type="radio" id={`rating-${r}`} name="rating" value={r} required />
                    <label for={`rating-${r}`}>{t(`feedback.rating.${r}`)}</label>
                  </div>
                ))}
              </fieldset>
              <button type="submit" class="button">
                {t('feedback.track.rateSubmit')}
              </button>
            </form>
          )}
          {v.canReopen && (
            <details>
              <summary>{t('feedback.track.reopenTitle')}</summary>
              <p>{t('feedback.track.reopenHint')}</p>
              <form method="post" action="/feedback/track/reopen">
                {hidden}
                <div class="field">
                  <label for="reopen-reason">{t('feedback.track.reopenLabel')}</label>
                  <textarea id="reopen-reason" name="reason" rows={4} required />
                </div>
                <button type="submit" class="button button-secondary">
                  {t('feedback.track.reopenSubmit')}
                </button>
              </form>
            </details>
          )}
        </section>
      )}
      <section aria-labelledby="yours-title">
        <h2 id="yours-title">{t('feedback.track.yours')}</h2>
        <p>
          <strong>{v.title}</strong> ({t(`feedback.kind.${v.kind}`)})
        </p>
        <p class="message-body">{v.content}</p>
        {v.attachments.length > 0 && (
          <>
            <h3>{t('feedback.track.files')}</h3>
            <ul>
              {v.attachments.map((a, i) => (
                <li key={i}>{a.name}</li>
              ))}
            </ul>
          </>
        )}
        {v.status !== 'published' && v.status !== 'rejected' && (
          <form method="post" action="/feedback/track/attach" enctype="multipart/form-data">
            {hidden}
            <div class="field">
              <label for="more-file">{t('feedback.track.addFile')}</label>
              <input type="file" id="more-file" name="file" accept=".pdf,.jpg,.jpeg,.png" required />
            </div>
            <button type="submit" class="button button-secondary">
              {t('feedback.track.addFileSubmit')}
            </button>
          </form>
        )}
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title">{t('feedback.track.history')}</h2>
        <ol>
          {v.history.map((h, i) => (
            <li key={i}>
              {formatDateTime(new Date(h.at), locale)}: {t(`feedback.action.${h.action}` as MessageKey)}
            </li>
          ))}
        </ol>
      </section>
    </Layout>
  );
}
