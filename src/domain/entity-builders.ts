/**
 * Entity builders: normalise attributes, then derive the key (entity.ts). They return `undefined` when the input
 * cannot name an entity (no host name, no hash and no path, …) — an expected outcome, not an error.
 */
import type {
  CloudAppEntity,
  DeviceEntity,
  DomainEntity,
  Entity,
  EntityOf,
  EntityRole,
  EntityType,
  FileEntity,
  IpEntity,
  MailClusterEntity,
  MailMessageEntity,
  MailboxEntity,
  ProcessEntity,
  RegistryKeyEntity,
  RegistryValueEntity,
  ScheduledTaskEntity,
  ServiceEntity,
  UrlEntity,
  UserEntity,
} from './entity.js';
import {
  baseName,
  clean,
  joinPath,
  normalizeDomain,
  normalizeEmailAddress,
  normalizeGuid,
  normalizeHash,
  normalizeHostname,
  normalizeIp,
  normalizeMessageId,
  normalizeRegistryPath,
  normalizeTimestamp,
  normalizeUrl,
  parsePid,
  splitOnce,
  uniqueDefined,
} from './entity-values.js';
import { entityKey } from './entity.js';
import { WELL_KNOWN_SIDS } from './entity.js';
import { present } from './entity-values.js';
// ---------------------------------------------------------------------------------------------------------------
// Builders: normalise attributes, then derive the key. They return `undefined` when the input cannot name an
// entity (no host name, no hash and no path, …) — an expected outcome, not an error.
// ---------------------------------------------------------------------------------------------------------------

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
  // S-1-0-0, the NULL SID, names nobody (4688 logs it for a process started under its creator's own token).
  const given = input.sid?.trim().toLowerCase() ?? '';
  const sid = /^s-1-[0-9-]+$/.test(given) && given !== 's-1-0-0' ? given : undefined;
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
  // Pid 0 is no process: Windows logs it where no local process acted (a network logon, a directory change).
  const pid =
    typeof pidNumber === 'number' && Number.isInteger(pidNumber) && pidNumber > 0 ? pidNumber : undefined;
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
  // A Windows task path (`\Microsoft\Windows\…`) is case-blind; a cron file's path (`/etc/cron.d/…`) is not.
  let name = clean(input.name);
  if (name && !name.startsWith('/'))
    name = name.startsWith('\\') ? name.toLowerCase() : `\\${name.toLowerCase()}`;
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
