/**
 * API tokens: 256 bits of randomness, shown once, stored as a sha256 hash. A fast hash is right here (unlike
 * passwords, a token cannot be guessed from a dictionary), and it lets a lookup be one indexed query.
 */
import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'autoir_';

export function generateToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The token of an `Authorization: Bearer …` header, or `undefined`. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
