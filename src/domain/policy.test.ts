import { describe, expect, it } from 'vitest';
import { actionTargetProblem } from './action.js';
import {
  assetFacts,
  checkGroupDeletion,
  groupChange,
  decideAutomation,
  defaultGuardrails,
  defaultPathLists,
  folderClass,
  groupFor,
  type AssetGroup,
  type AutomationLevel,
  type DecisionInput,
} from './policy.js';

const group = (level: AutomationLevel, extra: Partial<AssetGroup> = {}): AssetGroup => ({
  kind: 'device',
  name: 'G',
  rank: 10,
  rules: [],
  level,
  automateSuspicious: false,
  isDefault: false,
  description: null,
  ...extra,
});

const input = (over: Partial<DecisionInput>): DecisionInput => ({
  type: 'quarantineFile',
  targetKey: 'file:sha256:' + 'a'.repeat(64),
  verdict: 'malicious',
  path: 'C:\\Users\\pedro\\Downloads\\payload.exe',
  os: 'Windows 10',
  group: group('full'),
  tags: [],
  recentAutomatic: 0,
  ...over,
});

const decide = (over: Partial<DecisionInput>) =>
  decideAutomation(input(over), defaultGuardrails, defaultPathLists);

describe('automation levels', () => {
  it('runs everything under full and nothing without approval under semiAll', () => {
    expect(decide({ group: group('full') }).outcome).toBe('approve');
    expect(decide({ group: group('full'), type: 'isolateDevice', path: null }).outcome).toBe('approve');
    expect(decide({ group: group('semiAll') })).toEqual({
      outcome: 'wait',
      rule: 'device group "G" (semiAll): every action waits for approval',
    });
  });

  it('under semiCore waits for files in OS folders only', () => {
    expect(decide({ group: group('semiCore'), path: 'C:\\Windows\\System32\\evil.dll' }).outcome).toBe(
      'wait',
    );
    expect(decide({ group: group('semiCore'), path: 'C:\\Users\\a\\AppData\\Roaming\\x.exe' }).outcome).toBe(
      'approve',
    );
    expect(decide({ group: group('semiCore'), path: '/usr/bin/sshd', os: 'Ubuntu' }).outcome).toBe('wait');
    expect(decide({ group: group('semiCore'), path: '/opt/app/run', os: 'Ubuntu' }).outcome).toBe('approve');
  });

  it('under semiNonTemp runs files in temp and download folders only', () => {
    expect(decide({ group: group('semiNonTemp') }).outcome).toBe('approve');
    expect(decide({ group: group('semiNonTemp'), path: 'C:\\Windows\\Temp\\a.exe' }).outcome).toBe('approve');
    expect(decide({ group: group('semiNonTemp'), path: '/tmp/x.sh', os: 'Linux' }).outcome).toBe('approve');
    expect(decide({ group: group('semiNonTemp'), path: 'C:\\ProgramData\\a.exe' }).outcome).toBe('wait');
  });

  it('treats non-file actions as needing approval under the semi levels', () => {
    const result = decide({ group: group('semiCore'), type: 'isolateDevice', path: null });
    expect(result).toEqual({
      outcome: 'wait',
      rule: 'device group "G" (semiCore): isolateDevice is not a file action, so it waits for approval',
    });
  });

  it('plans nothing under none', () => {
    expect(decide({ group: group('none') })).toEqual({
      outcome: 'skip',
      rule: 'device group "G" (none): no automated response',
    });
  });
});

describe('guardrails', () => {
  it('never acts automatically on a protected asset, whatever the level', () => {
    expect(decide({ group: group('full'), tags: ['domainController'] })).toEqual({
      outcome: 'wait',
      rule: 'guardrail: tagged domainController, never acted on automatically',
    });
  });

  it('lets suspicious evidence wait unless the group automates it', () => {
    expect(decide({ verdict: 'suspicious' }).outcome).toBe('wait');
    expect(
      decide({ verdict: 'suspicious', group: group('full', { automateSuspicious: true }) }).outcome,
    ).toBe('approve');
  });

  it('lets e-mail actions wait unless the mailbox group is full', () => {
    const mailbox = (level: AutomationLevel) => group(level, { kind: 'mailbox' });
    expect(decide({ type: 'softDeleteEmail', path: null, group: mailbox('semiNonTemp') }).outcome).toBe(
      'wait',
    );
    expect(decide({ type: 'softDeleteEmail', path: null, group: mailbox('full') }).outcome).toBe('approve');
  });

  it('caps automatic isolations per hour and says so', () => {
    expect(decide({ type: 'isolateDevice', path: null, recentAutomatic: 4 }).outcome).toBe('approve');
    expect(decide({ type: 'isolateDevice', path: null, recentAutomatic: 5 })).toEqual({
      outcome: 'wait',
      rule: 'guardrail: at most 5 automatic isolateDevice per 60 min (5 already)',
    });
  });
});

describe('groups', () => {
  const groups: AssetGroup[] = [
    group('full', { name: 'Workstations', rank: 20, rules: [{ name: 'ws*' }, { os: 'windows 1*' }] }),
    group('semiCore', { name: 'Servers', rank: 10, rules: [{ name: 'srv*', domain: 'corp.example' }] }),
    group('none', { name: 'Lab', rank: 30, rules: [{ tag: 'lab' }] }),
    group('semiAll', { name: 'Default', rank: 2 ** 31 - 1, isDefault: true }),
  ];

  it('puts a device in the first group by rank whose rule matches', () => {
    expect(groupFor(groups, 'device', assetFacts('device:srv01.corp.example')).name).toBe('Servers');
    expect(groupFor(groups, 'device', assetFacts('device:srv01.other.example')).name).toBe('Default');
    expect(groupFor(groups, 'device', assetFacts('device:ws7.corp.example')).name).toBe('Workstations');
    expect(groupFor(groups, 'device', assetFacts('device:pc1', { os: 'Windows 11' })).name).toBe(
      'Workstations',
    );
    expect(groupFor(groups, 'device', assetFacts('device:pc1', { tags: ['LAB'] })).name).toBe('Lab');
    expect(groupFor(groups, 'device', assetFacts('device:pc1')).name).toBe('Default');
  });

  it('reads users and mailboxes by name and domain', () => {
    const users: AssetGroup[] = [
      group('full', { kind: 'user', name: 'Admins', rules: [{ name: 'adm-*', domain: 'pandalab' }] }),
      group('semiAll', { kind: 'user', name: 'Default', isDefault: true }),
    ];
    expect(groupFor(users, 'user', assetFacts('user:pandalab\\adm-joe')).name).toBe('Admins');
    expect(groupFor(users, 'user', assetFacts('user:pandalab\\joe')).name).toBe('Default');
    expect(assetFacts('mailbox:alice@corp.example')).toMatchObject({
      name: 'alice@corp.example',
      domain: 'corp.example',
    });
  });
});

describe('folders and targets', () => {
  it('classes paths per platform, temp before core', () => {
    expect(folderClass('C:\\Windows\\Temp\\a.exe', defaultPathLists)).toBe('temp');
    expect(folderClass('c:/windows/system32/a.dll', defaultPathLists)).toBe('core');
    expect(folderClass('/Users/ann/Downloads/x.dmg', defaultPathLists)).toBe('temp');
    expect(folderClass('/System/Library/x', defaultPathLists)).toBe('core');
    expect(folderClass('D:\\Tools\\x.exe', defaultPathLists)).toBe('other');
  });

  it('refuses a target of the wrong kind, a file without its device, and blocking loopback', () => {
    expect(actionTargetProblem('isolateDevice', 'user:x\\y', null)).toMatch(/acts on device, not on user/);
    expect(actionTargetProblem('quarantineFile', 'file:sha256:' + 'a'.repeat(64), null)).toMatch(
      /needs the device/,
    );
    expect(actionTargetProblem('blockIp', 'ip:127.0.0.1', null)).toMatch(/loopback/);
    expect(actionTargetProblem('disableUser', 'nonsense', null)).toMatch(/not an entity key/);
    expect(actionTargetProblem('disableUser', 'user:pandalab\\pedro', null)).toBeUndefined();
  });
});

describe('changing a group', () => {
  const existing = {
    kind: 'device' as const,
    name: 'servers',
    rank: 20,
    rules: [{ tag: 'server' }],
    level: 'semiCore' as const,
    automateSuspicious: false,
    isDefault: false,
    description: null,
  };
  const defaultGroup = { ...existing, name: 'Default', rank: 1_000_000, rules: [], isDefault: true };

  it('creates a group after the others of its kind, at semiAll unless told, and only with a rule', () => {
    expect(
      groupChange(undefined, { kind: 'device', name: 'kiosks', rules: [{ name: 'kiosk-*' }] }, 30),
    ).toEqual({
      create: {
        kind: 'device',
        name: 'kiosks',
        rank: 40,
        rules: [{ name: 'kiosk-*' }],
        level: 'semiAll',
        automateSuspicious: false,
        description: null,
        shadow: null,
      },
    });
    expect(() => groupChange(undefined, { kind: 'device', name: 'empty' }, 30)).toThrow(
      /needs at least one membership rule/,
    );
  });

  it('changes only what is given, and never the default group’s rules or rank', () => {
    expect(groupChange(existing, { kind: 'device', name: 'servers', level: 'full' }, 0)).toEqual({
      update: { level: 'full' },
    });
    expect(groupChange(defaultGroup, { kind: 'device', name: 'Default', rank: 1, level: 'none' }, 0)).toEqual(
      {
        update: { level: 'none' },
      },
    );
    expect(() =>
      groupChange(defaultGroup, { kind: 'device', name: 'Default', rules: [{ tag: 'x' }] }, 0),
    ).toThrow(/has no rules/);
    expect(() => checkGroupDeletion(defaultGroup)).toThrow(/cannot be deleted/);
    expect(() => checkGroupDeletion(existing)).not.toThrow();
  });
});
