/**
 * Detection end to end with the built `autoir`, on OTRF LSASS_campaign_01. The expectations come from the data
 * and the campaign's transcript (test/fixtures/otrf/_metadata/LSASS_campaign_01.yaml): the Metasploit payload
 * C:\Users\stevie.marie\Downloads\winx64_payload.exe opened LSASS (Sysmon 10, Security 4656) and its shells ran
 * systeminfo, whoami and tasklist; VBoxService.exe, the VirtualBox guest service, reads LSASS all along.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lsassCampaign01, shippedSigmaRules, sigmaRegression } from '../helpers/shared-data.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');
const PAYLOAD = 'C:\\Users\\stevie.marie\\Downloads\\winx64_payload.exe';

let data: string;
beforeAll(() => {
  data = mkdtempSync(path.join(os.tmpdir(), 'autoir-e2e-detect-'));
});
afterAll(() => rmSync(data, { recursive: true, force: true }));

function autoir(args: string[], dir = data) {
  const env = { ...process.env, AUTOIR_DATABASE_URL: '', AUTOIR_DATA: '', AUTOIR_RULES: '' };
  return spawnSync(process.execPath, [bin, '--data', dir, ...args], {
    encoding: 'utf8',
    env,
    maxBuffer: 64 << 20,
  });
}

interface Entity {
  type: string;
  key: string;
  path?: string;
  imagePath?: string;
  parentKey?: string;
}
interface Alert {
  title: string;
  severity: string;
  source: string;
  detector: string;
  description: string;
  eventCount: number;
  entities: Entity[];
}

const isFile = (entity: Entity, name: string) =>
  entity.type === 'file' && (entity.path ?? '').toLowerCase().endsWith(name.toLowerCase());

describe('LSASS_campaign_01: ingest, then the alerts of the bundled rules', () => {
  let alerts: Alert[];
  let payloadProcess: string;
  beforeAll(() => {
    const run = autoir(['ingest', lsassCampaign01, '--json']);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ errorCount: 0, detections: expect.any(Number) });
    alerts = JSON.parse(autoir(['alerts', 'list', '--limit', '1000', '--json']).stdout) as Alert[];
    // The payload's process, from the data: its Sysmon process start.
    const start = JSON.parse(
      autoir([
        'events',
        'search',
        '--sha256',
        'e9196b871670af6307902fc4ca09f7cf3c309ae54b28e10d052ed8741090f928',
        '--kind',
        'processStart',
        '--json',
      ]).stdout,
    ) as { processKey: string }[];
    payloadProcess = start[0]!.processKey;
  }, 180_000);

  it("raises an alert on the payload's access to lsass.exe, naming the payload's file and process", () => {
    const access = alerts.filter(
      (alert) =>
        alert.entities.some((entity) => isFile(entity, 'lsass.exe')) &&
        alert.entities.some((entity) => isFile(entity, PAYLOAD)) &&
        alert.entities.some((entity) => entity.key === payloadProcess),
    );
    expect(access.length).toBeGreaterThan(0);
    expect(access.some((alert) => ['high', 'critical'].includes(alert.severity))).toBe(true);
    expect(access.every((alert) => alert.source === 'sigma' && alert.detector.startsWith('sigma:'))).toBe(
      true,
    );
  });

  it("raises alerts on the payload's shells and what they ran: cmd, systeminfo, whoami, tasklist", () => {
    const byImage = (name: string) =>
      alerts.filter((alert) =>
        alert.entities.some(
          (entity) =>
            entity.type === 'process' && (entity.imagePath ?? '').toLowerCase().endsWith(`\\${name}`),
        ),
      );
    const shells = byImage('cmd.exe').filter((alert) =>
      alert.entities.some((entity) => entity.type === 'process' && entity.key === payloadProcess),
    );
    expect(shells.length, 'a shell whose parent is the payload').toBeGreaterThan(0);
    for (const name of ['systeminfo.exe', 'whoami.exe', 'tasklist.exe'])
      expect(byImage(name).length, name).toBeGreaterThan(0);
  });

  it("raises nothing high or critical on VBoxService.exe's accesses to LSASS", () => {
    const vbox = alerts.filter((alert) =>
      alert.entities.some((entity) => isFile(entity, '\\VBoxService.exe')),
    );
    expect(vbox.filter((alert) => ['high', 'critical'].includes(alert.severity))).toEqual([]);
  });

  it('merges repeated matches of one rule on one process into one alert with a count, and credits the rule', () => {
    const access = alerts.find(
      (alert) => alert.title === 'LSASS Opened By A Program In A User-Writable Folder',
    );
    expect(access?.eventCount).toBe(4); // the payload opened LSASS four times (Sysmon 10, GrantedAccess 0x1000/0x1400/0x1410)
    const sigmaHq = alerts.find((alert) => /SigmaHQ, Detection Rule License 1\.1/.test(alert.description));
    expect(sigmaHq).toBeDefined();
  });
});

describe('autoir detect and the rules commands', () => {
  it('runs the rules again over stored events: the same alerts, none twice', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-e2e-detect-'));
    try {
      const sample = path.join(root, 'test/fixtures/events/otrf/lsass_campaign_01_sample.ndjson');
      expect(JSON.parse(autoir(['ingest', sample, '--no-detect', '--json'], dir).stdout)).toMatchObject({
        alerts: 0,
        events: 15,
      });
      const first = JSON.parse(autoir(['detect', '--json'], dir).stdout) as {
        created: number;
        detections: number;
      };
      expect(first.created).toBeGreaterThan(0);
      const again = JSON.parse(autoir(['detect', '--json'], dir).stdout) as {
        created: number;
        updated: number;
      };
      expect(again).toMatchObject({ created: 0, updated: first.created });
      expect(autoir(['detect', '--since', 'yesterday'], dir).status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs SigmaHQ's regression suite: 202 of 202", () => {
    const run = autoir(['rules', 'regress', sigmaRegression, '--rules', shippedSigmaRules, '--json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { total: number; passed: number; failures: unknown[] };
    expect(report).toMatchObject({ total: 202, passed: 202, failures: [] });
  }, 60_000);

  it('lists the rules that run, and shows one with the events it runs on', () => {
    const list = JSON.parse(autoir(['rules', 'list', '--json']).stdout) as {
      id: string;
      level: string;
      state: string;
    }[];
    expect(list.length).toBeGreaterThanOrEqual(2000);
    expect(list.every((rule) => rule.state === 'runs' && rule.level !== 'informational')).toBe(true);
    const all = JSON.parse(autoir(['rules', 'list', '--all', '--json']).stdout) as { state: string }[];
    expect(all.some((rule) => rule.state.startsWith('filtered out'))).toBe(true);
    const shown = JSON.parse(
      autoir(['rules', 'show', 'bc59f42c-0f30-4df3-80e4-a4779ecd7c3d', '--json']).stdout,
    ) as {
      title: string;
      runsOn: { events: string[] };
    };
    expect(shown).toMatchObject({
      title: 'LSASS Opened By A Program In A User-Writable Folder',
      runsOn: { events: ['microsoft-windows-sysmon/operational|10'] },
    });
    expect(autoir(['rules', 'show', 'no-such-rule']).status).toBe(2);
  });

  it('tests one rule on an event file, and names the file and field of a broken rule', () => {
    const event = path.join(data, 'tasklist.json');
    writeFileSync(
      event,
      JSON.stringify({
        Event: {
          System: {
            Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } },
            EventID: 1,
            Channel: 'Microsoft-Windows-Sysmon/Operational',
            Computer: 'ws1',
            TimeCreated: { '#attributes': { SystemTime: '2024-01-01T00:00:00Z' } },
          },
          EventData: {
            Image: 'C:\\Windows\\System32\\tasklist.exe',
            CommandLine: 'tasklist /fi "USERNAME eq NT AUTHORITY\\SYSTEM"',
          },
        },
      }),
    );
    const rule = path.join(root, 'rules/autoir/windows/proc_creation_win_tasklist_system_processes.yml');
    const tested = JSON.parse(autoir(['rules', 'test', rule, '--event', event, '--json']).stdout) as {
      events: { matched: boolean }[];
    };
    expect(tested.events).toEqual([expect.objectContaining({ matched: true, inScope: true })]);

    const broken = path.join(data, 'broken.yml');
    writeFileSync(
      broken,
      readFileSync(rule, 'utf8').replace(
        "CommandLine|contains|windash: '-fi'",
        "CommandLine|containz: '-fi'",
      ),
    );
    const refused = autoir(['rules', 'test', broken, '--event', event]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(broken);
    expect(refused.stderr).toMatch(
      /detection\.selection_filter: CommandLine\|containz: unknown modifier \|containz/,
    );
    const listed = JSON.parse(autoir(['rules', 'stats', '--rules', broken, '--json']).stdout) as {
      runs: number;
      errors: number;
      problems: { file: string }[];
    };
    expect(listed.runs).toBeGreaterThanOrEqual(2000);
    expect(listed.errors).toBe(1);
    expect(listed.problems.map((problem) => problem.file)).toEqual([broken]);
  });
});
