/** True for a 'YYYY-MM-DD' string naming a day that exists (no 30 February). */
export function isRealDate(d: string): boolean {
  const t = Date.parse(`${d}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
}
