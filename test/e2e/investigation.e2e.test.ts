/**
 * Investigation end to end on OTRF LSASS_campaign_01 (host MKT01: a payload downloaded with Edge opens LSASS,
 * injects into svchost and calls back to 10.0.5.13), through the `autoir` command as a user runs it: ingest, then
 * `run --until-idle`. Nothing here names a path or hash to the engine; the test only reads what it concluded.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lsassCampaign01 } from '../helpers/shared-data.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');
const PAYLOAD = 'file:sha256:e9196b871670af6307902fc4ca09f7cf3c309ae54b28e10d052ed8741090f928';

let base: string;
const dirs: string[] = [];
beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'autoir-e2e-investigate-'));
  dirs.push(base);
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => ({
  ...process.env,
  AUTOIR_DATABASE_URL: '',
  AUTOIR_DATA: '',
  AUTOIR_RULES: '',
  ...extra,
});

function autoir(data: string, args: string[], extra: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, '--data', data, ...args], {
    encoding: 'utf8',
    env: env(extra),
    maxBuffer: 64 << 20,
  });
}

interface Evidence {
  type: string;
  key: string;
  aliases: string[];
  label: string;
  verdict: string;
  roles: string[];
  findings: { analyzer: string; weight: number; text: string }[];
}
interface Investigation {
  id: string;
  incidentId: string;
  status: string;
  playbook: string;
  evidence: Evidence[];
  actions: { type: string; targetKey: string; status: string }[];
  log: { step: string; durationMs: number; waitedAs: string | null }[];
}

function show(data: string, id: string): Investigation {
  const run = autoir(data, ['investigations', 'show', id, '--json']);
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Investigation;
}

const imageName = (evidence: Evidence) =>
  ((evidence as unknown as { key: string }).key.match(/[^\\]+$/)?.[0] ?? '').toLowerCase();

describe('LSASS_campaign_01: ingest, then run --until-idle', () => {
  let investigation: Investigation;
  let copy: string;
  beforeAll(() => {
    const ingest = autoir(base, ['ingest', lsassCampaign01, '--json']);
    expect(ingest.status, ingest.stderr).toBe(0);
    // A copy taken before investigations run, for the interrupted run below.
    copy = mkdtempSync(path.join(os.tmpdir(), 'autoir-e2e-investigate-copy-'));
    dirs.push(copy);
    cpSync(base, copy, { recursive: true });
    const run = autoir(base, ['run', '--until-idle', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const list = JSON.parse(autoir(base, ['investigations', 'list', '--json']).stdout) as { id: string }[];
    expect(list).toHaveLength(1);
    investigation = show(base, (list[0] as { id: string }).id);
  }, 240_000);

  const evidence = (key: string) => {
    const found = investigation.evidence.find((row) => row.key === key);
    expect(found, `${key} is evidence`).toBeDefined();
    return found as Evidence;
  };

  it('runs one investigation for the MKT01 incident, with the credential-access playbook', () => {
    expect(investigation.incidentId).toMatch(/^inc_\d+$/);
    expect(investigation.playbook).toBe('credentialAccess');
    expect(['pendingApproval', 'remediated', 'partiallyInvestigated']).toContain(investigation.status);
    expect(investigation.log.map((entry) => entry.step)).toEqual(
      expect.arrayContaining(['collect', 'analyze', 'decide', 'expand', 'propose', 'conclude']),
    );
    expect(investigation.log[0]?.waitedAs).toBe('queued');
  });

  it('finds the payload malicious, with the findings that say why', () => {
    const payload = evidence(PAYLOAD);
    expect(payload.verdict).toBe('malicious');
    expect(
      payload.findings.some((finding) => finding.weight > 0 && /winx64_payload/.test(finding.text)),
    ).toBe(true);
  });

  it('finds 10.0.5.13 a command-and-control address', () => {
    const c2 = evidence('ip:10.0.5.13');
    expect(['malicious', 'suspicious']).toContain(c2.verdict);
    expect(c2.roles).toContain('commandAndControl');
  });

  it('finds MKT01 compromised', () => {
    const device = evidence('device:mkt01.pandalab.com');
    expect(device.roles).toContain('compromised');
    expect(device.verdict).toBe('malicious');
  });

  it("judges the payload's processes malicious", () => {
    const processes = investigation.evidence.filter(
      (row) =>
        row.type === 'process' &&
        /winx64_payload\.exe/i.test(
          JSON.stringify((row as unknown as { key: string }).key) + row.findings.map((f) => f.text).join(),
        ) &&
        row.findings.some((f) => f.analyzer === 'processLineage' && /Downloads/.test(f.text)),
    );
    expect(processes.length).toBeGreaterThanOrEqual(2);
    for (const process of processes) expect(process.verdict, process.key).toBe('malicious');
  });

  it('does not call LSASS, VBoxService or other system binaries malicious', () => {
    const system = investigation.evidence.filter(
      (row) => row.type === 'file' && /\\windows\\system32\\[^\\]+$/i.test(row.key),
    );
    expect(system.some((row) => imageName(row) === 'lsass.exe')).toBe(true);
    for (const row of system) expect(row.verdict, row.key).not.toBe('malicious');
    for (const row of investigation.evidence.filter((r) => /lsass\.exe|vboxservice\.exe/i.test(r.key)))
      expect(row.verdict, row.key).not.toBe('malicious');
  });

  it('makes each process one piece of evidence, with its other keys as aliases, and proposes one kill each', () => {
    const processes = investigation.evidence.filter((row) => row.type === 'process');
    const keys = new Set(investigation.evidence.map((row) => row.key));
    // A process the Security log names by pid and Sysmon by GUID is one row: the pid key is its alias.
    const payload = processes.filter((row) => /winx64_payload\.exe \(pid 1988\)/.test(row.label));
    expect(payload).toHaveLength(1);
    expect(payload[0]?.key).toMatch(/^process:mkt01\.pandalab\.com:[0-9a-f-]{36}$/);
    expect(payload[0]?.aliases).toContain('process:mkt01.pandalab.com:1988');
    for (const row of investigation.evidence)
      for (const alias of row.aliases)
        expect(keys.has(alias), `${alias} is no evidence of its own`).toBe(false);
    // No process is left under its pid key beside its GUID key (pids are reused: two GUIDs may share a label).
    const guidKey = /:[0-9a-f-]{36}$/;
    const byGuid = new Set(processes.filter((row) => guidKey.test(row.key)).map((row) => row.label));
    for (const row of processes.filter((r) => !guidKey.test(r.key)))
      expect(byGuid.has(row.label), `${row.key} is also evidence under a GUID`).toBe(false);
    const kills = investigation.actions.filter((action) => action.type === 'killProcess');
    expect(kills.length).toBeGreaterThan(0);
    const killed = kills.map(
      (action) => investigation.evidence.find((row) => row.key === action.targetKey)?.label,
    );
    expect(new Set(killed).size, killed.join('; ')).toBe(kills.length);
    // No relation points at itself through an alias ("the same process as …" is gone).
    for (const row of processes)
      expect(
        row.findings.some((finding) => /the same process as/.test(finding.text)),
        row.key,
      ).toBe(false);
  });

  it('gives every verdict other than unknown at least one finding', () => {
    for (const row of investigation.evidence)
      if (row.verdict !== 'unknown') expect(row.findings.length, row.key).toBeGreaterThan(0);
  });

  it('proposes remediation for the incriminated evidence', () => {
    const proposed = investigation.actions.map((action) => `${action.type} ${action.targetKey}`);
    expect(proposed).toContain(`quarantineFile ${PAYLOAD}`);
    expect(proposed).toContain('isolateDevice device:mkt01.pandalab.com');
    expect(proposed).toContain('blockIp ip:10.0.5.13');
  });

  it('lets an allow indicator clear the payload, and a block indicator condemn a benign file — both as findings', () => {
    const benign = investigation.evidence.find(
      (row) => row.type === 'file' && row.key.startsWith('file:sha256:') && row.verdict === 'noThreatsFound',
    );
    expect(benign, 'a benign file with a hash').toBeDefined();
    expect(autoir(base, ['indicators', 'add', 'allow', PAYLOAD, '--title', 'lab tool']).status).toBe(0);
    expect(autoir(base, ['indicators', 'add', 'block', (benign as Evidence).key]).status).toBe(0);
    const started = autoir(base, [
      'investigations',
      'start',
      investigation.incidentId,
      '--comment',
      'recheck',
      '--json',
    ]);
    expect(started.status, started.stderr).toBe(0);
    const { id } = JSON.parse(started.stdout) as { id: string };
    expect(autoir(base, ['run', '--until-idle']).status).toBe(0);
    const again = show(base, id);
    const payload = again.evidence.find((row) => row.key === PAYLOAD) as Evidence;
    expect(payload.verdict).not.toBe('malicious');
    expect(payload.findings.some((f) => f.analyzer === 'indicators' && /allow list/.test(f.text))).toBe(true);
    const condemned = again.evidence.find((row) => row.key === (benign as Evidence).key) as Evidence;
    expect(condemned.verdict).toBe('malicious');
    expect(condemned.findings.some((f) => f.analyzer === 'indicators' && /block list/.test(f.text))).toBe(
      true,
    );
  }, 120_000);

  it('finishes an investigation killed mid-way with the same verdicts', async () => {
    const extra = { AUTOIR_ANALYZE_BATCH: '5' };
    // The same data investigated without interruption, with the same step size.
    const reference = mkdtempSync(path.join(os.tmpdir(), 'autoir-e2e-investigate-ref-'));
    dirs.push(reference);
    cpSync(copy, reference, { recursive: true });
    expect(autoir(reference, ['run', '--until-idle'], extra).status).toBe(0);
    const expected = show(reference, 'inv_1');

    const child = spawn(process.execPath, [bin, '--data', copy, 'run', '--until-idle'], {
      env: env(extra),
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const db = new Database(path.join(copy, 'autoir.db'), { readonly: true, fileMustExist: true });
    let steps = 0;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      try {
        steps = (
          db.prepare("select count(*) as n from investigation_log where step = 'analyze'").get() as {
            n: number;
          }
        ).n;
      } catch {
        steps = 0; // the table is created by the child's first migration
      }
      if (steps >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill('SIGKILL');
    await exited;
    const status = db.prepare('select status, step from investigations where id = 1').get() as {
      status: string;
      step: string;
    };
    db.close();
    expect(steps, 'the child got two analyze steps in before it was killed').toBeGreaterThanOrEqual(2);
    expect(status.status, 'killed while running').toBe('running');

    const resumed = autoir(copy, ['run', '--until-idle', '--json'], extra);
    expect(resumed.status, resumed.stderr).toBe(0);
    const finished = show(copy, 'inv_1');
    expect(finished.status).toBe(expected.status);
    const verdicts = (inv: Investigation) =>
      Object.fromEntries(
        inv.evidence.map((row) => [row.key, `${row.verdict} ${[...row.roles].sort().join(',')}`]),
      );
    expect(verdicts(finished)).toEqual(verdicts(expected));
    // Each step after the kill ran once more at most: the log shows the takeover, not a rerun from the start.
    expect(finished.log.filter((entry) => entry.step === 'collect')).toHaveLength(1);
  }, 240_000);
});
