/**
 * Whether a PostgreSQL statement that failed may succeed if tried again: the connection failed (refused,
 * cut, timed out: no SQLSTATE) or the server said it is shutting down, starting, out of connections or
 * lost a race (SQLSTATE classes 08, 53, 57P, and 40001/40P01). A statement the server refuses for what it
 * says (a constraint, a type, a missing table) fails the same way each time.
 */
export function transientPgError(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !SQLSTATE.test(code)) return true;
  return (
    code.startsWith('08') || code.startsWith('53') || code.startsWith('57P') || code === '40001' || code === '40P01'
  );
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
