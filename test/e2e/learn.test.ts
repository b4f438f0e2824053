import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { loadLessons, type LessonQuestion } from '../../src/domain/learn/lessons.js';
import { seedDemoSchools } from '../../src/modules/learn/learn.seed.js';
import { DEMO } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { DEMO_PASSWORD } from '../../src/seed/seed.js';
import { checkA11y, launch, serve } from './browser.js';

const { lessons } = loadLessons();
const lesson = lessons[0]!;
const right = (q: LessonQuestion) => q.options.filter((o) => o.correct).map((o) => o.key);
const wrong = (q: LessonQuestion) => [q.options.find((o) => !o.correct)!.key];

/** Ticks the options of one question and presses its "Check" button (a real form post). */
async function answer(page: Page, q: LessonQuestion, chosen: string[]) {
  for (const o of q.options) {
    const box = `[id="${q.key}-${o.key}"]`;
    if (chosen.includes(o.key)) await page.check(box);
    else if (q.kind === 'multiple') await page.uncheck(box);
  }
  await Promise.all([
    page.waitForURL((u) => u.searchParams.get('checked') === q.key),
    page.click(`[data-question="${q.key}"] button[type=submit]`),
  ]);
  return page.getAttribute(`[data-question="${q.key}"] [data-correct]`, 'data-correct');
}

async function join(page: Page, url: string, code: string, name: string) {
  await page.goto(`${url}/learn`);
  await page.fill('#classCode', code);
  await page.fill('#pupilName', name);
  await Promise.all([page.waitForURL(/\/learn\?done=joined$/), page.click('form.join-form button[type=submit]')]);
  assert.match((await page.textContent('[role=status]')) ?? '', /Em đã vào lớp 9A/);
}

describe(`learning mode in Chromium: a teacher's class, two pupils (one without JavaScript), the progress page (${ENGINE})`, () => {
  let t: Awaited<ReturnType<typeof serve>>;
  let browser: Browser;
  before(async () => {
    t = await serve();
    await seedDemoSchools(t.db);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  test('the teacher creates a class, pupils join with the code and practise, the teacher sees the right figures; axe clean', async () => {
    // The ward's school is added by the district's unit admin on the schools page.
    const admin = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await admin.goto(`${t.url}/login`);
    await admin.fill('#identifier', DEMO.adminHaDong);
    await admin.fill('#password', DEMO_PASSWORD);
    await Promise.all([admin.waitForURL((u) => !u.pathname.startsWith('/login')), admin.click('button[type=submit].button')]);
    await Promise.all([admin.waitForURL(/\/admin\/schools$/), admin.click('nav a[href="/admin/schools"]')]);
    await checkA11y(admin, 'the schools page');
    await admin.fill('#code', 'QT-THCS-THU-NGHIEM');
    await admin.fill('#nameVi', 'Trường THCS thử nghiệm Quang Trung');
    await admin.fill('#nameEn', 'Quang Trung test lower secondary school');
    await admin.check('#kind-lower_secondary');
    await admin.selectOption('#unit', '000.13.42.H26');
    await Promise.all([admin.waitForURL(/done=created$/), admin.click('form.school-form button[type=submit]')]);
    assert.equal(await admin.getAttribute('[data-school="QT-THCS-THU-NGHIEM"]', 'data-school'), 'QT-THCS-THU-NGHIEM');
    await checkA11y(admin, 'the schools page after adding one');

    const teacher = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await teacher.goto(`${t.url}/`);
    await Promise.all([teacher.waitForURL(/\/learn$/), teacher.click('a[href="/learn"]')]);
    await checkA11y(teacher, 'the lessons page');
    await Promise.all([teacher.waitForURL(/\/learn\/classes\/new$/), teacher.click('a[href="/learn/classes/new"]')]);
    await checkA11y(teacher, 'the new class form');
    await teacher.fill('#teacherName', 'Trần Thị Mai');
    await Promise.all([teacher.waitForURL(/\/learn\/classes\/new$/), teacher.click('form.class-form button[type=submit]')]);
    assert.equal(await teacher.getAttribute('.error-summary', 'data-code'), 'learn_class_name_invalid');
    await checkA11y(teacher, 'the new class form with errors');
    await teacher.selectOption('#school', 'QT-THCS-THU-NGHIEM');
    await teacher.fill('#className', '9A');
    await Promise.all([teacher.waitForURL(/\/learn\/teach\/[\w-]+\?created=1$/), teacher.click('form.class-form button[type=submit]')]);
    await checkA11y(teacher, 'the new class progress page');
    const code = (await teacher.getAttribute('[data-class-code]', 'data-class-code'))!;
    assert.match(code, /^[A-HJ-NP-Z2-9]{6}$/);
    assert.equal((await teacher.textContent('[data-class-code]'))?.trim(), `${code.slice(0, 3)} ${code.slice(3)}`);
    const teacherUrl = teacher.url().replace(/\?.*$/, '');

    // Pupil 1, with JavaScript: a typo first, then the code as shown on the board (with a space).
    const an = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await an.goto(`${t.url}/learn`);
    await an.fill('#classCode', 'ABC1O0');
    await an.fill('#pupilName', 'Nguyễn Văn An');
    await Promise.all([an.waitForURL(/\/learn$/), an.click('form.join-form button[type=submit]')]);
    assert.equal(await an.getAttribute('.error-summary', 'data-code'), 'learn_class_code_invalid');
    await checkA11y(an, 'the join form with an error');
    await join(an, t.url, `${code.slice(0, 3).toLowerCase()} ${code.slice(3)}`, 'Nguyễn Văn An');
    await checkA11y(an, 'the lessons page of a pupil in a class');
    await Promise.all([an.waitForURL(new RegExp(`/learn/lessons/${lesson.slug}$`)), an.click(`a[href="/learn/lessons/${lesson.slug}"]`)]);
    await checkA11y(an, 'a lesson');
    await Promise.all([an.waitForURL(/\/practice$/), an.click(`a[href="/learn/lessons/${lesson.slug}/practice"]`)]);
    await checkA11y(an, 'the practice questions');
    const [q1, ...others] = lesson.questions;
    assert.equal(await answer(an, q1!, wrong(q1!)), 'no');
    assert.match((await an.textContent(`[data-question="${q1!.key}"] [role=status]`)) ?? '', /Giải thích:/);
    await checkA11y(an, 'the feedback on a wrong answer');
    assert.equal(await answer(an, q1!, right(q1!)), 'yes', 'a retry is allowed');
    for (const q of others) assert.equal(await answer(an, q, right(q)), 'yes');
    assert.match((await an.textContent('[data-figure=lesson-progress]')) ?? '', /3\/3/);
    await checkA11y(an, 'the finished practice');

    // Pupil 2, without JavaScript: the same forms work, the HttpOnly cookie keeps the pupil.
    const binhContext = await browser.newContext({ locale: 'vi-VN', javaScriptEnabled: false });
    const binh = await binhContext.newPage();
    await join(binh, t.url, code, 'Trần Thị Bình');
    await binh.click(`a[href="/learn/lessons/${lesson.slug}"]`);
    await Promise.all([binh.waitForURL(/\/practice$/), binh.click(`a[href="/learn/lessons/${lesson.slug}/practice"]`)]);
    for (const q of lesson.questions) assert.equal(await answer(binh, q, right(q)), 'yes');
    assert.ok((await binhContext.cookies()).some((c) => c.name === 'learn_pupil' && c.httpOnly));
    await binh.goto(`${t.url}/learn`);
    assert.equal(await binh.getAttribute(`[data-lesson="${lesson.slug}"]`, 'data-done'), 'yes');

    // An: 2 right at the first try (the first question was wrong first); Bình: 3. Lesson 1 done by both.
    await teacher.goto(teacherUrl);
    const fig = async (row: string, f: string) => (await teacher.textContent(`${row} [data-figure="${f}"]`))?.trim();
    assert.equal(await fig('tr[data-pupil="Nguyễn Văn An"]', 'lessons-done'), '1/5');
    assert.equal(await fig('tr[data-pupil="Nguyễn Văn An"]', 'first-try'), '2/15');
    assert.equal(await fig('tr[data-pupil="Trần Thị Bình"]', 'lessons-done'), '1/5');
    assert.equal(await fig('tr[data-pupil="Trần Thị Bình"]', 'first-try'), '3/15');
    assert.equal((await teacher.textContent(`tr[data-row=totals] [data-lesson="${lesson.slug}"]`))?.trim(), '2/2');
    assert.equal(await fig('tr[data-row=totals]', 'all-done'), '0/2');
    assert.equal(await fig('tr[data-row=totals]', 'first-try-total'), '5/30');
    assert.match((await teacher.textContent('[data-figure=class-summary]')) ?? '', /2 học sinh; 0 em .* 2,5\/15 câu/);
    await checkA11y(teacher, 'the progress page with two pupils');
  });
});
