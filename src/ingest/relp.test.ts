/**
 * RELP: frames as librelp writes them, cut anywhere; and the receiver's sessions on both stores — each message
 * answered only once it is stored, `close` answered once everything is, `serverclose` when autoir stops.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { until } from '../../test/helpers/until.js';
import type { IngestPorts } from './ports.js';
import { relpFrame, relpOffers, splitRelpFrames, type RelpFrame } from './relp.js';
import { SyslogReceiver } from './syslog-receiver.js';

/** What rsyslog's omrelp sends first (librelp 1.11). */
const OPEN = 'relp_version=0\nrelp_software=librelp,1.11.0,http://librelp.adiscon.com\ncommands=syslog';
const message = (n: number) => `<134>1 2026-12-07T10:00:0${n % 10}Z web01 app - - - request ${n} handled`;

describe('RELP frames', () => {
  it('reads frames with and without data, whole or cut at any byte', () => {
    const stream = Buffer.concat([
      relpFrame(1, 'open', OPEN),
      relpFrame(2, 'syslog', message(2)),
      relpFrame(3, 'syslog', 'ünïcode ✓'),
      relpFrame(4, 'close'),
    ]);
    const whole = splitRelpFrames(stream, 1024);
    expect(whole.rest.length).toBe(0);
    expect(whole.frames.map((frame) => [frame.txnr, frame.command, frame.data.toString()])).toEqual([
      [1, 'open', OPEN],
      [2, 'syslog', message(2)],
      [3, 'syslog', 'ünïcode ✓'],
      [4, 'close', ''],
    ]);
    expect(relpOffers(whole.frames[0]?.data as Buffer).get('commands')).toBe('syslog');
    for (let cut = 0; cut <= stream.length; cut++) {
      const first = splitRelpFrames(stream.subarray(0, cut), 1024);
      const second = splitRelpFrames(Buffer.concat([first.rest, stream.subarray(cut)]), 1024);
      expect([...first.frames, ...second.frames]).toEqual(whole.frames);
      expect(second.rest.length).toBe(0);
    }
  });

  it.each([
    ['GET / HTTP/1.1\r\n', 'not a RELP frame'],
    ['1 syslog x hello\n', 'length is not a number'],
    ['1 syslog 5 hello!', 'not ended by a line feed'],
    ['1 syslog 2048 ', 'of 2048 bytes, more than 1024'],
    ['1 sys-log 0\n', 'not a word'],
  ])('refuses %j', (text, error) => {
    expect(() => splitRelpFrames(Buffer.from(text), 1024)).toThrow(error);
  });
});

/** A RELP sender on a raw socket: frames out, answers in. */
async function relpClient(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const answers: RelpFrame[] = [];
  let rest: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    const split = splitRelpFrames(Buffer.concat([rest, chunk]), 1 << 20);
    rest = split.rest;
    answers.push(...split.frames);
  });
  const ended = new Promise<void>((resolve) => socket.once('end', () => resolve()));
  return { socket, answers, ended, send: (frame: Buffer) => socket.write(frame) };
}

describe.each(backends)('the RELP receiver (%s)', (dialect) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await createTestStore(dialect);
  });
  afterAll(async () => t?.cleanup());

  it('answers each message once it is stored, and close once all are', async () => {
    // The store behind a gate: while it is shut, nothing can be stored, and nothing may be answered.
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const gated: IngestPorts = {
      alerts: t.store.alerts,
      events: t.store.events,
      transaction: async (work) => {
        await gate;
        return t.store.transaction(work);
      },
    };
    const before = await t.store.events.countEvents();
    const receiver = new SyslogReceiver(gated, {
      name: 'relp',
      protocol: 'relp',
      host: '127.0.0.1',
      port: 0,
    });
    const { port } = await receiver.start();
    const client = await relpClient(port);
    try {
      client.send(relpFrame(1, 'open', OPEN));
      await until('the session opened', () => (client.answers.length > 0 ? true : undefined), 5000, 10);
      expect(client.answers[0]).toMatchObject({ txnr: 1, command: 'rsp' });
      const opened = (client.answers[0] as RelpFrame).data.toString();
      expect(opened.split('\n')[0]).toBe('200 OK');
      expect(relpOffers(Buffer.from(opened.split('\n').slice(1).join('\n'))).get('commands')).toBe('syslog');

      for (let n = 2; n <= 51; n++) client.send(relpFrame(n, 'syslog', message(n)));
      client.send(relpFrame(52, 'close'));
      await until('all read', () => (receiver.stats().messages === 50 ? true : undefined), 5000, 10);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(client.answers).toHaveLength(1);
      expect(receiver.stats().pending).toBe(50);

      open();
      await client.ended;
      const answers = client.answers.slice(1);
      expect(answers.map((answer) => answer.txnr)).toEqual(
        Array.from({ length: 51 }, (_, index) => index + 2),
      );
      expect(answers.every((answer) => answer.command === 'rsp' && answer.data.toString() === '200 OK')).toBe(
        true,
      );
      expect(await t.store.events.countEvents()).toBe(before + 50);
    } finally {
      client.socket.destroy();
      await receiver.stop();
    }
  });

  it('refuses what it does not do, and tells its senders when it stops, having answered what it stored', async () => {
    const receiver = new SyslogReceiver(t.store, {
      name: 'relp',
      protocol: 'relp',
      host: '127.0.0.1',
      port: 0,
    });
    const { port } = await receiver.start();
    const client = await relpClient(port);
    client.send(relpFrame(1, 'syslog', message(1)));
    client.send(relpFrame(2, 'open', 'relp_version=0\ncommands=starttls'));
    client.send(relpFrame(3, 'open', OPEN));
    client.send(relpFrame(4, 'starttls'));
    client.send(relpFrame(5, 'syslog', message(5)));
    await until('answers', () => (client.answers.length === 5 ? true : undefined), 5000, 10);
    expect(client.answers.map((answer) => [answer.txnr, answer.data.toString().split('\n')[0]])).toEqual([
      [1, '500 no session opened'],
      [2, '500 autoir takes syslog only'],
      [3, '200 OK'],
      [4, '500 command starttls is not supported'],
      [5, '200 OK'],
    ]);
    await receiver.stop();
    await client.ended;
    expect(client.answers.at(-1)).toMatchObject({ txnr: 0, command: 'serverclose' });
  });
});
