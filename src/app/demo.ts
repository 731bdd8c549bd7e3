/**
 * `autoir demo`: a newcomer's first run. Loads two scenarios into the store and investigates them:
 * - OTRF's LSASS_campaign_01 (bundled in demo/otrf, with its licence): a payload downloaded with Edge on
 *   MKT01.pandalab.com reads LSASS memory and calls back to 10.0.5.13 — Sigma detections become alerts;
 * - a phishing campaign generated here: six messages from a look-alike of a Microsoft sender, delivered to four
 *   mailboxes of corp.example, two users open the link (proxy logs as OCSF HTTP Activity), one reports it.
 * Running it again stores nothing twice.
 */
import { parseConnectorConfig } from '../connectors/config.js';
import path from 'node:path';
import { type Entity } from '../domain/entity.js';
import { openDocuments, planInput, type InputDocument } from '../ingest/input.js';
import { ingestDocuments } from '../ingest/pipeline.js';
import { packageRoot } from '../version.js';
import { runUntilIdle } from '../worker/worker.js';
import type { Services } from './services.js';
import { writeAlerts } from '../ingest/prepare-alert.js';
import { createMailbox, createMailMessage } from '../domain/entity-builders.js';
import { generateToken, hashToken } from './tokens.js';

const MAILBOXES = ['alice', 'bob', 'carol', 'dave'].map((name) => `${name}@corp.example`);
const SENDER = 'account-security@micros0ft-support.com';
const LINK = 'https://login.micros0ft-support.com/verify/session?id=';
const START = Date.parse('2026-01-12T08:14:00.000Z');

/** One generated message, as a mail server would store the copy delivered to `mailbox`. */
function phishingMessage(index: number, mailbox: string): string {
  const date = new Date(START + index * 97_000).toUTCString().replace('GMT', '+0000');
  const id = `<${(0x5eed00 + index).toString(16)}.notice@micros0ft-support.com>`;
  return [
    `Delivered-To: ${mailbox}`,
    `Received: from mail.micros0ft-support.com (mail.micros0ft-support.com [203.0.113.77]) by mx.corp.example; ${date}`,
    `Authentication-Results: mx.corp.example; spf=fail smtp.mailfrom=micros0ft-support.com; dkim=none; dmarc=fail header.from=micros0ft-support.com`,
    `From: "Microsoft account team" <${SENDER}>`,
    `Reply-To: <recovery-desk@mail-verify-center.net>`,
    `To: <${mailbox}>`,
    `Subject: Unusual sign-in activity on your account`,
    `Date: ${date}`,
    `Message-ID: ${id}`,
    'MIME-Version: 1.0',
    'Content-Type: text/html; charset=utf-8',
    '',
    `<p>We detected something unusual about a recent sign-in to your Microsoft account.</p>`,
    `<p>Please <a href="${LINK}${1000 + index}">review your recent activity</a> within 24 hours, or your account will be locked.</p>`,
    '<p>Thanks, the Microsoft account team</p>',
    '',
  ].join('\r\n');
}

function* phishingScenario(): Generator<{ name: string; text: string }> {
  for (let index = 0; index < 6; index++)
    for (const mailbox of [MAILBOXES[index % 4], MAILBOXES[(index + 1) % 4]] as string[])
      yield { name: `demo-phishing/${mailbox}/${index}.eml`, text: phishingMessage(index, mailbox) };
  // Bob and Carol open the link in their copies (proxy logs, OCSF HTTP Activity).
  const clicks = [
    ['bob', 1, 1],
    ['carol', 2, 2],
  ].map(([name, index, minutes]) =>
    JSON.stringify({
      class_uid: 4002,
      activity_id: 1,
      time: START + Number(index) * 97_000 + Number(minutes) * 600_000,
      device: { hostname: `lt-${name}`, domain: 'corp.example' },
      actor: { user: { name, domain: 'CORP' } },
      src_endpoint: { ip: `10.20.0.${10 + Number(index)}` },
      http_request: { url: { url_string: `${LINK}${1000 + Number(index)}` }, http_method: 'GET' },
      http_response: { code: 200 },
      metadata: { product: { name: 'web proxy' }, version: '1.1.0' },
    }),
  );
  yield { name: 'demo-phishing/proxy.ndjson', text: clicks.join('\n') };
}

async function* textDocuments(items: Iterable<{ name: string; text: string }>): AsyncIterable<InputDocument> {
  for (const item of items)
    yield {
      name: item.name,
      chunks: (async function* () {
        yield Buffer.from(item.text);
      })(),
    };
}

/**
 * Load the demo scenario into a store and investigate it: OTRF LSASS_campaign_01 (a real credential-theft attack)
 * and a phishing campaign a user reported. Used by `autoir demo` and `autoir serve --demo`.
 */
export async function loadDemo(
  services: Services,
  progress: (text: string) => void = () => undefined,
  now: () => Date = () => new Date(),
) {
  const { store } = services;

  progress('loading OTRF LSASS_campaign_01 (about 50,000 Windows events)…\n');
  const plan = await planInput(path.join(packageRoot(), 'demo', 'otrf', 'LSASS_campaign_01'));
  const otrf = await ingestDocuments(openDocuments(plan, {}), {
    store,
    detection: services.ingestDetection(services.detection()),
  });
  const phishing = await ingestDocuments(textDocuments(phishingScenario()), { store });
  // Bob reports the message he received.
  await writeAlerts(
    store.alerts,
    [
      {
        draft: {
          source: 'userReport',
          sourceRef: 'demo-report-1',
          title: 'Email reported by user as phishing',
          severity: 'high',
          category: 'phishing',
          mitreTechniques: ['T1566.002'],
          createdAt: new Date(START + 3_600_000).toISOString(),
          entities: [
            createMailMessage({
              messageId: `${(0x5eed01).toString(16)}.notice@micros0ft-support.com`,
              subject: 'Unusual sign-in activity on your account',
              sender: SENDER,
              recipient: 'bob@corp.example',
            }) as Entity,
            createMailbox({ address: 'bob@corp.example', roles: ['contextual'] }) as Entity,
          ],
        },
        format: 'autoir',
      },
    ],
    now(),
  );
  progress('correlating and investigating…\n');
  const work = await runUntilIdle(store, services.work({ now }));
  const investigations = await store.investigations.list({}, { limit: 20 });
  const rows = [];
  for (const item of investigations.items) {
    const detail = await store.investigations.get(item.id);
    const count = (verdict: string) => detail?.evidence.filter((row) => row.verdict === verdict).length ?? 0;
    rows.push({
      id: item.id,
      playbook: item.playbook,
      status: item.status,
      incidentId: item.incidentId,
      malicious: count('malicious'),
      suspicious: count('suspicious'),
      evidence: detail?.evidence.length ?? 0,
      actions: detail?.actions.length ?? 0,
    });
  }
  return {
    otrf: { events: otrf.events, alerts: otrf.detections },
    phishing: { events: phishing.events },
    work,
    investigations: rows,
  };
}

/**
 * `autoir serve --demo`: the demo scenario in an empty store, a connector that records actions without changing
 * anything (so approvals run to "succeeded"), and a new admin token to sign in with. Returns the token.
 */
export async function prepareDemo(services: Services, progress: (text: string) => void): Promise<string> {
  const { store } = services;
  if ((await store.alerts.countAlerts()) === 0) await loadDemo(services, progress);
  else progress('the store already holds alerts: the demo scenario is not loaded again\n');
  const connectors = await store.policy.listConnectors();
  if (!connectors.some((connector) => connector.name === 'demo')) {
    const config = parseConnectorConfig(
      {
        name: 'demo',
        kind: 'command',
        timeout: '20s',
        settings: { command: process.execPath, args: [path.join(packageRoot(), 'demo', 'connector.mjs')] },
      },
      'demo connector',
    );
    await store.policy.putConnector(
      { name: 'demo', config: config as unknown as Record<string, unknown>, definedOn: 'host' },
      'system:demo',
      new Date(),
      (c) => c,
    );
  }
  // One demo sign-in at a time: the token of the previous start stops working.
  for (const token of await store.tokens.listTokens())
    if (token.name.startsWith('demo-admin-') && token.revokedAt === null)
      await store.tokens.revokeToken(token.id, new Date());
  const value = generateToken();
  await store.tokens.createToken(
    { name: `demo-admin-${Date.now().toString(36)}`, role: 'admin', tokenHash: hashToken(value) },
    new Date(),
  );
  return value;
}
