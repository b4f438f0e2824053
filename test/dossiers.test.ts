import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Browser, bearerFor, DEMO, testApp, type TestApp } from './helpers/app.js';
import { ENGINE } from './helpers/db.js';
import { maritalBody, multipart, PDF, PNG, residenceBody, uploadFile } from './helpers/dossiers.js';
import { formatVnpDate, signedQuery } from '../src/modules/payments/gateway.js';
import { verifyAllEvents, verifyEvents } from '../src/modules/dossiers/dossier.repo.js';

describe(`dossier intake over the API (${ENGINE})`, () => {
  let t: TestApp;
  let citizen: Record<string, string>;
  let desk: Record<string, string>;
  let otherDesk: Record<string, string>;
  let sha: string;
  before(async () => {
    t = await testApp();
    citizen = await bearerFor(t.app, DEMO.citizen);
    desk = await bearerFor(t.app, DEMO.deskQuangTrung);
    otherDesk = await bearerFor(t.app, DEMO.deskDichVong);
    const up = await uploadFile(t.app, citizen);
    assert.equal(up.statusCode, 201, up.body);
    sha = up.json().sha256;
  });
  after(() => t.close());

  const submit = (body: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v1/dossiers', payload: body as object, headers: { ...citizen, ...headers } });

  test('a submission gets a code of the unit and the day, status 1, an event chain and messages in the outbox', async () => {
    const res = await submit(maritalBody(sha));
    assert.equal(res.statusCode, 201, res.body);
    const { id, code } = res.json();
    assert.match(code, /^000\.13\.42\.H26-\d{6}-\d{4}$/);
    const view = await t.app.inject({ url: `/api/v1/dossiers/${id}`, headers: citizen });
    assert.equal(view.json().status, 1);
    assert.ok(view.json().expectedDueAt, 'an expected appointment is shown');
    assert.equal(await verifyEvents(t.db, id), null);
    const inbox = await t.app.inject({ url: '/api/v1/me/notifications', headers: citizen });
    const msg = inbox.json().items.find((m: { subject: string }) => m.subject.includes(code));
    assert.ok(msg, 'the inbox has the submission message');
    assert.match(msg.body, /Cấp Giấy xác nhận tình trạng hôn nhân/);
    assert.match(msg.body, /Phường Quang Trung/);
    const jobs = await t.db.selectFrom('job').select(['queue']).execute();
    assert.ok(
      jobs.some((j) => j.queue === 'sms'),
      'an SMS is queued',
    );
  });

  test('the same idempotency key never makes a second dossier, even when the requests race', async () => {
    const key = 'retry-key-0001';
    const results = await Promise.all([1, 2, 3].map(() => submit(maritalBody(sha), { 'idempotency-key': key })));
    const ids = new Set(results.map((r) => r.json().id));
    assert.equal(ids.size, 1);
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 200, 201]);
    const n = await t.db
      .selectFrom('dossier')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('idempotency_key', '=', key)
      .executeTakeFirstOrThrow();
    assert.equal(Number(n.n), 1);
  });

  test('concurrent submissions get distinct consecutive codes', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => submit(maritalBody(sha))));
    const codes = results.map((r) => r.json().code as string);
    assert.equal(new Set(codes).size, codes.length);
  });

  test('bad input gets a clear 4xx and writes nothing', async () => {
    const before = await t.db
      .selectFrom('dossier')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const cases: [unknown, number, string][] = [
      [maritalBody(sha, { form: { ...maritalBody(sha).form, citizenId: '123456789012' } }), 400, 'form_invalid'],
      [maritalBody(sha, { unit: '000.01.35.H26' }), 400, 'procedure_not_offered_online'],
      [maritalBody(sha, { procedure: '1.001612' }), 400, 'procedure_not_offered'],
      [maritalBody(sha, { declaration: false }), 400, 'declaration_required'],
      [maritalBody(sha, { documents: [] }), 400, 'documents_missing'],
      [
        maritalBody(sha, {
          documents: [
            { item: 0, sha256: 'a'.repeat(64), name: 'x.pdf' },
            { item: 2, sha256: sha, name: 'y.pdf' },
          ],
        }),
        400,
        'file_not_uploaded',
      ],
      [maritalBody(sha, { documents: [{ item: 40, sha256: sha, name: 'x.pdf' }] }), 400, 'unknown_document_item'],
    ];
    for (const [body, status, code] of cases) {
      const res = await submit(body);
      assert.equal(res.statusCode, status, `${code}: ${res.body}`);
      assert.equal(res.json().code, code);
    }
    const invalidId = await submit(maritalBody(sha, { form: { ...maritalBody(sha).form, citizenId: '12345' } }));
    assert.equal(
      invalidId.json().errors?.[0]?.field ?? Object.keys(invalidId.json().fields ?? {})[0] ?? 'citizenId',
      invalidId.json().errors?.[0]?.field ?? 'citizenId',
    );
    const key = await submit(maritalBody(sha), { 'idempotency-key': 'bad key with spaces' });
    assert.equal(key.json().code, 'idempotency_key_invalid');
    const after = await t.db
      .selectFrom('dossier')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));
  });

  test('uploads are checked by content, size and name', async () => {
    const lying = await uploadFile(t.app, citizen, Buffer.from('<html><script>alert(1)</script></html>'), 'scan.pdf', 'application/pdf');
    assert.equal(lying.statusCode, 415);
    assert.equal(lying.json().code, 'file_type_not_allowed');
    const mismatch = await uploadFile(t.app, citizen, PNG, 'scan.pdf', 'application/pdf');
    assert.equal(mismatch.json().code, 'file_type_mismatch');
    const path = await uploadFile(t.app, citizen, PDF, '../../etc/passwd.pdf', 'application/pdf');
    assert.equal(path.json().code, 'invalid_file_name');
    const big = await uploadFile(t.app, citizen, Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024)]), 'big.pdf', 'application/pdf');
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().code, 'file_too_large');
    const broken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/files',
      payload: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF',
      headers: { ...citizen, 'content-type': 'multipart/form-data; boundary=x' },
    });
    assert.ok(broken.statusCode >= 400 && broken.statusCode < 500, broken.body);
  });

  test('the desk receives with an appointment; another ward cannot act; a stale revision is a conflict', async () => {
    const { id } = (await submit(maritalBody(sha))).json();
    const queue = await t.app.inject({ url: '/api/v1/desk/queue', headers: desk });
    assert.ok(queue.json().items.some((d: { id: number }) => d.id === id));
    const foreign = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/receive`, payload: {}, headers: otherDesk });
    assert.equal(foreign.statusCode, 403);
    const unseen = await t.app.inject({ url: `/api/v1/dossiers/${id}`, headers: otherDesk });
    assert.equal(unseen.statusCode, 404);
    const stale = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/receive`, payload: { revision: 2 }, headers: desk });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().code, 'dossier_conflict');
    const ok = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/receive`, payload: {}, headers: desk });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().status, 2);
    assert.ok(new Date(ok.json().dueAt) > new Date());
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/receive`, payload: {}, headers: desk });
    assert.equal(again.json().code, 'invalid_transition');
  });

  test('supplement: request, the citizen uploads and confirms, the desk receives', async () => {
    const { id } = (await submit(maritalBody(sha))).json();
    const empty = await t.app.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${id}/request-supplement`,
      payload: { items: [{ item: 0, reason: '   ' }] },
      headers: desk,
    });
    assert.equal(empty.json().code, 'supplement_items_required');
    const req = await t.app.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${id}/request-supplement`,
      payload: { items: [{ item: 0, reason: 'Tờ khai thiếu chữ ký' }] },
      headers: desk,
    });
    assert.equal(req.statusCode, 200, req.body);
    const nothing = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/supplement`, payload: {}, headers: citizen });
    assert.equal(nothing.json().code, 'supplement_empty');
    const m = multipart({ item: '0' }, { name: 'to-khai-ky.pdf', type: 'application/pdf', bytes: PDF });
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${id}/documents`,
      payload: m.payload,
      headers: { ...citizen, ...m.headers },
    });
    assert.equal(up.statusCode, 201, up.body);
    const done = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/supplement`, payload: {}, headers: citizen });
    assert.equal(done.statusCode, 204, done.body);
    const rec = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/receive`, payload: {}, headers: desk });
    assert.equal(rec.json().status, 2);
  });

  test('refusal needs a reason', async () => {
    const { id } = (await submit(maritalBody(sha))).json();
    const blank = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/refuse`, payload: { reason: ' ' }, headers: desk });
    assert.equal(blank.json().code, 'reason_required');
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${id}/refuse`,
      payload: { reason: 'Không thuộc thẩm quyền', legalBasis: 'Điều 19 Nghị định 61/2018/NĐ-CP' },
      headers: desk,
    });
    assert.equal(ok.statusCode, 204);
  });

  test('level 4 payment: forged, tampered and replayed gateway notices are refused; a genuine one settles once', async () => {
    const body = residenceBody(sha);
    const created = await submit(body);
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id;
    const start = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/payments/online`, headers: citizen });
    assert.equal(start.statusCode, 200, start.body);
    const { txnRef } = start.json();
    const secret = t.app.config.payment.hashSecret;
    const base = {
      vnp_TmnCode: t.app.config.payment.merchantCode,
      vnp_Amount: '700000',
      vnp_TxnRef: txnRef,
      vnp_ResponseCode: '00',
      vnp_TransactionStatus: '00',
      vnp_TransactionNo: '14123456',
      vnp_PayDate: formatVnpDate(new Date()),
      vnp_BankCode: 'NCB',
    };
    const ipn = (query: string) => t.app.inject({ url: `/api/v1/payments/ipn?${query}` }).then((r) => r.json().RspCode);
    assert.equal(await ipn(signedQuery(base, 'wrong-secret-wrong-secret')), '97');
    assert.equal(await ipn(signedQuery(base, secret).replace('vnp_Amount=700000', 'vnp_Amount=100')), '97');
    assert.equal(await ipn(signedQuery({ ...base, vnp_Amount: '100' }, secret)), '04');
    assert.equal(await ipn(signedQuery({ ...base, vnp_TxnRef: 'NOPE123' }, secret)), '01');
    assert.equal(await ipn(signedQuery(base, secret)), '00');
    assert.equal(await ipn(signedQuery(base, secret)), '02');
    const view = (await t.app.inject({ url: `/api/v1/dossiers/${id}`, headers: citizen })).json();
    assert.equal(view.fee.outstanding, 0);
    const paid = await t.db.selectFrom('payment').select(['status', 'receipt_no']).where('dossier_id', '=', id).execute();
    assert.deepEqual(
      paid.map((p) => p.status),
      ['paid'],
    );
    const cash = await t.app.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${id}/payments/cash`,
      payload: { amount: 7000 },
      headers: desk,
    });
    assert.equal(cash.json().code, 'nothing_to_pay');
    const csv = await t.app.inject({
      url: `/api/v1/payments/reconciliation?unit=000.13.42.H26&date=${new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10)}&format=csv`,
      headers: desk,
    });
    assert.match(csv.body, new RegExp(txnRef));
  });

  test('a dossier filed for someone else is claimed by the applicant whose citizen ID matches', async () => {
    const biz = await bearerFor(t.app, DEMO.business);
    const filed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      payload: {
        ...maritalBody(sha),
        applicant: { name: 'Nguyễn Văn An', citizenId: '001090012345', phone: '0912345678' },
        onBehalf: { relation: 'con' },
      },
      headers: biz,
    });
    assert.equal(filed.statusCode, 201, filed.body);
    const { id, code } = filed.json();
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/dossiers/claim', payload: { code }, headers: biz });
    assert.equal(wrong.statusCode, 403);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/dossiers/claim', payload: { code }, headers: citizen });
    assert.equal(ok.json().id, id);
    const row = await t.db
      .selectFrom('dossier')
      .select(['owner_id', 'created_by', 'assisted'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.notEqual(row.owner_id, row.created_by);
  });

  test('a changed dossier event is detected by the history check', async () => {
    assert.equal((await verifyAllEvents(t.db, 7)).brokenAt, null, 'batches join up');
    const ev = await t.db
      .selectFrom('dossier_event')
      .select(['id', 'dossier_id'])
      .where('action', '=', 'receive')
      .executeTakeFirstOrThrow();
    await t.db.updateTable('dossier_event').set({ note: 'sửa lén' }).where('id', '=', ev.id).execute();
    assert.deepEqual((await verifyAllEvents(t.db)).brokenAt, { dossierId: ev.dossier_id, eventId: ev.id });
    assert.equal(await verifyEvents(t.db, ev.dossier_id), ev.id);
  });

  test('the public lookup needs the code and the last four digits of the phone or ID, and shows no full ID', async () => {
    const { code } = (await submit(maritalBody(sha))).json();
    const ok = await t.app.inject({ url: `/lookup?code=${code}&check=5678` });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /Mới đăng ký/);
    assert.match(ok.body, /<dd>An<\/dd>/, 'the given name only');
    assert.doesNotMatch(ok.body, /001090012345|Nguyễn Văn An/);
    const byId = await t.app.inject({ url: `/lookup?code=${code}&check=2345` });
    assert.equal(byId.statusCode, 200);
    const wrong = await t.app.inject({ url: `/lookup?code=${code}&check=0000` });
    assert.equal(wrong.statusCode, 404);
    assert.match(wrong.body, /Không tìm thấy hồ sơ/);
    const malformed = await t.app.inject({ url: `/lookup?code=abc&check=5678` });
    assert.equal(malformed.statusCode, 400);
    assert.match(malformed.body, /không đúng định dạng/);
  });

  test('a page upload without the CSRF token is refused before the file is read; multipart elsewhere is refused', async () => {
    const b = await new Browser(t.app).login(DEMO.citizen);
    const draft = await b.postForm('/dossiers', { procedure: '1.004873', unit: '000.13.42.H26', who: 'self' });
    assert.equal(draft.statusCode, 303, draft.body);
    const id = /\/dossiers\/(\d+)\/edit/.exec(draft.headers.location as string)![1];
    const forged = multipart({ item: '0' }, { name: 'a.pdf', type: 'application/pdf', bytes: PDF });
    const res = await b.request({ method: 'POST', url: `/dossiers/${id}/documents`, payload: forged.payload, headers: forged.headers });
    assert.equal(res.statusCode, 403);
    const docs = await t.db.selectFrom('dossier_document').select('id').where('dossier_id', '=', Number(id)).execute();
    assert.equal(docs.length, 0);
    const elsewhere = multipart({ _csrf: b.csrf, code: 'x' });
    const other = await b.request({ method: 'POST', url: '/my/dossiers/claim', payload: elsewhere.payload, headers: elsewhere.headers });
    assert.equal(other.statusCode, 415);
  });

  test('an uploaded document downloads as an attachment with its detected type, for its applicant and its unit only', async () => {
    const { id } = (await submit(maritalBody(sha))).json();
    const view = (await t.app.inject({ url: `/api/v1/dossiers/${id}`, headers: citizen })).json();
    const doc = view.documents[0];
    const b = await new Browser(t.app).login(DEMO.deskQuangTrung);
    const res = await b.get(`/dossiers/${id}/documents/${doc.id}`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="to-khai.pdf"/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.deepEqual(res.rawPayload, PDF);
    const stranger = await new Browser(t.app).login(DEMO.deskDichVong);
    assert.equal((await stranger.get(`/dossiers/${id}/documents/${doc.id}`)).statusCode, 404);
  });

  test('the desk scans the papers of a walk-in dossier, only for its own unit and while it awaits the desk', async () => {
    const walkIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/desk/dossiers',
      headers: desk,
      payload: {
        procedure: '1.004873',
        unit: '000.13.42.H26',
        applicant: { name: 'Trần Văn Bốn', citizenId: '001060000111', phone: '0987000111' },
        paperItems: [2],
      },
    });
    assert.equal(walkIn.statusCode, 201, walkIn.body);
    const { id } = walkIn.json();
    const scan = (auth: Record<string, string>, bytes = PDF, name = 'to-khai-quet.pdf') => {
      const m = multipart({ item: '0' }, { name, type: 'application/pdf', bytes });
      return t.app.inject({
        method: 'POST',
        url: `/api/v1/desk/dossiers/${id}/scans`,
        payload: m.payload,
        headers: { ...auth, ...m.headers },
      });
    };
    assert.equal((await scan(otherDesk)).statusCode, 403);
    assert.equal((await scan(desk, PNG)).json().code, 'file_type_mismatch');
    assert.equal((await scan(desk)).statusCode, 201);
    const docs = (await t.app.inject({ url: `/api/v1/dossiers/${id}`, headers: desk })).json().documents;
    assert.deepEqual(docs.map((x: { item: number; paper: boolean }) => [x.item, x.paper]).sort(), [
      [0, false],
      [2, true],
    ]);
    await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/receive`, payload: {}, headers: desk });
    assert.equal((await scan(desk)).json().code, 'invalid_transition');
  });

  test('a per-copy fee: each extract copy beyond the first adds 8.000 đồng', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/desk/dossiers',
      headers: desk,
      payload: {
        procedure: '2.000635',
        unit: '000.13.42.H26',
        applicant: { name: 'Trần Văn Bốn', citizenId: '001060000111', phone: '0987000111' },
        form: { subjectName: 'Trần Văn Bốn', copies: '3' },
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    const view = (await t.app.inject({ url: `/api/v1/dossiers/${res.json().id}`, headers: desk })).json();
    assert.equal(view.fee.amount, 24_000);
  });
});
