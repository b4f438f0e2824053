import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO, testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { act, receivedDossier, state, tokens, type Auth } from '../helpers/processing.js';
import { multipart, PDF } from '../helpers/dossiers.js';
import { pdfText } from '../helpers/pdf.js';

describe(`processing along the workflow (${ENGINE})`, () => {
  let t: TestApp;
  let tok: Awaited<ReturnType<typeof tokens>>;
  before(async () => {
    t = await testApp();
    tok = await tokens(t.app);
  });
  after(() => t.close());

  const expectStatus = async (id: number, status: number, who: Auth = tok.citizen) =>
    assert.equal((await state(t.app, id, who)).status, status);

  test('an inter-level dossier: ward specialist, ward leader, district specialist, district leader, ward desk; the national code after each step', async () => {
    const { id } = await receivedDossier(t, tok);
    await expectStatus(id, 2);
    // The ward's specialist sees it in the queue; the district's does not, yet.
    const q = await t.app.inject({ url: '/api/v1/work/queue', headers: tok.specialistQuangTrung });
    assert.equal(q.statusCode, 200, q.body);
    assert.ok(q.json().items.some((x: { id: number }) => x.id === id));
    const dq = await t.app.inject({ url: '/api/v1/work/queue', headers: tok.specialistHaDong });
    assert.ok(!dq.json().items.some((x: { id: number }) => x.id === id));

    // The district cannot act on a step held by the ward.
    assert.equal((await act(t.app, id, tok.specialistHaDong, { action: 'pass' })).statusCode, 403);
    let r = await act(t.app, id, tok.specialistQuangTrung, { action: 'pass', note: 'Đã xác minh' });
    assert.equal(r.statusCode, 200, r.body);
    await expectStatus(id, 4);
    r = await act(t.app, id, tok.leaderQuangTrung, { action: 'pass', decision: 'approve' });
    assert.equal(r.statusCode, 200, r.body);
    const ev = await t.db
      .selectFrom('dossier_event')
      .select(['action', 'data'])
      .where('dossier_id', '=', id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(ev.action, 'transfer');
    await expectStatus(id, 4);
    const dq2 = await t.app.inject({ url: '/api/v1/work/queue', headers: tok.specialistHaDong });
    assert.ok(dq2.json().items.some((x: { id: number }) => x.id === id));
    r = await act(t.app, id, tok.specialistHaDong, { action: 'pass', decision: 'approve', reason: 'Đủ điều kiện' });
    assert.equal(r.statusCode, 200, r.body);
    // A specialist cannot sign.
    assert.equal((await act(t.app, id, tok.specialistHaDong, { action: 'approve', decision: 'x' })).statusCode, 403);
    r = await act(t.app, id, tok.leaderHaDong, { action: 'approve', decision: 'Xác nhận ông Nguyễn Văn An hiện chưa đăng ký kết hôn.' });
    assert.equal(r.statusCode, 200, r.body);
    await expectStatus(id, 9);
    const result = await t.db.selectFrom('dossier_result').selectAll().where('dossier_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(result.kind, 'approval');
    assert.equal(result.medium, 'electronic');
    // The ward desk holds the return step; the citizen's download is the online return.
    const pdf = await t.app.inject({ url: `/api/v1/dossiers/${id}/result`, headers: tok.citizen });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    // Issued by the district whose leader signed, not by the ward that received it.
    const district = await t.db.selectFrom('unit').select('name_vi').where('code', '=', '000.00.42.H26').executeTakeFirstOrThrow();
    assert.ok((await pdfText(pdf.rawPayload)).toUpperCase().includes(district.name_vi.toUpperCase()), 'the district issues the result');
    await expectStatus(id, 10);
    const v = await t.app.inject({ url: `/api/v1/verify/${result.verify_token}` });
    assert.equal(v.json().authentic, true);
    const steps = await t.db
      .selectFrom('dossier_step')
      .select(['step_key', 'outcome'])
      .where('dossier_id', '=', id)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      steps.map((s) => `${s.step_key}:${s.outcome}`),
      ['ward_check:pass', 'ward_confirm:transfer', 'district_check:pass', 'district_sign:approve', 'ward_return:return_result'],
    );
  });

  test('the default workflow: unpaid fee waits in 6, cash payment gives 2; returned once and to the previous step; rejection with a reasoned document; result returned by post', async () => {
    const { id } = await receivedDossier(t, tok, 'residence');
    await expectStatus(id, 6);
    const cash = await t.app.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${id}/payments/cash`,
      headers: tok.deskQuangTrung,
      payload: { amount: 7000 },
    });
    assert.equal(cash.statusCode, 200, cash.body);
    await expectStatus(id, 2);
    let r = await act(t.app, id, tok.specialistQuangTrung, { action: 'pass' });
    assert.equal(r.statusCode, 200, r.body);
    // The leader sends it back, with a reason; without one it is refused.
    assert.equal((await act(t.app, id, tok.leaderQuangTrung, { action: 'return_step' })).json().code, 'reason_required');
    r = await act(t.app, id, tok.leaderQuangTrung, { action: 'return_step', reason: 'Thiếu ý kiến thẩm định' });
    assert.equal(r.statusCode, 200, r.body);
    await expectStatus(id, 4);
    assert.equal((await act(t.app, id, tok.specialistQuangTrung, { action: 'return_step', reason: 'x' })).json().code, 'no_previous_step');
    r = await act(t.app, id, tok.specialistQuangTrung, { action: 'pass', decision: 'reject', reason: 'Không đủ điều kiện' });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal((await act(t.app, id, tok.leaderQuangTrung, { action: 'reject' })).json().code, 'reason_required');
    r = await act(t.app, id, tok.leaderQuangTrung, {
      action: 'reject',
      reason: 'Nơi ở không thuộc địa bàn phường.',
      legalBasis: 'Luật Cư trú 2020',
    });
    assert.equal(r.statusCode, 200, r.body);
    await expectStatus(id, 9);
    assert.equal((await t.db.selectFrom('dossier').select('outcome').where('id', '=', id).executeTakeFirstOrThrow()).outcome, 'rejected');
    assert.equal((await act(t.app, id, tok.deskQuangTrung, { action: 'return_result', method: 'post' })).json().code, 'tracking_required');
    r = await act(t.app, id, tok.deskQuangTrung, { action: 'return_result', method: 'post', tracking: 'EE123456789VN' });
    assert.equal(r.statusCode, 200, r.body);
    await expectStatus(id, 10);
    const d = await t.db
      .selectFrom('dossier')
      .select(['return_method', 'return_tracking', 'step_unit_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(d, { return_method: 'post', return_tracking: 'EE123456789VN', step_unit_id: null });
  });

  test('a supplement during processing stops the clock (5), the desk receives it and the same step resumes (4) with the appointment moved', async () => {
    const { id } = await receivedDossier(t, tok);
    const before = await t.db.selectFrom('dossier').select('due_at').where('id', '=', id).executeTakeFirstOrThrow();
    const specialist = await t.db
      .selectFrom('account')
      .select('id')
      .where('email', '=', DEMO.specialistQuangTrung)
      .executeTakeFirstOrThrow();
    const assigned = await t.app.inject({
      method: 'POST',
      url: '/api/v1/work/assign',
      headers: tok.leaderQuangTrung,
      payload: { unit: '000.13.42.H26', ids: [id], assigneeId: specialist.id },
    });
    assert.deepEqual(assigned.json(), { assigned: 1 });
    const r = await act(t.app, id, tok.specialistQuangTrung, { action: 'request_supplement', items: [{ item: 2, reason: 'Bản chụp mờ' }] });
    assert.equal(r.statusCode, 200, r.body);
    await expectStatus(id, 5);
    // The request goes to the applicant as form 02, like one made at the desk.
    const form02 = await t.app.inject({ url: `/dossiers/${id}/forms/02.pdf`, headers: tok.deskQuangTrung });
    assert.equal(form02.statusCode, 200);
    assert.equal(form02.headers['content-type'], 'application/pdf');
    // Only the requested document arrives; then the desk receives it.
    const rec = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/receive`, headers: tok.deskQuangTrung, payload: {} });
    assert.equal(rec.statusCode, 200, rec.body);
    await expectStatus(id, 4);
    const after = await t.db
      .selectFrom('dossier')
      .select(['due_at', 'pauses', 'step_role', 'step_index', 'assignee_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(after.step_index, 0);
    assert.equal(after.assignee_id, specialist.id, 'the step stays with the specialist who asked');
    assert.equal(after.step_role, 'specialist');
    const pauses = after.pauses as { from: string; to: string | null }[];
    assert.equal(pauses.length, 1);
    assert.ok(pauses[0]!.to);
    assert.ok(after.due_at! >= before.due_at!);
  });

  test('a financial obligation during processing waits in 6 and payment returns it to 4', async () => {
    const { id } = await receivedDossier(t, tok);
    await act(t.app, id, tok.specialistQuangTrung, { action: 'pass' });
    const before = await t.db.selectFrom('dossier').select('due_at').where('id', '=', id).executeTakeFirstOrThrow();
    const r = await act(t.app, id, tok.leaderQuangTrung, { action: 'obligation', amount: 50000 });
    assert.equal(r.statusCode, 200, r.body);
    await expectStatus(id, 6);
    // The clock stops while the applicant pays.
    const waiting = await t.db.selectFrom('dossier').select('pauses').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal((waiting.pauses as { to: string | null }[]).filter((p) => p.to === null).length, 1);
    const cash = await t.app.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${id}/payments/cash`,
      headers: tok.deskQuangTrung,
      payload: { amount: 50000 },
    });
    assert.equal(cash.statusCode, 200, cash.body);
    await expectStatus(id, 4);
    const after = await t.db.selectFrom('dossier').select(['pauses', 'due_at']).where('id', '=', id).executeTakeFirstOrThrow();
    const pauses = after.pauses as { to: string | null }[];
    assert.equal(pauses.length, 1);
    assert.ok(pauses[0]!.to, 'the payment ended the pause');
    assert.ok(after.due_at! >= before.due_at!, 'the appointment never moves earlier');
  });

  test('withdrawal: the citizen asks (7), the desk declines (back to 4) or accepts (8); a leader stops a dossier (8) with a reason', async () => {
    const { id } = await receivedDossier(t, tok);
    await act(t.app, id, tok.specialistQuangTrung, { action: 'pass' });
    const ask = async () => {
      const { revision } = await state(t.app, id, tok.citizen);
      return t.app.inject({
        method: 'POST',
        url: `/api/v1/dossiers/${id}/withdrawal`,
        headers: tok.citizen,
        payload: { revision, reason: 'Tôi không cần nữa' },
      });
    };
    assert.equal((await ask()).statusCode, 200);
    await expectStatus(id, 7);
    // While the withdrawal is pending nobody processes it.
    assert.equal((await act(t.app, id, tok.leaderQuangTrung, { action: 'pass' })).json().code, 'invalid_transition');
    let r = await act(t.app, id, tok.deskQuangTrung, { action: 'withdraw_decline', reason: 'Hồ sơ đã được ký' }, tok.citizen);
    assert.equal(r.statusCode, 200, r.body);
    await expectStatus(id, 4);
    assert.equal((await ask()).statusCode, 200);
    r = await act(t.app, id, tok.deskQuangTrung, { action: 'withdraw_accept' }, tok.citizen);
    assert.equal(r.statusCode, 200, r.body);
    await expectStatus(id, 8);

    const other = await receivedDossier(t, tok);
    assert.equal((await act(t.app, other.id, tok.specialistQuangTrung, { action: 'stop', reason: 'x' })).statusCode, 403);
    r = await act(t.app, other.id, tok.leaderQuangTrung, { action: 'stop', reason: 'Người nộp đã mất' });
    assert.equal(r.statusCode, 200, r.body);
    await expectStatus(other.id, 8);
  });

  test('two officials acting at once on the same revision: one wins, the other gets 409 dossier_conflict, nothing is lost', async () => {
    const { id } = await receivedDossier(t, tok);
    const { revision } = await state(t.app, id, tok.specialistQuangTrung);
    const send = (auth: Auth, body: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/actions`, headers: auth, payload: { revision, ...body } });
    const results = await Promise.all([
      send(tok.specialistQuangTrung, { action: 'pass', note: 'A' }),
      send(tok.leaderQuangTrung, { action: 'request_supplement', items: [{ item: 0, reason: 'B' }] }),
      send(tok.leaderQuangTrung, { action: 'pass', note: 'C' }),
    ]);
    const codes = results.map((x) => x.statusCode).sort();
    assert.deepEqual(codes, [200, 409, 409]);
    for (const x of results.filter((y) => y.statusCode === 409)) assert.equal(x.json().code, 'dossier_conflict');
    const events = await t.db.selectFrom('dossier_event').select('action').where('dossier_id', '=', id).execute();
    const processing = events.filter((e) => ['pass', 'request_supplement'].includes(e.action));
    assert.equal(processing.length, 1);
    const steps = await t.db.selectFrom('dossier_step').select('finished_at').where('dossier_id', '=', id).execute();
    assert.equal(steps.filter((s) => s.finished_at === null).length <= 1, true);
  });

  test('the official working a step attaches a document that goes on with the dossier; others cannot, and bad files are refused', async () => {
    const { id } = await receivedDossier(t, tok);
    const send = (auth: Auth, bytes: Buffer, name = 'bien-ban.pdf', type = 'application/pdf') => {
      const m = multipart({}, { name, type, bytes });
      return t.app.inject({
        method: 'POST',
        url: `/api/v1/dossiers/${id}/work-documents`,
        headers: { ...auth, ...m.headers },
        payload: m.payload,
      });
    };
    const ok = await send(tok.specialistQuangTrung, PDF);
    assert.equal(ok.statusCode, 201, ok.body);
    const doc = await t.db
      .selectFrom('dossier_document')
      .select(['item', 'file_name'])
      .where('id', '=', ok.json().id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(doc, { item: -1, file_name: 'bien-ban.pdf' });
    assert.equal((await send(tok.specialistHaDong, PDF)).statusCode, 403);
    assert.equal((await send(tok.specialistQuangTrung, Buffer.from('plain text'), 'x.pdf')).statusCode, 415);
    // Passed on: the district sees the document with the dossier.
    await act(t.app, id, tok.specialistQuangTrung, { action: 'pass' });
    await act(t.app, id, tok.leaderQuangTrung, { action: 'pass' });
    const docs = (await t.app.inject({ url: `/api/v1/dossiers/${id}`, headers: tok.specialistHaDong })).json().documents as {
      name: string;
    }[];
    assert.ok(docs.some((d) => d.name === 'bien-ban.pdf'));
  });

  test('officials of other units see nothing and cannot act: a sibling ward, a child ward off the path, another district', async () => {
    const { id } = await receivedDossier(t, tok);
    // Dịch Vọng (another district's ward) and a Hà Đông ward that is not on the path.
    const vanQuan = await t.db.selectFrom('unit').select('id').where('code', '=', '000.15.42.H26').executeTakeFirstOrThrow();
    const acct = await t.db
      .selectFrom('account')
      .select('id')
      .where('email', '=', 'desk.dichvong@demo.motcua.vn')
      .executeTakeFirstOrThrow();
    await t.db.insertInto('role_assignment').values({ account_id: acct.id, role: 'specialist', unit_id: vanQuan.id }).execute();
    const other = await tokens(t.app);
    for (const who of [other.deskDichVong]) {
      assert.equal((await t.app.inject({ url: `/api/v1/dossiers/${id}`, headers: who })).statusCode, 404);
      assert.equal((await act(t.app, id, who, { action: 'pass' }, tok.citizen)).statusCode, 404);
      assert.equal((await t.app.inject({ url: `/api/v1/dossiers/${id}/control-sheet`, headers: who })).statusCode, 404);
    }
    // The district sees the ward's dossier (parent) but cannot act on the ward's step.
    assert.equal((await t.app.inject({ url: `/api/v1/dossiers/${id}`, headers: tok.specialistHaDong })).statusCode, 200);
    assert.equal((await act(t.app, id, tok.leaderHaDong, { action: 'pass' })).statusCode, 403);
  });
});
