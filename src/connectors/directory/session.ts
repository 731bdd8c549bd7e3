/**
 * One LDAP session of the directory connector, on ldapts: connect (LDAPS, or StartTLS on ldap://) to an address the
 * outbound policy allows, bind as the service account, work, unbind. LDAP result codes and network errors become
 * the connector's outcomes here: a directory that cannot be reached makes the action wait (`unreachable`), a busy
 * one is tried again, and a refusal names what the service account is missing.
 */
import {
  Client,
  InsufficientAccessError,
  InvalidCredentialsError,
  ResultCodeError,
  type Entry,
  type Filter,
} from 'ldapts';
import { networkErrorCode, unreachableCodes } from '../network-errors.js';
import { tlsClientOptions } from '../tls.js';
import { OutcomeError } from '../outcome.js';
import { outboundAddress, OutboundRefusedError, type OutboundPolicy } from '../outbound.js';
import type { ActionOutcome } from '../../respond/ports.js';

export interface SessionSettings {
  readonly url: string;
  readonly bindDn: string;
  readonly password: string;
  readonly startTls: boolean;
  /** PEM certificates trusted for the directory's TLS certificate (absent: the system's). */
  readonly ca?: string | undefined;
  /** The name the certificate must carry when it differs from the URL's host. */
  readonly serverName?: string | undefined;
}

/** LDAP result codes worth trying again: busy (51), unavailable (52), timeLimitExceeded (3), adminLimit (11). */
const retryableCodes = new Set([3, 11, 51, 52]);

/** What an error thrown by a session means for the action. */
export function outcomeOfError(error: unknown, target: string): ActionOutcome {
  if (error instanceof OutcomeError) return error.outcome;
  if (error instanceof OutboundRefusedError)
    return {
      status: 'failed',
      retryable: false,
      message: `refused to connect to ${target}: ${error.message}`,
    };
  if (error instanceof InvalidCredentialsError)
    return {
      status: 'failed',
      retryable: false,
      message: `${target} refused autoir's bind: invalid credentials (check the connector's bindDn and password)`,
    };
  if (error instanceof InsufficientAccessError)
    return {
      status: 'failed',
      retryable: false,
      message: `${target}: the service account may not do this (${error.message}); grant it the rights docs/connectors.md lists`,
    };
  if (error instanceof ResultCodeError)
    return {
      status: 'failed',
      retryable: retryableCodes.has(error.code),
      message: `${target}: LDAP error ${error.code}: ${error.message}`,
    };
  const code = networkErrorCode(error) ?? (error instanceof Error ? error.message : String(error));
  if (
    unreachableCodes.has(code) ||
    code === 'ETIMEDOUT' ||
    code === 'ECONNRESET' ||
    /timeout|timed out/i.test(code)
  )
    return { status: 'unreachable', message: `cannot reach ${target}: ${code}` };
  return { status: 'failed', retryable: true, message: `${target}: ${code}` };
}

/** A bound connection: search and modify, with the filters as objects (values are never spliced into text). */
export interface Session {
  search(
    base: string,
    filter: Filter | string,
    attributes: string[],
    options?: { scope?: 'base' | 'sub'; sizeLimit?: number; buffers?: string[] },
  ): Promise<Entry[]>;
  readonly client: Client;
}

/** The URL as messages show it: scheme, host and port. */
export function displayTarget(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}

/**
 * Connect, bind and run `work`; always unbind. A timeout of `timeoutMs` covers connecting; the signal aborts the
 * session (the socket is closed) when the attempt's time runs out.
 */
export async function withSession<T>(
  settings: SessionSettings,
  outbound: OutboundPolicy,
  timeoutMs: number,
  signal: AbortSignal,
  work: (session: Session) => Promise<T>,
): Promise<T> {
  const url = new URL(settings.url);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const address = await outboundAddress(host, outbound);
  const secure = url.protocol === 'ldaps:';
  const port = url.port || (secure ? '636' : '389');
  const tlsOptions = tlsClientOptions(host, settings);
  const client = new Client({
    url: `${url.protocol}//${address.includes(':') ? `[${address}]` : address}:${port}`,
    timeout: timeoutMs,
    connectTimeout: Math.min(timeoutMs, 10_000),
    ...(secure ? { tlsOptions } : {}),
  });
  const abort = () => void client.unbind().catch(() => undefined);
  signal.addEventListener('abort', abort, { once: true });
  try {
    if (settings.startTls && !secure) await client.startTLS(tlsOptions);
    await client.bind(settings.bindDn, settings.password);
    return await work({
      client,
      async search(base, filter, attributes, options = {}) {
        const { searchEntries } = await client.search(base, {
          scope: options.scope ?? 'sub',
          filter,
          attributes,
          sizeLimit: options.sizeLimit ?? 0,
          ...(options.buffers ? { explicitBufferAttributes: options.buffers } : {}),
        });
        return searchEntries;
      },
    });
  } finally {
    signal.removeEventListener('abort', abort);
    await client.unbind().catch(() => undefined);
  }
}

/** The first value of an attribute as text (`undefined` when absent). */
export function text(entry: Entry, attribute: string): string | undefined {
  const key = Object.keys(entry).find((name) => name.toLowerCase() === attribute.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
}

/** Every value of an attribute as text. */
export function texts(entry: Entry, attribute: string): string[] {
  const key = Object.keys(entry).find((name) => name.toLowerCase() === attribute.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return values.map((item) => (Buffer.isBuffer(item) ? item.toString('utf8') : String(item)));
}

/** The first value of an attribute as bytes. */
export function bytes(entry: Entry, attribute: string): Buffer | undefined {
  const key = Object.keys(entry).find((name) => name.toLowerCase() === attribute.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  const first = Array.isArray(value) ? value[0] : value;
  return Buffer.isBuffer(first) ? first : undefined;
}
