/**
 * A ManageSieve client (RFC 5804), the little of it the mailbox connector needs: STARTTLS, AUTHENTICATE PLAIN (with
 * an authorization identity, so that a master user acts for a mailbox), LISTSCRIPTS, GETSCRIPT, PUTSCRIPT,
 * SETACTIVE, LOGOUT. Strings are sent as literals, never spliced into a command line unquoted.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';

/** A `NO` or `BYE` answer: the server's text and response code. */
export class SieveError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

interface Response {
  readonly status: 'OK' | 'NO' | 'BYE';
  readonly code: string | undefined;
  readonly text: string;
  /** The lines (strings and literals) before the status line. */
  readonly items: string[][];
}

/** Reads lines and `{n}` literals from the socket. */
class Reader {
  private buffer = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  private failure: Error | undefined;

  constructor(socket: Socket | TLSSocket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      this.wake();
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the ManageSieve server closed the connection')));
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  private async more(): Promise<void> {
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve) => (this.waiting = resolve));
  }

  async line(): Promise<string> {
    for (;;) {
      const end = this.buffer.indexOf('\r\n');
      if (end >= 0) {
        const line = this.buffer.subarray(0, end).toString('utf8');
        this.buffer = this.buffer.subarray(end + 2);
        return line;
      }
      await this.more();
    }
  }

  async bytes(count: number): Promise<string> {
    while (this.buffer.length < count) await this.more();
    const text = this.buffer.subarray(0, count).toString('utf8');
    this.buffer = this.buffer.subarray(count);
    return text;
  }
}

/** The atoms, quoted strings and parenthesised codes of a line's text. */
function atoms(text: string): string[] {
  const out: string[] = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|(\([^)]*\))|(\S+))/g;
  for (const match of text.matchAll(pattern)) {
    if (match[1] !== undefined) out.push(match[1].replace(/\\(.)/g, '$1'));
    else out.push((match[2] ?? match[3]) as string);
  }
  return out;
}

/** The tokens of one response: a line ending in a `{n}` literal goes on after the literal's bytes. */
async function tokens(reader: Reader, first: string): Promise<string[]> {
  const out: string[] = [];
  let line = first;
  for (;;) {
    const match = /\{(\d+)\+?\}$/.exec(line);
    out.push(...atoms(match ? line.slice(0, match.index) : line));
    if (!match) return out;
    out.push(await reader.bytes(Number(match[1])));
    line = await reader.line();
  }
}

const literal = (text: string) => `{${Buffer.byteLength(text)}+}\r\n${text}`;

/** An authenticated ManageSieve session. */
export class ManageSieve {
  private constructor(
    private socket: Socket | TLSSocket,
    private reader: Reader,
  ) {}

  /**
   * Connect to `address:port`, upgrade with STARTTLS unless `tls` is false, and authenticate `user` with
   * `password`, acting for `authzid` when given (a master user).
   */
  static async open(options: {
    readonly address: string;
    readonly port: number;
    readonly tls: ConnectionOptions | false;
    readonly user: string;
    readonly password: string;
    readonly authzid?: string;
    readonly signal: AbortSignal;
  }): Promise<ManageSieve> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const raw = netConnect({ host: options.address, port: options.port });
      raw.once('connect', () => resolve(raw));
      raw.once('error', reject);
    });
    const abort = () => socket.destroy(new Error('aborted'));
    options.signal.addEventListener('abort', abort, { once: true });
    let session = new ManageSieve(socket, new Reader(socket));
    await session.response();
    if (options.tls !== false) {
      await session.command('STARTTLS');
      socket.removeAllListeners('data');
      const secure = await new Promise<TLSSocket>((resolve, reject) => {
        const upgraded = tlsConnect({ ...(options.tls as ConnectionOptions), socket }, () =>
          resolve(upgraded),
        );
        upgraded.once('error', reject);
      });
      session = new ManageSieve(secure, new Reader(secure));
      await session.response();
    }
    const plain = Buffer.from(`${options.authzid ?? ''}\0${options.user}\0${options.password}`).toString(
      'base64',
    );
    await session.command(`AUTHENTICATE "PLAIN" ${literal(plain)}`);
    return session;
  }

  private async response(): Promise<Response> {
    const items: string[][] = [];
    for (;;) {
      const line = await this.reader.line();
      const parts = await tokens(this.reader, line);
      const head = parts[0]?.toUpperCase();
      if (head === 'OK' || head === 'NO' || head === 'BYE') {
        const code = parts[1]?.startsWith('(') ? parts[1].slice(1, -1) : undefined;
        const text = parts[code === undefined ? 1 : 2] ?? '';
        const response = { status: head, code, text, items } as Response;
        if (head !== 'OK') throw new SieveError(text || `ManageSieve ${head}`, code);
        return response;
      }
      items.push(parts);
    }
  }

  private async command(line: string): Promise<Response> {
    this.socket.write(`${line}\r\n`);
    return this.response();
  }

  /** The scripts and which one is active. */
  async list(): Promise<{ name: string; active: boolean }[]> {
    const response = await this.command('LISTSCRIPTS');
    return response.items.map((item) => ({
      name: item[0] as string,
      active: item[1]?.toUpperCase() === 'ACTIVE',
    }));
  }

  /** A script's text, or `undefined` when there is none of that name. */
  async get(name: string): Promise<string | undefined> {
    try {
      const response = await this.command(`GETSCRIPT ${literal(name)}`);
      return response.items[0]?.[0] ?? '';
    } catch (error) {
      if (error instanceof SieveError && error.code?.toUpperCase() === 'NONEXISTENT') return undefined;
      throw error;
    }
  }

  async put(name: string, script: string): Promise<void> {
    await this.command(`PUTSCRIPT ${literal(name)} ${literal(script)}`);
  }

  /** Make `name` the active script; `''` leaves none active. */
  async activate(name: string): Promise<void> {
    await this.command(`SETACTIVE ${literal(name)}`);
  }

  async close(): Promise<void> {
    try {
      await this.command('LOGOUT');
    } catch {
      // BYE, or already closed.
    }
    this.socket.destroy();
  }
}
