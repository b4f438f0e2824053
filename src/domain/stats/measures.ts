/**
 * The counters a dossier contributes to statistics, each on one day (docs/metrics.md). The roll-up
 * tables have one column per measure; reports only ever add them up.
 * _s: pause subtracted (national index, Decision 766); _r: count restarted after the last wait.
 */
export const MEASURES = [
  'received',
  'fin_early_s',
  'fin_on_time_s',
  'fin_late_s',
  'fin_early_r',
  'fin_on_time_r',
  'fin_late_r',
  'fin_rejected',
  'withdrawn',
  'stopped',
  'refused_rec',
  // A dossier open past its appointment is overdue from its appointment day until the day it ends:
  // the overdue count at the end of day T is sum(start <= T) - sum(end <= T).
  'od_start_s',
  'od_end_s',
  'od_start_r',
  'od_end_r',
  'elec_result',
  'digitised',
  'with_fee',
  'paid_online',
  'time_n',
  'time_sum_s',
  'time_sum_r',
] as const;
export type Measure = (typeof MEASURES)[number];
export type Measures = Record<Measure, number>;

export const zeroMeasures = (): Measures => Object.fromEntries(MEASURES.map((m) => [m, 0])) as Measures;

export function addMeasures(into: Measures, from: Partial<Measures>, sign = 1): Measures {
  for (const k in from) into[k as Measure] += sign * (from[k as Measure] ?? 0);
  return into;
}
