/**
 * Verdicts safe to automate, end to end through the `autoir` command, on recordings of attacks written for these
 * tests (test/fixtures/attacks, from public descriptions of each technique) and on OTRF's atomic datasets:
 *
 * - the operating system is never the target: no kill of System, services.exe or lsass.exe, no quarantine of the
 *   genuine powershell.exe, WMIC.exe, WmiPrvSE.exe or appcmd.exe — while the attacker's own processes and files
 *   still get theirs;
 * - a single high alert on a Windows tool told to do something malicious (xp_cmdshell, a web shell, a download)
 *   reaches at least suspicious;
 * - directory and identity attacks and defence evasion are investigated, with the accounts behind them judged.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, otrfAtomic } from '../helpers/shared-data.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');

interface Evidence {
  type: string;
  key: string;
  label: string;
  verdict: string;
  score: number;
  roles: string[];
  findings: { analyzer: string; weight: number; text: string }[];
}
interface Investigation {
  id: string;
  status: string;
  playbook: string;
  evidence: Evidence[];
  actions: { type: string; targetKey: string; status: string; decisionRule: string | null }[];
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function autoir(data: string, args: string[]) {
  const run = spawnSync(process.execPath, [bin, '--data', data, ...args], {
    encoding: 'utf8',
    env: { ...process.env, AUTOIR_DATABASE_URL: '', AUTOIR_DATA: '', AUTOIR_RULES: '' },
    maxBuffer: 64 << 20,
  });
  expect(run.status, `autoir ${args.join(' ')}: ${run.stderr}`).toBe(0);
  return run.stdout;
}

/** Ingest one recording into a store of its own, investigate, and read every investigation. */
function investigate(input: string): Investigation[] {
  const data = mkdtempSync(path.join(os.tmpdir(), 'autoir-e2e-safe-'));
  dirs.push(data);
  autoir(data, ['ingest', input, '--json']);
  autoir(data, ['run', '--until-idle', '--json']);
  const list = JSON.parse(autoir(data, ['investigations', 'list', '--json'])) as { id: string }[];
  return list.map(
    ({ id }) => JSON.parse(autoir(data, ['investigations', 'show', id, '--json'])) as Investigation,
  );
}

const attack = (name: string) => fixture('attacks', `${name}.ndjson`);
const incriminated = (row: Evidence | undefined) =>
  row?.verdict === 'malicious' || row?.verdict === 'suspicious';

/** Everything one recording's investigations found and proposed. */
function outcome(investigations: Investigation[]) {
  const evidence = investigations.flatMap((inv) => inv.evidence);
  const actions = investigations.flatMap((inv) => inv.actions);
  const labelOf = (key: string) => evidence.find((row) => row.key === key)?.label ?? key;
  const planned = actions.filter((action) => action.status !== 'refused');
  return {
    evidence,
    /** `killProcess process cmd.exe (pid 7460) on ws02…`, for every action that may run. */
    planned: planned.map((action) => `${action.type} ${labelOf(action.targetKey)}`),
    refused: actions
      .filter((action) => action.status === 'refused')
      .map((action) => ({
        what: `${action.type} ${labelOf(action.targetKey)}`,
        rule: action.decisionRule ?? '',
      })),
    find: (pattern: RegExp) => evidence.find((row) => pattern.test(row.label)),
    all: (pattern: RegExp) => evidence.filter((row) => pattern.test(row.label)),
  };
}

describe('never break the operating system, still remove the attacker', () => {
  it('System (pid 4) creating a malicious named pipe: no kill of the kernel process; the beacon is killed and quarantined', () => {
    const { planned, refused, find } = outcome(investigate(attack('system-named-pipe')));
    expect(
      planned.some((action) => /^killProcess process system \(pid 4\)/.test(action)),
      planned.join('\n'),
    ).toBe(false);
    expect(refused.find((r) => /^killProcess process system \(pid 4\)/.test(r.what))?.rule).toMatch(
      /critical-asset guardrail: .*ending it stops the operating system/,
    );
    expect(planned).toContainEqual(expect.stringMatching(/^killProcess process svcupd\.exe/));
    expect(planned).toContainEqual(expect.stringMatching(/^quarantineFile file svcupd\.exe/));
    // The refusal shows on the evidence, as a finding with the rule in words.
    const system = find(/^process system \(pid 4\)/);
    expect(
      system?.findings.some((f) => f.analyzer === 'guardrails' && /killProcess not proposed/.test(f.text)),
    ).toBe(true);
  }, 60_000);

  it('a service installed through services.exe: no kill of the service control manager; its children and the service go', () => {
    const { planned, find } = outcome(investigate(attack('services-installs-service')));
    expect(planned.filter((action) => /services\.exe/.test(action))).toEqual([]);
    expect(find(/^process services\.exe/)).toBeDefined();
    expect(planned.filter((action) => /^killProcess process cmd\.exe/.test(action)).length).toBeGreaterThan(
      0,
    );
    expect(planned).toContainEqual(
      expect.stringMatching(/^removePersistence registryKey:.*\\services\\btobto/),
    );
    expect(planned).toContainEqual(expect.stringMatching(/^quarantineFile file upd\.exe/));
  }, 60_000);

  it('an encoded PowerShell cradle: the powershell.exe process is killed, the powershell.exe binary is not quarantined, the stage it dropped is', () => {
    const { planned, find } = outcome(investigate(attack('powershell-cradle')));
    expect(planned).toContainEqual(
      expect.stringMatching(/^killProcess process powershell\.exe \(pid 8420\)/),
    );
    expect(planned.filter((action) => /^quarantineFile file powershell\.exe/.test(action))).toEqual([]);
    const binary = find(/^file powershell\.exe/);
    expect(binary?.verdict).not.toBe('malicious');
    expect(planned).toContainEqual(expect.stringMatching(/^quarantineFile file stage2\.exe/));
  }, 60_000);

  it('WMIC used for remote execution: WMIC.exe and WmiPrvSE.exe stay, the payloads on both hosts go', () => {
    const { planned, all } = outcome(investigate(attack('wmic-remote')));
    expect(planned.filter((action) => /^quarantineFile file (?:wmic|wmiprvse)\.exe/i.test(action))).toEqual(
      [],
    );
    for (const file of all(/^file (?:wmic|wmiprvse)\.exe/i))
      expect(file.verdict, file.key).not.toBe('malicious');
    expect(planned).toContainEqual(expect.stringMatching(/^killProcess process wmic\.exe/));
    expect(planned).toContainEqual(expect.stringMatching(/^quarantineFile file p\.exe/));
    expect(planned).toContainEqual(expect.stringMatching(/^quarantineFile file agent\.exe/));
  }, 60_000);

  it('an IIS web shell using appcmd.exe: the shells are stopped, appcmd.exe is not quarantined, and its 19 benign runs stay clean', () => {
    const { planned, all } = outcome(investigate(attack('iis-webshell-appcmd')));
    expect(planned.filter((action) => /^quarantineFile file appcmd\.exe/.test(action))).toEqual([]);
    const appcmd = all(/^process appcmd\.exe/);
    expect(appcmd.filter((row) => row.verdict === 'malicious').length).toBeLessThanOrEqual(1);
    expect(planned.filter((action) => /^killProcess process cmd\.exe/.test(action)).length).toBeGreaterThan(
      0,
    );
    // The web server's shells read as what they are.
    const shells = all(/^process cmd\.exe/);
    expect(
      shells.some((row) =>
        row.findings.some((f) => /web and database servers do not start shells/.test(f.text)),
      ),
    ).toBe(true);
  }, 60_000);

  it('lsass.exe loading an unsigned DLL from a share: lsass is not killed, the DLL is quarantined', () => {
    const { planned, refused, find } = outcome(investigate(attack('lsass-unc-dll')));
    expect(incriminated(find(/^process lsass\.exe/))).toBe(true);
    expect(planned.filter((action) => /^killProcess process lsass\.exe/.test(action))).toEqual([]);
    expect(refused.map((r) => r.what)).toContainEqual(
      expect.stringMatching(/^killProcess process lsass\.exe/),
    );
    expect(planned).toContainEqual(expect.stringMatching(/^quarantineFile file mimilib\.dll/));
  }, 60_000);

  it("OTRF's PsExec and Empire datasets: services.exe is never killed and powershell.exe never quarantined", () => {
    const { planned, evidence } = outcome(investigate(otrfAtomic));
    expect(planned.filter((action) => /^killProcess process services\.exe/.test(action))).toEqual([]);
    expect(
      planned.filter((action) => /^quarantineFile file (?:powershell|cmd|services)\.exe/.test(action)),
    ).toEqual([]);
    // The attacker's own tools are still dealt with.
    expect(planned).toContainEqual(expect.stringMatching(/^killProcess process psexec\.exe/));
    expect(
      evidence.filter((row) => row.type === 'process' && row.verdict === 'malicious').length,
    ).toBeGreaterThan(2);
  }, 120_000);
});

describe('a Windows tool told to do something malicious is at least suspicious', () => {
  it('xp_cmdshell: cmd.exe under sqlservr.exe', () => {
    const { find } = outcome(investigate(attack('mssql-xp-cmdshell')));
    const shell = find(/^process cmd\.exe/);
    expect(incriminated(shell), JSON.stringify(shell?.findings)).toBe(true);
  }, 60_000);

  it('desktopimgdownldr fetching from a file-sharing host', () => {
    const { find } = outcome(investigate(attack('desktopimgdownldr')));
    const tool = find(/^process desktopimgdownldr\.exe/);
    expect(incriminated(tool), JSON.stringify(tool?.findings)).toBe(true);
    expect(tool?.findings.some((f) => /used to download a file|file-sharing/.test(f.text))).toBe(true);
  }, 60_000);
});

describe('directory, identity and defence-evasion attacks: the accounts behind them are judged', () => {
  const cases: [string, string, RegExp[]][] = [
    ['dcsync-rights-powerview', 'identityAttack', [/^user:corp\\mallory$/, /^user:corp\\svc_backup$/]],
    ['dcshadow', 'identityAttack', [/^user:corp\\mallory$/]],
    ['dsrm-password-change', 'identityAttack', [/^user:corp\\mallory$/]],
    ['hidden-account', 'identityAttack', [/^user:corp\\mallory$/, /^user:corp\\helpdesk\$$/]],
    ['kerberoasting', 'identityAttack', [/^user:corp(?:\.example)?\\mallory$/]],
    ['security-log-cleared', 'defenseEvasion', [/^user:corp\\mallory$/]],
    ['audit-policy-disabled', 'defenseEvasion', [/^user:corp\\mallory$/]],
    ['sysmon-tampered', 'defenseEvasion', [/^user:corp\\mallory$/]],
  ];
  let results: Map<string, Investigation[]>;
  beforeAll(() => {
    results = new Map(cases.map(([name]) => [name, investigate(attack(name))]));
  }, 240_000);

  it.each(cases)(
    '%s: investigated by %s, the accounts at least suspicious, an account action proposed',
    (name, playbook, accounts) => {
      const investigations = results.get(name) as Investigation[];
      expect(investigations.map((inv) => inv.playbook)).toContain(playbook);
      for (const inv of investigations) expect(inv.status, inv.id).not.toBe('unsupportedAlertType');
      const { evidence, planned } = outcome(investigations);
      for (const account of accounts) {
        const row = evidence.find((r) => r.type === 'user' && account.test(r.key));
        expect(row, `${account} is evidence`).toBeDefined();
        expect(incriminated(row), `${row?.key}: ${JSON.stringify(row?.findings)}`).toBe(true);
        expect(row?.findings.length).toBeGreaterThan(0);
      }
      expect(
        planned.some((action) => /^(?:disableUser|resetPassword|revokeSessions) user:/.test(action)),
        planned.join('\n'),
      ).toBe(true);
      // No process with pid 0 (Windows logs it where no local process acted).
      expect(evidence.filter((row) => /\(pid 0\)/.test(row.label))).toEqual([]);
    },
  );

  it('says in words what the account did, and where it came from', () => {
    const { evidence } = outcome(results.get('dcsync-rights-powerview') as Investigation[]);
    const svc = evidence.find((row) => row.key === 'user:corp\\svc_backup') as Evidence;
    expect(svc.findings.map((f) => f.text).join('\n')).toMatch(
      /replicated secrets from the directory \(DCSync\)/,
    );
    const source = evidence.find((row) => row.key === 'ip:10.0.0.77');
    expect(incriminated(source)).toBe(true);
    expect(source?.roles).toContain('attacker');
  });

  it('never disables the accounts the domain runs on, but does disable a hidden account the attacker created', () => {
    const { planned } = outcome(results.get('hidden-account') as Investigation[]);
    expect(planned).toContain('disableUser user:corp\\helpdesk$');
    for (const inv of results.values())
      for (const action of inv.flatMap((i) => i.actions))
        if (action.status !== 'refused') expect(action.targetKey).not.toMatch(/krbtgt|^user:nt authority\\/);
  });
});
