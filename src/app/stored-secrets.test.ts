/**
 * Secrets are never stored in the clear, on both backends: sealed under a key kept outside the database (or kept
 * as references); those an earlier release stored in the clear are sealed at start, or named when there is no key.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { runCli } from '../cli/main.js';
import { createConnector, parseConnectorConfig } from '../connectors/config.js';
import { secretBox } from '../connectors/secrets.js';
import { KEY_FILE_NAME, loadSecretBox } from './secret-key.js';
import { sealStoredSecrets, storableConnector } from './stored-secrets.js';
import { recordingLog } from '../../test/helpers/log.js';
import { silentLog } from '../domain/log.js';

const SECRET = 'clear-secret-from-before-0123';

describe.each(backends)('stored secrets on %s', (dialect) => {
  let t: TestStore;
  let work: string;
  beforeEach(async () => {
    t = await createTestStore(dialect);
    work = mkdtempSync(path.join(os.tmpdir(), 'autoir-secrets-'));
  });
  afterEach(async () => {
    await t.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  const storeClear = async () => {
    const config = parseConnectorConfig(
      {
        name: 'edr',
        kind: 'webhook',
        settings: {
          url: 'https://edr.example.com/',
          secret: SECRET,
          headers: { authorization: `Bearer ${SECRET}` },
        },
      },
      'test',
    );
    await t.store.policy.putConnector(
      { name: 'edr', config: config as unknown as Record<string, unknown>, definedOn: 'api' },
      'token:root',
      new Date(),
      (c) => c,
    );
    await t.store.policy.setSetting(
      'policy',
      { notifications: { webhook: { url: 'https://hooks.example.com/', secret: SECRET } } },
      'token:root',
      new Date(),
    );
  };

  it('seals secrets an earlier release stored in the clear, and the connector still signs with them', async () => {
    await storeClear();
    const box = secretBox(randomBytes(32));
    expect(await sealStoredSecrets(t.store, box, silentLog)).toBe(2);
    const [row] = await t.store.policy.listConnectors();
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(row!.config).toMatchObject({ settings: { secret: expect.stringMatching(/^enc:v1:/) } });
    expect(row!.definedOn).toBe('api');
    expect(JSON.stringify(await t.store.policy.getSetting('policy'))).not.toContain(SECRET);
    const audit = await t.store.audit.list({ actor: 'system:secrets' }, { limit: 10 });
    expect(audit.items.map((entry) => entry.operation).sort()).toEqual(['connector.update', 'policy.set']);
    expect(JSON.stringify(audit.items)).not.toContain(SECRET);
    // Sealed once: a second start finds nothing in the clear.
    expect(await sealStoredSecrets(t.store, box, silentLog)).toBe(0);
    const connector = createConnector(row!.config as never, { env: {}, box });
    expect(connector.name).toBe('edr');
    // Under another key the sealed secret does not open: an error naming the field.
    expect(() => createConnector(row!.config as never, { env: {}, box: secretBox(randomBytes(32)) })).toThrow(
      /settings\.secret: a sealed secret that this server's key cannot open/,
    );
  });

  it('names the secrets stored in the clear when there is no key to seal them', async () => {
    await storeClear();
    const { log, lines } = recordingLog();
    expect(await sealStoredSecrets(t.store, undefined, log)).toBe(0);
    const warnings = lines.filter((line) => line.level === 'warn').map((line) => line.message);
    // Nor is a new one taken in the clear without a key.
    const [row] = await t.store.policy.listConnectors();
    expect(() => storableConnector(row!.config as never, undefined, 'host')).toThrow(
      /settings\.secret: a secret in the clear is sealed before it is stored, and this server has no key/,
    );
    expect(warnings).toEqual([
      expect.stringMatching(
        /stored connector edr: settings\.secret, settings\.headers\.authorization stored in the clear .*AUTOIR_KEY_FILE/,
      ),
      expect.stringMatching(/policy: notifications\.webhook\.secret stored in the clear/),
    ]);
  });

  it('seals what `autoir connectors add` stores, under the key file AUTOIR_KEY_FILE names (or the data directory’s)', async () => {
    const keyFile = path.join(work, 'autoir.key');
    writeFileSync(keyFile, randomBytes(32).toString('base64'));
    const file = path.join(work, 'connectors.yaml');
    writeFileSync(
      file,
      `connectors:\n  - name: edr\n    kind: webhook\n    settings:\n      url: https://edr.example.com/\n      secret: ${SECRET}\n`,
    );
    let stderr = '';
    const code = await runCli(['connectors', 'add', '--file', file], {
      stdout: { write: () => undefined },
      stderr: { write: (text: string) => (stderr += text) },
      stdin: Readable.from([]),
      env: { ...t.env, AUTOIR_KEY_FILE: keyFile },
    });
    expect(code, stderr).toBe(0);
    const [row] = await t.store.policy.listConnectors();
    expect(JSON.stringify(row)).not.toContain(SECRET);
    const box = loadSecretBox({ keyFile, store: t.config });
    expect(box!.open((row!.config.settings as { secret: string }).secret, 'test')).toBe(SECRET);
  });
});

describe('the secret key of a SQLite data directory', () => {
  it('is made on first use, 0600, and read again after', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'autoir-key-'));
    try {
      const store = { kind: 'sqlite' as const, dataDir };
      const sealed = loadSecretBox({ store })!.seal('x');
      const file = path.join(dataDir, KEY_FILE_NAME);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
      expect(loadSecretBox({ store })!.open(sealed, 'test')).toBe('x');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('is not there on PostgreSQL unless AUTOIR_KEY_FILE names one, and a bad key file is named', () => {
    expect(loadSecretBox({ store: { kind: 'postgres', url: 'postgres://x' } })).toBeUndefined();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-key-'));
    try {
      const keyFile = path.join(dir, 'short.key');
      writeFileSync(keyFile, 'too short');
      expect(() => loadSecretBox({ keyFile, store: { kind: 'postgres', url: 'postgres://x' } })).toThrow(
        /short\.key: a secret key is 32 bytes/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
