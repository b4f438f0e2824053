import { CsrfField } from '../../web/components/form.js';
import type { PageContext } from '../../web/context.js';
import { formatDateTime, formatNumber, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import type { PoolSummary } from './contest.bank-schema.js';
import type { ContestView } from './contest.schema.js';

export type PageError = { message: MessageKey; params?: Record<string, string | number> } | undefined;
export type Notice = { message: MessageKey; params?: Record<string, string | number> } | null;

export function Problem(p: { ctx: PageContext; error: PageError }) {
  if (!p.error) return null;
  const params = Object.fromEntries(
    Object.entries(p.error.params ?? {}).map(([k, v]) => [k, typeof v === 'number' ? formatNumber(v, p.ctx.locale) : v]),
  );
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <h2>{p.ctx.t('form.errorSummary')}</h2>
      <p>{p.ctx.t(p.error.message, params)}</p>
    </div>
  );
}

export function Done(p: { ctx: PageContext; notice: Notice }) {
  if (!p.notice) return null;
  return (
    <div class="success" role="status">
      <p>{p.ctx.t(p.notice.message, p.notice.params)}</p>
    </div>
  );
}

/** A labelled text input in the house style (big target, label above). */
export function Input(p: {
  id: string;
  label: string;
  value: string;
  type?: string;
  hint?: string;
  required?: boolean;
  max?: number;
  numeric?: boolean;
}) {
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      {p.hint && (
        <p class="hint" id={`${p.id}-hint`}>
          {p.hint}
        </p>
      )}
      <input
        id={p.id}
        name={p.id}
        type={p.type ?? 'text'}
        value={p.value}
        required={p.required}
        maxLength={p.max}
        inputMode={p.numeric ? 'numeric' : undefined}
        aria-describedby={p.hint ? `${p.id}-hint` : undefined}
      />
    </div>
  );
}

export function ContestsPage(p: {
  ctx: PageContext;
  contests: { id: number; title: { vi: string; en: string } }[];
  form: { titleVi: string; titleEn: string };
  error: PageError;
}) {
  const { t, locale } = p.ctx;
  return (
    <Layout ctx={p.ctx} title={t('contestBank.admin.title')} hasError={!!p.error}>
      <h1>{t('contestBank.admin.title')}</h1>
      <p class="lead">{t('contestBank.admin.lead')}</p>
      <Problem ctx={p.ctx} error={p.error} />
      <h2>{t('contestBank.contests')}</h2>
      {p.contests.length === 0 ? (
        <p>{t('contestBank.noContests')}</p>
      ) : (
        <ul class="contest-list">
          {p.contests.map((c) => (
            <li key={c.id}>
              <a href={`/admin/contest/${c.id}`}>{c.title[locale]}</a>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('contestBank.create')}</h2>
      <form method="post" action="/admin/contest" class="contest-create">
        <CsrfField token={p.ctx.csrfToken} />
        <Input id="titleVi" label={t('contestBank.titleVi')} value={p.form.titleVi} required max={200} />
        <Input id="titleEn" label={t('contestBank.titleEn')} value={p.form.titleEn} required max={200} />
        <button type="submit" class="button">
          {t('contestBank.create')}
        </button>
      </form>
    </Layout>
  );
}

export interface RoundForm {
  opensAt: string;
  closesAt: string;
  questionCount: string;
  minutes: string;
}

export function ContestPage(p: {
  ctx: PageContext;
  contest: ContestView;
  pools: PoolSummary[];
  fields: { code: string; name: { vi: string; en: string } }[];
  round: RoundForm;
  notice: Notice;
  error: PageError;
}) {
  const { t, locale } = p.ctx;
  const c = p.contest;
  const base = `/admin/contest/${c.id}`;
  return (
    <Layout ctx={p.ctx} title={c.title[locale]} hasError={!!p.error}>
      <p>
        <a href="/admin/contest">{t('contestBank.back')}</a>
      </p>
      <h1>{c.title[locale]}</h1>
      <p>
        <a href={`${base}/edit`}>{t('contestEdit.contest.title')}</a>
      </p>
      <Done ctx={p.ctx} notice={p.notice} />
      <Problem ctx={p.ctx} error={p.error} />

      <h2>{t('contestBank.rounds')}</h2>
      {c.rounds.length === 0 ? (
        <p>{t('contestBank.noRounds')}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t('contestBank.rounds')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('contestBank.round.opens')}</th>
              <th scope="col">{t('contestBank.round.closes')}</th>
              <th scope="col">{t('contestBank.round.count')}</th>
              <th scope="col">{t('contestBank.round.minutes')}</th>
              <th scope="col">{t('contestBank.round.phase')}</th>
              <th scope="col">{t('contestBank.round.action')}</th>
            </tr>
          </thead>
          <tbody>
            {c.rounds.map((r) => (
              <tr key={r.id} data-round={r.id} data-phase={r.phase}>
                <td>{formatDateTime(new Date(r.opensAt), locale)}</td>
                <td>{formatDateTime(new Date(r.closesAt), locale)}</td>
                <td>{formatNumber(r.questionCount, locale)}</td>
                <td>{formatNumber(Math.round((r.timeLimitSeconds / 60) * 10) / 10, locale)}</td>
                <td>{t(`contestBank.phase.${r.phase}` as MessageKey)}</td>
                <td>
                  {r.phase !== 'draft' && <a href={`/admin/contest/rounds/${r.id}/flags`}>{t('contestBank.round.flags')}</a>}
                  {r.phase === 'draft' && <a href={`${base}/rounds/${r.id}/edit`}>{t('contestEdit.round.edit')}</a>}{' '}
                  {r.phase === 'draft' && (
                    <form method="post" action={`${base}/rounds/${r.id}/publish`} class="inline-form">
                      <CsrfField token={p.ctx.csrfToken} />
                      <button type="submit" class="button">
                        {t('contestBank.round.publish')}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t('contestBank.round.create')}</h3>
      <form method="post" action={`${base}/rounds`} class="round-create">
        <CsrfField token={p.ctx.csrfToken} />
        <p class="hint">{t('contestBank.round.createHint')}</p>
        <Input id="opensAt" type="datetime-local" label={t('contestBank.round.opens')} value={p.round.opensAt} required />
        <Input id="closesAt" type="datetime-local" label={t('contestBank.round.closes')} value={p.round.closesAt} required />
        <Input id="questionCount" numeric max={3} label={t('contestBank.round.count')} value={p.round.questionCount} required />
        <Input id="minutes" numeric max={3} label={t('contestBank.round.minutes')} value={p.round.minutes} required />
        <button type="submit" class="button">
          {t('contestBank.round.create')}
        </button>
      </form>

      <h2>{t('contestBank.pools')}</h2>
      {p.pools.length === 0 ? (
        <p>{t('contestBank.noPools')}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t('contestBank.pools')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('contestBank.pool.name')}</th>
              <th scope="col">{t('contestBank.pool.field')}</th>
              <th scope="col">{t('contestBank.pool.active')}</th>
              <th scope="col">{t('contestBank.pool.draft')}</th>
              <th scope="col">{t('contestBank.pool.retired')}</th>
              <th scope="col">{t('contestBank.round.action')}</th>
            </tr>
          </thead>
          <tbody>
            {p.pools.map((pool) => (
              <tr key={pool.id} data-pool={pool.fieldCode}>
                <td>
                  <a href={`${base}/questions?pool=${pool.id}`}>{pool.name[locale]}</a>
                </td>
                <td>{pool.fieldCode}</td>
                <td data-count="active">{formatNumber(pool.counts.active, locale)}</td>
                <td>{formatNumber(pool.counts.draft, locale)}</td>
                <td>{formatNumber(pool.counts.retired, locale)}</td>
                <td>
                  <a href={`${base}/pools/${pool.id}/edit`}>{t('contestEdit.rename')}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t('contestBank.pool.create')}</h3>
      <form method="post" action={`${base}/pools`} class="pool-create">
        <CsrfField token={p.ctx.csrfToken} />
        <div class="field">
          <label for="fieldCode">{t('contestBank.pool.field')}</label>
          <select id="fieldCode" name="fieldCode">
            {p.fields.map((f) => (
              <option key={f.code} value={f.code}>
                {f.name[locale]}
              </option>
            ))}
          </select>
        </div>
        <Input id="nameVi" label={t('contestBank.pool.nameVi')} hint={t('contestBank.pool.nameHint')} value="" max={200} />
        <Input id="nameEn" label={t('contestBank.pool.nameEn')} hint={t('contestBank.pool.nameHint')} value="" max={200} />
        <button type="submit" class="button">
          {t('contestBank.pool.create')}
        </button>
      </form>

      <h2>{t('contestBank.tools')}</h2>
      <ul class="contest-tools">
        <li>
          <a href={`${base}/questions`}>{t('contestBank.link.bank')}</a>
        </li>
        {p.pools.length > 0 && (
          <li>
            <a href={`${base}/questions/new`}>{t('contestEdit.question.link')}</a>
          </li>
        )}
        <li>
          <a href={`${base}/import`}>{t('contestBank.link.import')}</a>
        </li>
        <li>
          <a href={`${base}/generate`}>{t('contestBank.link.generate')}</a>
        </li>
        <li>
          <a href={`/api/v1/contest/contests/${c.id}/questions/export`} download>
            {t('contestBank.link.exportXlsx')}
          </a>
        </li>
        <li>
          <a href={`/api/v1/contest/contests/${c.id}/questions/export?format=csv`} download>
            {t('contestBank.link.exportCsv')}
          </a>
        </li>
        <TemplateLinks ctx={p.ctx} />
      </ul>
    </Layout>
  );
}

/** The blank question files (xlsx, CSV) an admin fills in for an import. */
export function TemplateLinks({ ctx: { t } }: { ctx: PageContext }) {
  return (
    <>
      <li>
        <a href="/api/v1/contest/questions/template" download>
          {t('contestBank.link.templateXlsx')}
        </a>
      </li>
      <li>
        <a href="/api/v1/contest/questions/template?format=csv" download>
          {t('contestBank.link.templateCsv')}
        </a>
      </li>
    </>
  );
}
