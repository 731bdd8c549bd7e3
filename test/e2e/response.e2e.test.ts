/**
 * Response end to end on OTRF LSASS_campaign_01, through the `autoir` command as a user runs it: the default
 * policy leaves every proposed action pending; `actions approve --all` sends them through a `command` connector
 * whose script records each request; the investigation ends remediated. Under `full`, actions for malicious
 * device evidence run without approval and those for suspicious evidence wait. Undo runs the inverse action.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lsassCampaign01 } from '../helpers/shared-data.js';
import { createRecorder, type Recorder } from '../helpers/recorder.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');
const PAYLOAD = 'file:sha256:e9196b871670af6307902fc4ca09f7cf3c309ae54b28e10d052ed8741090f928';
const MKT01 = 'device:mkt01.pandalab.com';
const PEDRO = 'user:pandalab\\pedro.gustavo';

let base: string;
let ingested: string;
let connectors: string;
let recorder: Recorder;
const recorded = () => path.join(base, 'requests.ndjson');

interface Action {
  id: string;
  type: string;
  targetKey: string;
  deviceKey: string | null;
  status: string;
  verdict: string | null;
  decidedBy: string | null;
  decisionRule: string | null;
  idempotencyKey: string;
  undoOf: string | null;
  undoneBy: string | null;
  group: { kind: string; name: string } | null;
}
interface Request {
  id: string;
  type: string;
  targetKey: string;
  deviceKey: string | null;
  idempotencyKey: string;
  undoOf: string | null;
  parameters: Record<string, unknown>;
}

function autoir(data: string, args: string[]) {
  const result = spawnSync(process.execPath, [bin, '--data', data, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      AUTOIR_DATABASE_URL: '',
      AUTOIR_DATA: '',
      AUTOIR_RULES: '',
      AUTOIR_CONNECTORS: connectors,
      USER: 'alice',
    },
    maxBuffer: 64 << 20,
  });
  return { ...result, json: <T>() => JSON.parse(result.stdout) as T };
}

const requests = (): Request[] => recorder.requests<Request>();
const actions = (data: string, ...args: string[]) =>
  autoir(data, ['actions', 'list', '--limit', '1000', '--json', ...args]).json<{ items: Action[] }>().items;

beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'autoir-e2e-respond-'));
  recorder = createRecorder(base);
  connectors = recorder.connectors;
  ingested = path.join(base, 'ingested');
  const ingest = autoir(ingested, ['ingest', lsassCampaign01, '--json']);
  expect(ingest.status, ingest.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A copy of the ingested store, for a test of its own. */
function copyOfIngested(name: string): string {
  const data = path.join(base, name);
  cpSync(ingested, data, { recursive: true });
  return data;
}

describe('response on LSASS_campaign_01', () => {
  it('waits for approval under the default policy, then runs every approved action and ends remediated', () => {
    const data = copyOfIngested('default');
    expect(autoir(data, ['run', '--until-idle']).status).toBe(0);
    const pending = actions(data);
    expect(pending.length).toBeGreaterThanOrEqual(10);
    expect(pending.every((a) => a.status === 'pendingApproval')).toBe(true);
    expect(pending.every((a) => /semiAll|suspicious/.test(a.decisionRule ?? ''))).toBe(true);
    expect(pending.map((a) => a.type)).toEqual(expect.arrayContaining(['isolateDevice', 'quarantineFile']));
    expect(pending.find((a) => a.targetKey === PAYLOAD)).toMatchObject({
      deviceKey: MKT01,
      verdict: 'malicious',
    });
    expect(requests()).toEqual([]);
    let investigation = autoir(data, ['investigations', 'show', 'inv_1', '--json']).json<{
      status: string;
      evidence: { key: string; remediationStatus: string }[];
    }>();
    expect(investigation.status).toBe('pendingApproval');
    expect(investigation.evidence.find((e) => e.key === PAYLOAD)?.remediationStatus).toBe('pendingApproval');

    const approved = autoir(data, ['actions', 'approve', '--all', '--comment', 'ok', '--json']);
    expect(approved.status, approved.stderr).toBe(0);
    expect(approved.json<Action[]>().map((a) => a.status)).toEqual(pending.map(() => 'queued'));
    expect(autoir(data, ['run', '--until-idle']).status).toBe(0);

    const sent = requests();
    expect(sent.map((r) => r.id).sort()).toEqual(pending.map((a) => a.id).sort());
    for (const action of pending) {
      const request = sent.find((r) => r.id === action.id)!;
      expect(request).toMatchObject({
        type: action.type,
        targetKey: action.targetKey,
        deviceKey: action.deviceKey,
      });
      expect(request.idempotencyKey).toBe(action.idempotencyKey);
    }
    const done = actions(data);
    expect(done.every((a) => a.status === 'succeeded' && a.decidedBy === 'cli:alice')).toBe(true);
    investigation = autoir(data, ['investigations', 'show', 'inv_1', '--json']).json();
    expect(investigation.status).toBe('remediated');
    expect(investigation.evidence.find((e) => e.key === PAYLOAD)?.remediationStatus).toBe('remediated');
    const audit = autoir(data, [
      'audit',
      'list',
      '--operation',
      'action.approve',
      '--limit',
      '1000',
      '--json',
    ]);
    expect(audit.json<{ items: { actor: string }[] }>().items).toHaveLength(pending.length);
  });

  it('under full, runs actions for malicious device evidence without approval; suspicious ones still wait', () => {
    const data = copyOfIngested('full');
    expect(autoir(data, ['groups', 'set', 'device', 'Default', '--level', 'full']).status).toBe(0);
    rmSync(recorded(), { force: true });
    expect(autoir(data, ['run', '--until-idle']).status).toBe(0);
    const all = actions(data);
    const onDevices = all.filter((a) => a.group?.kind === 'device');
    const malicious = onDevices.filter((a) => a.verdict === 'malicious');
    const suspicious = all.filter((a) => a.verdict === 'suspicious');
    expect(malicious.map((a) => a.type)).toEqual(expect.arrayContaining(['isolateDevice', 'quarantineFile']));
    expect(suspicious.length).toBeGreaterThan(0);
    for (const action of malicious)
      expect(action).toMatchObject({
        status: 'succeeded',
        decidedBy: 'policy',
        decisionRule: 'device group "Default" (full): remediate automatically',
      });
    for (const action of suspicious) {
      expect(action.status).toBe('pendingApproval');
      expect(action.decisionRule).toMatch(/suspicious evidence wait for approval/);
    }
    expect(
      requests()
        .map((r) => r.id)
        .sort(),
    ).toEqual(
      all
        .filter((a) => a.status === 'succeeded')
        .map((a) => a.id)
        .sort(),
    );
  });

  it('refuses to kill LSASS by hand unless overridden with a reason, which the audit log keeps', () => {
    const data = copyOfIngested('override');
    const lsass = [
      'actions',
      'create',
      '--type',
      'killProcess',
      '--target',
      'process:mkt01.pandalab.com:628',
    ];
    const image = ['--image', 'C:\\Windows\\System32\\lsass.exe'];
    const refused = autoir(data, [...lsass, ...image]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/refused by a critical-asset guardrail: .*the local security authority/);
    expect(refused.stderr).toMatch(/--override|override/);
    expect(actions(data).filter((a) => a.type === 'killProcess' && /:628$/.test(a.targetKey))).toEqual([]);
    const taken = autoir(data, [
      ...lsass,
      ...image,
      '--override',
      'lab machine, rebuilt after this',
      '--json',
    ]);
    expect(taken.status, taken.stderr).toBe(0);
    expect(JSON.parse(taken.stdout).decisionRule).toMatch(/overriding the critical-asset guardrail/);
    const audit = autoir(data, ['audit', 'list', '--json']);
    expect(audit.status, audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/action\.override/);
    expect(audit.stdout).toMatch(/lab machine, rebuilt after this/);
  });

  it('undoes quarantineFile, isolateDevice and disableUser by running their inverse, and records it', () => {
    const data = copyOfIngested('undo');
    expect(autoir(data, ['groups', 'set', 'device', 'Default', '--level', 'full']).status).toBe(0);
    expect(autoir(data, ['run', '--until-idle']).status).toBe(0);
    const created = autoir(data, ['actions', 'create', '--type', 'disableUser', '--target', PEDRO, '--json']);
    expect(created.status, created.stderr).toBe(0);
    const again = autoir(data, ['actions', 'create', '--type', 'disableUser', '--target', PEDRO]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already queued: the same action is never in flight twice/);
    expect(autoir(data, ['run', '--until-idle']).status).toBe(0);
    const all = actions(data);
    const originals = [
      all.find((a) => a.type === 'quarantineFile' && a.targetKey === PAYLOAD)!,
      all.find((a) => a.type === 'isolateDevice' && a.targetKey === MKT01)!,
      all.find((a) => a.type === 'disableUser' && a.targetKey === PEDRO)!,
    ];
    expect(originals.map((a) => a.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    rmSync(recorded(), { force: true });
    const undo = autoir(data, [
      'actions',
      'undo',
      ...originals.map((a) => a.id),
      '--comment',
      'false positive',
      '--json',
    ]);
    expect(undo.status, undo.stderr).toBe(0);
    expect(undo.json<Action[]>().map((a) => [a.type, a.undoOf])).toEqual([
      ['restoreFile', originals[0]!.id],
      ['releaseDevice', originals[1]!.id],
      ['enableUser', originals[2]!.id],
    ]);
    expect(autoir(data, ['run', '--until-idle']).status).toBe(0);
    const sent = requests();
    expect(sent.map((r) => [r.type, r.targetKey, r.undoOf])).toEqual(
      expect.arrayContaining([
        ['restoreFile', PAYLOAD, originals[0]!.id],
        ['releaseDevice', MKT01, originals[1]!.id],
        ['enableUser', PEDRO, originals[2]!.id],
      ]),
    );
    expect(sent.find((r) => r.type === 'restoreFile')?.deviceKey).toBe(MKT01);
    const after = actions(data);
    for (const original of originals) {
      const now = after.find((a) => a.id === original.id)!;
      expect(now.status).toBe('undone');
      expect(after.find((a) => a.id === now.undoneBy)).toMatchObject({
        status: 'succeeded',
        undoOf: original.id,
      });
    }
    const shown = autoir(data, ['actions', 'show', originals[1]!.id]);
    expect(shown.stdout).toMatch(/succeeded → undone/);
    expect(autoir(data, ['actions', 'undo', originals[1]!.id]).stderr).toMatch(
      /only a succeeded action can be undone/,
    );
  });
});
