/**
 * Windows event log records (windows-record.ts) → normalised telemetry events. One table per provider maps event
 * ids to an event kind and the fields that matter; the same code serves NXLog, Winlogbeat, evtx_dump JSON and raw
 * EVTX, so every shipper of the same event gives the same event.
 */
import { entityAliases, type UserEntity } from '../domain/entity.js';
import { KeySet, type EventDraft, type EventKind, type EventOutcome } from '../domain/event.js';
import type { WindowsRecord } from '../records/windows-record.js';
import {
  normalizeDomain,
  normalizeGuid,
  normalizeIp,
  normalizeRegistryPath,
  parseHashList,
  parsePid,
} from '../domain/entity-values.js';
import { createDevice, createUser } from '../domain/entity-builders.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Draft = Mutable<Omit<EventDraft, 'keys' | 'aliases'>>;

/** What an event id means: its kind, and how to read its fields into the event. */
interface Mapping {
  readonly kind: EventKind;
  readonly read?: (event: Reader) => void;
}

const SYSMON = 'Microsoft-Windows-Sysmon';
const SECURITY = 'Microsoft-Windows-Security-Auditing';

/** Normalise one record. `undefined` time falls back to `fallbackTime` (never to the clock). */
export function windowsEventDraft(record: WindowsRecord, fallbackTime = 0): EventDraft {
  const reader = new Reader(record, fallbackTime);
  const mapping = mappingFor(record);
  reader.draft.kind = mapping.kind;
  mapping.read?.(reader);
  return reader.finish();
}

function mappingFor(record: WindowsRecord): Mapping {
  const provider = record.provider ?? '';
  const channel = record.channel ?? '';
  if (provider === SYSMON || channel === 'Microsoft-Windows-Sysmon/Operational')
    return sysmon[record.eventId] ?? OTHER;
  if (channel === 'Security' || provider === SECURITY) return security[record.eventId] ?? OTHER;
  if (channel === 'System' && record.eventId === 7045) return serviceInstalled;
  if (channel === 'Microsoft-Windows-PowerShell/Operational' || provider === 'Microsoft-Windows-PowerShell')
    return powershell[record.eventId] ?? OTHER;
  if (channel === 'Windows PowerShell' || provider === 'PowerShell') return classicPowershell;
  if (channel === 'Microsoft-Windows-TaskScheduler/Operational')
    return taskScheduler[record.eventId] ?? OTHER;
  return OTHER;
}

/** Any other event: whatever process and account it names. */
const OTHER: Mapping = {
  kind: 'other',
  read(e) {
    e.actor();
    if (!e.draft.userKey) e.subjectAndTarget(false);
    if (!e.draft.processKey) e.processFromSecurity('ProcessId', 'ProcessName');
  },
};

// --- Sysmon ------------------------------------------------------------------------------------------------

const processStart: Mapping = {
  kind: 'processStart',
  read(e) {
    e.actor();
    e.parent('ParentProcessGuid', 'ParentProcessId');
    e.hashes(e.field('Hashes'));
    e.draft.commandLine = e.field('CommandLine');
  },
};

const targetFile = (kind: EventKind, hashField?: string): Mapping => ({
  kind,
  read(e) {
    e.actor();
    e.draft.targetPath = e.field('TargetFilename');
    if (hashField) e.hashes(e.field(hashField));
  },
});

const processToProcess = (kind: EventKind): Mapping => ({
  kind,
  read(e) {
    e.actor('SourceProcessGuid', 'SourceProcessId', 'SourceImage', 'SourceUser');
    e.draft.targetProcessKey = e.keys.add(
      e.processKey(e.field('TargetProcessGuid', 'TargetProcessGUID'), e.field('TargetProcessId')),
    );
    e.draft.targetPath = e.field('TargetImage');
    e.draft.targetUserKey = e.user(e.field('TargetUser'));
    // The rights asked for (`0x1010`): what credential-access analysis reads.
    const access = e.field('GrantedAccess');
    if (access) e.draft.details = { grantedAccess: access.toLowerCase() };
  },
});

const registry = (kind: EventKind): Mapping => ({
  kind,
  read(e) {
    e.actor();
    e.draft.registryPath = normalizeRegistryPath(e.field('TargetObject')) ?? e.field('TargetObject');
    e.draft.registryValue = e.field('Details') ?? e.field('NewName');
  },
});

const sysmon: Record<number, Mapping> = {
  1: processStart,
  2: targetFile('fileTimestamp'),
  3: {
    kind: 'networkConnection',
    read(e) {
      e.actor();
      e.network('SourceIp', 'SourcePort', 'DestinationIp', 'DestinationPort');
      e.draft.protocol = e.field('Protocol')?.toLowerCase();
      e.draft.domain = e.domain(e.field('DestinationHostname'));
    },
  },
  5: { kind: 'processEnd', read: (e) => e.actor() },
  6: {
    kind: 'driverLoad',
    read(e) {
      e.draft.targetPath = e.field('ImageLoaded');
      e.hashes(e.field('Hashes'));
      e.signature();
    },
  },
  7: {
    kind: 'imageLoad',
    read(e) {
      e.actor();
      e.draft.targetPath = e.field('ImageLoaded');
      e.hashes(e.field('Hashes'));
      e.signature();
    },
  },
  8: processToProcess('remoteThread'),
  9: {
    kind: 'rawDiskAccess',
    read(e) {
      e.actor();
      e.draft.targetPath = e.field('Device');
    },
  },
  10: processToProcess('processAccess'),
  11: targetFile('fileCreate'),
  12: {
    kind: 'registryCreate',
    read(e) {
      registry('registryCreate').read?.(e);
      if (/delete/i.test(e.field('EventType') ?? '')) e.draft.kind = 'registryDelete';
    },
  },
  13: registry('registrySet'),
  14: registry('registryRename'),
  15: targetFile('fileStream', 'Hash'),
  17: {
    kind: 'pipeCreate',
    read(e) {
      e.actor();
      e.draft.targetPath = e.field('PipeName');
    },
  },
  18: {
    kind: 'pipeConnect',
    read(e) {
      e.actor();
      e.draft.targetPath = e.field('PipeName');
    },
  },
  19: { kind: 'wmiEvent', read: (e) => e.actor() },
  20: { kind: 'wmiEvent', read: (e) => e.actor() },
  21: { kind: 'wmiEvent', read: (e) => e.actor() },
  22: {
    kind: 'dnsQuery',
    read(e) {
      e.actor();
      e.draft.domain = e.domain(e.field('QueryName'));
      // QueryResults: `type: 5 cdn.example.net;::ffff:93.184.216.34;` — the addresses it resolved to.
      for (const part of (e.field('QueryResults') ?? '').split(';')) e.keys.add(ipKey(part));
    },
  },
  23: targetFile('fileDelete', 'Hashes'),
  25: { kind: 'processTampering', read: (e) => e.actor() },
  26: targetFile('fileDelete', 'Hashes'),
  27: { ...targetFile('fileCreate', 'Hashes'), kind: 'fileCreate' },
  28: targetFile('fileDelete', 'Hashes'),
  29: targetFile('fileCreate', 'Hashes'),
};
// Blocked actions (27 executable blocked, 28 shredding blocked) did not happen.
const blocked = new Set([27, 28]);

// --- Security ----------------------------------------------------------------------------------------------

const logon = (kind: EventKind): Mapping => ({
  kind,
  read(e) {
    e.subjectAndTarget(true);
    e.draft.srcIp = e.ip(e.field('IpAddress'));
    e.draft.srcPort = e.port(e.field('IpPort'));
    e.processFromSecurity('ProcessId', 'ProcessName');
  },
});

const security: Record<number, Mapping> = {
  4624: logon('logon'),
  4625: { kind: 'logonFailed', read: (e) => (logon('logonFailed').read?.(e), (e.draft.outcome = 'failure')) },
  4634: { kind: 'logoff', read: (e) => e.subjectAndTarget(true) },
  4647: { kind: 'logoff', read: (e) => e.subjectAndTarget(true) },
  4648: {
    kind: 'explicitCredentials',
    read(e) {
      logon('explicitCredentials').read?.(e);
      e.draft.domain = e.domain(e.field('TargetServerName'));
    },
  },
  4672: { kind: 'specialPrivileges', read: (e) => e.subjectAndTarget(false) },
  4688: {
    kind: 'processStart',
    read(e) {
      // TargetUser* (Windows 10+) is the account the new process runs as; the subject is its creator's.
      e.subjectAndTarget(true);
      // The creator is ProcessId/ParentProcessName; the new process is NewProcessId/NewProcessName.
      e.processFromSecurity('NewProcessId', 'NewProcessName', true);
      const parentPid = e.field('ProcessId');
      e.draft.parentProcessKey = e.keys.add(e.processKey(undefined, parentPid));
      e.draft.commandLine = e.field('CommandLine');
    },
  },
  4689: {
    kind: 'processEnd',
    read(e) {
      e.subjectAndTarget(false);
      e.processFromSecurity('ProcessId', 'ProcessName');
    },
  },
  4697: {
    kind: 'serviceInstall',
    read(e) {
      e.subjectAndTarget(false);
      e.draft.targetPath = e.field('ServiceFileName');
      e.draft.commandLine = e.field('ServiceFileName');
    },
  },
  4698: {
    kind: 'taskCreate',
    read(e) {
      e.subjectAndTarget(false);
      e.draft.targetPath = e.field('TaskName');
    },
  },
  4702: {
    kind: 'taskChange',
    read(e) {
      e.subjectAndTarget(false);
      e.draft.targetPath = e.field('TaskName');
    },
  },
  4720: { kind: 'accountCreate', read: (e) => e.subjectAndTarget(false) },
  4722: { kind: 'accountChange', read: (e) => e.subjectAndTarget(false) },
  4724: { kind: 'accountChange', read: (e) => e.subjectAndTarget(false) },
  4738: { kind: 'accountChange', read: (e) => e.subjectAndTarget(false) },
  4768: {
    kind: 'kerberosTgt',
    read(e) {
      e.subjectAndTarget(true);
      e.draft.srcIp = e.ip(e.field('IpAddress'));
      e.draft.srcPort = e.port(e.field('IpPort'));
      e.draft.outcome = statusOutcome(e.field('Status'));
    },
  },
  4769: {
    kind: 'kerberosService',
    read(e) {
      e.subjectAndTarget(true);
      e.draft.srcIp = e.ip(e.field('IpAddress'));
      e.draft.srcPort = e.port(e.field('IpPort'));
      e.draft.targetPath = e.field('ServiceName');
      e.draft.outcome = statusOutcome(e.field('Status'));
    },
  },
  4771: {
    kind: 'kerberosTgt',
    read(e) {
      e.subjectAndTarget(true);
      e.draft.srcIp = e.ip(e.field('IpAddress'));
      e.draft.outcome = 'failure';
    },
  },
  4776: {
    kind: 'credentialValidation',
    read(e) {
      e.subjectAndTarget(true);
      e.draft.domain = e.domain(e.field('Workstation'));
      e.draft.outcome = statusOutcome(e.field('Status'));
    },
  },
  5140: {
    kind: 'shareAccess',
    read(e) {
      e.subjectAndTarget(false);
      e.draft.srcIp = e.ip(e.field('IpAddress'));
      e.draft.srcPort = e.port(e.field('IpPort'));
      e.draft.targetPath = e.field('ShareName');
    },
  },
  5145: {
    kind: 'shareAccess',
    read(e) {
      e.subjectAndTarget(false);
      e.draft.srcIp = e.ip(e.field('IpAddress'));
      e.draft.srcPort = e.port(e.field('IpPort'));
      const share = e.field('ShareName');
      const relative = e.field('RelativeTargetName');
      e.draft.targetPath = share && relative ? `${share}\\${relative}` : (share ?? relative);
    },
  },
  5156: {
    kind: 'networkConnection',
    read(e) {
      e.processFromSecurity('ProcessID', 'Application');
      e.processFromSecurity('ProcessId', 'Application');
      e.network('SourceAddress', 'SourcePort', 'DestAddress', 'DestPort');
      e.draft.protocol = ipProtocol(e.field('Protocol'));
    },
  },
  5157: {
    kind: 'networkConnection',
    read(e) {
      security[5156]?.read?.(e);
      e.draft.outcome = 'failure';
    },
  },
};

const serviceInstalled: Mapping = {
  kind: 'serviceInstall',
  read(e) {
    e.draft.userKey = e.user(e.field('AccountName'));
    e.draft.targetPath = e.field('ImagePath');
    e.draft.commandLine = e.field('ImagePath');
  },
};

// --- PowerShell --------------------------------------------------------------------------------------------

const powershell: Record<number, Mapping> = {
  4103: {
    kind: 'pipelineExecution',
    read(e) {
      // Context lines: `Host Application = …`, `User = …`, `Script Name = …`.
      const context = contextFields(e.field('ContextInfo'));
      e.draft.userKey = e.user(context.User);
      e.draft.imagePath = context.HostApplication;
      e.draft.commandLine = e.field('Payload');
      e.draft.targetPath = context.ScriptName || undefined;
    },
  },
  4104: {
    kind: 'scriptBlock',
    read(e) {
      e.draft.userKey = e.user(e.record.userSid);
      e.draft.commandLine = e.field('ScriptBlockText');
      e.draft.targetPath = e.field('Path');
    },
  },
};

/** Windows PowerShell 400/403/600/800: `HostApplication=…`, `UserId=…`, `CommandLine=…` in the message. */
const classicPowershell: Mapping = {
  kind: 'other',
  read(e) {
    const fields = { ...contextFields(e.record.message ?? ''), ...e.record.data };
    if (e.record.eventId === 800) e.draft.kind = 'pipelineExecution';
    e.draft.userKey = e.user(fields.UserId);
    e.draft.commandLine = fields.HostApplication ?? fields.CommandLine;
    e.draft.targetPath = fields.ScriptName || undefined;
  },
};

const taskScheduler: Record<number, Mapping> = {
  106: {
    kind: 'taskCreate',
    read(e) {
      e.draft.userKey = e.user(e.field('UserContext'));
      e.draft.targetPath = e.field('TaskName');
    },
  },
  140: {
    kind: 'taskChange',
    read(e) {
      e.draft.userKey = e.user(e.field('UserName'));
      e.draft.targetPath = e.field('TaskName');
    },
  },
};

// --- reading -----------------------------------------------------------------------------------------------

const deviceKeys = new Map<string, { key?: string; alias?: readonly [string, string] }>();

class Reader {
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
    if (blocked.has(record.eventId) && mappingFor(record) === sysmon[record.eventId])
      this.draft.outcome = 'failure';
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

function ipKey(value: string): string | undefined {
  const ip = normalizeIp(value);
  return ip ? `ip:${ip}` : undefined;
}

/** Windows status codes: 0x0 is success, anything else a failure. */
function statusOutcome(status: string | undefined): EventOutcome | undefined {
  if (status === undefined) return undefined;
  return /^0x0+$|^0$/i.test(status.trim()) ? 'success' : 'failure';
}

/** `Key = Value` / `Key=Value` lines, keys without spaces. */
function contextFields(text: string | undefined): Record<string, string> {
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

function ipProtocol(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return IP_PROTOCOLS[value.trim()] ?? value.trim().toLowerCase();
}
