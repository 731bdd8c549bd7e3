/**
 * Secret settings (a webhook's `secret` and `headers`, a command's `env`): never logged, shown as `"***"`, and
 * given either in the clear or as `env:NAME`, read from autoir's environment when the connector is created, so
 * that a configuration file need not hold secrets.
 */
import { AutoirError } from '../domain/errors.js';
import type { ConnectorDefinition } from './connector.js';

/** What a redacted secret reads as. */
export const redacted = '***';

const envReference = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;

/** `env:EDR_SECRET` → `EDR_SECRET`; anything else → `undefined`. */
export function envReferenceName(value: string): string | undefined {
  return envReference.exec(value)?.[1];
}

function mapSecret(value: unknown, map: (text: string, key?: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value))
    return value.map((item: unknown) => (typeof item === 'string' ? map(item) : redacted));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, typeof item === 'string' ? map(item, key) : redacted]),
    );
  return value === undefined ? undefined : redacted;
}

/** A copy of `settings` with every secret (every value of a secret record) replaced by `"***"`. */
export function redactSettings(
  definition: ConnectorDefinition,
  settings: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...settings };
  for (const name of definition.secrets) {
    if (copy[name] !== undefined) copy[name] = mapSecret(copy[name], () => redacted);
  }
  return copy;
}

/**
 * A copy of `settings` with every `env:NAME` secret replaced by the variable's value. An unset (or empty)
 * variable is a `AUTOIR_E_BAD_INPUT` naming the connector, the setting and the variable.
 */
export function resolveSecrets(
  definition: ConnectorDefinition,
  settings: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
  where: string,
): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...settings };
  for (const name of definition.secrets) {
    if (copy[name] === undefined) continue;
    copy[name] = mapSecret(copy[name], (text, key) => {
      const variable = envReferenceName(text);
      if (variable === undefined) return text;
      const value = env[variable];
      if (value === undefined || value === '') {
        const field = key === undefined ? `settings.${name}` : `settings.${name}.${key}`;
        throw new AutoirError(
          'AUTOIR_E_BAD_INPUT',
          `${where}: ${field}: the environment variable ${variable} is not set`,
          { location: { field }, details: { variable } },
        );
      }
      return value;
    });
  }
  return copy;
}
