import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Browser, testApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINE } from '../../../test/helpers/db.js';
import { multipart, PDF, PNG } from '../../../test/helpers/dossiers.js';
import { approvalInput, dossierForResult } from '../../../test/helpers/results.js';
import type { PreparedResult } from './results.service.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe(`public verification of results: pages and API (${ENGINE})`, () => {
  let t: TestApp;
  let issued: PreparedResult;
  let paper: PreparedResult;
  let bytes: Buffer;
  let tampered: Buffer;
  let code: string;

  before(async () => {
    t = await testApp();
    const d = await dossierForResult(t);
    code = d.code;
    const svc = t.app.services.results;
    issued = await svc.prepareElectronic(approvalInput(d));
    paper = svc.preparePaper('rejection', new Date('2026-12-02T02:00:00Z'));
    await t.db.transaction().execute(async (trx) => {
      await svc.record(trx, d.id, d.issuedBy, issued, null);
      await svc.record(trx, d.id, d.issuedBy, paper, 'Không đủ điều kiện');
    });
    bytes = await svc.readFile(issued.fileSha256!);
    tampered = Buffer.concat([bytes, Buffer.from('%\n')]);
  });
  after(() => t.close());

  /** Posts a file through the page form, as a browser does (CSRF token from the page just seen). */
  const upload = async (b: Browser, url: string, file: Buffer | null, csrf?: string) => {
    const m = multipart({ _csrf: csrf ?? b.csrf }, file ? { name: 'ket-qua.pdf', type: 'application/pdf', bytes: file } : undefined);
    return b.request({ method: 'POST', url, payload: m.payload, headers: m.headers });
  };
  const api = (file: Buffer | null, name = 'ket-qua.pdf', type = 'application/pdf') => {
    const m = multipart({}, file ? { name, type, bytes: file } : undefined);
    return t.app.inject({ method: 'POST', url: '/api/v1/verify', payload: m.payload, headers: m.headers });
  };

  test('the verify page offers a plain upload form that needs no JavaScript', async () => {
    const b = new Browser(t.app);
    const res = await b.get('/verify');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>Kiểm tra văn bản kết quả điện tử<\/h1>/);
    assert.match(res.body, /<form method="post" action="\/verify" enctype="multipart\/form-data">/);
    assert.match(res.body, /name="_csrf"/);
    assert.match(res.body, /<label for="file">[^<]+<\/label>/);
    assert.doesNotMatch(res.body, /<script/);
    const en = await b.get('/verify?lang=en');
    assert.match(en.body, /<h1>Verify an electronic result document<\/h1>/);
  });

  test('uploading the issued PDF says it is authentic, with the given name only', async () => {
    const b = new Browser(t.app);
    await b.get('/verify');
    const res = await upload(b, '/verify', bytes);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.match(res.body, /Văn bản xác thực/);
    assert.ok(res.body.includes(issued.keyId!));
    assert.ok(res.body.includes(issued.fileSha256!));
    assert.match(res.body, /<dd>An<\/dd>/);
    assert.doesNotMatch(res.body, /Nguyễn Văn An|0912345678|001090012345/, 'no personal data beyond the given name');
  });

  test('a tampered PDF is reported as not authentic, in plain words, in English too', async () => {
    const b = new Browser(t.app);
    await b.get('/verify?lang=en');
    const res = await upload(b, '/verify', tampered);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /The document could not be confirmed/);
    assert.match(res.body, /It may have been changed \(even by one character\)/);
    assert.doesNotMatch(res.body, /Authentic document/);
  });

  test('the page refuses a missing file, a file that is not a PDF, and a post without the form token', async () => {
    const b = new Browser(t.app);
    await b.get('/verify');
    const none = await upload(b, '/verify', null);
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Vui lòng chọn tệp cần kiểm tra/);
    assert.match(none.body, /aria-invalid="true"/);
    const m = multipart({ _csrf: b.csrf }, { name: 'anh.png', type: 'image/png', bytes: PNG });
    const png = await b.request({ method: 'POST', url: '/verify', payload: m.payload, headers: m.headers });
    assert.equal(png.statusCode, 415);
    assert.match(png.body, /không phải là tệp PDF/);
    const forged = await upload(b, '/verify', bytes, 'forged');
    assert.equal(forged.statusCode, 403);
    const form = await b.postForm('/verify', { file: 'x' });
    assert.ok(form.statusCode >= 400 && form.statusCode < 500, `urlencoded post: ${form.statusCode}`);
  });

  test('the QR code page shows the record and checks a file against it', async () => {
    const b = new Browser(t.app);
    const res = await b.get(`/verify/${issued.verifyToken}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Thông tin văn bản kết quả/);
    assert.match(res.body, /Kết quả giải quyết thủ tục hành chính/);
    assert.match(res.body, /Phường Quang Trung/);
    assert.ok(res.body.includes(`action="/verify/${issued.verifyToken}"`));
    const same = await upload(b, `/verify/${issued.verifyToken}`, bytes);
    assert.equal(same.statusCode, 200);
    assert.match(same.body, /class="success"/);
    const other = await upload(b, `/verify/${issued.verifyToken}`, tampered);
    assert.equal(other.statusCode, 200);
    assert.match(other.body, /không phải là văn bản của mã QR này/);
    const notPdf = await upload(b, `/verify/${issued.verifyToken}`, null);
    assert.equal(notPdf.statusCode, 400);
  });

  test('a paper result’s page says it was issued on paper and offers no file check', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/verify/${paper.verifyToken}` });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /được trả bằng bản giấy/);
    assert.match(res.body, /Văn bản từ chối giải quyết hồ sơ/);
    assert.doesNotMatch(res.body, /enctype="multipart\/form-data"/);
  });

  test('an unknown token is a 404 page, never a 500', async () => {
    for (const token of ['AAAAAAAAAAAAAAAAAAAAAA', 'x', "1'--", '%00']) {
      const res = await t.app.inject({ method: 'GET', url: `/verify/${token}` });
      assert.ok(res.statusCode === 404 || res.statusCode === 400, `${token}: ${res.statusCode}`);
    }
  });

  test('API: a file or its hash verifies; a changed file does not', async () => {
    const ok = await api(bytes);
    assert.equal(ok.statusCode, 200, ok.body);
    const body = ok.json();
    assert.equal(body.authentic, true);
    assert.equal(body.result.dossierCode, code);
    assert.equal(body.result.applicantFirstName, 'An');
    assert.equal(body.result.keyId, issued.keyId);
    assert.equal(body.result.verifyUrl, `${t.app.config.baseUrl}/verify/${issued.verifyToken}`);
    assert.equal(body.result.issuedAt, '2026-12-01T03:00:00.000Z');
    assert.deepEqual(Object.keys(body.result.procedure).sort(), ['code', 'en', 'vi']);

    const byHash = await t.app.inject({ method: 'POST', url: '/api/v1/verify', payload: { sha256: sha(bytes) } });
    assert.equal(byHash.statusCode, 200);
    assert.deepEqual(byHash.json(), body);

    const bad = await api(tampered);
    assert.equal(bad.statusCode, 200);
    assert.deepEqual(bad.json(), { authentic: false, reason: 'unknown_document' });
    const unknownHash = await t.app.inject({ method: 'POST', url: '/api/v1/verify', payload: { sha256: sha(tampered) } });
    assert.deepEqual(unknownHash.json(), { authentic: false, reason: 'unknown_document' });
  });

  test('API: the token record and the public keys', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/verify/${issued.verifyToken}` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().result.sha256, issued.fileSha256);
    const p = await t.app.inject({ method: 'GET', url: `/api/v1/verify/${paper.verifyToken}` });
    assert.equal(p.json().result.medium, 'paper');
    assert.equal(p.json().result.sha256, null);
    const keys = await t.app.inject({ method: 'GET', url: '/api/v1/verify/keys' });
    assert.equal(keys.statusCode, 200);
    const key = keys.json().keys.find((k: { id: string }) => k.id === issued.keyId);
    assert.equal(key.algorithm, 'ed25519');
    assert.match(key.publicKey, /^-----BEGIN PUBLIC KEY-----/);
    assert.equal(key.retiredAt, null);
  });

  test('API: bad input gets a 4xx with a stable code', async () => {
    const json = (payload: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/verify', headers: { 'content-type': 'application/json' }, payload });
    const cases: [Promise<{ statusCode: number; json(): { code: string } }>, number, string][] = [
      [api(null), 400, 'file_required'],
      [api(PNG, 'a.png', 'image/png'), 415, 'not_a_pdf'],
      [api(Buffer.from('hello')), 415, 'not_a_pdf'],
      [t.app.inject({ method: 'POST', url: '/api/v1/verify', payload: { sha256: 'abc' } }), 400, 'invalid_sha256'],
      [t.app.inject({ method: 'POST', url: '/api/v1/verify', payload: { sha256: 'z'.repeat(64) } }), 400, 'invalid_sha256'],
      [t.app.inject({ method: 'POST', url: '/api/v1/verify', payload: {} }), 400, 'validation_failed'],
      [t.app.inject({ method: 'POST', url: '/api/v1/verify', payload: { sha256: sha(PDF), extra: 1 } }), 400, 'validation_failed'],
      [json('{"sha256": '), 400, 'malformed_json'],
      [json('[]'), 400, 'validation_failed'],
      [json('"text"'), 400, 'validation_failed'],
      [
        t.app.inject({ method: 'POST', url: '/api/v1/verify', headers: { 'content-type': 'application/xml' }, payload: '<a/>' }),
        415,
        'unsupported_media_type',
      ],
      [t.app.inject({ method: 'GET', url: '/api/v1/verify/AAAAAAAAAAAAAAAAAAAAAA' }), 404, 'result_not_found'],
      [t.app.inject({ method: 'GET', url: `/api/v1/verify/${'a'.repeat(100)}` }), 400, 'validation_failed'],
    ];
    for (const [call, status, expected] of cases) {
      const res = await call;
      assert.equal(res.statusCode, status, `${expected}: ${JSON.stringify(res.json())}`);
      assert.equal(res.json().code, expected);
    }
  });

  test('the API is documented', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    for (const path of ['/api/v1/verify', '/api/v1/verify/keys', '/api/v1/verify/{token}']) assert.ok(doc.paths[path], path);
  });
});
