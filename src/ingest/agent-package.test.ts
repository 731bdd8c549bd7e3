import { describe, expect, it } from 'vitest';
import type { InvestigationPackage } from '../domain/agent.js';
import { eventAt } from './ports.js';
import { packageEvents } from './agent-package.js';

const SHA = 'ab'.repeat(32);
const pack: InvestigationPackage = {
  collectedAt: '2026-12-06T10:00:00.000Z',
  processes: [
    { pid: 1, startedAt: '2026-12-01T00:00:00.000Z', exe: '/usr/lib/systemd/systemd', user: 'root' },
    {
      pid: 4121,
      ppid: 1,
      startedAt: '2026-12-06T09:58:00.000Z',
      exe: '/tmp/.x/miner',
      exeDeleted: true,
      commandLine: '/tmp/.x/miner -o pool',
      user: 'www-data',
      sha256: SHA,
    },
  ],
  sockets: [
    {
      protocol: 'tcp',
      state: 'established',
      localIp: '10.0.0.5',
      localPort: 40522,
      remoteIp: '203.0.113.9',
      remotePort: 3333,
      pid: 4121,
    },
    { protocol: 'tcp', state: 'listen', localIp: '0.0.0.0', localPort: 22 },
  ],
  sessions: [{ user: 'kim', terminal: 'pts/0', from: '192.0.2.7', since: '2026-12-06T09:00:00.000Z' }],
  autostart: [
    {
      kind: 'cron',
      name: '/etc/cron.d/x',
      path: '/etc/cron.d/x',
      command: '/tmp/.x/miner -o pool',
      program: '/tmp/.x/miner',
      user: 'root',
      line: '* * * * * root /tmp/.x/miner -o pool',
    },
    { kind: 'systemdUnit', name: 'broken.service', path: '', command: '' },
  ],
  recentFiles: [
    {
      path: '/tmp/.x/miner',
      size: 1024,
      modifiedAt: '2026-12-06T09:57:00.000Z',
      sha256: SHA,
      mode: 0o755,
      uid: 33,
    },
  ],
  problems: [],
};

describe('an investigation package as events of its device', () => {
  const { events, skipped } = packageEvents(pack, 'device:web1.corp.example', 'act_7');
  const column = (index: number, name: keyof typeof eventAt) => events[index]?.values[eventAt[name]];

  it('gives each entry the kind investigations search, on the device, naming the package', () => {
    expect(events.map((event) => event.values[eventAt.kind])).toEqual([
      'processStart',
      'processStart',
      'networkConnection',
      'other',
      'logon',
      'taskCreate',
      'fileCreate',
    ]);
    for (const event of events) {
      expect(event.values[eventAt.device_key]).toBe('device:web1.corp.example');
      expect(event.values[eventAt.format]).toBe('agent');
      expect(JSON.parse(event.values[eventAt.details] as string)).toMatchObject({ package: 'act_7' });
      // Found by the packages' own search term, without reading the device's other telemetry.
      expect(JSON.parse(event.values[eventAt.keys] as string)).toContain('agentpackage:web1.corp.example');
    }
  });

  it('keys a process by pid and start time, with its parent, hash and user; its socket by the same key', () => {
    const miner = 'process:web1.corp.example:4121@2026-12-06t09:58:00.000z';
    expect(column(1, 'process_key')).toBe(miner);
    expect(column(1, 'parent_process_key')).toBe('process:web1.corp.example:1@2026-12-01t00:00:00.000z');
    expect(column(1, 'sha256')).toBe(SHA);
    expect(column(1, 'user_key')).toBe('user:www-data');
    expect(JSON.parse(column(1, 'details') as string)).toMatchObject({ exeDeleted: true, pid: 4121 });
    expect(column(1, 'time')).toBe(Date.parse('2026-12-06T09:58:00.000Z'));
    expect(column(2, 'process_key')).toBe(miner);
    expect([column(2, 'dst_ip'), column(2, 'dst_port')]).toEqual(['203.0.113.9', 3333]);
    expect(column(5, 'target_path')).toBe('/etc/cron.d/x');
    expect(JSON.parse(column(5, 'details') as string)).toMatchObject({
      line: '* * * * * root /tmp/.x/miner -o pool',
    });
  });

  it('skips an entry it cannot read and counts it, keeping the rest', () => {
    expect(skipped).toBe(1);
    // Stored twice, the package gives the same event identities (stored once).
    expect(
      packageEvents(pack, 'device:web1.corp.example', 'act_7').events.map((event) => event.values[0]),
    ).toEqual(events.map((event) => event.values[0]));
  });
});
