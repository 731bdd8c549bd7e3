/**
 * The engine over a real store (SQLite and PostgreSQL): scope expansion from an incriminated file to the other
 * devices that ran it, with approval when it would add too many; claims that fence a worker that lost its lease.
 */
import { inputDocuments } from '../../test/helpers/documents.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { draftAlert } from '../../test/helpers/alerts.js';
import { type Entity } from '../domain/entity.js';
import { ingestDocuments } from '../ingest/pipeline.js';
import { runUntilIdle } from '../worker/worker.js';
import { loadPlaybooks } from './playbooks.js';
import { writeAlerts } from '../ingest/prepare-alert.js';
import { createDevice, createFile, createProcess } from '../domain/entity-builders.js';

const HASH = 'ab'.repeat(32);
const IMAGE = 'C:\\Users\\kim\\Downloads\\invoice_viewer.exe';
const now = () => new Date('2026-02-01T00:00:00.000Z');
const playbooks = loadPlaybooks();

/** A Sysmon process start (NXLog flat JSON) of the file on a host. */
function processStart(host: string, index: number): string {
  return JSON.stringify({
    SourceName: 'Microsoft-Windows-Sysmon',
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    Hostname: `${host}.corp.example`,
    EventID: 1,
    TimeCreated: `2026-01-31T10:${String(index % 60).padStart(2, '0')}:00.000Z`,
    ProcessGuid: `{0000aaaa-0000-0000-${String(index).padStart(4, '0')}-000000000001}`,
    ProcessId: String(4000 + index),
    Image: IMAGE,
    CommandLine: `"${IMAGE}"`,
    User: 'CORP\\kim',
    Hashes: `SHA256=${HASH.toUpperCase()}`,
    ParentProcessGuid: `{0000aaaa-0000-0000-${String(index).padStart(4, '0')}-000000000000}`,
    ParentProcessId: '1200',
    ParentImage: 'C:\\Windows\\explorer.exe',
  });
}

const documents = (text: string) => inputDocuments([{ name: 'sysmon.ndjson', bytes: text }]);

/** Telemetry of the file on `hosts` (the first is where the alert fired), and the alert. */
async function seed(t: TestStore, hosts: readonly string[]): Promise<void> {
  const lines = hosts.map((host, index) => processStart(host, index + 1)).join('\n');
  await ingestDocuments(documents(lines), { store: t.store, now });
  const first = `${hosts[0]}.corp.example`;
  const file = createFile({ sha256: HASH, path: IMAGE, device: first }) as Entity;
  const process = createProcess({
    device: first,
    guid: '0000aaaa-0000-0000-0001-000000000001',
    imagePath: IMAGE,
    imageKey: file.key,
  }) as Entity;
  await writeAlerts(
    t.store.alerts,
    [
      {
        draft: draftAlert({
          sourceRef: 'edr-1',
          title: 'Known ransomware family detected',
          severity: 'critical',
          category: 'malware',
          createdAt: '2026-01-31T10:01:00.000Z',
          entities: [createDevice({ hostname: first }) as Entity, process, file],
        }),
        format: 'autoir',
      },
    ],
    now(),
  );
}

describe.each(backends)('investigation engine on %s', (backend) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(backend);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const run = (threshold = 10) =>
    runUntilIdle(t.store, {
      correlation: {},
      playbooks,
      now,
      limits: { expansionApprovalThreshold: threshold },
    });

  it('adds the other devices that ran an incriminated file, and judges them by the general playbook', async () => {
    await seed(t, ['ws1', 'ws2', 'ws3', 'ws4']);
    const summary = await run();
    expect(summary.investigations.created).toBe(1);
    const detail = (await t.store.investigations.get('inv_1'))!;
    expect(detail.playbook).toBe('malware');
    const file = detail.evidence.find((row) => row.key === `file:sha256:${HASH}`)!;
    expect(file.verdict).toBe('malicious');
    for (const host of ['ws2', 'ws3', 'ws4']) {
      const device = detail.evidence.find((row) => row.key === `device:${host}.corp.example`);
      expect(device, host).toMatchObject({ origin: 'expansion', verdict: 'malicious' });
      expect(device!.roles).toContain('compromised');
      expect(device!.findings.some((f) => /invoice_viewer\.exe/.test(f.text))).toBe(true);
    }
    expect(detail.log.find((entry) => entry.step === 'expand')?.result).toMatch(/3 devices joined/);
    expect(detail.status).toBe('pendingApproval');
  });

  it('takes a later alert on a device it brought in, and re-evaluates', async () => {
    await seed(t, ['ws1', 'ws2', 'ws3']);
    await run();
    expect((await t.store.investigations.get('inv_1'))!.status).toBe('pendingApproval');
    // A new detection on ws3 alone: its own incident, but ws3 is evidence of the open investigation.
    await writeAlerts(
      t.store.alerts,
      [
        {
          draft: draftAlert({
            sourceRef: 'av-7',
            title: 'Suspicious file quarantined',
            severity: 'medium',
            category: 'malware',
            createdAt: '2026-01-31T12:00:00.000Z',
            entities: [createDevice({ hostname: 'ws3.corp.example' }) as Entity],
          }),
          format: 'autoir',
        },
      ],
      now(),
    );
    const summary = await run();
    expect(summary.investigations).toMatchObject({ created: 0, joined: 1 });
    const detail = (await t.store.investigations.get('inv_1'))!;
    expect(detail.alertIds).toHaveLength(2);
    expect(detail.log.filter((entry) => entry.step === 'collect')).toHaveLength(2);
    expect(detail.log.find((entry, index) => index > 0 && entry.step === 'collect')?.waitedAs).toBe(
      'pendingApproval',
    );
    expect(detail.status).toBe('pendingApproval');
  });

  it('resolves the alerts of an investigation that found nothing, except one an analyst set', async () => {
    const device = createDevice({ hostname: 'quiet.corp.example' }) as Entity;
    const process = createProcess({
      device: 'quiet.corp.example',
      pid: 812,
      imagePath: 'C:\\Windows\\System32\\svchost.exe',
    }) as Entity;
    await writeAlerts(
      t.store.alerts,
      ['n1', 'n2'].map((ref) => ({
        draft: draftAlert({
          sourceRef: ref,
          severity: 'low',
          category: 'execution',
          entities: [device, process],
        }),
        format: 'autoir',
      })),
      now(),
    );
    const [second] = (await t.store.alerts.listAlerts({ text: 'n2' }, { limit: 1 })).items;
    await t.store.alerts.setAlertStatus(second!.id, 'inProgress', 'analyst:ana', now());
    await run();
    const detail = (await t.store.investigations.get('inv_1'))!;
    expect(detail.status).toBe('noThreatsFound');
    const alerts = (await t.store.alerts.listAlerts({}, { limit: 10 })).items;
    const byRef = Object.fromEntries(
      alerts.map((alert) => [alert.sourceRef, [alert.status, alert.statusSetBy]]),
    );
    expect(byRef).toEqual({ n1: ['resolved', 'automation'], n2: ['inProgress', 'analyst:ana'] });
  });

  it('waits for approval before adding ten devices or more from one entity, then adds them', async () => {
    const hosts = Array.from({ length: 13 }, (_, index) => `pc${index + 1}`);
    await seed(t, hosts);
    await run();
    let detail = (await t.store.investigations.get('inv_1'))!;
    expect(detail.status).toBe('pendingApproval');
    expect(detail.statusReason).toMatch(/scope expansion waiting for approval: 12 devices from file:sha256:/);
    expect(detail.evidence.filter((row) => row.origin === 'expansion')).toHaveLength(0);

    detail = await t.store.investigations.approveExpansions('inv_1', 'alice', now());
    expect(detail.status).toBe('running');
    await run();
    detail = (await t.store.investigations.get('inv_1'))!;
    const added = detail.evidence.filter((row) => row.origin === 'expansion' && row.type === 'device');
    expect(added.map((row) => row.key).sort()).toEqual(
      hosts
        .slice(1)
        .map((host) => `device:${host}.corp.example`)
        .sort(),
    );
    expect(detail.log.some((entry) => entry.step === 'approveExpansion' && /alice/.test(entry.result))).toBe(
      true,
    );
  });

  it('fences a worker whose claim was taken over: its step writes nothing', async () => {
    await seed(t, ['solo']);
    await runUntilIdle(t.store, { correlation: {}, playbooks, now, maxRunning: 0 });
    const first = await t.store.investigations.claim('w1', now(), 1000, 10);
    expect(first?.status).toBe('running');
    // Nobody else gets it while w1's lease holds; after it lapses, w2 does.
    expect(await t.store.investigations.claim('w2', now(), 1000, 10)).toBeUndefined();
    const later = new Date(now().getTime() + 5000);
    expect((await t.store.investigations.claim('w2', later, 1000, 10))?.id).toBe(first?.id);
    const commit = {
      step: 'collect',
      startedAt: later.getTime(),
      durationMs: 1,
      result: 'x',
      next: 'analyze',
      state: {},
      release: false,
    };
    expect(await t.store.investigations.commitStep(first!.key, 'w1', commit, later)).toBe(false);
    expect(await t.store.investigations.commitStep(first!.key, 'w2', commit, later)).toBe(true);
    expect((await t.store.investigations.get(first!.id))!.log.map((entry) => entry.worker)).toEqual(['w2']);
  });

  it('keeps investigations queued beyond the concurrency bound', async () => {
    await seed(t, ['solo']);
    await runUntilIdle(t.store, { correlation: {}, playbooks, now, maxRunning: 0 });
    expect((await t.store.investigations.get('inv_1'))!.status).toBe('queued');
    const cancelled = await t.store.investigations.cancel('inv_1', 'bob', 'duplicate', now());
    expect(cancelled.status).toBe('terminatedByUser');
    expect(cancelled.statusReason).toMatch(/bob: duplicate/);
  });
});
