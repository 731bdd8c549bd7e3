/** Small helpers shared by the stores' queries. */
import type { Kysely } from 'kysely';
import { badInput } from '../domain/errors.js';
import type { Database } from './schema.js';

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

export function encodeCursor(time: number, id: number): string {
  return Buffer.from(JSON.stringify([time, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [number, number] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'number')
      return [value[0], value[1]];
  } catch {
    // fall through to the error below
  }
  throw badInput('cursor is not one this server handed out', { field: 'cursor' });
}

/** Run `work` in the current transaction, or in a new one when there is none (kysely-store.ts). */
export type Atomically = <T>(work: (executor: Kysely<Database>) => Promise<T>) => Promise<T>;

/** An epoch-ms column that may be null, as ISO 8601. */
export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(Number(ms)).toISOString();
}
