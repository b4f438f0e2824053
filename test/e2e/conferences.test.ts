import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { DEMO_PASSWORD } from '../../src/seed/seed.js';
import { startedAlready } from '../conferences/helpers.js';
import { checkA11y, launch, serve } from './browser.js';

/** A datetime-local value (Vietnam time) some days from now. */
const local = (days: number) => new Date(Date.now() + days * 86_400_000 + 7 * 3600_000).toISOString().slice(0, 16);

describe(`a dialogue conference from scheduling to a commitment done, in Chromium (${ENGINE})`, () => {
  let t: Awaited<ReturnType<typeof serve>>;
  let browser: Browser;
  before(async () => {
    t = await serve();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function login(who: string): Promise<Page> {
    const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
    await page.goto(`${t.url}/login`);
    await page.fill('#identifier', who);
    await page.fill('#password', DEMO_PASSWORD);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit].button')]);
    return page;
  }
  const submit = (page: Page, form: string) => Promise.all([page.waitForNavigation(), page.click(`${form} button[type=submit]`)]);

  test('schedule, register and ask, accept, answer with a commitment, publish the minutes, commitment done; axe clean', async () => {
    // A Hà Đông official schedules the conference.
    const official = await login(DEMO.adminHaDong);
    await Promise.all([official.waitForURL(/\/work\/conferences$/), official.click('nav a[href="/work/conferences"]')]);
    await checkA11y(official, 'the officials’ conference list');
    await Promise.all([official.waitForURL(/\/new$/), official.click('a[href="/work/conferences/new"]')]);
    await checkA11y(official, 'the scheduling form');
    await official.fill('#topic', 'Đối thoại về thủ tục hộ tịch và cư trú');
    await official.fill('#description', 'Lãnh đạo quận trả lời câu hỏi của người dân.');
    await official.fill('#startsAt', local(7));
    await official.fill('#closesAt', local(6));
    await official.fill('#place', 'Hội trường UBND quận Hà Đông');
    await official.fill('#chair', 'Nguyễn Văn Hùng, Chủ tịch UBND quận');
    await official.fill('#leaders', 'Trần Thị Lan, Phó Chủ tịch UBND quận');
    await Promise.all([official.waitForURL(/\/work\/conferences\/\d+\?saved=1/), official.click('#details button[type=submit]')]);
    const id = Number(/\/work\/conferences\/(\d+)/.exec(official.url())![1]);
    await checkA11y(official, 'the conference as officials manage it');

    // A citizen finds it from the menu, registers (details filled in) and sends a question.
    const citizen = await login(DEMO.citizen);
    await Promise.all([citizen.waitForURL(/\/conferences$/), citizen.click('nav a[href="/conferences"]')]);
    await checkA11y(citizen, 'the public conference list');
    await Promise.all([citizen.waitForURL(new RegExp(`/conferences/${id}$`)), citizen.click(`a[href="/conferences/${id}"]`)]);
    await checkA11y(citizen, 'the agenda with its forms');
    assert.equal(await citizen.inputValue('#r-phone'), '0912345678');
    await submit(citizen, '#register');
    assert.match((await citizen.textContent('[role=status]')) ?? '', /đăng ký thành công/);
    await checkA11y(citizen, 'the agenda after registering');
    await citizen.fill('#q-text', 'Đăng ký khai sinh trực tuyến sao lâu hơn luật cho phép?');
    await submit(citizen, '#ask');
    assert.match((await citizen.textContent('[role=status]')) ?? '', /sau khi cán bộ xem xét/);

    // The official accepts it; the meeting takes place; the answer and a commitment are recorded.
    await official.goto(`${t.url}/work/conferences/${id}`);
    await submit(official, 'form:has(input[name=decision][value=accept])');
    await startedAlready(t, id);
    await official.goto(`${t.url}/work/conferences/${id}`);
    await submit(official, `form[action="/work/conferences/${id}/held"]`);
    const q = await t.db.selectFrom('conference_question').select('id').where('conference_id', '=', id).executeTakeFirstOrThrow();
    await official.fill(`#answer-${q.id}`, 'Do chậm đồng bộ với cơ sở dữ liệu dân cư; quận đã khắc phục.');
    await submit(official, `form[action$="/questions/${q.id}/answer"]`);
    await official.click(`#question-${q.id} details summary`);
    await official.fill(`#what-${q.id}`, 'Tập huấn cán bộ một cửa về đăng ký khai sinh trực tuyến');
    await official.fill(`#responsible-${q.id}`, 'Phòng Tư pháp quận');
    await official.fill(`#due-${q.id}`, '2099-01-31');
    await submit(official, `form[action$="/questions/${q.id}/commitments"]`);
    await checkA11y(official, 'the conference with answers and commitments recorded');

    // The leader publishes the minutes.
    const leader = await login(DEMO.leaderHaDong);
    await leader.goto(`${t.url}/work/conferences/${id}`);
    await submit(leader, `form[action="/work/conferences/${id}/publish"]`);

    // The public page is now the minutes, with the answer and the commitment.
    await citizen.goto(`${t.url}/conferences/${id}`);
    const minutes = (await citizen.textContent('main')) ?? '';
    assert.match(minutes, /Biên bản hội nghị/);
    assert.match(minutes, /quận đã khắc phục/);
    assert.match(minutes, /Tập huấn cán bộ một cửa/);
    assert.match(minutes, /Chưa thực hiện/);
    await checkA11y(citizen, 'the minutes');

    // The commitment is done, with evidence; the minutes and the commitments list show it.
    await official.goto(`${t.url}/work/conferences/${id}`);
    const m = await t.db.selectFrom('conference_commitment').select('id').where('conference_id', '=', id).executeTakeFirstOrThrow();
    await official.click(`#commitment-${m.id} details.commitment-update summary`);
    await official.selectOption(`#to-${m.id}`, 'done');
    await official.fill(`#evidence-${m.id}`, 'Đã tập huấn 25 cán bộ ngày 10/12');
    await submit(official, `form[action="/work/commitments/${m.id}/status"]`);
    assert.match(official.url(), /saved=1/);
    await citizen.goto(`${t.url}/conferences/${id}`);
    assert.match((await citizen.textContent(`#commitment-${m.id}`)) ?? '', /Đã xong[\s\S]*Đã tập huấn 25 cán bộ/);
    await citizen.goto(`${t.url}/commitments?status=done`);
    assert.match((await citizen.textContent(`#commitment-${m.id}`)) ?? '', /Đã xong/);
    await checkA11y(citizen, 'the public commitments list');
  });
});
