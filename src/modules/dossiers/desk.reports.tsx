import type { FastifyReply } from 'fastify';
import { isRealDate } from '../../lib/dates.js';
import { type FieldErrors } from '../../web/components/form.js';
import { formatDate } from '../../web/i18n/index.js';
import { pageContext, renderHtml } from '../../web/render.js';
import type { App } from '../../web/request-context.js';
import { policies } from '../auth/policy.js';
import { todayInVietnam } from '../units/units.service.js';
import { DESK_ROLES } from './desk.service.js';
import type { DeskLookups } from './desk.pages.js';
import { methodText, PROCEDURE_CODE, queryText, when } from './desk.views.js';
import { registerHead, registerCells, RegisterPage, reconciliationHead, ReconciliationPage } from './desk.reports-views.js';

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
