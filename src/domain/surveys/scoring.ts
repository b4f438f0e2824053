import type { Answers, Factor, Questionnaire } from './questionnaire.js';

// Survey figures (docs/surveys.md). "Satisfied" means an answer of 4 or 5 on the 1-5 scale.
// The SIPAS-style index is the share of satisfied answers among all answers to the five factors'
// satisfaction questions: 100 × (answers 4 or 5) ÷ (answers given), pooled over the factors.

/** Fewer responses than this in a unit: public figures are withheld so no one can be singled out. */
export const MIN_PUBLIC_RESPONSES = 5;

export interface Scaled {
  answers: number;
  /** Mean on 1-5, two decimals; null without answers. */
  mean: number | null;
  /** Percent of answers 4-5, two decimals; null without answers. */
  satisfiedShare: number | null;
  /** Counts of answers 1, 2, 3, 4, 5. */
  distribution: [number, number, number, number, number];
}

export interface FactorFigures {
  key: Factor;
  satisfaction: Scaled;
  assessments: (Scaled & { key: string })[];
  /** Options by how often they were chosen, most first (ties in the questionnaire's order). */
  expectations: { key: string; count: number }[];
}

export interface Figures {
  invited: number;
  responded: number;
  responseRate: number | null;
  sipasIndex: number | null;
  overall: Scaled;
  factors: FactorFigures[];
}

const pct = (num: number, den: number) => (den > 0 ? Math.round((num / den) * 10000) / 100 : null);

function tally(values: number[]): Scaled {
  const distribution: Scaled['distribution'] = [0, 0, 0, 0, 0];
  let sum = 0;
  for (const v of values) {
    distribution[v - 1]!++;
    sum += v;
  }
  const n = values.length;
  return {
    answers: n,
    mean: n ? Math.round((sum / n) * 100) / 100 : null,
    satisfiedShare: pct(distribution[3] + distribution[4], n),
    distribution,
  };
}

const scaledOf = (rs: readonly Answers[], key: string) =>
  rs.map((a) => a[key]).filter((v): v is number => typeof v === 'number' && v >= 1 && v <= 5);

/** Figures for one group of responses (a unit, or all of them). */
export function figures(q: Questionnaire, invited: number, responses: readonly Answers[]): Figures {
  const factors = q.factors.map((f): FactorFigures => {
    const counts = new Map(f.expectation.options.map((o) => [o.key, 0]));
    for (const a of responses) {
      const picked = a[f.expectation.key];
      if (Array.isArray(picked)) for (const k of picked) if (counts.has(k)) counts.set(k, counts.get(k)! + 1);
    }
    return {
      key: f.key,
      satisfaction: tally(scaledOf(responses, f.satisfaction.key)),
      assessments: f.assessments.map((s) => ({ key: s.key, ...tally(scaledOf(responses, s.key)) })),
      // Array.prototype.sort is stable, so equal counts keep the questionnaire's order.
      expectations: [...counts].map(([key, count]) => ({ key, count })).sort((x, y) => y.count - x.count),
    };
  });
  const answered = factors.reduce((s, f) => s + f.satisfaction.answers, 0);
  const satisfied = factors.reduce((s, f) => s + f.satisfaction.distribution[3] + f.satisfaction.distribution[4], 0);
  return {
    invited,
    responded: responses.length,
    responseRate: pct(responses.length, invited),
    sipasIndex: pct(satisfied, answered),
    overall: tally(scaledOf(responses, q.overall.key)),
    factors,
  };
}

/** Per unit and overall, from the invitations' units and the responses' units. */
export function surveyFigures(
  q: Questionnaire,
  invitedByUnit: ReadonlyMap<number, number>,
  responses: readonly { unitId: number; answers: Answers }[],
): { overall: Figures; units: (Figures & { unitId: number })[] } {
  const byUnit = new Map<number, Answers[]>();
  for (const r of responses) {
    const list = byUnit.get(r.unitId) ?? [];
    list.push(r.answers);
    byUnit.set(r.unitId, list);
  }
  const total = [...invitedByUnit.values()].reduce((s, n) => s + n, 0);
  return {
    overall: figures(
      q,
      total,
      responses.map((r) => r.answers),
    ),
    units: [...invitedByUnit].map(([unitId, invited]) => ({ unitId, ...figures(q, invited, byUnit.get(unitId) ?? []) })),
  };
}
