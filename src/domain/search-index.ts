// A small in-memory full-text index for Vietnamese names: folded words (no diacritics), typo
// tolerance by edit distance, ranking by code, exact name, phrase, word coverage. Pure; no I/O.

export function foldText(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

export function words(folded: string): string[] {
  return folded
    .split(/[^\p{L}\p{N}.]+/u)
    .map((w) => w.replace(/^\.+|\.+$/g, ''))
    .filter(Boolean);
}

// Three reusable rows: the distance is computed for thousands of vocabulary words per query.
const ROW_A = new Int32Array(65);
const ROW_B = new Int32Array(65);
const ROW_C = new Int32Array(65);

/** Optimal string alignment distance (a transposition is one edit), giving up once above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a.length > 64 || b.length > 64) return a === b ? 0 : max + 1;
  let prev2 = ROW_A;
  let prev = ROW_B;
  let cur = ROW_C;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1))
        v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[b.length]!;
}

export interface Indexed {
  id: number;
  code: string;
  names: string[];
  summary: string;
}

interface Entry {
  id: number;
  code: string;
  names: string[];
  shortest: number;
  nameWords: Set<string>;
  summary: string;
}

export class SearchIndex {
  readonly #entries: Entry[] = [];
  readonly #vocabulary = new Map<string, Set<number>>();

  constructor(items: Indexed[]) {
    items.forEach((it, idx) => {
      const names = it.names.map((n) => ` ${words(foldText(n)).join(' ')} `);
      const nameWords = new Set(names.flatMap((n) => n.trim().split(' ')));
      this.#entries.push({
        id: it.id,
        code: it.code,
        names,
        shortest: Math.min(...names.map((n) => n.length)),
        nameWords,
        summary: ` ${words(foldText(it.summary)).join(' ')} `,
      });
      for (const w of nameWords) {
        if (!this.#vocabulary.has(w)) this.#vocabulary.set(w, new Set());
        this.#vocabulary.get(w)!.add(idx);
      }
    });
  }

  get size(): number {
    return this.#entries.length;
  }

  /** Ids of the matching items, best first. */
  search(query: string): number[] {
    const raw = query.trim();
    const qWords = [...new Set(words(foldText(raw)))].slice(0, 12);
    if (qWords.length === 0) return [];
    const phrase = ` ${qWords.join(' ')} `;
    // Each query word matches vocabulary words exactly, or within one edit for words of 4+ letters
    // (two for 8+), or as a prefix for the last word (the one still being typed).
    const last = qWords.length - 1;
    const matches = qWords.map((qw, i) => {
      const found = new Map<number, number>();
      const add = (items: Set<number>, quality: number) => {
        for (const idx of items) if ((found.get(idx) ?? 0) < quality) found.set(idx, quality);
      };
      const exact = this.#vocabulary.get(qw);
      if (exact) add(exact, 1);
      const prefix = i === last && qw.length >= 3;
      // Typos rarely hit both of the first two letters, and numbers are never fuzzy.
      const fuzzy = qw.length >= 4 && !/\d/.test(qw);
      if (!prefix && !fuzzy) return found;
      const max = qw.length >= 8 ? 2 : 1;
      for (const [w, items] of this.#vocabulary) {
        if (w === qw) continue;
        if (prefix && w.startsWith(qw)) add(items, 0.8);
        else if (fuzzy && Math.abs(w.length - qw.length) <= max && (w[0] === qw[0] || w[1] === qw[1]) && editDistance(qw, w, max) <= max)
          add(items, 0.7);
      }
      return found;
    });
    // Coverage: the share of query words each item's name contains (exactly, fuzzily or as prefix).
    const coverage = new Float64Array(this.#entries.length);
    for (const m of matches) for (const [idx, quality] of m) coverage[idx]! += quality / qWords.length;
    const scores = new Map<number, number>();
    for (let idx = 0; idx < this.#entries.length; idx++) {
      const e = this.#entries[idx]!;
      const inSummary = e.summary.includes(phrase);
      // Most words must be there: one stray match on a common word is noise, not a result.
      if (e.code !== raw && coverage[idx]! < 0.5 && !inSummary) continue;
      let score = (e.code === raw ? 1000 : 0) + 150 * coverage[idx]!;
      if (e.names.some((n) => n === phrase)) score += 500;
      else if (e.names.some((n) => n.includes(phrase))) score += 200;
      if (inSummary) score += 20;
      // Shorter names first among equals: "Đăng ký khai sinh" before its longer variants.
      score -= e.shortest / 100;
      scores.set(idx, score);
    }
    return [...scores.entries()].sort((a, b) => b[1] - a[1]).map(([idx]) => this.#entries[idx]!.id);
  }
}
