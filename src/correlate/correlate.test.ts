/**
 * Correlation: joining, merging through a bridge, window expiry, weak entities, explanations — and that the
 * grouping is a function of the set of alerts, whatever order they come in (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Entity } from '../domain/entity.js';
import { createAllowlist, parseWarninglist } from './allowlist.js';
import { correlate, type CorrelationAlert } from './correlate.js';
import { createDevice, createFile, createIp, createDomain, createUser } from '../domain/entity-builders.js';

const HOUR = 3_600_000;
const device = (name: string) => createDevice({ hostname: name }) as Entity;
const user = (name: string) => createUser({ name }) as Entity;
const hash = (digit: string) =>
  createFile({ sha256: digit.repeat(64), path: `C:\\Users\\x\\${digit}.exe` }) as Entity;
const ip = (address: string) => createIp({ address }) as Entity;

function alert(id: number, hours: number, ...entities: Entity[]): CorrelationAlert {
  return { id: `alr_${id}`, time: Date.UTC(2024, 0, 1) + hours * HOUR, entities };
}

describe('correlate', () => {
  it('joins alerts that share a strong entity within the window, and explains each link', () => {
    const result = correlate([
      alert(1, 0, device('ws1.corp.example'), user('CORP\\alice')),
      alert(2, 1, device('ws1.corp.example')),
      alert(3, 2, device('ws2.corp.example'), user('CORP\\alice')),
      alert(4, 3, device('ws9.corp.example')),
    ]);
    expect(result.groups).toEqual([['alr_1', 'alr_2', 'alr_3'], ['alr_4']]);
    expect(result.links).toEqual(
      expect.arrayContaining([
        { alertId: 'alr_2', otherAlertId: 'alr_1', entityKey: 'device:ws1.corp.example' },
        { alertId: 'alr_3', otherAlertId: 'alr_1', entityKey: 'user:corp\\alice' },
      ]),
    );
    expect(result.links).toHaveLength(2);
  });

  it('merges two groups through an alert that names an entity of each', () => {
    const apart = [alert(1, 0, device('a.corp.example')), alert(2, 0, device('b.corp.example'))];
    expect(correlate(apart).groups).toHaveLength(2);
    const bridged = [
      ...apart,
      alert(3, 1, device('a.corp.example'), hash('e'), ip('203.0.113.5')),
      alert(4, 2, device('b.corp.example'), hash('e')),
    ];
    expect(correlate(bridged).groups).toEqual([['alr_1', 'alr_2', 'alr_3', 'alr_4']]);
  });

  it('lets the window expire: alerts further apart than the window do not join', () => {
    const far = [alert(1, 0, device('ws1.corp.example')), alert(2, 30, device('ws1.corp.example'))];
    expect(correlate(far).groups).toHaveLength(2);
    expect(correlate(far, { windowMs: 48 * HOUR }).groups).toHaveLength(1);
    // A chain of alerts each within the window of the last is one story.
    const chain = [0, 20, 40, 60].map((hours, index) => alert(index + 1, hours, device('ws1.corp.example')));
    expect(correlate(chain).groups).toHaveLength(1);
  });

  it('never links on weak entities, and says why each is weak', () => {
    const system = createUser({ sid: 'S-1-5-18' }) as Entity;
    const cmd = createFile({ sha256: 'c'.repeat(64), path: 'C:\\Windows\\System32\\cmd.exe' }) as Entity;
    const dns = ip('10.0.0.53');
    const result = correlate(
      [
        alert(
          1,
          0,
          device('a.corp.example'),
          system,
          cmd,
          ip('127.0.0.1'),
          dns,
          createDomain({ name: 'ctldl.windowsupdate.com' }) as Entity,
        ),
        alert(
          2,
          0,
          device('b.corp.example'),
          system,
          cmd,
          ip('127.0.0.1'),
          dns,
          createDomain({ name: 'ctldl.windowsupdate.com' }) as Entity,
        ),
      ],
      {
        infrastructure: new Set(['ip:10.0.0.53']),
        allowlist: createAllowlist([
          parseWarninglist({ name: 'infra', type: 'hostname', list: ['windowsupdate.com'] }, 'infra.json'),
        ]),
      },
    );
    expect(result.groups).toHaveLength(2);
    expect(Object.fromEntries(result.weak)).toMatchObject({
      'user:nt authority\\system': expect.stringMatching(/built-in account/),
      [cmd.key]: expect.stringMatching(/Windows system binary/),
      'ip:127.0.0.1': expect.stringMatching(/loopback/),
      'ip:10.0.0.53': expect.stringMatching(/infrastructure/),
      'domain:ctldl.windowsupdate.com': 'on the allow-list infra',
    });
  });

  it('makes an entity weak once it is on too many devices or in too many alerts', () => {
    const spread = Array.from({ length: 12 }, (_, index) =>
      alert(index + 1, 0, device(`ws${index}.corp.example`), hash('a')),
    );
    const result = correlate(spread);
    expect(result.groups).toHaveLength(12);
    expect(result.weak.get(`file:sha256:${'a'.repeat(64)}`)).toBe('seen on 12 devices (more than 5)');
    expect(correlate(spread, { maxDevices: 20 }).groups).toHaveLength(1);
    const noisy = Array.from({ length: 5 }, (_, index) =>
      alert(index + 1, index, device('ws1.corp.example'), ip('198.51.100.7')),
    );
    expect(correlate(noisy, { maxAlerts: 3 }).weak.get('ip:198.51.100.7')).toMatch(/named by 5 alerts/);
    // A device is never weak by prevalence: a busy host's alerts are still its story.
    expect(correlate(noisy, { maxAlerts: 3 }).groups).toHaveLength(1);
  });
});

describe('order independence', () => {
  const devices = ['a.corp.example', 'b.corp.example', 'c.corp.example', 'd.corp.example'].map(device);
  const users = ['CORP\\alice', 'CORP\\bob', 'CORP\\carol'].map(user);
  const hashes = ['1', '2', '3'].map(hash);
  const entity = fc.constantFrom(...devices, ...users, ...hashes, ip('203.0.113.9'), ip('127.0.0.1'));
  const alerts = fc
    .array(
      fc.record({
        hours: fc.integer({ min: 0, max: 96 }),
        entities: fc.uniqueArray(entity, { maxLength: 3, selector: (e) => e.key }),
      }),
      {
        minLength: 1,
        maxLength: 40,
      },
    )
    .map((items) => items.map((item, index) => alert(index + 1, item.hours, ...item.entities)));

  it('gives the same groups and links for any order of the same alerts', () => {
    fc.assert(
      fc.property(alerts, fc.func(fc.integer()), (set, rank) => {
        const shuffled = [...set].sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
        const options = { maxDevices: 2, maxAlerts: 12 };
        const one = correlate(set, options);
        const other = correlate(shuffled, options);
        expect(other.groups).toEqual(one.groups);
        expect(other.links).toEqual(one.links);
        // Every alert is in exactly one group.
        expect(one.groups.flat().sort()).toEqual(set.map((item) => item.id).sort());
        // Ids of one prefix and a number are ranked as numbers; any others as text: the same grouping and links
        // (renamed) either way.
        const renamed = (id: string) => `${id === set[0]?.id ? 'first' : 'x'}-${id}`;
        const mixed = correlate(
          set.map((item) => ({ ...item, id: renamed(item.id) })),
          options,
        );
        expect(new Set(mixed.groups.map((group) => [...group].sort().join()))).toEqual(
          new Set(one.groups.map((group) => group.map(renamed).sort().join())),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('orders ids by their number where they have one, and as text otherwise', () => {
    const ws = device('ws1.corp.example');
    const ids = ['alr_10', 'alr_9', 'alr_100', 'alr_0'];
    expect(correlate(ids.map((id) => ({ id, time: 0, entities: [ws] }))).groups).toEqual([
      ['alr_0', 'alr_9', 'alr_10', 'alr_100'],
    ]);
    const mixed = ['alr_10', 'alr_9', 'alr_09', 'b_2', 'alr_x'];
    expect(correlate(mixed.map((id) => ({ id, time: 0, entities: [ws] }))).groups).toEqual([
      ['alr_09', 'alr_9', 'alr_10', 'alr_x', 'b_2'],
    ]);
  });
});
