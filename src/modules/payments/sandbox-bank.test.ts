import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import formbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { installValidators } from '../../web/validation.js';
import type { App } from '../../web/request-context.js';
import { createSandboxGateway, IPN_RESPONSES, signParams, type GatewayNotice, type PaymentRequest } from './gateway.js';
import { sandboxBankRoutes } from './sandbox-bank.js';

const SECRET = 'TESTSECRET-sandbox-bank-0123456789';
const MERCHANT = 'MOTCUA01';

interface IpnCall {
  at: number;
  params: Record<string, string>;
  notice: GatewayNotice;
}

/**
 * A bare app: the sandbox bank plus a tiny merchant that records IPN calls. It listens on a real
 * port so that the bank's server-to-server IPN goes over HTTP with the real fetch.
 */
describe('sandbox payment gateway (bank side)', () => {
  let app: App;
  let base: string;
  let gateway: ReturnType<typeof createSandboxGateway>;
  let ipnCalls: IpnCall[] = [];
  /** How many of the next IPN calls the merchant answers with '99' (to make the bank retry). */
  let failNextIpn = 0;

  before(async () => {
    app = Fastify().withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
    installValidators(app);
    await app.register(formbody);
    await app.register(sandboxBankRoutes, { hashSecret: SECRET, merchantCode: MERCHANT });
    app.get('/merchant/ipn', async (req) => {
      const params = { ...(req.query as Record<string, string>) };
      ipnCalls.push({ at: Date.now(), params, notice: gateway.verify(params) });
      if (failNextIpn > 0) {
        failNextIpn--;
        return IPN_RESPONSES.unknown;
      }
      return IPN_RESPONSES.ok;
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    gateway = createSandboxGateway({ baseUrl: base, merchantCode: MERCHANT, hashSecret: SECRET });
  });
  after(() => app.close());
  beforeEach(() => {
    ipnCalls = [];
    failNextIpn = 0;
  });

  let seq = 0;
  function payRequest(overrides: Partial<PaymentRequest> = {}): PaymentRequest {
    return {
      txnRef: `HS-TEST-${++seq}`,
      amount: 150_000,
      orderInfo: 'Lệ phí đăng ký khai sinh + trích lục',
      returnUrl: `${base}/merchant/return`,
      ipnUrl: `${base}/merchant/ipn`,
      locale: 'vi',
      clientIp: '127.0.0.1',
      createdAt: new Date(),
      ...overrides,
    };
  }

  const queryOf = (url: string) => url.slice(url.indexOf('?') + 1);

  async function submit(request: string, outcome: string) {
    return fetch(`${base}/sandbox/payment-gateway/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request, outcome }).toString(),
      redirect: 'manual',
    });
  }

  async function waitFor(check: () => boolean, ms: number) {
    const until = Date.now() + ms;
    while (!check() && Date.now() < until) await sleep(20);
  }

  function returnedNotice(res: Response): { url: URL; params: Record<string, string>; notice: GatewayNotice } {
    const url = new URL(res.headers.get('location')!);
    const params = Object.fromEntries(url.searchParams);
    return { url, params, notice: gateway.verify(params) };
  }

  test('the bank page shows the amount in VND, the order and the four outcomes, with the signed request kept', async () => {
    const url = gateway.paymentUrl(payRequest());
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/html/);
    const html = await res.text();
    assert.match(html, /<html lang="vi">/);
    assert.match(html, /<title>[^<]+<\/title>/);
    assert.match(html, /<h1>/);
    assert.match(html, /SANDBOX – no real money/);
    assert.match(html, /150\.000\s₫/);
    assert.match(html, /Lệ phí đăng ký khai sinh \+ trích lục/);
    assert.match(html, /<form method="post" action="\/sandbox\/payment-gateway\/pay">/);
    for (const outcome of ['paid', 'cancelled', 'failed', 'paid_late_ipn']) {
      assert.match(html, new RegExp(`<button type="submit" name="outcome" value="${outcome}">[^<]{5,}</button>`));
    }
    const hidden = /<input type="hidden" name="request" value="([^"]*)">/.exec(html)?.[1];
    assert.equal(hidden?.replace(/&#38;/g, '&'), queryOf(url));

    const en = await fetch(gateway.paymentUrl(payRequest({ locale: 'en', amount: 2_500_000 })));
    const enHtml = await en.text();
    assert.match(enHtml, /<html lang="en">/);
    assert.match(enHtml, /₫2,500,000/);
  });

  test('a forged or foreign request is rejected with a 400 page and a stable code, never a stack', async () => {
    const url = gateway.paymentUrl(payRequest());
    const cases: [string, string][] = [
      [url.replace('vnp_Amount=15000000', 'vnp_Amount=100'), 'invalid_signature'],
      [url.replace(/vnp_SecureHash=[0-9a-f]+/, 'vnp_SecureHash=00'), 'invalid_signature'],
      [url.replace(/&vnp_SecureHash=[0-9a-f]+/, ''), 'missing_parameter'],
      [`${url}&vnp_Amount=100`, 'duplicate_parameter'],
    ];
    const other = createSandboxGateway({ baseUrl: base, merchantCode: 'OTHER001', hashSecret: SECRET });
    cases.push([other.paymentUrl(payRequest()), 'unknown_merchant']);
    const wrongKey = createSandboxGateway({ baseUrl: base, merchantCode: MERCHANT, hashSecret: 'not-the-secret' });
    cases.push([wrongKey.paymentUrl(payRequest()), 'invalid_signature']);
    cases.push([gateway.paymentUrl(payRequest({ createdAt: new Date(Date.now() - 3600_000) })), 'request_expired']);
    for (const [forged, code] of cases) {
      const res = await fetch(forged);
      const html = await res.text();
      assert.equal(res.status, 400, code);
      assert.match(res.headers.get('content-type')!, /^text\/html/);
      assert.match(html, new RegExp(`<code>${code}</code>`), code);
      assert.doesNotMatch(html, /at .*\.ts:\d+/);
      assert.match(html, /SANDBOX – no real money/);
    }
    // The form submission is checked just the same.
    const res = await submit(queryOf(url).replace('vnp_Amount=15000000', 'vnp_Amount=100'), 'paid');
    assert.equal(res.status, 400);
    assert.match(await res.text(), /<code>invalid_signature<\/code>/);
    assert.equal(ipnCalls.length, 0);
  });

  test('the form accepts only the request and a known outcome', async () => {
    const request = queryOf(gateway.paymentUrl(payRequest()));
    assert.equal((await submit(request, 'refund')).status, 400);
    const extra = await fetch(`${base}/sandbox/payment-gateway/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request, outcome: 'paid', amount: '1' }).toString(),
      redirect: 'manual',
    });
    assert.equal(extra.status, 400);
    assert.equal(ipnCalls.length, 0);
  });

  test("'paid': a signed IPN first, then 303 to the return URL with the same signed notice, then a duplicate IPN", async () => {
    const req = payRequest();
    const res = await submit(queryOf(gateway.paymentUrl(req)), 'paid');
    assert.equal(res.status, 303);
    const back = returnedNotice(res);
    assert.equal(`${back.url.origin}${back.url.pathname}`, req.returnUrl);
    assert.equal(back.params.vnp_SecureHash, signParams(back.params, SECRET));
    assert.equal(back.notice.valid, true);
    assert.equal(back.notice.responseCode, '00');
    assert.equal(back.notice.outcome, 'paid');
    assert.equal(back.notice.txnRef, req.txnRef);
    assert.equal(back.notice.amount, 150_000);
    assert.match(back.notice.providerTxn!, /^\d{8}$/);
    assert.ok(Math.abs(back.notice.paidAt!.getTime() - Date.now()) < 60_000);

    // The merchant heard about it before the browser came back.
    assert.equal(ipnCalls.length, 1);
    assert.equal(ipnCalls[0]!.notice.valid, true);
    assert.deepEqual(ipnCalls[0]!.notice, back.notice);
    assert.deepEqual(ipnCalls[0]!.params, back.params);

    await waitFor(() => ipnCalls.length >= 2, 3000);
    assert.equal(ipnCalls.length, 2, 'the same notice is repeated once');
    assert.deepEqual(ipnCalls[1]!.params, ipnCalls[0]!.params);
    await sleep(400);
    assert.equal(ipnCalls.length, 2);
  });

  test("'cancelled' reports response code 24 to the merchant and the browser", async () => {
    const res = await submit(queryOf(gateway.paymentUrl(payRequest())), 'cancelled');
    assert.equal(res.status, 303);
    const back = returnedNotice(res);
    assert.equal(back.notice.valid, true);
    assert.equal(back.notice.responseCode, '24');
    assert.equal(back.notice.outcome, 'cancelled');
    assert.equal(back.notice.providerTxn, null);
    assert.equal(ipnCalls.length, 1);
    assert.equal(ipnCalls[0]!.notice.responseCode, '24');
  });

  test("'failed' reports a failure code (not 00)", async () => {
    const res = await submit(queryOf(gateway.paymentUrl(payRequest())), 'failed');
    assert.equal(res.status, 303);
    const back = returnedNotice(res);
    assert.equal(back.notice.valid, true);
    assert.notEqual(back.notice.responseCode, '00');
    assert.equal(back.notice.outcome, 'failed');
    assert.equal(ipnCalls.length, 1);
    assert.equal(ipnCalls[0]!.notice.outcome, 'failed');
  });

  test('the bank retries the IPN while the merchant does not confirm it', async () => {
    failNextIpn = 2;
    const started = Date.now();
    const res = await submit(queryOf(gateway.paymentUrl(payRequest())), 'cancelled');
    assert.equal(res.status, 303);
    assert.equal(ipnCalls.length, 3);
    assert.ok(Date.now() - started >= 2 * 200, 'with a back-off between attempts');
    assert.deepEqual(ipnCalls[2]!.params, ipnCalls[0]!.params);
  });

  test('after 1 + 3 unconfirmed attempts, or an unreachable merchant, the bank gives up and still returns the customer', async () => {
    failNextIpn = 10;
    const res = await submit(queryOf(gateway.paymentUrl(payRequest())), 'paid');
    assert.equal(res.status, 303);
    assert.equal(ipnCalls.length, 4);
    await sleep(500);
    assert.equal(ipnCalls.length, 4, 'no duplicate of an unconfirmed notice');

    const unreachable = await submit(queryOf(gateway.paymentUrl(payRequest({ ipnUrl: 'http://127.0.0.1:9/ipn' }))), 'failed');
    assert.equal(unreachable.status, 303);
    assert.equal(returnedNotice(unreachable).notice.outcome, 'failed');
  });

  test("'paid_late_ipn': the browser comes back first, the IPN follows about 1.5 s later", async () => {
    const sent = Date.now();
    const res = await submit(queryOf(gateway.paymentUrl(payRequest())), 'paid_late_ipn');
    assert.equal(res.status, 303);
    const back = returnedNotice(res);
    assert.equal(back.notice.valid, true);
    assert.equal(back.notice.outcome, 'paid');
    assert.equal(ipnCalls.length, 0);
    await waitFor(() => ipnCalls.length >= 1, 4000);
    assert.equal(ipnCalls.length, 1);
    assert.ok(ipnCalls[0]!.at - sent >= 1400);
    assert.deepEqual(ipnCalls[0]!.params, back.params);
  });
});
