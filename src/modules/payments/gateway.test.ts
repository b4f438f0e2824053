import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  createSandboxGateway,
  formatVnpDate,
  IPN_RESPONSES,
  parseVnpAmount,
  parseVnpDate,
  signedData,
  signedQuery,
  signParams,
  type PaymentRequest,
} from './gateway.js';

const SECRET = 'SANDBOXSECRET0123456789ABCDEFGH';
const MERCHANT = 'MOTCUA01';
const gateway = createSandboxGateway({ baseUrl: 'http://localhost:3000/', merchantCode: MERCHANT, hashSecret: SECRET });

const request: PaymentRequest = {
  txnRef: 'HS-2026-000123-1',
  amount: 150_000,
  orderInfo: 'Lệ phí cấp bản sao trích lục hộ tịch: hồ sơ 000.00.12.H29-261127-0001',
  returnUrl: 'http://localhost:3000/payments/return',
  ipnUrl: 'http://localhost:3000/api/v1/payments/ipn',
  locale: 'vi',
  clientIp: '203.113.1.2',
  createdAt: new Date('2026-11-27T03:04:05Z'),
};

/** What the bank sends back: the callback parameters, signed with the shared secret. */
function notice(overrides: Record<string, string> = {}): Record<string, string> {
  const params: Record<string, string> = {
    vnp_TmnCode: MERCHANT,
    vnp_Amount: '15000000',
    vnp_BankCode: 'NCB',
    vnp_OrderInfo: request.orderInfo,
    vnp_PayDate: '20261127100506',
    vnp_ResponseCode: '00',
    vnp_TransactionNo: '14123456',
    vnp_TransactionStatus: '00',
    vnp_TxnRef: request.txnRef,
    ...overrides,
  };
  return { ...params, vnp_SecureHash: signParams(params, SECRET) };
}

const queryParams = (url: string) => Object.fromEntries(new URL(url).searchParams);

describe('payment gateway protocol (VNPay 2.1.0)', () => {
  test('the payment URL points at the sandbox bank and carries every VNPay parameter, signed', () => {
    const url = gateway.paymentUrl(request);
    assert.ok(url.startsWith('http://localhost:3000/sandbox/payment-gateway/pay?'));
    const p = queryParams(url);
    assert.equal(p.vnp_Version, '2.1.0');
    assert.equal(p.vnp_Command, 'pay');
    assert.equal(p.vnp_TmnCode, MERCHANT);
    assert.equal(p.vnp_Amount, '15000000');
    assert.equal(p.vnp_CurrCode, 'VND');
    assert.equal(p.vnp_TxnRef, request.txnRef);
    assert.equal(p.vnp_OrderInfo, request.orderInfo);
    assert.equal(p.vnp_ReturnUrl, request.returnUrl);
    assert.equal(p.vnp_IpnUrl, request.ipnUrl);
    assert.equal(p.vnp_IpAddr, request.clientIp);
    assert.equal(p.vnp_Locale, 'vn');
    // 03:04:05 UTC is 10:04:05 in Vietnam.
    assert.equal(p.vnp_CreateDate, '20261127100405');
    assert.equal(p.vnp_ExpireDate, '20261127101905');
    assert.equal(p.vnp_SecureHash, signParams(p, SECRET));
    assert.equal(queryParams(gateway.paymentUrl({ ...request, locale: 'en' })).vnp_Locale, 'en');
  });

  test('signature: HMAC-SHA512 hex over the sorted, VNPay-encoded parameters, hash fields excluded', () => {
    const params = { vnp_b: 'x y', vnp_a: '1+1', vnp_SecureHash: 'ignored', vnp_SecureHashType: 'HmacSHA512' };
    assert.equal(signedData(params), 'vnp_a=1%2B1&vnp_b=x+y');
    assert.equal(signParams(params, SECRET), createHmac('sha512', SECRET).update('vnp_a=1%2B1&vnp_b=x+y').digest('hex'));
    assert.match(signParams(params, SECRET), /^[0-9a-f]{128}$/);
  });

  test('a signed notice round-trips: paid, with amount, bank transaction and time', () => {
    const n = gateway.verify(notice());
    assert.deepEqual(n, {
      valid: true,
      txnRef: request.txnRef,
      amount: 150_000,
      responseCode: '00',
      providerTxn: '14123456',
      paidAt: new Date('2026-11-27T03:05:06Z'),
      outcome: 'paid',
    });
  });

  test('a cancelled or failed notice is valid but not paid', () => {
    const cancelled = gateway.verify(notice({ vnp_ResponseCode: '24', vnp_TransactionNo: '0', vnp_TransactionStatus: '02' }));
    assert.equal(cancelled.valid, true);
    assert.equal(cancelled.outcome, 'cancelled');
    assert.equal(cancelled.providerTxn, null);
    assert.equal(cancelled.paidAt, null);
    for (const code of ['51', '99']) {
      const failed = gateway.verify(notice({ vnp_ResponseCode: code, vnp_TransactionNo: '0', vnp_TransactionStatus: '02' }));
      assert.equal(failed.valid, true);
      assert.equal(failed.outcome, 'failed');
      assert.equal(failed.responseCode, code);
    }
    // Response code 00 with a failed transaction status is not a payment.
    assert.equal(gateway.verify(notice({ vnp_TransactionStatus: '02' })).outcome, 'failed');
  });

  test('a tampered amount is invalid', () => {
    const n = notice();
    assert.equal(gateway.verify({ ...n, vnp_Amount: '100' }).valid, false);
    assert.equal(gateway.verify({ ...n, vnp_Amount: '1500000000' }).valid, false);
  });

  test('a tampered, truncated, non-hex or differently-keyed signature is invalid', () => {
    const n = notice();
    const h = n.vnp_SecureHash!;
    const flipped = `${h.slice(0, -1)}${h.endsWith('0') ? '1' : '0'}`;
    assert.equal(gateway.verify({ ...n, vnp_SecureHash: flipped }).valid, false);
    assert.equal(gateway.verify({ ...n, vnp_SecureHash: h.slice(0, 64) }).valid, false);
    assert.equal(gateway.verify({ ...n, vnp_SecureHash: `${h}00` }).valid, false);
    assert.equal(gateway.verify({ ...n, vnp_SecureHash: 'z'.repeat(128) }).valid, false);
    const { vnp_SecureHash: _drop, ...unsigned } = n;
    assert.equal(gateway.verify({ ...unsigned, vnp_SecureHash: signParams(unsigned, 'another-secret') }).valid, false);
    // Upper-case hex is the same signature.
    assert.equal(gateway.verify({ ...n, vnp_SecureHash: h.toUpperCase() }).valid, true);
  });

  test('a missing hash is invalid, and bad input never throws', () => {
    const { vnp_SecureHash: _drop, ...unsigned } = notice();
    assert.equal(gateway.verify(unsigned).valid, false);
    assert.equal(gateway.verify({ ...unsigned, vnp_SecureHash: '' }).valid, false);
    assert.equal(gateway.verify({}).valid, false);
    assert.equal(gateway.verify(null as unknown as Record<string, string>).valid, false);
    assert.equal(gateway.verify({ vnp_SecureHash: ['a', 'b'] } as unknown as Record<string, string>).valid, false);
  });

  test('another merchant code is invalid even when correctly signed', () => {
    assert.equal(gateway.verify(notice({ vnp_TmnCode: 'OTHER001' })).valid, false);
  });

  test('the order of the parameters does not matter', () => {
    const n = notice();
    const reversed = Object.fromEntries(Object.entries(n).reverse());
    assert.equal(gateway.verify(reversed).valid, true);
    const { vnp_SecureHash: _drop, ...unsigned } = n;
    const shuffled = Object.fromEntries(Object.entries(unsigned).sort(([a], [b]) => (a.length - b.length) * 7 + (a < b ? 1 : -1)));
    assert.equal(signParams(shuffled, SECRET), n.vnp_SecureHash);
  });

  test('Vietnamese diacritics, "+" and spaces survive the trip through a URL and still verify', () => {
    const orderInfo = 'Nộp phí: Đăng ký kết hôn + trích lục 1+1 (bản sao) & lệ phí 100% ~ ổn';
    const url = gateway.paymentUrl({ ...request, orderInfo });
    const query = url.slice(url.indexOf('?') + 1);
    // Spaces travel as '+', a real '+' as %2B, diacritics as UTF-8 percent escapes.
    assert.match(query, /vnp_OrderInfo=N%E1%BB%99p\+ph%C3%AD%3A\+%C4%90%C4%83ng/);
    assert.match(query, /1%2B1/);
    const p = Object.fromEntries(new URLSearchParams(query));
    assert.equal(p.vnp_OrderInfo, orderInfo);
    assert.equal(p.vnp_SecureHash, signParams(p, SECRET));
    const n = notice({ vnp_OrderInfo: orderInfo });
    const back = Object.fromEntries(new URLSearchParams(signedQuery(n, SECRET)));
    assert.equal(back.vnp_OrderInfo, orderInfo);
    assert.equal(gateway.verify(back).valid, true);
    // The same text composed differently (NFD) is a different text: it is not normalised silently.
    assert.notEqual(signParams({ a: 'Đăng ký' }, SECRET), signParams({ a: 'Đăng ký'.normalize('NFD') }, SECRET));
  });

  test('property: changing any one character of any signed value invalidates the notice', () => {
    const base = notice();
    const keys = Object.keys(base).filter((k) => k !== 'vnp_SecureHash');
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.nat(), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), (key, at, ch) => {
        const value = base[key]!;
        const i = at % value.length;
        fc.pre(value[i] !== ch);
        const changed = `${value.slice(0, i)}${ch}${value.slice(i + 1)}`;
        fc.pre(changed !== value);
        return gateway.verify({ ...base, [key]: changed }).valid === false;
      }),
      { numRuns: 500 },
    );
  });

  test('payment URLs refuse amounts that are not positive whole VND', () => {
    for (const amount of [0, -1000, 1000.5, Number.NaN, Number.MAX_SAFE_INTEGER]) {
      assert.throws(() => gateway.paymentUrl({ ...request, amount }), RangeError);
    }
  });

  test('VNPay dates are Vietnam time and amounts are hundredths of a dong', () => {
    assert.equal(formatVnpDate(new Date('2026-12-31T17:00:00Z')), '20270101000000');
    assert.deepEqual(parseVnpDate('20270101000000'), new Date('2026-12-31T17:00:00Z'));
    for (const bad of ['20260230120000', '20261127240000', '2026112712000', 'x0261127120000', '']) assert.equal(parseVnpDate(bad), null);
    assert.equal(parseVnpAmount('15000000'), 150_000);
    for (const bad of ['150', '0', '-100', '1e5', '00100', '', '99999999999999999999']) assert.equal(parseVnpAmount(bad), null);
    fc.assert(
      fc.property(
        fc.date({ noInvalidDate: true, min: new Date('2000-01-01T00:00:00Z'), max: new Date('2999-12-31T00:00:00Z') }),
        (d) => parseVnpDate(formatVnpDate(d))!.getTime() === Math.floor(d.getTime() / 1000) * 1000,
      ),
    );
  });

  test('IPN answers use the VNPay merchant response codes', () => {
    assert.deepEqual(Object.fromEntries(Object.entries(IPN_RESPONSES).map(([k, v]) => [k, v.RspCode])), {
      ok: '00',
      orderNotFound: '01',
      alreadyConfirmed: '02',
      invalidAmount: '04',
      invalidSignature: '97',
      unknown: '99',
    });
  });
});
