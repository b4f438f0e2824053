import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { CLASS_CODE_ALPHABET, normalizeClassCode } from '../../src/domain/learn/codes.js';
import { loadLessons, type Lesson, type LessonQuestion } from '../../src/domain/learn/lessons.js';
import { seedDemoSchools } from '../../src/modules/learn/learn.seed.js';
import { MAX_PUPILS } from '../../src/modules/learn/learn.service.js';
import { bearerFor, Browser, DEMO, testApp, UNITS, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';

const { lessons } = loadLessons();
const right = (q: LessonQuestion) => q.options.filter((o) => o.correct).map((o) => o.key);
const wrong = (q: LessonQuestion) => [q.options.find((o) => !o.correct)!.key];
const codeOf = (res: LightMyRequestResponse) => /data-code="([a-z_]+)"/.exec(res.body)?.[1];
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const SCHOOL = 'HD-THCS-LE-QUY-DON';

describe(`learning mode for schools (${ENGINE})`, () => {
  let t: TestApp;
  let classCode: string;
  before(async () => {
    t = await testApp();
    assert.equal(await seedDemoSchools(t.db), 5);
  });
  after(() => t.close());

  const newClass = async (fields: Record<string, string>) => {
    const b = new Browser(t.app);
    await b.get('/learn/classes/new');
    return b.postForm('/learn/classes/new', { teacherName: 'Trần Thị Mai', school: SCHOOL, className: '9A', ...fields });
  };
  const joinAs = async (name: string, code = classCode) => {
    const b = new Browser(t.app);
    await b.get('/learn');
    const res = await b.postForm('/learn', { classCode: code, pupilName: name });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    return b;
  };
  const answer = (b: Browser, slug: string, question: string, chosen: string[]) =>
    b.request({
      method: 'POST',
      url: `/learn/lessons/${slug}/practice`,
      payload: [['_csrf', b.csrf], ['question', question], ...chosen.map((c) => ['chosen', c])]
        .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
        .join('&'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  const counts = async (table: 'learn_attempt' | 'contest_answer' | 'contest_entry' | 'contest_participant') =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('every link of every lesson opens a real page of this portal (public, or the login for citizen pages)', async () => {
    for (const l of lessons)
      for (const link of l.links) {
        const res = await t.app.inject({ method: 'GET', url: link.href });
        const ok = res.statusCode === 200 || (res.statusCode === 303 && String(res.headers.location).startsWith('/login'));
        assert.ok(ok, `${l.slug}: ${link.href} gives ${res.statusCode}`);
      }
  });

  test('schools: listed publicly; a unit admin adds one in their ward (audited), not elsewhere; bad input has stable codes', async () => {
    assert.equal(await seedDemoSchools(t.db), 0, 'a second seed adds nothing');
    const listed = await t.app.inject({ method: 'GET', url: `/api/v1/learn/schools?unit=${UNITS.haDong}` });
    assert.equal(listed.statusCode, 200);
    assert.equal(listed.json().length, 5);
    const adminHaDong = await bearerFor(t.app, DEMO.adminHaDong);
    const body = (over: object) => ({
      code: 'QT-TH-DEMO',
      name: { vi: 'Trường Tiểu học thử nghiệm Quang Trung', en: 'Quang Trung test primary school' },
      kind: 'primary',
      unitCode: UNITS.quangTrung,
      ...over,
    });
    const post = (headers: Record<string, string>, over: object = {}) =>
      t.app.inject({ method: 'POST', url: '/api/v1/learn/schools', headers, payload: body(over) });
    const ok = await post(adminHaDong);
    assert.equal(ok.statusCode, 201, ok.body);
    assert.deepEqual(ok.json().unit.code, UNITS.quangTrung);
    const audit = await t.db.selectFrom('audit_event').select('entity_id').where('action', '=', 'learn.school.create').execute();
    assert.equal(audit.length, 1);
    assert.equal((await post(adminHaDong)).json().code, 'learn_school_code_taken');
    assert.equal((await post(adminHaDong)).statusCode, 409);
    const elsewhere = await post(adminHaDong, { code: 'DV-TH-DEMO', unitCode: UNITS.dichVong });
    assert.equal(elsewhere.statusCode, 403);
    assert.equal(elsewhere.json().code, 'forbidden');
    const city = await post(await bearerFor(t.app, DEMO.cityAdmin), {
      code: 'DV-TH-DEMO',
      name: { vi: 'Trường thử nghiệm Dịch Vọng', en: 'Dịch Vọng test school' },
      unitCode: UNITS.dichVong,
    });
    assert.equal(city.statusCode, 201, 'the city admin adds schools anywhere');
    assert.equal((await post(await bearerFor(t.app, DEMO.deskQuangTrung), { code: 'X-1' })).statusCode, 403);
    const dept = await post(adminHaDong, { code: 'X-2', unitCode: UNITS.city });
    assert.equal(dept.json().code, 'learn_school_unit_invalid');
    const blank = await post(adminHaDong, { code: 'X-3', name: { vi: '   ', en: 'School' } });
    assert.equal(blank.json().code, 'learn_school_name_invalid');
    const badCode = await post(adminHaDong, { code: 'trường 1' });
    assert.equal(badCode.statusCode, 400);
    assert.equal(badCode.json().code, 'validation_failed');
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/learn/schools?unit=000.99.99.H26' });
    assert.equal(unknown.json().code, 'unit_not_found');
  });

  test('a teacher creates a class: a 6-character code without 0/O/1/I and a private link whose token is stored only as a hash', async () => {
    const res = await newClass({});
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const location = String(res.headers.location);
    const m = /^\/learn\/teach\/([A-Za-z0-9_-]{43})\?created=1$/.exec(location);
    assert.ok(m, location);
    const row = await t.db.selectFrom('learn_class').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(row.teacher_token_hash, sha256(m[1]!));
    assert.ok(!JSON.stringify(row).includes(m[1]!), 'the token itself is not stored');
    assert.match(row.code, new RegExp(`^[${CLASS_CODE_ALPHABET}]{6}$`));
    assert.doesNotMatch(CLASS_CODE_ALPHABET, /[0O1I]/);
    classCode = row.code;
    const page = await t.app.inject({ method: 'GET', url: location });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`data-class-code="${row.code}"`));
    assert.match(page.body, /Chưa có học sinh nào vào lớp/);
    assert.match(page.body, /Lớp 9A – Trường THCS Lê Quý Đôn – Hà Đông/);
    const wrongLink = await t.app.inject({ method: 'GET', url: `/learn/teach/${'x'.repeat(43)}` });
    assert.equal(wrongLink.statusCode, 404);
    assert.match(wrongLink.body, /Đường dẫn không đúng/);
  });

  test('the class form refuses bad input with stable codes, shows every problem at once and keeps the values', async () => {
    const all = await newClass({ teacherName: ' ', school: '', className: '9A!!<b>' });
    assert.equal(all.statusCode, 400);
    assert.equal(codeOf(all), 'learn_teacher_name_invalid');
    assert.match(all.body, /Xin nhập họ và tên thầy cô/);
    assert.match(all.body, /Xin chọn trường trong danh sách/);
    assert.match(all.body, /Xin nhập tên lớp/);
    assert.match(all.body, /value="9A!!&lt;b>"/);
    assert.deepEqual(
      [...all.body.matchAll(/<li><a href="#(\w+)">/g)].map((m) => m[1]),
      ['teacherName', 'school', 'className'],
    );
    assert.equal(codeOf(await newClass({ school: 'NO-SUCH-SCHOOL' })), 'learn_school_invalid');
    assert.equal(codeOf(await newClass({ className: '9A; DROP TABLE' })), 'learn_class_name_invalid');
    const en = new Browser(t.app);
    await en.get('/learn/classes/new?lang=en');
    const enRes = await en.postForm('/learn/classes/new', { teacherName: 'Trần Thị Mai', school: SCHOOL, className: '' });
    assert.match(enRes.body, /Please type the class name/);
  });

  test('pupils join with the code (any case, spaces) and a name: an HttpOnly cookie, no account; bad input has stable codes', async () => {
    const b = new Browser(t.app);
    await b.get('/learn');
    const spaced = `${classCode.slice(0, 3).toLowerCase()} ${classCode.slice(3)}`;
    assert.equal(normalizeClassCode(spaced), classCode);
    const res = await b.postForm('/learn', { classCode: spaced, pupilName: '  Nguyễn  Văn An ' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/learn?done=joined');
    const cookie = (res.cookies as { name: string; httpOnly?: boolean; path?: string; sameSite?: string }[]).find(
      (c) => c.name === 'learn_pupil',
    );
    assert.ok(cookie?.httpOnly && cookie.path === '/learn' && cookie.sameSite === 'Lax', JSON.stringify(cookie));
    const home = await b.get('/learn?done=joined');
    assert.match(home.body, /Em đã vào lớp 9A, Trường THCS Lê Quý Đôn – Hà Đông/);
    assert.match(home.body, /data-pupil="Nguyễn Văn An"/);

    const bad = async (classCodeIn: string, pupilName: string, status: number, code: string) => {
      const x = new Browser(t.app);
      await x.get('/learn');
      const r = await x.postForm('/learn', { classCode: classCodeIn, pupilName });
      assert.equal(r.statusCode, status, `${classCodeIn} ${pupilName}`);
      assert.equal(codeOf(r), code);
      assert.ok(!r.cookies.some((c) => c.name === 'learn_pupil'));
      return r;
    };
    await bad('ABCD0O', 'Lê Thị Hoa', 400, 'learn_class_code_invalid');
    await bad('ABC', 'Lê Thị Hoa', 400, 'learn_class_code_invalid');
    const nf = await bad(classCode === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ', 'Lê Thị Hoa', 404, 'learn_class_not_found');
    assert.match(nf.body, /Không có lớp nào mang mã này/);
    assert.match(nf.body, /value="Lê Thị Hoa"/, 'the name typed is kept');
    await bad(classCode, 'x', 400, 'learn_pupil_name_invalid');
    await bad(classCode, '<script>', 400, 'learn_pupil_name_invalid');
    const noCsrf = await new Browser(t.app).postForm('/learn', { classCode, pupilName: 'Lê Thị Hoa' }, { csrf: null });
    assert.equal(noCsrf.statusCode, 403);
  });

  test(`a class takes at most ${MAX_PUPILS} pupils (409 learn_class_full)`, async () => {
    const res = await newClass({ className: '9B' });
    const full = await t.db.selectFrom('learn_class').select(['id', 'code']).where('name', '=', '9B').executeTakeFirstOrThrow();
    assert.equal(res.statusCode, 303);
    await t.db
      .insertInto('learn_pupil')
      .values(
        Array.from({ length: MAX_PUPILS }, (_, i) => ({ class_id: full.id, name: `Học sinh ${i + 1}`, token_hash: sha256(`full-${i}`) })),
      )
      .execute();
    const b = new Browser(t.app);
    await b.get('/learn');
    const r = await b.postForm('/learn', { classCode: full.code, pupilName: 'Học sinh muộn' });
    assert.equal(r.statusCode, 409);
    assert.equal(codeOf(r), 'learn_class_full');
  });

  test('practice answers give immediate feedback with the explanation, allow retries, are recorded for pupils only and never reach the contest tables', async () => {
    const contestBefore = [await counts('contest_answer'), await counts('contest_entry'), await counts('contest_participant')];
    const [l1] = lessons;
    const q = l1!.questions[0]!;
    const pupil = await joinAs('Phạm Minh Khôi');
    await pupil.get(`/learn/lessons/${l1!.slug}/practice`);
    const before = await counts('learn_attempt');
    const first = await answer(pupil, l1!.slug, q.key, wrong(q));
    assert.equal(first.statusCode, 303);
    assert.match(
      String(first.headers.location),
      new RegExp(`^/learn/lessons/${l1!.slug}/practice\\?checked=${q.key}&chosen=.+#q-${q.key}$`),
    );
    const fb = await pupil.get(String(first.headers.location).replace(/#.*$/, ''));
    assert.match(fb.body, /data-correct="no"/);
    assert.ok(fb.body.includes(q.explanation.vi.replace(/“/g, '“').slice(0, 30)), 'the explanation is shown');
    const retry = await answer(pupil, l1!.slug, q.key, right(q));
    const fb2 = await pupil.get(String(retry.headers.location).replace(/#.*$/, ''));
    assert.match(fb2.body, /data-correct="yes"/);
    assert.match(fb2.body, /Em đã trả lời đúng 1\/3 câu của bài này/);
    assert.equal(await counts('learn_attempt'), before + 2, 'every try is recorded');

    const visitor = new Browser(t.app);
    await visitor.get(`/learn/lessons/${l1!.slug}/practice`);
    const anon = await answer(visitor, l1!.slug, q.key, right(q));
    assert.equal(anon.statusCode, 303);
    assert.match((await visitor.get(String(anon.headers.location).replace(/#.*$/, ''))).body, /data-correct="yes"/);
    assert.equal(await counts('learn_attempt'), before + 2, 'a visitor outside any class is checked, not recorded');

    const bad = async (question: string, chosen: string[], code: string) => {
      const r = await answer(pupil, l1!.slug, question, chosen);
      assert.equal(r.statusCode, 400, `${question} ${chosen}`);
      assert.equal(codeOf(r), code);
    };
    const single = l1!.questions.find((x) => x.kind === 'single')!;
    await bad(single.key, [], 'learn_answer_required');
    await bad(
      single.key,
      single.options.map((o) => o.key),
      'learn_one_option_only',
    );
    await bad(single.key, ['zz'], 'learn_option_unknown');
    await bad('no-such-question', ['a'], 'learn_question_unknown');
    assert.equal(await counts('learn_attempt'), before + 2, 'refused answers are not recorded');
    const noLesson = await pupil.get('/learn/lessons/no-such-lesson/practice');
    assert.equal(noLesson.statusCode, 404);
    assert.match(noLesson.body, /Không tìm thấy trang|Không có bài học này/);
    assert.deepEqual([await counts('contest_answer'), await counts('contest_entry'), await counts('contest_participant')], contestBefore);

    const left = await pupil.postForm('/learn/leave', {});
    assert.equal(left.statusCode, 303);
    assert.match((await pupil.get(String(left.headers.location))).body, /Máy này đã rời lớp/);
    await pupil.get(`/learn/lessons/${l1!.slug}/practice`);
    await answer(pupil, l1!.slug, q.key, right(q));
    assert.equal(await counts('learn_attempt'), before + 2, 'after leaving, answers are no longer recorded');
  });

  test("the teacher's page shows per pupil the lessons done and the first-try score, and the class totals (figures computed by hand)", async () => {
    const res = await newClass({ className: '8C', teacherName: 'Đỗ Văn Hùng' });
    const path = String(res.headers.location).replace(/\?.*$/, '');
    const code = (await t.db.selectFrom('learn_class').select('code').where('name', '=', '8C').executeTakeFirstOrThrow()).code;
    const [l1, l2] = lessons as [Lesson, Lesson];
    // An: lesson 1 all right at the first try (3); lesson 2: first question wrong then right, the
    // other two right (2 at the first try) -> 2 lessons done, 5 right at the first try.
    const an = await joinAs('Lê Văn An', code);
    await an.get(`/learn/lessons/${l1.slug}/practice`);
    for (const q of l1.questions) await answer(an, l1.slug, q.key, right(q));
    await answer(an, l2.slug, l2.questions[0]!.key, wrong(l2.questions[0]!));
    for (const q of l2.questions) await answer(an, l2.slug, q.key, right(q));
    // Bình: lesson 1, questions 1 and 3 right, question 2 wrong and never retried -> 0 done, 2.
    const binh = await joinAs('Trần Thị Bình', code);
    await binh.get(`/learn/lessons/${l1.slug}/practice`);
    await answer(binh, l1.slug, l1.questions[0]!.key, right(l1.questions[0]!));
    await answer(binh, l1.slug, l1.questions[1]!.key, wrong(l1.questions[1]!));
    await answer(binh, l1.slug, l1.questions[2]!.key, right(l1.questions[2]!));
    // Chi joins and answers nothing.
    await joinAs('Hoàng Minh Chi', code);

    const page = (await t.app.inject({ method: 'GET', url: path })).body;
    const row = (name: string) => {
      const m = new RegExp(`<tr data-pupil="${name}">(.*?)</tr>`).exec(page);
      assert.ok(m, name);
      return m[1]!;
    };
    const figure = (html: string, f: string) => new RegExp(`data-figure="${f}">([^<]*)<`).exec(html)?.[1];
    const total = lessons.reduce((n, l) => n + l.questions.length, 0);
    assert.equal(total, 15);
    assert.equal(figure(row('Lê Văn An'), 'lessons-done'), '2/5');
    assert.equal(figure(row('Lê Văn An'), 'first-try'), '5/15');
    assert.match(row('Lê Văn An'), new RegExp(`data-lesson="${l2.slug}">Xong<`));
    assert.match(row('Lê Văn An'), new RegExp(`data-lesson="${lessons[2]!.slug}">Chưa<`));
    assert.equal(figure(row('Trần Thị Bình'), 'lessons-done'), '0/5');
    assert.equal(figure(row('Trần Thị Bình'), 'first-try'), '2/15');
    assert.match(row('Trần Thị Bình'), new RegExp(`data-lesson="${l1.slug}">Chưa<`));
    assert.equal(figure(row('Hoàng Minh Chi'), 'first-try'), '0/15');
    const totals = /<tr data-row="totals">(.*?)<\/tr>/.exec(page)![1]!;
    assert.match(totals, new RegExp(`data-lesson="${l1.slug}">1/3<`));
    assert.match(totals, new RegExp(`data-lesson="${l2.slug}">1/3<`));
    assert.match(totals, new RegExp(`data-lesson="${lessons[4]!.slug}">0/3<`));
    assert.equal(figure(totals, 'all-done'), '0/3');
    assert.equal(figure(totals, 'first-try-total'), '7/45');
    // 7 right at the first try over 3 pupils: 2.33 on average.
    assert.match(page, /3 học sinh; 0 em đã hoàn thành cả 5 bài\. Trung bình mỗi em trả lời đúng ngay lần đầu 2,33\/15 câu\./);
    assert.doesNotMatch(page, /Phạm Minh Khôi/, "another class's pupil is not listed");
    const mine = await an.get('/learn');
    assert.match(mine.body, new RegExp(`data-lesson="${l2.slug}" data-done="yes"`));
  });

  test('the schools page: a unit admin lists and adds schools of their units only; bad input is shown with stable codes', async () => {
    const admin = await new Browser(t.app).login(DEMO.adminHaDong);
    const page = await admin.get('/admin/schools');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /href="\/admin\/schools"/, 'linked in the admin menu');
    assert.match(page.body, /data-school="HD-THPT-QUANG-TRUNG"/);
    assert.doesNotMatch(page.body, /data-school="DV-TH-DEMO"/, "another district's school is not listed");
    assert.match(page.body, new RegExp(`<option value="${UNITS.quangTrung}">`));
    assert.doesNotMatch(page.body, new RegExp(`<option value="${UNITS.dichVong}">`));
    const bad = await admin.postForm('/admin/schools', { code: 'có dấu', nameVi: '', nameEn: 'x', unit: '' });
    assert.equal(bad.statusCode, 400);
    assert.equal(codeOf(bad), 'learn_school_code_invalid');
    for (const m of [/Mã trường gồm chữ in hoa/, /Xin nhập tên trường/, /Xin chọn cấp học/, /Xin chọn phường, xã hoặc quận, huyện/])
      assert.match(bad.body, m);
    const good = {
      code: 'qt-thcs-demo',
      nameVi: 'Trường THCS thử nghiệm',
      nameEn: 'Test lower secondary school',
      kind: 'lower_secondary',
      unit: UNITS.quangTrung,
    };
    const ok = await admin.postForm('/admin/schools', good);
    assert.equal(ok.statusCode, 303);
    assert.match((await admin.get(String(ok.headers.location))).body, /data-school="QT-THCS-DEMO"/);
    const again = await admin.postForm('/admin/schools', good);
    assert.equal(again.statusCode, 409);
    assert.equal(codeOf(again), 'learn_school_code_taken');
    const outside = await admin.postForm('/admin/schools', { ...good, code: 'DV-X', unit: UNITS.dichVong });
    assert.equal(outside.statusCode, 403);
    const desk = await new Browser(t.app).login(DEMO.deskQuangTrung);
    assert.equal((await desk.get('/admin/schools')).statusCode, 403);
    const city = await new Browser(t.app).login(DEMO.cityAdmin);
    assert.match((await city.get('/admin/schools')).body, /data-school="DV-TH-DEMO"/);
  });

  test('/learn is linked from the home page and the guide', async () => {
    for (const url of ['/', '/guide']) assert.match((await t.app.inject({ method: 'GET', url })).body, /href="\/learn"/, url);
  });
});
