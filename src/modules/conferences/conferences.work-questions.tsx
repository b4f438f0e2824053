import { COMMITMENT_STATUS, type ConferenceStatus, type QuestionModeration } from '../../db/types.js';
import { canMoveCommitment } from '../../domain/conferences/rules.js';
import { CsrfField } from '../../web/components/form.js';
import type { PageContext } from '../../web/context.js';
import { formatNumber } from '../../web/i18n/index.js';
import { CommitmentItem, TextArea } from './conferences.parts.js';
import type { CommitmentView } from './conferences.schema.js';

export interface WorkQuestion {
  id: number;
  source: 'advance' | 'room';
  asker_name: string | null;
  body: string;
  /** What the public sees: personal data removed. */
  published_text: string;
  procedure_code: string | null;
  moderation: QuestionModeration;
  decline_reason: string | null;
  supports: number;
  draft_answer: string | null;
  answer: string | null;
}

/** One question on the officials' page, with the forms its stage allows. */
export function QuestionWork(p: {
  ctx: PageContext;
  base: string;
  status: ConferenceStatus;
  q: WorkQuestion;
  commitments: CommitmentView[];
  faqId: number | undefined;
  canFaq: boolean;
}) {
  const { t, locale } = p.ctx;
  const { q, status } = p;
  const at = `${p.base}/questions/${q.id}`;
  const live = status === 'scheduled' || status === 'held';
  const accepted = q.moderation === 'accepted';
  const csrf = <CsrfField token={p.ctx.csrfToken} />;
  return (
    <li class="conf-question" id={`question-${q.id}`}>
      <p class="meta">
        {q.source === 'room' ? `${t('conf.fromRoom')} · ` : ''}
        {q.asker_name ?? '—'}
        {q.procedure_code && ` · ${t('conf.procedure', { code: q.procedure_code })}`} ·{' '}
        {t('conf.supports', { n: formatNumber(q.supports, locale) })} ·{' '}
        <strong>
          {q.moderation === 'declined'
            ? t('work.conf.moderation.declined', { reason: q.decline_reason ?? '' })
            : t(`work.conf.moderation.${q.moderation}`)}
        </strong>
      </p>
      <p class="conf-text">{q.body}</p>
      {q.published_text !== q.body && q.moderation !== 'declined' && (
        <div class="conf-published">
          <p class="hint">{t(accepted ? 'work.conf.publishedAs' : 'work.conf.willPublishAs')}</p>
          <p class="conf-text">{q.published_text}</p>
        </div>
      )}
      {live && q.moderation === 'pending' && (
        <div class="button-row">
          <form method="post" action={`${at}/moderate`} class="inline-form">
            {csrf}
            <input type="hidden" name="decision" value="accept" />
            <button type="submit" class="button">
              {t('work.conf.accept')}
            </button>
          </form>
          <form method="post" action={`${at}/moderate`}>
            {csrf}
            <input type="hidden" name="decision" value="decline" />
            <div class="field">
              <label for={`reason-${q.id}`}>
                {t('work.conf.declineReason')} <span class="field-flag">{t('form.required')}</span>
              </label>
              <input id={`reason-${q.id}`} name="reason" type="text" required maxLength={2000} />
            </div>
            <button type="submit" class="button button-secondary">
              {t('work.conf.decline')}
            </button>
          </form>
        </div>
      )}
      {live && accepted && status === 'scheduled' && (
        <form method="post" action={`${at}/draft`}>
          {csrf}
          <TextArea t={t} name="text" id={`draft-${q.id}`} label={t('work.conf.draft')} value={q.draft_answer} maxLength={10000} />
          <button type="submit" class="button button-secondary">
            {t('work.conf.saveDraft')}
          </button>
        </form>
      )}
      {accepted && status === 'held' && (
        <>
          <form method="post" action={`${at}/answer`}>
            {csrf}
            <TextArea
              t={t}
              name="text"
              id={`answer-${q.id}`}
              label={t('work.conf.answer')}
              value={q.answer ?? q.draft_answer}
              maxLength={10000}
              required
              rows={5}
            />
            <button type="submit" class="button">
              {t('work.conf.saveAnswer')}
            </button>
          </form>
          {p.commitments.length > 0 && (
            <ul class="commitment-list">
              {p.commitments.map((m) => (
                <CommitmentItem key={m.id} ctx={p.ctx} m={m} history={false} />
              ))}
            </ul>
          )}
          <details>
            <summary>{t('work.conf.addCommitment')}</summary>
            <form method="post" action={`${at}/commitments`}>
              {csrf}
              <TextArea t={t} name="what" id={`what-${q.id}`} label={t('work.conf.commit.what')} required maxLength={2000} rows={2} />
              <div class="field">
                <label for={`responsible-${q.id}`}>
                  {t('work.conf.commit.responsible')} <span class="field-flag">{t('form.required')}</span>
                </label>
                <input id={`responsible-${q.id}`} name="responsible" type="text" required maxLength={300} />
              </div>
              <div class="field">
                <label for={`unit-${q.id}`}>
                  {t('work.conf.commit.unit')} <span class="field-flag">{t('form.optional')}</span>
                </label>
                <p class="hint" id={`unit-${q.id}-hint`}>
                  {t('work.conf.commit.unitHint')}
                </p>
                <input id={`unit-${q.id}`} name="responsibleUnit" type="text" maxLength={40} aria-describedby={`unit-${q.id}-hint`} />
              </div>
              <div class="field">
                <label for={`due-${q.id}`}>
                  {t('work.conf.commit.due')} <span class="field-flag">{t('form.required')}</span>
                </label>
                <input id={`due-${q.id}`} name="dueDate" type="date" required />
              </div>
              <button type="submit" class="button button-secondary">
                {t('work.conf.commit.save')}
              </button>
            </form>
          </details>
        </>
      )}
      {status === 'minutes_published' && accepted && (
        <>
          {q.answer && <p class="conf-answer">{q.answer}</p>}
          {p.faqId !== undefined ? (
            <p>
              <a href={`/work/faq/${p.faqId}/edit`}>{t('work.conf.faq.open')}</a>
            </p>
          ) : (
            p.canFaq &&
            q.answer && (
              <form method="post" action={`${at}/faq`} class="inline-form">
                {csrf}
                <p class="hint">{t('work.conf.faq.hint')}</p>
                <button type="submit" class="button button-secondary">
                  {t('work.conf.faq.create')}
                </button>
              </form>
            )
          )}
          <ul class="commitment-list">
            {p.commitments.map((m) => (
              <CommitmentItem key={m.id} ctx={p.ctx} m={m}>
                {m.status !== 'done' && <StatusForm ctx={p.ctx} m={m} />}
              </CommitmentItem>
            ))}
          </ul>
        </>
      )}
    </li>
  );
}

export function StatusForm({ ctx, m }: { ctx: PageContext; m: CommitmentView }) {
  const { t } = ctx;
  const next = COMMITMENT_STATUS.filter((s) => canMoveCommitment(m.status, s));
  return (
    <details class="commitment-update">
      <summary>{t('work.conf.status.title')}</summary>
      <form method="post" action={`/work/commitments/${m.id}/status`}>
        <CsrfField token={ctx.csrfToken} />
        <div class="field">
          <label for={`to-${m.id}`}>{t('work.conf.status.to')}</label>
          <select id={`to-${m.id}`} name="status">
            {next.map((s) => (
              <option key={s} value={s} selected={s === next[next.length - 1]}>
                {t(`commit.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <TextArea t={t} name="note" id={`note-${m.id}`} label={t('work.conf.status.note')} maxLength={5000} rows={2} />
        <TextArea t={t} name="evidence" id={`evidence-${m.id}`} label={t('work.conf.status.evidence')} maxLength={5000} rows={3} />
        <div class="field">
          <label for={`url-${m.id}`}>
            {t('work.conf.status.url')} <span class="field-flag">{t('form.optional')}</span>
          </label>
          <input id={`url-${m.id}`} name="evidenceUrl" type="url" maxLength={1000} />
        </div>
        <button type="submit" class="button">
          {t('work.conf.status.save')}
        </button>
      </form>
    </details>
  );
}
