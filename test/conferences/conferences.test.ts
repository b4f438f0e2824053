import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { UNITS } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { conferenceBody, conferenceSuite, registrationOver, schedule } from './helpers.js';
import { pii } from '../../src/lib/pii.js';

describe(`dialogue conferences: scheduling, registration, questions and support (${ENGINE})`, () => {
  const { s, inject, expectCode, register, ask, accept } = conferenceSuite();

  test("the unit's leader, administrator or a city admin schedules; a specialist or another unit's leader cannot", async () => {
    const id = await schedule(s.t.app, s.tok.adminHaDong);
    await schedule(s.t.app, s.tok.leaderHaDong);
    await schedule(s.t.app, s.tok.cityAdmin);
    expectCode(await inject('POST', '/api/v1/conferences', conferenceBody(), s.tok.specialistHaDong), 403, 'forbidden');
    expectCode(await inject('POST', '/api/v1/conferences', conferenceBody(), s.tok.leaderQuangTrung), 403, 'forbidden');
    expectCode(await inject('POST', '/api/v1/conferences', conferenceBody()), 401, 'unauthenticated');
    expectCode(
      await inject(
        'POST',
        '/api/v1/conferences',
        conferenceBody({ startsAt: new Date(Date.now() - 3600_000).toISOString() }),
        s.tok.adminHaDong,
      ),
      400,
      'conference_in_past',
    );
    expectCode(
      await inject(
        'POST',
        '/api/v1/conferences',
        conferenceBody({ registrationClosesAt: new Date(Date.now() + 8 * 86_400_000).toISOString() }),
        s.tok.adminHaDong,
      ),
      400,
      'registration_after_start',
    );
    expectCode(
      await inject('POST', '/api/v1/conferences', conferenceBody({ unit: '999.99.99.H99' }), s.tok.adminHaDong),
      404,
      'unit_not_found',
    );
    expectCode(await inject('POST', '/api/v1/conferences', { ...conferenceBody(), extra: 1 }, s.tok.adminHaDong), 400, 'validation_failed');
    // Editing: the organiser yes, another unit's leader no.
    assert.equal((await inject('PATCH', `/api/v1/conferences/${id}`, { place: 'Phòng họp tầng 3' }, s.tok.adminHaDong)).statusCode, 204);
    expectCode(await inject('PATCH', `/api/v1/conferences/${id}`, { place: 'X' }, s.tok.leaderQuangTrung), 403, 'forbidden');
    const v = (await inject('GET', `/api/v1/conferences/${id}`)).json();
    assert.equal(v.place, 'Phòng họp tầng 3');
    assert.equal(v.leaders.length, 2);
    const list = (await inject('GET', `/api/v1/conferences?unit=${UNITS.haDong}`)).json() as { id: number }[];
    assert.ok(list.some((c) => c.id === id));
    const audit = await s.t.db
      .selectFrom('audit_event')
      .select('action')
      .where('entity_type', '=', 'conference')
      .where('entity_id', '=', String(id))
      .execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['conference.create', 'conference.update']);
  });

  test('registration: once per phone, refused when full or closed, each with its own code; the registrant is told', async () => {
    const id = await schedule(s.t.app, s.tok.adminHaDong, { capacity: 2 });
    let r = await register(id, { fullName: 'Lê Thị Mai', phone: '0987 654 321', organisation: 'Hộ kinh doanh Mai Anh' });
    assert.equal(r.statusCode, 201, r.body);
    const jobs = await s.t.db
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
    r = await register(id, { fullName: 'Nguyễn Văn An', phone: '0912345678' }, s.tok.citizen);
    assert.equal(r.statusCode, 201, r.body);
    const inbox = await s.t.db.selectFrom('notification').select('template').where('template', '=', 'conference.registered').execute();
    assert.equal(inbox.length, 1, 'the logged-in registrant has it in the inbox');
    expectCode(await register(id, { fullName: 'Trần Văn Nam', email: 'nam@example.vn' }), 409, 'conference_full');
    expectCode(await register(id, { fullName: 'Trần Văn Nam' }), 400, 'contact_required');
    expectCode(await register(id, { fullName: 'Trần Văn Nam', phone: '12345' }), 400, 'invalid_phone');
    expectCode(await register(id, { fullName: 'Trần Văn Nam', email: 'not-an-email' }), 400, 'invalid_email');
    expectCode(await register(id, { fullName: 'Trần', phone: '0987000111', seat: 'A1' }), 400, 'validation_failed');
    expectCode(await register(999_999, { fullName: 'Trần Văn Nam', phone: '0987000111' }), 404, 'conference_not_found');
    const open = await schedule(s.t.app, s.tok.adminHaDong);
    await registrationOver(s.t, open);
    expectCode(await register(open, { fullName: 'Trần Văn Nam', phone: '0987000111' }), 409, 'registration_closed');
    expectCode(await ask(open, { fullName: 'Trần Văn Nam', phone: '0987000111', text: 'Hỏi' }), 409, 'registration_closed');
    // The database itself refuses a second seat for the same phone, whatever the service does.
    await assert.rejects(
      s.t.db
        .insertInto('conference_registration')
        .values({ conference_id: id, full_name: 'X', phone: pii().encrypt('0987654321'), phone_hash: pii().hash('phone', '0987654321') })
        .execute(),
    );
    // Registrations with contact details are for the unit's officials only.
    const regs = await inject('GET', `/api/v1/conferences/${id}/registrations`, undefined, s.tok.specialistHaDong);
    assert.equal(regs.statusCode, 200);
    assert.equal(regs.json().length, 2);
    expectCode(await inject('GET', `/api/v1/conferences/${id}/registrations`, undefined, s.tok.leaderQuangTrung), 403, 'forbidden');
  });

  test('questions: public only once accepted, asker by initials, never contact details; oversize and unknown procedure refused', async () => {
    const id = await schedule(s.t.app, s.tok.adminHaDong);
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
      await inject('POST', `/api/v1/conferences/${id}/questions/${qid}/moderation`, { decision: 'accept' }, s.tok.specialistQuangTrung),
      403,
      'forbidden',
    );
    expectCode(
      await inject('POST', `/api/v1/conferences/${id}/questions/${qid}/moderation`, { decision: 'decline' }, s.tok.specialistHaDong),
      400,
      'reason_required',
    );
    assert.equal((await accept(id, qid)).statusCode, 204);
    expectCode(
      await inject('POST', `/api/v1/conferences/${id}/questions/999999/moderation`, { decision: 'accept' }, s.tok.specialistHaDong),
      404,
      'question_not_found',
    );
    const v = await inject('GET', `/api/v1/conferences/${id}`);
    const q = v.json().questions[0];
    assert.equal(q.asker, 'Đ. T. H.');
    assert.equal(q.answer, null);
    assert.doesNotMatch(v.body, /hong@example|Đặng Thị Hồng/);
    const audit = await s.t.db
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
    const id = await schedule(s.t.app, s.tok.adminHaDong);
    const mine = (await ask(id, { fullName: 'Nguyễn Văn An', phone: '0912345678', text: 'Câu hỏi của tôi' }, s.tok.citizen)).json()
      .id as number;
    const other = (await ask(id, { fullName: 'Lê Văn Bình', phone: '0987111222', text: 'Câu hỏi khác' })).json().id as number;
    await accept(id, mine);
    await accept(id, other);
    const support = (qid: number, auth: Record<string, string> = {}) =>
      inject('POST', `/api/v1/conferences/${id}/questions/${qid}/support`, undefined, auth);
    assert.equal((await support(other, s.tok.citizen)).json().supports, 1);
    expectCode(await support(other, s.tok.citizen), 409, 'already_supported');
    expectCode(await support(mine, s.tok.citizen), 409, 'own_question');
    expectCode(await support(other), 401, 'unauthenticated');
    expectCode(await support(other, s.tok.specialistHaDong), 403, 'forbidden');
    expectCode(await support(999_999, s.tok.citizen), 404, 'question_not_found');
    const order = (await inject('GET', `/api/v1/conferences/${id}`)).json().questions.map((q: { id: number }) => q.id);
    assert.deepEqual(order, [other, mine]);
    await assert.rejects(
      s.t.db
        .insertInto('conference_question_support')
        .values({
          question_id: other,
          account_id: (
            await s.t.db
              .selectFrom('account')
              .select('id')
              .where('phone_hash', '=', pii().hash('phone', '0912345678'))
              .executeTakeFirstOrThrow()
          ).id,
        })
        .execute(),
    );
  });
});
