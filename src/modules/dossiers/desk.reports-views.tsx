import { STATUS_NAME } from '../../domain/dossier/status.js';
import type { PageContext } from '../../web/context.js';
import { ErrorSummary, SelectField, type FieldErrors } from '../../web/components/form.js';
import { formatCurrency, formatDate, type Locale, type Translate } from '../../web/i18n/index.js';
import { channelText, DateField, DeskLayout, methodText, statusText, UnitChoice, when, type DeskUnit, type Option } from './desk.views.js';

// The views of the desk's reports: the register (form 06) and the day's fee reconciliation.

// ---------------------------------------------------------------- register (form 06)

export interface RegisterRow {
  code: string;
  applicant: string;
  procedure: string;
  submittedAt: Date | null;
  receivedAt: Date | null;
  dueAt: Date | null;
  status: number | null;
  channel: number;
}

export const registerHead = (t: Translate) =>
  [
    t('desk.col.no'),
    t('desk.col.code'),
    t('desk.col.applicant'),
    t('desk.col.procedure'),
    t('desk.col.submitted'),
    t('desk.col.received'),
    t('desk.col.due'),
    t('desk.col.status'),
    t('desk.col.channel'),
  ] as const;

/** One register line as text: the page and the xlsx download show the same cells. */
export const registerCells = (r: RegisterRow, i: number, t: Translate, locale: Locale) => [
  String(i + 1),
  r.code,
  r.applicant,
  r.procedure,
  when(r.submittedAt, locale),
  when(r.receivedAt, locale),
  when(r.dueAt, locale),
  statusText(r.status, locale),
  channelText(t, r.channel),
];

export function RegisterPage(p: {
  ctx: PageContext;
  units: DeskUnit[];
  procedures: Option[];
  filter: { unit: string; from: string; to: string; procedure: string; status: string };
  errors: FieldErrors;
  rows: RegisterRow[] | null;
  xlsxHref: string;
}) {
  const { t, locale } = p.ctx;
  const f = p.filter;
  const unit = p.units.find((u) => u.code === f.unit);
  return (
    <DeskLayout ctx={p.ctx} title={t('desk.register.title')} hasError={Object.keys(p.errors).length > 0}>
      <ErrorSummary t={t} errors={p.errors} order={['from', 'to']} />
      <p class="lead">{t('desk.register.lead')}</p>
      <form method="get" action="/desk/register" class="filters">
        <UnitChoice t={t} units={p.units} value={f.unit} />
        <DateField t={t} name="from" label={t('desk.field.from')} value={f.from} error={p.errors.from} />
        <DateField t={t} name="to" label={t('desk.field.to')} value={f.to} error={p.errors.to} />
        <SelectField
          name="procedure"
          label={t('desk.field.procedure')}
          value={f.procedure}
          emptyLabel={t('desk.filter.all')}
          options={p.procedures}
        />
        <SelectField
          name="status"
          label={t('desk.field.status')}
          value={f.status}
          emptyLabel={t('desk.filter.all')}
          options={Object.keys(STATUS_NAME).map((s) => ({ value: s, label: statusText(Number(s), locale) }))}
        />
        <button type="submit" class="button button-secondary">
          {t('desk.filter.apply')}
        </button>
      </form>
      {p.rows && (
        <>
          <h2 role="status">{t('desk.register.count', { n: p.rows.length })}</h2>
          <p>
            <a href={p.xlsxHref} download>
              {t('desk.register.xlsx')}
            </a>
          </p>
          {p.rows.length === 0 ? (
            <p>{t('desk.register.empty')}</p>
          ) : (
            <table>
              <caption>
                {t('desk.register.caption', { unit: unit?.name ?? f.unit, from: formatDate(f.from, locale), to: formatDate(f.to, locale) })}
              </caption>
              <HeadRow cells={registerHead(t)} />
              <tbody>
                {p.rows.map((r, i) => {
                  const [no, code, ...rest] = registerCells(r, i, t, locale);
                  return (
                    <tr key={r.code}>
                      <td>{no}</td>
                      <th scope="row">{code}</th>
                      {rest.map((c, j) => (
                        <td key={j}>{c}</td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </>
      )}
    </DeskLayout>
  );
}

// ---------------------------------------------------------------- payments reconciliation

export interface ReconciliationRow {
  receiptNo: string | null;
  code: string | null;
  payer: string;
  method: 'gateway' | 'cash';
  txnRef: string;
  amount: number;
  paidAt: Date | null;
}

export const reconciliationHead = (t: Translate) =>
  [
    t('desk.col.receiptNo'),
    t('desk.col.code'),
    t('desk.col.payer'),
    t('desk.col.method'),
    t('desk.col.txnRef'),
    t('desk.col.amount'),
    t('desk.col.paidAt'),
  ] as const;

export function ReconciliationPage(p: {
  ctx: PageContext;
  units: DeskUnit[];
  filter: { unit: string; date: string };
  errors: FieldErrors;
  report: { rows: ReconciliationRow[]; totals: { gateway: number; cash: number; all: number } } | null;
}) {
  const { t, locale } = p.ctx;
  const f = p.filter;
  const q = `unit=${encodeURIComponent(f.unit)}&date=${encodeURIComponent(f.date)}`;
  const money = (n: number) => formatCurrency(n, locale);
  return (
    <DeskLayout ctx={p.ctx} title={t('desk.recon.title')} hasError={Object.keys(p.errors).length > 0}>
      <ErrorSummary t={t} errors={p.errors} />
      <p class="lead">{t('desk.recon.lead')}</p>
      <form method="get" action="/desk/reconciliation" class="filters">
        <UnitChoice t={t} units={p.units} value={f.unit} />
        <DateField t={t} name="date" label={t('desk.field.date')} value={f.date} error={p.errors.date} />
        <button type="submit" class="button button-secondary">
          {t('desk.filter.apply')}
        </button>
      </form>
      {p.report && (
        <>
          <h2 role="status">{t('desk.recon.count', { n: p.report.rows.length, date: formatDate(f.date, locale) })}</h2>
          <ul class="actions">
            <li>
              <a href={`/api/v1/payments/reconciliation?${q}&format=csv`} download>
                {t('desk.recon.csv')}
              </a>
            </li>
            <li>
              <a href={`/desk/reconciliation?${q}&format=xlsx`} download>
                {t('desk.recon.xlsx')}
              </a>
            </li>
          </ul>
          {p.report.rows.length > 0 && (
            <table>
              <caption class="visually-hidden">{t('desk.recon.title')}</caption>
              <HeadRow cells={reconciliationHead(t)} />
              <tbody>
                {p.report.rows.map((r) => (
                  <tr key={r.txnRef}>
                    <th scope="row">{r.receiptNo}</th>
                    <td>{r.code}</td>
                    <td>{r.payer}</td>
                    <td>{methodText(t, r.method)}</td>
                    <td>{r.txnRef}</td>
                    <td>{money(r.amount)}</td>
                    <td>{when(r.paidAt, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>{t('desk.recon.totals')}</h2>
          <dl class="summary-list">
            <dt>{t('desk.method.cash')}</dt>
            <dd>{money(p.report.totals.cash)}</dd>
            <dt>{t('desk.method.gateway')}</dt>
            <dd>{money(p.report.totals.gateway)}</dd>
            <dt>{t('desk.recon.total')}</dt>
            <dd>
              <strong>{money(p.report.totals.all)}</strong>
            </dd>
          </dl>
        </>
      )}
    </DeskLayout>
  );
}

function HeadRow({ cells }: { cells: readonly string[] }) {
  return (
    <thead>
      <tr>
        {cells.map((h) => (
          <th scope="col" key={h}>
            {h}
          </th>
        ))}
      </tr>
    </thead>
  );
}
