import { describe, expect, it } from 'vitest';
import { createScheduledTask, createService } from './entity-builders.js';
import { linuxPersistenceLocation, persistenceTarget } from './persistence.js';

describe('Linux autostart places', () => {
  it.each([
    ['/etc/systemd/system/backdoor.service', 'systemdUnit', true],
    ['/usr/lib/systemd/system/cron.service', 'systemdUnit', true],
    ['/home/kim/.config/systemd/user/sync.timer', 'systemdUnit', true],
    ['/etc/cron.d/updater', 'cron', true],
    ['/etc/cron.hourly/x', 'cron', true],
    ['/var/spool/cron/crontabs/www-data', 'cron', true],
    ['/etc/crontab', 'cron', false],
    ['/root/.ssh/authorized_keys', 'authorizedKeys', false],
    ['/home/kim/.ssh/authorized_keys2', 'authorizedKeys', false],
    ['/etc/profile.d/evil.sh', 'shellProfile', true],
    ['/etc/bash.bashrc', 'shellProfile', false],
    ['/home/kim/.bashrc', 'shellProfile', false],
    ['/etc/rc.local', 'shellProfile', false],
  ])('%s is %s (whole file: %s)', (file, kind, wholeFile) => {
    expect(linuxPersistenceLocation(file)).toEqual({ kind, wholeFile });
  });

  it.each([
    '/etc/passwd',
    '/usr/bin/sshd',
    '/etc/systemd/system.conf',
    '/etc/systemd/system/multi-user.target.wants/x.service',
    '/etc/cron.d/../shadow',
    'etc/cron.d/x',
    'C:\\Windows\\System32\\Tasks\\x',
  ])('%s is no place autoir removes from', (file) => {
    expect(linuxPersistenceLocation(file)).toBeUndefined();
  });
});

describe('what a removePersistence action names', () => {
  it('a service is a systemd unit by name', () => {
    const service = createService({ device: 'web1', name: 'Backdoor' });
    expect(persistenceTarget({ ...service })).toEqual({ unit: 'backdoor.service' });
    expect(persistenceTarget({ type: 'service', name: 'x.timer' })).toEqual({ unit: 'x.timer' });
    expect(persistenceTarget({ type: 'service', name: '../../etc/passwd' })).toMatch(
      /not a systemd unit name/,
    );
  });

  it('a cron file named as a scheduled task keeps its case', () => {
    const task = createScheduledTask({ device: 'web1', name: '/etc/cron.d/Updater' });
    expect(task?.name).toBe('/etc/cron.d/Updater');
    expect(persistenceTarget({ ...task })).toEqual({ path: '/etc/cron.d/Updater' });
    // Windows task names are still case-blind, with their leading backslash.
    expect(createScheduledTask({ device: 'ws1', name: 'Microsoft\\Evil' })?.name).toBe('\\microsoft\\evil');
  });

  it('a file that holds what people need goes line by line only', () => {
    expect(persistenceTarget({ type: 'file', path: '/root/.ssh/authorized_keys' })).toMatch(
      /line by line only/,
    );
    expect(
      persistenceTarget({ type: 'file', path: '/root/.ssh/authorized_keys', line: 'ssh-ed25519 AAAA x\n' }),
    ).toEqual({
      path: '/root/.ssh/authorized_keys',
      line: 'ssh-ed25519 AAAA x',
    });
    expect(persistenceTarget({ path: '/etc/crontab', line: 'a\nb' })).toBe('line: one line only');
  });

  it('anything else is refused with the reason', () => {
    expect(persistenceTarget({ type: 'file', path: '/etc/shadow' })).toMatch(/not an autostart place/);
    expect(persistenceTarget({})).toMatch(/needs the entry/);
  });
});
