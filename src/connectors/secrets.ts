/**
 * Secret settings (a webhook's `secret` and `headers`, a command's `env`, the policy's notification secret): never
 * logged, shown as `"***"`, and never stored in the clear. Each is written as
 * - `env:NAME`: read from autoir's environment when the connector is created;
 * - `file:/path`: read from a file on the host then (its trailing newline dropped);
 * - or in the clear, which is sealed before it is stored: `enc:v1:<base64>`, AES-256-GCM under a key kept outside
 *   the database (app/secret-key.ts), opened when the connector is created.
 * Through the API, only `env:AUTOIR_SECRET_*` references and sealed values are taken (secretsForApi): a reference
 * to any other variable or to a file would let whoever holds an admin token send it to a URL of their choosing.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AutoirError } from '../domain/errors.js';
import type { ConnectorDefinition } from './connector.js';

/** Seals secrets for storage and opens them again. */
export interface SecretBox {
  seal(text: string): string;
  /** The text of a sealed value; `AUTOIR_E_BAD_INPUT` naming `where` when it was sealed under another key. */
  open(sealed: string, where: string): string;
}

const sealedPrefix = 'enc:v1:';
const associatedData = Buffer.from('autoir secret v1');

/** AES-256-GCM under `key` (32 bytes): `enc:v1:` + base64 of a 12-byte nonce, the ciphertext and the 16-byte tag. */
export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('a secret key is 32 bytes');
  return {
    seal(text) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(associatedData);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return sealedPrefix + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
    },
    open(sealed, where) {
      const bytes = Buffer.from(sealed.slice(sealedPrefix.length), 'base64');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12)).setAAD(associatedData);
        decipher.setAuthTag(bytes.subarray(bytes.length - 16));
        return Buffer.concat([
          decipher.update(bytes.subarray(12, bytes.length - 16)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new AutoirError(
          'AUTOIR_E_BAD_INPUT',
          `${where}: a sealed secret that this server's key cannot open (sealed under another AUTOIR_KEY_FILE?)`,
          { location: { field: where } },
        );
      }
    },
  };
}

/** Whether a secret is written as a reference or sealed (anything else is in the clear). */
export function isSecretReference(value: string): boolean {
  return (
    value.startsWith(sealedPrefix) ||
    envReferenceName(value) !== undefined ||
    fileReferencePath(value) !== undefined
  );
}

/**
 * Throws `AUTOIR_E_BAD_INPUT` when a secret setting reached a connector's `create` still a reference or sealed:
 * createConnector resolves them, and a definition called directly must be given the secret itself.
 */
export function requireResolved(connector: string, field: string, value: string): void {
  if (isSecretReference(value))
    throw new AutoirError(
      'AUTOIR_E_BAD_INPUT',
      `connector ${connector}: settings.${field}: a reference or sealed secret that was not resolved (createConnector resolves them)`,
      { location: { field: `settings.${field}` } },
    );
}

/** `file:/etc/autoir/edr.secret` → the path (absolute only); anything else → `undefined`. */
export function fileReferencePath(value: string): string | undefined {
  if (!value.startsWith('file:')) return undefined;
  const file = value.slice('file:'.length);
  return path.isAbsolute(file) ? file : undefined;
}

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

/** Where secrets are read from when a connector is created. */
export interface SecretSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Opens sealed secrets; without it, a sealed secret is an error saying how to give the key. */
  readonly box?: SecretBox;
}

/**
 * The text of one secret as written: a variable's value for `env:NAME`, a file's content for `file:/path`, the
 * opened text of a sealed one, the text itself otherwise. A missing variable or file, or a sealed secret without
 * its key, is `AUTOIR_E_BAD_INPUT` naming `where` (`connector edr: settings.secret`).
 */
export function resolveSecret(text: string, sources: SecretSources, where: string): string {
  const fail = (message: string, details?: unknown) =>
    new AutoirError('AUTOIR_E_BAD_INPUT', `${where}: ${message}`, {
      location: { field: where.split(': ').at(-1) as string },
      ...(details === undefined ? {} : { details }),
    });
  const variable = envReferenceName(text);
  if (variable !== undefined) {
    const value = sources.env[variable];
    if (value === undefined || value === '')
      throw fail(`the environment variable ${variable} is not set`, { variable });
    return value;
  }
  const file = fileReferencePath(text);
  if (file !== undefined) {
    try {
      return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw fail(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  if (text.startsWith(sealedPrefix)) {
    if (!sources.box) throw fail('a sealed secret, and this server has no key to open it (AUTOIR_KEY_FILE)');
    return sources.box.open(text, where);
  }
  return text;
}

/**
 * A copy of `settings` with each secret text (every string of a secret setting, every value of a secret record)
 * replaced by `change(text, field)`, `field` naming it: `settings.secret`, `settings.headers.authorization`.
 */
function mapSecrets(
  definition: ConnectorDefinition,
  settings: Readonly<Record<string, unknown>>,
  change: (text: string, field: string) => string,
): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...settings };
  for (const name of definition.secrets) {
    if (copy[name] === undefined) continue;
    copy[name] = mapSecret(copy[name], (text, key) =>
      change(text, `settings.${name}${key === undefined ? '' : `.${key}`}`),
    );
  }
  return copy;
}

/**
 * A copy of `settings` with every secret resolved (resolveSecret). An unset (or empty) variable is a
 * `AUTOIR_E_BAD_INPUT` naming the connector, the setting and the variable.
 */
export function resolveSecrets(
  definition: ConnectorDefinition,
  settings: Readonly<Record<string, unknown>>,
  sources: SecretSources,
  where: string,
): Record<string, unknown> {
  return mapSecrets(definition, settings, (text, field) =>
    resolveSecret(text, sources, `${where}: ${field}`),
  );
}

/** Where a clear secret is about to be stored. */
export type SecretAudience = 'host' | 'api';

/**
 * One secret as it may be stored: sealed when in the clear (`AUTOIR_E_BAD_INPUT` when there is no key), and through
 * the API only `env:AUTOIR_SECRET_*` references or sealed values (`AUTOIR_E_FORBIDDEN` otherwise).
 */
export function storableSecret(
  text: string,
  box: SecretBox | undefined,
  audience: SecretAudience,
  field: string,
): string {
  if (text.startsWith(sealedPrefix)) return text;
  const variable = envReferenceName(text);
  const file = fileReferencePath(text);
  if (
    audience === 'api' &&
    ((variable !== undefined && !variable.startsWith('AUTOIR_SECRET_')) || file !== undefined)
  )
    throw new AutoirError(
      'AUTOIR_E_FORBIDDEN',
      `${field}: through the API a secret is given in the clear (it is sealed) or as env:AUTOIR_SECRET_<NAME>; other variables and files are named on the host only`,
      { location: { field } },
    );
  if (variable !== undefined || file !== undefined) return text;
  if (!box)
    throw new AutoirError(
      'AUTOIR_E_BAD_INPUT',
      `${field}: a secret in the clear is sealed before it is stored, and this server has no key (set AUTOIR_KEY_FILE), or give env:AUTOIR_SECRET_<NAME>`,
      { location: { field } },
    );
  return box.seal(text);
}

/** A copy of `settings` with every secret made storable (storableSecret). */
export function storableSettings(
  definition: ConnectorDefinition,
  settings: Readonly<Record<string, unknown>>,
  box: SecretBox | undefined,
  audience: SecretAudience,
  where: string,
): Record<string, unknown> {
  return mapSecrets(definition, settings, (text, field) =>
    storableSecret(text, box, audience, `${where}${field}`),
  );
}

/** The fields of `settings` that hold a secret in the clear (stored by an earlier release). */
export function clearSecrets(
  definition: ConnectorDefinition,
  settings: Readonly<Record<string, unknown>>,
): string[] {
  const fields: string[] = [];
  mapSecrets(definition, settings, (text, field) => {
    if (!isSecretReference(text)) fields.push(field);
    return text;
  });
  return fields;
}
