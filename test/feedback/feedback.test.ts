import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { act as officialAct } from '../../src/modules/feedback/feedback.actions.js';
import { SYSTEM_CONTEXT } from '../../src/modules/audit/audit.js';
import type { SubmitInput } from '../../src/modules/feedback/feedback.schema.js';
import { ENGINE } from '../helpers/db.js';
import { multipart, PDF } from '../helpers/dossiers.js';
import { receivedDossier, tokens, type Auth } from '../helpers/processing.js';

type Tokens = Record<keyof typeof DEMO, Auth>;

const COMPLAINT: SubmitInput = {
  kind: 'conduct',
  title: 'Cán bộ một cửa hướng dẫn chưa tận tình',
  content:
    'Tôi là Nguyễn Thị Hoa, CCCD 001190012345, điện thoại 0912 345 678. Ngày 20/11/2026 tôi nộp hồ sơ thủ tục 1.004873, lệ phí 8.000 đồng, cán bộ không giải thích rõ.',
  name: 'Nguyễn Thị Hoa',
  phone: '0912345678',
  unit: UNITS.quangTrung,
};

describe(`feedback and questions (${ENGINE})`, () => {
  let t: TestApp;
  let tok: Tokens;
  const post = (url: string, payload: unknown, headers: Auth = {}) =>
    t.app.inject({ method: 'POST', url, payload: payload as object, headers });
  const submit = async (body: Record<string, unknown> = COMPLAINT) => {
    const res = await post('/api/v1/feedback', body);
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { code: string; key: string; trackUrl: string; unit: string; answerBy: string };
  };
  const act = (code: string, auth: Auth, body: Record<string, unknown>) => post(`/api/v1/feedback/${code}/actions`, body, auth);
  const view = async (code: string, key: string) => {
    const res = await post(`/api/v1/feedback/${code}/track`, { key });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };
  const expectError = (res: { statusCode: number; json(): { code?: string } }, status: number, code: string) => {
    assert.equal(res.statusCode, status, JSON.stringify(res.json()));
    assert.equal(res.json().code, code);
  };
  /** Submitted, answered and approved: published. */
  let published: { code: string; key: string };

  before(async () => {
    t = await testApp();
    tok = await tokens(t.app);
    published = await submit();
    assert.equal(
      (await act(published.code, tok.specialistQuangTrung, { action: 'answer', template: 'conduct.apology', submit: true })).statusCode,
      204,
    );
    assert.equal((await act(published.code, tok.leaderQuangTrung, { action: 'approve' })).statusCode, 204);
  });
  after(async () => t?.close());

  test('submission: code, follow link, routed to the named unit, 15 working days, author notified', async () => {
    const s = await submit();
    assert.match(s.code, /^PAKN-\d{6}-\d{5}$/);
    assert.equal(s.unit, UNITS.quangTrung);
    assert.ok(s.trackUrl.includes(`code=${s.code}`) && s.trackUrl.includes(`key=${s.key}`));
    const v = await view(s.code, s.key);
    assert.equal(v.status, 'received');
    assert.equal(v.unit.code, UNITS.quangTrung);
    assert.deepEqual(
      v.history.map((h: { action: string }) => h.action),
      ['submit'],
    );
    const jobs = await t.db.selectFrom('job').select(['queue', 'payload']).execute();
    assert.ok(
      jobs.some((j) => JSON.stringify(j.payload).includes(s.code)),
      'a message to the author',
    );
  });

  test('routing: the dossier’s unit when no unit is named, else the city reception', async () => {
    const { code: dossier } = await receivedDossier(t, tok);
    const viaDossier = await submit({
      kind: 'question',
      title: 'Khi nào có kết quả?',
      content: 'Hỏi về hồ sơ của tôi',
      name: 'Hoa',
      email: 'hoa@example.vn',
      dossier,
    });
    assert.equal(viaDossier.unit, UNITS.quangTrung);
    const city = await submit({
      kind: 'regulation',
      title: 'Quy định',
      content: 'Thủ tục quá nhiều giấy tờ',
      name: 'An',
      phone: '0987654321',
    });
    assert.equal(city.unit, UNITS.city);
  });

  test('a logged-in citizen gets the messages in the inbox too', async () => {
    const res = await post('/api/v1/feedback', { ...COMPLAINT, kind: 'question' }, tok.citizen);
    assert.equal(res.statusCode, 201, res.body);
    const row = await t.db.selectFrom('feedback').select('author_account_id').where('code', '=', res.json().code).executeTakeFirstOrThrow();
    assert.ok(row.author_account_id);
    const inbox = await t.db.selectFrom('notification').select('template').where('account_id', '=', row.author_account_id).execute();
    assert.ok(inbox.some((n) => n.template === 'feedback.received'));
  });

  test('published: redacted question and answer, no name or contact, on time, leader inbox was told, author can rate', async () => {
    const item = (await t.app.inject({ url: `/api/v1/feedback/${published.code}` })).json();
    const all = JSON.stringify(item);
    for (const secret of ['Nguyễn Thị Hoa', '001190012345', '0912 345 678', '0912345678']) assert.ok(!all.includes(secret), secret);
    assert.ok(item.question.includes('1.004873') && item.question.includes('20/11/2026') && item.question.includes('8.000 đồng'));
    assert.ok(item.answer.includes('xin lỗi'));
    assert.equal(item.onTime, true);
    const list = (await t.app.inject({ url: '/api/v1/feedback?q=huong dan chua tan tinh' })).json();
    assert.ok(
      list.items.some((i: { code: string }) => i.code === published.code),
      'found without diacritics',
    );
    const none = (await t.app.inject({ url: '/api/v1/feedback?q=khong+co+tu+nay+xyz' })).json();
    assert.equal(none.total, 0);
    const byKind = (await t.app.inject({ url: `/api/v1/feedback?kind=question&unit=${UNITS.quangTrung}` })).json();
    assert.ok(!byKind.items.some((i: { code: string }) => i.code === published.code));
    const leaderInbox = await t.db
      .selectFrom('notification as n')
      .innerJoin('account_identifier as i', 'i.account_id', 'n.account_id')
      .select('n.template')
      .where('i.identifier', '=', DEMO.leaderQuangTrung)
      .execute();
    assert.ok(leaderInbox.some((n) => n.template === 'feedback.awaiting_approval'));
    const v = await view(published.code, published.key);
    assert.equal(v.status, 'published');
    assert.equal(v.canRate, true);
    assert.equal(v.canReopen, true);
    const audit = await t.db
      .selectFrom('audit_event')
      .select('action')
      .where('entity_type', '=', 'feedback')
      .where('entity_id', '=', published.code)
      .execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['feedback.answer', 'feedback.approve']);
  });

  test('rate once, reopen once (refused a second time, also by the database)', async () => {
    const s = await submit();
    await act(s.code, tok.specialistQuangTrung, { action: 'answer', text: 'Trả lời', submit: true });
    await act(s.code, tok.leaderQuangTrung, { action: 'approve' });
    assert.equal((await post(`/api/v1/feedback/${s.code}/rate`, { key: s.key, rating: 'not_satisfied' })).statusCode, 204);
    expectError(await post(`/api/v1/feedback/${s.code}/rate`, { key: s.key, rating: 'satisfied' }), 409, 'feedback_already_rated');
    assert.equal((await post(`/api/v1/feedback/${s.code}/reopen`, { key: s.key, reason: 'Chưa rõ' })).statusCode, 204);
    let v = await view(s.code, s.key);
    assert.equal(v.status, 'answering');
    assert.ok(new Date(v.answerBy) >= new Date(s.answerBy));
    await act(s.code, tok.specialistQuangTrung, { action: 'answer', text: 'Trả lời lần hai', submit: true });
    await act(s.code, tok.leaderQuangTrung, { action: 'approve' });
    v = await view(s.code, s.key);
    assert.equal(v.canRate, true, 'the second answer can be rated');
    assert.equal(v.canReopen, false);
    expectError(await post(`/api/v1/feedback/${s.code}/reopen`, { key: s.key, reason: 'Lần nữa' }), 409, 'feedback_reopen_used');
    await assert.rejects(t.db.updateTable('feedback').set({ reopen_count: 2 }).where('code', '=', s.code).execute());
  });

  test('information requested: the author replies, the answer clock moves on', async () => {
    const s = await submit();
    assert.equal(
      (await act(s.code, tok.deskQuangTrung, { action: 'request_info', question: 'Ông/Bà nộp hồ sơ ngày nào?' })).statusCode,
      204,
    );
    const v = await view(s.code, s.key);
    assert.equal(v.status, 'info_requested');
    assert.equal(v.infoQuestion, 'Ông/Bà nộp hồ sơ ngày nào?');
    expectError(await post(`/api/v1/feedback/${s.code}/reply`, { key: s.key, text: '  ' }), 400, 'feedback_text_required');
    assert.equal((await post(`/api/v1/feedback/${s.code}/reply`, { key: s.key, text: 'Ngày 20/11' })).statusCode, 204);
    assert.equal((await view(s.code, s.key)).status, 'answering');
    const m = multipart({ key: s.key }, { name: 'anh.pdf', type: 'application/pdf', bytes: PDF });
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/v1/feedback/${s.code}/attachments`,
      payload: m.payload,
      headers: m.headers,
    });
    assert.equal(up.statusCode, 201, up.body);
    assert.deepEqual((await view(s.code, s.key)).attachments, [{ name: 'anh.pdf', size: PDF.length }]);
  });

  test('transfer to another unit (with a reason), reject with a reason', async () => {
    const s = await submit({ ...COMPLAINT, unit: UNITS.haDong });
    expectError(
      await act(s.code, tok.specialistHaDong, { action: 'transfer', unit: UNITS.haDong, reason: 'x' }),
      400,
      'feedback_same_unit',
    );
    expectError(
      await act(s.code, tok.specialistHaDong, { action: 'transfer', unit: UNITS.quangTrung, reason: ' ' }),
      400,
      'reason_required',
    );
    assert.equal(
      (await act(s.code, tok.specialistHaDong, { action: 'transfer', unit: UNITS.quangTrung, reason: 'Thuộc phường' })).statusCode,
      204,
    );
    assert.equal((await view(s.code, s.key)).unit.code, UNITS.quangTrung);
    assert.equal((await act(s.code, tok.deskQuangTrung, { action: 'reject', reason: 'Trùng phản ánh đã trả lời' })).statusCode, 204);
    const v = await view(s.code, s.key);
    assert.equal(v.status, 'rejected');
    assert.equal(v.reason, 'Trùng phản ánh đã trả lời');
  });

  test('queue: open items of the official’s units with deadlines and late flags', async () => {
    const q = await t.app.inject({ url: '/api/v1/feedback/queue', headers: tok.deskQuangTrung });
    assert.equal(q.statusCode, 200, q.body);
    const items = q.json() as { code: string; unit: { code: string }; late: boolean }[];
    assert.ok(items.length > 0);
    assert.ok(items.every((i) => i.unit.code === UNITS.quangTrung && i.late === false));
    const other = (await t.app.inject({ url: '/api/v1/feedback/queue', headers: tok.deskDichVong })).json() as unknown[];
    assert.equal(other.length, 0);
  });

  test('figures per unit and open data', async () => {
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const res = await t.app.inject({ url: `/api/v1/reports/feedback?unit=${UNITS.haDong}&from=2026-01-01&to=${today}` });
    assert.equal(res.statusCode, 200, res.body);
    const f = res.json();
    const qt = f.units.find((u: { code: string }) => u.code === UNITS.quangTrung);
    assert.ok(qt.received >= 5 && qt.answered >= 3 && qt.answeredOnTime === qt.answered && qt.late === 0);
    assert.ok(qt.rejected >= 1 && qt.reopened >= 1 && qt.notSatisfied >= 1);
    assert.equal(qt.onTimeRate, 100);
    assert.equal(
      f.total.received,
      f.units.reduce((a: number, u: { received: number }) => a + u.received, 0),
    );
    expectError(
      await t.app.inject({ url: `/api/v1/reports/feedback?unit=${UNITS.haDong}&from=2026-02-01&to=2026-01-01` }),
      400,
      'invalid_date_range',
    );
    const open = (await t.app.inject({ url: '/api/v1/open-data/feedback.json' })).json();
    assert.equal(open.schemaVersion, 1);
    const row = open.items.find((i: { code: string }) => i.code === published.code);
    assert.deepEqual(Object.keys(row).sort(), [
      'answerDueAt',
      'answeredAt',
      'code',
      'kind',
      'onTime',
      'procedureCode',
      'publishedAt',
      'receivedAt',
      'unitCode',
    ]);
    assert.equal(row.onTime, true);
  });

  test('figures: an answer approved after its deadline is late; an open item past it is overdue now', async () => {
    const svc = t.app.services.feedback;
    const actor = (await t.app.services.auth.actorFromToken(tok.leaderHaDong.authorization!.slice(7)))!;
    // Received Fri 13/2/2026 before Tết: answer due Fri 13/3; approved on Mon 16/3 is late.
    const received = new Date('2026-02-13T10:00:00+07:00');
    const late = await svc.submit({ ...COMPLAINT, kind: 'regulation', unit: UNITS.haDong }, null, received);
    assert.equal(late.answerBy, '2026-03-13T10:00:00.000Z');
    await officialAct(
      svc,
      actor,
      SYSTEM_CONTEXT,
      late.code,
      { action: 'answer', text: 'Trả lời muộn', submit: true },
      new Date('2026-03-16T09:00:00+07:00'),
    );
    await officialAct(svc, actor, SYSTEM_CONTEXT, late.code, { action: 'approve' }, new Date('2026-03-16T10:00:00+07:00'));
    await svc.submit({ ...COMPLAINT, unit: UNITS.haDong }, null, received);
    const { path } = await svc.db.selectFrom('unit').select('path').where('code', '=', UNITS.haDong).executeTakeFirstOrThrow();
    const f = await svc.figures({ unitPath: path, from: '2026-02-01', to: '2026-03-31' });
    const hd = f.units.find((u) => u.code === UNITS.haDong)!;
    assert.equal(hd.received, 2);
    assert.deepEqual(hd.byKind, { question: 0, regulation: 1, conduct: 1 });
    assert.equal(hd.answered, 1);
    assert.equal(hd.late, 1);
    assert.equal(hd.onTimeRate, 0);
    assert.equal(hd.openOverdue, 1);
    const pub = (await t.app.inject({ url: `/api/v1/feedback/${late.code}` })).json();
    assert.equal(pub.onTime, false);
  });

  describe('bad input: 4xx with a stable code', () => {
    test('oversize title and content are refused, not cut', async () => {
      expectError(await post('/api/v1/feedback', { ...COMPLAINT, title: 'a'.repeat(201) }), 400, 'feedback_title_too_long');
      expectError(await post('/api/v1/feedback', { ...COMPLAINT, content: 'b'.repeat(5001) }), 400, 'feedback_content_too_long');
    });
    test('abusive content', async () => {
      expectError(await post('/api/v1/feedback', { ...COMPLAINT, content: 'Cán bộ mất dạy' }), 422, 'feedback_abusive');
    });
    test('missing contact, bad phone, missing name', async () => {
      const { phone: _p, ...noContact } = COMPLAINT;
      expectError(await post('/api/v1/feedback', noContact), 400, 'feedback_contact_required');
      expectError(await post('/api/v1/feedback', { ...COMPLAINT, phone: '12345' }), 400, 'invalid_phone');
      expectError(await post('/api/v1/feedback', { ...COMPLAINT, name: ' ' }), 400, 'feedback_name_required');
    });
    test('unknown unit, dossier or procedure', async () => {
      expectError(await post('/api/v1/feedback', { ...COMPLAINT, unit: '999.99.99.H26' }), 404, 'unit_not_found');
      expectError(
        await post('/api/v1/feedback', { ...COMPLAINT, unit: undefined, dossier: '000.13.42.H26-261127-9999' }),
        404,
        'dossier_not_found',
      );
      expectError(await post('/api/v1/feedback', { ...COMPLAINT, procedure: '9.999999' }), 404, 'procedure_not_found');
    });
    test('wrong key, unknown code', async () => {
      expectError(await post(`/api/v1/feedback/${published.code}/track`, { key: 'x'.repeat(24) }), 403, 'feedback_key_invalid');
      expectError(
        await post(`/api/v1/feedback/${published.code}/rate`, { key: 'x'.repeat(24), rating: 'satisfied' }),
        403,
        'feedback_key_invalid',
      );
      expectError(await post('/api/v1/feedback/PAKN-990101-00001/track', { key: 'x'.repeat(24) }), 404, 'feedback_not_found');
      expectError(await t.app.inject({ url: '/api/v1/feedback/PAKN-990101-00001' }), 404, 'feedback_not_found');
    });
    test('actions in the wrong state, and unpublished items are not public', async () => {
      const s = await submit();
      expectError(await t.app.inject({ url: `/api/v1/feedback/${s.code}` }), 404, 'feedback_not_found');
      expectError(await act(s.code, tok.leaderQuangTrung, { action: 'approve' }), 409, 'feedback_wrong_state');
      expectError(await post(`/api/v1/feedback/${s.code}/rate`, { key: s.key, rating: 'satisfied' }), 409, 'feedback_wrong_state');
      expectError(await post(`/api/v1/feedback/${s.code}/reopen`, { key: s.key, reason: 'x' }), 409, 'feedback_wrong_state');
      expectError(await post(`/api/v1/feedback/${s.code}/reply`, { key: s.key, text: 'x' }), 409, 'feedback_wrong_state');
      expectError(
        await act(s.code, tok.deskQuangTrung, { action: 'answer', template: 'question.guide' }),
        400,
        'feedback_template_unknown',
      );
      expectError(await act(published.code, tok.deskQuangTrung, { action: 'reject', reason: 'x' }), 409, 'feedback_wrong_state');
    });
    test('another unit’s official, a non-leader approving, a citizen acting: 403', async () => {
      const s = await submit();
      expectError(await act(s.code, tok.deskDichVong, { action: 'reject', reason: 'x' }), 403, 'forbidden');
      await act(s.code, tok.deskQuangTrung, { action: 'answer', text: 'Trả lời', submit: true });
      expectError(await act(s.code, tok.deskQuangTrung, { action: 'approve' }), 403, 'forbidden');
      expectError(await act(s.code, tok.leaderHaDong.authorization ? tok.citizen : tok.citizen, { action: 'approve' }), 403, 'forbidden');
      expectError(await act(s.code, {}, { action: 'approve' }), 401, 'unauthenticated');
    });
    test('a file of the wrong type', async () => {
      const s = await submit();
      const m = multipart({ key: s.key }, { name: 'a.exe', type: 'application/octet-stream', bytes: Buffer.from('MZ....') });
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/feedback/${s.code}/attachments`,
        payload: m.payload,
        headers: m.headers,
      });
      expectError(res, 415, 'file_type_not_allowed');
    });
  });
});
