/**
 * The key that seals secrets before they are stored (connectors/secrets.ts), kept outside the database: the file
 * `AUTOIR_KEY_FILE` names (32 random bytes, raw or base64 — every process on one PostgreSQL needs the same file),
 * or, for the embedded SQLite store, `secret.key` in the data directory, made on first use (0600). On PostgreSQL
 * without `AUTOIR_KEY_FILE` there is no key: secrets are then given as `env:`/`file:` references only.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { secretBox, type SecretBox } from '../connectors/secrets.js';
import { AutoirError } from '../domain/errors.js';
import type { Settings } from './config.js';

export const KEY_FILE_NAME = 'secret.key';

function readKey(file: string): Buffer {
  const bytes = readFileSync(file);
  if (bytes.length === 32) return bytes;
  const decoded = Buffer.from(bytes.toString('utf8').trim(), 'base64');
  if (decoded.length === 32) return decoded;
  throw new AutoirError(
    'AUTOIR_E_BAD_USAGE',
    `${file}: a secret key is 32 bytes, raw or base64 (make one with: head -c 32 /dev/urandom | base64 > ${file})`,
    { location: { file } },
  );
}

/** The box for the key the settings name, made when it is the data directory's own and missing; or none. */
export function loadSecretBox(settings: Pick<Settings, 'keyFile' | 'store'>): SecretBox | undefined {
  try {
    if (settings.keyFile) return secretBox(readKey(settings.keyFile));
    if (settings.store.kind !== 'sqlite' || settings.store.dataDir === ':memory:') return undefined;
    const file = path.join(settings.store.dataDir, KEY_FILE_NAME);
    try {
      writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return secretBox(readKey(file));
  } catch (error) {
    if (error instanceof AutoirError) throw error;
    throw new AutoirError('AUTOIR_E_BAD_USAGE', `cannot read the secret key: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
