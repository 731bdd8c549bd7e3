/**
 * API tokens: 256 bits of randomness with an `autoir_` prefix (so a leaked one is recognisable), shown once and
 * stored as their sha256. A fast hash is right here — unlike a password, a token cannot be guessed from a
 * dictionary — and it makes a lookup one indexed query.
 */
import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'autoir_';

export function generateToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
