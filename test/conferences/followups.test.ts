import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { Browser, DEMO, testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { tokens } from '../helpers/processing.js';
import { schedule, startedAlready } from './helpers.js';
import { up as redactionMigration } from '../../src/db/migrations/202611300005_conference_redaction.js';

type Tok = Awaited<ReturnType<typeof tokens>>;

// Personal data a citizen may type into a question: none of it may be published.
const PRIVATE = /0912 345 678|001099012345|mai\.le@example\.vn|Lê Thị Mai/;
const TEXT =
  'Tôi là Lê Thị Mai, gọi 0912 345 678 hoặc mai.le@example.vn; căn cước 001099012345 làm lại mất 20 ngày, vì sao chậm thủ tục 1.004873?';

describe(`conference follow-ups: redaction and FAQ (${ENGINE})`, () => {
  let t: TestApp;
  let tok: Tok;
  let id: number;
  let qid: number;
  let pending: number;
  before(async () => {
    t = await testApp();
    tok = await tokens(t.app);
    id = await schedule(t.app, tok.adminHaDong);
    const ask = async (text: string) => {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/v1/conferences/${id}/questions`,
        payload: { fullName: 'Lê Thị Mai', phone: '0987654321', text },
      });
      assert.equal(r.statusCode, 201, r.body);
      return r.json().id as number;
    };
    qid = await ask(TEXT);
    pending = await ask('Liên hệ tôi qua 0987 654 321 nhé.');
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conferences/${id}/questions/${qid}/moderation`,
      headers: tok.specialistHaDong,
      payload: { decision: 'accept' },
    });
    assert.equal(r.statusCode, 204, r.body);
  });
  after(() => t.close());

  const inject = (method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string> = {}, payload?: object) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const toFaq = (headers: Record<string, string>, q = qid) => inject('POST', `/api/v1/conferences/${id}/questions/${q}/faq`, headers);

  test('the text stored at acceptance is the redacted one; dates, procedure codes and ordinary words stay', async () => {
    const row = await t.db
      .selectFrom('conference_question')
      .select(['body', 'body_public'])
      .where('id', '=', qid)
      .executeTakeFirstOrThrow();
    assert.equal(row.body, TEXT, 'the original is kept for officials');
    assert.doesNotMatch(row.body_public!, PRIVATE);
    assert.match(row.body_public!, /\[\*\*\*\]/);
    assert.match(row.body_public!, /20 ngày, vì sao chậm thủ tục 1\.004873\?/);
    const p = await t.db.selectFrom('conference_question').select('body_public').where('id', '=', pending).executeTakeFirstOrThrow();
    assert.equal(p.body_public, null, 'nothing is published before acceptance');
  });

  test('the public page, the public API and open data show only the redacted text', async () => {
    const page = await inject('GET', `/conferences/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /vì sao chậm thủ tục 1\.004873/);
    assert.doesNotMatch(page.body, PRIVATE);
    for (const headers of [{}, tok.citizen]) {
      const list = await inject('GET', `/api/v1/conferences/${id}/questions`, headers);
      assert.equal(list.statusCode, 200, list.body);
      const qs = list.json() as { id: number; text: string; asker: string }[];
      assert.deepEqual(
        qs.map((q) => q.id),
        [qid],
        'accepted questions only',
      );
      assert.doesNotMatch(list.body, PRIVATE);
      assert.doesNotMatch(list.body, /0987654321/);
      assert.equal(qs[0]!.asker, 'L. T. M.');
    }
    const view = await inject('GET', `/api/v1/conferences/${id}`);
    assert.doesNotMatch(view.body, PRIVATE);
    const open = await inject('GET', '/api/v1/open-data/conferences.json');
    assert.equal(open.statusCode, 200);
    assert.doesNotMatch(open.body, PRIVATE);
  });

  test("the unit's officials see the original with what is (or would be) published; another unit's see the public list", async () => {
    const list = await inject('GET', `/api/v1/conferences/${id}/questions`, tok.specialistHaDong);
    assert.equal(list.statusCode, 200);
    const qs = list.json() as { id: number; text: string; publishedText: string; moderation: string }[];
    const q = qs.find((x) => x.id === qid)!;
    assert.equal(q.text, TEXT);
    assert.doesNotMatch(q.publishedText, PRIVATE);
    const p = qs.find((x) => x.id === pending)!;
    assert.equal(p.moderation, 'pending');
    assert.equal(p.publishedText, 'Liên hệ tôi qua [***] nhé.');
    const outsider = await inject('GET', `/api/v1/conferences/${id}/questions`, tok.specialistQuangTrung);
    assert.equal(outsider.statusCode, 200);
    assert.doesNotMatch(outsider.body, PRIVATE);
    assert.ok(!outsider.body.includes('Liên hệ tôi'), 'not the pending one either');
    const official = await new Browser(t.app).login(DEMO.specialistHaDong);
    const page = await official.get(`/work/conferences/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /0912 345 678/);
    assert.match(page.body, /Câu hỏi hiện công khai như sau/);
    assert.match(page.body, /Nếu chấp nhận, câu hỏi hiện công khai như sau/);
    assert.match(page.body, /Liên hệ tôi qua \[\*\*\*\] nhé\./);
  });

  test('the migration fills the published text of questions accepted before it, and is safe to run again', async () => {
    await sql`update conference_question set body_public = null where id = ${qid}`.execute(t.db);
    // Even unfilled, an accepted question is never shown as sent.
    assert.doesNotMatch((await inject('GET', `/api/v1/conferences/${id}/questions`)).body, PRIVATE);
    await redactionMigration(t.db);
    const row = await t.db.selectFrom('conference_question').select('body_public').where('id', '=', qid).executeTakeFirstOrThrow();
    assert.ok(row.body_public);
    assert.doesNotMatch(row.body_public, PRIVATE);
    const p = await t.db.selectFrom('conference_question').select('body_public').where('id', '=', pending).executeTakeFirstOrThrow();
    assert.equal(p.body_public, null);
  });

  test("an answered question of published minutes becomes one draft FAQ entry, by its unit's leaders only", async () => {
    await startedAlready(t, id);
    assert.equal((await inject('POST', `/api/v1/conferences/${id}/held`, tok.adminHaDong)).statusCode, 204);
    const answered = await inject('PUT', `/api/v1/conferences/${id}/questions/${qid}/answer`, tok.specialistHaDong, {
      text: 'Căn cước làm lại được trả trong 7 ngày làm việc; quận sẽ tăng cán bộ tiếp nhận.',
    });
    assert.equal(answered.statusCode, 204, answered.body);
    let r = await toFaq(tok.leaderHaDong);
    assert.equal(r.statusCode, 409);
    assert.equal(r.json().code, 'minutes_not_published');
    assert.equal((await inject('POST', `/api/v1/conferences/${id}/publish`, tok.leaderHaDong)).statusCode, 204);

    r = await toFaq(tok.specialistHaDong);
    assert.equal(r.statusCode, 403);
    assert.equal(r.json().code, 'forbidden');
    r = await toFaq(tok.leaderQuangTrung);
    assert.equal(r.statusCode, 403);
    assert.equal(r.json().code, 'forbidden');
    r = await toFaq(tok.leaderHaDong, pending);
    assert.equal(r.statusCode, 404);
    assert.equal(r.json().code, 'question_not_found');

    r = await toFaq(tok.leaderHaDong);
    assert.equal(r.statusCode, 201, r.body);
    const faqId = r.json().id as number;
    assert.equal(r.json().created, true);
    const again = await toFaq(tok.adminHaDong);
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json(), { id: faqId, created: false });
    const entry = await t.db.selectFrom('faq_entry').selectAll().where('id', '=', faqId).executeTakeFirstOrThrow();
    assert.equal(entry.status, 'draft');
    assert.equal(entry.source, 'conference');
    assert.equal(entry.source_ref, `${id}:${qid}`);
    assert.doesNotMatch(entry.question_vi, PRIVATE);
    assert.match(entry.question_vi, /vì sao chậm thủ tục 1\.004873/);
    assert.match(entry.answer_vi, /7 ngày làm việc/);
    const count = await t.db
      .selectFrom('faq_entry')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('source_ref', '=', `${id}:${qid}`)
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
  });

  test("from the officials' page: the button opens the FAQ editor, then the page links to the entry", async () => {
    const leader = await new Browser(t.app).login(DEMO.leaderHaDong);
    const page = await leader.get(`/work/conferences/${id}`);
    assert.equal(page.statusCode, 200);
    const faqId = (await t.db.selectFrom('faq_entry').select('id').where('source_ref', '=', `${id}:${qid}`).executeTakeFirstOrThrow()).id;
    assert.match(page.body, new RegExp(`href="/work/faq/${faqId}/edit"`));
    assert.doesNotMatch(page.body, new RegExp(`action="/work/conferences/${id}/questions/${qid}/faq"`));

    // Another conference, to go through the form from the start.
    const other = await schedule(t.app, tok.adminHaDong);
    await startedAlready(t, other);
    assert.equal((await inject('POST', `/api/v1/conferences/${other}/held`, tok.adminHaDong)).statusCode, 204);
    const added = await inject('POST', `/api/v1/conferences/${other}/room-questions`, tok.adminHaDong, {
      askerName: 'Đỗ Văn Bình',
      text: 'Đỗ Văn Bình hỏi: số 0903 123 456 có nhận tin báo kết quả không?',
      answer: 'Có, nếu anh đăng ký nhận tin nhắn khi nộp hồ sơ.',
    });
    assert.equal(added.statusCode, 201, added.body);
    const rq = added.json().id as number;
    await leader.get(`/work/conferences/${other}`);
    let r = await leader.postForm(`/work/conferences/${other}/questions/${rq}/faq`, {});
    assert.equal(r.statusCode, 303);
    assert.match(r.headers.location as string, /\?error=minutes_not_published#question-/);
    assert.equal((await inject('POST', `/api/v1/conferences/${other}/publish`, tok.leaderHaDong)).statusCode, 204);
    let work = await leader.get(`/work/conferences/${other}`);
    assert.match(work.body, /Đưa vào mục Hỏi đáp/);
    r = await leader.postForm(`/work/conferences/${other}/questions/${rq}/faq`, {});
    assert.equal(r.statusCode, 303);
    const m = /^\/work\/faq\/(\d+)\/edit$/.exec(r.headers.location as string);
    assert.ok(m, r.headers.location as string);
    const entry = await t.db.selectFrom('faq_entry').selectAll().where('id', '=', Number(m[1])).executeTakeFirstOrThrow();
    assert.equal(entry.question_vi, '[***] hỏi: số [***] có nhận tin báo kết quả không?');
    assert.equal(entry.status, 'draft');
    assert.equal((await leader.get(r.headers.location as string)).statusCode, 200, 'the FAQ editor opens');
    work = await leader.get(`/work/conferences/${other}`);
    assert.match(work.body, new RegExp(`href="/work/faq/${m[1]}/edit"`));
    assert.doesNotMatch(work.body, /Đưa vào mục Hỏi đáp/);
    // A specialist sees neither the button nor gets through the form.
    const specialist = await new Browser(t.app).login(DEMO.specialistHaDong);
    await specialist.get(`/work/conferences/${other}`);
    r = await specialist.postForm(`/work/conferences/${other}/questions/${rq}/faq`, {});
    assert.equal(r.statusCode, 403);
  });
});
