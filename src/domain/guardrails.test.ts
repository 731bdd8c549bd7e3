import { describe, expect, it } from 'vitest';
import { createFile, createProcess, createUser } from './entity-builders.js';
import type { Entity } from './entity.js';
import { guardrailRefusal, parseProtectedProcesses } from './guardrails.js';
import { isSystemPath, isUnixSystemPath } from './os-paths.js';

const win = (pid: number | undefined, imagePath?: string, guid?: string) =>
  createProcess({ device: 'ws1.corp.example', pid, imagePath, guid }) as Entity;
const linux = (pid: number, imagePath: string, commandLine?: string) =>
  createProcess({ device: 'web1.corp.example', pid, imagePath, commandLine }) as Entity;
const kill = (target: Entity) => guardrailRefusal('killProcess', target);

describe('critical-asset guardrails', () => {
  it('never proposes killing the processes Windows cannot live without, and says why', () => {
    expect(kill(win(4, 'System'))?.rule).toMatch(/System process: ending it stops the operating system/);
    expect(kill(win(4))?.rule).toMatch(/pid 4/);
    for (const name of ['smss.exe', 'csrss.exe', 'wininit.exe', 'winlogon.exe', 'services.exe', 'lsass.exe'])
      expect(kill(win(600, `C:\\Windows\\System32\\${name}`))?.rule, name).toMatch(
        /autoir never proposes ending it/,
      );
    expect(kill(win(460, 'C:\\Windows\\System32\\services.exe'))?.rule).toMatch(/service control manager/);
    expect(kill(win(1200, '\\SystemRoot\\System32\\smss.exe'))).toBeDefined();
    expect(kill(win(88, 'Registry'))).toBeDefined();
    expect(kill(win(600, 'C:\\Windows\\System32\\services.exe'))?.instead).toMatch(
      /kill the malicious process it started/,
    );
  });

  it('lets a masquerading copy of a critical name, and ordinary programs, be stopped', () => {
    expect(kill(win(7000, 'C:\\Users\\bob\\AppData\\Local\\Temp\\lsass.exe'))).toBeUndefined();
    expect(kill(win(7001, 'C:\\Windows\\System32\\cmd.exe'))).toBeUndefined();
    expect(kill(win(1988, 'C:\\Users\\bob\\Downloads\\winx64_payload.exe'))).toBeUndefined();
  });

  it('protects pid 1, systemd and the listening sshd on Linux, but not an SSH session', () => {
    expect(kill(linux(1, '/usr/lib/systemd/systemd'))?.rule).toMatch(/pid 1/);
    expect(kill(linux(412, '/usr/lib/systemd/systemd-journald'))?.rule).toMatch(/journal/);
    expect(kill(linux(900, '/usr/sbin/sshd', '/usr/sbin/sshd -D'))?.rule).toMatch(/SSH server/);
    expect(kill(linux(901, '/usr/sbin/sshd', 'sshd: alice@pts/0'))).toBeUndefined();
    expect(kill(linux(902, '/tmp/.x/sshd'))).toBeUndefined();
    expect(kill(linux(903, '/usr/bin/python3'))).toBeUndefined();
  });

  it('adds what a site protects, wherever it runs', () => {
    const site = parseProtectedProcesses('windows:edragent.exe;linux:postgres');
    if (typeof site === 'string') throw new Error(site);
    const options = { protectedProcesses: site };
    expect(
      guardrailRefusal('killProcess', win(55, 'C:\\Program Files\\EDR\\EdrAgent.exe'), options)?.rule,
    ).toMatch(/this site protects/);
    expect(
      guardrailRefusal('killProcess', linux(77, '/usr/lib/postgresql/15/bin/postgres'), options),
    ).toBeDefined();
    expect(parseProtectedProcesses('bsd:init')).toMatch(/expected windows:NAME/);
  });

  it('never quarantines a genuine OS binary, but does quarantine one the attacker planted or that is implicated', () => {
    const powershell = createFile({
      sha256: '908b64b1971a979c7e3e8ce4621945cba84854cb98d76367b791a6e22b5f6d53',
      path: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    }) as Entity;
    expect(guardrailRefusal('quarantineFile', powershell)?.rule).toMatch(/genuine operating-system binary/);
    expect(
      guardrailRefusal('quarantineFile', powershell, { implicated: 'written by process x.exe' }),
    ).toBeUndefined();
    for (const path of [
      'C:\\Windows\\System32\\wbem\\WMIC.exe',
      'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
      'C:\\Windows\\System32\\inetsrv\\appcmd.exe',
      'C:\\Windows\\SysWOW64\\WindowsPowerShell\\v1.0\\powershell.exe',
      'C:\\Windows\\WinSxS\\amd64_microsoft-windows-x_31bf3856ad364e35_10.0.1_none_1\\x.exe',
      '/usr/bin/bash',
    ])
      expect(
        guardrailRefusal(
          'quarantineFile',
          createFile({ path, device: 'ws1', sha256: 'a'.repeat(64) }) as Entity,
        ),
        path,
      ).toBeDefined();
    const dropped = createFile({
      path: 'C:\\Users\\bob\\Downloads\\rtcpef.dll',
      sha256: 'b'.repeat(64),
    }) as Entity;
    expect(guardrailRefusal('quarantineFile', dropped)).toBeUndefined();
  });

  it('never disables or resets the accounts the domain runs on', () => {
    const user = (name: string) => createUser({ name, domain: 'corp' }) as Entity;
    expect(guardrailRefusal('resetPassword', user('krbtgt'))?.instead).toMatch(/reset it twice, by hand/);
    expect(guardrailRefusal('disableUser', user('DC01$'))?.rule).toMatch(/computer account/);
    expect(guardrailRefusal('disableUser', user('alice'))).toBeUndefined();
  });

  it('never resets or disables a Unix host’s superuser or its service accounts, by automation', () => {
    const local = (name: string) => createUser({ name }) as Entity;
    expect(guardrailRefusal('resetPassword', local('root'))?.rule).toMatch(/superuser/);
    expect(guardrailRefusal('revokeSessions', local('www-data'))?.rule).toMatch(/runs its services as/);
    expect(guardrailRefusal('disableUser', local('systemd-network'))).toBeDefined();
    expect(guardrailRefusal('disableUser', local('kim'))).toBeUndefined();
    // A domain account that happens to be named root is a person's account.
    expect(
      guardrailRefusal('disableUser', createUser({ name: 'root', domain: 'corp' }) as Entity),
    ).toBeUndefined();
  });
});

describe('where the operating system keeps its binaries', () => {
  it('is the whole Windows directory tree, except the folders users and services can write to', () => {
    for (const path of [
      'C:\\Windows\\System32\\cmd.exe',
      'C:\\Windows\\System32\\wbem\\WMIC.exe',
      'C:\\Windows\\System32\\inetsrv\\appcmd.exe',
      'C:\\Windows\\SysWOW64\\WindowsPowerShell\\v1.0\\powershell.exe',
      'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\MSBuild.exe',
      'C:\\Windows\\explorer.exe',
      '\\SystemRoot\\System32\\smss.exe',
      '%SystemRoot%\\system32\\svchost.exe',
      '\\Device\\HarddiskVolume2\\Windows\\System32\\lsass.exe',
    ])
      expect(isSystemPath(path), path).toBe(true);
    for (const path of [
      'C:\\Windows\\Temp\\x.exe',
      'C:\\Windows\\Tasks\\x.exe',
      'C:\\Windows\\System32\\Tasks\\x.exe',
      'C:\\Windows\\System32\\spool\\drivers\\color\\x.exe',
      'C:\\Windows\\tracing\\x.exe',
      'C:\\Windows\\System32\\config\\systemprofile\\AppData\\Local\\x.exe',
      'C:\\Windows\\ServiceProfiles\\LocalService\\AppData\\Local\\Temp\\x.exe',
      'C:\\Users\\bob\\Downloads\\cmd.exe',
      'C:\\Windows\\System32\\..\\..\\Users\\bob\\x.exe',
    ])
      expect(isSystemPath(path), path).toBe(false);
    expect(isUnixSystemPath('/usr/sbin/sshd')).toBe(true);
    expect(isUnixSystemPath('/tmp/sshd')).toBe(false);
  });
});
