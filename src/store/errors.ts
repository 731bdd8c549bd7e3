/**
 * Database errors that mean "the store cannot serve this now" (busy, locked, deadlocked, unreachable) rather than
 * a bug: they map to AUTOIR_E_STORE_UNAVAILABLE (HTTP 503), and are worth retrying.
 */
const UNAVAILABLE = new Set([
  // SQLite (better-sqlite3 error codes)
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_LOCKED',
  'SQLITE_FULL',
  'SQLITE_IOERR',
  // PostgreSQL SQLSTATEs: serialization failure, deadlock, shutdown, cannot connect now, too many connections
  '40001',
  '40P01',
  '57P01',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08006',
  // Node networking
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
]);

/** Unique-constraint violations, on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isStoreUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNAVAILABLE.has(code);
}
