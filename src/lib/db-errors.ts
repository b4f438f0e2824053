/** A unique constraint refused the write (SQLSTATE 23505), the same code on PostgreSQL and PGlite. */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';
}
