/**
 * The events store and the EventQuery port, on SQLite and PostgreSQL alike, over real Sysmon and Security records
 * of OTRF LSASS_campaign_01 and a Zeek conn log in TSV.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { ingestDocuments } from '../ingest/pipeline.js';
import type { InputDocument } from '../ingest/input.js';
import { writeAlerts } from '../ingest/prepare-alert.js';

const root = path.resolve(import.meta.dirname, '../..');
const sample = readFileSync(
  path.join(root, 'test/fixtures/events/otrf/lsass_campaign_01_sample.ndjson'),
  'utf8',
);
const zeekConn = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]',
  '1692161643.549491\tCX6po61SVaO8po0uh8\t192.168.1.41\t55213\t10.0.5.13\t80\ttcp\t-\t1.201128\t0\t403\tSHR\tT\tT\t0\t^hadf\t0\t0\t5\t615\t-',
  '',
].join('\n');

const PAYLOAD_SHA256 = 'e9196b871670af6307902fc4ca09f7cf3c309ae54b28e10d052ed8741090f928';
const DEVICE = 'device:mkt01.pandalab.com';
const PAYLOAD = 'process:mkt01.pandalab.com:81056205-5686-64dc-3b04-000000000800';
const now = () => new Date('2026-01-01T00:00:00.000Z');

async function* documents(entries: Record<string, string>): AsyncIterable<InputDocument> {
  for (const [name, text] of Object.entries(entries)) {
    yield {
      name,
      chunks: (async function* () {
        yield Buffer.from(text);
      })(),
    } as InputDocument;
  }
}

describe.each(backends)('events store on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(dialect);
    const summary = await ingestDocuments(documents({ 'sample.ndjson': sample, 'conn.log': zeekConn }), {
      store: t.store,
      now,
    });
    expect(summary).toMatchObject({ events: 16, errorCount: 0, formats: { windows: 15, zeek: 1 } });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('stores each record once, however often it is ingested', async () => {
    const again = await ingestDocuments(documents({ 'sample.ndjson': sample }), { store: t.store, now });
    expect(again).toMatchObject({ events: 0, duplicateEvents: 15 });
    expect(await t.store.events.countEvents()).toBe(16);
  });

  it('finds the payload by its SHA-256: its process start and image load on MKT01', async () => {
    const page = await t.store.events.searchEvents(
      { entityKeys: [`file:sha256:${PAYLOAD_SHA256}`] },
      { limit: 10 },
    );
    expect(page.items.map((event) => event.kind).sort()).toEqual(['processStart']);
    const start = page.items[0]!;
    expect(start).toMatchObject({
      deviceKey: DEVICE,
      processKey: PAYLOAD,
      imagePath: 'C:\\Users\\stevie.marie\\Downloads\\winx64_payload.exe',
      userKey: 'user:pandalab\\pedro.gustavo',
      sha256: PAYLOAD_SHA256,
      time: '2023-08-15T09:54:31.103Z',
    });
    // The raw record is kept as it arrived.
    expect(JSON.parse((await t.store.events.getEventRaw(start.id))!)).toMatchObject({ EventID: 1 });
  });

  it('finds connections to the attacker from the host (Sysmon 3, Security 5156) and the sensor (Zeek)', async () => {
    const page = await t.store.events.searchEvents({ entityKeys: ['ip:10.0.5.13'] }, { limit: 50 });
    const seen = page.items.map((event) => `${event.format}/${event.code}/${event.dstIp}:${event.dstPort}`);
    expect(seen.sort()).toEqual([
      'windows/3/10.0.5.13:8080',
      'windows/3/10.0.5.13:8080',
      'windows/5156/10.0.5.13:80',
      'zeek/conn/10.0.5.13:80',
    ]);
    expect(await t.store.eventQuery.devicesContacting('10.0.5.13')).toEqual([
      { deviceKey: DEVICE, firstSeen: expect.any(String), lastSeen: expect.any(String), events: 3 },
    ]);
  });

  it('widens a short host name to the FQDN it was seen with', async () => {
    expect(await t.store.events.countEvents({ deviceKey: 'MKT01' })).toBe(15);
    expect(await t.store.events.countEvents({ deviceKey: 'device:mkt01.pandalab.com' })).toBe(15);
    expect(await t.store.events.countEvents({ deviceKey: 'device:other' })).toBe(0);
    // As an entity key too.
    expect(await t.store.events.countEvents({ entityKeys: ['device:MKT01'] })).toBe(15);
  });

  it('answers the investigation questions of EventQuery', async () => {
    const q = t.store.eventQuery;
    expect(await q.devicesWithFile(PAYLOAD_SHA256.toUpperCase())).toEqual([
      expect.objectContaining({ deviceKey: DEVICE, events: 1 }),
    ]);
    expect(await q.devicesWithFile('1'.repeat(64))).toEqual([]);

    // Lineage: payload → cmd.exe → systeminfo.exe / conhost.exe; the payload's parent (explorer) started before
    // the capture, so the chain stops at the payload.
    const descendants = await q.processDescendants(PAYLOAD);
    expect(descendants.map((event) => event.imagePath?.split('\\').pop()).sort()).toEqual([
      'cmd.exe',
      'cmd.exe',
      'conhost.exe',
      'systeminfo.exe',
    ]);
    const grandchild = descendants.find((event) => event.imagePath?.endsWith('systeminfo.exe'))!;
    const ancestors = await q.processAncestors(grandchild.processKey!);
    expect(ancestors.map((event) => event.imagePath?.split('\\').pop())).toEqual([
      'systeminfo.exe',
      'cmd.exe',
      'winx64_payload.exe',
    ]);

    const activity = await q.processActivity(PAYLOAD);
    expect(activity.map((event) => event.kind)).toEqual(
      expect.arrayContaining(['processStart', 'networkConnection', 'imageLoad']),
    );
    expect(await q.processActivity(PAYLOAD, ['networkConnection'])).toHaveLength(2);

    const timeline = await q.deviceTimeline('mkt01', {
      since: '2023-08-15T09:54:00.000Z',
      until: '2023-08-15T10:00:00.000Z',
    });
    expect(timeline.length).toBeGreaterThan(3);
    expect(timeline.map((event) => event.time)).toEqual([...timeline.map((event) => event.time)].sort());

    const logons = await q.userLogons('user:nt authority\\system');
    expect(logons.map((event) => event.code)).toEqual(['4624']);
  });

  it('prunes events older than a time, with their index entries', async () => {
    const cutoff = new Date('2023-08-15T09:54:31.104Z');
    // The retention's rule: events that arrived within it stay, however old their time (a historical dataset;
    // these arrived on `now`, 2026-01-01).
    const before = await t.store.events.countEvents();
    expect(
      await t.store.events.pruneEvents(cutoff, { arrivedBefore: new Date('2025-12-31T00:00:00Z') }),
    ).toBe(0);
    expect(await t.store.events.countEvents()).toBe(before);
    const older = await t.store.events.countEvents({ until: cutoff.toISOString() });
    expect(older).toBeGreaterThan(0);
    expect(
      await t.store.events.pruneEvents(cutoff, { arrivedBefore: new Date('2026-01-02T00:00:00Z') }),
    ).toBe(older);
    const left = await t.store.events.searchEvents({}, { limit: 100 });
    expect(left.items.every((event) => event.time >= '2023-08-15T09:54:31.104Z')).toBe(true);
    expect(await t.store.eventQuery.devicesWithFile(PAYLOAD_SHA256)).toEqual([]);
  });

  it('pages with a cursor, newest first or oldest first', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await t.store.events.searchEvents({}, { limit: 5, cursor, order: 'asc' });
      seen.push(...page.items.map((event) => event.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(16);
  });
});

/** Messages written for this test (phishing_pot's may not be copied here). */
function message(
  id: string,
  to: string,
  subject: string,
  url: string,
  from = 'billing@pay-portal.example',
  ip = '203.0.113.9',
): string {
  return [
    `Received: from mail.sender.example (mail.sender.example [${ip}]) by mx.corp.example; Tue, 1 Aug 2023 10:00:00 +0000`,
    'Authentication-Results: mx.corp.example; spf=fail smtp.mailfrom=pay-portal.example; dkim=none; dmarc=fail',
    `From: Billing <${from}>`,
    `To: ${to}`,
    `Subject: ${subject}`,
    `Message-ID: <${id}>`,
    'Date: Tue, 1 Aug 2023 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/html; charset=utf-8',
    '',
    `<p>Your invoice is overdue. <a href="${url}">Pay now</a></p>`,
    '',
  ].join('\r\n');
}

const zeekHttp = JSON.stringify({
  ts: 1690884300.5,
  uid: 'CHttp1',
  'id.orig_h': '10.1.1.20',
  'id.orig_p': 51000,
  'id.resp_h': '198.51.100.7',
  'id.resp_p': 80,
  method: 'GET',
  host: 'pay-portal.example',
  uri: '/invoice?id=7',
  status_code: 200,
  user_agent: 'Mozilla/5.0',
});

describe.each(backends)('messages on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(dialect);
    const summary = await ingestDocuments(
      documents({
        'a.eml': message(
          'inv-1@pay-portal.example',
          'alice@corp.example',
          'Invoice overdue',
          'http://pay-portal.example/invoice?id=7',
        ),
        'b.eml': message(
          'inv-2@pay-portal.example',
          'bob@corp.example, carol@corp.example',
          'Invoice overdue',
          'http://pay-portal.example/invoice?id=7',
        ),
        'c.eml': message(
          'other@news.example',
          'alice@corp.example',
          'Newsletter',
          'https://news.example/',
          'news@news.example',
          '198.51.100.77',
        ),
        'http.log': `${zeekHttp}\n`,
      }),
      { store: t.store, now },
    );
    expect(summary).toMatchObject({ events: 4, errorCount: 0, formats: { email: 3, zeek: 1 } });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('finds messages like a message, saying what they share', async () => {
    const similar = await t.store.eventQuery.similarMessages('<INV-1@pay-portal.example>');
    expect(similar.map((item) => [item.event.mailMessageId, [...item.shared].sort()])).toEqual([
      [
        'inv-2@pay-portal.example',
        ['sender', 'sendingIp', 'subject', 'url:http://pay-portal.example/invoice?id=7'].sort(),
      ],
    ]);
  });

  it('lists who received a message, and who clicked its link', async () => {
    expect(await t.store.eventQuery.messageRecipients('inv-2@pay-portal.example')).toEqual([
      'bob@corp.example',
      'carol@corp.example',
    ]);
    const clicks = await t.store.eventQuery.urlClicks('http://pay-portal.example/invoice?id=7');
    expect(clicks.map((event) => [event.kind, event.srcIp])).toEqual([['httpRequest', '10.1.1.20']]);
    const alice = await t.store.events.searchEvents(
      { entityKeys: ['mailbox:alice@corp.example'] },
      { limit: 10 },
    );
    expect(alice.items.map((event) => event.mailSubject).sort()).toEqual(['Invoice overdue', 'Newsletter']);
    expect(alice.items[0]?.details).toMatchObject({ spf: 'fail', dmarc: 'fail' });
  });
});

describe.each(backends)('events after alerts on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(dialect);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('stores the first event of a table even when its row id is the one the last alert got', async () => {
    // SQLite keeps one "last inserted row id" per connection, across tables: alert 1, then event 1.
    const [alert] = await writeAlerts(
      t.store.alerts,
      [
        {
          draft: {
            source: 'test',
            sourceRef: 'first',
            title: 'First alert',
            severity: 'low',
            mitreTechniques: [],
            createdAt: '2023-08-16T05:00:00Z',
            entities: [],
          },
          format: 'autoir',
        },
      ],
      now(),
    );
    expect(alert).toMatchObject({ id: 'alr_1', status: 'created' });
    const summary = await ingestDocuments(documents({ 'conn.log': zeekConn }), { store: t.store, now });
    expect(summary).toMatchObject({ events: 1, duplicateEvents: 0 });
    expect(await t.store.events.countEvents()).toBe(1);
  });
});
