import type { FastifyReply } from 'fastify';
import { STATUS_NAME } from '../../domain/dossier/status.js';
import { isRealDate } from '../../lib/dates.js';
import type { PageContext } from '../../web/context.js';
import { ErrorSummary, SelectField, type FieldErrors } from '../../web/components/form.js';
import { formatCurrency, formatDate, type Locale, type Translate } from '../../web/i18n/index.js';
import { pageContext, renderHtml } from '../../web/render.js';
import type { App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { todayInVietnam } from '../units/units.service.js';
import { DESK_ROLES } from './desk.service.js';
import type { DeskLookups } from './desk.pages.js';
import {
  channelText,
  DateField,
  DeskLayout,
  methodText,
  PROCEDURE_CODE,
  queryText,
  statusText,
  UnitChoice,
  when,
  type DeskUnit,
  type Option,
} from './desk.views.js';

// The desk's reports: the register of dossiers (form 06) and the day's fee reconciliation, as pages and xlsx.

const MAX_REGISTER_DAYS = 366;

function lastDayOfMonth(day: string): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

// exceljs is large; it loads on the first download, not at every start-up.
async function workbook(sheet: string, title: string, head: readonly string[], rows: (string | number)[][]): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'motcua';
  const ws = wb.addWorksheet(sheet.slice(0, 31));
  ws.addRow([title]).font = { bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, head.length);
  ws.addRow([...head]).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  ws.columns.forEach((c, i) => (c.width = i === 0 ? 8 : 24));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function sendXlsx(reply: FastifyReply, name: string, data: Buffer) {
  return reply
    .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'no-store')
    .send(data);
}

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
              <thead>
                <tr>
                  {registerHead(t).map((h) => (
                    <th scope="col" key={h}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
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
              <thead>
                <tr>
                  {reconciliationHead(t).map((h) => (
                    <th scope="col" key={h}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
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

export function deskReportRoutes(app: App, lookups: DeskLookups) {
  const { desk, payments } = app.services;
  const opts = { config: { policy: policies.official(...DESK_ROLES) }, schema: { hide: true } };
  const { deskUnits, offered, chosenUnit } = lookups;

  // ------------------------------------------------------------ register (form 06)

  app.get('/desk/register', opts, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const { t, locale } = ctx;
    const units = await deskUnits(req.actor!, locale);
    const unit = chosenUnit(units, queryText(req.query, 'unit'));
    const today = todayInVietnam();
    const from = queryText(req.query, 'from', 10) || `${today.slice(0, 8)}01`;
    const to = queryText(req.query, 'to', 10) || lastDayOfMonth(today);
    const procedure = PROCEDURE_CODE.test(queryText(req.query, 'procedure')) ? queryText(req.query, 'procedure') : '';
    const statusRaw = queryText(req.query, 'status', 2);
    const status = /^([1-9]|10)$/.test(statusRaw) ? Number(statusRaw) : undefined;
    const errors: FieldErrors = {};
    if (!isRealDate(from)) errors.from = 'err.invalid_date';
    if (!isRealDate(to)) errors.to = 'err.invalid_date';
    else if (!errors.from && to < from) errors.to = 'desk.err.toBeforeFrom';
    else if (!errors.from && (Date.parse(to) - Date.parse(from)) / 86_400_000 >= MAX_REGISTER_DAYS) errors.to = 'desk.err.rangeTooLong';
    const filter = { unit: unit.code, from, to, procedure, status: status ? String(status) : '' };
    const procedures = await offered([unit], locale);
    if (Object.keys(errors).length > 0) {
      return renderHtml(
        reply.status(400),
        <RegisterPage ctx={ctx} units={units} procedures={procedures} filter={filter} errors={errors} rows={null} xlsxHref="" />,
      );
    }
    const found = await desk.register(req.actor!, { unitCode: unit.code, from, to, procedure: procedure || undefined, status });
    const rows = found.map((d) => ({
      code: d.code ?? '',
      applicant: d.applicant_name,
      procedure: `${d.procedure_code} – ${locale === 'en' ? d.procedure_en : d.procedure_vi}`,
      submittedAt: d.submitted_at,
      receivedAt: d.received_at,
      dueAt: d.due_at,
      status: d.status,
      channel: d.channel,
    }));
    const params = new URLSearchParams({
      unit: unit.code,
      from,
      to,
      ...(procedure ? { procedure } : {}),
      ...(status ? { status: String(status) } : {}),
    });
    if (queryText(req.query, 'format') === 'xlsx') {
      const title = t('desk.register.xlsxTitle', { unit: unit.name, from: formatDate(from, locale), to: formatDate(to, locale) });
      const data = await workbook(
        t('desk.register.sheet'),
        title,
        registerHead(t),
        rows.map((r, i) => registerCells(r, i, t, locale)),
      );
      return sendXlsx(reply, `register-${unit.code}-${from}-${to}.xlsx`, data);
    }
    return renderHtml(
      reply,
      <RegisterPage
        ctx={ctx}
        units={units}
        procedures={procedures}
        filter={filter}
        errors={{}}
        rows={rows}
        xlsxHref={`/desk/register?${params.toString()}&format=xlsx`}
      />,
    );
  });

  // ------------------------------------------------------------ payments reconciliation

  app.get('/desk/reconciliation', opts, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const { t, locale } = ctx;
    const units = await deskUnits(req.actor!, locale);
    const unit = chosenUnit(units, queryText(req.query, 'unit'));
    const date = queryText(req.query, 'date', 10) || todayInVietnam();
    const filter = { unit: unit.code, date };
    if (!isRealDate(date)) {
      return renderHtml(
        reply.status(400),
        <ReconciliationPage ctx={ctx} units={units} filter={filter} errors={{ date: 'err.invalid_date' }} report={null} />,
      );
    }
    const r = await payments.reconciliation(req.actor!, unit.code, date);
    const report = {
      rows: r.rows.map((x) => ({
        receiptNo: x.receipt_no,
        code: x.code,
        payer: x.applicant_name,
        method: x.method,
        txnRef: x.txn_ref,
        amount: x.amount,
        paidAt: x.paid_at,
      })),
      totals: r.totals,
    };
    if (queryText(req.query, 'format') === 'xlsx') {
      const rows: (string | number)[][] = report.rows.map((x) => [
        x.receiptNo ?? '',
        x.code ?? '',
        x.payer,
        methodText(t, x.method),
        x.txnRef,
        x.amount,
        when(x.paidAt, locale),
      ]);
      rows.push(
        ['', '', '', t('desk.method.cash'), '', r.totals.cash, ''],
        ['', '', '', t('desk.method.gateway'), '', r.totals.gateway, ''],
        ['', '', '', t('desk.recon.total'), '', r.totals.all, ''],
      );
      const title = t('desk.recon.xlsxTitle', { unit: unit.name, date: formatDate(date, locale) });
      return sendXlsx(
        reply,
        `reconciliation-${unit.code}-${date}.xlsx`,
        await workbook(t('desk.recon.sheet'), title, reconciliationHead(t), rows),
      );
    }
    return renderHtml(reply, <ReconciliationPage ctx={ctx} units={units} filter={filter} errors={{}} report={report} />);
  });
}
