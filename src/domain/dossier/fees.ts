import type { FormValues } from './form.js';

export interface FeeRulesLike {
  amount: number | null;
  onlineAmount?: number | null;
  perUnit?: { amount: number; unit: 'copy' | 'page'; field: string; free?: number } | null;
  exemptions?: { code: string }[];
}

export type FeeBasis =
  | { kind: 'unknown' }
  | { kind: 'exempt'; exemption: string }
  | { kind: 'computed'; fixed: number; units: number; perUnit: number; chargedUnits: number };

export interface FeeResult {
  /** Null when the procedure's fee is not confirmed: the office states it at the desk. */
  amount: number | null;
  basis: FeeBasis;
}

/**
 * The fee owed for a dossier: fixed part plus the charged copies or pages, or nothing when the
 * applicant claims an exemption the procedure allows (the desk checks the proof). Online filing
 * pays the online amount where the procedure sets one.
 */
export function computeFee(rules: FeeRulesLike | null, values: FormValues, exemption: string | null, channel: 1 | 2 | 3 = 1): FeeResult {
  if (!rules || rules.amount === null) return { amount: null, basis: { kind: 'unknown' } };
  if (exemption && (rules.exemptions ?? []).some((e) => e.code === exemption)) {
    return { amount: 0, basis: { kind: 'exempt', exemption } };
  }
  const per = rules.perUnit ?? null;
  const raw = per ? values[per.field] : undefined;
  const units = typeof raw === 'number' && Number.isInteger(raw) && raw > 0 ? raw : 0;
  const chargedUnits = per ? Math.max(0, units - (per.free ?? 0)) : 0;
  const perUnit = per?.amount ?? 0;
  const fixed = channel === 2 && rules.onlineAmount != null ? rules.onlineAmount : rules.amount;
  return {
    amount: fixed + chargedUnits * perUnit,
    basis: { kind: 'computed', fixed, units, perUnit, chargedUnits },
  };
}
