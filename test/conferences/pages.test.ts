import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Browser, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { startedAlready } from './helpers.js';
import { seedDemoConferences } from '../../src/seed/conferences.js';

/** A datetime-local value (Vietnam time) some days from now. */
const local = (days: number) => new Date(Date.now() + days * 86_400_000 + 7 * 3600_000).toISOString().slice(0, 16);

describe(`conference pages, without JavaScript (${ENGINE})`, () => {
  let t: TestApp;
  let official: Browser;
  let leader: Browser;
  let id: number;
  before(async () => {
    t = await testApp();
    official = await new Browser(t.app).login(DEMO.adminHaDong);
    leader = await new Browser(t.app).login(DEMO.leaderHaDong);
    await official.get('/work/conferences/new');
    const r = await official.postForm('/work/conferences', {
      unit: UNITS.haDong,
      topic: 'Đối thoại về thủ tục hộ tịch',
      description: 'Người dân hỏi, lãnh đạo quận trả lời.',
      startsAt: local(7),
      closesAt: local(6),
      place: 'Hội trường UBND quận Hà Đông',
      chair: 'Nguyễn Văn Hùng, Chủ tịch UBND quận',
      leaders: 'Trần Thị Lan, Phó Chủ tịch UBND quận\nPhạm Quốc Tuấn, Trưởng Công an quận',
      capacity: '',
    });
    assert.equal(r.statusCode, 303, r.body);
    id = Number(/\/work\/conferences\/(\d+)/.exec(r.headers.location as string)![1]);
  });
  after(() => t.close());

  test('an organiser schedules from the form; a bad time is shown on the form, input kept', async () => {
    const page = await official.get(`/work/conferences/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Đối thoại về thủ tục hộ tịch/);
    await official.get('/work/conferences/new');
    const bad = await official.postForm('/work/conferences', {
      unit: UNITS.haDong,
      topic: 'Chủ đề giữ lại',
      startsAt: local(-1),
      closesAt: local(-2),
      place: 'P',
      chair: 'C',
      leaders: '',
      capacity: '',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Thời gian bắt đầu phải ở tương lai/);
    assert.match(bad.body, /value="Chủ đề giữ lại"/);
    const citizen = await new Browser(t.app).login(DEMO.citizen);
    assert.equal((await citizen.get('/work/conferences')).statusCode, 403);
    const other = await new Browser(t.app).login(DEMO.leaderQuangTrung);
    assert.equal((await other.get(`/work/conferences/${id}`)).statusCode, 403);
  });

  test('the public page is the agenda with the forms; registration and questions from the forms, refusals explained', async () => {
    const list = await t.app.inject({ url: '/conferences' });
    assert.equal(list.statusCode, 200);
    assert.match(list.body, new RegExp(`href="/conferences/${id}"`));
    const anon = new Browser(t.app);
    let page = await anon.get(`/conferences/${id}`);
    assert.match(page.body, /Chương trình hội nghị/);
    assert.match(page.body, /Trần Thị Lan, Phó Chủ tịch UBND quận/);
    let r = await anon.postForm(`/conferences/${id}/register`, {
      fullName: 'Lê Thị Mai',
      phone: '0987654321',
      email: '',
      organisation: '',
    });
    assert.equal(r.statusCode, 303);
    page = await anon.get(r.headers.location as string);
    assert.match(page.body, /đã đăng ký thành công/);
    r = await anon.postForm(`/conferences/${id}/register`, { fullName: 'Lê Thị Mai', phone: '0987654321', email: '', organisation: 'HTX' });
    assert.equal(r.statusCode, 409);
    assert.match(r.body, /đã đăng ký dự hội nghị/);
    assert.match(r.body, /value="HTX"/, 'what was typed is kept');
    r = await anon.postForm(`/conferences/${id}/questions`, {
      fullName: 'Lê Thị Mai',
      phone: '0987654321',
      email: '',
      text: 'a'.repeat(2001),
    });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /dài quá 2\.000 ký tự/);
    r = await anon.postForm(`/conferences/${id}/questions`, {
      fullName: 'Lê Thị Mai',
      phone: '0987654321',
      email: '',
      text: 'Xác nhận cư trú ở đâu?',
    });
    assert.equal(r.statusCode, 303);
    r = await anon.postForm(`/conferences/${id}/register`, { fullName: 'Không Token', phone: '0987000111' }, { csrf: null });
    assert.equal(r.statusCode, 403);
    // A logged-in citizen finds the form filled in.
    const citizen = await new Browser(t.app).login(DEMO.citizen);
    page = await citizen.get(`/conferences/${id}`);
    assert.match(page.body, /value="Nguyễn Văn An"/);
    assert.match(page.body, /value="0912345678"/);
  });

  test('officials moderate, answer and commit; the leader publishes; the page becomes the minutes; commitments move to done', async () => {
    const q = await t.db.selectFrom('conference_question').select('id').where('conference_id', '=', id).executeTakeFirstOrThrow();
    await official.get(`/work/conferences/${id}`);
    let r = await official.postForm(`/work/conferences/${id}/questions/${q.id}/moderate`, { decision: 'accept' });
    assert.equal(r.statusCode, 303);
    const citizen = await new Browser(t.app).login(DEMO.citizen);
    let page = await citizen.get(`/conferences/${id}`);
    assert.match(page.body, /Xác nhận cư trú ở đâu\?/);
    assert.match(page.body, /L\. T\. M\./);
    assert.doesNotMatch(page.body, /0987654321|Lê Thị Mai/);
    r = await citizen.postForm(`/conferences/${id}/questions/${q.id}/support`, {});
    assert.equal(r.statusCode, 303);
    r = await citizen.postForm(`/conferences/${id}/questions/${q.id}/support`, {});
    assert.equal(r.statusCode, 409);
    assert.match(r.body, /đã ủng hộ câu hỏi này rồi/);

    r = await official.postForm(`/work/conferences/${id}/held`, {});
    assert.match(r.headers.location as string, /error=conference_not_started/);
    page = await official.get(r.headers.location as string);
    assert.match(page.body, /chưa đến giờ bắt đầu/);
    await startedAlready(t, id);
    r = await official.postForm(`/work/conferences/${id}/held`, {});
    assert.match(r.headers.location as string, /saved=1/);
    await official.get(`/work/conferences/${id}`);
    r = await official.postForm(`/work/conferences/${id}/questions/${q.id}/answer`, {
      text: 'Tại UBND phường nơi cư trú, trong 3 ngày làm việc.',
    });
    assert.match(r.headers.location as string, /saved=1/);
    r = await official.postForm(`/work/conferences/${id}/questions/${q.id}/commitments`, {
      what: 'Niêm yết quy trình xác nhận cư trú tại bộ phận một cửa',
      responsible: 'Văn phòng UBND quận',
      responsibleUnit: '',
      dueDate: '2099-01-31',
    });
    assert.match(r.headers.location as string, /saved=1/);
    r = await official.postForm(`/work/conferences/${id}/questions/${q.id}/commitments`, {
      what: 'Bố trí ghế chờ cho người cao tuổi tại bộ phận một cửa phường',
      responsible: 'UBND phường Quang Trung',
      responsibleUnit: UNITS.quangTrung,
      dueDate: '2099-02-28',
    });
    assert.match(r.headers.location as string, /saved=1/);
    r = await official.postForm(`/work/conferences/${id}/publish`, {});
    assert.equal(r.statusCode, 403, 'a unit administrator does not publish the minutes');
    await leader.get(`/work/conferences/${id}`);
    r = await leader.postForm(`/work/conferences/${id}/publish`, {});
    assert.match(r.headers.location as string, /saved=1/);
    page = await t.app.inject({ url: `/conferences/${id}` });
    assert.match(page.body, /Biên bản hội nghị/);
    assert.match(page.body, /trong 3 ngày làm việc/);
    assert.match(page.body, /Niêm yết quy trình/);
    assert.match(page.body, /Chưa thực hiện/);

    const m = await t.db.selectFrom('conference_commitment').select('id').where('conference_id', '=', id).executeTakeFirstOrThrow();
    await official.get(`/work/conferences/${id}`);
    r = await official.postForm(`/work/commitments/${m.id}/status`, { status: 'done', note: '', evidence: '', evidenceUrl: '' });
    assert.match(r.headers.location as string, /error=evidence_required/);
    r = await official.postForm(`/work/commitments/${m.id}/status`, {
      status: 'done',
      note: '',
      evidence: 'Đã niêm yết ngày 02/12',
      evidenceUrl: 'https://hadong.hanoi.gov.vn/niem-yet',
    });
    assert.match(r.headers.location as string, /saved=1/);
    page = await t.app.inject({ url: '/commitments?status=done' });
    assert.match(page.body, /Niêm yết quy trình/);
    assert.match(page.body, /Đã niêm yết ngày 02\/12/);
    page = await t.app.inject({ url: '/commitments?late=true' });
    assert.doesNotMatch(page.body, /Niêm yết quy trình/);

    // The responsible ward's official finds the commitment in their list and updates it there.
    const ward = await new Browser(t.app).login(DEMO.specialistQuangTrung);
    page = await ward.get('/work/conferences');
    assert.match(page.body, /Bố trí ghế chờ/);
    assert.doesNotMatch(page.body, /Niêm yết quy trình/, 'done, and not theirs');
    const seats = await t.db
      .selectFrom('conference_commitment')
      .select('id')
      .where('responsible', '=', 'UBND phường Quang Trung')
      .executeTakeFirstOrThrow();
    r = await ward.postForm(`/work/commitments/${seats.id}/status`, {
      status: 'in_progress',
      note: 'Đã đặt mua ghế',
      evidence: '',
      evidenceUrl: '',
    });
    assert.equal(r.headers.location, `/work/conferences?saved=1#commitment-${seats.id}`);
    page = await t.app.inject({ url: `/conferences/${id}` });
    assert.match(page.body, /Đang thực hiện/);
  });

  test('unknown or malformed ids are 404 pages', async () => {
    assert.equal((await t.app.inject({ url: '/conferences/999999' })).statusCode, 404);
    assert.equal((await t.app.inject({ url: '/conferences/abc' })).statusCode, 404);
    assert.equal((await official.get('/work/conferences/999999')).statusCode, 404);
  });

  test('the demo data (npm start) adds one past and one upcoming Hà Đông conference, once', async () => {
    assert.equal(await seedDemoConferences(t.db), 2);
    assert.equal(await seedDemoConferences(t.db), 0, 'a restart adds nothing');
    const upcoming = (await t.app.inject({ url: `/api/v1/conferences?unit=${UNITS.haDong}` })).json() as { id: number; topic: string }[];
    const past = (await t.app.inject({ url: `/api/v1/conferences?unit=${UNITS.haDong}&when=past` })).json() as {
      id: number;
      topic: string;
    }[];
    const demoPast = past.find((c) => /dữ liệu mẫu/.test(c.topic))!;
    assert.ok(upcoming.some((c) => /dữ liệu mẫu/.test(c.topic)));
    const minutes = await t.app.inject({ url: `/conferences/${demoPast.id}` });
    assert.equal(minutes.statusCode, 200);
    assert.match(minutes.body, /Biên bản hội nghị/);
    const commitments = (await t.app.inject({ url: `/api/v1/commitments?conference=${demoPast.id}` })).json() as {
      status: string;
      late: boolean;
    }[];
    assert.deepEqual(
      commitments.map((c) => [c.status, c.late]).sort(),
      [
        ['done', false],
        ['in_progress', false],
        ['open', true],
      ].sort(),
    );
  });
});
