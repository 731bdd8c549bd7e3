import { describe, expect, it } from 'vitest';
import {
  MAX_SUMMARY_ENTITIES,
  summarizeIncident,
  type IncidentAggregate,
  type JoiningAlert,
} from './incident-summary.js';

const alert = (
  title: string,
  severity: JoiningAlert['severity'],
  time: number,
  ...keys: string[]
): JoiningAlert => ({
  title,
  severity,
  time,
  entities: keys.map((key) => ({ type: key.slice(0, key.indexOf(':')), key })),
});

const listOf = (keys: string[]): IncidentAggregate['devices'] => ({
  many: false,
  size: keys.length,
  has: (key) => keys.includes(key),
  keys: () => keys,
});

describe('incident summary', () => {
  it('titles a new incident after its most severe alert (the earliest of those), on its one device', () => {
    const summary = summarizeIncident(
      [],
      [
        alert('Suspicious PowerShell', 'medium', 2_000, 'device:ws1.corp.example'),
        alert('LSASS memory read', 'high', 3_000, 'device:ws1.corp.example', 'user:corp\\kim'),
        alert('Mimikatz', 'high', 1_000, 'device:ws1.corp.example'),
      ],
    );
    expect(summary).toMatchObject({
      title: "'Mimikatz' and 2 other alerts on ws1.corp.example",
      leadTitle: 'Mimikatz',
      severity: 'high',
      alertCount: 3,
      firstActivityAt: 1_000,
      lastActivityAt: 3_000,
      devices: { keys: ['device:ws1.corp.example'] },
    });
    expect(summary.entities).toEqual([
      { type: 'device', key: 'device:ws1.corp.example', alerts: 3 },
      { type: 'user', key: 'user:corp\\kim', alerts: 1 },
    ]);
  });

  it('leads with what the attacker achieved among alerts of one severity: stolen credentials before a cleared log', () => {
    const high = (title: string, category: string | null, time: number): JoiningAlert => ({
      ...alert(title, 'high', time, 'device:mkt01.pandalab.com'),
      category,
    });
    const summary = summarizeIncident(
      [],
      [
        high('Important Windows Eventlog Cleared', 'defenseImpairment', 1_000),
        high('Shell Started By A Program In A User-Writable Folder', 'execution', 2_000),
        high('LSASS Opened By A Program In A User-Writable Folder', 'credentialAccess', 3_000),
        high('Dumping of Sensitive Hives Via Reg.EXE', 'credentialAccess', 4_000),
        alert('Ransomware note', 'medium', 500, 'device:mkt01.pandalab.com'),
      ],
    );
    expect(summary.leadTitle).toBe('LSASS Opened By A Program In A User-Writable Folder');
    expect(summary.leadCategory).toBe('credentialAccess');
    expect(summary.title).toBe(
      "'LSASS Opened By A Program In A User-Writable Folder' and 4 other alerts on mkt01.pandalab.com",
    );
    // Kept across a merge: an incident led by a cleared log does not take the lead from it.
    const merged = summarizeIncident(
      [
        { ...summary, devices: listOf(['device:mkt01.pandalab.com']) },
        {
          ...summary,
          leadTitle: 'Security Eventlog Cleared',
          leadCategory: 'defenseImpairment',
          firstActivityAt: 0,
          devices: listOf(['device:mkt01.pandalab.com']),
        },
      ],
      [],
    );
    expect(merged.leadTitle).toBe('LSASS Opened By A Program In A User-Writable Folder');
    // A more severe alert still leads, whatever its category.
    const critical = summarizeIncident(
      [],
      [high('LSASS', 'credentialAccess', 1), { ...alert('Log cleared', 'critical', 2) }],
    );
    expect(critical.leadTitle).toBe('Log cleared');
  });

  it('merges incidents: counts add, activity widens, devices unite', () => {
    const part = (lead: string, severity: JoiningAlert['severity'], count: number, devices: string[]) =>
      ({
        leadTitle: lead,
        leadCategory: null,
        severity,
        alertCount: count,
        firstActivityAt: count * 1_000,
        lastActivityAt: count * 10_000,
        entities: devices.map((key) => ({ type: 'device', key, alerts: count })),
        devices: listOf(devices),
      }) satisfies IncidentAggregate;
    const summary = summarizeIncident(
      [
        part('Phishing link clicked', 'medium', 4, ['device:a.corp']),
        part('Ransomware', 'critical', 2, ['device:b.corp']),
      ],
      [alert('Beacon', 'low', 500, 'device:c.corp')],
    );
    expect(summary).toMatchObject({
      title: "'Ransomware' and 6 other alerts on 3 devices",
      severity: 'critical',
      alertCount: 7,
      firstActivityAt: 500,
      lastActivityAt: 40_000,
      devices: { keys: ['device:a.corp', 'device:b.corp', 'device:c.corp'] },
    });
  });

  it('keeps the device list of a single incident as it is when the alerts added name no new device', () => {
    const devices: IncidentAggregate['devices'] = {
      ...(listOf(['device:a.corp', 'device:b.corp']) as Extract<
        IncidentAggregate['devices'],
        { many: false }
      >),
      keys: () => {
        throw new Error('the list should not be read');
      },
    };
    const part: IncidentAggregate = {
      leadTitle: 'Lead',
      leadCategory: null,
      severity: 'high',
      alertCount: 2,
      firstActivityAt: 0,
      lastActivityAt: 0,
      entities: [],
      devices,
    };
    expect(summarizeIncident([part], [alert('More', 'low', 1, 'device:b.corp')]).devices).toEqual({
      unchanged: true,
    });
    const read = { ...part, devices: listOf(['device:a.corp', 'device:b.corp']) };
    expect(summarizeIncident([read], [alert('New host', 'low', 1, 'device:c.corp')]).title).toBe(
      "'Lead' and 2 other alerts on 3 devices",
    );
  });

  it('says "more than 1000 devices" past the tracked maximum, and cuts a title at 300 characters', () => {
    const many = Array.from({ length: 1001 }, (_, index) =>
      alert('x', 'low', index, `device:h${index}.corp`),
    );
    const summary = summarizeIncident([], many);
    expect(summary.devices).toEqual({ many: true });
    expect(summary.title).toMatch(/on more than 1000 devices$/);
    const long = summarizeIncident([], [alert('y'.repeat(400), 'low', 1)]);
    expect(long.title).toHaveLength(300);
    expect(long.title.endsWith('…')).toBe(true);
  });

  it('keeps the 50 entities named by most alerts, ties by type then key, and skips types that are not main', () => {
    const alerts = Array.from({ length: 60 }, (_, index) =>
      alert(
        'a',
        'low',
        index,
        `ip:10.0.0.${index}`,
        'url:http://x.example/',
        'registryKey:hklm\\run',
        'user:corp\\a',
      ),
    );
    const entities = summarizeIncident([], alerts).entities;
    expect(entities).toHaveLength(MAX_SUMMARY_ENTITIES);
    expect(entities.slice(0, 2).map((entity) => entity.key)).toEqual([
      'user:corp\\a',
      'url:http://x.example/',
    ]);
    expect(entities.every((entity) => entity.type !== 'registryKey')).toBe(true);
    expect(entities[2]).toEqual({ type: 'ip', key: 'ip:10.0.0.0', alerts: 1 });
  });
});
