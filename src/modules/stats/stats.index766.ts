import { readFileSync } from 'node:fs';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { sql, type Kysely } from 'kysely';
import type { DB, UnitRow } from '../../db/types.js';
import { FigureAcc, rate, resolveQuery, scopeOf, type ReportDeps } from './stats.report.js';
import { ReportQuerySchema } from './stats.schema.js';
import { measuringInstant, sumFigures } from './stats.sums.js';
import { addVoice, voiceByUnit, zeroVoice, type VoiceCounts } from './stats.voice.js';

/**
 * The Decision 766/QĐ-TTg (2022) service index per unit (docs/metrics.md). Points and thresholds
 * are data (seed/stats/index-766.json) because they are not confirmed against the published method.
 */

export const INDEX_GROUPS = ['disclosure', 'progress', 'online', 'satisfaction', 'digitisation'] as const;
export const INDEX_CODES = [
  '1.1',
  '1.2',
  '1.3',
  '1.4',
  '2.1',
  '2.2',
  '3.1',
  '3.2',
  '3.3',
  '3.5',
  '3.6',
  '4.1',
  '4.2',
  '4.3',
  '4.4',
  '4.5',
  '5.1',
  '5.2',
  '5.3',
  '5.4',
] as const;
export const INDEX_REASONS = ['not_recorded', 'no_method', 'no_feedback', 'no_fees', 'no_dossiers', 'no_procedures'] as const;
export const BANDS = ['good', 'fair', 'average', 'weak'] as const;

export type IndexCode = (typeof INDEX_CODES)[number];
export type IndexReason = (typeof INDEX_REASONS)[number];
export type Band = (typeof BANDS)[number];

const literals = <T extends readonly string[]>(xs: T) => Type.Union(xs.map((x) => Type.Literal(x)));
const Percent = Type.Number({ minimum: 0, maximum: 100 });

export const IndexConfigSchema = Type.Object(
  {
    note: Type.String({ minLength: 1 }),
    groups: Type.Array(Type.Object({ code: literals(INDEX_GROUPS), weight: Type.Number({ minimum: 0 }) }, { additionalProperties: false })),
    indicators: Type.Array(
      Type.Object(
        {
          code: literals(INDEX_CODES),
          group: literals(INDEX_GROUPS),
          points: Type.Number({ minimum: 0 }),
          fullAt: Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'percent at which the indicator gets full marks' }),
          note: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    bands: Type.Object({ good: Percent, fair: Percent, average: Percent }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type IndexConfig = Static<typeof IndexConfigSchema>;

const CONFIG_URL = new URL('../../../seed/stats/index-766.json', import.meta.url);

/** Reads and checks the index configuration; a bad file stops the server at start rather than skewing scores. */
export function loadIndexConfig(file: URL | string = CONFIG_URL): IndexConfig {
  const fail = (why: string): never => {
    throw new Error(`Decision 766 index configuration ${String(file)} is invalid: ${why}`);
  };
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return fail((e as Error).message);
  }
  if (!Value.Check(IndexConfigSchema, data)) {
    const e = [...Value.Errors(IndexConfigSchema, data)][0];
    return fail(`${e?.path || '/'}: ${e?.message}`);
  }
  for (const code of INDEX_CODES) {
    const n = data.indicators.filter((i) => i.code === code).length;
    if (n !== 1) fail(`indicator ${code} appears ${n} times (expected once)`);
  }
  for (const g of INDEX_GROUPS) {
    const weight = data.groups.find((x) => x.code === g)?.weight ?? fail(`group ${g} is missing`);
    const sum = data.indicators.filter((i) => i.group === g).reduce((s, i) => s + i.points, 0);
    if (Math.abs(sum - weight) > 1e-9) fail(`the points of group ${g} add up to ${sum}, not its weight ${weight}`);
  }
  const b = data.bands;
  if (!(b.good > b.fair && b.fair > b.average)) fail('bands must satisfy good > fair > average');
  return data;
}

export const INDEX_CONFIG = loadIndexConfig();

/** The query of GET /api/v1/reports/index: the report's unit, subtree and period, with the same validation. */
export const IndexQuerySchema = Type.Pick(ReportQuerySchema, ['unit', 'subtree', 'period', 'from', 'to'], { additionalProperties: false });
export type IndexQuery = Static<typeof IndexQuerySchema>;

const Named = Type.Object({ vi: Type.String(), en: Type.String() });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const IndicatorSchema = Type.Object({
  code: literals(INDEX_CODES),
  group: literals(INDEX_GROUPS),
  measured: Type.Boolean(),
  reason: Nullable(literals(INDEX_REASONS)),
  value: Nullable(Type.Number({ description: 'percent with two decimals' })),
  numerator: Nullable(Type.Integer()),
  denominator: Nullable(Type.Integer()),
  points: Type.Number({ description: 'the points the indicator carries (counted in maxScore only when measured)' }),
  fullAt: Type.Number({ description: 'percent at or above which the indicator gets full marks; 100 = proportional' }),
  score: Nullable(Type.Number()),
  lateRate: Type.Optional(
    Nullable(Type.Number({ description: '5.4 only: the late part, (finished late + overdue) ÷ (finished + in progress)' })),
  ),
});
export type Indicator = Static<typeof IndicatorSchema>;

export const IndexRowSchema = Type.Object({
  code: Type.String(),
  name: Named,
  level: Type.String(),
  rank: Nullable(Type.Integer({ minimum: 1, description: 'among the child rows, by percent (ties share a rank); null for the total' })),
  score: Type.Number({ description: 'sum of the scores of the measured indicators' }),
  maxScore: Type.Number({ description: 'sum of the points of the measured indicators' }),
  percent: Nullable(Type.Number()),
  band: Nullable(literals(BANDS)),
  indicators: Type.Array(IndicatorSchema),
});
export type IndexRow = Static<typeof IndexRowSchema>;

export const ServiceIndexSchema = Type.Object({
  unit: Type.Object({ code: Type.String(), name: Named, level: Type.String() }),
  subtree: Type.Boolean(),
  period: Type.Object({ from: Type.String(), to: Type.String(), name: Nullable(Type.String()) }),
  convention: Type.Literal('pause'),
  measuredAt: Type.String(),
  note: Type.String({ description: 'what in the method is unconfirmed' }),
  /** The unit itself (with its subtree when subtree=true). */
  total: IndexRowSchema,
  /** One row per child unit (its subtree), best first. */
  units: Type.Array(IndexRowSchema),
});
export type ServiceIndex = Static<typeof ServiceIndexSchema>;

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Score of a measured indicator from its published value: full marks at or above `fullAt`, proportional below it. */
export function scoreIndicator(value: number, points: number, fullAt: number): number {
  return value >= fullAt ? points : round2((value * points) / fullAt);
}

/** Rating band of a percent of the attainable score (unverified bands, from the configuration). */
export function bandOf(percent: number, bands: IndexConfig['bands'] = INDEX_CONFIG.bands): Band {
  return percent >= bands.good ? 'good' : percent >= bands.fair ? 'fair' : percent >= bands.average ? 'average' : 'weak';
}

/** What the system knows of each indicator it can measure; the rest say why they cannot be. */
export type Measurement = { num: number; den: number; emptyReason: IndexReason };
const UNMEASURED: Partial<Record<IndexCode, IndexReason>> = {
  '1.1': 'not_recorded',
  '1.2': 'not_recorded',
  '1.3': 'not_recorded',
  '1.4': 'not_recorded',
  '2.2': 'no_method',
  '3.2': 'no_method',
  '3.5': 'not_recorded',
  '4.3': 'not_recorded',
  '4.4': 'not_recorded',
  '4.5': 'not_recorded',
  '5.1': 'no_method',
};

/** The indicators and the total of one row; a zero denominator leaves the indicator unmeasured, never scored 0. */
export function scoreRow(
  measured: Partial<Record<IndexCode, Measurement>>,
  lateRate: number | null,
  config: IndexConfig = INDEX_CONFIG,
): Pick<IndexRow, 'score' | 'maxScore' | 'percent' | 'band' | 'indicators'> {
  let score = 0;
  let maxScore = 0;
  const indicators = INDEX_CODES.map((code): Indicator => {
    const c = config.indicators.find((i) => i.code === code)!;
    const base = { code, group: c.group, points: c.points, fullAt: c.fullAt, ...(code === '5.4' ? { lateRate } : {}) };
    const m = measured[code];
    const reason = m ? (m.den > 0 ? null : m.emptyReason) : (UNMEASURED[code] ?? 'not_recorded');
    if (!m || reason !== null) {
      return { ...base, measured: false, reason, value: null, numerator: m?.num ?? null, denominator: m?.den ?? null, score: null };
    }
    const value = rate(m.num, m.den)!;
    const s = scoreIndicator(value, c.points, c.fullAt);
    score += s;
    maxScore += c.points;
    return { ...base, measured: true, reason: null, value, numerator: m.num, denominator: m.den, score: s };
  });
  const percent = rate(score, maxScore);
  return {
    score: round2(score),
    maxScore: round2(maxScore),
    percent,
    band: percent === null ? null : bandOf(percent, config.bands),
    indicators,
  };
}

/** Competition ranking by percent (1, 2, 2, 4); rows without a percent are last, unranked. */
export function rankRows<T extends { code: string; percent: number | null; rank: number | null }>(rows: T[]): T[] {
  const sorted = [...rows].sort((a, b) => (b.percent ?? -1) - (a.percent ?? -1) || a.code.localeCompare(b.code));
  sorted.forEach((r, i) => {
    const prev = sorted[i - 1];
    r.rank = r.percent === null ? null : prev && prev.percent === r.percent ? prev.rank : i + 1;
  });
  return sorted;
}

type OfferCount = { online: number; total: number };

/**
 * Procedures offered, and offered online (level 3/4 or full/partial), per child subtree and for the
 * whole scope, in one statement: a procedure offered by several units of a subtree counts once.
 */
async function offersByBranch(db: Kysely<DB>, root: UnitRow, subtree: boolean) {
  const depth = root.path.split('.').length;
  const scope = subtree ? sql`u.path <@ ${root.path}::ltree` : sql`u.id = ${root.id}`;
  const rows = await sql<{ branch: string; procedure_id: number; online: boolean }>`
    select subpath(u.path, 0, least(nlevel(u.path), ${depth + 1}::int))::text as branch, up.procedure_id,
      bool_or(coalesce(up.online_level, 0) >= 3 or up.online_mode in ('full', 'partial')) as online
    from unit_procedure up join unit u on u.id = up.unit_id
    where ${scope} and u.valid_to is null group by 1, 2`.execute(db);
  const branches = new Map<string, OfferCount>();
  const all = new Map<number, boolean>();
  for (const r of rows.rows) {
    const b = branches.get(r.branch) ?? { online: 0, total: 0 };
    b.total++;
    if (r.online) b.online++;
    branches.set(r.branch, b);
    all.set(r.procedure_id, (all.get(r.procedure_id) ?? false) || r.online);
  }
  const total = { online: [...all.values()].filter(Boolean).length, total: all.size };
  return { total, branches };
}

function measurements(acc: FigureAcc, offers: OfferCount, voice: VoiceCounts) {
  const f = acc.figures('s');
  const m = acc.inside;
  const finished = f.finished.total;
  const handled = finished + f.inProgress.total;
  const measured: Partial<Record<IndexCode, Measurement>> = {
    '2.1': { num: f.finished.early + f.finished.onTime + f.inProgress.withinDeadline, den: handled, emptyReason: 'no_dossiers' },
    '3.1': { num: offers.online, den: offers.total, emptyReason: 'no_procedures' },
    '3.3': { num: f.received.online, den: f.received.total, emptyReason: 'no_dossiers' },
    '3.6': { num: m.paid_online, den: m.with_fee, emptyReason: 'no_fees' },
    '4.1': { num: m.elec_result, den: finished, emptyReason: 'no_dossiers' },
    '4.2': { num: m.digitised, den: finished, emptyReason: 'no_dossiers' },
  };
  // 5.4 = 100% - (late rate + dislike rate), both over the dossiers handled in the period: as a
  // ratio, (handled - late - disliked) / handled, never below 0.
  const late = f.finished.late + f.inProgress.overdue;
  measured['5.4'] = { num: Math.max(0, handled - late - voice.disliked), den: handled, emptyReason: 'no_dossiers' };
  // 5.2 and 5.3 over the feedback answered in the period plus the items overdue now: an item
  // nobody answered must not vanish from its unit's rate.
  const fbTotal = voice.answered + voice.openOverdue;
  measured['5.2'] = { num: voice.answeredOnTime, den: fbTotal, emptyReason: 'no_feedback' };
  const fbLate = voice.answered - voice.answeredOnTime + voice.openOverdue;
  measured['5.3'] = {
    num: Math.max(0, fbTotal - voice.answerDisliked - fbLate - voice.reopened),
    den: fbTotal,
    emptyReason: 'no_feedback',
  };
  return { measured, lateRate: rate(late, handled) };
}

/**
 * The index of a unit (and of each child subtree when subtree=true): one roll-up read and one
 * offers read for the whole scope, folded per child, so a city-wide index costs what its report does.
 */
export async function serviceIndex(deps: ReportDeps, q: IndexQuery, now = new Date()): Promise<ServiceIndex> {
  // The index is defined with the pause subtracted, whatever the deployment's default convention.
  const r = { ...(await resolveQuery(deps.db, q)), conv: 's' as const };
  const units = r.subtree
    ? (await sql<UnitRow>`select * from unit where path <@ ${r.unit.path}::ltree order by path`.execute(deps.db)).rows
    : [r.unit];
  const measuredAt = measuringInstant(r.period.to, now);
  const [sums, offers, voice] = await Promise.all([
    sumFigures(deps, scopeOf(r, null), measuredAt),
    offersByBranch(deps.db, r.unit, r.subtree),
    voiceByUnit(deps.db, r.unit, r.subtree, r.period.from, r.period.to, measuredAt.getTime() >= now.getTime()),
  ]);
  type Acc = { fig: FigureAcc; voice: VoiceCounts };
  const acc = (): Acc => ({ fig: new FigureAcc(), voice: zeroVoice() });
  const add = (a: Acc | undefined, unitId: number) => {
    if (!a) return;
    a.fig.add(sums, unitId, 's');
    const v = voice.get(unitId);
    if (v) addVoice(a.voice, v);
  };
  const root = acc();
  const children = units.filter((u) => u.parent_id === r.unit.id);
  const childAcc = new Map(children.map((c) => [c.path, acc()]));
  const depth = r.unit.path.split('.').length;
  for (const u of units) {
    add(root, u.id);
    if (u.id !== r.unit.id)
      add(
        childAcc.get(
          u.path
            .split('.')
            .slice(0, depth + 1)
            .join('.'),
        ),
        u.id,
      );
  }
  const row = (u: UnitRow, a: Acc, o: OfferCount): IndexRow => {
    const { measured, lateRate } = measurements(a.fig, o, a.voice);
    return {
      code: u.code,
      name: { vi: u.name_vi, en: u.name_en },
      level: u.level,
      rank: null,
      ...scoreRow(measured, lateRate),
    };
  };
  const none = { online: 0, total: 0 };
  return {
    unit: { code: r.unit.code, name: { vi: r.unit.name_vi, en: r.unit.name_en }, level: r.unit.level },
    subtree: r.subtree,
    period: { from: r.period.from, to: r.period.to, name: r.period.kind === 'range' ? null : r.period.name },
    convention: 'pause',
    measuredAt: measuredAt.toISOString(),
    note: INDEX_CONFIG.note,
    total: row(r.unit, root, offers.total),
    units: rankRows(children.map((c) => row(c, childAcc.get(c.path)!, offers.branches.get(c.path) ?? none))),
  };
}
