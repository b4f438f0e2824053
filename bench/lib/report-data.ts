// The report benchmark's city: a generated ScenarioSpec for a year of a city the size of Hanoi
// (2018-12-15..2019-12-14, the official year 2019), played through the scenario generator
// (src/modules/stats/scenario/), so every dossier has a full history that obeys the domain rules.
// BENCH DATA: 559 of the 584 communes, every procedure, citizen and dossier are synthetic (named as
// such); the volumes and mixes below are assumptions, not published figures.
import type { ScenarioSpec } from '../../src/modules/stats/scenario/scenario.schema.js';
import { OUTCOMES, type Outcome } from '../../src/modules/stats/scenario/scenario.schema.js';

export const CITY = '000.00.00.H26';
export const DISTRICT = '000.00.42.H26'; // Hà Đông
export const WARD = '000.13.42.H26'; // Quang Trung, Hà Đông
export const PERIOD = 'half-year-2019-1';

type Level = 'department' | 'district' | 'commune';
type Channel = 'in_person' | 'online' | 'post';

/** Procedures: [count, field, online level, time limit in working days] per level of unit. */
const PROCEDURES: Record<Level, [number, string, number, number][]> = {
  // 154 procedures, each offered by one of the 22 departments in turn (spread).
  department: [
    [22, 'justice', 4, 5],
    [22, 'tax_social_insurance', 4, 3],
    [44, 'construction', 3, 15],
    [22, 'labour_social', 3, 10],
    [22, 'land', 2, 20],
    [22, 'education', 1, 7],
  ],
  // 70 procedures offered by every district.
  district: [
    [10, 'household_business', 4, 3],
    [20, 'household_business', 3, 5],
    [15, 'construction', 3, 15],
    [10, 'education', 3, 10],
    [15, 'land', 2, 20],
  ],
  // 55 procedures offered by every commune.
  commune: [
    [10, 'certification', 4, 1],
    [20, 'civil_status', 3, 3],
    [10, 'civil_status', 2, 5],
    [15, 'residence', 2, 5],
  ],
};

/** Share of the dossiers by level of unit, and the channels there. */
const TIERS: { level: Level; share: number; channels: Record<Channel, number> }[] = [
  { level: 'commune', share: 0.42, channels: { in_person: 0.66, online: 0.32, post: 0.02 } },
  { level: 'district', share: 0.35, channels: { in_person: 0.58, online: 0.37, post: 0.05 } },
  { level: 'department', share: 0.23, channels: { in_person: 0.45, online: 0.47, post: 0.08 } },
];

/** How dossiers end (or not) by the end of the year; departments are a little later than wards. */
const OUTCOME_MIX: Record<Level, Record<Outcome, number>> = {
  commune: {
    early: 0.2,
    onTime: 0.69,
    late: 0.01,
    openWithinDeadline: 0.03,
    openOverdue: 0.003,
    refused: 0.03,
    withdrawn: 0.032,
    stopped: 0.015,
  },
  district: {
    early: 0.12,
    onTime: 0.72,
    late: 0.03,
    openWithinDeadline: 0.06,
    openOverdue: 0.01,
    refused: 0.02,
    withdrawn: 0.025,
    stopped: 0.015,
  },
  department: {
    early: 0.1,
    onTime: 0.7,
    late: 0.05,
    openWithinDeadline: 0.08,
    openOverdue: 0.015,
    refused: 0.02,
    withdrawn: 0.02,
    stopped: 0.015,
  },
};

/** Splits `total` in proportion to `weights` (largest remainder), so the parts add up exactly. */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    out[i]!++;
  }
  return out;
}

/** The scenario of `total` dossiers (exactly), its units and about 280 procedures. */
export function citySpec(total: number): ScenarioSpec {
  const cells: { level: Level; channel: Channel; outcome: Outcome; w: number }[] = [];
  for (const t of TIERS)
    for (const channel of ['in_person', 'online', 'post'] as const)
      for (const outcome of OUTCOMES)
        cells.push({ level: t.level, channel, outcome, w: t.share * t.channels[channel] * OUTCOME_MIX[t.level][outcome] });
  const counts = apportion(
    total,
    cells.map((c) => c.w),
  );
  const dossiers: ScenarioSpec['dossiers'] = [];
  for (const t of TIERS)
    for (const channel of ['in_person', 'online', 'post'] as const) {
      const g: ScenarioSpec['dossiers'][number] = { unit: { level: t.level }, channel };
      cells.forEach((c, i) => {
        if (c.level === t.level && c.channel === channel && counts[i]! > 0) g[c.outcome] = counts[i]!;
      });
      if (OUTCOMES.some((o) => g[o])) dossiers.push(g);
    }
  const procedures: ScenarioSpec['procedures'] = [];
  for (const level of ['department', 'district', 'commune'] as const)
    for (const [count, field, online, days] of PROCEDURES[level])
      procedures.push({
        count,
        field,
        level: online,
        unitLevel: level,
        offeredBy: { level },
        ...(level === 'department' ? { spread: true } : {}),
        timeLimitDays: days,
      });
  return {
    name: 'bench-city-year',
    description: {
      vi: `Thành phố cỡ Hà Nội trong một năm (15/12/2018 – 14/12/2019): ${total.toLocaleString('vi')} hồ sơ giả lập ở 22 sở, 30 quận, huyện và 584 xã, phường (559 xã giả lập). Dữ liệu giả lập cho đo hiệu năng.`,
      en: `A city the size of Hanoi over a year (2018-12-15 – 2019-12-14): ${total.toLocaleString('en')} synthetic dossiers at 22 departments, 30 districts and 584 communes (559 of them synthetic). Benchmark data.`,
    },
    seed: 2026_1127,
    period: { from: '2018-12-15', to: '2019-12-14' },
    units: [{ parent: { level: 'district' }, level: 'commune', count: 559 }],
    procedures,
    dossiers,
  };
}
