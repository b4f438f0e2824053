import { createHmac } from 'node:crypto';

// Who is invited to a survey: applicants whose dossiers were returned in the 12 months before the
// launch, one invitation per person however many dossiers they had, drawn at random per unit
// (stratified) without replacement. The draw is a pure function of a stored seed and the
// population, so anyone with the seed can redo it and get the same people.

/** One returned dossier, as read from the database. */
export interface ReturnedDossier {
  dossierId: number;
  unitId: number;
  returnedAt: Date;
  /** National form (0912345678) or null. */
  phone: string | null;
  accountId: number | null;
  citizenId: string | null;
}

/** One person: their dossiers merged; the latest one decides the unit they speak about. */
export interface Applicant {
  /** Stable identity within the population: the smallest of the person's identifiers. */
  key: string;
  unitId: number;
  dossierId: number;
  returnedAt: Date;
}

export type SamplePlan = { mode: 'per_unit' | 'total'; size: number };

/**
 * Merges dossiers that share a phone number, an account or a citizen ID (transitively: the same
 * phone on one dossier and the same account on another make one person). A dossier with none of
 * these cannot be reached and is left out.
 */
export function groupApplicants(rows: readonly ReturnedDossier[]): Applicant[] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    // Path compression keeps this near-linear on a city's worth of dossiers.
    let c = k;
    while (c !== r) {
      const next = parent.get(c)!;
      parent.set(c, r);
      c = next;
    }
    return r;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra < rb) parent.set(rb, ra);
    else if (rb < ra) parent.set(ra, rb);
  };
  const idsOf = (d: ReturnedDossier) =>
    [d.phone && `p:${d.phone}`, d.accountId !== null && `a:${d.accountId}`, d.citizenId && `c:${d.citizenId}`].filter(
      (x): x is string => typeof x === 'string',
    );
  for (const d of rows) {
    const ids = idsOf(d);
    for (const id of ids) if (!parent.has(id)) parent.set(id, id);
    for (const id of ids.slice(1)) union(ids[0]!, id);
  }
  // The root is the smallest identifier of the group (union keeps the smaller one as root).
  const people = new Map<string, Applicant>();
  for (const d of rows) {
    const ids = idsOf(d);
    if (ids.length === 0) continue;
    const key = find(ids[0]!);
    const prev = people.get(key);
    const later = !prev || d.returnedAt > prev.returnedAt || (+d.returnedAt === +prev.returnedAt && d.dossierId > prev.dossierId);
    if (later) people.set(key, { key, unitId: d.unitId, dossierId: d.dossierId, returnedAt: d.returnedAt });
  }
  return [...people.values()];
}

/**
 * How many to draw in each unit. Per unit: the size, or everyone if fewer. Total: shares
 * proportional to each unit's population (largest remainder, ties to the larger unit, then the
 * smaller id), or everyone if the total exceeds the population.
 */
export function allocate(population: ReadonlyMap<number, number>, plan: SamplePlan): Map<number, number> {
  const out = new Map<number, number>();
  const units = [...population.keys()].sort((a, b) => a - b);
  if (plan.mode === 'per_unit') {
    for (const u of units) out.set(u, Math.min(plan.size, population.get(u)!));
    return out;
  }
  const total = units.reduce((s, u) => s + population.get(u)!, 0);
  if (plan.size >= total) {
    for (const u of units) out.set(u, population.get(u)!);
    return out;
  }
  const shares = units.map((u) => {
    const exact = (plan.size * population.get(u)!) / total;
    return { u, n: Math.floor(exact), rest: exact - Math.floor(exact), pop: population.get(u)! };
  });
  let left = plan.size - shares.reduce((s, x) => s + x.n, 0);
  for (const s of [...shares].sort((a, b) => b.rest - a.rest || b.pop - a.pop || a.u - b.u)) {
    if (left === 0) break;
    s.n++;
    left--;
  }
  for (const s of shares) out.set(s.u, s.n);
  return out;
}

/** A person's place in the random order: HMAC-SHA-256 of their key under the survey's seed. */
export function drawOrder(seed: string, key: string): string {
  return createHmac('sha256', seed).update(key).digest('hex');
}

/** The people to invite, per unit the first `allocate` ones in the seed's random order. */
export function drawSample(people: readonly Applicant[], plan: SamplePlan, seed: string): Applicant[] {
  const byUnit = new Map<number, { a: Applicant; order: string }[]>();
  for (const a of people) {
    const list = byUnit.get(a.unitId) ?? [];
    list.push({ a, order: drawOrder(seed, a.key) });
    byUnit.set(a.unitId, list);
  }
  const quota = allocate(new Map([...byUnit].map(([u, l]) => [u, l.length])), plan);
  const out: Applicant[] = [];
  for (const [u, list] of [...byUnit].sort((x, y) => x[0] - y[0])) {
    list.sort((x, y) => (x.order < y.order ? -1 : x.order > y.order ? 1 : 0));
    out.push(...list.slice(0, quota.get(u)).map((x) => x.a));
  }
  return out;
}
