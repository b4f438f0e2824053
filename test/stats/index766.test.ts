import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { formatVnpDate, signedQuery } from '../../src/modules/payments/gateway.js';
import {
  bandOf,
  INDEX_CODES,
  INDEX_CONFIG,
  loadIndexConfig,
  rankRows,
  scoreIndicator,
  scoreRow,
  serviceIndex,
  ServiceIndexSchema,
  type IndexRow,
  type Indicator,
  type ServiceIndex,
} from '../../src/modules/stats/stats.index766.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { vnDayWithRoom, vnToday } from '../helpers/vn-day.js';
import { formatNumber } from '../../src/web/i18n/index.js';
import { periodOf } from '../../src/domain/stats/periods.js';
import { act, receivedDossier, tokens } from '../helpers/processing.js';
import { residenceBody, uploadFile } from '../helpers/dossiers.js';

let today = vnToday();
const WARD = '000.13.42.H26';
const DISTRICT = '000.00.42.H26';

describe('Decision 766 index: scoring', () => {
  test('thresholds: online filing 50% = full marks, 25% = half; digitised 80% = full; on time proportional', () => {
    assert.equal(scoreIndicator(50, 6, 50), 6);
    assert.equal(scoreIndicator(73.5, 6, 50), 6);
    assert.equal(scoreIndicator(25, 6, 50), 3);
    assert.equal(scoreIndicator(80, 6, 80), 6);
    assert.equal(scoreIndicator(40, 6, 80), 3);
    assert.equal(scoreIndicator(99.95, 14, 100), 13.99);
    assert.equal(scoreIndicator(50, 14, 100), 7);
    assert.equal(scoreIndicator(0, 14, 100), 0);
  });

  test('the shipped configuration: every indicator once, group points add up to the weights, 100 in all', () => {
    assert.deepEqual(INDEX_CONFIG.indicators.map((i) => i.code).sort(), [...INDEX_CODES].sort());
    assert.equal(
      INDEX_CONFIG.groups.reduce((s, g) => s + g.weight, 0),
      100,
    );
    const at = (code: string) => INDEX_CONFIG.indicators.find((i) => i.code === code)!.fullAt;
    assert.deepEqual([at('2.1'), at('3.1'), at('3.3'), at('3.6'), at('4.1'), at('4.2')], [100, 80, 50, 80, 100, 80]);
  });

  test('not-measured indicators have no score and stay out of maxScore; an empty denominator is not a 0', () => {
    const row = scoreRow(
      {
        '2.1': { num: 1, den: 2, emptyReason: 'no_dossiers' },
        '3.3': { num: 1, den: 4, emptyReason: 'no_dossiers' },
        '3.6': { num: 0, den: 0, emptyReason: 'no_fees' },
      },
      12.5,
    );
    const ind = (code: string) => row.indicators.find((i) => i.code === code)!;
    assert.deepEqual(
      { measured: ind('3.3').measured, value: ind('3.3').value, score: ind('3.3').score },
      { measured: true, value: 25, score: 3 },
    );
    assert.deepEqual(
      { measured: ind('3.6').measured, reason: ind('3.6').reason, score: ind('3.6').score },
      {
        measured: false,
        reason: 'no_fees',
        score: null,
      },
    );
    assert.equal(ind('5.1').reason, 'no_method');
    assert.equal(ind('5.2').reason, 'not_recorded', '5.2 is measured by the caller; without a measurement it is not');
    assert.equal(ind('5.4').reason, 'not_recorded', '5.4 is measured by the caller; without a measurement it is not');
    assert.equal(ind('5.4').lateRate, 12.5);
    assert.equal(ind('1.1').reason, 'not_recorded');
    assert.equal(ind('4.5').reason, 'not_recorded');
    assert.equal(row.indicators.length, INDEX_CODES.length);
    // 2.1: 50% of 14 = 7; 3.3: 25% of 6 against 50% = 3; out of 14 + 6.
    assert.deepEqual(
      { score: row.score, maxScore: row.maxScore, percent: row.percent, band: row.band },
      {
        score: 10,
        maxScore: 20,
        percent: 50,
        band: 'average',
      },
    );
    const empty = scoreRow({}, null);
    assert.deepEqual(
      { score: empty.score, maxScore: empty.maxScore, percent: empty.percent, band: empty.band },
      {
        score: 0,
        maxScore: 0,
        percent: null,
        band: null,
      },
    );
  });

  test('band boundaries: Tốt >= 90, Khá 70-<90, Trung bình 50-<70, Yếu < 50', () => {
    assert.equal(bandOf(100), 'good');
    assert.equal(bandOf(90), 'good');
    assert.equal(bandOf(89.99), 'fair');
    assert.equal(bandOf(70), 'fair');
    assert.equal(bandOf(69.99), 'average');
    assert.equal(bandOf(50), 'average');
    assert.equal(bandOf(49.99), 'weak');
    assert.equal(bandOf(0), 'weak');
  });

  test('ranking: by percent, ties share a rank, rows without a percent last and unranked', () => {
    const rows = [
      { code: 'a', percent: 80, rank: null },
      { code: 'b', percent: null, rank: null },
      { code: 'c', percent: 95, rank: null },
      { code: 'd', percent: 80, rank: null },
      { code: 'e', percent: 10, rank: null },
    ];
    assert.deepEqual(
      rankRows(rows).map((r) => `${r.code}:${r.rank}`),
      ['c:1', 'a:2', 'd:2', 'e:4', 'b:null'],
    );
  });

  test('a broken configuration file stops loading with a clear message', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'motcua-766-'));
    try {
      const file = join(dir, 'index.json');
      const good = structuredClone(INDEX_CONFIG);
      await writeFile(file, JSON.stringify(good));
      assert.deepEqual(loadIndexConfig(file), good);
      good.indicators.find((i) => i.code === '2.1')!.points = 15;
      await writeFile(file, JSON.stringify(good));
      assert.throws(() => loadIndexConfig(file), /group progress add up to 21, not its weight 20/);
      await writeFile(file, JSON.stringify({ ...INDEX_CONFIG, bands: { good: 'x' } }));
      assert.throws(() => loadIndexConfig(file), /invalid: \/bands/);
      await writeFile(file, JSON.stringify({ ...INDEX_CONFIG, indicators: INDEX_CONFIG.indicators.slice(1) }));
      assert.throws(() => loadIndexConfig(file), /indicator 1.1 appears 0 times/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe(`Decision 766 index on live dossiers (${ENGINE})`, () => {
  let t: TestApp;
  let tok: Awaited<ReturnType<typeof tokens>>;
  before(async () => {
    today = await vnDayWithRoom();
    t = await testApp();
    tok = await tokens(t.app);
  });
  after(() => t.close());

  const get = async (url: string) => {
    const res = await t.app.inject({ url });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };
  const ok = (r: { statusCode: number; body: string }) => assert.equal(r.statusCode, 200, r.body);
  const ind = (row: IndexRow, code: string): Indicator => row.indicators.find((i) => i.code === code)!;

  /** Residence (1.004194, with a fee) paid through the sandbox gateway before the desk receives it. */
  async function paidOnlineResidence() {
    const up = await uploadFile(t.app, tok.citizen);
    const sub = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: tok.citizen,
      payload: residenceBody(up.json().sha256),
    });
    assert.equal(sub.statusCode, 201, sub.body);
    const id = sub.json().id as number;
    const start = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/payments/online`, headers: tok.citizen });
    ok(start);
    const notice = {
      vnp_TmnCode: t.app.config.payment.merchantCode,
      vnp_Amount: '700000',
      vnp_TxnRef: start.json().txnRef,
      vnp_ResponseCode: '00',
      vnp_TransactionStatus: '00',
      vnp_TransactionNo: '14123457',
      vnp_PayDate: formatVnpDate(new Date()),
      vnp_BankCode: 'NCB',
    };
    const ipn = await t.app.inject({ url: `/api/v1/payments/ipn?${signedQuery(notice, t.app.config.payment.hashSecret)}` });
    assert.equal(ipn.json().RspCode, '00', ipn.body);
    ok(await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/receive`, headers: tok.deskQuangTrung, payload: {} }));
    return id;
  }

  test('a ward and its district: values match the report, unmeasured indicators unscored, rows ranked', async () => {
    // Marital status, inter-level: finished with a signed result.
    const done = await receivedDossier(t, tok);
    ok(await act(t.app, done.id, tok.specialistQuangTrung, { action: 'pass', note: 'ok' }));
    ok(await act(t.app, done.id, tok.leaderQuangTrung, { action: 'pass', decision: 'approve' }));
    ok(await act(t.app, done.id, tok.specialistHaDong, { action: 'pass', decision: 'approve', reason: 'ok' }));
    ok(await act(t.app, done.id, tok.leaderHaDong, { action: 'approve', decision: 'Đồng ý' }));
    // The applicant takes the result and is not satisfied: a "dislike" for 5.4.
    ok(await t.app.inject({ url: `/api/v1/dossiers/${done.id}/result`, headers: tok.citizen }));
    ok(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/ratings',
        payload: { code: done.code, check: '5678', overall: 'not_satisfied', comment: 'Phải đi lại nhiều lần' },
      }),
    );
    // Marital status, still in progress.
    await receivedDossier(t, tok);
    // Residence with its fee paid online, finished.
    const paid = await paidOnlineResidence();
    ok(await act(t.app, paid, tok.specialistQuangTrung, { action: 'pass', decision: 'approve', reason: 'ok' }));
    ok(await act(t.app, paid, tok.leaderQuangTrung, { action: 'approve', decision: 'Đồng ý đăng ký tạm trú' }));
    // Residence with its fee paid in cash, then stopped: a fee not paid online.
    const cash = await receivedDossier(t, tok, 'residence');
    ok(
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/dossiers/${cash.id}/payments/cash`,
        headers: tok.deskQuangTrung,
        payload: { amount: 7000 },
      }),
    );
    ok(await act(t.app, cash.id, tok.leaderQuangTrung, { action: 'stop', reason: 'Người nộp đề nghị dừng' }, tok.specialistQuangTrung));

    const q = `unit=${WARD}&from=${today}&to=${today}`;
    const report = await get(`/api/v1/reports/dossiers?${q}`);
    const coverage = await get(`/api/v1/reports/coverage?unit=${WARD}&subtree=false&from=${today}&to=${today}`);
    const idx: ServiceIndex = await get(`/api/v1/reports/index?${q}`);
    assert.ok(Value.Check(ServiceIndexSchema, idx), JSON.stringify([...Value.Errors(ServiceIndexSchema, idx)][0]));
    assert.deepEqual(idx.units, [], 'a ward has no child units');
    const w = idx.total;
    assert.equal(w.code, WARD);
    assert.equal(w.rank, null);
    assert.deepEqual([report.received.total, report.finished.total, report.inProgress.total, report.stopped], [4, 2, 1, 1]);

    // 2.1: (early + on time + within deadline) ÷ (finished + in progress), as the report counts them.
    assert.deepEqual([ind(w, '2.1').numerator, ind(w, '2.1').denominator, ind(w, '2.1').value], [3, 3, 100]);
    assert.equal(ind(w, '2.1').numerator, report.finished.early + report.finished.onTime + report.inProgress.withinDeadline);
    assert.equal(ind(w, '2.1').score, 14);
    // 3.3 is the report's online share.
    assert.equal(ind(w, '3.3').value, report.onlineShare);
    assert.deepEqual([ind(w, '3.3').numerator, ind(w, '3.3').denominator, ind(w, '3.3').score], [4, 4, 6]);
    // 3.1 counts the ward's offers like coverage (the demo catalogue sets level and mode together).
    assert.deepEqual([ind(w, '3.1').numerator, ind(w, '3.1').denominator], [coverage.procedures.online, coverage.procedures.total]);
    assert.ok(coverage.procedures.total > 0);
    // 3.6: two ended dossiers had a fee, one paid online: 50% against 80% = 2.5 of 4.
    assert.deepEqual([ind(w, '3.6').numerator, ind(w, '3.6').denominator, ind(w, '3.6').value, ind(w, '3.6').score], [1, 2, 50, 2.5]);
    // 4.1, 4.2: both finished dossiers carry a signed electronic result and uploaded documents.
    assert.deepEqual([ind(w, '4.1').numerator, ind(w, '4.1').denominator, ind(w, '4.1').score], [2, 2, 6]);
    assert.deepEqual([ind(w, '4.2').numerator, ind(w, '4.2').denominator, ind(w, '4.2').score], [2, 2, 6]);
    // Not measured: listed with a reason, no value, no score, not in maxScore.
    for (const [code, reason] of [
      ['1.1', 'not_recorded'],
      ['4.3', 'not_recorded'],
      ['5.1', 'no_method'],
      ['5.2', 'no_feedback'],
      ['5.3', 'no_feedback'],
    ] as const) {
      assert.deepEqual([ind(w, code).measured, ind(w, code).reason, ind(w, code).value, ind(w, code).score], [false, reason, null, null]);
    }
    // 5.4 = 100% - (late rate 0 + dislike rate 1 of 3 handled) = 66.67%, against full marks at 90%.
    assert.equal(ind(w, '5.4').lateRate, 0);
    assert.deepEqual(
      [ind(w, '5.4').numerator, ind(w, '5.4').denominator, ind(w, '5.4').value, ind(w, '5.4').score],
      [2, 3, 66.67, Math.round(((66.67 * 6) / 90) * 100) / 100],
    );
    const measured = w.indicators.filter((i) => i.measured);
    assert.deepEqual(measured.map((i) => i.code).sort(), ['2.1', '3.1', '3.3', '3.6', '4.1', '4.2', '5.4']);
    assert.equal(w.maxScore, 14 + 6 + 6 + 4 + 6 + 6 + 6);
    assert.equal(w.score, Math.round(measured.reduce((s, i) => s + i.score!, 0) * 100) / 100);
    assert.equal(w.percent, Math.round((w.score / w.maxScore) * 10000) / 100);

    // The same figures after the roll-up, and straight from the service.
    await t.app.services.stats.rollUp();
    assert.deepEqual({ ...(await get(`/api/v1/reports/index?${q}`)), measuredAt: null }, { ...idx, measuredAt: null });
    const direct = await serviceIndex(t.app.services.stats.deps, { unit: WARD, from: today, to: today });
    assert.deepEqual({ ...JSON.parse(JSON.stringify(direct)), measuredAt: null }, { ...idx, measuredAt: null });

    // The district: one row per ward, the ward's row equal to the ward's own index, ranked best first.
    const d: ServiceIndex = await get(`/api/v1/reports/index?unit=${DISTRICT}&from=${today}&to=${today}`);
    const districtReport = await get(`/api/v1/reports/dossiers?unit=${DISTRICT}&from=${today}&to=${today}`);
    assert.deepEqual(d.units.map((u) => u.code).sort(), districtReport.units.map((u: { code: string }) => u.code).sort());
    const row = d.units.find((u) => u.code === WARD)!;
    assert.deepEqual({ ...row, rank: null }, w);
    assert.equal(ind(d.total, '3.3').value, districtReport.onlineShare);
    assert.equal(ind(d.total, '2.1').denominator, districtReport.finished.total + districtReport.inProgress.total);
    assert.equal(d.total.rank, null);
    for (let i = 1; i < d.units.length; i++) {
      const [a, b] = [d.units[i - 1]!, d.units[i]!];
      if (b.percent === null) assert.equal(b.rank, null);
      else {
        assert.ok(a.percent !== null && a.percent >= b.percent, `${a.code} before ${b.code}`);
        assert.equal(b.rank, a.percent === b.percent ? a.rank : i + 1);
      }
    }
    assert.equal(d.units[0]!.rank, 1);
    // Alone, the district received nothing itself.
    const alone: ServiceIndex = await get(`/api/v1/reports/index?unit=${DISTRICT}&from=${today}&to=${today}&subtree=false`);
    assert.deepEqual(alone.units, []);
    assert.deepEqual([ind(alone.total, '3.3').measured, ind(alone.total, '3.3').reason], [false, 'no_dossiers']);
  });

  test('feedback feeds 5.2 and 5.3; a complaint naming a dossier counts in 5.4 like a dislike', async () => {
    const q = `unit=${WARD}&from=${today}&to=${today}&subtree=false`;
    const before: ServiceIndex = await get(`/api/v1/reports/index?${q}`);
    const post = (url: string, payload: object, headers = {}) => t.app.inject({ method: 'POST', url, payload, headers });
    const answered = async (body: object) => {
      const s = await post('/api/v1/feedback', { name: 'Trần Văn Bình', phone: '0987654321', unit: WARD, ...body });
      assert.equal(s.statusCode, 201, s.body);
      const { code, key } = s.json() as { code: string; key: string };
      const a = await post(
        `/api/v1/feedback/${code}/actions`,
        { action: 'answer', text: 'Đơn vị đã kiểm tra và trả lời.', submit: true },
        tok.specialistQuangTrung,
      );
      assert.equal(a.statusCode, 204, a.body);
      assert.equal((await post(`/api/v1/feedback/${code}/actions`, { action: 'approve' }, tok.leaderQuangTrung)).statusCode, 204);
      return { code, key };
    };
    const complained = await receivedDossier(t, tok);
    await answered({ kind: 'conduct', title: 'Cán bộ thiếu hướng dẫn', content: 'Tôi phải hỏi lại nhiều lần.', dossier: complained.code });
    const disliked = await answered({ kind: 'question', title: 'Hỏi về lệ phí', content: 'Lệ phí là bao nhiêu?' });
    assert.equal((await post(`/api/v1/feedback/${disliked.code}/rate`, { key: disliked.key, rating: 'not_satisfied' })).statusCode, 204);
    const reopened = await answered({ kind: 'regulation', title: 'Thời hạn quá dài', content: 'Đề nghị rút ngắn thời hạn.' });
    assert.equal(
      (await post(`/api/v1/feedback/${reopened.code}/reopen`, { key: reopened.key, reason: 'Chưa trả lời đúng ý' })).statusCode,
      204,
    );

    const idx: ServiceIndex = await get(`/api/v1/reports/index?${q}`);
    const w = idx.total;
    // 5.2: three answers approved, all by their deadline, none overdue.
    assert.deepEqual([ind(w, '5.2').numerator, ind(w, '5.2').denominator, ind(w, '5.2').value], [3, 3, 100]);
    // 5.3: (3 - 1 disliked - 0 late - 1 reopened) / 3.
    assert.deepEqual([ind(w, '5.3').numerator, ind(w, '5.3').denominator, ind(w, '5.3').value], [1, 3, 33.33]);
    // 5.4: one more dossier handled, and it was complained about.
    const b = ind(before.total, '5.4');
    assert.deepEqual([ind(w, '5.4').numerator, ind(w, '5.4').denominator], [b.numerator, b.denominator! + 1]);
    assert.equal(ind(w, '5.1').reason, 'no_method');

    // The unit's public page shows the same figures for the current year (all of this test's data is today's).
    const page = await t.app.inject({ url: `/units/${WARD}` });
    assert.equal(page.statusCode, 200);
    const year: ServiceIndex = await get(`/api/v1/reports/index?unit=${WARD}&period=${periodOf('year', today).name}`);
    const feedback = await get(`/api/v1/reports/feedback?unit=${WARD}&from=${periodOf('year', today).from}&to=${today}`);
    const cell = (label: string) => page.body.match(new RegExp(`${label}</a></th><td class="num">([^<]*)</td>`))?.[1];
    const band = { good: 'Tốt', fair: 'Khá', average: 'Trung bình', weak: 'Yếu' }[year.total.band!];
    assert.equal(cell('Chỉ số phục vụ theo Quyết định 766 \\(%\\)'), `${formatNumber(year.total.percent!, 'vi')} (${band})`);
    assert.equal(cell('Trả lời phản ánh, kiến nghị đúng hạn \\(%\\)'), formatNumber(feedback.total.onTimeRate, 'vi'));
  });

  test('bad queries are 4xx with the report API codes', async () => {
    const bad = async (q: string, status: number, code: string) => {
      const res = await t.app.inject({ url: `/api/v1/reports/index?${q}` });
      assert.equal(res.statusCode, status, `${q}: ${res.body}`);
      assert.equal(res.json().code, code, q);
    };
    await bad('unit=nope&period=year-2019', 404, 'unit_not_found');
    await bad(`unit=${WARD}`, 400, 'period_required');
    await bad(`unit=${WARD}&period=year-19`, 400, 'invalid_period');
    await bad(`unit=${WARD}&from=2019-02-30&to=2019-03-01`, 400, 'invalid_date_range');
    await bad(`unit=${WARD}&from=2019-03-01&to=2019-02-01`, 400, 'invalid_date_range');
    await bad(`unit=${WARD}&from=2019-03-01`, 400, 'invalid_date_range');
    await bad(`unit=${WARD}&period=year-2019&subtree=maybe`, 400, 'validation_failed');
    // The index is defined with the pause subtracted: no convention to choose, and no filters.
    await bad(`unit=${WARD}&period=year-2019&convention=restart`, 400, 'validation_failed');
    await bad(`unit=${WARD}&period=year-2019&procedure=1.004873`, 400, 'validation_failed');
    await bad(`unit=${WARD}&period=year-2019&extra=1`, 400, 'validation_failed');
  });
});
