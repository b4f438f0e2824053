import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { tokens } from '../helpers/processing.js';
import { conferenceBody, registrationOver, schedule, startedAlready } from './helpers.js';
import { isCiphertext, pii } from '../../src/lib/pii.js';

type Tok = Awaited<ReturnType<typeof tokens>>;

describe(`dialogue conferences (${ENGINE})`, () => {
  let t: TestApp;
  let tok: Tok;
  before(async () => {
    // Both channels on (the job queue is not run here), so each message's recipients can be read from it.
    t = await testApp({ smtpUrl: 'smtp://127.0.0.1:9', smsProvider: 'sandbox' });
    tok = await tokens(t.app);
  });
  after(() => t.close());

  const inject = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const expectCode = (r: { statusCode: number; body: string; json(): { code: string } }, status: number, code: string) => {
    assert.equal(r.statusCode, status, r.body);
    assert.equal(r.json().code, code);
  };
  const register = (id: number, body: object, headers: Record<string, string> = {}) =>
    inject('POST', `/api/v1/conferences/${id}/registrations`, body, headers);
  const ask = (id: number, body: object, headers: Record<string, string> = {}) =>
    inject('POST', `/api/v1/conferences/${id}/questions`, body, headers);
  const accept = (id: number, qid: number) =>
    inject('POST', `/api/v1/conferences/${id}/questions/${qid}/moderation`, { decision: 'accept' }, tok.specialistHaDong);

  test("the unit's leader, administrator or a city admin schedules; a specialist or another unit's leader cannot", async () => {
    const id = await schedule(t.app, tok.adminHaDong);
    await schedule(t.app, tok.leaderHaDong);
    await schedule(t.app, tok.cityAdmin);
    expectCode(await inject('POST', '/api/v1/conferences', conferenceBody(), tok.specialistHaDong), 403, 'forbidden');
    expectCode(await inject('POST', '/api/v1/conferences', conferenceBody(), tok.leaderQuangTrung), 403, 'forbidden');
    expectCode(await inject('POST', '/api/v1/conferences', conferenceBody()), 401, 'unauthenticated');
    expectCode(
      await inject(
        'POST',
        '/api/v1/conferences',
        conferenceBody({ startsAt: new Date(Date.now() - 3600_000).toISOString() }),
        tok.adminHaDong,
      ),
      400,
      'conference_in_past',
    );
    expectCode(
      await inject(
        'POST',
        '/api/v1/conferences',
        conferenceBody({ registrationClosesAt: new Date(Date.now() + 8 * 86_400_000).toISOString() }),
        tok.adminHaDong,
      ),
      400,
      'registration_after_start',
    );
    expectCode(
      await inject('POST', '/api/v1/conferences', conferenceBody({ unit: '999.99.99.H99' }), tok.adminHaDong),
      404,
      'unit_not_found',
    );
    expectCode(await inject('POST', '/api/v1/conferences', { ...conferenceBody(), extra: 1 }, tok.adminHaDong), 400, 'validation_failed');
    // Editing: the organiser yes, another unit's leader no.
    assert.equal((await inject('PATCH', `/api/v1/conferences/${id}`, { place: 'Phòng họp tầng 3' }, tok.adminHaDong)).statusCode, 204);
    expectCode(await inject('PATCH', `/api/v1/conferences/${id}`, { place: 'X' }, tok.leaderQuangTrung), 403, 'forbidden');
    const v = (await inject('GET', `/api/v1/conferences/${id}`)).json();
    assert.equal(v.place, 'Phòng họp tầng 3');
    assert.equal(v.leaders.length, 2);
    const list = (await inject('GET', `/api/v1/conferences?unit=${UNITS.haDong}`)).json() as { id: number }[];
    assert.ok(list.some((c) => c.id === id));
    const audit = await t.db
      .selectFrom('audit_event')
      .select('action')
      .where('entity_type', '=', 'conference')
      .where('entity_id', '=', String(id))
      .execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['conference.create', 'conference.update']);
  });

  test('registration: once per phone, refused when full or closed, each with its own code; the registrant is told', async () => {
    const id = await schedule(t.app, tok.adminHaDong, { capacity: 2 });
    let r = await register(id, { fullName: 'Lê Thị Mai', phone: '0987 654 321', organisation: 'Hộ kinh doanh Mai Anh' });
    assert.equal(r.statusCode, 201, r.body);
    const jobs = await t.db
      .selectFrom('job')
      .select(sql<string>`payload->>'to'`.as('to'))
      .where(sql<boolean>`payload->>'template' = 'conference.registered'`)
      .execute();
    assert.deepEqual(
      jobs.map((j) => pii().decrypt(j.to)),
      ['0987654321'],
    );
    expectCode(await register(id, { fullName: 'Lê Thị Mai', phone: '+84987654321' }), 409, 'already_registered');
    // A logged-in citizen: the inbox holds the confirmation.
    r = await register(id, { fullName: 'Nguyễn Văn An', phone: '0912345678' }, tok.citizen);
    assert.equal(r.statusCode, 201, r.body);
    const inbox = await t.db.selectFrom('notification').select('template').where('template', '=', 'conference.registered').execute();
    assert.equal(inbox.length, 1, 'the logged-in registrant has it in the inbox');
    expectCode(await register(id, { fullName: 'Trần Văn Nam', email: 'nam@example.vn' }), 409, 'conference_full');
    expectCode(await register(id, { fullName: 'Trần Văn Nam' }), 400, 'contact_required');
    expectCode(await register(id, { fullName: 'Trần Văn Nam', phone: '12345' }), 400, 'invalid_phone');
    expectCode(await register(id, { fullName: 'Trần Văn Nam', email: 'not-an-email' }), 400, 'invalid_email');
    expectCode(await register(id, { fullName: 'Trần', phone: '0987000111', seat: 'A1' }), 400, 'validation_failed');
    expectCode(await register(999_999, { fullName: 'Trần Văn Nam', phone: '0987000111' }), 404, 'conference_not_found');
    const open = await schedule(t.app, tok.adminHaDong);
    await registrationOver(t, open);
    expectCode(await register(open, { fullName: 'Trần Văn Nam', phone: '0987000111' }), 409, 'registration_closed');
    expectCode(await ask(open, { fullName: 'Trần Văn Nam', phone: '0987000111', text: 'Hỏi' }), 409, 'registration_closed');
    // The database itself refuses a second seat for the same phone, whatever the service does.
    await assert.rejects(
      t.db
        .insertInto('conference_registration')
        .values({ conference_id: id, full_name: 'X', phone: pii().encrypt('0987654321'), phone_hash: pii().hash('phone', '0987654321') })
        .execute(),
    );
    // Registrations with contact details are for the unit's officials only.
    const regs = await inject('GET', `/api/v1/conferences/${id}/registrations`, undefined, tok.specialistHaDong);
    assert.equal(regs.statusCode, 200);
    assert.equal(regs.json().length, 2);
    expectCode(await inject('GET', `/api/v1/conferences/${id}/registrations`, undefined, tok.leaderQuangTrung), 403, 'forbidden');
  });

  test('questions: public only once accepted, asker by initials, never contact details; oversize and unknown procedure refused', async () => {
    const id = await schedule(t.app, tok.adminHaDong);
    const text = 'Xác nhận cư trú làm ở đâu, mất bao lâu? Tôi gọi số 0987654321 không ai nghe.';
    const r = await ask(id, { fullName: 'Đặng Thị Hồng', phone: '0987654321', email: 'hong@example.vn', text, procedureCode: '1.004194' });
    assert.equal(r.statusCode, 201, r.body);
    const qid = r.json().id as number;
    assert.equal((await inject('GET', `/api/v1/conferences/${id}`)).json().questions.length, 0, 'pending questions are not public');
    expectCode(await ask(id, { fullName: 'Đặng Thị Hồng', phone: '0987654321', text: 'ả'.repeat(2001) }), 400, 'question_too_long');
    assert.equal((await ask(id, { fullName: 'Đặng Thị Hồng', phone: '0987654321', text: 'ả'.repeat(2000) })).statusCode, 201);
    expectCode(await ask(id, { fullName: 'Đặng Thị Hồng', phone: '0987654321', text: '   ' }), 400, 'question_required');
    expectCode(
      await ask(id, { fullName: 'Đặng Thị Hồng', phone: '0987654321', text: 'Hỏi', procedureCode: '9.999999' }),
      400,
      'unknown_procedure',
    );
    expectCode(await ask(id, { fullName: 'Đặng Thị Hồng', text: 'Hỏi' }), 400, 'contact_required');
    // Moderation: by the unit's officials only; declining needs a reason.
    expectCode(
      await inject('POST', `/api/v1/conferences/${id}/questions/${qid}/moderation`, { decision: 'accept' }, tok.specialistQuangTrung),
      403,
      'forbidden',
    );
    expectCode(
      await inject('POST', `/api/v1/conferences/${id}/questions/${qid}/moderation`, { decision: 'decline' }, tok.specialistHaDong),
      400,
      'reason_required',
    );
    assert.equal((await accept(id, qid)).statusCode, 204);
    expectCode(
      await inject('POST', `/api/v1/conferences/${id}/questions/999999/moderation`, { decision: 'accept' }, tok.specialistHaDong),
      404,
      'question_not_found',
    );
    const v = await inject('GET', `/api/v1/conferences/${id}`);
    const q = v.json().questions[0];
    assert.equal(q.asker, 'Đ. T. H.');
    assert.equal(q.answer, null);
    assert.doesNotMatch(v.body, /hong@example|Đặng Thị Hồng/);
    const audit = await t.db
      .selectFrom('audit_event')
      .select('action')
      .where('entity_type', '=', 'conference_question')
      .where('entity_id', '=', String(qid))
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['conference.question.accept'],
    );
  });

  test('support: a logged-in citizen once per question, never their own; the list is ordered by support', async () => {
    const id = await schedule(t.app, tok.adminHaDong);
    const mine = (await ask(id, { fullName: 'Nguyễn Văn An', phone: '0912345678', text: 'Câu hỏi của tôi' }, tok.citizen)).json()
      .id as number;
    const other = (await ask(id, { fullName: 'Lê Văn Bình', phone: '0987111222', text: 'Câu hỏi khác' })).json().id as number;
    await accept(id, mine);
    await accept(id, other);
    const support = (qid: number, auth: Record<string, string> = {}) =>
      inject('POST', `/api/v1/conferences/${id}/questions/${qid}/support`, undefined, auth);
    assert.equal((await support(other, tok.citizen)).json().supports, 1);
    expectCode(await support(other, tok.citizen), 409, 'already_supported');
    expectCode(await support(mine, tok.citizen), 409, 'own_question');
    expectCode(await support(other), 401, 'unauthenticated');
    expectCode(await support(other, tok.specialistHaDong), 403, 'forbidden');
    expectCode(await support(999_999, tok.citizen), 404, 'question_not_found');
    const order = (await inject('GET', `/api/v1/conferences/${id}`)).json().questions.map((q: { id: number }) => q.id);
    assert.deepEqual(order, [other, mine]);
    await assert.rejects(
      t.db
        .insertInto('conference_question_support')
        .values({
          question_id: other,
          account_id: (
            await t.db
              .selectFrom('account')
              .select('id')
              .where('phone_hash', '=', pii().hash('phone', '0912345678'))
              .executeTakeFirstOrThrow()
          ).id,
        })
        .execute(),
    );
  });

  test('after the meeting: answers, room questions and commitments, minutes published by the leader; commitments tracked to done', async () => {
    const id = await schedule(t.app, tok.adminHaDong);
    await register(id, { fullName: 'Lê Thị Mai', phone: '0987654321' });
    const qid = (await ask(id, { fullName: 'Lê Thị Mai', phone: '0987654321', text: 'Đăng ký khai sinh trực tuyến vì sao chậm?' })).json()
      .id as number;
    const asker = (
      await ask(id, { fullName: 'Vũ Văn Tài', email: 'tai@example.vn', text: 'Cán bộ công an hướng dẫn người già chưa nhẹ nhàng.' })
    ).json().id as number;
    await accept(id, qid);
    await accept(id, asker);
    assert.equal(
      (
        await inject(
          'PUT',
          `/api/v1/conferences/${id}/questions/${qid}/draft`,
          { text: 'Dự thảo: do đồng bộ dữ liệu dân cư.' },
          tok.specialistHaDong,
        )
      ).statusCode,
      204,
    );
    expectCode(await inject('POST', `/api/v1/conferences/${id}/publish`, undefined, tok.leaderHaDong), 409, 'conference_not_held');
    expectCode(await inject('POST', `/api/v1/conferences/${id}/held`, undefined, tok.adminHaDong), 409, 'conference_not_started');
    expectCode(
      await inject('PUT', `/api/v1/conferences/${id}/questions/${qid}/answer`, { text: 'Trả lời' }, tok.specialistHaDong),
      409,
      'conference_not_held',
    );
    await startedAlready(t, id);
    assert.equal((await inject('POST', `/api/v1/conferences/${id}/held`, undefined, tok.adminHaDong)).statusCode, 204);
    expectCode(
      await inject('PUT', `/api/v1/conferences/${id}/questions/${qid}/answer`, { text: ' ' }, tok.specialistHaDong),
      400,
      'answer_required',
    );
    expectCode(
      await inject('PUT', `/api/v1/conferences/${id}/questions/${qid}/answer`, { text: 'X' }, tok.specialistQuangTrung),
      403,
      'forbidden',
    );
    assert.equal(
      (
        await inject(
          'PUT',
          `/api/v1/conferences/${id}/questions/${qid}/answer`,
          { text: 'Do chậm đồng bộ với cơ sở dữ liệu dân cư; đã khắc phục.' },
          tok.specialistHaDong,
        )
      ).statusCode,
      204,
    );
    const room = await inject(
      'POST',
      `/api/v1/conferences/${id}/room-questions`,
      { askerName: 'Trịnh Văn Sơn', text: 'Cấp giấy phép kinh doanh mất bao lâu?', answer: 'Ba ngày làm việc.' },
      tok.specialistHaDong,
    );
    assert.equal(room.statusCode, 201, room.body);
    const commit = (body: object, auth = tok.specialistHaDong) =>
      inject('POST', `/api/v1/conferences/${id}/questions/${qid}/commitments`, body, auth);
    const c1 = await commit({
      what: 'Tập huấn cán bộ về đăng ký khai sinh trực tuyến',
      responsible: 'Phòng Tư pháp',
      responsibleUnit: UNITS.quangTrung,
      dueDate: '2099-12-31',
    });
    assert.equal(c1.statusCode, 201, c1.body);
    const late = await commit({ what: 'Niêm yết quy trình tại bộ phận một cửa', responsible: 'Văn phòng UBND', dueDate: '2020-01-31' });
    expectCode(await commit({ what: 'X', responsible: 'Y', dueDate: '2026-02-30' }), 400, 'invalid_date');
    expectCode(await commit({ what: 'X', responsible: 'Y', dueDate: '2026-12-31' }, tok.specialistQuangTrung), 403, 'forbidden');
    // Not public before publication.
    expectCode(await inject('GET', `/api/v1/commitments/${c1.json().id}`), 404, 'commitment_not_found');
    expectCode(
      await inject('POST', `/api/v1/commitments/${c1.json().id}/status`, { status: 'in_progress' }, tok.specialistHaDong),
      409,
      'minutes_not_published',
    );
    expectCode(await inject('POST', `/api/v1/conferences/${id}/publish`, undefined, tok.specialistHaDong), 403, 'forbidden');
    expectCode(await inject('POST', `/api/v1/conferences/${id}/publish`, undefined, tok.leaderQuangTrung), 403, 'forbidden');
    assert.equal((await inject('POST', `/api/v1/conferences/${id}/publish`, undefined, tok.leaderHaDong)).statusCode, 204);
    expectCode(await inject('POST', `/api/v1/conferences/${id}/publish`, undefined, tok.leaderHaDong), 409, 'conference_not_held');
    // The registrant who also asked gets one message; the other asker gets one too.
    const sent = await t.db
      .selectFrom('job')
      .select(sql<string>`payload->>'to'`.as('to'))
      .where(sql<boolean>`payload->>'template' = 'conference.minutes_published'`)
      .execute();
    // SMS recipients are sealed in the job (docs/privacy.md); e-mail addresses are not.
    const opened = sent.map((s) => (isCiphertext(s.to) ? pii().decrypt(s.to) : s.to));
    assert.deepEqual(opened.sort(), ['0987654321', 'tai@example.vn']);

    const v = (await inject('GET', `/api/v1/conferences/${id}`)).json();
    assert.equal(v.status, 'minutes_published');
    const q = v.questions.find((x: { id: number }) => x.id === qid);
    assert.match(q.answer, /đồng bộ/);
    assert.equal(q.commitments.length, 2);
    assert.equal(v.questions.find((x: { source: string }) => x.source === 'room').asker, 'T. V. S.');
    assert.doesNotMatch(JSON.stringify(v), /Dự thảo/, 'drafts are never public');

    const cid = c1.json().id as number;
    const status = (body: object, auth = tok.specialistHaDong) => inject('POST', `/api/v1/commitments/${cid}/status`, body, auth);
    expectCode(await status({ status: 'done' }), 400, 'evidence_required');
    expectCode(await status({ status: 'done', evidence: 'Đã tập huấn', evidenceUrl: 'javascript:alert(1)' }), 400, 'evidence_url_invalid');
    expectCode(await status({ status: 'open' }), 409, 'invalid_transition');
    // Another unit's official: neither the organiser nor the responsible unit.
    expectCode(
      await inject('POST', `/api/v1/commitments/${late.json().id}/status`, { status: 'in_progress' }, tok.specialistQuangTrung),
      403,
      'forbidden',
    );
    // The responsible ward's official may update it too.
    assert.equal((await status({ status: 'in_progress', note: 'Đã lên kế hoạch' }, tok.specialistQuangTrung)).statusCode, 204);
    assert.equal(
      (
        await status({
          status: 'done',
          evidence: 'Đã tập huấn 25 cán bộ ngày 10/12',
          evidenceUrl: 'https://hadong.hanoi.gov.vn/tin/tap-huan',
        })
      ).statusCode,
      204,
    );
    expectCode(await status({ status: 'in_progress' }), 409, 'invalid_transition');
    expectCode(
      await inject('POST', '/api/v1/commitments/999999/status', { status: 'done', evidence: 'x' }, tok.specialistHaDong),
      404,
      'commitment_not_found',
    );
    const one = (await inject('GET', `/api/v1/commitments/${cid}`)).json();
    assert.equal(one.status, 'done');
    assert.equal(one.late, false);
    assert.deepEqual(
      one.events.map((e: { status: string }) => e.status),
      ['open', 'in_progress', 'done'],
    );
    assert.equal(one.events[1].by, 'Ngô Văn Phúc');
    const lateOnes = (await inject('GET', `/api/v1/commitments?late=true&unit=${UNITS.haDong}`)).json() as { id: number; late: boolean }[];
    assert.deepEqual(
      lateOnes.map((c) => c.id),
      [late.json().id],
    );
    const done = (await inject('GET', '/api/v1/commitments?status=done')).json() as { id: number }[];
    assert.ok(done.some((c) => c.id === cid));
    expectCode(await inject('GET', '/api/v1/commitments?status=finished'), 400, 'validation_failed');
    const audit = await t.db.selectFrom('audit_event').select('action').where('action', 'like', 'conference.%').execute();
    for (const a of [
      'conference.held',
      'conference.publish_minutes',
      'conference.question.answer',
      'conference.commitment.create',
      'conference.commitment.status',
    ]) {
      assert.ok(
        audit.some((x) => x.action === a),
        a,
      );
    }
  });

  test('cancelling needs a reason and tells the registrants; a cancelled conference takes no registrations', async () => {
    const id = await schedule(t.app, tok.leaderHaDong);
    await register(id, { fullName: 'Nguyễn Văn An', phone: '0912345678' }, tok.citizen);
    expectCode(await inject('POST', `/api/v1/conferences/${id}/cancel`, { reason: ' ' }, tok.leaderHaDong), 400, 'reason_required');
    assert.equal(
      (await inject('POST', `/api/v1/conferences/${id}/cancel`, { reason: 'Trùng lịch họp của Thành phố' }, tok.leaderHaDong)).statusCode,
      204,
    );
    const inbox = await t.db.selectFrom('notification').select('body').where('template', '=', 'conference.cancelled').execute();
    assert.equal(inbox.length, 1);
    assert.match(inbox[0]!.body, /Trùng lịch họp/);
    expectCode(await register(id, { fullName: 'Lê Văn Bình', phone: '0987111222' }), 409, 'conference_not_open');
    expectCode(await inject('PATCH', `/api/v1/conferences/${id}`, { place: 'X' }, tok.leaderHaDong), 409, 'conference_not_editable');
    const v = (await inject('GET', `/api/v1/conferences/${id}`)).json();
    assert.equal(v.cancelReason, 'Trùng lịch họp của Thành phố');
  });

  test('open data: conferences and commitments with schemaVersion 1 and no personal data; unknown ids are 404', async () => {
    const confs = await inject('GET', '/api/v1/open-data/conferences.json');
    assert.equal(confs.statusCode, 200);
    assert.equal(confs.json().schemaVersion, 1);
    assert.ok(confs.json().rows.length > 0);
    const commits = await inject('GET', '/api/v1/open-data/commitments.json');
    assert.equal(commits.json().schemaVersion, 1);
    assert.ok(commits.json().rows.length > 0);
    for (const body of [confs.body, commits.body]) {
      assert.doesNotMatch(body, /0987654321|0912345678|@example\.vn|Lê Thị Mai|Nguyễn Văn An|Vũ Văn Tài/);
    }
    expectCode(await inject('GET', '/api/v1/conferences/999999'), 404, 'conference_not_found');
    expectCode(await inject('GET', '/api/v1/commitments/999999'), 404, 'commitment_not_found');
    expectCode(await inject('GET', '/api/v1/conferences/abc'), 400, 'validation_failed');
  });
});
