/**
 * Whether an entity can tie alerts into one attack story. Some never can, whatever else is known: entities of a
 * kind that does not identify one thing (a registry value, a service name), accounts and system binaries found on
 * every Windows machine, a file known only by its path, addresses that are not one host's (private ranges,
 * loopback, multicast). Correlation adds what depends on the deployment (infrastructure, allow-lists, prevalence).
 */
import { isBuiltInAccount, type Entity } from './entity.js';
import { specialAddress } from './net.js';

/** Entity types that may link alerts. */
const STRONG_TYPES: ReadonlySet<string> = new Set([
  'device',
  'user',
  'file',
  'process',
  'mailMessage',
  'mailCluster',
  'mailbox',
  'ip',
  'domain',
  'url',
]);

const SYSTEM_BINARY = /^[a-z]:\\windows\\(system32|syswow64|winsxs|servicing)\\/i;

/** Whether entities of this type may link alerts at all. */
export function isLinkingType(type: string): boolean {
  return STRONG_TYPES.has(type);
}

/** Why an entity never links alerts on its own; `undefined` when it may. */
export function entityWeakness(entity: Entity): string | undefined {
  if (!STRONG_TYPES.has(entity.type)) return `${entity.type} entities do not link alerts`;
  switch (entity.type) {
    case 'user':
      if (isBuiltInAccount(entity)) return 'a built-in account, on every Windows machine';
      break;
    case 'file':
      if (!entity.key.startsWith('file:sha') && !entity.key.startsWith('file:md5:'))
        return 'a file known only by its path';
      if (entity.path && SYSTEM_BINARY.test(entity.path))
        return 'a Windows system binary, on every Windows machine';
      break;
    case 'ip':
      return specialAddress(entity.address);
    default:
      break;
  }
  return undefined;
}
