import { CsrfField } from '../../web/components/form.js';
import type { PageContext } from '../../web/context.js';
import { formatDateTime, formatNumber, isMessageKey, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import type { FlagView, RoundFlags } from './contest.fairness.schema.js';

export type FlagsFilter = 'open' | 'cleared' | 'all';
export type Done = 'scan' | 'clear' | 'disqualify' | 'reinstate';

export interface FlagsPageData {
  roundId: number;
  filter: FlagsFilter;
  list: RoundFlags;
  ranking: { version: number; hash: string } | null;
  done?: Done | undefined;
  error?: { message: MessageKey; params: Record<string, string | number> } | undefined;
}

function Evidence({ ctx, f }: { ctx: PageContext; f: FlagView }) {
  const { t, locale } = ctx;
  return (
    <dl class="evidence">
      {Object.entries(f.evidence).map(([k, v]) => {
        const key = `contestFair.ev.${k}`;
        const shown = Array.isArray(v) ? v.map((id) => `#${id}`).join(', ') : typeof v === 'number' ? formatNumber(v, locale) : String(v);
        return (
          <div key={k}>
            <dt>{isMessageKey(key) ? t(key) : k}</dt>
            <dd>{shown}</dd>
          </div>
        );
      })}
    </dl>
  );
}

function ReasonField({ ctx, id }: { ctx: PageContext; id: string }) {
  const { t } = ctx;
  return (
    <div class="field">
      <label for={id}>
        {t('contestFair.reason')} <span class="field-flag">{t('form.required')}</span>
      </label>
      <p class="hint" id={`${id}-hint`}>
        {t('contestFair.reasonHint')}
      </p>
      <textarea id={id} name="reason" required maxLength={1000} rows={3} aria-describedby={`${id}-hint`} />
    </div>
  );
}

function FlagCard({ ctx, f, out }: { ctx: PageContext; f: FlagView; out: Set<number> }) {
  const { t, locale } = ctx;
  return (
    <article class="card" key={f.id}>
      <h3>{t(`contestFair.kind.${f.kind}`)}</h3>
      <p>
        {f.entryId !== null
          ? t(out.has(f.entryId) ? 'contestFair.entryDisqualified' : 'contestFair.entry', { id: String(f.entryId) })
          : `${t('contestFair.subject')}: ${f.subject}`}
      </p>
      <Evidence ctx={ctx} f={f} />
      <p>
        {t('contestFair.createdAt')}: {formatDateTime(new Date(f.createdAt), locale)} · {t(`contestFair.status.${f.status}`)}
        {f.reviewedAt && (
          <>
            {' · '}
            {t('contestFair.reviewed', { who: f.reviewedBy ?? '', at: formatDateTime(new Date(f.reviewedAt), locale) })}
          </>
        )}
        {f.note && <> · {f.note}</>}
      </p>
      {f.status === 'open' && (
        <form method="post" action={`/admin/contest/flags/${f.id}/clear`}>
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="roundId" value={String(f.roundId)} />
          <div class="field">
            <label for={`note-${f.id}`}>
              {t('contestFair.note')} <span class="field-flag">{t('form.optional')}</span>
            </label>
            <input id={`note-${f.id}`} name="note" type="text" maxLength={1000} />
          </div>
          <button type="submit" class="button button-secondary">
            {t('contestFair.clear')}
          </button>
        </form>
      )}
      {f.entryId !== null && !out.has(f.entryId) && (
        <form method="post" action={`/admin/contest/entries/${f.entryId}/disqualify`}>
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="roundId" value={String(f.roundId)} />
          <ReasonField ctx={ctx} id={`reason-flag-${f.id}`} />
          <button type="submit" class="button">
            {t('contestFair.disqualify')}
          </button>
        </form>
      )}
    </article>
  );
}

/** The city admin's review page of a round: flags with evidence, clear, disqualify, reinstate. */
export function FlagsPage({ ctx, d }: { ctx: PageContext; d: FlagsPageData }) {
  const { t, locale } = ctx;
  const base = `/admin/contest/rounds/${d.roundId}/flags`;
  const out = new Set(d.list.disqualified.map((e) => e.entryId));
  const title = t('contestFair.title', { id: String(d.roundId) });
  return (
    <Layout ctx={ctx} title={title} hasError={!!d.error}>
      <h1>{title}</h1>
      <p class="lead">{t('contestFair.lead')}</p>
      {d.error && (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2>{t('form.errorSummary')}</h2>
          <p>{t(d.error.message, d.error.params)}</p>
        </div>
      )}
      {d.done && (
        <p class="success" role="status">
          {t(`contestFair.done.${d.done}`)}
        </p>
      )}
      {d.ranking && <p class="hash">{t('contestFair.ranking', { version: String(d.ranking.version), hash: d.ranking.hash })}</p>}
      <form method="post" action={`${base}/scan`}>
        <CsrfField token={ctx.csrfToken} />
        <p class="hint">{t('contestFair.scanHint')}</p>
        <button type="submit" class="button button-secondary">
          {t('contestFair.scan')}
        </button>
      </form>
      <nav aria-label={t('contestFair.filter')}>
        <p>
          {t('contestFair.filter')}:{' '}
          {(['open', 'cleared', 'all'] as const).map((f, i) => (
            <span key={f}>
              {i > 0 && ' · '}
              <a href={`${base}?status=${f}`} aria-current={d.filter === f ? 'page' : undefined}>
                {t(`contestFair.filter.${f}`)}
              </a>
            </span>
          ))}
        </p>
      </nav>
      <h2>{t('contestFair.count', { n: formatNumber(d.list.flags.length, locale) })}</h2>
      {d.list.flags.length === 0 ? (
        <p>{t('contestFair.none')}</p>
      ) : (
        d.list.flags.map((f) => <FlagCard key={f.id} ctx={ctx} f={f} out={out} />)
      )}
      <h2>{t('contestFair.disqualifyOther')}</h2>
      <form method="post" action="/admin/contest/entries/disqualify">
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="roundId" value={String(d.roundId)} />
        <div class="field">
          <label for="entryId">
            {t('contestFair.entryNumber')} <span class="field-flag">{t('form.required')}</span>
          </label>
          <input id="entryId" name="entryId" type="text" inputMode="numeric" required maxLength={15} />
        </div>
        <ReasonField ctx={ctx} id="reason-any" />
        <button type="submit" class="button">
          {t('contestFair.disqualify')}
        </button>
      </form>
      <h2>{t('contestFair.disqualified')}</h2>
      {d.list.disqualified.length === 0 ? (
        <p>{t('contestFair.noneDisqualified')}</p>
      ) : (
        d.list.disqualified.map((e) => (
          <article class="card" key={e.entryId}>
            <h3>{t('contestFair.entry', { id: String(e.entryId) })}</h3>
            <dl class="evidence">
              <div>
                <dt>{t('contestFair.col.participant')}</dt>
                <dd>{e.participant}</dd>
              </div>
              <div>
                <dt>{t('contestFair.col.reason')}</dt>
                <dd>{e.reason}</dd>
              </div>
              <div>
                <dt>{t('contestFair.col.by')}</dt>
                <dd>{e.by ?? ''}</dd>
              </div>
              <div>
                <dt>{t('contestFair.col.at')}</dt>
                <dd>{formatDateTime(new Date(e.at), locale)}</dd>
              </div>
            </dl>
            <form method="post" action={`/admin/contest/entries/${e.entryId}/reinstate`}>
              <CsrfField token={ctx.csrfToken} />
              <input type="hidden" name="roundId" value={String(d.roundId)} />
              <ReasonField ctx={ctx} id={`reason-back-${e.entryId}`} />
              <button type="submit" class="button button-secondary">
                {t('contestFair.reinstate')}
              </button>
            </form>
          </article>
        ))
      )}
    </Layout>
  );
}
