/**
 * Reading one Windows record into an event: the fields each event id's mapping (windows-telemetry.ts) asks for —
 * processes, accounts, files, network peers, registry values — normalised to entity keys as it goes.
 */
import { entityAliases, type UserEntity } from '../domain/entity.js';
import { KeySet, type EventDraft, type EventOutcome } from '../domain/event.js';
import type { WindowsRecord } from '../records/windows-record.js';
import {
  normalizeDomain,
  normalizeGuid,
  normalizeIp,
  parseHashList,
  parsePid,
} from '../domain/entity-values.js';
import { createDevice, createUser } from '../domain/entity-builders.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** An event being read: every field settable. */
export type Draft = Mutable<Omit<EventDraft, 'keys' | 'aliases'>>;
const deviceKeys = new Map<string, { key?: string; alias?: readonly [string, string] }>();

export class Reader {
  readonly draft: Draft;
  readonly keys = new KeySet();
  readonly aliases: (readonly [string, string])[] = [];
  private readonly device: string | undefined;

  constructor(
    readonly record: WindowsRecord,
    fallbackTime: number,
  ) {
    const device = this.deviceOf(record.computer);
    this.device = device?.slice('device:'.length);
    this.draft = {
      time: record.time ?? fallbackTime,
      format: 'windows',
      source: record.channel ?? record.provider ?? 'windows',
      code: String(record.eventId),
      kind: 'other',
      deviceKey: this.keys.add(device),
    };
  }

  private deviceOf(computer: string | undefined): string | undefined {
    if (!computer) return undefined;
    let known = deviceKeys.get(computer);
    if (!known) {
      const device = createDevice({ hostname: computer });
      const alias = device?.fqdn ? ([`device:${device.hostname}`, device.key] as const) : undefined;
      known = { key: device?.key, alias };
      if (deviceKeys.size > 10_000) deviceKeys.clear();
      deviceKeys.set(computer, known);
    }
    if (known.alias) this.aliases.push(known.alias);
    return known.key;
  }

  /** A data field by name, or by the first alternative spelling present (Sysmon 10 has written `…GUID`). */
  field(name: string, ...alternatives: string[]): string | undefined {
    let value = this.record.data[name];
    for (let index = 0; value === undefined && index < alternatives.length; index++)
      value = this.record.data[alternatives[index] as string];
    return value === undefined || value === '' || value === '-' ? undefined : value;
  }

  /** The acting process (Sysmon's ProcessGuid/ProcessId/Image/User by default). */
  actor(guidField = 'ProcessGuid', pidField = 'ProcessId', imageField = 'Image', userField = 'User'): void {
    const guid = this.field(guidField, guidField.replace(/Guid$/, 'GUID'));
    this.draft.processKey = this.keys.add(this.processKey(guid, this.field(pidField)));
    this.draft.imagePath = this.field(imageField);
    this.draft.userKey = this.user(this.field(userField));
  }

  parent(guidField: string, pidField: string): void {
    this.draft.parentProcessKey = this.keys.add(this.processKey(this.field(guidField), this.field(pidField)));
  }

  /** A process named by a Security event's pid (decimal or hex) and image path. */
  processFromSecurity(pidField: string, imageField: string, started = false): void {
    const pid = this.field(pidField);
    if (pid === undefined) return;
    const key = this.processKey(undefined, pid, started ? this.draft.time : undefined);
    this.draft.processKey = this.keys.add(key);
    this.draft.imagePath = this.field(imageField) ?? this.draft.imagePath;
  }

  /** `process:<device>:<guid>`, or `<pid>@<start>` when the start is known, or `<pid>`. */
  processKey(guid: string | undefined, pid: string | undefined, startedAt?: number): string | undefined {
    if (!this.device) return undefined;
    const normalized = normalizeGuid(guid);
    if (normalized) return `process:${this.device}:${normalized}`;
    const number = parsePid(pid);
    if (number === undefined) return undefined;
    return startedAt === undefined
      ? `process:${this.device}:${number}`
      : `process:${this.device}:${number}@${new Date(startedAt).toISOString().toLowerCase()}`;
  }

  /** A user key from `DOMAIN\name`, a UPN or a SID. */
  user(value: string | undefined): string | undefined {
    if (!value) return undefined;
    const sid = /^s-1-[0-9-]+$/i.test(value) ? value : undefined;
    return this.keys.add(createUser(sid ? { sid } : { name: value })?.key);
  }

  private account(prefix: 'Subject' | 'Target'): UserEntity | undefined {
    const user = createUser({
      name: this.field(`${prefix}UserName`),
      domain: this.field(`${prefix}DomainName`),
      sid: this.field(`${prefix}UserSid`) ?? (prefix === 'Target' ? this.field('TargetSid') : undefined),
    });
    if (user) for (const alias of entityAliases(user)) this.aliases.push([alias, user.key]);
    return user;
  }

  /**
   * Security events name a subject (who did it) and often a target account. For logons the target is the user
   * who logged on, the subject the service that asked.
   */
  subjectAndTarget(targetIsUser: boolean): void {
    const subject = this.account('Subject');
    const target = this.account('Target');
    const [user, other] = targetIsUser
      ? [target ?? subject, target ? subject : undefined]
      : [subject, target];
    this.draft.userKey = this.keys.add(user?.key);
    this.draft.targetUserKey = this.keys.add(other?.key);
  }

  hashes(value: string | undefined): void {
    if (!value) return;
    const hashes = parseHashList(value);
    // `Hash` (Sysmon 15) may be a single digest without an algorithm prefix.
    if (!hashes.sha256 && !hashes.sha1 && !hashes.md5) {
      const bare = value.trim().toLowerCase();
      if (/^[0-9a-f]{64}$/.test(bare)) hashes.sha256 = bare;
    }
    this.draft.sha256 = hashes.sha256;
    this.draft.sha1 = hashes.sha1;
    this.draft.md5 = hashes.md5;
    if (hashes.sha256) this.keys.add(`file:sha256:${hashes.sha256}`);
    if (hashes.sha1) this.keys.add(`file:sha1:${hashes.sha1}`);
    if (hashes.md5) this.keys.add(`file:md5:${hashes.md5}`);
  }

  network(srcIp: string, srcPort: string, dstIp: string, dstPort: string): void {
    this.draft.srcIp = this.ip(this.field(srcIp));
    this.draft.srcPort = this.port(this.field(srcPort));
    this.draft.dstIp = this.ip(this.field(dstIp));
    this.draft.dstPort = this.port(this.field(dstPort));
  }

  ip(value: string | undefined): string | undefined {
    const ip = normalizeIp(value);
    if (ip) this.keys.add(`ip:${ip}`);
    return ip;
  }

  port(value: string | undefined): number | undefined {
    if (value === undefined) return undefined;
    const port = Number(value);
    return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
  }

  domain(value: string | undefined): string | undefined {
    const domain = normalizeDomain(value);
    if (domain && domain.includes('.')) {
      this.keys.add(`domain:${domain}`);
      return domain;
    }
    return undefined;
  }

  /** Sysmon's code-signing fields of a loaded image: who signed it, and whether the signature held. */
  signature(): void {
    const signed = this.field('Signed');
    if (signed === undefined) return;
    const details: Record<string, unknown> = { signed: signed.toLowerCase() === 'true' };
    const signer = this.field('Signature');
    const status = this.field('SignatureStatus');
    if (signer && signer !== '-') details.signer = signer;
    if (status && status !== '-') details.signatureStatus = status;
    this.draft.details = details;
  }

  finish(): EventDraft {
    const draft = this.draft as Record<string, unknown>;
    for (const key in draft) if (draft[key] === undefined) delete draft[key];
    return {
      ...(this.draft as EventDraft),
      keys: this.keys.toArray(),
      ...(this.aliases.length > 0 ? { aliases: this.aliases } : {}),
    };
  }
}

export function ipKey(value: string): string | undefined {
  const ip = normalizeIp(value);
  return ip ? `ip:${ip}` : undefined;
}

/** Windows status codes: 0x0 is success, anything else a failure. */
export function statusOutcome(status: string | undefined): EventOutcome | undefined {
  if (status === undefined) return undefined;
  return /^0x0+$|^0$/i.test(status.trim()) ? 'success' : 'failure';
}

/** `Key = Value` / `Key=Value` lines, keys without spaces. */
export function contextFields(text: string | undefined): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of (text ?? '').split(/\r?\n/)) {
    const match = /^\s*([A-Za-z][A-Za-z ]{0,40}?)\s*=\s*(.*)$/.exec(line);
    if (match) {
      const key = (match[1] as string).replace(/ /g, '');
      if (!(key in fields)) fields[key] = (match[2] as string).trim();
    }
  }
  return fields;
}

const IP_PROTOCOLS: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'ipv6-icmp' };

export function ipProtocol(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return IP_PROTOCOLS[value.trim()] ?? value.trim().toLowerCase();
}
