/**
 * An event search as people write it — a host name, a hash of any kind, an address, a domain, a URL, a user, kinds
 * and a time range — made into the store's `EventFilter` (ports.ts), each value normalised as the entity index
 * keys it. The CLI (`autoir events search`) and the API (`GET /api/v1/events`) both search through it.
 */
import { normalizeEntityKey } from '../domain/entity.js';
import { normalizeDomain, normalizeHash, normalizeIp, normalizeUrl } from '../domain/entity-values.js';
import { AutoirError, type ErrorCode } from '../domain/errors.js';
import { eventKinds, type EventKind } from '../domain/event.js';
import type { EventFilter } from './ports.js';

export interface EventSearchTerms {
  /** A `device:` key or a host name (a short name matches the FQDN). */
  readonly device?: string;
  /** `user:domain\name`, a UPN or a SID, with or without `user:`. */
  readonly user?: string;
  readonly sha256?: string;
  /** SHA-256, SHA-1 or MD5. */
  readonly hash?: string;
  readonly ip?: string;
  readonly domain?: string;
  readonly url?: string;
  /** Entity keys, each of which the events must name. */
  readonly entity?: readonly string[];
  /** A `process:` key. */
  readonly process?: string;
  /** Comma-separated event kinds. */
  readonly kind?: string;
  readonly since?: string;
  readonly until?: string;
}

/**
 * The filter for `terms`; a value that is not what its term wants is an error naming the term as `field` spells
 * it (`--ip` for the CLI, `ip` for the API), with `code`.
 */
export function eventFilterFrom(
  terms: EventSearchTerms,
  options: { readonly field: (term: string) => string; readonly code: ErrorCode },
): EventFilter {
  const bad = (term: string, message: string) =>
    new AutoirError(options.code, `${options.field(term)}: ${message}`, { location: { field: term } });
  const entityKeys = (terms.entity ?? []).map(normalizeEntityKey);
  if (terms.sha256 !== undefined) {
    const digest = normalizeHash(terms.sha256);
    if (digest?.algorithm !== 'sha256') throw bad('sha256', `${terms.sha256} is not a SHA-256 digest`);
    entityKeys.push(`file:sha256:${digest.value}`);
  }
  if (terms.hash !== undefined) {
    const digest = normalizeHash(terms.hash);
    if (!digest) throw bad('hash', `${terms.hash} is not a SHA-256, SHA-1 or MD5 digest`);
    entityKeys.push(`file:${digest.algorithm}:${digest.value}`);
  }
  if (terms.ip !== undefined) {
    const address = normalizeIp(terms.ip);
    if (!address) throw bad('ip', `${terms.ip} is not an IP address`);
    entityKeys.push(`ip:${address}`);
  }
  if (terms.domain !== undefined) {
    const name = normalizeDomain(terms.domain);
    if (!name) throw bad('domain', `${terms.domain} is not a domain name`);
    entityKeys.push(`domain:${name}`);
  }
  if (terms.url !== undefined) {
    const normalized = normalizeUrl(terms.url);
    if (!normalized) throw bad('url', `${terms.url} is not a URL`);
    entityKeys.push(`url:${normalized}`);
  }
  if (terms.user !== undefined)
    entityKeys.push(normalizeEntityKey(terms.user.startsWith('user:') ? terms.user : `user:${terms.user}`));
  const kinds = terms.kind
    ?.split(',')
    .map((kind) => kind.trim())
    .filter(Boolean);
  for (const kind of kinds ?? [])
    if (!(eventKinds as readonly string[]).includes(kind))
      throw bad('kind', `unknown kind ${kind} (one of ${eventKinds.join(', ')})`);
  for (const term of ['since', 'until'] as const) {
    const value = terms[term];
    if (value !== undefined && !Number.isFinite(Date.parse(value)))
      throw bad(term, `${value} is not an ISO 8601 date-time`);
  }
  return {
    deviceKey: terms.device,
    entityKeys,
    kinds: kinds as EventKind[] | undefined,
    processKey: terms.process === undefined ? undefined : normalizeEntityKey(terms.process),
    since: terms.since,
    until: terms.until,
  };
}
