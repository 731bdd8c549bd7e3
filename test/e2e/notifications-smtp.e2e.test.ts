/**
 * Notifications by e-mail, through a real relay: OpenSMTPD hands autoir's messages to Dovecot, where the SOC's
 * mailbox receives them. A new high-severity incident is announced once (a low one is not), its investigation's
 * conclusion is announced once, and a digest of actions waiting for approval arrives with a link to decide — on both
 * stores, each announcement once however many passes run.
 */
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpSender } from '../../src/connectors/mail/smtp.js';
import { outboundPolicy } from '../../src/connectors/outbound.js';
import { createDevice } from '../../src/domain/entity-builders.js';
import type { Entity } from '../../src/domain/entity.js';
import { writeAlerts } from '../../src/ingest/prepare-alert.js';
import { loadPlaybooks } from '../../src/investigate/playbooks.js';
import { notifyPending } from '../../src/respond/notify.js';
import { runUntilIdle, type WorkOptions } from '../../src/worker/worker.js';
import { startDovecot, type Dovecot } from '../helpers/dovecot.js';
import { startOpenSmtpd, type OpenSmtpd } from '../helpers/opensmtpd.js';
import { backends, createTestStore, type TestStore } from '../helpers/stores.js';
import { until } from '../helpers/until.js';

const SOC = 'soc@corp.example';

describe.each(backends)('e-mail notifications through a real relay, on %s', (backend) => {
  let dovecot: Dovecot;
  let relay: OpenSmtpd;
  let t: TestStore;
  let work: WorkOptions;
  const inbox = () => dovecot.folder(SOC, 'INBOX');
  const subjects = () => inbox().map((raw) => /^Subject: (.*)$/im.exec(raw)?.[1] ?? '');

  beforeAll(async () => {
    dovecot = await startDovecot([SOC]);
    relay = await startOpenSmtpd(dovecot.lmtpPort);
    t = await createTestStore(backend);
    await t.store.policy.setSetting(
      'policy',
      {
        notifications: {
          email: { to: [SOC] },
          incidents: { minSeverity: 'high' },
          investigations: true,
          digest: '1m',
          uiUrl: 'https://autoir.corp.example',
        },
      },
      'test',
      new Date(),
    );
    work = {
      correlation: {},
      playbooks: loadPlaybooks(),
      mail: smtpSender(
        { host: relay.host, port: relay.port, tls: 'none', from: 'autoir <autoir@corp.example>' },
        outboundPolicy(['127.0.0.1/32']),
      ),
    };
  }, 60_000);

  afterAll(async () => {
    await relay?.stop();
    await dovecot?.stop();
    await t?.cleanup();
  });

  it('announces a new high-severity incident and its concluded investigation once each; not a low one', async () => {
    const alert = (ref: string, severity: 'high' | 'low', host: string) => ({
      draft: {
        source: 'edr',
        sourceRef: ref,
        title: `Suspicious activity on ${host}`,
        severity,
        category: 'execution',
        mitreTechniques: [],
        createdAt: new Date().toISOString(),
        entities: [createDevice({ hostname: `${host}.corp.example` }) as Entity],
      },
      format: 'autoir',
    });
    await writeAlerts(
      t.store.alerts,
      [alert('a1', 'high', 'fin01'), alert('a2', 'low', 'lab07')],
      new Date(),
    );
    await runUntilIdle(t.store, work);
    await runUntilIdle(t.store, work);
    const incidents = (await t.store.incidents.listIncidents({}, { limit: 10 })).items;
    const high = incidents.find((incident) => incident.severity === 'high')!;
    const investigation = (await t.store.investigations.list({ incidentId: high.id }, { limit: 1 }))
      .items[0]!;
    await until('the announcements to arrive', () =>
      subjects().some((s) => s.includes(high.id)) && subjects().some((s) => s.includes(investigation.id))
        ? true
        : undefined,
    );
    const texts = await Promise.all(inbox().map(async (raw) => (await PostalMime.parse(raw)).text ?? ''));
    expect(texts.some((text) => text.includes(`https://autoir.corp.example/incidents/${high.id}`))).toBe(
      true,
    );
    expect(subjects().filter((s) => s.startsWith(`autoir: high incident ${high.id}`))).toHaveLength(1);
    expect(subjects().filter((s) => s.includes('lab07'))).toHaveLength(0);
    expect(
      subjects().filter((s) => s.startsWith(`autoir: investigation ${investigation.id} ended`)),
    ).toHaveLength(1);
  });

  it('e-mails the digest of actions waiting for approval, with where to decide', async () => {
    const created = new Date();
    await t.store.actions.create(
      {
        type: 'isolateDevice',
        targetKey: 'device:fin01.corp.example',
        deviceKey: 'device:fin01.corp.example',
        group: { kind: 'device', name: 'Default' },
        investigationKey: null,
        evidenceKey: null,
        verdict: null,
        source: 'analyst',
        parameters: {},
        reasons: ['a test'],
        requestedBy: 'cli:test',
        decision: { outcome: 'wait', by: 'policy', rule: 'r' },
        comment: null,
        expiresAt: new Date(created.getTime() + 86_400_000),
      },
      created,
    );
    const result = await notifyPending(
      t.store,
      { mail: work.mail! },
      () => new Date(created.getTime() + 120_000),
    );
    expect(result.notified).toBeGreaterThanOrEqual(1);
    const digest = await until('the digest to arrive', () =>
      inbox().find((raw) => /^Subject: autoir: \d+ actions wait for approval/im.test(raw)),
    );
    const text = (await PostalMime.parse(digest)).text ?? '';
    expect(text).toContain('Isolate device — device:fin01.corp.example');
    expect(text).toContain('Decide in the action center: https://autoir.corp.example/actions');
  });
});
