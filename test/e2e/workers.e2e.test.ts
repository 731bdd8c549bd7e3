/**
 * Two `autoir worker` processes on one PostgreSQL share the investigations: each investigation is run by one
 * worker at a time and each of its steps commits once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftAlert } from '../helpers/alerts.js';
import { createTestStore, type TestStore } from '../helpers/stores.js';
import { type Entity } from '../../src/domain/entity.js';
import { writeAlerts } from '../../src/ingest/prepare-alert.js';
import { createDevice, createFile, createProcess } from '../../src/domain/entity-builders.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');
const COUNT = 8;

let t: TestStore;
const workers: ChildProcess[] = [];
const stderr: string[] = [];
beforeAll(async () => {
  t = await createTestStore('postgres');
  // Migrate before the workers start, so they do not race to create the schema.
  for (let index = 0; index < 2; index++) {
    const child = spawn(process.execPath, [bin, 'worker', '--poll', '100ms'], {
      env: { ...process.env, AUTOIR_DATA: '', ...t.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    workers.push(child);
  }
  await new Promise((resolve) => setTimeout(resolve, 1500));
});
afterAll(async () => {
  for (const child of workers) child.kill('SIGKILL');
  await t.cleanup();
});

describe('two workers on one PostgreSQL', () => {
  it('share the investigations, and run each step of each once', async () => {
    // Alerts on eight unrelated devices: eight incidents, eight investigations.
    for (let index = 0; index < COUNT; index++) {
      const host = `host${index}.corp.example`;
      const image = 'C:\\Users\\ana\\AppData\\Local\\Temp\\tool.exe';
      const file = createFile({
        sha256: index.toString(16).padStart(2, '0').repeat(32),
        path: image,
        device: host,
      }) as Entity;
      const process = createProcess({ device: host, pid: 100 + index, imagePath: image, imageKey: file.key });
      await writeAlerts(
        t.store.alerts,
        [
          {
            draft: draftAlert({
              sourceRef: `edr-${index}`,
              severity: 'high',
              category: 'malware',
              entities: [createDevice({ hostname: host }) as Entity, process as Entity, file],
            }),
            format: 'autoir',
          },
        ],
        new Date(),
      );
    }
    const deadline = Date.now() + 60_000;
    let settled = false;
    while (Date.now() < deadline && !settled) {
      const page = await t.store.investigations.list({}, { limit: 100 });
      settled =
        page.items.length === COUNT &&
        page.items.every((item) => !['queued', 'running'].includes(item.status));
      if (!settled) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const statuses = (await t.store.investigations.list({}, { limit: 100 })).items.map((item) => item.status);
    expect(
      settled,
      `all investigations at rest within 60 s (${statuses.join(', ')}): ${stderr.join('')}`,
    ).toBe(true);
    const page = await t.store.investigations.list({}, { limit: 100 });
    const byWorker = new Map<string, number>();
    for (const item of page.items) {
      const detail = (await t.store.investigations.get(item.id))!;
      // One pass through the steps: analyze repeats only while related entities join, nothing else twice.
      expect(detail.log.map((entry) => entry.step).join(' '), item.id).toMatch(
        /^collect( analyze)+ decide expand propose conclude$/,
      );
      const pid = (detail.log[0]?.worker ?? '').split(':')[1] ?? '';
      byWorker.set(pid, (byWorker.get(pid) ?? 0) + 1);
    }
    expect([...byWorker.keys()].sort()).toEqual(workers.map((child) => String(child.pid)).sort());
  }, 90_000);
});
