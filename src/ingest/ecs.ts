/**
 * Entities named by an Elastic Common Schema document (host, user, process and parent, file, source/destination,
 * url, dns, registry). Documents may nest (`host: { name }`) or flatten (`"host.name"`) their fields.
 * https://www.elastic.co/guide/en/ecs/current/ecs-field-reference.html
 */
import { type Entity, type EntityRole } from '../domain/entity.js';
import { getPath, list, text, texts } from '../records/json.js';
import { normalizeRegistryPath } from '../domain/entity-values.js';
import {
  createDevice,
  createDomain,
  createFile,
  createIp,
  createProcess,
  createRegistryValue,
  createUrl,
  createUser,
  deviceRef,
} from '../domain/entity-builders.js';

/** Read a field and, for Windows paths, undo the doubled backslashes some pipelines leave (`C:\\\\Program Files`). */
function field(doc: unknown, path: string): string | undefined {
  const value = text(getPath(doc, path));
  return value && /^[a-z]:\\\\/i.test(value) ? value.replace(/\\\\/g, '\\') : value;
}

export function ecsEntities(doc: unknown): Entity[] {
  const get = (path: string) => field(doc, path);
  const device = createDevice({
    hostname: get('host.hostname') ?? get('host.name'),
    fqdn: fqdnOf(get('host.name'), get('host.hostname'), get('host.domain')),
    os: get('host.os.full') ?? get('host.os.name'),
    ips: texts(getPath(doc, 'host.ip')),
    externalIds: { elastic: get('host.id') },
  });
  const deviceName = device ? deviceRef(device.key) : undefined;
  const sid = get('user.id');
  const user = createUser({
    name: get('user.name'),
    domain: get('user.domain'),
    sid: sid && /^s-1-/i.test(sid) ? sid : undefined,
    upn: get('user.email'),
  });

  const processOf = (prefix: string, roles: EntityRole[], parentKey?: string) => {
    const image = createFile({
      sha256: get(`${prefix}.hash.sha256`),
      sha1: get(`${prefix}.hash.sha1`),
      md5: get(`${prefix}.hash.md5`),
      path: get(`${prefix}.executable`),
      name: get(`${prefix}.name`),
      device: deviceName,
      signer: get(`${prefix}.code_signature.subject_name`),
    });
    const process = createProcess({
      device: deviceName,
      guid: get(`${prefix}.entity_id`),
      pid: get(`${prefix}.pid`),
      startedAt: get(`${prefix}.start`),
      commandLine: get(`${prefix}.command_line`),
      imagePath: get(`${prefix}.executable`),
      imageKey: image?.key,
      parentKey,
      userKey: prefix === 'process' ? user?.key : undefined,
      roles,
    });
    return { process, image };
  };
  const parent = processOf('process.parent', ['parent']);
  const child = processOf('process', [], parent.process?.key);

  const file = createFile({
    sha256: get('file.hash.sha256'),
    sha1: get('file.hash.sha1'),
    md5: get('file.hash.md5'),
    path: get('file.path'),
    name: get('file.name'),
    size: get('file.size'),
    device: deviceName,
  });

  const registryPath = get('registry.path');
  const registryKey = get('registry.key');
  const registryValue = get('registry.value');
  let registry: Entity | undefined;
  if (registryKey !== undefined && registryValue !== undefined) {
    registry = createRegistryValue({
      keyPath: get('registry.hive') ? `${get('registry.hive')}\\${registryKey}` : registryKey,
      valueName: registryValue,
      valueData: texts(getPath(doc, 'registry.data.strings')).join(', ') || undefined,
      device: deviceName,
    });
  } else if (registryPath) {
    const path = normalizeRegistryPath(registryPath);
    const cut = path ? path.lastIndexOf('\\') : -1;
    if (path && cut > 0)
      registry = createRegistryValue({
        keyPath: path.slice(0, cut),
        valueName: path.slice(cut + 1),
        device: deviceName,
      });
  }

  return [
    device,
    user,
    child.process,
    child.image,
    parent.process,
    parent.image,
    file,
    registry,
    createIp({ address: get('source.ip'), roles: ['source'] }),
    createIp({ address: get('destination.ip'), roles: ['destination'] }),
    createDomain({ name: get('destination.domain') }),
    createDomain({ name: get('dns.question.name') }),
    createUrl({ url: get('url.full') ?? get('url.original') }),
    createDomain({ name: get('url.domain') }),
    ...list(getPath(doc, 'threat.indicator.ip')).map((ip) => createIp({ address: text(ip) })),
  ].filter((entity): entity is Entity => entity !== undefined);
}

function fqdnOf(
  name: string | undefined,
  hostname: string | undefined,
  domain: string | undefined,
): string | undefined {
  if (name?.includes('.')) return name;
  if (hostname?.includes('.')) return hostname;
  const short = hostname ?? name;
  return short && domain && domain.includes('.') ? `${short}.${domain}` : undefined;
}
