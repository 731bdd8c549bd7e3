/**
 * The response stage over a real store (SQLite and PostgreSQL) with a real `command` connector (a script that
 * records each request): planning per policy, approval, expiry with an injected clock, retries, unreachable
 * targets, guardrails — and the investigation and its evidence following each action.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { draftAlert } from '../../test/helpers/alerts.js';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { parseConnectorConfig } from '../connectors/config.js';
import { connectorEntry } from '../app/connectors.js';
import { publicOnly } from '../connectors/outbound.js';
import { type Entity } from '../domain/entity.js';
import { loadPlaybooks } from '../investigate/playbooks.js';
import { runUntilIdle } from '../worker/worker.js';
import { decideActions } from './action-center.js';
import { writeAlerts } from '../ingest/prepare-alert.js';
import { createDevice, createFile, createProcess } from '../domain/entity-builders.js';

const HASH = 'cd'.repeat(32);
const IMAGE = 'C:\\Users\\kim\\Downloads\\invoice_viewer.exe';
const HOST = 'ws1.corp.example';
const playbooks = loadPlaybooks();
const DAY = 86_400_000;

let dir: string;
let script: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-respond-'));
  script = path.join(dir, 'respond.mjs');
  // Records each request; answers as the mode file says (succeed, tempfail, unavailable).
  writeFileSync(
    script,
    `#!/usr/bin/env node
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const dir = ${JSON.stringify(dir)};
  appendFileSync(dir + '/requests.ndjson', input.trim() + '\\n');
  const mode = existsSync(dir + '/mode') ? readFileSync(dir + '/mode', 'utf8').trim() : 'succeed';
  if (mode === 'tempfail') process.exit(75);
  if (mode === 'unavailable') { console.error('host unreachable'); process.exit(69); }
  console.log(JSON.stringify({ status: 'succeeded', message: 'done', details: { by: 'script' } }));
});
`,
  );
  chmodSync(script, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const requests = () =>
  existsSync(path.join(dir, 'requests.ndjson'))
    ? readFileSync(path.join(dir, 'requests.ndjson'), 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map(
          (line) => JSON.parse(line) as { id: string; type: string; idempotencyKey: string; attempt: number },
        )
    : [];

const connectors = async () => [
  connectorEntry(
    parseConnectorConfig(
      { name: 'script', kind: 'command', timeout: '20s', settings: { command: script } },
      'test',
    ),
    { outbound: publicOnly },
  ),
];

async function seed(t: TestStore, at: Date): Promise<void> {
  const file = createFile({ sha256: HASH, path: IMAGE, device: HOST }) as Entity;
  const process = createProcess({
    device: HOST,
    guid: '0000bbbb-0000-0000-0001-000000000001',
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
          createdAt: new Date(at.getTime() - 60_000).toISOString(),
          entities: [createDevice({ hostname: HOST }) as Entity, process, file],
        }),
        format: 'autoir',
      },
    ],
    at,
  );
  // The payload is on the block list: malicious for certain, whatever else the analyzers see.
  await t.store.investigations.addIndicators(
    [
      {
        entityKey: `file:sha256:${HASH}`,
        action: 'block',
        title: 'ransomware',
        source: 'test',
        sourceRef: 'r1',
      },
    ],
    'test',
    at,
  );
}

describe.each(backends)('response stage on %s', (backend) => {
  let t: TestStore;
  let clock: Date;
  const now = () => clock;
  const run = () => runUntilIdle(t.store, { correlation: {}, playbooks, now, connectors });

  beforeEach(async () => {
    t = await createTestStore(backend);
    clock = new Date('2026-03-01T12:00:00.000Z');
    rmSync(path.join(dir, 'requests.ndjson'), { force: true });
    rmSync(path.join(dir, 'mode'), { force: true });
    await seed(t, clock);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('leaves every action waiting for approval under the default policy, each with the rule that decided', async () => {
    const summary = await run();
    expect(summary.actions.planned).toBeGreaterThan(0);
    expect(summary.actions.approvedByPolicy).toBe(0);
    const detail = (await t.store.investigations.get('inv_1'))!;
    expect(detail.status).toBe('pendingApproval');
    expect(detail.statusReason).toMatch(/^actions waiting: \d+ pendingApproval$/);
    const quarantine = detail.actions.find((a) => a.type === 'quarantineFile')!;
    expect(quarantine).toMatchObject({
      status: 'pendingApproval',
      deviceKey: `device:${HOST}`,
      decisionRule: 'device group "Default" (semiAll): every action waits for approval',
    });
    expect(detail.evidence.find((e) => e.key === `file:sha256:${HASH}`)?.remediationStatus).toBe(
      'pendingApproval',
    );
    expect(requests()).toEqual([]);
  });

  it('runs approved actions through the connector and ends remediated, resolving the alerts', async () => {
    await run();
    const pending = (await t.store.actions.list({ statuses: ['pendingApproval'] }, { limit: 100 })).items;
    for (const type of new Set(pending.map((a) => a.type)))
      await decideActions(
        t.store,
        pending.filter((a) => a.type === type).map((a) => a.id),
        'approve',
        'cli:alice',
        'go',
        clock,
      );
    const summary = await run();
    expect(summary.actions.succeeded).toBe(pending.length);
    const sent = requests();
    expect(sent.map((r) => r.id).sort()).toEqual(pending.map((a) => a.id).sort());
    expect(new Set(sent.map((r) => r.idempotencyKey)).size).toBe(pending.length);
    const detail = (await t.store.investigations.get('inv_1'))!;
    expect(detail.status).toBe('remediated');
    expect(detail.evidence.find((e) => e.key === `file:sha256:${HASH}`)?.remediationStatus).toBe(
      'remediated',
    );
    const action = (await t.store.actions.get(pending[0]!.id))!;
    expect(action).toMatchObject({
      status: 'succeeded',
      decidedBy: 'cli:alice',
      comment: 'go',
      connector: 'script',
    });
    expect(action.resultDetails).toEqual({ by: 'script' });
    const alerts = await t.store.investigations.alertsOf(detail.key);
    expect(alerts.every((alert) => alert.status === 'resolved')).toBe(true);
  });

  it('under full runs actions for malicious device evidence at once, and lets the rest wait', async () => {
    await t.store.policy.putGroup({ kind: 'device', name: 'Default', level: 'full' }, 'test', clock);
    const summary = await run();
    expect(summary.actions.approvedByPolicy).toBeGreaterThan(0);
    const all = (await t.store.actions.list({}, { limit: 100 })).items;
    const quarantine = all.find((a) => a.type === 'quarantineFile')!;
    expect(quarantine).toMatchObject({ status: 'succeeded', decidedBy: 'policy', verdict: 'malicious' });
    expect(quarantine.decisionRule).toBe('device group "Default" (full): remediate automatically');
    for (const action of all) {
      if (action.verdict === 'suspicious') expect(action.status).toBe('pendingApproval');
      if (action.group?.kind === 'user') expect(action.status).toBe('pendingApproval');
      if (action.status === 'succeeded') expect(action.decidedBy).toBe('policy');
    }
    expect(requests().length).toBe(all.filter((a) => a.status === 'succeeded').length);
  });

  it('never acts automatically on a protected device, even under full', async () => {
    await t.store.policy.putGroup({ kind: 'device', name: 'Default', level: 'full' }, 'test', clock);
    await t.store.policy.addTag(`device:${HOST}`, 'domainController', 'test', clock);
    await run();
    const all = (await t.store.actions.list({}, { limit: 100 })).items;
    const onDevice = all.filter((a) => a.deviceKey === `device:${HOST}`);
    expect(onDevice.length).toBeGreaterThan(0);
    for (const action of onDevice) {
      expect(action.status).toBe('pendingApproval');
      expect(action.decisionRule).toBe('guardrail: tagged domainController, never acted on automatically');
    }
    expect(requests()).toEqual([]);
  });

  it('expires actions nobody decided within 7 days; the investigation reflects the rejection', async () => {
    await run();
    const count = await t.store.actions.count({ statuses: ['pendingApproval'] });
    clock = new Date(clock.getTime() + 7 * DAY - 60_000);
    expect((await run()).actions.expired).toBe(0);
    clock = new Date(clock.getTime() + 120_000);
    expect((await run()).actions.expired).toBe(count);
    const expired = (await t.store.actions.list({ statuses: ['expired'] }, { limit: 100 })).items;
    expect(expired).toHaveLength(count);
    expect(expired[0]?.decidedBy).toBe('policy:expiry');
    const detail = (await t.store.investigations.get('inv_1'))!;
    expect(detail.status).toBe('partiallyInvestigated');
    expect(detail.statusReason).toBe(`remediation declined: ${count} expired`);
    expect(detail.evidence.find((e) => e.key === `file:sha256:${HASH}`)?.remediationStatus).toBe('declined');
    expect(detail.log.at(-1)?.waitedAs).toBe('pendingApproval');
  });

  it('retries a temporary failure with backoff and the same idempotency key', async () => {
    await t.store.policy.putGroup({ kind: 'device', name: 'Default', level: 'full' }, 'test', clock);
    await t.store.policy.setSetting(
      'policy',
      { execution: { backoff: '10s', maxAttempts: 3 } },
      'test',
      clock,
    );
    writeFileSync(path.join(dir, 'mode'), 'tempfail');
    await run();
    const quarantine = (await t.store.actions.list({ types: ['quarantineFile'] }, { limit: 1 })).items[0]!;
    expect(quarantine).toMatchObject({ status: 'queued', attempts: 1 });
    expect(quarantine.nextAttemptAt).toBe(new Date(clock.getTime() + 10_000).toISOString());
    writeFileSync(path.join(dir, 'mode'), 'succeed');
    await run(); // not due yet
    expect((await t.store.actions.get(quarantine.id))?.attempts).toBe(1);
    clock = new Date(clock.getTime() + 10_000);
    await run();
    const done = (await t.store.actions.get(quarantine.id))!;
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2 });
    const keys = requests()
      .filter((r) => r.id === quarantine.id)
      .map((r) => [r.idempotencyKey, r.attempt]);
    expect(keys).toEqual([
      [quarantine.idempotencyKey, 1],
      [quarantine.idempotencyKey, 2],
    ]);
  });

  it('waits as pendingResource for an unreachable target, and gives up after 3 days', async () => {
    await t.store.policy.putGroup({ kind: 'device', name: 'Default', level: 'full' }, 'test', clock);
    writeFileSync(path.join(dir, 'mode'), 'unavailable');
    await run();
    const quarantine = (await t.store.actions.list({ types: ['quarantineFile'] }, { limit: 1 })).items[0]!;
    expect(quarantine.status).toBe('pendingResource');
    expect(quarantine.resultMessage).toMatch(/host unreachable/);
    clock = new Date(clock.getTime() + DAY);
    await run();
    expect((await t.store.actions.get(quarantine.id))?.status).toBe('pendingResource');
    clock = new Date(clock.getTime() + 3 * DAY);
    await run();
    const failed = (await t.store.actions.get(quarantine.id))!;
    expect(failed.status).toBe('failed');
    expect(failed.resultMessage).toMatch(/^unreachable since 2026-03-01T12:00:00.000Z, gave up/);
  });

  it('resumes the investigation when its last actions finish at the same moment', async () => {
    await run();
    const pending = (await t.store.actions.list({ statuses: ['pendingApproval'] }, { limit: 100 })).items;
    for (const type of new Set(pending.map((a) => a.type)))
      await t.store.actions.decide(
        pending.filter((a) => a.type === type).map((a) => a.id),
        'approve',
        'cli:alice',
        null,
        clock,
      );
    const claimed = await t.store.actions.claim('w1', clock, 60_000, 100);
    expect(claimed).toHaveLength(pending.length);
    // Every result committed at once (separate connections on PostgreSQL): none may leave the investigation
    // waiting for actions that are all done.
    await Promise.all(
      claimed.map((action) =>
        t.store.actions.finishAttempt(action.key, 'w1', 'c', { status: 'succeeded' }, clock),
      ),
    );
    const detail = (await t.store.investigations.get('inv_1'))!;
    // Evidence is collected only from a device with an agent: here none, so that proposal is not planned.
    const [collect, ...others] = [...detail.actions].sort(
      (a, b) =>
        Number(b.type === 'collectInvestigationPackage') - Number(a.type === 'collectInvestigationPackage'),
    );
    expect(collect).toMatchObject({ type: 'collectInvestigationPackage', status: 'skipped' });
    expect(collect?.decisionRule).toMatch(/no agent on device:/);
    expect(others.every((a) => a.status === 'succeeded')).toBe(true);
    expect(detail.status).toBe('running');
    expect(detail.step).toBe('conclude');
    await run();
    expect((await t.store.investigations.get('inv_1'))?.status).toBe('remediated');
  });

  it('fences an executor whose claim was taken over: its result is not written', async () => {
    await run();
    const [pending] = (await t.store.actions.list({ statuses: ['pendingApproval'] }, { limit: 1 })).items;
    await t.store.actions.decide([pending!.id], 'approve', 'cli:alice', null, clock);
    const [claimed] = await t.store.actions.claim('w1', clock, 1000, 1);
    expect(claimed?.id).toBe(pending!.id);
    expect(await t.store.actions.claim('w2', clock, 1000, 1)).toEqual([]);
    const later = new Date(clock.getTime() + 5000);
    expect((await t.store.actions.claim('w2', later, 1000, 1))[0]?.attempts).toBe(2);
    expect(
      await t.store.actions.finishAttempt(claimed!.key, 'w1', null, { status: 'succeeded' }, later),
    ).toBe(false);
    expect(
      await t.store.actions.finishAttempt(claimed!.key, 'w2', null, { status: 'succeeded' }, later),
    ).toBe(true);
    const history = await t.store.actions.history(pending!.id);
    expect(history.map((h) => `${h.from ?? '·'}>${h.to}`)).toEqual([
      '·>pendingApproval',
      'pendingApproval>pendingApproval',
      'pendingApproval>approved',
      'approved>queued',
      'queued>running',
      'running>running',
      'running>succeeded',
    ]);
  });
});
