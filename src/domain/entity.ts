/**
 * Entities: the typed things alerts and events name, and their stable keys (docs/formats.md, entity keys).
 *
 * An entity's key is *derived* from its normalised attributes by {@link entityKey}; it is never chosen by a parser.
 * That is what makes the same thing seen by two sources one entity. Keys are `type:value`, lower-cased, with two
 * deliberate exceptions where case carries meaning: URL paths and queries, and POSIX file paths.
 *
 * @example
 *   entityKey(createDevice({ hostname: 'MKT01.pandalab.com' })) // 'device:mkt01.pandalab.com'
 */
import { normalizeHostname, normalizeMessageId, normalizeUrl, pathKey, splitOnce } from './entity-values.js';
import { compact } from './entity-values.js';

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
// Well-known accounts: their SIDs always mean the same account, on every machine.
// ---------------------------------------------------------------------------------------------------------------

export const WELL_KNOWN_SIDS: Readonly<Record<string, { domain: string; name: string }>> = {
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
    user.domain === 'iis apppool' ||
    user.domain === 'nt service' ||
    (user.name !== undefined &&
      /^(system|local ?system|local ?service|network ?service|anonymous logon|dwm-\d+|umfd-\d+)$/.test(
        user.name,
      ))
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Keys and aliases
// ---------------------------------------------------------------------------------------------------------------

/**
 * A key without NUL characters (each becomes U+FFFD): keys are stored as text, which PostgreSQL refuses NUL in, and
 * a key must read the same in an entity list and in the index built from it.
 */
export function keyText(key: string): string {
  return key.includes('\0') ? key.replaceAll('\0', '\uFFFD') : key;
}

/** The stable key of an entity, derived from its normalised attributes. */
export function entityKey(entity: Omit<Entity, 'key'>): string {
  return keyText(rawEntityKey(entity));
}

function rawEntityKey(entity: Omit<Entity, 'key'>): string {
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
  return keyText(normalizeRawKey(key));
}

function normalizeRawKey(key: string): string {
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
