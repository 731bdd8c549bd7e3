/** Reading settings from the environment: one way to say a value is wrong. */
import { AutoirError } from './errors.js';

/** A positive whole number setting, `undefined` when unset; anything else is a usage error naming the setting. */
export function positiveSetting(name: string, text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new AutoirError('AUTOIR_E_BAD_USAGE', `${name} must be a positive whole number, got ${text}`);
  return value;
}
