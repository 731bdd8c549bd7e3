/**
 * The SQLite data directory and its files are readable by their owner only, whatever the umask: new ones are made
 * so, and those an earlier release left readable by others are tightened when the store opens.
 */
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { draftAlert } from '../../test/helpers/alerts.js';
import { writeAlerts } from '../ingest/prepare-alert.js';
import { openStore } from './open-store.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'autoir-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('the SQLite data directory', () => {
  it('is created 0700 with the database, its WAL and shared memory 0600, under a umask of 022', async () => {
    const previous = process.umask(0o022);
    try {
      const dataDir = path.join(root, 'fresh', 'data');
      const store = await openStore({ kind: 'sqlite', dataDir });
      await writeAlerts(
        store.alerts,
        [{ draft: draftAlert({ sourceRef: 'a1' }), format: 'autoir' }],
        new Date(),
      );
      expect(modeOf(dataDir)).toBe(0o700);
      for (const file of ['autoir.db', 'autoir.db-wal', 'autoir.db-shm'])
        expect(modeOf(path.join(dataDir, file)), file).toBe(0o600);
      await store.close();
    } finally {
      process.umask(previous);
    }
  });

  it('is tightened when an earlier release left it readable by others', async () => {
    const dataDir = path.join(root, 'old');
    const first = await openStore({ kind: 'sqlite', dataDir });
    await first.close();
    chmodSync(dataDir, 0o755);
    chmodSync(path.join(dataDir, 'autoir.db'), 0o644);
    writeFileSync(path.join(dataDir, 'notes.txt'), 'left alone');
    const store = await openStore({ kind: 'sqlite', dataDir });
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(path.join(dataDir, 'autoir.db'))).toBe(0o600);
    await store.close();
  });

  it('opens when several stores open a fresh one at once: migrations take turns', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const dataDir = path.join(root, `together-${attempt}`);
      const opened = await Promise.allSettled(
        Array.from({ length: 5 }, () => openStore({ kind: 'sqlite', dataDir })),
      );
      for (const result of opened) if (result.status === 'fulfilled') await result.value.close();
      expect(opened.map((result) => (result.status === 'fulfilled' ? 'ok' : String(result.reason)))).toEqual(
        Array(5).fill('ok'),
      );
    }
  });
});
