import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../web/context.js';
import { CsrfField, SubmitButton } from '../../web/components/form.js';
import { formatCurrency, formatDateTime, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import type { VersionContent } from '../catalogue/catalogue.schema.js';
import type { DossierView } from './dossier.schema.js';

type Named = { vi: string; en: string };
const pick = (n: Named, locale: 'vi' | 'en') => (locale === 'en' && n.en ? n.en : n.vi);
const when = (iso: string | null, locale: 'vi' | 'en') => (iso ? formatDateTime(new Date(iso), locale) : '');

export function ConfirmationPage({ ctx, d, canPayOnline }: { ctx: PageContext; d: DossierView; canPayOnline: boolean }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('dossier.done.title')}>
      <div class="result-panel">
        <h1>{t('dossier.done.title')}</h1>
        <p>{t('dossier.done.code')}</p>
        <p class="big-result big-code">
          <strong>{d.code}</strong>
        </p>
      </div>
      <h2>{t('dossier.done.next')}</h2>
      <ol>
        <li>{t('dossier.done.step1', { unit: pick(d.unit.name, locale) })}</li>
        <li>{t('dossier.done.step2')}</li>
        <li>{d.expectedDueAt ? t('dossier.done.step3', { date: when(d.expectedDueAt, locale) }) : t('dossier.check.noLimit')}</li>
      </ol>
      {canPayOnline && (
        <form method="post" action={`/dossiers/${d.id}/pay`}>
          <CsrfField token={ctx.csrfToken} />
          <p>{t('dossier.pay.lead', { amount: formatCurrency(d.fee.outstanding, locale) })}</p>
          <SubmitButton>{t('dossier.pay.button')}</SubmitButton>
        </form>
      )}
      <p>{t('dossier.done.keep')}</p>
      <p>
        <a href={`/dossiers/${d.id}`}>{t('dossier.done.follow')}</a> · <a href="/my/dossiers">{t('site.nav.myDossiers')}</a>
      </p>
    </Layout>
  );
}

export interface Supplement {
  round: number;
  items: { item: number; reason: string }[];
  note: string | null;
  provided_at: Date | null;
  closed_at: Date | null;
}

export function StatusPage(p: {
  ctx: PageContext;
  d: DossierView;
  content: VersionContent;
  supplements: Supplement[];
  payments: { id: number; amount: number; status: string; method: string; receipt_no: string | null }[];
  canPayOnline: boolean;
  notice: MessageKey | null;
  /** What processing adds: the result to download, the apology, the withdrawal form. */
  extra?: ComponentChildren;
}) {
  const { t, locale } = p.ctx;
  const { d } = p;
  const open = p.supplements.find((s) => s.closed_at === null);
  const title = d.code ?? t('dossier.status.draft');
  const docName = (i: number) => (i === -1 ? t('dossier.docs.other') : pick(p.content.documents[i]?.name ?? { vi: '?', en: '?' }, locale));
  return (
    <Layout ctx={p.ctx} title={title}>
      <p class="meta">{pick(d.procedure.name, locale)}</p>
      <h1>{d.code ? t('dossier.status.title', { code: d.code }) : t('dossier.status.draft')}</h1>
      {p.notice && (
        <p class="success" role="status">
          {t(p.notice)}
        </p>
      )}
      <dl class="summary-list">
        <div class="summary-row">
          <dt>{t('dossier.status.status')}</dt>
          <dd>
            <strong>{d.statusName ? pick(d.statusName, locale) : t('dossier.status.draft')}</strong>
          </dd>
        </div>
        <div class="summary-row">
          <dt>{t('dossier.status.unit')}</dt>
          <dd>{pick(d.unit.name, locale)}</dd>
        </div>
        <div class="summary-row">
          <dt>{t('dossier.applicant.name')}</dt>
          <dd>{d.applicant.name}</dd>
        </div>
        {d.submittedAt && (
          <div class="summary-row">
            <dt>{t('dossier.status.submitted')}</dt>
            <dd>{when(d.submittedAt, locale)}</dd>
          </div>
        )}
        {d.receivedAt && (
          <div class="summary-row">
            <dt>{t('dossier.status.received')}</dt>
            <dd>{when(d.receivedAt, locale)}</dd>
          </div>
        )}
        <div class="summary-row">
          <dt>{t('dossier.status.due')}</dt>
          <dd>
            {d.dueAt
              ? when(d.dueAt, locale)
              : d.expectedDueAt
                ? t('dossier.status.expected', { date: when(d.expectedDueAt, locale) })
                : '—'}
          </dd>
        </div>
        {d.fee.amount !== null && d.fee.amount > 0 && (
          <div class="summary-row">
            <dt>{t('dossier.status.fee')}</dt>
            <dd>
              {formatCurrency(d.fee.amount, locale)} (
              {d.fee.outstanding > 0
                ? t('dossier.status.unpaid', { amount: formatCurrency(d.fee.outstanding, locale) })
                : t('dossier.status.paid')}
              )
            </dd>
          </div>
        )}
      </dl>
      {p.extra}
      {d.status === null && (
        <p>
          <a class="button" href={`/dossiers/${d.id}/edit`}>
            {t('dossier.status.continueDraft')}
          </a>
        </p>
      )}
      {open && (
        <section class="result-panel" aria-labelledby="supplement-title">
          <h2 id="supplement-title">{t('dossier.supplement.title')}</h2>
          <p>{t('dossier.supplement.lead')}</p>
          <ul>
            {open.items.map((x, i) => (
              <li key={i}>
                <strong>{docName(x.item)}</strong>: {x.reason}
              </li>
            ))}
          </ul>
          {open.note && <p>{open.note}</p>}
          {open.provided_at ? (
            <p role="status">{t('dossier.supplement.provided')}</p>
          ) : (
            <p>
              <a class="button" href={`/dossiers/${d.id}/supplement`}>
                {t('dossier.supplement.upload')}
              </a>
            </p>
          )}
          <p>
            <a href={`/dossiers/${d.id}/forms/02.pdf`}>{t('dossier.forms.02')}</a>
          </p>
        </section>
      )}
      {p.canPayOnline && (
        <form method="post" action={`/dossiers/${d.id}/pay`}>
          <CsrfField token={p.ctx.csrfToken} />
          <p>{t('dossier.pay.lead', { amount: formatCurrency(d.fee.outstanding, locale) })}</p>
          <SubmitButton>{t('dossier.pay.button')}</SubmitButton>
        </form>
      )}
      <h2>{t('dossier.status.papers')}</h2>
      <ul>
        {d.documents.map((x) => (
          <li key={`doc-${x.id}`}>
            {docName(x.item)}: {x.paper ? t('dossier.docs.paper') : <a href={`/dossiers/${d.id}/documents/${x.id}`}>{x.name}</a>}
          </li>
        ))}
        {d.receivedAt && (
          <li>
            <a href={`/dossiers/${d.id}/forms/01.pdf`}>{t('dossier.forms.01')}</a>
          </li>
        )}
        {d.status === 3 && (
          <li>
            <a href={`/dossiers/${d.id}/forms/03.pdf`}>{t('dossier.forms.03')}</a>
          </li>
        )}
        {p.payments
          .filter((x) => x.status === 'paid')
          .map((x) => (
            <li key={x.id}>
              <a href={`/dossiers/${d.id}/payments/${x.id}/receipt.pdf`}>{t('dossier.forms.receipt', { no: x.receipt_no ?? '' })}</a>
            </li>
          ))}
      </ul>
      <h2>{t('dossier.status.history')}</h2>
      <ol class="timeline">
        {d.events.map((e, i) => (
          <li key={i}>
            <span class="when">{when(e.at, locale)}</span> {t(`dossier.event.${e.action}` as MessageKey)}
            {e.note && <span>: {e.note}</span>}
          </li>
        ))}
      </ol>
    </Layout>
  );
}

export function MyDossiersPage(p: {
  ctx: PageContext;
  rows: {
    id: number;
    code: string | null;
    status: number | null;
    procedure: Named;
    unit: Named;
    updatedAt: Date;
    statusName: Named | null;
  }[];
  claimError: MessageKey | null;
  claimValue: string;
}) {
  const { t, locale } = p.ctx;
  return (
    <Layout ctx={p.ctx} title={t('site.nav.myDossiers')} hasError={!!p.claimError}>
      <h1>{t('site.nav.myDossiers')}</h1>
      {p.rows.length === 0 ? (
        <p>{t('dossier.mine.empty')}</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">{t('site.nav.myDossiers')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dossier.mine.code')}</th>
              <th scope="col">{t('dossier.mine.procedure')}</th>
              <th scope="col">{t('dossier.status.status')}</th>
              <th scope="col">{t('dossier.mine.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <a href={`/dossiers/${r.id}`}>{r.code ?? t('dossier.status.draft')}</a>
                </td>
                <td>{pick(r.procedure, locale)}</td>
                <td>{r.statusName ? pick(r.statusName, locale) : t('dossier.status.draft')}</td>
                <td>{formatDateTime(r.updatedAt, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="claim">{t('dossier.claim.title')}</h2>
      <p>{t('dossier.claim.lead')}</p>
      <form method="post" action="/my/dossiers/claim">
        <CsrfField token={p.ctx.csrfToken} />
        <div class={`field${p.claimError ? ' field-error' : ''}`}>
          <label for="code">{t('dossier.claim.code')}</label>
          {p.claimError && <p class="error-message">{t(p.claimError)}</p>}
          <input id="code" name="code" value={p.claimValue} maxLength={40} aria-invalid={p.claimError ? 'true' : undefined} />
        </div>
        <SubmitButton>{t('dossier.claim.button')}</SubmitButton>
      </form>
    </Layout>
  );
}

export function InboxPage(p: {
  ctx: PageContext;
  items: { id: number; dossierId: number | null; subject: string; body: string; createdAt: Date; readAt: Date | null }[];
}) {
  const { t, locale } = p.ctx;
  return (
    <Layout ctx={p.ctx} title={t('site.nav.inbox')}>
      <h1>{t('site.nav.inbox')}</h1>
      {p.items.length === 0 && <p>{t('dossier.inbox.empty')}</p>}
      {p.items.map((m) => (
        <article class={`message${m.readAt ? '' : ' unread'}`} key={m.id} aria-labelledby={`m-${m.id}`}>
          <h2 id={`m-${m.id}`}>
            {m.readAt ? '' : <span class="badge">{t('dossier.inbox.new')}</span>} {m.subject}
          </h2>
          <p class="when">{formatDateTime(m.createdAt, locale)}</p>
          <p class="message-body">{m.body}</p>
          {m.dossierId && <a href={`/dossiers/${m.dossierId}`}>{t('dossier.inbox.open')}</a>}
          {!m.readAt && (
            <form method="post" action={`/inbox/${m.id}/read`} class="inline-form">
              <CsrfField token={p.ctx.csrfToken} />
              <button type="submit" class="link-button">
                {t('dossier.inbox.markRead')}
              </button>
            </form>
          )}
        </article>
      ))}
    </Layout>
  );
}

export function PaymentResultPage({
  ctx,
  outcome,
  dossierId,
}: {
  ctx: PageContext;
  outcome: 'paid' | 'failed' | 'cancelled' | 'pending' | 'invalid';
  dossierId: number | null;
}) {
  const { t } = ctx;
  const key = `dossier.pay.result.${outcome}` as MessageKey;
  return (
    <Layout ctx={ctx} title={t(key)} hasError={outcome === 'invalid'}>
      <h1>{t(key)}</h1>
      {dossierId && (
        <p>
          <a href={`/dossiers/${dossierId}`}>{t('dossier.pay.back')}</a>
        </p>
      )}
    </Layout>
  );
}
