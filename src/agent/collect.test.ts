/**
 * An investigation on the agent's own host, on both stores: an alert names a planted program running from a temp
 * folder (its hash on the block list). The investigation proposes to isolate the host, stop the process,
 * quarantine the file — and to collect an investigation package, which the policy runs at once since it only
 * reads. The package arrives as the device's events; the investigation looks again and finds what the alert never
 * named — the cron entry that restarts the program — judges it malicious because of the program it starts, and
 * proposes removing exactly that line. Approved, the agent stops the process, quarantines the file and removes the
 * line, for real. (Isolation is left unapproved here: it would cut this machine off; the network-namespace test
 * isolates a host of its own.)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loopbackAgent, plantMiner, type LoopbackAgent } from '../../test/helpers/agent.js';
import { draftAlert } from '../../test/helpers/alerts.js';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { until } from '../../test/helpers/until.js';
import type { Entity } from '../domain/entity.js';
import { createDevice, createFile, createProcess } from '../domain/entity-builders.js';
import { writeAlerts } from '../ingest/prepare-alert.js';
import { loadPlaybooks } from '../investigate/playbooks.js';
import { decideActions } from '../respond/action-center.js';
import { runUntilIdle } from '../worker/worker.js';
import { processInfo } from './host-linux.js';

const playbooks = loadPlaybooks();

describe.each(backends)('an investigation on the host of an agent, with a server on %s', (dialect) => {
  let t: TestStore;
  let host: LoopbackAgent;
  let work: string;
  let cron: string;

  beforeEach(async () => {
    if (process.getuid?.() !== 0) throw new Error('run as root: the test plants a cron entry in /etc/cron.d');
    t = await createTestStore(dialect);
    host = await loopbackAgent(t);
    work = mkdtempSync(path.join(os.tmpdir(), 'autoir-collect-'));
    cron = `/etc/cron.d/autoir-test-collect-${process.pid}-${dialect}`;
  });
  afterEach(async () => {
    await host.close();
    await t.cleanup();
    rmSync(work, { recursive: true, force: true });
    rmSync(cron, { force: true });
  });

  const run = () =>
    runUntilIdle(t.store, { correlation: {}, playbooks, now: () => new Date(), connectors: async () => [] });

  it('collects a package, finds the cron entry the alert never named, and removes that line on approval', async () => {
    const agent = await host.start();
    const hostname = agent.deviceKey.slice('device:'.length);
    const miner = path.join(work, '.x', 'kworker-miner');
    const { sha256, running, exited } = plantMiner(miner, 600);
    const line = `*/5 * * * * root ${miner} 600`;
    writeFileSync(cron, `# planted\n${line}\n`, { mode: 0o644 });
    try {
      const started = await until('the miner running', () => processInfo(running.pid as number));
      const file = createFile({ sha256, path: miner, device: hostname }) as Entity;
      const processEntity = createProcess({
        device: hostname,
        pid: running.pid,
        startedAt: new Date(started.startedAt).toISOString(),
        imagePath: miner,
        imageKey: file.key,
      }) as Entity;
      const now = new Date();
      await writeAlerts(
        t.store.alerts,
        [
          {
            draft: draftAlert({
              sourceRef: 'edr-miner',
              title: 'Coin miner running from a hidden temp folder',
              severity: 'high',
              category: 'malware',
              createdAt: now.toISOString(),
              entities: [createDevice({ hostname }) as Entity, processEntity, file],
            }),
            format: 'autoir',
          },
        ],
        now,
      );
      await t.store.investigations.addIndicators(
        [
          {
            entityKey: `file:sha256:${sha256}`,
            action: 'block',
            title: 'coin miner',
            source: 'test',
            sourceRef: 'm1',
          },
        ],
        'test',
        now,
      );

      await run();
      const collect = await until('the package collected', async () => {
        const [found] = (await t.store.actions.list({ types: ['collectInvestigationPackage'] }, { limit: 5 }))
          .items;
        return found && found.status === 'succeeded' ? found : undefined;
      });
      expect(collect.decidedBy).toBe('policy');
      expect(collect.decisionRule).toMatch(/only reads the device/);
      expect(collect.resultDetails).toMatchObject({ package: { events: expect.any(Number) } });
      expect(JSON.stringify(collect.resultDetails)).not.toContain('"processes":['); // counts, not the package

      // The package's events are the device's telemetry now; the investigation looks again.
      await run();
      const [investigation] = (await t.store.investigations.list({}, { limit: 5 })).items;
      const detail = (await t.store.investigations.get(investigation!.id))!;
      const task = detail.evidence.find((row) => row.key === `scheduledTask:${hostname}:${cron}`);
      expect(task, JSON.stringify(detail.evidence.map((row) => row.key))).toBeDefined();
      expect(task?.verdict).toBe('malicious');
      expect(task?.findings.map((finding) => finding.text).join('\n')).toMatch(/starts file kworker-miner/);

      const pending = (await t.store.actions.list({ statuses: ['pendingApproval'] }, { limit: 50 })).items;
      const byType = new Map(pending.map((action) => [action.type, action]));
      expect([...byType.keys()].sort()).toEqual([
        'isolateDevice',
        'killProcess',
        'quarantineFile',
        'removePersistence',
      ]);
      expect(byType.get('removePersistence')?.parameters).toMatchObject({ name: cron, line });
      const approve = async (...types: ('killProcess' | 'quarantineFile' | 'removePersistence')[]) => {
        await decideActions(
          t.store,
          types.map((type) => byType.get(type)!.id),
          'approve',
          'token:rita',
          'contain',
          new Date(),
        );
        await run();
        for (const type of types) {
          const done = await until(`${type} done`, async () => {
            const found = await t.store.actions.get(byType.get(type)!.id);
            return found && (found.status === 'succeeded' || found.status === 'failed') ? found : undefined;
          });
          expect(done.status, JSON.stringify(done)).toBe('succeeded');
        }
      };
      // The file and the cron line first: the process still runs, its program now in the quarantine — and is
      // still known for the one named (not taken for another process that reused the pid).
      await approve('quarantineFile');
      await approve('removePersistence');
      expect(existsSync(miner)).toBe(false);
      expect(readFileSync(cron, 'utf8')).toBe('# planted\n');
      expect(running.exitCode).toBeNull();
      await approve('killProcess');
      expect((await t.store.actions.get(byType.get('killProcess')!.id))?.resultMessage).toMatch(
        /^killed pid/,
      );
      expect(await exited).toBe('SIGKILL');
      await decideActions(
        t.store,
        [byType.get('isolateDevice')!.id],
        'reject',
        'token:rita',
        'not the test machine',
        new Date(),
      );
      await run();
      expect((await t.store.investigations.get(investigation!.id))?.status).toBe('partiallyRemediated');
    } finally {
      running.kill('SIGKILL');
    }
  }, 120_000);
});
