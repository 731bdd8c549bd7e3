import { badInput } from './errors.js';

/** Epoch milliseconds of an ISO 8601 time; a bad one is a user error naming the field. */
export function epoch(value: string, field: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms))
    throw badInput(`${field} is not a date-time: ${JSON.stringify(value)}`, { field });
  return ms;
}
