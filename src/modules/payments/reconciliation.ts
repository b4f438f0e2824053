import type { PaymentService } from './payments.service.js';

type Report = Awaited<ReturnType<PaymentService['reconciliation']>>;

const cell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  // Quote everything; a leading formula character is neutralised so a spreadsheet never runs it.
  return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replaceAll('"', '""')}"`;
};

/** UTF-8 with BOM so Excel shows Vietnamese names correctly. */
export function reconciliationCsv(r: Report): string {
  const head = ['receipt_no', 'dossier_code', 'payer', 'method', 'provider', 'txn_ref', 'provider_txn', 'amount_vnd', 'paid_at'];
  const lines = r.rows.map((x) =>
    [x.receipt_no, x.code, x.applicant_name, x.method, x.provider, x.txn_ref, x.provider_txn, x.amount, x.paid_at?.toISOString()]
      .map(cell)
      .join(','),
  );
  lines.push(['total_gateway', '', '', '', '', '', '', r.totals.gateway, ''].map(cell).join(','));
  lines.push(['total_cash', '', '', '', '', '', '', r.totals.cash, ''].map(cell).join(','));
  return `\uFEFF${[head.join(','), ...lines].join('\r\n')}\r\n`;
}
