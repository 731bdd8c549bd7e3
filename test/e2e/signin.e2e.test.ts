/**
 * User compromise from Windows Security logons: one address fails logons for many accounts (a password spray),
 * then guesses jane's password and logs on to a file server and a finance server she had never used. The alert
 * names jane and the address; the investigation must say why each is judged, and bring in the devices she
 * logged on to.
 */
import { inputDocuments } from '../helpers/documents.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../helpers/stores.js';
import { type Entity } from '../../src/domain/entity.js';
import { ingestDocuments } from '../../src/ingest/pipeline.js';
import { loadPlaybooks } from '../../src/investigate/playbooks.js';
import { runUntilIdle } from '../../src/worker/worker.js';
import type { InvestigationDetail } from '../../src/domain/investigation.js';
import { writeAlerts } from '../../src/ingest/prepare-alert.js';
import { createIp, createUser } from '../../src/domain/entity-builders.js';

const ATTACKER = '203.0.113.9';
const T0 = Date.parse('2026-02-10T02:00:00.000Z');

function logon(id: 4624 | 4625, host: string, user: string, time: number, ip: string): string {
  return JSON.stringify({
    SourceName: 'Microsoft-Windows-Security-Auditing',
    Channel: 'Security',
    Hostname: `${host}.corp.example`,
    EventID: id,
    TimeCreated: new Date(time).toISOString(),
    SubjectUserSid: 'S-1-0-0',
    SubjectUserName: '-',
    SubjectDomainName: '-',
    TargetUserName: user,
    TargetDomainName: 'CORP',
    LogonType: '3',
    IpAddress: ip,
    IpPort: '51000',
    ...(id === 4625 ? { Status: '0xc000006d', SubStatus: '0xc000006a' } : {}),
  });
}

const documents = (text: string) => inputDocuments([{ name: 'security.ndjson', bytes: text }]);

describe.each(backends)('a password spray that guessed one password, on %s', (backend) => {
  let t: TestStore;
  let detail: InvestigationDetail;
  beforeAll(async () => {
    t = await createTestStore(backend);
    const lines: string[] = [];
    // A month before: jane's usual logon, from her workstation.
    lines.push(logon(4624, 'ws-jane', 'jane', T0 - 30 * 86_400_000, '10.0.0.21'));
    // The spray: three failures for each of twelve accounts.
    for (let user = 0; user < 12; user++)
      for (let attempt = 0; attempt < 3; attempt++)
        lines.push(logon(4625, 'dc01', `user${user}`, T0 + user * 1000 + attempt * 100, ATTACKER));
    // Jane: six failures, then the right password, then the finance server.
    for (let attempt = 0; attempt < 6; attempt++)
      lines.push(logon(4625, 'dc01', 'jane', T0 + 20_000 + attempt * 200, ATTACKER));
    lines.push(logon(4624, 'fs01', 'jane', T0 + 25_000, ATTACKER));
    lines.push(logon(4624, 'srv-fin', 'jane', T0 + 600_000, ATTACKER));
    await ingestDocuments(documents(lines.join('\n')), {
      store: t.store,
      now: () => new Date(T0 + 86_400_000),
    });
    await writeAlerts(
      t.store.alerts,
      [
        {
          draft: {
            source: 'identity-protection',
            sourceRef: 'spray-1',
            title: 'Password spray followed by a successful logon',
            severity: 'high',
            category: 'credentialAccess',
            mitreTechniques: ['T1110.003'],
            createdAt: new Date(T0 + 30_000).toISOString(),
            entities: [
              createUser({ name: 'jane', domain: 'CORP' }) as Entity,
              createIp({ address: ATTACKER, roles: ['attacker'] }) as Entity,
            ],
          },
          format: 'autoir',
        },
      ],
      new Date(T0 + 86_400_000),
    );
    await runUntilIdle(t.store, {
      correlation: {},
      playbooks: loadPlaybooks(),
      now: () => new Date(T0 + 86_400_000),
    });
    const list = await t.store.investigations.list({}, { limit: 10 });
    expect(list.items).toHaveLength(1);
    detail = (await t.store.investigations.get(list.items[0]!.id))!;
  }, 120_000);
  afterAll(async () => {
    await t?.cleanup();
  });

  const evidence = (key: string) => {
    const row = detail.evidence.find((item) => item.key === key);
    expect(row, key).toBeDefined();
    return row!;
  };

  it('runs the user-compromise playbook', () => {
    expect(detail.playbook).toBe('userCompromise');
  });

  it('judges the address a password-spray source, and says so', () => {
    const ip = evidence(`ip:${ATTACKER}`);
    expect(ip.verdict).toBe('malicious');
    expect(ip.findings.some((f) => f.analyzer === 'signInSource' && /13 accounts/.test(f.text))).toBe(true);
  });

  it('finds jane compromised: her password guessed, first logons to two servers', () => {
    const jane = evidence('user:corp\\jane');
    expect(jane.verdict).toBe('malicious');
    expect(jane.roles).toContain('compromised');
    expect(
      jane.findings.some((f) => /6 failed logons from 203\.0\.113\.9, then a successful one/.test(f.text)),
    ).toBe(true);
    expect(
      jane.findings.some((f) =>
        /first logons to 2 devices: fs01\.corp\.example, srv-fin\.corp\.example/.test(f.text),
      ),
    ).toBe(true);
  });

  it('brings in the devices she logged on to, and proposes resetting her password', () => {
    for (const host of ['fs01', 'srv-fin', 'ws-jane'])
      expect(
        detail.evidence.some((row) => row.key === `device:${host}.corp.example`),
        host,
      ).toBe(true);
    expect(
      evidence('device:srv-fin.corp.example').findings.some((f) =>
        /logged on to by user:corp\\jane/.test(f.text),
      ),
    ).toBe(true);
    const proposed = detail.actions.map((action) => `${action.type} ${action.targetKey}`);
    expect(proposed).toContain('resetPassword user:corp\\jane');
    expect(proposed).toContain(`blockIp ip:${ATTACKER}`);
  });
});

/** OCSF Authentication (3002): a successful sign-in from a located address. */
function signIn(
  user: string,
  time: number,
  ip: string,
  where: { city: string; country: string; lon: number; lat: number },
) {
  return JSON.stringify({
    class_uid: 3002,
    activity_id: 1,
    status_id: 1,
    time,
    user: { name: user, domain: 'CORP' },
    src_endpoint: {
      ip,
      location: { city: where.city, country: where.country, coordinates: [where.lon, where.lat] },
    },
    dst_endpoint: { hostname: 'sso.corp.example' },
    service: { name: 'Corporate SSO' },
    metadata: { product: { name: 'idp' }, version: '1.1.0' },
  });
}

describe.each(backends)('sign-ins from Paris and Sydney an hour apart, on %s', (backend) => {
  let t: TestStore;
  let detail: InvestigationDetail;
  beforeAll(async () => {
    t = await createTestStore(backend);
    const paris = { city: 'Paris', country: 'FR', lat: 48.8566, lon: 2.3522 };
    const sydney = { city: 'Sydney', country: 'AU', lat: -33.8688, lon: 151.2093 };
    const lines = [
      signIn('omar', T0 - 3 * 86_400_000, '198.51.100.20', paris),
      signIn('omar', T0, '198.51.100.20', paris),
      signIn('omar', T0 + 3_600_000, '203.0.113.200', sydney),
    ];
    await ingestDocuments(documents(lines.join('\n')), {
      store: t.store,
      now: () => new Date(T0 + 86_400_000),
    });
    await writeAlerts(
      t.store.alerts,
      [
        {
          draft: {
            source: 'identity-protection',
            sourceRef: 'travel-1',
            title: 'Atypical travel',
            severity: 'medium',
            category: 'initialAccess',
            mitreTechniques: ['T1078.004'],
            createdAt: new Date(T0 + 3_700_000).toISOString(),
            entities: [createUser({ name: 'omar', domain: 'CORP' }) as Entity],
          },
          format: 'autoir',
        },
      ],
      new Date(T0 + 86_400_000),
    );
    await runUntilIdle(t.store, {
      correlation: {},
      playbooks: loadPlaybooks(),
      now: () => new Date(T0 + 86_400_000),
    });
    detail = (await t.store.investigations.get('inv_1'))!;
  }, 120_000);
  afterAll(async () => {
    await t?.cleanup();
  });

  it('calls it impossible travel, with the places, the distance and the speed', () => {
    expect(detail.playbook).toBe('userCompromise');
    const omar = detail.evidence.find((row) => row.key === 'user:corp\\omar')!;
    const travel = omar.findings.find((f) => /impossible travel/.test(f.text));
    expect(travel?.text).toMatch(
      /Paris, FR \(198\.51\.100\.20\).*Sydney, AU \(203\.0\.113\.200\) 60 min later — 169\d\d km/,
    );
    expect(['suspicious', 'malicious']).toContain(omar.verdict);
    expect(detail.evidence.some((row) => row.key === 'ip:203.0.113.200')).toBe(true);
  });
});
