import { toCsv } from '../../lib/csv.js';
import type { PaymentService } from './payments.service.js';

type Report = Awaited<ReturnType<PaymentService['reconciliation']>>;

/** UTF-8 with BOM so Excel shows Vietnamese names correctly. */
export function reconciliationCsv(r: Report): string {
  const head = ['receipt_no', 'dossier_code', 'payer', 'method', 'provider', 'txn_ref', 'provider_txn', 'amount_vnd', 'paid_at'];
  return toCsv([
    head,
    ...r.rows.map((x) => [
      x.receipt_no,
      x.code,
      x.applicant_name,
      x.method,
      x.provider,
      x.txn_ref,
      x.provider_txn,
      x.amount,
      x.paid_at?.toISOString(),
    ]),
    ['total_gateway', '', '', '', '', '', '', r.totals.gateway, ''],
    ['total_cash', '', '', '', '', '', '', r.totals.cash, ''],
  ]);
}
