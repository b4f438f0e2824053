import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../web/context.js';
import { CsrfField } from '../../web/components/form.js';
import { formatDate, formatDateTime, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { ANSWER_TEMPLATES } from './answer-templates.js';
import type { FaqOffer } from './feedback.faq.js';
import { FaqOfferSection } from './feedback.faq-views.js';
import type { officialView } from './feedback.actions.js';
import type { QueueItem } from './feedback.schema.js';

export function WorkQueuePage(p: { ctx: PageContext; items: QueueItem[] }) {
  const { t, locale } = p.ctx;
  return (
    <Layout ctx={p.ctx} title={t('feedback.work.title')}>
      <h1>{t('feedback.work.title')}</h1>
      {p.items.length === 0 ? (
        <p>{t('feedback.work.none')}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t('feedback.work.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('feedback.work.code')}</th>
              <th scope="col">{t('feedback.work.subject')}</th>
              <th scope="col">{t('feedback.work.kind')}</th>
              <th scope="col">{t('feedback.work.unit')}</th>
              <th scope="col">{t('feedback.work.status')}</th>
              <th scope="col">{t('feedback.work.answerBy')}</th>
            </tr>
          </thead>
          <tbody>
            {p.items.map((i) => (
              <tr key={i.code} class={i.late ? 'row-late' : undefined}>
                <th scope="row">
                  <a href={`/work/feedback/${i.code}`}>{i.code}</a>
                </th>
                <td>{i.title}</td>
                <td>{t(`feedback.kind.${i.kind}`)}</td>
                <td>{locale === 'en' ? i.unit.name.en : i.unit.name.vi}</td>
                <td>{t(`feedback.status.${i.status}`)}</td>
                <td>
                  {formatDate(new Date(i.answerBy), locale)}{' '}
                  {i.late ? <span class="badge badge-late">{t('feedback.work.late')}</span> : <span>({t('feedback.work.onTrack')})</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

type View = Awaited<ReturnType<typeof officialView>>;

function ActionForm(p: { ctx: PageContext; code: string; action: string; children: ComponentChildren }) {
  return (
    <form method="post" action={`/work/feedback/${p.code}/act`} class="feedback-action">
      <CsrfField token={p.ctx.csrfToken} />
      <input type="hidden" name="action" value={p.action} />
      {p.children}
    </form>
  );
}

function TextArea(p: { id: string; name: string; label: string; value?: string; rows?: number; hint?: string }) {
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      {p.hint && (
        <p class="hint" id={`${p.id}-hint`}>
          {p.hint}
        </p>
      )}
      <textarea id={p.id} name={p.name} rows={p.rows ?? 3} aria-describedby={p.hint ? `${p.id}-hint` : undefined}>
        {p.value ?? ''}
      </textarea>
    </div>
  );
}

/** One item for its unit's officials: the full text and contact, history, and the actions its state allows. */
export function WorkDetailPage(p: { ctx: PageContext; v: View; done: string; faq?: FaqOffer | null; faqError?: string }) {
  const { t, locale } = p.ctx;
  const { f, events, attachments, extra, canApprove } = p.v;
  const open = ['received', 'info_requested', 'answering'].includes(f.status);
  const Row = (r: { label: string; children: ComponentChildren }) => (
    <div class="summary-row">
      <dt>{r.label}</dt>
      <dd>{r.children}</dd>
    </div>
  );
  return (
    <Layout ctx={p.ctx} title={`${f.code} – ${t('feedback.work.title')}`} hasError={!!p.faqError}>
      <p>
        <a href="/work/feedback">{t('feedback.work.back')}</a>
      </p>
      <h1>
        {f.code}: {f.title}
      </h1>
      {p.done && (
        <div class="success" role="status">
          <p>{t('feedback.work.done', { action: t(`feedback.action.${p.done}` as MessageKey) })}</p>
        </div>
      )}
      <dl class="summary-list">
        <Row label={t('feedback.work.status')}>
          <strong>{t(`feedback.status.${f.status}`)}</strong>
        </Row>
        <Row label={t('feedback.work.kind')}>{t(`feedback.kind.${f.kind}`)}</Row>
        <Row label={t('feedback.work.unit')}>{locale === 'en' ? f.unit_en : f.unit_vi}</Row>
        <Row label={t('feedback.work.rejectBy')}>{formatDateTime(f.reject_by, locale)}</Row>
        <Row label={t('feedback.work.infoBy')}>{formatDateTime(f.request_info_by, locale)}</Row>
        <Row label={t('feedback.work.answerBy')}>{formatDateTime(f.answer_by, locale)}</Row>
        <Row label={t('feedback.work.author')}>{f.author_name}</Row>
        <Row label={t('feedback.work.contact')}>{[f.author_phone, f.author_email].filter(Boolean).join(', ')}</Row>
        {extra.dossier_code && <Row label={t('feedback.work.dossier')}>{extra.dossier_code}</Row>}
        {extra.procedure_code && (
          <Row label={t('feedback.detail.procedure')}>
            {extra.procedure_code} {locale === 'en' ? extra.procedure_en : extra.procedure_vi}
          </Row>
        )}
      </dl>
      <section aria-labelledby="content-title">
        <h2 id="content-title">{t('feedback.detail.question')}</h2>
        <p class="message-body">{f.content}</p>
        <details>
          <summary>{t('feedback.work.published')}</summary>
          <p class="message-body">{f.public_content}</p>
        </details>
      </section>
      {attachments.length > 0 && (
        <section aria-labelledby="files-title">
          <h2 id="files-title">{t('feedback.work.files')}</h2>
          <ul>
            {attachments.map((a) => (
              <li key={a.id}>
                <a href={`/work/feedback/${f.code}/files/${a.id}`}>{a.name}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {f.answer_text && (
        <section aria-labelledby="draft-title" class="result-panel">
          <h2 id="draft-title">{f.status === 'published' ? t('feedback.detail.answer') : t('feedback.work.draft')}</h2>
          <p class="message-body">{f.answer_text}</p>
        </section>
      )}
      {p.faq && <FaqOfferSection ctx={p.ctx} code={f.code} offer={p.faq} error={p.faqError} />}
      {(f.status === 'received' || f.status === 'answering') && (
        <section aria-labelledby="answer-form-title">
          <h2 id="answer-form-title">{t('feedback.work.answerText')}</h2>
          <ActionForm ctx={p.ctx} code={f.code} action="answer">
            <div class="field">
              <label for="template">{t('feedback.work.template')}</label>
              <select id="template" name="template">
                <option value="">{t('feedback.work.noTemplate')}</option>
                {ANSWER_TEMPLATES[f.kind].map((id) => (
                  <option key={id} value={id} selected={f.answer_template === id}>
                    {t(`feedback.tpl.${id}`).slice(0, 80)}…
                  </option>
                ))}
              </select>
            </div>
            <TextArea
              id="answer-text"
              name="text"
              label={t('feedback.work.answerText')}
              rows={8}
              value={f.answer_text ?? ''}
              hint={t('feedback.work.answerHint')}
            />
            <button type="submit" name="submit" value="0" class="button button-secondary">
              {t('feedback.work.saveDraft')}
            </button>{' '}
            <button type="submit" name="submit" value="1" class="button">
              {t('feedback.work.submitAnswer')}
            </button>
          </ActionForm>
        </section>
      )}
      {f.status === 'awaiting_approval' && canApprove && (
        <section aria-labelledby="approve-title">
          <h2 id="approve-title">{t('feedback.work.approve')}</h2>
          <ActionForm ctx={p.ctx} code={f.code} action="approve">
            <button type="submit" class="button">
              {t('feedback.work.approve')}
            </button>
          </ActionForm>
          <ActionForm ctx={p.ctx} code={f.code} action="return">
            <TextArea id="return-reason" name="reason" label={t('feedback.work.reason')} />
            <button type="submit" class="button button-secondary">
              {t('feedback.work.returnAnswer')}
            </button>
          </ActionForm>
        </section>
      )}
      {open && (
        <section aria-labelledby="other-actions-title">
          <h2 id="other-actions-title">{t('feedback.work.status')}</h2>
          {(f.status === 'received' || f.status === 'answering') && (
            <ActionForm ctx={p.ctx} code={f.code} action="request_info">
              <TextArea id="info-question" name="question" label={t('feedback.work.question')} />
              <button type="submit" class="button button-secondary">
                {t('feedback.action.request_info')}
              </button>
            </ActionForm>
          )}
          {f.status === 'received' && (
            <ActionForm ctx={p.ctx} code={f.code} action="reject">
              <TextArea id="reject-reason" name="reason" label={t('feedback.work.reason')} />
              <button type="submit" class="button button-secondary">
                {t('feedback.action.reject')}
              </button>
            </ActionForm>
          )}
          <ActionForm ctx={p.ctx} code={f.code} action="transfer">
            <div class="field">
              <label for="transfer-unit">{t('feedback.work.transferTo')}</label>
              <input id="transfer-unit" name="unit" maxLength={40} />
            </div>
            <TextArea id="transfer-reason" name="reason" label={t('feedback.work.reason')} />
            <button type="submit" class="button button-secondary">
              {t('feedback.action.transfer')}
            </button>
          </ActionForm>
        </section>
      )}
      <section aria-labelledby="history-title">
        <h2 id="history-title">{t('feedback.work.history')}</h2>
        <ol>
          {events.map((e, i) => (
            <li key={i}>
              {formatDateTime(e.at, locale)}: {t(`feedback.action.${e.action}` as MessageKey)} (
              {e.full_name ?? t('feedback.work.authorName')}){e.note ? `: ${e.note}` : ''}
            </li>
          ))}
        </ol>
      </section>
    </Layout>
  );
}
