import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { policies } from '../auth/policy.js';
import type { App } from '../../web/request-context.js';
import { formatVnpDate, hasValidSignature, parseVnpAmount, parseVnpDate, RESPONSE_CODES, signedQuery, VNP_VERSION } from './gateway.js';

/**
 * A pretend bank gateway speaking the VNPay protocol, served by this app under /sandbox/ when the
 * sandbox payment provider is configured (never in production). It checks the merchant's signed
 * request, shows a bank page where the tester picks the outcome, then notifies the merchant the
 * way a real gateway does: IPN server-to-server (GET, signed, retried, sometimes repeated, sometimes
 * late) and a browser redirect to the return URL.
 *
 * The POST route is a cross-site form post in reality (the bank is another site) and carries no
 * CSRF token: the app must exempt it from CSRF protection.
 */

export const SANDBOX_PAY_PATH = '/sandbox/payment-gateway/pay';

/** Retries after the first IPN attempt, on network errors, HTTP errors or an RspCode other than 00/02. */
export const IPN_RETRIES = 3;
export const IPN_RETRY_BACKOFF_MS = 200;
export const IPN_TIMEOUT_MS = 5000;
/** For 'paid_late_ipn': the browser returns first, the IPN follows this much later. */
export const LATE_IPN_DELAY_MS = 1500;
/** After a confirmed 'paid' IPN the same notice is sent once more, as real gateways do. */
export const DUPLICATE_IPN_DELAY_MS = 300;

const OUTCOMES = ['paid', 'cancelled', 'failed', 'paid_late_ipn'] as const;
type Outcome = (typeof OUTCOMES)[number];

const Param = Type.String({ maxLength: 2048 });
/** A repeated parameter is let through here so that the handler rejects it with its own page. */
const QueryParam = Type.Union([Param, Type.Array(Param, { maxItems: 20 })]);
const PayQuery = Type.Object(
  {
    vnp_Version: Type.Optional(QueryParam),
    vnp_Command: Type.Optional(QueryParam),
    vnp_TmnCode: Type.Optional(QueryParam),
    vnp_Amount: Type.Optional(QueryParam),
    vnp_CurrCode: Type.Optional(QueryParam),
    vnp_TxnRef: Type.Optional(QueryParam),
    vnp_OrderInfo: Type.Optional(QueryParam),
    vnp_OrderType: Type.Optional(QueryParam),
    vnp_ReturnUrl: Type.Optional(QueryParam),
    vnp_IpnUrl: Type.Optional(QueryParam),
    vnp_IpAddr: Type.Optional(QueryParam),
    vnp_Locale: Type.Optional(QueryParam),
    vnp_CreateDate: Type.Optional(QueryParam),
    vnp_ExpireDate: Type.Optional(QueryParam),
    vnp_SecureHash: Type.Optional(QueryParam),
  },
  // Whatever else the merchant signs is covered by the signature; the handler checks it all.
  { additionalProperties: QueryParam },
);
const PayBody = Type.Object(
  {
    /** The merchant's signed query string, exactly as the bank page received it. */
    request: Type.String({ minLength: 1, maxLength: 16384 }),
    outcome: Type.Union([Type.Literal('paid'), Type.Literal('cancelled'), Type.Literal('failed'), Type.Literal('paid_late_ipn')]),
  },
  { additionalProperties: false },
);

type RejectCode =
  | 'duplicate_parameter'
  | 'missing_parameter'
  | 'unsupported_version'
  | 'unsupported_command'
  | 'unknown_merchant'
  | 'invalid_signature'
  | 'unsupported_currency'
  | 'invalid_amount'
  | 'invalid_url'
  | 'invalid_date'
  | 'request_expired';

interface PayRequest {
  params: Record<string, string>;
  amount: number;
  locale: 'vi' | 'en';
  returnUrl: string;
  ipnUrl: string;
}

const REQUIRED = [
  'vnp_Version',
  'vnp_Command',
  'vnp_TmnCode',
  'vnp_Amount',
  'vnp_CurrCode',
  'vnp_TxnRef',
  'vnp_OrderInfo',
  'vnp_ReturnUrl',
  'vnp_IpnUrl',
  'vnp_IpAddr',
  'vnp_CreateDate',
  'vnp_SecureHash',
];

function parseQuery(raw: string): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if (Object.hasOwn(params, k)) return null;
    params[k] = v;
  }
  return params;
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password;
  } catch {
    return false;
  }
}

function checkRequest(raw: string, opts: { hashSecret: string; merchantCode: string }, now: Date): PayRequest | { reject: RejectCode } {
  const params = parseQuery(raw);
  if (!params) return { reject: 'duplicate_parameter' };
  if (REQUIRED.some((k) => !params[k])) return { reject: 'missing_parameter' };
  if (params.vnp_Version !== VNP_VERSION) return { reject: 'unsupported_version' };
  if (params.vnp_Command !== 'pay') return { reject: 'unsupported_command' };
  if (params.vnp_TmnCode !== opts.merchantCode) return { reject: 'unknown_merchant' };
  if (!hasValidSignature(params, opts.hashSecret)) return { reject: 'invalid_signature' };
  if (params.vnp_CurrCode !== 'VND') return { reject: 'unsupported_currency' };
  const amount = parseVnpAmount(params.vnp_Amount);
  if (amount === null) return { reject: 'invalid_amount' };
  if (!isHttpUrl(params.vnp_ReturnUrl!) || !isHttpUrl(params.vnp_IpnUrl!)) return { reject: 'invalid_url' };
  if (!parseVnpDate(params.vnp_CreateDate)) return { reject: 'invalid_date' };
  if (params.vnp_ExpireDate !== undefined) {
    const expires = parseVnpDate(params.vnp_ExpireDate);
    if (!expires) return { reject: 'invalid_date' };
    if (expires.getTime() < now.getTime()) return { reject: 'request_expired' };
  }
  return {
    params,
    amount,
    locale: params.vnp_Locale === 'en' ? 'en' : 'vi',
    returnUrl: params.vnp_ReturnUrl!,
    ipnUrl: params.vnp_IpnUrl!,
  };
}

/** The signed parameters the gateway reports back, identical for the IPN and the return URL. */
function callbackQuery(req: PayRequest, outcome: Outcome, hashSecret: string, now: Date): string {
  const paid = outcome === 'paid' || outcome === 'paid_late_ipn';
  const p = req.params;
  const params: Record<string, string> = {
    vnp_TmnCode: p.vnp_TmnCode!,
    vnp_Amount: p.vnp_Amount!,
    vnp_BankCode: paid || outcome === 'failed' ? 'NCB' : 'VNPAY',
    vnp_CardType: 'ATM',
    vnp_OrderInfo: p.vnp_OrderInfo!,
    vnp_PayDate: formatVnpDate(now),
    vnp_ResponseCode: paid
      ? RESPONSE_CODES.success
      : outcome === 'cancelled'
        ? RESPONSE_CODES.customerCancelled
        : RESPONSE_CODES.insufficientFunds,
    vnp_TransactionNo: paid ? String(randomInt(10_000_000, 100_000_000)) : '0',
    vnp_TransactionStatus: paid ? '00' : '02',
    vnp_TxnRef: p.vnp_TxnRef!,
  };
  if (paid) params.vnp_BankTranNo = `VNP${randomInt(10_000_000, 100_000_000)}`;
  return signedQuery(params, hashSecret);
}

function withQuery(url: string, query: string): string {
  const hash = url.indexOf('#');
  const base = hash === -1 ? url : url.slice(0, hash);
  return `${base}${base.includes('?') ? '&' : '?'}${query}`;
}

// ---------------------------------------------------------------------------------------------
// Pages: plain HTML, escaped by hand; no inline script or style (the app's CSP forbids them).

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const TEXT = {
  vi: {
    title: 'Cổng thanh toán thử nghiệm',
    banner: 'Môi trường thử nghiệm: không có tiền thật được chuyển.',
    details: 'Thông tin thanh toán',
    amount: 'Số tiền',
    orderInfo: 'Nội dung thanh toán',
    txnRef: 'Mã giao dịch của đơn vị',
    merchant: 'Mã đơn vị chấp nhận thanh toán',
    choose: 'Chọn kết quả giao dịch cần mô phỏng',
    hint: 'Cổng thanh toán báo kết quả cho đơn vị (IPN) rồi đưa bạn trở lại trang của đơn vị.',
    paid: 'Thanh toán thành công',
    cancelled: 'Hủy thanh toán',
    failed: 'Thanh toán thất bại (tài khoản không đủ số dư)',
    paid_late_ipn: 'Thanh toán thành công, báo kết quả cho đơn vị chậm',
    rejectedTitle: 'Yêu cầu thanh toán bị từ chối',
    rejected: 'Cổng thanh toán đã từ chối yêu cầu này. Vui lòng quay lại trang của đơn vị và thử lại.',
    code: 'Mã lỗi',
  },
  en: {
    title: 'Sandbox payment gateway',
    banner: 'Test environment: no real money is moved.',
    details: 'Payment details',
    amount: 'Amount',
    orderInfo: 'Payment description',
    txnRef: "Merchant's transaction reference",
    merchant: 'Merchant code',
    choose: 'Choose the outcome to simulate',
    hint: 'The gateway notifies the merchant (IPN), then takes you back to the merchant’s site.',
    paid: 'Pay successfully',
    cancelled: 'Cancel the payment',
    failed: 'Payment fails (insufficient funds)',
    paid_late_ipn: 'Pay successfully, notify the merchant late',
    rejectedTitle: 'Payment request rejected',
    rejected: 'The payment gateway rejected this request. Please go back to the merchant’s site and try again.',
    code: 'Error code',
  },
} as const;

function page(locale: 'vi' | 'en', title: string, main: string): string {
  const t = TEXT[locale];
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)} – SANDBOX</title>
</head>
<body>
<header>
<p><strong>SANDBOX – no real money</strong>. ${esc(t.banner)}</p>
</header>
<main>
${main}
</main>
</body>
</html>
`;
}

function payPage(req: PayRequest, rawQuery: string): string {
  const t = TEXT[req.locale];
  const amount = new Intl.NumberFormat(req.locale === 'en' ? 'en' : 'vi-VN', { style: 'currency', currency: 'VND' }).format(req.amount);
  const buttons = OUTCOMES.map((o) => `<p><button type="submit" name="outcome" value="${o}">${esc(t[o])}</button></p>`).join('\n');
  return page(
    req.locale,
    t.title,
    `<h1>${esc(t.title)}</h1>
<section aria-labelledby="details">
<h2 id="details">${esc(t.details)}</h2>
<dl>
<dt>${esc(t.amount)}</dt><dd><strong>${esc(amount)}</strong></dd>
<dt>${esc(t.orderInfo)}</dt><dd>${esc(req.params.vnp_OrderInfo!)}</dd>
<dt>${esc(t.txnRef)}</dt><dd>${esc(req.params.vnp_TxnRef!)}</dd>
<dt>${esc(t.merchant)}</dt><dd>${esc(req.params.vnp_TmnCode!)}</dd>
</dl>
</section>
<form method="post" action="${SANDBOX_PAY_PATH}">
<input type="hidden" name="request" value="${esc(rawQuery)}">
<fieldset>
<legend>${esc(t.choose)}</legend>
<p>${esc(t.hint)}</p>
${buttons}
</fieldset>
</form>`,
  );
}

function rejectedPage(locale: 'vi' | 'en', code: RejectCode): string {
  const t = TEXT[locale];
  return page(
    locale,
    t.rejectedTitle,
    `<h1>${esc(t.rejectedTitle)}</h1>
<p>${esc(t.rejected)}</p>
<p>${esc(t.code)}: <code>${code}</code></p>`,
  );
}

// ---------------------------------------------------------------------------------------------

export async function sandboxBankRoutes(app: App, opts: { hashSecret: string; merchantCode: string; fetchImpl?: typeof fetch }) {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const log = app.log.child({ component: 'sandbox-bank' });
  // Notices still scheduled when the app closes are dropped, as a bank outage would drop them.
  const stop = new AbortController();
  const pending = new Set<Promise<void>>();

  app.addHook('onClose', async () => {
    stop.abort();
    await Promise.allSettled([...pending]);
  });

  function background(delayMs: number, task: () => Promise<unknown>): void {
    const run = (async () => {
      try {
        await sleep(delayMs, undefined, { signal: stop.signal });
        await task();
      } catch (err) {
        if (!stop.signal.aborted) log.error({ err }, 'sandbox bank: background notice failed');
      }
    })();
    pending.add(run);
    void run.finally(() => pending.delete(run));
  }

  /** IPN: GET ipnUrl?params, JSON {RspCode, Message} back; true once the merchant answers 00 or 02. */
  async function sendIpn(ipnUrl: string, query: string, attempts: number): Promise<boolean> {
    const url = withQuery(ipnUrl, query);
    for (let attempt = 1; attempt <= attempts && !stop.signal.aborted; attempt++) {
      if (attempt > 1) await sleep(IPN_RETRY_BACKOFF_MS, undefined, { signal: stop.signal });
      try {
        const res = await fetchImpl(url, {
          method: 'GET',
          headers: { accept: 'application/json' },
          redirect: 'manual',
          signal: AbortSignal.any([stop.signal, AbortSignal.timeout(IPN_TIMEOUT_MS)]),
        });
        const body = (await res.json().catch(() => null)) as { RspCode?: unknown } | null;
        const rsp = typeof body?.RspCode === 'string' ? body.RspCode : null;
        log.info({ attempt, status: res.status, rspCode: rsp }, 'sandbox bank: IPN answered');
        if (res.ok && (rsp === '00' || rsp === '02')) return true;
      } catch (err) {
        if (stop.signal.aborted) return false;
        log.warn({ attempt, err }, 'sandbox bank: IPN not delivered');
      }
    }
    return false;
  }

  function reject(reply: FastifyReply, locale: 'vi' | 'en', code: RejectCode) {
    return reply.status(400).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(rejectedPage(locale, code));
  }

  const localeOf = (raw: string): 'vi' | 'en' => (new URLSearchParams(raw).get('vnp_Locale') === 'en' ? 'en' : 'vi');

  app.get(SANDBOX_PAY_PATH, {
    config: { policy: policies.public },
    schema: { hide: true, querystring: PayQuery },
    handler: async (req, reply) => {
      const q = req.url.indexOf('?');
      const raw = q === -1 ? '' : req.url.slice(q + 1);
      const checked = checkRequest(raw, opts, new Date());
      if ('reject' in checked) {
        log.info({ code: checked.reject }, 'sandbox bank: payment request rejected');
        return reject(reply, localeOf(raw), checked.reject);
      }
      return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(payPage(checked, raw));
    },
  });

  app.post(SANDBOX_PAY_PATH, {
    config: { policy: policies.public },
    schema: { hide: true, body: PayBody },
    handler: async (req, reply) => {
      const raw = req.body.request.replace(/^\?/, '');
      const now = new Date();
      const checked = checkRequest(raw, opts, now);
      if ('reject' in checked) {
        log.info({ code: checked.reject }, 'sandbox bank: payment submission rejected');
        return reject(reply, localeOf(raw), checked.reject);
      }
      const outcome = req.body.outcome;
      const query = callbackQuery(checked, outcome, opts.hashSecret, now);
      const txnRef = checked.params.vnp_TxnRef;
      if (outcome === 'paid_late_ipn') {
        background(LATE_IPN_DELAY_MS, () => sendIpn(checked.ipnUrl, query, 1 + IPN_RETRIES));
      } else {
        const confirmed = await sendIpn(checked.ipnUrl, query, 1 + IPN_RETRIES);
        if (!confirmed) log.warn({ txnRef }, 'sandbox bank: merchant never confirmed the IPN');
        if (confirmed && outcome === 'paid') background(DUPLICATE_IPN_DELAY_MS, () => sendIpn(checked.ipnUrl, query, 1));
      }
      log.info({ txnRef, outcome }, 'sandbox bank: returning the customer to the merchant');
      return reply.redirect(withQuery(checked.returnUrl, query), 303);
    },
  });
}
