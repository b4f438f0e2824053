import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkAnswers, checkQuestionnaire, FACTORS, loadQuestionnaire, questionKeys } from '../../src/domain/surveys/questionnaire.js';
import { allocate, drawSample, groupApplicants, type ReturnedDossier } from '../../src/domain/surveys/sampling.js';
import { figures, surveyFigures } from '../../src/domain/surveys/scoring.js';
import { fullAnswers } from './fixtures.js';

const Q = loadQuestionnaire();

describe('the SIPAS questionnaire', () => {
  test('has the five factors in order, each with assessments, satisfaction and expectations, in both languages', () => {
    assert.deepEqual(
      Q.factors.map((f) => f.key),
      [...FACTORS],
    );
    for (const f of Q.factors) {
      assert.ok(f.assessments.length >= 2);
      assert.ok(f.expectation.options.length >= 2);
      assert.ok(f.title.vi && f.title.en);
    }
    assert.equal(Q.overall.required, true);
    assert.equal(new Set(questionKeys(Q)).size, questionKeys(Q).length);
  });

  test('a file with factors out of order, a duplicate key or a missing language is refused', () => {
    const copy = () => JSON.parse(JSON.stringify(Q)) as typeof Q;
    const swapped = copy();
    [swapped.factors[0], swapped.factors[1]] = [swapped.factors[1]!, swapped.factors[0]!];
    assert.match(String((checkQuestionnaire(swapped) as { error: string }).error), /order/);
    const dup = copy();
    dup.factors[1]!.assessments[0]!.key = 'access.a1';
    assert.match(String((checkQuestionnaire(dup) as { error: string }).error), /twice/);
    const noEn = copy() as unknown as { title: { en?: string } };
    delete noEn.title.en;
    assert.equal(checkQuestionnaire(noEn).ok, false);
  });
});

describe('answers', () => {
  test('scaled answers are integers 1-5, form strings accepted; empty optional answers are left out', () => {
    const r = checkAnswers(Q, { ...fullAnswers(), 'access.a1': '5', 'feedback.satisfaction': '', comment: '  Tốt  ' });
    assert.ok(r.ok);
    assert.equal(r.answers['access.a1'], 5);
    assert.equal(r.answers['feedback.satisfaction'], undefined);
    assert.equal(r.answers.comment, 'Tốt');
  });

  test('a missing required answer, an out-of-range one, too many choices or an unknown question are refused by name', () => {
    const { overall: _o, ...noOverall } = fullAnswers();
    assert.deepEqual(checkAnswers(Q, noOverall), { ok: false, problem: 'answer_required', key: 'overall' });
    assert.deepEqual(checkAnswers(Q, { ...fullAnswers(), 'access.a2': 6 }), {
      ok: false,
      problem: 'answer_out_of_range',
      key: 'access.a2',
    });
    assert.deepEqual(checkAnswers(Q, { ...fullAnswers(), overall: 2.5 }), { ok: false, problem: 'answer_out_of_range', key: 'overall' });
    assert.deepEqual(checkAnswers(Q, { ...fullAnswers(), 'access.expectation': ['place', 'online', 'hours'] }), {
      ok: false,
      problem: 'answer_out_of_range',
      key: 'access.expectation',
    });
    assert.deepEqual(checkAnswers(Q, { ...fullAnswers(), 'result.expectation': 'bribes' }), {
      ok: false,
      problem: 'answer_out_of_range',
      key: 'result.expectation',
    });
    assert.deepEqual(checkAnswers(Q, { ...fullAnswers(), extra: 1 }), { ok: false, problem: 'unknown_question', key: 'extra' });
  });
});

const day = (d: number) => new Date(Date.UTC(2026, 0, d));
const dossier = (o: Partial<ReturnedDossier> & { dossierId: number }): ReturnedDossier => ({
  unitId: 1,
  returnedAt: day(o.dossierId),
  phone: null,
  accountId: null,
  citizenId: null,
  ...o,
});

describe('sampling', () => {
  test('one person per phone, account or citizen ID, even across units; the latest dossier gives the unit', () => {
    const people = groupApplicants([
      dossier({ dossierId: 1, phone: '0912345678', unitId: 1 }),
      dossier({ dossierId: 2, phone: '0912345678', accountId: 7, unitId: 2 }),
      dossier({ dossierId: 3, accountId: 7, citizenId: '001090000001', unitId: 3 }),
      dossier({ dossierId: 4, citizenId: '001090000001', unitId: 3, returnedAt: day(1) }),
      dossier({ dossierId: 5, phone: '0987654321', unitId: 1 }),
      dossier({ dossierId: 6, unitId: 1 }),
    ]);
    assert.equal(people.length, 2);
    const first = people.find((p) => p.key === 'a:7')!;
    assert.equal(first.dossierId, 3);
    assert.equal(first.unitId, 3);
  });

  test('per unit: each unit its size or everyone; total: proportional shares adding up to the total', () => {
    const pop = new Map([
      [1, 10],
      [2, 3],
      [3, 7],
    ]);
    assert.deepEqual(
      [...allocate(pop, { mode: 'per_unit', size: 5 })],
      [
        [1, 5],
        [2, 3],
        [3, 5],
      ],
    );
    const total = allocate(pop, { mode: 'total', size: 10 });
    assert.equal(
      [...total.values()].reduce((s, n) => s + n, 0),
      10,
    );
    // 5, 1.5 and 3.5: the half left over goes to the larger unit.
    assert.deepEqual(
      [...total],
      [
        [1, 5],
        [2, 1],
        [3, 4],
      ],
    );
    assert.deepEqual([...allocate(pop, { mode: 'total', size: 100 })], [...pop]);
  });

  test('the draw is reproducible from the seed, without repeats, and another seed draws others', () => {
    const rows = Array.from({ length: 200 }, (_, i) =>
      dossier({ dossierId: i + 1, phone: `09${String(i).padStart(8, '0')}`, unitId: (i % 4) + 1 }),
    );
    const people = groupApplicants(rows);
    const a = drawSample(people, { mode: 'per_unit', size: 10 }, 'seed-a');
    const again = drawSample([...people].reverse(), { mode: 'per_unit', size: 10 }, 'seed-a');
    const b = drawSample(people, { mode: 'per_unit', size: 10 }, 'seed-b');
    assert.equal(a.length, 40);
    assert.equal(new Set(a.map((p) => p.key)).size, 40);
    assert.deepEqual(
      a.map((p) => p.key),
      again.map((p) => p.key),
    );
    assert.notDeepEqual(
      a.map((p) => p.key),
      b.map((p) => p.key),
    );
    for (const u of [1, 2, 3, 4]) assert.equal(a.filter((p) => p.unitId === u).length, 10);
  });
});

describe('scoring', () => {
  test('means, satisfied shares (4-5), the SIPAS index pooled over the five factors, ranked expectations', () => {
    const responses = [
      { ...fullAnswers(5), 'access.expectation': ['online', 'hours'] },
      { ...fullAnswers(4), 'access.expectation': ['online'] },
      { ...fullAnswers(2), 'feedback.satisfaction': 1 },
    ].map((r) => {
      const c = checkAnswers(Q, r);
      assert.ok(c.ok);
      return c.answers;
    });
    const f = figures(Q, 10, responses);
    assert.equal(f.responseRate, 30);
    assert.deepEqual(f.overall, { answers: 3, mean: 3.67, satisfiedShare: 66.67, distribution: [0, 1, 0, 1, 1] });
    // 4 required factors × 3 answers, plus one feedback answer: 8 of 13 satisfied.
    assert.equal(f.sipasIndex, 61.54);
    const access = f.factors[0]!;
    assert.deepEqual(access.expectations.slice(0, 2), [
      { key: 'online', count: 2 },
      { key: 'hours', count: 1 },
    ]);
    assert.equal(access.assessments[0]!.mean, null);
    const byUnit = surveyFigures(
      Q,
      new Map([
        [1, 6],
        [2, 4],
      ]),
      responses.map((answers, i) => ({ unitId: i === 0 ? 2 : 1, answers })),
    );
    assert.equal(byUnit.overall.invited, 10);
    assert.equal(byUnit.units.find((u) => u.unitId === 2)!.responded, 1);
    assert.equal(figures(Q, 0, []).responseRate, null);
  });
});
