/**
 * Telemetry events: what happened on a device, on the network, in a mailbox or at a sign-in, normalised so that
 * investigations can ask the same questions of every source (which devices ran this file, what did this process
 * connect to, who received this message). One event is one record of the source; its fields are the ones
 * investigations search, in entity-key form where they name an entity.
 */
import { keyText } from './entity.js';

/** What kind of thing happened. Sources map their own event ids onto these (ingest/events/*). */
export const eventKinds = [
  // Processes
  'processStart',
  'processEnd',
  'processAccess',
  'remoteThread',
  'processTampering',
  'imageLoad',
  'driverLoad',
  // Files
  'fileCreate',
  'fileDelete',
  'fileModify',
  'fileStream',
  'fileTimestamp',
  'rawDiskAccess',
  // Registry, pipes, WMI
  'registryCreate',
  'registryDelete',
  'registrySet',
  'registryRename',
  'pipeCreate',
  'pipeConnect',
  'wmiEvent',
  // Network
  'networkConnection',
  'dnsQuery',
  'httpRequest',
  'tlsHandshake',
  'certificate',
  'fileTransfer',
  'shareAccess',
  'smbMapping',
  // Identity
  'logon',
  'logonFailed',
  'logoff',
  'explicitCredentials',
  'specialPrivileges',
  'kerberosTgt',
  'kerberosService',
  'credentialValidation',
  'accountCreate',
  'accountChange',
  // Services, tasks, scripts
  'serviceInstall',
  'taskCreate',
  'taskChange',
  'scriptBlock',
  'pipelineExecution',
  // E-mail
  'emailDelivered',
  'urlClick',
  /** A mailbox inbox rule or forwarding created or changed. */
  'mailboxRule',
  // Anything else a source records
  'other',
] as const;

export type EventKind = (typeof eventKinds)[number];

/** `success` / `failure` where the source says so. */
export type EventOutcome = 'success' | 'failure';

/**
 * A normalised event as a parser produces it. Times are epoch milliseconds (UTC). Every `*Key` is an entity key
 * (domain/entity.ts); `keys` lists every entity key the event names, for the search index.
 */
export interface EventDraft {
  readonly time: number;
  /** The format it was read as: `windows`, `zeek`, `ocsf`, `ecs`, `email`. */
  readonly format: string;
  /** The log it came from: `Microsoft-Windows-Sysmon/Operational`, `Security`, `zeek/conn`, `ocsf/1007`. */
  readonly source: string;
  /** The source's own event id or type: `1`, `4688`, `conn`, `1007`. */
  readonly code: string;
  readonly kind: EventKind;
  readonly outcome?: EventOutcome;
  readonly deviceKey?: string;
  readonly userKey?: string;
  /** The acting process. */
  readonly processKey?: string;
  readonly parentProcessKey?: string;
  /** The acting process's image, or the file a file event is about when there is no process. */
  readonly imagePath?: string;
  readonly commandLine?: string;
  /** Hashes of the acting image (process start) or of the file the event is about (image load, file create). */
  readonly sha256?: string;
  readonly sha1?: string;
  readonly md5?: string;
  /** The file acted on (created, deleted, loaded module, attachment name). */
  readonly targetPath?: string;
  /** The process acted on (process access, remote thread). */
  readonly targetProcessKey?: string;
  readonly targetUserKey?: string;
  readonly registryPath?: string;
  readonly registryValue?: string;
  readonly srcIp?: string;
  readonly srcPort?: number;
  readonly dstIp?: string;
  readonly dstPort?: number;
  readonly protocol?: string;
  readonly domain?: string;
  readonly url?: string;
  readonly mailSender?: string;
  readonly mailRecipients?: readonly string[];
  readonly mailMessageId?: string;
  readonly mailSubject?: string;
  /**
   * Every entity key the event names (device, users, processes, file hashes, IPs, domains, URLs, mail), and the
   * other hash keys of its files (`file:sha1:…` beside `file:sha256:…`) so that any known digest finds it.
   */
  readonly keys: readonly string[];
  /** What else the source says that investigations show but do not search by (e-mail authentication, attachments…). */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Aliases the event's entities establish ([alias key, entity key]): an FQDN's short name, a SID's account. */
  readonly aliases?: readonly (readonly [string, string])[];
}

/** Kinds that start a process: the events process lineage is built from. */
export const processStartKinds: readonly EventKind[] = ['processStart'];

/** Kinds that record a logon or sign-in attempt. */
export const logonKinds: readonly EventKind[] = [
  'logon',
  'logonFailed',
  'explicitCredentials',
  'kerberosTgt',
  'kerberosService',
  'credentialValidation',
];

/**
 * The search term of a message subject: not an entity, but listed with the keys so that messages with the same
 * subject can be found (EventQuery.similarMessages).
 */
export function subjectKey(subject: string): string {
  return `mailSubject:${subject.trim().replace(/\s+/g, ' ').toLowerCase()}`;
}

/**
 * The search term of a host agent's investigation packages (`agentpackage:web1.corp.example`, lower-case as search terms are): not an entity, but
 * listed with the keys of every event of a device's packages, so that they are found without scanning the
 * device's other telemetry.
 */
export function agentPackageKey(deviceKey: string): string {
  return `agentpackage:${deviceKey.slice('device:'.length)}`;
}

/** Collects entity keys without repeats, skipping absent ones. */
export class KeySet {
  private readonly seen = new Set<string>();

  add(key: string | undefined): string | undefined {
    if (key === undefined || key === '') return key;
    const text = keyText(key);
    this.seen.add(text);
    return text;
  }

  toArray(): string[] {
    return [...this.seen];
  }
}

/** Where a sign-in came from, as the source located it: `details.geo` of logon events. */
export interface GeoPoint {
  readonly lat: number;
  readonly lon: number;
  readonly city?: string;
  readonly country?: string;
}

/** A geo point from loose values, or `undefined` unless both coordinates are in range. */
export function geoPoint(input: {
  lat?: number;
  lon?: number;
  city?: string;
  country?: string;
}): GeoPoint | undefined {
  const { lat, lon } = input;
  if (lat === undefined || lon === undefined || !Number.isFinite(lat) || !Number.isFinite(lon))
    return undefined;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
  return {
    lat,
    lon,
    ...(input.city ? { city: input.city } : {}),
    ...(input.country ? { country: input.country } : {}),
  };
}

/** A stored telemetry event, as searches return it: the normalised event with its id and times as ISO 8601. */
export type EventRecord = Omit<EventDraft, 'time' | 'aliases'> & {
  /** `evt_<n>`. */
  readonly id: string;
  readonly time: string;
  readonly ingestedAt: string;
};

/** Entity types worth an index entry: the ones investigations look events up by. Devices use their own index. */
export function indexedEventKey(key: string): boolean {
  return !(key.startsWith('device:') || key.startsWith('file:path:') || key.startsWith('registry'));
}
