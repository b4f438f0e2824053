import type { VersionContent } from '../../modules/catalogue/catalogue.schema.js';
import type { PageContext } from '../../web/context.js';
import { answerText, type FormFieldView } from '../../web/components/dossier-form.js';
import { formatCurrency, isMessageKey, type MessageKey } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { Fragment } from 'preact';
import type { DocumentRow, DossierRow } from './dossier.repo.js';
import type { Applicant } from './dossier.schema.js';
import { channelText, DeskNav, methodText, pick, statusText, when } from './desk.views.js';
import { Actions } from './desk.actions.js';

export type Done = 'registered' | 'received' | 'supplement' | 'refused' | 'paper' | 'cash' | 'scan';
export type DeskAction = 'paper' | 'receive' | 'supplement' | 'refuse' | 'cash' | 'scan';

export interface CheckData {
  d: DossierRow;
  documents: DocumentRow[];
  events: {
    id: number;
    at: Date;
    action: string;
    from_status: number | null;
    to_status: number | null;
    note: string | null;
    actor_name: string | null;
  }[];
  supplements: {
    round: number;
    requested_at: Date;
    items: unknown;
    note: string | null;
    provided_at: Date | null;
    closed_at: Date | null;
  }[];
  payments: { id: number; receipt_no: string | null; method: 'gateway' | 'cash'; amount: number; status: string; paid_at: Date | null }[];
  paid: number;
  /** Ward code -> name, for the addresses shown. */
  wards: Map<string, string>;
}

export interface CheckPageProps extends CheckData {
  ctx: PageContext;
  done: Done | null;
  failure: { action: DeskAction; message: MessageKey; values: Record<string, string> } | null;
}

export const OTHER = { vi: 'Giấy tờ khác', en: 'Other documents' };

function DoneBanner({ ctx, d, done, payments }: { ctx: PageContext; d: DossierRow; done: Done; payments: CheckData['payments'] }) {
  const { t } = ctx;
  const receipt = [...payments].reverse().find((p) => p.status === 'paid');
  const link =
    done === 'received'
      ? { href: `/dossiers/${d.id}/forms/01.pdf`, text: t('desk.done.form01') }
      : done === 'supplement'
        ? { href: `/dossiers/${d.id}/forms/02.pdf`, text: t('desk.done.form02') }
        : done === 'refused'
          ? { href: `/dossiers/${d.id}/forms/03.pdf`, text: t('desk.done.form03') }
          : done === 'cash' && receipt
            ? { href: `/dossiers/${d.id}/payments/${receipt.id}/receipt.pdf`, text: t('desk.done.receipt') }
            : null;
  return (
    <div class="success" role="status">
      <p>{t(`desk.done.${done}`, { code: d.code ?? '' })}</p>
      {link && (
        <p>
          <a href={link.href}>{link.text}</a>
        </p>
      )}
    </div>
  );
}

function Answers({
  ctx,
  content,
  form,
  wards,
}: {
  ctx: PageContext;
  content: VersionContent;
  form: Record<string, unknown>;
  wards: Map<string, string>;
}) {
  const { t, locale } = ctx;
  const fields = content.form as FormFieldView[];
  if (fields.length === 0) return <p>{t('desk.check.noForm')}</p>;
  return (
    <dl class="summary-list">
      {fields.map((f) => (
        <Fragment key={f.name}>
          <dt>{pick(f.label, locale)}</dt>
          <dd>
            {f.type === 'group' ? (
              Array.isArray(form[f.name]) && (form[f.name] as unknown[]).length > 0 ? (
                <ol>
                  {(form[f.name] as Record<string, unknown>[]).map((row, i) => (
                    <li key={i}>
                      {((f.fields ?? []) as FormFieldView[])
                        .map((sf) => `${pick(sf.label, locale)}: ${answerText(sf, row[sf.name], locale, wards, t)}`)
                        .join('; ')}
                    </li>
                  ))}
                </ol>
              ) : (
                t('desk.check.notAnswered')
              )
            ) : (
              answerText(f, form[f.name], locale, wards, t)
            )}
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

function Documents({ ctx, d, content, documents }: { ctx: PageContext; d: DossierRow; content: VersionContent; documents: DocumentRow[] }) {
  const { t, locale } = ctx;
  const items = content.documents.map((doc, i) => ({ i, name: pick(doc.name, locale), required: doc.required !== false }));
  if (documents.some((x) => x.item === -1)) items.push({ i: -1, name: pick(OTHER, locale), required: false });
  return (
    <table>
      <caption class="visually-hidden">{t('desk.check.documents')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('desk.col.document')}</th>
          <th scope="col">{t('desk.col.required')}</th>
          <th scope="col">{t('desk.col.provided')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((it) => {
          const mine = documents.filter((x) => x.item === it.i);
          return (
            <tr key={it.i}>
              <th scope="row">{it.name}</th>
              <td>{it.required ? t('desk.check.yes') : t('desk.check.no')}</td>
              <td>
                {mine.length === 0 ? (
                  <strong>{t('desk.doc.missing')}</strong>
                ) : (
                  <ul>
                    {mine.map((x) => (
                      <li key={x.id}>
                        {x.file_sha256 ? (
                          <a href={`/dossiers/${d.id}/documents/${x.id}`}>{x.file_name ?? t('desk.doc.file')}</a>
                        ) : (
                          t('desk.doc.paper')
                        )}
                        {x.round > 0 && ` (${t('desk.doc.round', { n: x.round })})`}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Supplements({ ctx, content, supplements }: { ctx: PageContext; content: VersionContent; supplements: CheckData['supplements'] }) {
  const { t, locale } = ctx;
  return (
    <table>
      <caption class="visually-hidden">{t('desk.check.supplements')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('desk.col.round')}</th>
          <th scope="col">{t('desk.col.requested')}</th>
          <th scope="col">{t('desk.col.items')}</th>
          <th scope="col">{t('desk.col.providedAt')}</th>
          <th scope="col">{t('desk.col.closedAt')}</th>
        </tr>
      </thead>
      <tbody>
        {supplements.map((s) => (
          <tr key={s.round}>
            <th scope="row">{s.round}</th>
            <td>{when(s.requested_at, locale)}</td>
            <td>
              <ul>
                {((s.items as { item: number; reason: string }[]) ?? []).map((x, i) => (
                  <li key={i}>
                    {x.item === -1
                      ? pick(OTHER, locale)
                      : content.documents[x.item]
                        ? pick(content.documents[x.item]!.name, locale)
                        : x.item}
                    : {x.reason}
                  </li>
                ))}
              </ul>
              {s.note && <p>{s.note}</p>}
            </td>
            <td>{s.provided_at ? when(s.provided_at, locale) : t('desk.check.notYet')}</td>
            <td>{s.closed_at ? when(s.closed_at, locale) : t('desk.check.open')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Fee({ ctx, d, paid, payments }: { ctx: PageContext; d: DossierRow; paid: number; payments: CheckData['payments'] }) {
  const { t, locale } = ctx;
  const money = (n: number) => formatCurrency(n, locale);
  const outstanding = d.fee_amount === null ? 0 : Math.max(0, d.fee_amount - paid);
  return (
    <>
      <dl class="summary-list">
        <dt>{t('desk.fee.amount')}</dt>
        <dd>{d.fee_amount === null ? t('desk.fee.unknown') : money(d.fee_amount)}</dd>
        <dt>{t('desk.fee.paid')}</dt>
        <dd>{money(paid)}</dd>
        <dt>{t('desk.fee.outstanding')}</dt>
        <dd>{money(outstanding)}</dd>
      </dl>
      {payments.length > 0 && (
        <table>
          <caption>{t('desk.fee.payments')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('desk.col.receiptNo')}</th>
              <th scope="col">{t('desk.col.method')}</th>
              <th scope="col">{t('desk.col.amount')}</th>
              <th scope="col">{t('desk.col.status')}</th>
              <th scope="col">{t('desk.col.paidAt')}</th>
            </tr>
          </thead>
          <tbody>
            {payments.map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  {p.status === 'paid' && p.receipt_no ? (
                    <a href={`/dossiers/${d.id}/payments/${p.id}/receipt.pdf`}>{p.receipt_no}</a>
                  ) : (
                    '—'
                  )}
                </th>
                <td>{methodText(t, p.method)}</td>
                <td>{money(p.amount)}</td>
                <td>{isMessageKey(`desk.payment.${p.status}`) ? t(`desk.payment.${p.status}` as MessageKey) : p.status}</td>
                <td>{when(p.paid_at, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function Events({ ctx, events }: { ctx: PageContext; events: CheckData['events'] }) {
  const { t, locale } = ctx;
  return (
    <table>
      <caption class="visually-hidden">{t('desk.check.history')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('desk.col.time')}</th>
          <th scope="col">{t('desk.col.event')}</th>
          <th scope="col">{t('desk.col.status')}</th>
          <th scope="col">{t('desk.col.by')}</th>
          <th scope="col">{t('desk.col.note')}</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => {
          const key = `desk.event.${e.action}`;
          return (
            <tr key={e.id}>
              <th scope="row">{when(e.at, locale)}</th>
              <td>{isMessageKey(key) ? t(key) : e.action}</td>
              <td>{e.to_status !== e.from_status ? statusText(e.to_status, locale) : ''}</td>
              <td>{e.actor_name ?? ''}</td>
              <td>{e.note ?? ''}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function CheckPage(p: CheckPageProps) {
  const { ctx, d } = p;
  const { t, locale } = ctx;
  const content = d.content as VersionContent;
  const a = d.applicant as Applicant;
  const title = t('desk.check.title', { code: d.code ?? '' });
  const address = a.address
    ? [a.address.street, a.address.ward ? (p.wards.get(a.address.ward) ?? a.address.ward) : ''].filter(Boolean).join(', ')
    : '';
  return (
    <Layout ctx={ctx} title={title} hasError={!!p.failure}>
      <DeskNav t={t} />
      <h1>{title}</h1>
      {p.done && <DoneBanner ctx={ctx} d={d} done={p.done} payments={p.payments} />}
      {p.failure && (
        <div class="error-summary" role="alert" tabIndex={-1}>
          <h2>{t('form.errorSummary')}</h2>
          <p>
            <a href={`#action-${p.failure.action}`}>{t(p.failure.message)}</a>
          </p>
        </div>
      )}
      <dl class="summary-list">
        <dt>{t('desk.col.status')}</dt>
        <dd>{statusText(d.status, locale)}</dd>
        <dt>{t('desk.col.procedure')}</dt>
        <dd>
          {d.procedure_code} – {locale === 'en' ? d.procedure_en : d.procedure_vi}
        </dd>
        <dt>{t('desk.field.unit')}</dt>
        <dd>{locale === 'en' ? d.unit_en : d.unit_vi}</dd>
        <dt>{t('desk.col.channel')}</dt>
        <dd>{channelText(t, d.channel)}</dd>
        <dt>{t('desk.col.submitted')}</dt>
        <dd>{when(d.submitted_at, locale)}</dd>
        {d.received_at && (
          <>
            <dt>{t('desk.col.received')}</dt>
            <dd>{when(d.received_at, locale)}</dd>
          </>
        )}
        {d.due_at && (
          <>
            <dt>{t('desk.col.due')}</dt>
            <dd>{when(d.due_at, locale)}</dd>
          </>
        )}
      </dl>
      <h2>{t('desk.check.applicant')}</h2>
      <dl class="summary-list">
        <dt>{t('desk.applicant.name')}</dt>
        <dd>{a.name}</dd>
        <dt>{t('desk.applicant.citizenId')}</dt>
        <dd>{a.citizenId ?? '—'}</dd>
        <dt>{t('desk.applicant.phone')}</dt>
        <dd>{a.phone ?? '—'}</dd>
        <dt>{t('desk.applicant.email')}</dt>
        <dd>{a.email ?? '—'}</dd>
        <dt>{t('desk.applicant.address')}</dt>
        <dd>{address || '—'}</dd>
      </dl>
      <h2>{t('desk.check.answers')}</h2>
      <Answers ctx={ctx} content={content} form={(d.form_data ?? {}) as Record<string, unknown>} wards={p.wards} />
      <h2>{t('desk.check.documents')}</h2>
      <Documents ctx={ctx} d={d} content={content} documents={p.documents} />
      {p.supplements.length > 0 && (
        <>
          <h2>{t('desk.check.supplements')}</h2>
          <Supplements ctx={ctx} content={content} supplements={p.supplements} />
        </>
      )}
      <h2>{t('desk.check.fee')}</h2>
      <Fee ctx={ctx} d={d} paid={p.paid} payments={p.payments} />
      <Actions {...p} />
      <h2>{t('desk.check.history')}</h2>
      <Events ctx={ctx} events={p.events} />
    </Layout>
  );
}
