import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { UNITS } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { conferenceSuite, schedule, startedAlready } from './helpers.js';
import { isCiphertext, pii } from '../../src/lib/pii.js';

describe(`dialogue conferences: minutes and commitments, cancelling, open data (${ENGINE})`, () => {
  const { s, inject, expectCode, register, ask, accept } = conferenceSuite();

  test('after the meeting: answers, room questions and commitments, minutes published by the leader; commitments tracked to done', async () => {
    const id = await schedule(s.t.app, s.tok.adminHaDong);
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
          s.tok.specialistHaDong,
        )
      ).statusCode,
      204,
    );
    expectCode(await inject('POST', `/api/v1/conferences/${id}/publish`, undefined, s.tok.leaderHaDong), 409, 'conference_not_held');
    expectCode(await inject('POST', `/api/v1/conferences/${id}/held`, undefined, s.tok.adminHaDong), 409, 'conference_not_started');
    expectCode(
      await inject('PUT', `/api/v1/conferences/${id}/questions/${qid}/answer`, { text: 'Trả lời' }, s.tok.specialistHaDong),
      409,
      'conference_not_held',
    );
    await startedAlready(s.t, id);
    assert.equal((await inject('POST', `/api/v1/conferences/${id}/held`, undefined, s.tok.adminHaDong)).statusCode, 204);
    expectCode(
      await inject('PUT', `/api/v1/conferences/${id}/questions/${qid}/answer`, { text: ' ' }, s.tok.specialistHaDong),
      400,
      'answer_required',
    );
    expectCode(
      await inject('PUT', `/api/v1/conferences/${id}/questions/${qid}/answer`, { text: 'X' }, s.tok.specialistQuangTrung),
      403,
      'forbidden',
    );
    assert.equal(
      (
        await inject(
          'PUT',
          `/api/v1/conferences/${id}/questions/${qid}/answer`,
          { text: 'Do chậm đồng bộ với cơ sở dữ liệu dân cư; đã khắc phục.' },
          s.tok.specialistHaDong,
        )
      ).statusCode,
      204,
    );
    const room = await inject(
      'POST',
      `/api/v1/conferences/${id}/room-questions`,
      { askerName: 'Trịnh Văn Sơn', text: 'Cấp giấy phép kinh doanh mất bao lâu?', answer: 'Ba ngày làm việc.' },
      s.tok.specialistHaDong,
    );
    assert.equal(room.statusCode, 201, room.body);
    const commit = (body: object, auth = s.tok.specialistHaDong) =>
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
    expectCode(await commit({ what: 'X', responsible: 'Y', dueDate: '2026-12-31' }, s.tok.specialistQuangTrung), 403, 'forbidden');
    // Not public before publication.
    expectCode(await inject('GET', `/api/v1/commitments/${c1.json().id}`), 404, 'commitment_not_found');
    expectCode(
      await inject('POST', `/api/v1/commitments/${c1.json().id}/status`, { status: 'in_progress' }, s.tok.specialistHaDong),
      409,
      'minutes_not_published',
    );
    expectCode(await inject('POST', `/api/v1/conferences/${id}/publish`, undefined, s.tok.specialistHaDong), 403, 'forbidden');
    expectCode(await inject('POST', `/api/v1/conferences/${id}/publish`, undefined, s.tok.leaderQuangTrung), 403, 'forbidden');
    assert.equal((await inject('POST', `/api/v1/conferences/${id}/publish`, undefined, s.tok.leaderHaDong)).statusCode, 204);
    expectCode(await inject('POST', `/api/v1/conferences/${id}/publish`, undefined, s.tok.leaderHaDong), 409, 'conference_not_held');
    // The registrant who also asked gets one message; the other asker gets one too.
    const sent = await s.t.db
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
    const status = (body: object, auth = s.tok.specialistHaDong) => inject('POST', `/api/v1/commitments/${cid}/status`, body, auth);
    expectCode(await status({ status: 'done' }), 400, 'evidence_required');
    expectCode(await status({ status: 'done', evidence: 'Đã tập huấn', evidenceUrl: 'javascript:alert(1)' }), 400, 'evidence_url_invalid');
    expectCode(await status({ status: 'open' }), 409, 'invalid_transition');
    // Another unit's official: neither the organiser nor the responsible unit.
    expectCode(
      await inject('POST', `/api/v1/commitments/${late.json().id}/status`, { status: 'in_progress' }, s.tok.specialistQuangTrung),
      403,
      'forbidden',
    );
    // The responsible ward's official may update it too.
    assert.equal((await status({ status: 'in_progress', note: 'Đã lên kế hoạch' }, s.tok.specialistQuangTrung)).statusCode, 204);
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
      await inject('POST', '/api/v1/commitments/999999/status', { status: 'done', evidence: 'x' }, s.tok.specialistHaDong),
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
    const audit = await s.t.db.selectFrom('audit_event').select('action').where('action', 'like', 'conference.%').execute();
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
    const id = await schedule(s.t.app, s.tok.leaderHaDong);
    await register(id, { fullName: 'Nguyễn Văn An', phone: '0912345678' }, s.tok.citizen);
    expectCode(await inject('POST', `/api/v1/conferences/${id}/cancel`, { reason: ' ' }, s.tok.leaderHaDong), 400, 'reason_required');
    assert.equal(
      (await inject('POST', `/api/v1/conferences/${id}/cancel`, { reason: 'Trùng lịch họp của Thành phố' }, s.tok.leaderHaDong)).statusCode,
      204,
    );
    const inbox = await s.t.db.selectFrom('notification').select('body').where('template', '=', 'conference.cancelled').execute();
    assert.equal(inbox.length, 1);
    assert.match(inbox[0]!.body, /Trùng lịch họp/);
    expectCode(await register(id, { fullName: 'Lê Văn Bình', phone: '0987111222' }), 409, 'conference_not_open');
    expectCode(await inject('PATCH', `/api/v1/conferences/${id}`, { place: 'X' }, s.tok.leaderHaDong), 409, 'conference_not_editable');
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
