/**
 * Following files as tools write them, on real rotation: Debian's logrotate rotates a file by rename and by
 * copytruncate while lines of OTRF's LSASS_campaign_01 are appended; every line is stored once, none read twice.
 * And `autoir ingest --follow` killed with SIGKILL in the middle of the campaign written line by line resumes
 * where the store says: the store then equals a clean ingest of the same file.
 *
 * Needs `logrotate` (scripts/test.sh installs it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followFiles } from '../../src/ingest/follow.js';
import { openDocuments, planInput } from '../../src/ingest/input.js';
import { ingestDocuments, type IngestSummary } from '../../src/ingest/pipeline.js';
import { openStore } from '../../src/store/open-store.js';
import { lsassCampaign01 } from '../helpers/shared-data.js';
import { requirePrograms } from '../helpers/servers.js';
import { createTestStore, type TestStore } from '../helpers/stores.js';
import { until } from '../helpers/until.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');
const zip = path.join(lsassCampaign01, 'metasploit_logonpasswords_lsass_memory_dump.zip');

/** The campaign's Windows events, one NDJSON line each. */
async function campaignLines(): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const document of openDocuments(await planInput(zip)))
    if ('chunks' in document) for await (const chunk of document.chunks) chunks.push(chunk);
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => `${line}\n`);
}

let lines: string[];
let work: string;

beforeAll(async () => {
  requirePrograms(['logrotate'], 'logrotate');
  lines = await campaignLines();
  work = mkdtempSync(path.join(os.tmpdir(), 'autoir-follow-'));
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(['create', 'copytruncate'] as const)('a followed file rotated by logrotate (%s)', (mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await createTestStore('sqlite');
  });
  afterAll(async () => t?.cleanup());

  it('stores every line once while lines are appended and the file is rotated three times', async () => {
    const dir = mkdtempSync(path.join(work, `${mode}-`));
    const file = path.join(dir, 'security.json');
    const conf = path.join(dir, 'logrotate.conf');
    writeFileSync(
      conf,
      `${file} {\n  rotate 10\n  ${mode === 'create' ? 'create' : 'copytruncate'}\n  missingok\n}\n`,
    );
    const rotate = () => {
      const run = spawnSync('logrotate', ['-f', '-s', path.join(dir, 'state'), conf], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
    };
    const sample = lines.slice(0, 4000);
    writeFileSync(file, '');
    const stop = new AbortController();
    let read = 0;
    const following = followFiles(t.store, {
      input: `test:${mode}`,
      patterns: [file],
      signal: stop.signal,
      pollMs: 50,
      onBatch: (summary: IngestSummary) => {
        read += summary.events + summary.duplicateEvents;
      },
    });
    // Lines appended in small bursts; a rotation after each quarter.
    for (let index = 0; index < sample.length; index += 20) {
      appendFileSync(file, sample.slice(index, index + 20).join(''));
      if (index > 0 && index % 1000 === 0) rotate();
      await pause(2);
    }
    try {
      await until('every line to be read', () => (read >= sample.length ? true : undefined), 30_000);
      await pause(2500); // a rotated-away file is let go after two quiet seconds: nothing more may arrive
    } finally {
      stop.abort();
      await following;
    }
    // Each line read once: no line lost, none read twice.
    expect(read).toBe(sample.length);
    // What is stored equals a clean ingest of the files as they lie after the rotations (each file a document).
    const clean = await createTestStore('sqlite');
    try {
      const files = readdirSync(dir)
        .filter((name) => name.startsWith('security.json'))
        .map((name) => path.join(dir, name));
      for (const name of files)
        await ingestDocuments(openDocuments(await planInput(name)), { store: clean.store });
      expect(await t.store.events.countEvents()).toBe(await clean.store.events.countEvents());
    } finally {
      await clean.cleanup();
    }
  }, 90_000);
});

describe('autoir ingest --follow killed with SIGKILL mid-stream', () => {
  let children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    children = [];
  });

  it('resumes where the store says: the store equals a clean ingest of the same file', async () => {
    const dir = mkdtempSync(path.join(work, 'kill-'));
    const data = path.join(dir, 'data');
    const clean = path.join(dir, 'clean');
    const file = path.join(dir, 'lsass.json');
    writeFileSync(file, '');
    const env = { ...process.env, AUTOIR_DATABASE_URL: '', AUTOIR_DATA: '' };
    const start = () => {
      const child = spawn(process.execPath, [bin, '--data', data, 'ingest', '--follow', file], {
        env,
        stdio: 'ignore',
      });
      children.push(child);
      return child;
    };
    const count = async (dataDir: string) => {
      const store = await openStore({ kind: 'sqlite', dataDir });
      try {
        return { events: await store.events.countEvents(), alerts: await store.alerts.countAlerts() };
      } catch {
        return { events: 0, alerts: 0 };
      } finally {
        await store.close();
      }
    };
    let follower = start();
    const half = Math.floor(lines.length / 2);
    for (let index = 0; index < lines.length; index += 500) {
      appendFileSync(file, lines.slice(index, index + 500).join(''));
      if (index >= half && index < half + 500) {
        // Wait until the follower has stored something past the start, then kill it without warning.
        await until('the follower to store events', async () =>
          (await count(data)).events > 1000 ? true : undefined,
        );
        follower.kill('SIGKILL');
        await new Promise((resolve) => follower.once('exit', resolve));
        follower = start();
      }
      await pause(5);
    }
    const expected = spawnSync(
      process.execPath,
      [bin, '--data', clean, 'ingest', file, '--json', '--no-progress'],
      {
        env,
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      },
    );
    expect(expected.status, expected.stderr).toBe(0);
    const target = await count(clean);
    expect(target.events).toBe(lines.length);
    await until(
      'the restarted follower to catch up',
      async () => ((await count(data)).events >= target.events ? true : undefined),
      120_000,
      500,
    );
    follower.kill('SIGTERM');
    await new Promise((resolve) => follower.once('exit', resolve));
    expect(await count(data)).toEqual(target);
  }, 240_000);
});
