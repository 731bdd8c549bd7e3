/**
 * Entities: the typed things alerts and events name, and their stable keys (DESIGN.md §5).
 *
 * An entity's key is *derived* from its normalised attributes by {@link entityKey}; it is never chosen by a parser.
 * That is what makes the same thing seen by two sources one entity. Keys are `type:value`, lower-cased, with two
 * deliberate exceptions where case carries meaning: URL paths and queries, and POSIX file paths.
 *
 * @example
 *   entityKey(createDevice({ hostname: 'MKT01.pandalab.com' })) // 'device:mkt01.pandalab.com'
 */

export const entityTypes = [
  'device',
  'user',
  'mailbox',
  'mailMessage',
  'mailCluster',
  'file',
  'process',
  'ip',
  'url',
  'domain',
  'registryKey',
  'registryValue',
  'service',
  'scheduledTask',
  'cloudApp',
] as const;

export type EntityType = (typeof entityTypes)[number];

/** Roles an entity plays in an alert or investigation (Graph's `roles`, lower-camel). */
export const entityRoles = [
  'attacker',
  'compromised',
  'source',
  'destination',
  'commandAndControl',
  'contextual',
  'created',
  'added',
  'edited',
  'deleted',
  'loaded',
  'policyViolator',
  'suspicious',
  'scanned',
  'parent',
  'child',
] as const;

export type EntityRole = (typeof entityRoles)[number];

interface EntityBase {
  readonly key: string;
  /** Roles this entity plays where it is named (an alert, an event). */
  readonly roles?: readonly EntityRole[];
}

export interface DeviceEntity extends EntityBase {
  readonly type: 'device';
  /** Short host name, lower-case (`mkt01`). */
  readonly hostname: string;
  /** Fully qualified name when known (`mkt01.pandalab.com`). */
  readonly fqdn?: string;
  readonly os?: string;
  readonly ips?: readonly string[];
  /** Identifiers the device has in other systems, e.g. `{ mde: '73e7…', wazuh: '004' }`. */
  readonly externalIds?: Readonly<Record<string, string>>;
}

export interface UserEntity extends EntityBase {
  readonly type: 'user';
  /** Account name, lower-case (`stevie.marie`). */
  readonly name?: string;
  /** NetBIOS or DNS domain of the account, lower-case (`pandalab`). */
  readonly domain?: string;
  readonly upn?: string;
  readonly sid?: string;
  readonly displayName?: string;
}

export interface MailboxEntity extends EntityBase {
  readonly type: 'mailbox';
  readonly address: string;
  readonly displayName?: string;
}

export interface MailMessageEntity extends EntityBase {
  readonly type: 'mailMessage';
  /** Internet Message-ID without angle brackets, lower-case. */
  readonly messageId: string;
  readonly subject?: string;
  readonly sender?: string;
  readonly recipient?: string;
  readonly receivedAt?: string;
}

export interface MailClusterEntity extends EntityBase {
  readonly type: 'mailCluster';
  readonly clusterId: string;
  readonly query?: string;
}

export interface FileEntity extends EntityBase {
  readonly type: 'file';
  readonly sha256?: string;
  readonly sha1?: string;
  readonly md5?: string;
  readonly name?: string;
  /** Full path including the name, as reported (case kept for display). */
  readonly path?: string;
  readonly size?: number;
  /** Device key value (`mkt01.pandalab.com`) where the file was seen; part of the key when there is no hash. */
  readonly device?: string;
  readonly signer?: string;
  readonly publisher?: string;
}

export interface ProcessEntity extends EntityBase {
  readonly type: 'process';
  /** Device key value the process ran on. */
  readonly device: string;
  readonly pid?: number;
  /** A unique process id from the source (Sysmon ProcessGuid, Elastic `process.entity_id`), lower-case. */
  readonly guid?: string;
  /** Process start, ISO 8601 UTC with milliseconds. */
  readonly startedAt?: string;
  readonly commandLine?: string;
  readonly imagePath?: string;
  readonly imageKey?: string;
  readonly parentKey?: string;
  readonly userKey?: string;
}

export interface IpEntity extends EntityBase {
  readonly type: 'ip';
  readonly address: string;
}

export interface UrlEntity extends EntityBase {
  readonly type: 'url';
  readonly url: string;
}

export interface DomainEntity extends EntityBase {
  readonly type: 'domain';
  readonly name: string;
}

export interface RegistryKeyEntity extends EntityBase {
  readonly type: 'registryKey';
  /** `hklm\system\…`, normalised by {@link normalizeRegistryPath}. */
  readonly path: string;
  readonly device?: string;
}

export interface RegistryValueEntity extends EntityBase {
  readonly type: 'registryValue';
  /** The key's path (normalised) — the value name is separate. */
  readonly keyPath: string;
  readonly valueName: string;
  readonly valueData?: string;
  readonly valueType?: string;
  readonly device?: string;
}

export interface ServiceEntity extends EntityBase {
  readonly type: 'service';
  readonly device: string;
  readonly name: string;
  readonly imagePath?: string;
}

export interface ScheduledTaskEntity extends EntityBase {
  readonly type: 'scheduledTask';
  readonly device: string;
  /** Task path, e.g. `\microsoft\windows\updater`. */
  readonly name: string;
}

export interface CloudAppEntity extends EntityBase {
  readonly type: 'cloudApp';
  readonly appId?: string;
  readonly name: string;
}

export type Entity =
  | DeviceEntity
  | UserEntity
  | MailboxEntity
  | MailMessageEntity
  | MailClusterEntity
  | FileEntity
  | ProcessEntity
  | IpEntity
  | UrlEntity
  | DomainEntity
  | RegistryKeyEntity
  | RegistryValueEntity
  | ServiceEntity
  | ScheduledTaskEntity
  | CloudAppEntity;

export type EntityOf<T extends EntityType> = Extract<Entity, { type: T }>;

/** An entity before its key is derived: what the `create*` builders take. */
export type EntityInput<T extends EntityType> = Omit<EntityOf<T>, 'key' | 'type'>;

// ---------------------------------------------------------------------------------------------------------------
// Normalisers: pure functions that return `undefined` for values they cannot make sense of.
// ---------------------------------------------------------------------------------------------------------------

const HOST_LABEL = /^[a-z0-9_]([a-z0-9_-]{0,62})?$/;

/** Lower-case, trimmed, trailing dot removed; `undefined` for something that is not a host name. */
export function normalizeHostname(
  value: string | undefined | null,
): { hostname: string; fqdn?: string } | undefined {
  if (typeof value !== 'string') return undefined;
  let name = value.trim().toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name === '' || name === '-' || name === 'localhost' || name.length > 253) return undefined;
  if (normalizeIp(name) !== undefined) return undefined;
  const labels = name.split('.');
  // NetBIOS names allow a few more characters than DNS labels; accept them in the short name only.
  const first = labels[0] ?? '';
  if (!/^[a-z0-9_!@#$%^&'(){}~-][a-z0-9_!@#$%^&'(){}~.-]{0,62}$/.test(first)) return undefined;
  if (labels.length === 1) return { hostname: first };
  if (!labels.slice(1).every((label) => HOST_LABEL.test(label))) return undefined;
  return { hostname: first, fqdn: name };
}

/** Canonical IPv4 (no leading zeros) or IPv6 (RFC 5952 compressed); IPv4-mapped IPv6 becomes IPv4. */
export function normalizeIp(value: string | undefined | null): string | undefined {
  if (typeof value !== 'string') return undefined;
  let text = value.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return v4;
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  let host: string;
  try {
    host = new URL(`http://[${text}]/`).hostname;
  } catch {
    return undefined;
  }
  const v6 = host.slice(1, -1).toLowerCase();
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
  if (mapped) {
    const high = Number.parseInt(mapped[1] ?? '0', 16);
    const low = Number.parseInt(mapped[2] ?? '0', 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return v6;
}

const IPV4_SHAPE = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

function parseIpv4(text: string): string | undefined {
  // Host names, domains and URLs pass through here often: reject them before splitting.
  if (!IPV4_SHAPE.test(text)) return undefined;
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    octets.push(octet);
  }
  return octets.join('.');
}

/** Lower-case, trailing dot removed, IDN in punycode; `undefined` for an IP or something not a domain. */
export function normalizeDomain(value: string | undefined | null): string | undefined {
  if (typeof value !== 'string') return undefined;
  let name = refang(value.trim()).toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name === '' || name.length > 253 || !name.includes('.') || /[\s/\\@:]/.test(name)) return undefined;
  if (normalizeIp(name) !== undefined) return undefined;
  let ascii: string;
  try {
    ascii = new URL(`http://${name}/`).hostname;
  } catch {
    return undefined;
  }
  return ascii.split('.').every((label) => HOST_LABEL.test(label)) ? ascii : undefined;
}

/** Undo common defanging: `hxxp://`, `[.]`, `(.)`, `[:]`, `[at]`. */
export function refang(value: string): string {
  return value
    .replace(/^hxxp(s?):\/\//i, 'http$1://')
    .replace(/^fxp:\/\//i, 'ftp://')
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]/gi, '.')
    .replace(/\[:\]/g, ':')
    .replace(/\[at\]|\[@\]/gi, '@');
}

/**
 * WHATWG-normalised absolute URL: scheme and host lower-case, default port and fragment removed, path and query
 * kept as they are (they are case-sensitive). A URL without a scheme is read as `http://`.
 */
export function normalizeUrl(value: string | undefined | null): string | undefined {
  if (typeof value !== 'string') return undefined;
  let text = refang(value.trim());
  if (text === '' || /\s/.test(text)) return undefined;
  // A scheme is `name://` (or one of the few without slashes); `evil.com:8080/x` is a host and port, not one.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !/^(mailto|file|data|javascript|urn):/i.test(text)) {
    if (text.startsWith('//')) text = `http:${text}`;
    else if (/^[^/?#]+\.[^/?#]+/.test(text)) text = `http://${text}`;
    else return undefined;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (!['http:', 'https:', 'ftp:', 'ftps:', 'ws:', 'wss:', 'file:', 'smb:'].includes(url.protocol))
    return undefined;
  if (url.protocol !== 'file:' && url.hostname === '') return undefined;
  url.hash = '';
  return url.href;
}

/** `Name <Alice@Example.com>` → `alice@example.com`. */
export function normalizeEmailAddress(value: string | undefined | null): string | undefined {
  if (typeof value !== 'string') return undefined;
  let text = value.trim();
  const angle = /<([^<>]+)>\s*$/.exec(text);
  if (angle) text = angle[1] ?? '';
  text = refang(text.trim()).toLowerCase();
  if (text.startsWith('mailto:')) text = text.slice('mailto:'.length);
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1 || /[\s<>]/.test(text)) return undefined;
  const host = text.slice(at + 1);
  // A single-label domain is valid for mail inside an organisation (`alice@corp`).
  const domain =
    normalizeDomain(host) ??
    normalizeIp(host.replace(/^\[|\]$/g, '')) ??
    (/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(host) ? host : undefined);
  return domain === undefined ? undefined : `${text.slice(0, at)}@${domain}`;
}

/** `<ABC@host>` → `abc@host`. */
export function normalizeMessageId(value: string | undefined | null): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim().replace(/^<|>$/g, '').trim().toLowerCase();
  return text === '' || /\s/.test(text) ? undefined : text;
}

export type HashAlgorithm = 'sha256' | 'sha1' | 'md5';

/** A hex digest of 32, 40 or 64 characters, lower-case, with its algorithm; `undefined` otherwise. */
export function normalizeHash(
  value: string | undefined | null,
): { algorithm: HashAlgorithm; value: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const hex = value.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex) || /^0+$/.test(hex)) return undefined;
  if (hex.length === 64) return { algorithm: 'sha256', value: hex };
  if (hex.length === 40) return { algorithm: 'sha1', value: hex };
  if (hex.length === 32) return { algorithm: 'md5', value: hex };
  return undefined;
}

/** Parse Sysmon's `Hashes` field (`SHA1=…,MD5=…,SHA256=…,IMPHASH=…`) into the digests we key on. */
export function parseHashList(value: string | undefined | null): {
  sha256?: string;
  sha1?: string;
  md5?: string;
} {
  const result: { sha256?: string; sha1?: string; md5?: string } = {};
  if (typeof value !== 'string') return result;
  for (const part of value.split(/[,;\s]+/)) {
    const eq = part.indexOf('=');
    const algorithm = (eq >= 0 ? part.slice(0, eq) : '').trim().toLowerCase().replace('-', '');
    const digest = normalizeHash(eq >= 0 ? part.slice(eq + 1) : part);
    if (!digest) continue;
    if (algorithm !== '' && algorithm !== digest.algorithm) continue;
    result[digest.algorithm] = digest.value;
  }
  return result;
}

const HIVES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\\?(hkey_local_machine|hklm|registry\\machine)(\\|$)/i, 'hklm'],
  [/^\\?(hkey_current_user|hkcu)(\\|$)/i, 'hkcu'],
  [/^\\?(hkey_users|hku|registry\\user)(\\|$)/i, 'hku'],
  [/^\\?(hkey_classes_root|hkcr)(\\|$)/i, 'hkcr'],
  [/^\\?(hkey_current_config|hkcc)(\\|$)/i, 'hkcc'],
];

/** `HKEY_LOCAL_MACHINE\SYSTEM\…` and `\REGISTRY\MACHINE\SYSTEM\…` → `hklm\system\…`. */
export function normalizeRegistryPath(
  value: string | undefined | null,
  hive?: string | null,
): string | undefined {
  if (typeof value !== 'string') return undefined;
  let path = value
    .trim()
    .replace(/\//g, '\\')
    .replace(/\\{2,}/g, '\\')
    .replace(/\\$/, '');
  if (hive) {
    const canonicalHive = normalizeRegistryPath(hive.trim());
    if (canonicalHive && !HIVES.some(([pattern]) => pattern.test(path)))
      path = `${canonicalHive}\\${path.replace(/^\\/, '')}`;
  }
  for (const [pattern, short] of HIVES) {
    const match = pattern.exec(path);
    if (match) {
      const rest = path.slice(match[0].length);
      return (rest === '' ? short : `${short}\\${rest}`).toLowerCase();
    }
  }
  return path === '' ? undefined : path.toLowerCase();
}

/** True for a Windows path (drive letter, UNC, or backslashes): those compare case-insensitively. */
export function isWindowsPath(path: string): boolean {
  return (
    /^[a-z]:[\\/]/i.test(path) || path.startsWith('\\\\') || (path.includes('\\') && !path.startsWith('/'))
  );
}

/** Key form of a file path: Windows paths lower-case with backslashes; POSIX paths as they are. */
export function pathKey(path: string): string {
  const trimmed = path.trim();
  return isWindowsPath(trimmed) ? trimmed.replace(/\//g, '\\').toLowerCase() : trimmed;
}

/** Join a directory and a file name the way the directory is written. */
export function joinPath(
  directory: string | undefined | null,
  name: string | undefined | null,
): string | undefined {
  if (!name) return directory ?? undefined;
  if (!directory) return name;
  const separator = isWindowsPath(directory) ? '\\' : '/';
  return directory.endsWith(separator) ? `${directory}${name}` : `${directory}${separator}${name}`;
}

/** The last segment of a path, Windows or POSIX. */
export function baseName(path: string): string {
  const index = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return index >= 0 ? path.slice(index + 1) : path;
}

/** `{A98268C1-9C2E-5ACD-0000-0010396CAB00}` → `a98268c1-9c2e-5acd-0000-0010396cab00`. */
export function normalizeGuid(value: string | undefined | null): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value
    .trim()
    .replace(/^\{|\}$/g, '')
    .toLowerCase();
  if (text === '' || /^[0-]+$/.test(text) || /\s/.test(text)) return undefined;
  return text;
}

/** ISO 8601 UTC with milliseconds, from an ISO string (any precision or offset) or epoch milliseconds. */
const CANONICAL_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** Epoch numbers below this are seconds, not milliseconds (1e11 ms is March 1973; 1e11 s is the year 5138). */
const SECONDS_BELOW = 1e11;

/**
 * ISO 8601 UTC with milliseconds, from an ISO string (any precision, offset or none = UTC) or an epoch number
 * (seconds or milliseconds, told apart by size). A date that does not exist (30 February) is `undefined`.
 */
export function normalizeTimestamp(value: string | number | undefined | null): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let ms: number;
  if (typeof value === 'number') ms = Math.abs(value) < SECONDS_BELOW ? value * 1000 : value;
  else if (CANONICAL_TIME.test(value)) {
    return value;
  } else {
    const text = value.trim();
    // Date.parse rounds sub-millisecond digits inconsistently; cut them first (`.7211305Z` → `.721Z`).
    const cut = text.replace(/(\.\d{3})\d+/, '$1').replace(' ', 'T');
    if (/^\d+(\.\d+)?$/.test(cut)) return normalizeTimestamp(Number(cut));
    const day = /^(\d{4})-(\d\d)-(\d\d)/.exec(cut);
    if (
      day &&
      new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))).getUTCDate() !== Number(day[3])
    ) {
      return undefined;
    }
    ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(cut) ? cut : `${cut}Z`);
  }
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

// ---------------------------------------------------------------------------------------------------------------
// Well-known accounts: their SIDs always mean the same account, on every machine.
// ---------------------------------------------------------------------------------------------------------------

const WELL_KNOWN_SIDS: Readonly<Record<string, { domain: string; name: string }>> = {
  's-1-5-18': { domain: 'nt authority', name: 'system' },
  's-1-5-19': { domain: 'nt authority', name: 'local service' },
  's-1-5-20': { domain: 'nt authority', name: 'network service' },
  's-1-5-7': { domain: 'nt authority', name: 'anonymous logon' },
};

/** Built-in accounts that exist on every Windows machine: context, not evidence of one attack. */
export function isBuiltInAccount(user: Pick<UserEntity, 'domain' | 'name' | 'sid'>): boolean {
  if (user.sid && user.sid in WELL_KNOWN_SIDS) return true;
  return (
    user.domain === 'nt authority' ||
    user.domain === 'font driver host' ||
    user.domain === 'window manager' ||
    (user.name !== undefined &&
      /^(system|local service|network service|anonymous logon|dwm-\d+|umfd-\d+)$/.test(user.name))
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Builders: normalise attributes, then derive the key. They return `undefined` when the input cannot name an
// entity (no host name, no hash and no path, …) — an expected outcome, not an error.
// ---------------------------------------------------------------------------------------------------------------

/** True for values worth keeping on an entity: not absent, not blank, not an empty list. */
function present(value: unknown): boolean {
  return (
    value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0)
  );
}

/** Drop absent values so stored entities stay small and comparable. */
function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const name in value) if (present(value[name])) out[name] = value[name];
  return out as T;
}

/** The entity with its derived key, fields in print order: `{ type, key, …attributes }`. */
function withKey<T extends EntityType>(type: T, attributes: Record<string, unknown>): EntityOf<T> {
  // `attributes` is always a fresh literal from a builder: giving it the type lets entityKey read it as it is.
  attributes.type = type;
  const entity: Record<string, unknown> = {
    type,
    key: entityKey(attributes as unknown as Omit<Entity, 'key'>),
  };
  for (const name in attributes)
    if (name !== 'type' && present(attributes[name])) entity[name] = attributes[name];
  return entity as unknown as EntityOf<T>;
}

export function createDevice(input: {
  hostname?: string | null;
  fqdn?: string | null;
  os?: string | null;
  ips?: readonly (string | null | undefined)[];
  externalIds?: Record<string, string | number | null | undefined>;
  roles?: readonly EntityRole[];
}): DeviceEntity | undefined {
  const fromFqdn = normalizeHostname(input.fqdn);
  const fromName = normalizeHostname(input.hostname);
  const names = fromFqdn?.fqdn ? fromFqdn : fromName;
  if (!names) return undefined;
  const ips = uniqueDefined((input.ips ?? []).map((ip) => normalizeIp(ip)));
  const externalIds: Record<string, string> = {};
  for (const [system, id] of Object.entries(input.externalIds ?? {})) {
    if (id !== undefined && id !== null && String(id) !== '') externalIds[system] = String(id).toLowerCase();
  }
  return withKey('device', {
    hostname: names.hostname,
    fqdn: names.fqdn ?? fromName?.fqdn,
    os: input.os ?? undefined,
    ips,
    externalIds: Object.keys(externalIds).length > 0 ? externalIds : undefined,
    roles: input.roles,
  });
}

/**
 * A user from any combination of `DOMAIN\name`, `name@upn`, a separate domain and a SID. Well-known SIDs
 * resolve to their account (`S-1-5-18` is `nt authority\system` everywhere).
 */
export function createUser(input: {
  name?: string | null;
  domain?: string | null;
  upn?: string | null;
  sid?: string | null;
  displayName?: string | null;
  roles?: readonly EntityRole[];
}): UserEntity | undefined {
  let name = clean(input.name)?.toLowerCase();
  let domain = clean(input.domain)?.toLowerCase();
  let upn = normalizeEmailAddress(input.upn);
  const sid = /^s-1-[0-9-]+$/i.test(input.sid?.trim() ?? '') ? input.sid?.trim().toLowerCase() : undefined;
  if (name?.includes('\\')) {
    const [left, right] = splitOnce(name, '\\');
    domain = domain ?? clean(left);
    name = clean(right);
  } else if (name?.includes('@') && !upn) {
    upn = normalizeEmailAddress(name);
    name = upn ? upn.slice(0, upn.indexOf('@')) : name;
  }
  if (name && /^s-1-[0-9-]+$/.test(name)) name = undefined;
  const known = sid ? WELL_KNOWN_SIDS[sid] : undefined;
  if (known) {
    domain = known.domain;
    name = known.name;
  }
  if (domain === '-' || domain === '') domain = undefined;
  if (name === '-' || name === '' || name === 'n/a') name = undefined;
  if (!name && !upn && !sid) return undefined;
  return withKey('user', {
    name,
    domain,
    upn,
    sid,
    displayName: clean(input.displayName),
    roles: input.roles,
  });
}

export function createMailbox(input: {
  address?: string | null;
  displayName?: string | null;
  roles?: readonly EntityRole[];
}): MailboxEntity | undefined {
  const address = normalizeEmailAddress(input.address);
  if (!address) return undefined;
  return withKey('mailbox', { address, displayName: clean(input.displayName), roles: input.roles });
}

export function createMailMessage(input: {
  messageId?: string | null;
  subject?: string | null;
  sender?: string | null;
  recipient?: string | null;
  receivedAt?: string | null;
  roles?: readonly EntityRole[];
}): MailMessageEntity | undefined {
  const messageId = normalizeMessageId(input.messageId);
  if (!messageId) return undefined;
  return withKey('mailMessage', {
    messageId,
    subject: clean(input.subject),
    sender: normalizeEmailAddress(input.sender),
    recipient: normalizeEmailAddress(input.recipient),
    receivedAt: normalizeTimestamp(input.receivedAt),
    roles: input.roles,
  });
}

export function createMailCluster(input: {
  clusterId?: string | null;
  query?: string | null;
  roles?: readonly EntityRole[];
}): MailClusterEntity | undefined {
  const clusterId = clean(input.clusterId)?.toLowerCase();
  if (!clusterId) return undefined;
  return withKey('mailCluster', { clusterId, query: clean(input.query), roles: input.roles });
}

export function createFile(input: {
  sha256?: string | null;
  sha1?: string | null;
  md5?: string | null;
  name?: string | null;
  directory?: string | null;
  path?: string | null;
  size?: number | string | null;
  device?: string | null;
  signer?: string | null;
  publisher?: string | null;
  roles?: readonly EntityRole[];
}): FileEntity | undefined {
  // Each digest is filed by its length, whatever field it came in (sources mislabel them).
  let sha256: string | undefined;
  let sha1: string | undefined;
  let md5: string | undefined;
  for (const candidate of [input.sha256, input.sha1, input.md5]) {
    const digest = normalizeHash(candidate);
    if (digest?.algorithm === 'sha256') sha256 ??= digest.value;
    else if (digest?.algorithm === 'sha1') sha1 ??= digest.value;
    else if (digest?.algorithm === 'md5') md5 ??= digest.value;
  }
  const path = clean(input.path) ?? joinPath(clean(input.directory), clean(input.name));
  const name = clean(input.name) ?? (path ? baseName(path) : undefined);
  const device = input.device ? deviceRef(input.device) : undefined;
  if (!sha256 && !sha1 && !md5 && !(path && device && /[\\/]/.test(path))) return undefined;
  const size = typeof input.size === 'string' ? Number(input.size) : input.size;
  return withKey('file', {
    sha256,
    sha1,
    md5,
    name,
    path,
    size: typeof size === 'number' && Number.isFinite(size) && size >= 0 ? size : undefined,
    device,
    signer: clean(input.signer),
    publisher: clean(input.publisher),
    roles: input.roles,
  });
}

export function createProcess(input: {
  device?: string | null;
  pid?: number | string | null;
  guid?: string | null;
  startedAt?: string | number | null;
  commandLine?: string | null;
  imagePath?: string | null;
  imageKey?: string | null;
  parentKey?: string | null;
  userKey?: string | null;
  roles?: readonly EntityRole[];
}): ProcessEntity | undefined {
  const device = input.device ? deviceRef(input.device) : undefined;
  if (!device) return undefined;
  const pidNumber = typeof input.pid === 'string' ? parsePid(input.pid) : input.pid;
  const pid =
    typeof pidNumber === 'number' && Number.isInteger(pidNumber) && pidNumber >= 0 ? pidNumber : undefined;
  const guid = normalizeGuid(input.guid);
  const startedAt = normalizeTimestamp(input.startedAt);
  if (!guid && pid === undefined) return undefined;
  return withKey('process', {
    device,
    pid,
    guid,
    startedAt,
    commandLine: clean(input.commandLine),
    imagePath: clean(input.imagePath),
    imageKey: clean(input.imageKey),
    parentKey: clean(input.parentKey),
    userKey: clean(input.userKey),
    roles: input.roles,
  });
}

export function createIp(input: {
  address?: string | null;
  roles?: readonly EntityRole[];
}): IpEntity | undefined {
  const address = normalizeIp(input.address);
  return address ? withKey('ip', { address, roles: input.roles }) : undefined;
}

export function createUrl(input: {
  url?: string | null;
  roles?: readonly EntityRole[];
}): UrlEntity | undefined {
  const url = normalizeUrl(input.url);
  return url ? withKey('url', { url, roles: input.roles }) : undefined;
}

export function createDomain(input: {
  name?: string | null;
  roles?: readonly EntityRole[];
}): DomainEntity | undefined {
  const name = normalizeDomain(input.name);
  return name ? withKey('domain', { name, roles: input.roles }) : undefined;
}

export function createRegistryKey(input: {
  path?: string | null;
  hive?: string | null;
  device?: string | null;
  roles?: readonly EntityRole[];
}): RegistryKeyEntity | undefined {
  const path = normalizeRegistryPath(input.path, input.hive);
  if (!path) return undefined;
  return withKey('registryKey', {
    path,
    device: input.device ? deviceRef(input.device) : undefined,
    roles: input.roles,
  });
}

export function createRegistryValue(input: {
  keyPath?: string | null;
  hive?: string | null;
  valueName?: string | null;
  valueData?: string | null;
  valueType?: string | null;
  device?: string | null;
  roles?: readonly EntityRole[];
}): RegistryValueEntity | undefined {
  const keyPath = normalizeRegistryPath(input.keyPath, input.hive);
  if (!keyPath || typeof input.valueName !== 'string') return undefined;
  return withKey('registryValue', {
    keyPath,
    // The default value has an empty name; keep it as `(default)` so the key stays readable.
    valueName: input.valueName.trim() === '' ? '(default)' : input.valueName.trim().toLowerCase(),
    valueData: input.valueData ?? undefined,
    valueType: clean(input.valueType),
    device: input.device ? deviceRef(input.device) : undefined,
    roles: input.roles,
  });
}

export function createService(input: {
  device?: string | null;
  name?: string | null;
  imagePath?: string | null;
  roles?: readonly EntityRole[];
}): ServiceEntity | undefined {
  const device = input.device ? deviceRef(input.device) : undefined;
  const name = clean(input.name)?.toLowerCase();
  if (!device || !name) return undefined;
  return withKey('service', { device, name, imagePath: clean(input.imagePath), roles: input.roles });
}

export function createScheduledTask(input: {
  device?: string | null;
  name?: string | null;
  roles?: readonly EntityRole[];
}): ScheduledTaskEntity | undefined {
  const device = input.device ? deviceRef(input.device) : undefined;
  let name = clean(input.name)?.toLowerCase();
  if (name && !name.startsWith('\\')) name = `\\${name}`;
  if (!device || !name) return undefined;
  return withKey('scheduledTask', { device, name, roles: input.roles });
}

export function createCloudApp(input: {
  appId?: string | null;
  name?: string | null;
  roles?: readonly EntityRole[];
}): CloudAppEntity | undefined {
  const appId = clean(input.appId)?.toLowerCase();
  const name = clean(input.name) ?? appId;
  if (!name) return undefined;
  return withKey('cloudApp', { appId, name, roles: input.roles });
}

/**
 * The device part of keys of device-scoped entities (process, file without hash, service, …): the device's key
 * value, i.e. its FQDN when known, else its host name. Accepts a device key (`device:x`) or a host name.
 */
export function deviceRef(value: string): string | undefined {
  const text = value.startsWith('device:') ? value.slice('device:'.length) : value;
  const names = normalizeHostname(text);
  return names ? (names.fqdn ?? names.hostname) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Keys and aliases
// ---------------------------------------------------------------------------------------------------------------

/** The stable key of an entity, derived from its normalised attributes (DESIGN.md §5). */
export function entityKey(entity: Omit<Entity, 'key'>): string {
  switch (entity.type) {
    case 'device': {
      const device = entity as DeviceEntity;
      return `device:${device.fqdn ?? device.hostname}`;
    }
    case 'user': {
      const user = entity as UserEntity;
      if (user.name && user.domain) return `user:${user.domain}\\${user.name}`;
      if (user.upn) return `user:${user.upn}`;
      if (user.sid) return `user:${user.sid}`;
      return `user:${user.name}`;
    }
    case 'mailbox':
      return `mailbox:${(entity as MailboxEntity).address}`;
    case 'mailMessage':
      return `mailMessage:${(entity as MailMessageEntity).messageId}`;
    case 'mailCluster':
      return `mailCluster:${(entity as MailClusterEntity).clusterId}`;
    case 'file': {
      const file = entity as FileEntity;
      if (file.sha256) return `file:sha256:${file.sha256}`;
      if (file.sha1) return `file:sha1:${file.sha1}`;
      if (file.md5) return `file:md5:${file.md5}`;
      return `file:path:${file.device}:${pathKey(file.path ?? '')}`;
    }
    case 'process': {
      const process = entity as ProcessEntity;
      if (process.guid) return `process:${process.device}:${process.guid}`;
      if (process.startedAt)
        return `process:${process.device}:${process.pid}@${process.startedAt.toLowerCase()}`;
      return `process:${process.device}:${process.pid}`;
    }
    case 'ip':
      return `ip:${(entity as IpEntity).address}`;
    case 'url':
      return `url:${(entity as UrlEntity).url}`;
    case 'domain':
      return `domain:${(entity as DomainEntity).name}`;
    case 'registryKey':
      return `registryKey:${(entity as RegistryKeyEntity).path}`;
    case 'registryValue': {
      const value = entity as RegistryValueEntity;
      return `registryValue:${value.keyPath}\\${value.valueName}`;
    }
    case 'service': {
      const service = entity as ServiceEntity;
      return `service:${service.device}:${service.name}`;
    }
    case 'scheduledTask': {
      const task = entity as ScheduledTaskEntity;
      return `scheduledTask:${task.device}:${task.name}`;
    }
    case 'cloudApp': {
      const app = entity as CloudAppEntity;
      return `cloudApp:${app.appId ?? app.name.toLowerCase()}`;
    }
  }
}

/**
 * A key as a person might type it (`device:MKT01.PandaLab.com`, `URL:HTTP://X/Path`) in the form autoir stores:
 * type prefix in its canonical case, value lower-cased except where case carries meaning (URL paths, POSIX paths).
 */
export function normalizeEntityKey(key: string): string {
  const colon = key.indexOf(':');
  if (colon <= 0) return key.trim().toLowerCase();
  const typed = key.slice(0, colon).toLowerCase();
  const type = entityTypes.find((candidate) => candidate.toLowerCase() === typed);
  const value = key.slice(colon + 1).trim();
  if (!type) return key.trim().toLowerCase();
  if (type === 'url') return `url:${normalizeUrl(value) ?? value}`;
  if (type === 'mailMessage') return `mailMessage:${normalizeMessageId(value) ?? value}`;
  if (type === 'file' && value.toLowerCase().startsWith('path:')) {
    const rest = value.slice('path:'.length);
    const split = rest.indexOf(':');
    if (split > 0) return `file:path:${rest.slice(0, split).toLowerCase()}:${pathKey(rest.slice(split + 1))}`;
  }
  return `${type}:${value.toLowerCase()}`;
}

/** The type named by a key's prefix, or `undefined` for something that is not an entity key. */
export function entityTypeOfKey(key: string): EntityType | undefined {
  const colon = key.indexOf(':');
  const type = colon > 0 ? key.slice(0, colon) : '';
  return (entityTypes as readonly string[]).includes(type) ? (type as EntityType) : undefined;
}

/**
 * Other keys under which the same entity may be named by a source that knows less about it. Each alias maps to
 * the entity's key: `device:mkt01` → `device:mkt01.pandalab.com`; `user:s-1-5-21-…` and `user:upn@x` →
 * `user:pandalab\name`.
 */
export function entityAliases(entity: Entity): string[] {
  switch (entity.type) {
    case 'device':
      return entity.fqdn ? [`device:${entity.hostname}`] : [];
    case 'user': {
      if (!(entity.name && entity.domain)) return entity.upn && entity.sid ? [`user:${entity.sid}`] : [];
      const aliases: string[] = [];
      if (entity.upn) aliases.push(`user:${entity.upn}`);
      if (entity.sid && !(entity.sid in WELL_KNOWN_SIDS)) aliases.push(`user:${entity.sid}`);
      return aliases;
    }
    default:
      return [];
  }
}

/** Looks up the canonical key an alias key stands for (`undefined` when unknown or ambiguous). */
export type AliasLookup = (aliasKey: string) => string | undefined;

/**
 * Rewrite an entity with what is known about it elsewhere: a bare host name becomes the FQDN of the one known
 * device with that short name, a UPN or SID becomes the `domain\name` account it belongs to, and device-scoped
 * entities follow their device. Keys are derived again afterwards.
 */
export function resolveEntity(entity: Entity, lookup: AliasLookup): Entity {
  const resolveDevice = (device: string): string => {
    if (device.includes('.')) return device;
    const target = lookup(`device:${device}`);
    return target ? target.slice('device:'.length) : device;
  };
  switch (entity.type) {
    case 'device': {
      if (entity.fqdn) return entity;
      const target = lookup(entity.key);
      if (!target) return entity;
      const names = normalizeHostname(target.slice('device:'.length));
      return names?.fqdn ? rekey({ ...entity, fqdn: names.fqdn }) : entity;
    }
    case 'user': {
      if (entity.name && entity.domain) return entity;
      const target = lookup(entity.key);
      if (!target) return entity;
      const value = target.slice('user:'.length);
      // The account an alias names: `domain\name`, or (for a SID seen with a UPN only) the UPN.
      const [domain, name] = splitOnce(value, '\\');
      if (domain && name) return rekey({ ...entity, domain, name });
      return value.includes('@') && !entity.upn ? rekey({ ...entity, upn: value }) : entity;
    }
    case 'process': {
      const device = resolveDevice(entity.device);
      const resolved: ProcessEntity = {
        ...entity,
        device,
        parentKey: entity.parentKey ? resolveProcessKey(entity.parentKey, resolveDevice) : undefined,
        userKey: entity.userKey ? (lookup(entity.userKey) ?? entity.userKey) : undefined,
      };
      return rekey(compact(resolved));
    }
    case 'file':
    case 'registryKey':
    case 'registryValue':
    case 'service':
    case 'scheduledTask':
      return entity.device ? rekey({ ...entity, device: resolveDevice(entity.device) }) : entity;
    default:
      return entity;
  }
}

function resolveProcessKey(key: string, resolveDevice: (device: string) => string): string {
  const rest = key.slice('process:'.length);
  const colon = rest.indexOf(':');
  if (!key.startsWith('process:') || colon < 0) return key;
  return `process:${resolveDevice(rest.slice(0, colon))}${rest.slice(colon)}`;
}

function rekey<T extends Entity>(entity: T): T {
  const key = entityKey(entity);
  return key === entity.key ? entity : { ...entity, key };
}

/** Merge entity lists, keeping the first occurrence of each key and uniting the roles. */
export function uniqueEntities(entities: readonly (Entity | undefined)[]): Entity[] {
  const byKey = new Map<string, Entity>();
  for (const entity of entities) {
    if (!entity) continue;
    const existing = byKey.get(entity.key);
    if (!existing) {
      byKey.set(entity.key, entity);
      continue;
    }
    // Keep the first, but fill attributes it lacks from the later one (e.g. a file's path from a second mention).
    const merged: Record<string, unknown> = { ...entity, ...existing };
    const roles = [...new Set([...(existing.roles ?? []), ...(entity.roles ?? [])])];
    if (roles.length > 0) merged.roles = roles;
    byKey.set(entity.key, merged as unknown as Entity);
  }
  return [...byKey.values()];
}

// ---------------------------------------------------------------------------------------------------------------

function clean(value: string | null | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' || text === '-' ? undefined : text;
}

function splitOnce(text: string, separator: string): [string | undefined, string | undefined] {
  const index = text.indexOf(separator);
  return index < 0 ? [undefined, text] : [text.slice(0, index), text.slice(index + separator.length)];
}

/** A process id as Windows logs write it: decimal, or hexadecimal with `0x` (Security log). */
export function parsePid(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  if (/^0x[0-9a-f]+$/i.test(trimmed)) return Number.parseInt(trimmed, 16);
  return undefined;
}

function uniqueDefined<T>(values: readonly (T | undefined)[]): T[] {
  return [...new Set(values.filter((value): value is T => value !== undefined))];
}
