/**
 * The syslog receiver: RFC 5424 and RFC 3164 messages over TCP (octet-counting and newline framing, RFC 6587), TLS
 * (RFC 5425), UDP (RFC 5426) and RELP (relp.ts; each message answered once stored), stored as they come — JSON payloads read as their own format, CEF payloads as
 * alerts, anything else as events on their host (ingest/syslog.ts, formats/syslog.ts).
 *
 * Messages are stored in batches, one transaction each, in arrival order. **Backpressure, not loss**: when more
 * than `highWater` messages wait to be stored, TCP and TLS connections stop being read (the senders' own queues
 * hold the rest: rsyslog and syslog-ng keep them on disk or in memory until the connection drains), and reading
 * resumes below half of it; UDP, which cannot be slowed, drops what arrives beyond twice `highWater` and counts it.
 *
 * **Stopping loses nothing a sender considers delivered**: the listener closes, every connection gets a FIN
 * (rsyslog and syslog-ng see it before their next send and keep what follows for a reconnect) and is read until
 * the sender closes its side or has been quiet for a second, and everything read is stored before `stop` returns. (A
 * process killed with SIGKILL loses what was in its socket buffers: plain syslog has no acknowledgements. RELP
 * does: there nothing is answered before it is stored, and what was not answered is sent again.)
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { singleDocument } from './input.js';
import { ingestDocuments, ingestPool, type IngestOptions, type IngestSummary } from './pipeline.js';
import type { ParsePool } from './parse-pool.js';
import type { IngestPorts } from './ports.js';
import { jsonPayload, messageLine, parseSyslog, splitFrames, type SyslogMessage } from './syslog.js';
import { relpFrame, relpOffers, relpResponse, splitRelpFrames, type RelpFrame } from './relp.js';
import type { Log, LogFields } from '../domain/log.js';

export type SyslogProtocol = 'tcp' | 'udp' | 'tls' | 'relp';

export interface SyslogReceiverOptions {
  /** The input's name (in errors and as the document name of its batches). */
  readonly name: string;
  readonly protocol: SyslogProtocol;
  readonly host: string;
  readonly port: number;
  /**
   * TLS (required by `tls`, optional for `relp`): the server's certificate and key; with `ca`, clients must present a
   * certificate it signed.
   */
  readonly tls?: {
    readonly cert: Buffer | string;
    readonly key: Buffer | string;
    readonly ca?: Buffer | string;
  };
  /**
   * How each batch is ingested (format, detection; with `parseThread` and `workers`, batches are parsed in threads
   * the receiver keeps from start to stop).
   */
  readonly ingest?: Omit<IngestOptions, 'store' | 'atomic' | 'checkpoint' | 'pool'>;
  /** Messages stored in one transaction, at most (default 2,000). */
  readonly maxBatch?: number;
  /** Messages waiting to be stored beyond which TCP stops reading (default 20,000). */
  readonly highWater?: number;
  /** The longest message kept (default 64 KiB); a longer one is cut (newline framing) or ends its connection. */
  readonly maxMessageBytes?: number;
  /**
   * How long `stop` waits for a sender to close after the FIN: until it has sent nothing for `quietMs` (default
   * 1 s; an idle sender only notices the FIN when it next sends), at most `drainMs` (default 5 s).
   */
  readonly drainMs?: number;
  readonly quietMs?: number;
  readonly onBatch?: (summary: IngestSummary) => void | Promise<void>;
  /** Senders' connections failing, messages refused (warn); batches the store refused (error). */
  readonly log?: Log;
}

/** What a receiver has done so far. */
export interface SyslogReceiverStats {
  readonly connections: number;
  readonly messages: number;
  readonly bytes: number;
  readonly events: number;
  readonly duplicateEvents: number;
  readonly alerts: number;
  readonly errors: number;
  /** UDP datagrams dropped because too many messages were waiting. */
  readonly dropped: number;
  /** Messages received and not yet stored. */
  readonly pending: number;
  /** Seconds the oldest message not yet stored has waited. */
  readonly lagSeconds: number;
  /** Whether reading is paused because the store is behind. */
  readonly paused: boolean;
  readonly lastMessageAt?: string;
  readonly lastError?: string;
}

interface Pending {
  readonly line: string;
  readonly at: number;
  /** RELP: answer the sender once the message is stored. */
  readonly ack?: () => void;
  /** A JSON payload taken as it came: the message, to keep as such if the payload does not read. */
  readonly message?: SyslogMessage;
}

export class SyslogReceiver {
  private readonly maxBatch: number;
  private readonly highWater: number;
  private readonly maxMessage: number;
  private server: net.Server | undefined;
  private udp: UdpSocket | undefined;
  private pool: ParsePool | undefined;
  /** Open connections, and when each last brought data. */
  private readonly sockets = new Map<net.Socket, number>();
  private queue: Pending[] = [];
  private head = 0;
  private inFlightSince: number | undefined;
  private flushing: Promise<void> | undefined;
  private paused = false;
  private stopping = false;
  private counts = {
    messages: 0,
    bytes: 0,
    events: 0,
    duplicateEvents: 0,
    alerts: 0,
    errors: 0,
    dropped: 0,
  };
  private lastMessageAt: number | undefined;
  private lastError: string | undefined;

  constructor(
    private readonly store: IngestPorts,
    private readonly options: SyslogReceiverOptions,
  ) {
    this.maxBatch = options.maxBatch ?? 2000;
    this.highWater = options.highWater ?? 20_000;
    this.maxMessage = options.maxMessageBytes ?? 64 * 1024;
  }

  /** Listen; resolves with the address bound (`host:port`). */
  async start(): Promise<{ host: string; port: number }> {
    const { protocol, host, port } = this.options;
    this.pool ??= ingestPool(this.options.ingest ?? {});
    if (protocol === 'udp') {
      const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
      socket.on('message', (datagram) => this.receiveDatagram(datagram));
      socket.on('error', (error) => this.fail('UDP socket failed', error));
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(port, host, () => {
          socket.off('error', reject);
          resolve();
        });
      });
      this.udp = socket;
      const address = socket.address();
      return { host: address.address, port: address.port };
    }
    let server: net.Server;
    if (protocol === 'tls' && !this.options.tls)
      throw new Error(`${this.options.name}: TLS needs a certificate and a key`);
    if (this.options.tls) {
      const { cert, key, ca } = this.options.tls;
      server = tls.createServer(
        { cert, key, ...(ca ? { ca, requestCert: true, rejectUnauthorized: true } : {}) },
        (socket) => (protocol === 'relp' ? this.acceptRelp(socket) : this.accept(socket)),
      );
      server.on('tlsClientError', (error, socket) =>
        this.fail('TLS handshake failed', error, {
          peer: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`,
        }),
      );
    } else
      server = net.createServer((socket) =>
        protocol === 'relp' ? this.acceptRelp(socket) : this.accept(socket),
      );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => this.fail('listener failed', error, {}, 'error'));
    this.server = server;
    const address = server.address() as net.AddressInfo;
    return { host: address.address, port: address.port };
  }

  stats(): SyslogReceiverStats {
    const pending = this.queue.length - this.head;
    const oldest = this.inFlightSince ?? this.queue[this.head]?.at;
    return {
      connections: this.sockets.size,
      ...this.counts,
      pending,
      lagSeconds: oldest === undefined ? 0 : Math.max(0, (Date.now() - oldest) / 1000),
      paused: this.paused,
      ...(this.lastMessageAt ? { lastMessageAt: new Date(this.lastMessageAt).toISOString() } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /**
   * Stop: no new connections; each connection is told (FIN) and read until its sender closes (or `drainMs`);
   * everything received is stored before this resolves.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    const closed = this.server
      ? new Promise<void>((resolve) => this.server?.close(() => resolve()))
      : Promise.resolve();
    this.udp?.close();
    if (this.options.protocol === 'relp') {
      // RELP: stop reading, store and answer what was read, then tell each sender; it sends the rest again later.
      for (const socket of this.sockets.keys()) socket.pause();
      await this.flush();
      await Promise.all(
        [...this.sockets.keys()].map(
          (socket) =>
            new Promise<void>((resolve) => {
              socket.once('close', () => resolve());
              socket.end(relpFrame(0, 'serverclose'));
              setTimeout(() => socket.destroy(), 1000).unref();
            }),
        ),
      );
      await closed;
      await this.pool?.close();
      this.pool = undefined;
      return;
    }
    this.setPaused(false);
    const deadline = Date.now() + (this.options.drainMs ?? 5000);
    const quietMs = this.options.quietMs ?? 1000;
    await Promise.all(
      [...this.sockets.keys()].map(
        (socket) =>
          new Promise<void>((resolve) => {
            this.sockets.set(socket, Date.now());
            const timer = setInterval(() => {
              const now = Date.now();
              if (now >= deadline || now - (this.sockets.get(socket) ?? 0) >= quietMs) socket.destroy();
            }, 50);
            socket.once('close', () => {
              clearInterval(timer);
              resolve();
            });
            // A FIN — for TLS on the TCP socket beneath, without a close_notify before it: senders check for the
            // end of the stream before they write (rsyslog peeks), and a pending alert would hide it.
            ((socket as { _parent?: net.Socket })._parent ?? socket).end();
          }),
      ),
    );
    await closed;
    await this.flush();
    await this.pool?.close();
    this.pool = undefined;
  }

  /** Note a failure: the input's `lastError`, and a log line (`what`, with the error and the fields). */
  private fail(
    what: string,
    error?: unknown,
    fields: LogFields = {},
    level: 'warn' | 'error' = 'warn',
  ): void {
    const message = error === undefined ? '' : error instanceof Error ? error.message : String(error);
    const peer = typeof fields.peer === 'string' ? `${fields.peer}: ` : '';
    this.lastError = `${peer}${what}${message ? `: ${message}` : ''}`;
    this.options.log?.[level](what, { ...fields, ...(message ? { err: error } : {}) });
  }

  private accept(socket: net.Socket): void {
    this.sockets.set(socket, Date.now());
    socket.setKeepAlive(true, 60_000);
    if (this.paused) socket.pause();
    let rest: Buffer = Buffer.alloc(0);
    const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    socket.on('data', (chunk: Buffer) => {
      this.sockets.set(socket, Date.now());
      this.counts.bytes += chunk.length;
      const buffer = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      const { messages, rest: left } = splitFrames(buffer);
      rest = left;
      if (rest.length > this.maxMessage) {
        const counted = /^(\d{1,9}) /.exec(rest.subarray(0, 11).toString('latin1'));
        if (counted && rest[0] !== 0x3c) {
          this.fail(
            `a frame of ${counted[1]} bytes, more than ${this.maxMessage}: connection closed`,
            undefined,
            { peer },
          );
          socket.destroy();
          return;
        }
        // A newline-framed message longer than the limit: kept, cut at the limit.
        messages.push(rest.subarray(0, this.maxMessage).toString('utf8'));
        rest = Buffer.alloc(0);
      }
      for (const message of messages) this.receive(message);
    });
    socket.on('end', () => {
      if (rest.length > 0) this.receive(rest.toString('utf8').replace(/\r?\n$/, ''));
      rest = Buffer.alloc(0);
      socket.end();
    });
    socket.on('error', (error) => this.fail('connection failed', error, { peer }));
    socket.on('close', () => this.sockets.delete(socket));
  }

  /**
   * A RELP session: `open` answered with what autoir offers, each `syslog` frame answered once its message is
   * stored, `close` answered once everything of the session is.
   */
  private acceptRelp(socket: net.Socket): void {
    this.sockets.set(socket, Date.now());
    socket.setKeepAlive(true, 60_000);
    if (this.paused || this.stopping) socket.pause();
    const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    let rest: Buffer = Buffer.alloc(0);
    let opened = false;
    /** Messages of this session read and not yet answered; what to do when none is left. */
    let unanswered = 0;
    let whenAnswered: (() => void) | undefined;
    const send = (frame: Buffer) => {
      if (!socket.destroyed && socket.writable) socket.write(frame);
    };
    socket.on('data', (chunk: Buffer) => {
      this.sockets.set(socket, Date.now());
      this.counts.bytes += chunk.length;
      let frames: RelpFrame[];
      try {
        ({ frames, rest } = splitRelpFrames(
          rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk,
          this.maxMessage,
        ));
      } catch (error) {
        this.fail('RELP frame refused: connection closed', error, { peer });
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        if (frame.command === 'open') {
          const offers = relpOffers(frame.data);
          if (!(offers.get('commands') ?? '').split(',').includes('syslog')) {
            send(relpResponse(frame.txnr, 500, 'autoir takes syslog only'));
            continue;
          }
          opened = true;
          send(relpResponse(frame.txnr, 200, 'OK', 'relp_version=0\nrelp_software=autoir\ncommands=syslog'));
        } else if (frame.command === 'syslog') {
          if (!opened) {
            send(relpResponse(frame.txnr, 500, 'no session opened'));
            continue;
          }
          unanswered++;
          const txnr = frame.txnr;
          this.receive(frame.data.toString('utf8').replace(/\r?\n$/, ''), () => {
            send(relpResponse(txnr, 200, 'OK'));
            if (--unanswered === 0) whenAnswered?.();
          });
        } else if (frame.command === 'close') {
          const txnr = frame.txnr;
          whenAnswered = () => {
            send(relpResponse(txnr, 200, 'OK'));
            socket.end();
          };
          if (unanswered === 0) whenAnswered();
        } else send(relpResponse(frame.txnr, 500, `command ${frame.command} is not supported`));
      }
    });
    socket.on('end', () => {
      if (unanswered === 0) socket.end();
      else whenAnswered = () => socket.end();
    });
    socket.on('error', (error) => this.fail('connection failed', error, { peer }));
    socket.on('close', () => this.sockets.delete(socket));
  }

  private receiveDatagram(datagram: Buffer): void {
    this.counts.bytes += datagram.length;
    if (this.queue.length - this.head >= 2 * this.highWater) {
      this.counts.dropped++;
      return;
    }
    this.receive(
      datagram
        .subarray(0, this.maxMessage)
        .toString('utf8')
        .replace(/\r?\n$/, ''),
    );
  }

  private receive(text: string, ack?: () => void): void {
    if (text === '') {
      ack?.();
      return;
    }
    const now = Date.now();
    this.counts.messages++;
    this.lastMessageAt = now;
    // A line without a <PRI> is still kept, as a user.notice message (RFC 3164 §4.3.3).
    const message = parseSyslog(text) ?? parseSyslog(`<13>${text}`);
    if (!message) {
      ack?.();
      return;
    }
    const payload = jsonPayload(message.message);
    this.queue.push(
      payload === undefined
        ? { line: messageLine(message, new Date(now)), at: now, ...(ack ? { ack } : {}) }
        : { line: payload, at: now, message, ...(ack ? { ack } : {}) },
    );
    if (this.queue.length - this.head >= this.highWater) this.setPaused(true);
    this.flushing ??= this.drainQueue().finally(() => {
      this.flushing = undefined;
    });
  }

  private setPaused(paused: boolean): void {
    if (paused === this.paused || (paused && this.stopping && this.options.protocol !== 'relp')) return;
    this.paused = paused;
    for (const socket of this.sockets.keys()) {
      if (paused) socket.pause();
      else socket.resume();
    }
  }

  /** Wait until everything received so far is stored. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private advance(count: number): void {
    this.head += count;
    if (this.head > 50_000) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private ingestOptions(): IngestOptions {
    return {
      ...this.options.ingest,
      store: this.store,
      atomic: true,
      ...(this.pool ? { pool: this.pool } : {}),
    };
  }

  private async drainQueue(): Promise<void> {
    // Let what arrives in the same turn join the batch.
    await new Promise((resolve) => setImmediate(resolve));
    let failures = 0;
    while (this.head < this.queue.length) {
      const batch = this.queue.slice(this.head, this.head + this.maxBatch);
      this.inFlightSince = batch[0]?.at;
      let stored: IngestSummary[];
      try {
        stored = await this.storeBatch(batch);
        failures = 0;
      } catch (error) {
        // The store refused the batch (it is down, say): keep it and try again shortly — when stopping, a few times
        // (RELP senders send again what was not answered).
        failures++;
        this.inFlightSince = undefined;
        if (this.stopping && failures > 5) {
          this.fail(
            `storing ${batch.length} messages failed while stopping; ${
              this.options.protocol === 'relp' ? 'their senders will send them again' : 'they are lost'
            }`,
            error,
            { messages: batch.length },
            'error',
          );
          this.advance(batch.length);
        } else {
          this.fail(
            `storing ${batch.length} messages failed: retrying`,
            error,
            { messages: batch.length },
            'error',
          );
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
        continue;
      }
      this.inFlightSince = undefined;
      this.advance(batch.length);
      for (const item of batch) item.ack?.();
      if (this.queue.length - this.head < this.highWater / 2) this.setPaused(false);
      try {
        for (const summary of stored) await this.options.onBatch?.(summary);
      } catch (error) {
        this.fail(`after storing ${batch.length} messages`, error, { messages: batch.length }, 'error');
      }
    }
  }

  /**
   * Store a batch: its lines, then — a JSON payload that does not read (not JSON after all, or no format autoir
   * knows) — those messages as messages. Counted; the summaries of what was stored are returned.
   */
  private async storeBatch(batch: readonly Pending[]): Promise<IngestSummary[]> {
    const summary = await ingestDocuments(
      singleDocument(this.options.name, Buffer.from(`${batch.map((item) => item.line).join('\n')}\n`)),
      this.ingestOptions(),
    );
    const unread = summary.errors.filter(
      (error) => error.line !== undefined && batch[error.line - 1]?.message,
    );
    const errors = summary.errors.filter((error) => !unread.includes(error));
    const summaries = [{ ...summary, errors, errorCount: summary.errorCount - unread.length }];
    if (unread.length > 0) {
      const lines = unread.map((error) => {
        const item = batch[(error.line as number) - 1] as Pending;
        return messageLine(item.message as SyslogMessage, new Date(item.at));
      });
      summaries.push(
        await ingestDocuments(
          singleDocument(this.options.name, Buffer.from(`${lines.join('\n')}\n`)),
          this.ingestOptions(),
        ),
      );
    }
    for (const stored of summaries) {
      this.counts.events += stored.events;
      this.counts.duplicateEvents += stored.duplicateEvents;
      this.counts.alerts += stored.alerts;
      this.counts.errors += stored.errorCount;
    }
    for (const error of errors.slice(0, 3))
      this.fail(`message ${error.line ?? '?'} of a batch not stored`, error.message, {
        ...(error.field ? { field: error.field } : {}),
      });
    return summaries;
  }
}
