/**
 * Builds a normalised event (domain/event.ts) field by field, deriving entity keys the same way for every format:
 * each method normalises its value, records the entity key for the search index and returns what it set.
 */
import { entityAliases } from '../domain/entity.js';
import { KeySet, type EventDraft, type EventKind, type EventOutcome } from '../domain/event.js';
import {
  normalizeDomain,
  normalizeEmailAddress,
  normalizeGuid,
  normalizeHash,
  normalizeIp,
  normalizeUrl,
} from '../domain/entity-values.js';
import { createDevice, createUser } from '../domain/entity-builders.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type DraftFields = Mutable<
  Omit<EventDraft, 'keys' | 'aliases' | 'time' | 'format' | 'source' | 'code' | 'kind'>
>;

export class EventBuilder {
  readonly fields: DraftFields = {};
  readonly keys = new KeySet();
  private readonly aliases: (readonly [string, string])[] = [];
  /** The device's name inside keys (`mkt01.pandalab.com`), once known. */
  private deviceName: string | undefined;

  constructor(
    private readonly base: { time: number; format: string; source: string; code: string; kind: EventKind },
  ) {}

  set kind(kind: EventKind) {
    this.base.kind = kind;
  }

  get kind(): EventKind {
    return this.base.kind;
  }

  outcome(value: EventOutcome | undefined): void {
    if (value) this.fields.outcome = value;
  }

  /** The device the event happened on, from a host name or FQDN (and a domain to complete a short name). */
  device(hostname: string | undefined, domain?: string): string | undefined {
    const fqdn =
      hostname && !hostname.includes('.') && domain && domain.includes('.')
        ? `${hostname}.${domain}`
        : undefined;
    const device = createDevice({ hostname, fqdn });
    if (!device) return undefined;
    this.deviceName = device.key.slice('device:'.length);
    for (const alias of entityAliases(device)) this.aliases.push([alias, device.key]);
    this.fields.deviceKey = this.keys.add(device.key);
    return device.key;
  }

  /** A user key from any of name (`DOMAIN\name`, `name@upn`), domain, SID and UPN. */
  user(input: { name?: string; domain?: string; sid?: string; upn?: string }): string | undefined {
    const sid = input.sid && /^s-1-[0-9-]+$/i.test(input.sid) ? input.sid : undefined;
    const user = createUser({ ...input, sid });
    if (!user) return undefined;
    for (const alias of entityAliases(user)) this.aliases.push([alias, user.key]);
    return this.keys.add(user.key);
  }

  /** A process on this event's device: by its unique id (GUID, entity id) or pid. */
  process(id: { guid?: string; pid?: string | number }): string | undefined {
    if (!this.deviceName) return undefined;
    const guid = normalizeGuid(id.guid);
    if (guid) return this.keys.add(`process:${this.deviceName}:${guid}`);
    const pid =
      typeof id.pid === 'number'
        ? id.pid
        : id.pid !== undefined && /^\d+$/.test(id.pid)
          ? Number(id.pid)
          : undefined;
    return pid === undefined ? undefined : this.keys.add(`process:${this.deviceName}:${pid}`);
  }

  /** File digests: the columns take the first seen, the keys all of them. */
  hashes(values: { sha256?: string; sha1?: string; md5?: string }): void {
    for (const candidate of [values.sha256, values.sha1, values.md5]) {
      const digest = normalizeHash(candidate);
      if (!digest) continue;
      this.fields[digest.algorithm] ??= digest.value;
      this.keys.add(`file:${digest.algorithm}:${digest.value}`);
    }
  }

  ip(value: string | undefined): string | undefined {
    const ip = normalizeIp(value);
    if (ip) this.keys.add(`ip:${ip}`);
    return ip;
  }

  port(value: unknown): number | undefined {
    const port = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
    return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
  }

  domain(value: string | undefined): string | undefined {
    if (!value || normalizeIp(value)) return undefined;
    const domain = normalizeDomain(value);
    if (!domain || !domain.includes('.')) return undefined;
    this.keys.add(`domain:${domain}`);
    return domain;
  }

  url(value: string | undefined): string | undefined {
    const url = normalizeUrl(value);
    if (!url) return undefined;
    this.keys.add(`url:${url}`);
    const host = new URL(url).hostname;
    this.domain(host);
    return url;
  }

  mailbox(value: string | undefined): string | undefined {
    const address = normalizeEmailAddress(value);
    if (address) this.keys.add(`mailbox:${address}`);
    return address;
  }

  build(): EventDraft {
    const fields = this.fields as Record<string, unknown>;
    for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
    return {
      ...this.base,
      ...(this.fields as Omit<EventDraft, 'keys'>),
      keys: this.keys.toArray(),
      ...(this.aliases.length > 0 ? { aliases: this.aliases } : {}),
    };
  }
}
