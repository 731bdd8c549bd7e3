/**
 * OCSF Detection Finding, class 2004 (OCSF 1.1 and later): `finding_info`, `evidences[]`, `observables[]`,
 * `device`, `actor`. Also reads `attacks` where OCSF put it before 1.1 (top level) and after (finding_info).
 * https://schema.ocsf.io/classes/detection_finding
 */
import { z } from 'zod';
import {
  normalizeCategory,
  normalizeTechniques,
  parseSeverity,
  type AlertDraft,
  type Severity,
} from '../../domain/alert.js';
import { uniqueEntities, type Entity, type EntityRole } from '../../domain/entity.js';
import { validate, type InputFormat } from '../format.js';
import { dropUndefined } from './autoir.js';
import { OCSF_EVENT_CLASSES, ocsfEventDraft } from './ocsf-events.js';
import { isObject, list, num, text, type JsonObject } from '../../records/json.js';
import { normalizeTimestamp } from '../../domain/entity-values.js';
import {
  createDevice,
  createDomain,
  createFile,
  createIp,
  createMailbox,
  createMailMessage,
  createProcess,
  createRegistryKey,
  createRegistryValue,
  createUrl,
  createUser,
  deviceRef,
} from '../../domain/entity-builders.js';

const time = z.union([z.number(), z.string()]).nullish();

const findingSchema = z.looseObject({
  class_uid: z.literal(2004),
  time: z.union([z.number(), z.string()]),
  severity_id: z.number().nullish(),
  severity: z.string().nullish(),
  finding_info: z.looseObject({
    uid: z.string().min(1),
    title: z.string().min(1),
    desc: z.string().nullish(),
    types: z.array(z.string()).nullish(),
    created_time: time,
    first_seen_time: time,
    last_seen_time: time,
    analytic: z.looseObject({ uid: z.string().nullish(), name: z.string().nullish() }).nullish(),
  }),
  metadata: z.looseObject({
    product: z.looseObject({ name: z.string().nullish(), vendor_name: z.string().nullish() }).nullish(),
  }),
  evidences: z.array(z.looseObject({})).nullish(),
  observables: z.array(z.looseObject({ type_id: z.number(), value: z.string().nullish() })).nullish(),
});

const severities: Record<number, Severity> = {
  1: 'informational',
  2: 'low',
  3: 'medium',
  4: 'high',
  5: 'critical',
  6: 'critical',
};

export const ocsfFormat: InputFormat = {
  id: 'ocsf',
  description:
    'OCSF Detection Finding (class_uid 2004) as alerts; Process, File, Network, HTTP, DNS, Authentication and Email Activity (1007, 1001, 4001, 4002, 4003, 3002, 4009) as events',
  sniff: (record) =>
    record.class_uid === 2004 ||
    (isObject(record.finding_info) && 'class_uid' in record) ||
    (typeof record.class_uid === 'number' && record.class_uid in OCSF_EVENT_CLASSES && 'time' in record),
  parse(record) {
    if (isObject(record) && typeof record.class_uid === 'number' && record.class_uid in OCSF_EVENT_CLASSES)
      return { alerts: [], events: [ocsfEventDraft(record)] };
    const finding = validate(findingSchema, record, 'not a valid OCSF Detection Finding');
    const doc = record as JsonObject;
    const deviceEntity = deviceFrom(doc.device);
    const deviceName = deviceEntity ? deviceRef(deviceEntity.key) : undefined;
    const entities: (Entity | undefined)[] = [deviceEntity, ...actorEntities(doc.actor, deviceName)];
    for (const evidence of finding.evidences ?? []) entities.push(...evidenceEntities(evidence, deviceName));
    for (const observable of finding.observables ?? [])
      entities.push(observableEntity(observable.type_id, observable.value ?? undefined));

    const attacks = [...list(doc.attacks), ...list((doc.finding_info as JsonObject).attacks)].filter(
      isObject,
    );
    const techniques = attacks.flatMap((attack) => [
      isObject(attack.technique) ? text(attack.technique.uid) : undefined,
      isObject(attack.sub_technique) ? text(attack.sub_technique.uid) : undefined,
    ]);
    const tactic = attacks
      .map((attack) => (isObject(attack.tactic) ? text(attack.tactic.name) : undefined))
      .find(Boolean);
    const product = finding.metadata.product;
    const info = finding.finding_info;
    const draft: AlertDraft = {
      source: product?.name ?? 'ocsf',
      sourceRef: info.uid,
      title: info.title,
      description: info.desc ?? undefined,
      severity: severities[finding.severity_id ?? 0] ?? parseSeverity(finding.severity) ?? 'informational',
      category: normalizeCategory(tactic ?? undefined),
      detector: info.analytic?.uid ?? info.analytic?.name ?? info.types?.[0] ?? undefined,
      mitreTechniques: normalizeTechniques(techniques),
      createdAt: (ocsfTime(info.created_time) ?? ocsfTime(finding.time)) as string,
      firstActivityAt: ocsfTime(info.first_seen_time),
      lastActivityAt: ocsfTime(info.last_seen_time),
      entities: uniqueEntities(entities),
    };
    if (!draft.createdAt) throw new Error('time is not a timestamp');
    return { alerts: [dropUndefined(draft)] };
  },
};

/** OCSF timestamps are epoch milliseconds (or `_dt` strings in the datetime profile). */
function ocsfTime(value: number | string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return normalizeTimestamp(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);
}

function deviceFrom(value: unknown): Entity | undefined {
  if (!isObject(value)) return undefined;
  const hostname = text(value.hostname) ?? text(value.name);
  const domain = text(value.domain);
  return createDevice({
    hostname,
    fqdn: hostname && !hostname.includes('.') && domain?.includes('.') ? `${hostname}.${domain}` : undefined,
    os: isObject(value.os) ? text(value.os.name) : undefined,
    ips: [text(value.ip)],
    externalIds: { ocsf: text(value.uid) },
  });
}

function userFrom(value: unknown, roles: EntityRole[] = []): Entity | undefined {
  if (!isObject(value)) return undefined;
  const uid = text(value.uid);
  return createUser({
    name: text(value.name),
    domain: text(value.domain),
    sid: uid && /^s-1-/i.test(uid) ? uid : undefined,
    upn: text(value.email_addr),
    displayName: text(value.full_name),
    roles,
  });
}

function hashesOf(file: JsonObject): { sha256?: string; sha1?: string; md5?: string } {
  const out: { sha256?: string; sha1?: string; md5?: string } = {};
  for (const hash of list(file.hashes)) {
    if (!isObject(hash)) continue;
    const value = text(hash.value);
    const algorithm = num(hash.algorithm_id);
    if (algorithm === 3) out.sha256 = value;
    else if (algorithm === 2) out.sha1 = value;
    else if (algorithm === 1) out.md5 = value;
  }
  return out;
}

function fileFrom(value: unknown, device: string | undefined, roles: EntityRole[] = []): Entity | undefined {
  if (!isObject(value)) return undefined;
  return createFile({
    ...hashesOf(value),
    path: text(value.path),
    name: text(value.name),
    size: num(value.size),
    device,
    roles,
  });
}

function processEntities(
  value: unknown,
  device: string | undefined,
  roles: EntityRole[] = [],
  depth = 0,
): (Entity | undefined)[] {
  if (!isObject(value) || depth > 4) return [];
  const image = fileFrom(value.file, device);
  const parentEntities = processEntities(value.parent_process, device, ['parent'], depth + 1);
  const parent = parentEntities[0];
  const user = userFrom(value.user);
  const process = createProcess({
    device,
    guid: text(value.uid),
    pid: num(value.pid),
    startedAt: num(value.created_time) ?? text(value.created_time_dt),
    commandLine: text(value.cmd_line),
    imagePath: isObject(value.file) ? text(value.file.path) : undefined,
    imageKey: image?.key,
    parentKey: parent?.type === 'process' ? parent.key : undefined,
    userKey: user?.key,
    roles,
  });
  return [process, image, user, ...parentEntities];
}

function actorEntities(value: unknown, device: string | undefined): (Entity | undefined)[] {
  if (!isObject(value)) return [];
  return [userFrom(value.user), ...processEntities(value.process, device)];
}

function endpointEntities(value: unknown, roles: EntityRole[]): (Entity | undefined)[] {
  if (!isObject(value)) return [];
  return [
    createIp({ address: text(value.ip), roles }),
    createDomain({ name: text(value.hostname) ?? text(value.domain) }),
  ];
}

function evidenceEntities(evidence: JsonObject, fallbackDevice: string | undefined): (Entity | undefined)[] {
  const device = deviceFrom(evidence.device);
  const deviceName = device ? deviceRef(device.key) : fallbackDevice;
  const url = isObject(evidence.url)
    ? (text(evidence.url.url_string) ?? text(evidence.url.hostname))
    : undefined;
  const httpUrl =
    isObject(evidence.http_request) && isObject(evidence.http_request.url)
      ? text(evidence.http_request.url.url_string)
      : undefined;
  const email = isObject(evidence.email) ? evidence.email : undefined;
  const regKey = evidence.reg_key ?? evidence['win/reg_key'];
  const regValue = evidence.reg_value ?? evidence['win/reg_value'];
  return [
    device,
    ...actorEntities(evidence.actor, deviceName),
    ...processEntities(evidence.process, deviceName),
    fileFrom(evidence.file, deviceName),
    userFrom(evidence.user),
    ...endpointEntities(evidence.src_endpoint, ['source']),
    ...endpointEntities(evidence.dst_endpoint, ['destination']),
    createUrl({ url }),
    createUrl({ url: httpUrl }),
    isObject(evidence.query) ? createDomain({ name: text(evidence.query.hostname) }) : undefined,
    ...(email
      ? [
          createMailMessage({
            messageId: text(email.message_uid),
            subject: text(email.subject),
            sender: text(email.from),
            recipient: list(email.to).map(text)[0],
          }),
          createMailbox({ address: text(email.from), roles: ['source'] }),
          ...list(email.to).map((to) => createMailbox({ address: text(to), roles: ['destination'] })),
          createIp({ address: text(email.x_originating_ip), roles: ['source'] }),
        ]
      : []),
    isObject(regKey) ? createRegistryKey({ path: text(regKey.path), device: deviceName }) : undefined,
    isObject(regValue)
      ? createRegistryValue({
          keyPath: text(regValue.path),
          valueName: text(regValue.name),
          valueData: text(regValue.data),
          device: deviceName,
        })
      : undefined,
  ];
}

/** OCSF observable type ids for the scalar observables that name entities. */
function observableEntity(typeId: number, value: string | undefined): Entity | undefined {
  switch (typeId) {
    case 1: // Hostname: a remote host more often than a managed device; keep it as a domain.
      return createDomain({ name: value });
    case 2:
      return createIp({ address: value });
    case 4:
      return createUser({ name: value });
    case 5:
      return createMailbox({ address: value });
    case 6:
      return createUrl({ url: value });
    case 8:
      return createFile({ sha256: value, sha1: value, md5: value });
    default:
      return undefined;
  }
}
