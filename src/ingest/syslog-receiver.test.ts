/**
 * The syslog receiver on both stores: TCP with both framings, UDP and TLS (with client certificates); CEF and JSON
 * payloads become alerts, other messages events; backpressure pauses reading without losing anything; stopping
 * reads every connection to its end and stores it.
 */
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCertificates, type TestCertificates } from '../../test/helpers/certs.js';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { until } from '../../test/helpers/until.js';
import { SyslogReceiver, type SyslogReceiverOptions } from './syslog-receiver.js';

const SSHD =
  '<38>Dec  7 10:00:01 web01 sshd[4242]: Failed password for invalid user admin from 203.0.113.9 port 52144 ssh2';
const CEF =
  '<134>1 2026-12-07T10:00:02Z fw01 CEF - - - CEF:0|Fortinet|FortiGate|7.2|13056|Malicious URL blocked|8|src=10.0.0.5 dst=198.51.100.7 request=http://bad.example/x suser=alice act=blocked';
const SURICATA =
  '<132>Dec  7 10:00:03 ids01 suricata[77]: {"timestamp":"2026-12-07T10:00:03.000000+0000","flow_id":1,"event_type":"alert","src_ip":"10.0.0.5","src_port":4444,"dest_ip":"198.51.100.7","dest_port":80,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2019401,"rev":1,"signature":"ET POLICY test","category":"Potentially Bad Traffic","severity":2}}';
const BARE = 'a line some device sent without any header';
/** Looks like a JSON payload and is not one: kept as a message. */
const BROKEN = '<14>Dec  7 10:00:04 app09 svc: {"state": not json}';

const waitFor = (what: string, condition: () => boolean, ms?: number) =>
  until(what, () => (condition() ? true : undefined), ms, 10);

const octets = (message: string) => `${Buffer.byteLength(message)} ${message}`;

let work: string;
let certs: TestCertificates;
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'autoir-syslog-'));
  certs = makeCertificates(work);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(backends)('the syslog receiver (%s)', (dialect) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await createTestStore(dialect);
  });
  afterAll(async () => t?.cleanup());

  const start = async (options: Partial<SyslogReceiverOptions> & Pick<SyslogReceiverOptions, 'protocol'>) => {
    const receiver = new SyslogReceiver(t.store, { name: 'test', host: '127.0.0.1', port: 0, ...options });
    const address = await receiver.start();
    return { receiver, port: address.port };
  };

  it('reads both TCP framings in one stream; CEF and JSON payloads are alerts, the rest events', async () => {
    const alertsBefore = await t.store.alerts.countAlerts();
    const { receiver, port } = await start({ protocol: 'tcp' });
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const stream = `${SSHD}\n${octets(CEF)}${SURICATA}\n${BARE}\n${BROKEN}\n`;
    // Split mid-frame: the receiver joins the pieces.
    socket.write(stream.slice(0, 150));
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.end(stream.slice(150));
    await waitFor('messages', () => receiver.stats().messages === 5);
    await receiver.stop();
    const stats = receiver.stats();
    expect(stats).toMatchObject({ messages: 5, alerts: 2, events: 3, errors: 0, pending: 0 });
    expect(await t.store.alerts.countAlerts()).toBe(alertsBefore + 2);
    const alerts = (await t.store.alerts.listAlerts({}, { limit: 10 })).items;
    const cef = alerts.find((alert) => alert.source === 'cef:fortinet/fortigate');
    expect(cef).toMatchObject({ title: 'Malicious URL blocked', severity: 'high', detector: '13056' });
    expect(cef?.entities.map((entity) => entity.key)).toEqual(
      expect.arrayContaining(['ip:10.0.0.5', 'ip:198.51.100.7', 'url:http://bad.example/x']),
    );
    expect(alerts.find((alert) => alert.source === 'suricata')?.title).toBe('ET POLICY test');
    const failed = await t.store.events.searchEvents({ kinds: ['logonFailed'] }, { limit: 10 });
    expect(failed.items).toHaveLength(1);
    expect(failed.items[0]).toMatchObject({
      format: 'syslog',
      source: 'syslog/auth',
      code: 'sshd',
      srcIp: '203.0.113.9',
    });
    expect(failed.items[0]?.keys).toEqual(expect.arrayContaining(['device:web01', 'ip:203.0.113.9']));
  });

  it('reads UDP datagrams, one message each', async () => {
    const { receiver, port } = await start({ protocol: 'udp' });
    const client = createSocket('udp4');
    for (let index = 0; index < 3; index++)
      client.send(
        `<14>Dec  7 11:00:0${index} app01 billing: udp message ${index} of ${dialect}`,
        port,
        '127.0.0.1',
      );
    await waitFor('events', () => receiver.stats().events === 3);
    client.close();
    await receiver.stop();
    expect(receiver.stats()).toMatchObject({ messages: 3, events: 3, dropped: 0 });
  });

  it('takes TLS from clients holding a certificate the configured CA signed, and refuses the others', async () => {
    const { receiver, port } = await start({
      protocol: 'tls',
      tls: { cert: readFileSync(certs.cert), key: readFileSync(certs.key), ca: readFileSync(certs.ca) },
    });
    const socket = tls.connect({
      port,
      host: '127.0.0.1',
      ca: readFileSync(certs.ca),
      cert: readFileSync(certs.clientCert),
      key: readFileSync(certs.clientKey),
    });
    await new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    socket.end(octets(`<14>1 2026-12-07T11:30:00Z app02 billing - - - over TLS from ${dialect}`));
    await waitFor('events', () => receiver.stats().events === 1);
    const refused = await new Promise<string>((resolve) => {
      const anonymous = tls.connect({ port, host: '127.0.0.1', ca: readFileSync(certs.ca) });
      anonymous.once('error', (error) => resolve(error.message));
      anonymous.once('secureConnect', () => anonymous.write('<14>sneaked in\n'));
      anonymous.once('close', () => resolve('closed'));
    });
    expect(refused).toMatch(/certificate|closed|alert|reset|hang up/i);
    await receiver.stop();
    expect(receiver.stats()).toMatchObject({ events: 1, messages: 1 });
  });

  it('stops reading while the store is behind, resumes, and loses nothing', async () => {
    const { receiver, port } = await start({ protocol: 'tcp', highWater: 100, maxBatch: 50 });
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let sawPause = false;
    const watch = setInterval(() => (sawPause ||= receiver.stats().paused), 1);
    const lines: string[] = [];
    for (let index = 0; index < 3000; index++)
      lines.push(`<14>Dec  7 12:00:00 app03 burst: message ${index} of ${dialect}\n`);
    socket.end(lines.join(''));
    await waitFor('events', () => receiver.stats().events === 3000, 30_000);
    clearInterval(watch);
    await receiver.stop();
    expect(sawPause).toBe(true);
    expect(receiver.stats()).toMatchObject({ messages: 3000, events: 3000, paused: false, lagSeconds: 0 });
  });

  it('when stopped, reads each connection until its sender closes and stores all of it', async () => {
    const { receiver, port } = await start({ protocol: 'tcp' });
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let sent = 0;
    let ended = false;
    socket.on('end', () => (ended = true));
    const writer = setInterval(() => {
      if (ended) return;
      for (let index = 0; index < 20; index++)
        socket.write(`<14>Dec  7 13:00:00 app04 stream: message ${sent++} of ${dialect}\n`);
    }, 2);
    await waitFor('events', () => receiver.stats().events > 200);
    await receiver.stop();
    clearInterval(writer);
    expect(ended).toBe(true);
    expect(receiver.stats().events).toBe(sent);
  });
});
