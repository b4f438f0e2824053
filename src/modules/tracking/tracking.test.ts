import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { bearerFor, DEMO, testApp, UNITS, type TestApp } from '../../../test/helpers/app.js';
import { ENGINE } from '../../../test/helpers/db.js';
import { maritalBody, uploadFile } from '../../../test/helpers/dossiers.js';
import { appendEvent } from '../dossiers/dossier.repo.js';
import { MAX_FAILURES_PER_CODE } from './tracking.service.js';

// What the public lookup must never show: the applicant's full name, phone, citizen ID and address.
const PERSONAL = ['Nguyễn Văn An', 'Nguyen Van An', '0912345678', '001090012345', 'Số 5 ngõ 12 Quang Trung'];
const assertNoPersonalData = (text: string) => {
  for (const p of PERSONAL) assert.ok(!text.includes(p), `leaks ${p}`);
};

describe(`public tracking by dossier code (${ENGINE})`, () => {
  let t: TestApp;
  let citizen: Record<string, string>;
  let desk: Record<string, string>;
  let sha: string;

  before(async () => {
    t = await testApp();
    citizen = await bearerFor(t.app, DEMO.citizen);
    desk = await bearerFor(t.app, DEMO.deskQuangTrung);
    sha = (await uploadFile(t.app, citizen)).json().sha256;
  });
  after(() => t.close());

  async function submit(): Promise<{ id: number; code: string }> {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: citizen, payload: maritalBody(sha) });
    assert.equal(res.statusCode, 201, res.body);
    return res.json();
  }
  const api = (code: string, check: string, lang = 'vi') =>
    t.app.inject({ url: `/api/v1/lookup?code=${encodeURIComponent(code)}&check=${encodeURIComponent(check)}&lang=${lang}` });
  const page = (code: string, check: string) =>
    t.app.inject({ url: `/lookup?code=${encodeURIComponent(code)}&check=${encodeURIComponent(check)}` });
  const revision = async (id: number) =>
    (await t.db.selectFrom('dossier').select('revision').where('id', '=', id).executeTakeFirstOrThrow()).revision;

  test('the right factor (phone or ID digits) shows status, appointment, timeline and next step, and no personal data', async () => {
    const { code } = await submit();
    const res = await api(code, '5678');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    const v = res.json();
    assert.equal(v.code, code);
    assert.equal(v.procedure.code, '1.004873');
    assert.equal(v.unit.code, UNITS.quangTrung);
    assert.equal(v.channel, 2);
    assert.equal(v.applicantFirstName, 'An');
    assert.deepEqual(v.status, { code: 1, name: { vi: 'Mới đăng ký (chờ tiếp nhận)', en: 'Submitted online, awaiting reception' } });
    assert.equal(v.appointment.dueAt, null);
    assert.deepEqual(
      v.timeline.map((e: { action: string; status: number }) => [e.action, e.status]),
      [['submit', 1]],
    );
    assert.equal(v.next.step, 'wait_desk');
    assert.match(v.next.text[0], /Bộ phận một cửa sẽ kiểm tra/);
    assertNoPersonalData(res.body);

    assert.equal((await api(code, '2345')).statusCode, 200, 'the last digits of the citizen ID work too');
    assert.equal((await api(` ${code.toLowerCase()} `, ' 56 78')).statusCode, 200, 'typed as people type');

    const html = await page(code, '5678');
    assert.equal(html.statusCode, 200);
    assert.match(html.body, /Mới đăng ký \(chờ tiếp nhận\)/);
    assert.match(html.body, /Bạn cần làm gì tiếp theo\?/);
    assert.match(html.body, /Nộp hồ sơ trực tuyến/);
    assert.match(html.body, /<dd>An<\/dd>/);
    assertNoPersonalData(html.body);
  });

  test('a wrong factor and an unknown code give the same 404; malformed input is a 400 with a stable code', async () => {
    const { code } = await submit();
    const unknown = code.replace(/\d{4}$/, '9999');
    const wrong = await api(code, '0000');
    const missing = await api(unknown, '5678');
    assert.equal(wrong.statusCode, 404);
    const strip = (body: string) => ({ ...JSON.parse(body), requestId: null });
    assert.deepEqual(strip(wrong.body), strip(missing.body));
    assert.equal(wrong.json().code, 'lookup_failed');

    const wrongPage = await page(code, '0000');
    // The same digits, so that the only difference is the code the visitor typed (echoed in the form and links).
    const missingPage = await page(unknown, '0000');
    assert.equal(wrongPage.statusCode, 404);
    assert.equal(missingPage.statusCode, 404);
    assert.equal(wrongPage.body.replaceAll(code, 'CODE'), missingPage.body.replaceAll(unknown, 'CODE'));
    assert.match(wrongPage.body, /Không tìm thấy hồ sơ/);

    for (const [c, k, status, err] of [
      ['abc', '5678', 400, 'invalid_dossier_code'],
      ['', '5678', 400, 'invalid_dossier_code'],
      [code, '56', 400, 'invalid_lookup_check'],
      [code, 'abcd', 400, 'invalid_lookup_check'],
      [code, '', 400, 'invalid_lookup_check'],
    ] as const) {
      const r = await api(c, k);
      assert.equal(r.statusCode, status, `${c} ${k}`);
      assert.equal(r.json().code, err);
      assert.equal((await page(c, k)).statusCode, status);
    }
    const noCheck = await t.app.inject({ url: `/api/v1/lookup?code=${code}` });
    assert.equal(noCheck.statusCode, 400);
    assert.equal(noCheck.json().code, 'validation_failed');
    const nul = await t.app.inject({ url: `/api/v1/lookup?code=${code}%00&check=5678` });
    assert.equal(nul.statusCode, 400);
  });

  test('a QR or message link with only the code shows the form with the code filled in', async () => {
    const { code } = await submit();
    const res = await t.app.inject({ url: `/lookup?code=${code}` });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, new RegExp(`name="code" value="${code.replaceAll('.', '\\.')}"`));
    assert.doesNotMatch(res.body, /Bạn cần làm gì tiếp theo/);
    assert.equal((await t.app.inject({ url: '/lookup' })).statusCode, 200);
  });

  test('status 5 lists the requested documents with their reasons; internal notes never show', async () => {
    const { id, code } = await submit();
    const ask = await t.app.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${id}/request-supplement`,
      headers: desk,
      payload: { revision: await revision(id), items: [{ item: 0, reason: 'Tờ khai thiếu chữ ký' }], note: 'GHI-CHU-NOI-BO' },
    });
    assert.equal(ask.statusCode, 200, ask.body);
    const v = (await api(code, '5678')).json();
    assert.equal(v.status.code, 5);
    assert.equal(v.next.step, 'supplement');
    assert.equal(v.next.documents.length, 1);
    assert.equal(v.next.documents[0].reason, 'Tờ khai thiếu chữ ký');
    assert.ok(v.next.documents[0].name.vi.length > 0);
    const html = (await page(code, '5678')).body;
    assert.match(html, /Bạn cần bổ sung các giấy tờ sau/);
    assert.match(html, /Tờ khai thiếu chữ ký/);
    assert.ok(html.includes(v.next.documents[0].name.vi));
    assert.ok(!html.includes('GHI-CHU-NOI-BO') && !JSON.stringify(v).includes('GHI-CHU-NOI-BO'));
  });

  test('received: wait until the appointment; hand-overs name the unit; an apology shows the moved appointment', async () => {
    const { id, code } = await submit();
    const rec = await t.app.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${id}/receive`,
      headers: desk,
      payload: { revision: await revision(id), note: 'GHI-CHU-NOI-BO' },
    });
    assert.equal(rec.statusCode, 200, rec.body);
    let v = (await api(code, '5678')).json();
    assert.equal(v.status.code, 2);
    assert.equal(v.next.step, 'wait');
    assert.ok(v.appointment.dueAt);
    assert.match(v.next.text[1], /Hãy chờ đến ngày hẹn: \d{2}\/\d{2}\/\d{4}/);

    // What the processing workflow writes: a transfer to the district with an internal note, then form 04.
    const original = new Date(v.appointment.dueAt);
    const later = new Date(original.getTime() + 5 * 86_400_000);
    await t.db.transaction().execute(async (trx) => {
      await trx.updateTable('dossier').set({ status: 4 }).where('id', '=', id).execute();
      await appendEvent(trx, id, { actorId: null, actorRole: 'specialist', action: 'pass', from: 2, to: 4, note: 'GHI-CHU-NOI-BO' });
      await appendEvent(trx, id, {
        actorId: null,
        actorRole: 'specialist',
        action: 'transfer',
        from: 4,
        to: 4,
        note: 'GHI-CHU-NOI-BO',
        data: { fromUnit: UNITS.quangTrung, toUnit: UNITS.haDong },
      });
      await trx
        .updateTable('dossier')
        .set({ original_due_at: original, due_at: later, apology_at: new Date() })
        .where('id', '=', id)
        .execute();
      await appendEvent(trx, id, { actorId: null, actorRole: 'leader', action: 'apologize', from: 4, to: 4, note: 'Cần xác minh thêm' });
      await appendEvent(trx, id, { actorId: null, actorRole: 'specialist', action: 'assign', from: 4, to: 4, note: 'GHI-CHU-NOI-BO' });
    });
    const res = await api(code, '5678', 'en');
    v = res.json();
    assert.equal(v.status.code, 4);
    assert.deepEqual(
      v.timeline.map((e: { action: string }) => e.action),
      ['submit', 'receive', 'pass', 'transfer', 'apologize'],
      'status changes, hand-overs and the apology; not the assignment',
    );
    assert.match(v.timeline[3].label, /^Dossier sent to .*Hà Đông/);
    assert.equal(v.timeline[4].reason, 'Cần xác minh thêm');
    assert.equal(v.appointment.dueAt, later.toISOString());
    assert.equal(v.appointment.originalDueAt, original.toISOString());
    assert.ok(!res.body.includes('GHI-CHU-NOI-BO'));
    const html = (await page(code, '5678')).body;
    assert.match(html, /Ngày hẹn cũ là \d{2}\/\d{2}\/\d{4}\. Cơ quan đã xin lỗi/);
    assert.ok(!html.includes('GHI-CHU-NOI-BO'));
  });

  test('status 6 asks for the amount due, online only at level 4; 9 and 10 say how to get the result; 3 gives the reason', async () => {
    const { id, code } = await submit();
    await t.db.updateTable('dossier').set({ status: 6, fee_amount: 50_000 }).where('id', '=', id).execute();
    let v = (await api(code, '5678')).json();
    assert.equal(v.next.step, 'pay');
    assert.equal(v.next.amountDue, 50_000);
    assert.equal(v.next.payOnline, false, 'marital status confirmation is level 3 here');
    assert.match(v.next.text[0], /Bạn cần nộp 50\.000/);
    await sql`update unit_procedure set online_level = 4 where unit_id = (select unit_id from dossier where id = ${id})
      and procedure_id = (select procedure_id from dossier where id = ${id})`.execute(t.db);
    assert.equal((await api(code, '5678')).json().next.payOnline, true);
    assert.match((await page(code, '5678')).body, /Đăng nhập để thanh toán trực tuyến/);

    const issuer = await t.db.selectFrom('account').select('id').where('email', '=', DEMO.leaderHaDong).executeTakeFirstOrThrow();
    await t.db.updateTable('dossier').set({ status: 9, outcome: 'approved' }).where('id', '=', id).execute();
    await t.db
      .insertInto('dossier_result')
      .values({
        dossier_id: id,
        kind: 'approval',
        medium: 'electronic',
        file_sha256: sha,
        verify_token: `t${id}`,
        key_id: 'k1',
        signature: 'sig',
        issued_at: new Date(),
        issued_by: issuer.id,
      })
      .execute();
    v = (await api(code, '5678')).json();
    assert.equal(v.next.step, 'collect');
    assert.match(v.next.text[0], /Hãy đến bộ phận một cửa để nhận/);
    assert.match((await page(code, '5678')).body, /tải kết quả điện tử/);

    await t.db
      .updateTable('dossier')
      .set({ status: 10, return_method: 'post', return_tracking: 'EB123456789VN' })
      .where('id', '=', id)
      .execute();
    v = (await api(code, '5678')).json();
    assert.equal(v.next.step, 'done');
    assert.match(v.next.text[0], /EB123456789VN/);

    const other = await submit();
    const refuse = await t.app.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${other.id}/refuse`,
      headers: desk,
      payload: { revision: await revision(other.id), reason: 'Không thuộc thẩm quyền của phường' },
    });
    assert.equal(refuse.statusCode, 204, refuse.body);
    v = (await api(other.code, '5678')).json();
    assert.equal(v.status.code, 3);
    assert.equal(v.next.step, 'refused');
    assert.equal(v.next.reason, 'Không thuộc thẩm quyền của phường');
    assert.match((await page(other.code, '5678')).body, /Lý do: Không thuộc thẩm quyền của phường/);
  });

  test('guessing the factor of one code is refused after a few wrong answers, even from many addresses', async () => {
    const { code } = await submit();
    for (let i = 0; i < MAX_FAILURES_PER_CODE; i++) {
      const r = await t.app.inject({ url: `/api/v1/lookup?code=${code}&check=${String(1000 + i)}`, remoteAddress: `10.0.0.${i + 1}` });
      assert.equal(r.statusCode, 404);
    }
    const blocked = await api(code, '5678');
    assert.equal(blocked.statusCode, 429);
    assert.equal(blocked.json().code, 'rate_limited');
    assert.equal((await page(code, '5678')).statusCode, 429);
  });
});

describe(`public tracking rate limit per address (${ENGINE})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ loginRateLimit: 3 });
  });
  after(() => t.close());

  test('the page and the API answer 429 after many tries from one address', async () => {
    for (const url of ['/api/v1/lookup?code=000.13.42.H26-261127-0001&check=1234', '/lookup?code=000.13.42.H26-261127-0001&check=1234']) {
      for (let i = 0; i < 3; i++) assert.equal((await t.app.inject({ url })).statusCode, 404, url);
      const r = await t.app.inject({ url });
      assert.equal(r.statusCode, 429, url);
      assert.ok(r.headers['retry-after']);
    }
  });
});
