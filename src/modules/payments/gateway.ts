import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Online fee payment through a bank gateway speaking the VNPay 2.1.0 protocol: the citizen's browser
 * is sent to the gateway with signed query parameters; the gateway reports the outcome twice, to the
 * browser (redirect to the return URL) and server-to-server (the IPN, a GET with the same signed
 * parameters). Only the IPN is authoritative; the return page only shows what is known.
 *
 * Pure protocol code: no HTTP server, no database.
 */

export interface PaymentRequest {
  txnRef: string;
  /** VND, a positive integer (the wire format carries it multiplied by 100). */
  amount: number;
  orderInfo: string;
  returnUrl: string;
  ipnUrl: string;
  locale: 'vi' | 'en';
  clientIp: string;
  createdAt: Date;
}

export interface GatewayNotice {
  /** False when the signature is missing or wrong, the merchant code is not ours or a field is malformed. */
  valid: boolean;
  txnRef: string;
  /** VND. */
  amount: number;
  responseCode: string;
  providerTxn: string | null;
  paidAt: Date | null;
  outcome: 'paid' | 'cancelled' | 'failed';
}

export interface PaymentGateway {
  readonly name: string;
  paymentUrl(req: PaymentRequest): string;
  /** Reads the parameters of a return or IPN call; never throws on bad input. */
  verify(params: Record<string, string>): GatewayNotice;
}

export const VNP_VERSION = '2.1.0';
/** Minutes a payment URL stays usable (vnp_ExpireDate). */
export const PAYMENT_URL_TTL_MINUTES = 15;

export const RESPONSE_CODES = {
  success: '00',
  customerCancelled: '24',
  insufficientFunds: '51',
  otherError: '99',
} as const;

/**
 * What the merchant's IPN endpoint answers (JSON). The gateway stops repeating a notice once it
 * gets '00' or '02'; anything else (or no answer) makes it try again.
 */
export const IPN_RESPONSES = {
  ok: { RspCode: '00', Message: 'Confirm Success' },
  orderNotFound: { RspCode: '01', Message: 'Order not found' },
  alreadyConfirmed: { RspCode: '02', Message: 'Order already confirmed' },
  invalidAmount: { RspCode: '04', Message: 'Invalid amount' },
  invalidSignature: { RspCode: '97', Message: 'Invalid signature' },
  unknown: { RspCode: '99', Message: 'Unknown error' },
} as const;

export type IpnResponse = (typeof IPN_RESPONSES)[keyof typeof IPN_RESPONSES];

const HASH_FIELDS = new Set(['vnp_SecureHash', 'vnp_SecureHashType']);

/** VNPay's encoding of keys and values in the signed data: encodeURIComponent, spaces as '+'. */
export function vnpEncode(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, '+');
}

/** The signed data: every parameter but the hash fields, sorted by key, `key=value` joined by '&'. */
export function signedData(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => !HASH_FIELDS.has(k))
    .sort()
    .map((k) => `${vnpEncode(k)}=${vnpEncode(params[k]!)}`)
    .join('&');
}

/** HMAC-SHA512 (hex) of the signed data. */
export function signParams(params: Record<string, string>, secret: string): string {
  return createHmac('sha512', secret).update(signedData(params), 'utf8').digest('hex');
}

/** A query string carrying the parameters and their signature (vnp_SecureHash last, as VNPay does). */
export function signedQuery(params: Record<string, string>, secret: string): string {
  return `${signedData(params)}&vnp_SecureHash=${signParams(params, secret)}`;
}

const HEX_SHA512 = /^[0-9a-fA-F]{128}$/;

/** Constant-time check of vnp_SecureHash; false (never an exception) on any malformed input. */
export function hasValidSignature(params: Record<string, string>, secret: string): boolean {
  try {
    const given = params.vnp_SecureHash;
    if (typeof given !== 'string' || !HEX_SHA512.test(given)) return false;
    const expected = Buffer.from(signParams(params, secret), 'hex');
    const actual = Buffer.from(given, 'hex');
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  } catch {
    return false;
  }
}

const VN_OFFSET_MS = 7 * 3600_000;

/** yyyyMMddHHmmss in Vietnam time (UTC+7, no daylight saving). */
export function formatVnpDate(date: Date): string {
  const d = new Date(date.getTime() + VN_OFFSET_MS);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** The inverse of formatVnpDate; null when the text is not a real date. */
export function parseVnpDate(text: string | undefined): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text ?? '');
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return new Date(utc - VN_OFFSET_MS);
}

/** VND from the wire amount (x100); null unless it is a positive whole number of dong. */
export function parseVnpAmount(text: string | undefined): number | null {
  if (!text || !/^[1-9]\d{0,17}$/.test(text)) return null;
  const hundredths = Number(text);
  if (!Number.isSafeInteger(hundredths) || hundredths % 100 !== 0) return null;
  return hundredths / 100;
}

interface VnpayOptions {
  name: string;
  payUrl: string;
  merchantCode: string;
  hashSecret: string;
  /** Real VNPay takes the IPN URL from the merchant portal; only the sandbox reads it from the request. */
  sendIpnUrl: boolean;
}

function vnpayGateway(opts: VnpayOptions): PaymentGateway {
  return {
    name: opts.name,

    paymentUrl(req) {
      if (!Number.isSafeInteger(req.amount) || req.amount <= 0 || !Number.isSafeInteger(req.amount * 100)) {
        throw new RangeError(`payment amount must be a positive whole number of VND, got ${req.amount}`);
      }
      if (!req.txnRef) throw new RangeError('payment txnRef is empty');
      const params: Record<string, string> = {
        vnp_Version: VNP_VERSION,
        vnp_Command: 'pay',
        vnp_TmnCode: opts.merchantCode,
        vnp_Amount: String(req.amount * 100),
        vnp_CurrCode: 'VND',
        vnp_TxnRef: req.txnRef,
        vnp_OrderInfo: req.orderInfo,
        vnp_OrderType: 'other',
        vnp_ReturnUrl: req.returnUrl,
        vnp_IpAddr: req.clientIp,
        vnp_Locale: req.locale === 'en' ? 'en' : 'vn',
        vnp_CreateDate: formatVnpDate(req.createdAt),
        vnp_ExpireDate: formatVnpDate(new Date(req.createdAt.getTime() + PAYMENT_URL_TTL_MINUTES * 60_000)),
      };
      if (opts.sendIpnUrl) params.vnp_IpnUrl = req.ipnUrl;
      return `${opts.payUrl}?${signedQuery(params, opts.hashSecret)}`;
    },

    verify(params) {
      const p = params ?? {};
      const str = (k: string) => (typeof p[k] === 'string' ? p[k] : '');
      const responseCode = str('vnp_ResponseCode');
      const amount = parseVnpAmount(str('vnp_Amount'));
      // A success needs both codes when the gateway sends the transaction status (VNPay does).
      const status = str('vnp_TransactionStatus');
      const outcome: GatewayNotice['outcome'] =
        responseCode === RESPONSE_CODES.success && (status === '' || status === '00')
          ? 'paid'
          : responseCode === RESPONSE_CODES.customerCancelled
            ? 'cancelled'
            : 'failed';
      const providerTxn = str('vnp_TransactionNo');
      const paidAt = outcome === 'paid' ? parseVnpDate(str('vnp_PayDate')) : null;
      const valid =
        hasValidSignature(p, opts.hashSecret) &&
        str('vnp_TmnCode') === opts.merchantCode &&
        str('vnp_TxnRef') !== '' &&
        amount !== null &&
        /^\d{2}$/.test(responseCode) &&
        (outcome !== 'paid' || (paidAt !== null && /^[1-9]\d*$/.test(providerTxn)));
      return {
        valid,
        txnRef: str('vnp_TxnRef'),
        amount: amount ?? 0,
        responseCode,
        providerTxn: providerTxn && providerTxn !== '0' ? providerTxn : null,
        paidAt,
        outcome,
      };
    },
  };
}

/**
 * The built-in sandbox bank (sandbox-bank.ts) served by this same app at `${baseUrl}/sandbox/...`.
 * Sandbox-only deviation from VNPay: the IPN URL travels in the request as the signed parameter
 * `vnp_IpnUrl`, since there is no merchant portal to configure it in.
 */
export function createSandboxGateway(opts: { baseUrl: string; merchantCode: string; hashSecret: string }): PaymentGateway {
  return vnpayGateway({
    name: 'sandbox',
    payUrl: `${opts.baseUrl.replace(/\/+$/, '')}/sandbox/payment-gateway/pay`,
    merchantCode: opts.merchantCode,
    hashSecret: opts.hashSecret,
    sendIpnUrl: true,
  });
}
