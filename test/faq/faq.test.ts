import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearerFor, Browser, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';

describe(`FAQ / knowledge base (${ENGINE})`, () => {
  let t: TestApp;
  let leader: Record<string, string>;
  let wardLeader: Record<string, string>;
  let city: Record<string, string>;
  before(async () => {
    t = await testApp();
    [leader, wardLeader, city] = await Promise.all([
      bearerFor(t.app, DEMO.leaderHaDong),
      bearerFor(t.app, DEMO.leaderQuangTrung),
      bearerFor(t.app, DEMO.cityAdmin),
    ]);
  });
  after(() => t.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
  const search = async (qs: string) => {
    const r = await get(`/api/v1/faq?${qs}`);
    assert.equal(r.statusCode, 200, r.body);
    return r.json() as {
      total: number;
      page: number;
      pageSize: number;
      entries: { id: number; question: { vi: string }; needsConfirmation: boolean }[];
    };
  };
  const entry = (body: Record<string, unknown>) => ({
    unit: UNITS.haDong,
    questionVi: 'Đăng ký khai sinh cho con trực tuyến mất bao lâu?',
    answerVi: 'Trong ngày làm việc nếu hồ sơ đầy đủ (Luật Hộ tịch 2014, Điều 16).',
    procedureCodes: ['1.001193'],
    ...body,
  });

  test('the seeded dialogue questions are found without diacritics, best match first', async () => {
    let r = await search('q=ho%20khau');
    assert.ok(r.total >= 1);
    assert.match(r.entries[0]!.question.vi, /sổ hộ khẩu/);
    r = await search(`q=${encodeURIComponent('giay phep kinh doanh')}`);
    assert.match(r.entries[0]!.question.vi, /giấy phép kinh doanh/);
    r = await search(`q=${encodeURIComponent('xác nhận thông tin về cư trú')}`);
    assert.match(r.entries[0]!.question.vi, /xác nhận thông tin về cư trú/);
    // A word found only in an answer still finds its entry, as a phrase.
    r = await search(`q=${encodeURIComponent('phieu xin loi')}`);
    assert.ok(r.entries.some((e) => /trễ hẹn/.test(e.question.vi)));
    assert.equal((await search('q=zzzzqqq')).total, 0);
  });

  test('filters by unit (with its subtree), field and procedure; paginated', async () => {
    const all = await search('');
    assert.ok(all.total >= 7);
    assert.equal(all.pageSize, 20);
    assert.equal((await search(`unit=${UNITS.haDong}`)).total, all.total);
    assert.equal((await search(`unit=${UNITS.city}`)).total, all.total, 'the city covers its districts');
    assert.equal((await search(`unit=${UNITS.cauGiay}`)).total, 0);
    const civil = await search('field=civil_status');
    assert.equal(civil.total, 1);
    assert.equal(civil.entries[0]!.needsConfirmation, true);
    assert.equal((await search('procedure=1.004873')).total, 1);
    const page2 = await search('page=2');
    assert.equal(page2.total, all.total);
    assert.equal(page2.page, 2);
    assert.equal(page2.entries.length, Math.max(0, all.total - 20));
  });

  test('bad search input is a 4xx with a stable code, on the API and the page', async () => {
    const cases: [string, number, string][] = [
      [`q=${'a'.repeat(201)}`, 400, 'validation_failed'],
      ['page=0', 400, 'validation_failed'],
      ['page=abc', 400, 'validation_failed'],
      ['page=1001', 400, 'validation_failed'],
      ['unit=not-a-unit', 400, 'validation_failed'],
      ['field=BAD!', 400, 'validation_failed'],
      ['procedure=123', 400, 'validation_failed'],
      ['mood=happy', 400, 'validation_failed'],
      ['unit=999.99.99.H99', 404, 'unit_not_found'],
      ['field=no_such_field', 404, 'field_not_found'],
      ['procedure=9.999999', 404, 'procedure_not_found'],
    ];
    for (const [qs, status, code] of cases) {
      const r = await get(`/api/v1/faq?${qs}`);
      assert.equal(r.statusCode, status, qs);
      assert.equal(r.json().code, code, qs);
      const page = await get(`/faq?${qs}`);
      assert.equal(page.statusCode, status, `page ${qs}`);
      assert.match(page.headers['content-type'] as string, /text\/html/);
    }
    for (const [url, status, code] of [
      ['/api/v1/faq/abc', 400, 'validation_failed'],
      ['/api/v1/faq/0', 400, 'validation_failed'],
      ['/api/v1/faq/999999', 404, 'faq_not_found'],
    ] as const) {
      const r = await get(url);
      assert.equal(r.statusCode, status, url);
      assert.equal(r.json().code, code, url);
    }
    assert.equal((await get('/faq/abc')).statusCode, 404);
  });

  test('an entry page shows the answer, linked procedures, unit, the confirmation notice; views are counted', async () => {
    const { entries } = await search('q=ho%20khau');
    const id = entries[0]!.id;
    const page = await get(`/faq/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Đang được đơn vị xác nhận/);
    assert.match(page.body, /href="\/procedures\/1\.004873"/);
    assert.match(page.body, /Nghị định số 123\/2015\/NĐ-CP/);
    assert.match(page.body, /Quận Hà Đông/);
    const en = await get(`/faq/${id}?lang=en`);
    assert.match(en.body, /Being confirmed by the office/);
    assert.match(en.body, /certified copy/);
    const api = await get(`/api/v1/faq/${id}`);
    assert.equal(api.json().viewCount, 2, 'two page views; API reads are not counted');
    assert.deepEqual(
      api.json().procedures.map((p: { code: string }) => p.code),
      ['1.004873', '2.000635'],
    );
    const proc = await get('/procedures/1.004873');
    assert.match(proc.body, /Câu hỏi thường gặp về thủ tục này/);
    assert.match(proc.body, new RegExp(`href="/faq/${id}"`));
    assert.doesNotMatch((await get('/procedures/1.000656')).body, /Câu hỏi thường gặp về thủ tục này/);
    // The section's "more questions" link lists that procedure's entries, empty filters meaning "any".
    const more = await get('/faq?procedure=1.004873&unit=&field=');
    assert.equal(more.statusCode, 200);
    assert.match(more.body, new RegExp(`href="/faq/${id}"`));
    assert.match(more.body, /1 câu hỏi/);
  });

  test('an official writes a draft, publishes, archives and confirms it, within scope, audited', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/work/faq',
      headers: leader,
      payload: entry({ needsConfirmation: true, confirmationNote: 'Kiểm tra thời hạn' }),
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as number;
    const findIt = async () => (await search(`q=${encodeURIComponent('khai sinh cho con truc tuyen')}`)).entries.some((e) => e.id === id);
    assert.equal(await findIt(), false, 'a draft is not public');
    assert.equal((await get(`/api/v1/faq/${id}`)).statusCode, 404);
    const act = (action: string, headers = leader) => t.app.inject({ method: 'POST', url: `/api/v1/work/faq/${id}/${action}`, headers });
    assert.equal((await act('publish')).statusCode, 204);
    assert.equal(await findIt(), true);
    assert.match((await get('/procedures/1.001193')).body, /Đăng ký khai sinh cho con trực tuyến/);
    const again = await act('publish');
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'faq_invalid_transition');
    assert.equal((await act('confirm')).statusCode, 204);
    assert.equal((await get(`/api/v1/faq/${id}`)).json().needsConfirmation, false);
    assert.equal((await act('confirm')).json().code, 'faq_already_confirmed');
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/work/faq/${id}`,
      headers: leader,
      payload: entry({ answerVi: 'Trả lời đã sửa.', procedureCodes: ['1.001193', '1.004884'] }),
    });
    assert.equal(put.statusCode, 204, put.body);
    assert.equal((await get(`/api/v1/faq/${id}`)).json().procedures.length, 2);
    assert.equal((await act('archive', city)).statusCode, 204, 'a city admin covers every unit');
    assert.equal(await findIt(), false);
    const audit = await t.db
      .selectFrom('audit_event')
      .select('action')
      .where('entity_type', '=', 'faq_entry')
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['faq.create', 'faq.publish', 'faq.confirm', 'faq.update', 'faq.archive'],
    );
  });

  test('out of scope, wrong role or bad body: 4xx with stable codes', async () => {
    const post = (payload: unknown, headers = leader) =>
      t.app.inject({ method: 'POST', url: '/api/v1/work/faq', headers, payload: payload as object });
    let r = await post(entry({}), wardLeader);
    assert.equal(r.statusCode, 403, 'a ward leader cannot write for the district');
    assert.equal(r.json().code, 'forbidden');
    r = await post(entry({}), await bearerFor(t.app, DEMO.specialistHaDong));
    assert.equal(r.statusCode, 403);
    r = await post(entry({}), await bearerFor(t.app, DEMO.citizen));
    assert.equal(r.statusCode, 403);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/work/faq', payload: entry({}) })).statusCode, 401);
    r = await post(entry({ procedureCodes: ['9.999999'] }));
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().code, 'faq_unknown_procedure');
    r = await post(entry({ unit: '999.99.99.H99' }));
    assert.equal(r.json().code, 'unit_not_found');
    r = await post(entry({ field: 'nope' }));
    assert.equal(r.json().code, 'field_not_found');
    for (const bad of [
      { questionVi: 'ab' },
      { answerVi: '' },
      { answerVi: 'x'.repeat(10_001) },
      { procedureCodes: ['abc'] },
      { procedureCodes: ['1.001193', '1.001193'] },
      { extra: 1 },
    ]) {
      r = await post(entry(bad));
      assert.equal(r.statusCode, 400, JSON.stringify(bad).slice(0, 60));
      assert.equal(r.json().code, 'validation_failed');
    }
    // A district entry is outside a ward leader's scope for every action.
    const { entries } = await search('q=ho%20khau');
    r = await t.app.inject({ method: 'POST', url: `/api/v1/work/faq/${entries[0]!.id}/confirm`, headers: wardLeader });
    assert.equal(r.statusCode, 403);
    r = await t.app.inject({ url: '/api/v1/work/faq/999999', headers: leader });
    assert.equal(r.json().code, 'faq_not_found');
    const list = await t.app.inject({ url: '/api/v1/work/faq?status=published', headers: wardLeader });
    assert.equal(list.json().total, 0, "the district's entries are not in a ward leader's list");
  });

  test('createFromSource turns an answered feedback into a draft once', async () => {
    const actor = {
      accountId: (
        await t.db
          .selectFrom('account_identifier')
          .select('account_id')
          .where('identifier', '=', DEMO.leaderQuangTrung)
          .executeTakeFirstOrThrow()
      ).account_id,
      kind: 'official' as const,
      fullName: 'x',
      locale: 'vi' as const,
      roles: [{ role: 'leader' as const, unitId: 0, unitCode: UNITS.quangTrung, unitPath: '' }],
      via: 'token' as const,
      sessionId: null,
    };
    const unit = await t.db.selectFrom('unit').select(['id', 'path']).where('code', '=', UNITS.quangTrung).executeTakeFirstOrThrow();
    actor.roles[0]!.unitId = unit.id;
    actor.roles[0]!.unitPath = unit.path;
    const input = {
      source: 'feedback' as const,
      sourceRef: 42,
      unitId: unit.id,
      question: 'Làm lại giấy khai sinh bị mất ở đâu?',
      answer: {
        vi: 'Tại UBND phường nơi đã đăng ký khai sinh (Nghị định 123/2015/NĐ-CP).',
        en: 'At the ward where the birth was registered.',
      },
      procedureCodes: ['2.000635'],
    };
    const a = await t.app.services.faq.createFromSource(input, actor);
    const b = await t.app.services.faq.createFromSource(input, actor);
    assert.deepEqual([a.created, b.created, a.id === b.id], [true, false, true]);
    const row = await t.db.selectFrom('faq_entry').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
    assert.deepEqual([row.status, row.source, row.source_ref, row.question_en], ['draft', 'feedback', '42', null]);
    await assert.rejects(
      t.app.services.faq.createFromSource(
        {
          ...input,
          sourceRef: 43,
          unitId: (await t.db.selectFrom('unit').select('id').where('code', '=', UNITS.haDong).executeTakeFirstOrThrow()).id,
        },
        actor,
      ),
      { code: 'forbidden' },
    );
  });

  test('open data lists the published entries with a stable schema', async () => {
    const r = await get('/api/v1/open-data/faq.json');
    assert.equal(r.statusCode, 200);
    const body = r.json();
    assert.equal(body.schemaVersion, 1);
    assert.deepEqual(Object.keys(body.rows[0]), body.columns);
    const statuses = await t.db.selectFrom('faq_entry').select('id').where('status', '=', 'published').execute();
    assert.equal(body.rows.length, statuses.length);
    const book = body.rows.find((x: { questionVi: string }) => /tình trạng hôn nhân/.test(x.questionVi));
    assert.deepEqual(book.procedureCodes, ['1.004873', '2.000635']);
    assert.equal(book.needsConfirmation, true);
  });

  test('officials use the forms: create with procedure codes, errors shown in place, publish', async () => {
    const b = await new Browser(t.app).login(DEMO.adminHaDong);
    let r = await b.get('/work/faq');
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /sổ hộ khẩu/);
    r = await b.get('/work/faq/new');
    assert.equal(r.statusCode, 200);
    r = await b.postForm('/work/faq', {
      unit: UNITS.haDong,
      field: 'civil_status',
      questionVi: 'ab',
      answerVi: '',
      procedureCodes: '1.001193',
    });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /error-summary/);
    r = await b.postForm('/work/faq', {
      unit: UNITS.haDong,
      field: '',
      questionVi: 'Câu hỏi thử nghiệm từ biểu mẫu?',
      answerVi: 'Trả lời.',
      procedureCodes: '9.999999',
    });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /9\.999999/);
    r = await b.postForm('/work/faq', {
      unit: UNITS.haDong,
      field: 'civil_status',
      questionVi: 'Câu hỏi thử nghiệm từ biểu mẫu?',
      answerVi: 'Trả lời.',
      procedureCodes: '1.001193, 1.004873',
    });
    assert.equal(r.statusCode, 303, r.body.slice(0, 300));
    assert.equal((await b.get(r.headers.location as string)).statusCode, 200, 'the page it leads to');
    const row = await t.db
      .selectFrom('faq_entry')
      .select(['id', 'status'])
      .where('question_vi', '=', 'Câu hỏi thử nghiệm từ biểu mẫu?')
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'draft');
    await b.get('/work/faq');
    r = await b.postForm(`/work/faq/${row.id}/publish`, {});
    assert.equal(r.statusCode, 303);
    assert.match((await b.get(r.headers.location as string)).body, /Đã đăng công khai/);
    assert.equal((await b.get('/work/faq?status=&done=bogus')).statusCode, 400);
    assert.equal((await get(`/api/v1/faq/${row.id}`)).statusCode, 200);
    r = await b.postForm(`/work/faq/${row.id}/publish`, {}, { csrf: null });
    assert.equal(r.statusCode, 403, 'CSRF token required');
    assert.equal((await new Browser(t.app).get('/work/faq')).statusCode, 303, 'to the login page');
  });
});
