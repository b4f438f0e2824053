import { CsrfField } from '../../web/components/form.js';
import type { PageContext } from '../../web/context.js';
import { formatNumber, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { Done, Input, Problem, type Notice, type PageError } from './contest.admin-views.js';
import type { BankQuestionView, PoolSummary, QuestionPreview } from './contest.bank-schema.js';
import { MAX_OPTIONS } from './contest.sheet.js';

const STATUSES = ['draft', 'active', 'retired'] as const;

export function BankPage(p: {
  ctx: PageContext;
  contest: { id: number; title: { vi: string; en: string } };
  pools: PoolSummary[];
  questions: BankQuestionView[];
  filter: { pool: string; status: string };
  notice: Notice;
  error: PageError;
}) {
  const { t, locale } = p.ctx;
  const base = `/admin/contest/${p.contest.id}`;
  const poolName = new Map(p.pools.map((x) => [x.id, x.name[locale]]));
  return (
    <Layout ctx={p.ctx} title={`${t('contestBank.questions')} – ${p.contest.title[locale]}`} hasError={!!p.error}>
      <p>
        <a href={base}>{t('contestBank.backContest')}</a>
      </p>
      <h1>{t('contestBank.questions')}</h1>
      <p class="lead">{p.contest.title[locale]}</p>
      <Done ctx={p.ctx} notice={p.notice} />
      <Problem ctx={p.ctx} error={p.error} />
      <form method="get" action={`${base}/questions`} class="bank-filter">
        <div class="field">
          <label for="pool">{t('contestBank.filter.pool')}</label>
          <select id="pool" name="pool">
            <option value="">{t('contestBank.filter.all')}</option>
            {p.pools.map((x) => (
              <option key={x.id} value={String(x.id)} selected={String(x.id) === p.filter.pool}>
                {x.name[locale]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="status">{t('contestBank.filter.status')}</label>
          <select id="status" name="status">
            <option value="">{t('contestBank.filter.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s} selected={s === p.filter.status}>
                {t(`contestBank.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button button-secondary">
          {t('contestBank.filter')}
        </button>
      </form>
      <p data-figure="questions">{t('contestBank.count', { n: formatNumber(p.questions.length, locale) })}</p>
      {p.questions.length === 0 ? (
        <p>{t('contestBank.noQuestions')}</p>
      ) : (
        <table class="bank">
          <caption class="visually-hidden">{t('contestBank.questions')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('contestBank.q.text')}</th>
              <th scope="col">{t('contestBank.filter.pool')}</th>
              <th scope="col">{t('contestBank.q.kind')}</th>
              <th scope="col">{t('contestBank.q.difficulty')}</th>
              <th scope="col">{t('contestBank.q.status')}</th>
              <th scope="col">{t('contestBank.q.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {p.questions.map((q) => (
              <tr key={q.id} data-question={q.id} data-status={q.status}>
                <td>{q.text[locale]}</td>
                <td>{poolName.get(q.poolId)}</td>
                <td>{t(`contestBank.kind.${q.kind}`)}</td>
                <td>{t(`contestBank.difficulty.${q.difficulty}` as MessageKey)}</td>
                <td>
                  {t(`contestBank.status.${q.status}`)}
                  {q.drawn && <span class="hint"> ({t('contestBank.drawnNote')})</span>}
                </td>
                <td>
                  <a href={`${base}/questions/${q.id}`}>{t('contestBank.action.preview')}</a>
                  {!q.drawn && q.status !== 'retired' && (
                    <>
                      {' · '}
                      <a href={`${base}/questions/${q.id}/edit`}>{t('contestBank.action.edit')}</a>
                    </>
                  )}
                  {q.status === 'draft' && (
                    <form method="post" action={`${base}/questions/${q.id}/approve`} class="inline-form">
                      <CsrfField token={p.ctx.csrfToken} />
                      <input type="hidden" name="pool" value={p.filter.pool} />
                      <input type="hidden" name="status" value={p.filter.status} />
                      <button type="submit" class="link-button">
                        {t('contestBank.action.approve')}
                      </button>
                    </form>
                  )}
                  {q.status !== 'retired' && (
                    <form method="post" action={`${base}/questions/${q.id}/retire`} class="inline-form">
                      <CsrfField token={p.ctx.csrfToken} />
                      <input type="hidden" name="pool" value={p.filter.pool} />
                      <input type="hidden" name="status" value={p.filter.status} />
                      <button type="submit" class="link-button">
                        {t(q.status === 'draft' ? 'contestBank.action.discard' : 'contestBank.action.retire')}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export function PreviewPage(p: { ctx: PageContext; contestId: number; q: BankQuestionView; asParticipant: QuestionPreview }) {
  const { t, locale } = p.ctx;
  const q = p.q;
  const inputType = q.kind === 'single' ? 'radio' : 'checkbox';
  return (
    <Layout ctx={p.ctx} title={t('contestBank.preview.title')}>
      <p>
        <a href={`/admin/contest/${p.contestId}/questions`}>{t('contestBank.link.bank')}</a>
      </p>
      <h1>{t('contestBank.preview.title')}</h1>
      <p>
        {t(`contestBank.status.${q.status}`)} · {t(`contestBank.kind.${q.kind}`)} ·{' '}
        {t(`contestBank.difficulty.${q.difficulty}` as MessageKey)}
      </p>
      <p>{t('contestBank.preview.asParticipant')}</p>
      <fieldset class="field preview" data-preview="participant">
        <legend>{p.asParticipant.text[locale]}</legend>
        {p.asParticipant.options.map((o) => (
          <div class={inputType} key={o.id}>
            <input type={inputType} id={`o-${o.id}`} name="preview" value={o.id} disabled />
            <label for={`o-${o.id}`}>{o.text[locale]}</label>
          </div>
        ))}
      </fieldset>
      <h2>{t('contestBank.preview.key')}</h2>
      <ul data-preview="key">
        {q.options.map((o) => (
          <li key={o.id} data-correct={String(o.correct)}>
            <strong>{t(o.correct ? 'contestBank.preview.correct' : 'contestBank.preview.wrong')}:</strong> {o.text[locale]}
          </li>
        ))}
      </ul>
      <p data-preview="explanation">{q.explanation[locale]}</p>
      {q.procedureCode && (
        <p>
          <a href={`/procedures/${q.procedureCode}`}>{t('contestBank.preview.procedure', { code: q.procedureCode })}</a>
        </p>
      )}
    </Layout>
  );
}

export interface EditForm {
  kind: string;
  difficulty: string;
  textVi: string;
  textEn: string;
  options: { vi: string; en: string; correct: boolean }[];
  explanationVi: string;
  explanationEn: string;
  procedureCode: string;
}

export const editFormOf = (q: BankQuestionView): EditForm => ({
  kind: q.kind,
  difficulty: String(q.difficulty),
  textVi: q.text.vi,
  textEn: q.text.en,
  options: Array.from({ length: MAX_OPTIONS }, (_, i) => {
    const o = q.options[i];
    return o ? { vi: o.text.vi, en: o.text.en, correct: o.correct } : { vi: '', en: '', correct: false };
  }),
  explanationVi: q.explanation.vi,
  explanationEn: q.explanation.en,
  procedureCode: q.procedureCode ?? '',
});

function Area(p: { id: string; label: string; value: string; rows?: number }) {
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      <textarea id={p.id} name={p.id} rows={p.rows ?? 3} required>
        {p.value}
      </textarea>
    </div>
  );
}

/** A question's form: editing one (`id`), or adding one by hand to a pool chosen from `pools`. */
export function EditPage(
  p: { ctx: PageContext; contestId: number; form: EditForm; error: PageError } & (
    { id: number } | { id: null; pools: { id: number; name: { vi: string; en: string } }[]; poolId: string }
  ),
) {
  const { t, locale } = p.ctx;
  const f = p.form;
  const title = p.id === null ? t('contestEdit.question.title') : t('contestBank.edit.title');
  return (
    <Layout ctx={p.ctx} title={title} hasError={!!p.error}>
      <p>
        <a href={`/admin/contest/${p.contestId}/questions`}>{t('contestBank.link.bank')}</a>
      </p>
      <h1>{title}</h1>
      <Problem ctx={p.ctx} error={p.error} />
      <form
        method="post"
        action={p.id === null ? `/admin/contest/${p.contestId}/questions/new` : `/admin/contest/${p.contestId}/questions/${p.id}/edit`}
        class="question-edit"
      >
        <CsrfField token={p.ctx.csrfToken} />
        {p.id === null && (
          <div class="field">
            <label for="pool">{t('contestBank.pool.name')}</label>
            <p class="hint" id="pool-hint">
              {t('contestEdit.question.hint')}
            </p>
            <select id="pool" name="pool" aria-describedby="pool-hint">
              {p.pools.map((x) => (
                <option key={x.id} value={String(x.id)} selected={String(x.id) === p.poolId}>
                  {x.name[locale]}
                </option>
              ))}
            </select>
          </div>
        )}
        <fieldset class="field">
          <legend>{t('contestBank.q.kind')}</legend>
          {(['single', 'multiple'] as const).map((k) => (
            <div class="radio" key={k}>
              <input type="radio" id={`kind-${k}`} name="kind" value={k} checked={f.kind === k} />
              <label for={`kind-${k}`}>{t(`contestBank.kind.${k}`)}</label>
            </div>
          ))}
        </fieldset>
        <fieldset class="field">
          <legend>{t('contestBank.q.difficulty')}</legend>
          {(['1', '2', '3'] as const).map((d) => (
            <div class="radio" key={d}>
              <input type="radio" id={`difficulty-${d}`} name="difficulty" value={d} checked={f.difficulty === d} />
              <label for={`difficulty-${d}`}>{t(`contestBank.difficulty.${d}`)}</label>
            </div>
          ))}
        </fieldset>
        <Area id="textVi" label={t('contestBank.edit.textVi')} value={f.textVi} />
        <Area id="textEn" label={t('contestBank.edit.textEn')} value={f.textEn} />
        <p class="hint">{t('contestBank.edit.optionsHint')}</p>
        {f.options.map((o, i) => (
          <fieldset class="field" key={i}>
            <legend>{t('contestBank.edit.option', { n: i + 1 })}</legend>
            <Input id={`option${i + 1}Vi`} label={t('contestBank.edit.optionVi')} value={o.vi} max={500} />
            <Input id={`option${i + 1}En`} label={t('contestBank.edit.optionEn')} value={o.en} max={500} />
            <div class="checkbox">
              <input type="checkbox" id={`option${i + 1}Correct`} name={`option${i + 1}Correct`} value="1" checked={o.correct} />
              <label for={`option${i + 1}Correct`}>{t('contestBank.edit.optionCorrect')}</label>
            </div>
          </fieldset>
        ))}
        <Area id="explanationVi" label={t('contestBank.edit.explanationVi')} value={f.explanationVi} />
        <Area id="explanationEn" label={t('contestBank.edit.explanationEn')} value={f.explanationEn} />
        <Input id="procedureCode" label={t('contestBank.edit.procedureCode')} value={f.procedureCode} max={8} />
        <button type="submit" class="button">
          {t('contestBank.edit.save')}
        </button>
      </form>
    </Layout>
  );
}
