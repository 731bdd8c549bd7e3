/**
 * autoir's canonical alert JSON: what other tools should send when they have no format of their own.
 * The zod schema is the reference; docs/schemas/autoir-alert.schema.json is generated from it.
 *
 * @example
 *   { "source": "my-edr", "sourceRef": "42", "title": "Mimikatz", "severity": "high",
 *     "createdAt": "2024-05-01T10:00:00Z", "mitreTechniques": ["T1003.001"],
 *     "entities": [{ "type": "device", "hostname": "mkt01.pandalab.com" }] }
 */
import { z } from 'zod';
import {
  alertCategories,
  normalizeCategory,
  normalizeTechnique,
  severities,
  type AlertDraft,
} from '../../domain/alert.js';
import { entityRoles, uniqueEntities, type Entity } from '../../domain/entity.js';
import { badInput } from '../../domain/errors.js';
import { contentRef, validate, type InputFormat } from '../format.js';
import { normalizeTimestamp } from '../../domain/entity-values.js';
import {
  createCloudApp,
  createDevice,
  createDomain,
  createFile,
  createIp,
  createMailbox,
  createMailCluster,
  createMailMessage,
  createProcess,
  createRegistryKey,
  createRegistryValue,
  createScheduledTask,
  createService,
  createUrl,
  createUser,
} from '../../domain/entity-builders.js';

const hex = (length: number, name: string) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-fA-F]{${length}}$`), `must be ${length} hexadecimal characters (${name})`);
const dateTime = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T10:00:00Z',
});

const common = {
  /** Optional: when given it must be the key autoir derives from the attributes. */
  key: z.string().optional(),
  roles: z.array(z.enum(entityRoles)).optional(),
};

export const canonicalEntitySchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('device'),
    hostname: z.string().optional(),
    fqdn: z.string().optional(),
    os: z.string().optional(),
    ips: z.array(z.string()).optional(),
    externalIds: z.record(z.string(), z.string()).optional(),
    ...common,
  }),
  z.object({
    type: z.literal('user'),
    name: z.string().optional(),
    domain: z.string().optional(),
    upn: z.string().optional(),
    sid: z.string().optional(),
    displayName: z.string().optional(),
    ...common,
  }),
  z.object({
    type: z.literal('mailbox'),
    address: z.string(),
    displayName: z.string().optional(),
    ...common,
  }),
  z.object({
    type: z.literal('mailMessage'),
    messageId: z.string(),
    subject: z.string().optional(),
    sender: z.string().optional(),
    recipient: z.string().optional(),
    receivedAt: dateTime.optional(),
    ...common,
  }),
  z.object({
    type: z.literal('mailCluster'),
    clusterId: z.string(),
    query: z.string().optional(),
    ...common,
  }),
  z.object({
    type: z.literal('file'),
    sha256: hex(64, 'sha256').optional(),
    sha1: hex(40, 'sha1').optional(),
    md5: hex(32, 'md5').optional(),
    name: z.string().optional(),
    path: z.string().optional(),
    size: z.number().int().nonnegative().optional(),
    device: z.string().optional(),
    signer: z.string().optional(),
    publisher: z.string().optional(),
    ...common,
  }),
  z.object({
    type: z.literal('process'),
    device: z.string(),
    pid: z.number().int().nonnegative().optional(),
    guid: z.string().optional(),
    startedAt: dateTime.optional(),
    commandLine: z.string().optional(),
    imagePath: z.string().optional(),
    imageKey: z.string().optional(),
    parentKey: z.string().optional(),
    userKey: z.string().optional(),
    ...common,
  }),
  z.object({ type: z.literal('ip'), address: z.string(), ...common }),
  z.object({ type: z.literal('url'), url: z.string(), ...common }),
  z.object({ type: z.literal('domain'), name: z.string(), ...common }),
  z.object({
    type: z.literal('registryKey'),
    path: z.string(),
    hive: z.string().optional(),
    device: z.string().optional(),
    ...common,
  }),
  z.object({
    type: z.literal('registryValue'),
    keyPath: z.string(),
    hive: z.string().optional(),
    valueName: z.string(),
    valueData: z.string().optional(),
    valueType: z.string().optional(),
    device: z.string().optional(),
    ...common,
  }),
  z.object({
    type: z.literal('service'),
    device: z.string(),
    name: z.string(),
    imagePath: z.string().optional(),
    ...common,
  }),
  z.object({ type: z.literal('scheduledTask'), device: z.string(), name: z.string(), ...common }),
  z.object({ type: z.literal('cloudApp'), appId: z.string().optional(), name: z.string(), ...common }),
]);

export type CanonicalEntity = z.infer<typeof canonicalEntitySchema>;

export const canonicalAlertSchema = z
  .object({
    $schema: z.string().optional(),
    source: z.string().min(1).describe('The system that raised the alert.'),
    sourceRef: z
      .string()
      .min(1)
      .optional()
      .describe(
        "The source's id for the alert; with source, the deduplication key. Derived from the content when absent.",
      ),
    title: z.string().min(1),
    description: z.string().optional(),
    severity: z.enum(severities),
    category: z
      .string()
      .optional()
      .describe(`One of ${alertCategories.join(', ')}, or a name of your own.`),
    detector: z.string().optional().describe('The rule or detector that fired.'),
    mitreTechniques: z
      .array(
        z
          .string()
          .regex(/^(attack\.)?[tT]\d{4}([./]\d{3})?$/, 'must be an ATT&CK technique id like T1003.001'),
      )
      .optional(),
    createdAt: dateTime.describe('When the detector raised the alert.'),
    firstActivityAt: dateTime.optional(),
    lastActivityAt: dateTime.optional(),
    entities: z.array(canonicalEntitySchema).max(10_000),
  })
  .strict()
  .describe('An autoir alert (canonical JSON).');

function buildEntity(input: CanonicalEntity): Entity | undefined {
  switch (input.type) {
    case 'device':
      return createDevice(input);
    case 'user':
      return createUser(input);
    case 'mailbox':
      return createMailbox(input);
    case 'mailMessage':
      return createMailMessage(input);
    case 'mailCluster':
      return createMailCluster(input);
    case 'file':
      return createFile(input);
    case 'process':
      return createProcess(input);
    case 'ip':
      return createIp(input);
    case 'url':
      return createUrl(input);
    case 'domain':
      return createDomain(input);
    case 'registryKey':
      return createRegistryKey(input);
    case 'registryValue':
      return createRegistryValue(input);
    case 'service':
      return createService(input);
    case 'scheduledTask':
      return createScheduledTask(input);
    case 'cloudApp':
      return createCloudApp(input);
  }
}

const needs: Record<CanonicalEntity['type'], string> = {
  device: 'a valid hostname or fqdn',
  user: 'a name, upn or sid',
  mailbox: 'a valid e-mail address',
  mailMessage: 'a messageId',
  mailCluster: 'a clusterId',
  file: 'a hash, or a device and a full path',
  process: 'a valid device and a pid or guid',
  ip: 'a valid IPv4 or IPv6 address',
  url: 'an absolute http(s)/ftp URL',
  domain: 'a valid domain name',
  registryKey: 'a path',
  registryValue: 'a keyPath and a valueName',
  service: 'a valid device and a name',
  scheduledTask: 'a valid device and a name',
  cloudApp: 'a name',
};

export const autoirFormat: InputFormat = {
  id: 'autoir',
  description: 'autoir canonical alert JSON (docs/schemas/autoir-alert.schema.json)',
  sniff: (record) =>
    typeof record.source === 'string' && typeof record.title === 'string' && Array.isArray(record.entities),
  parse(record) {
    const input = validate(canonicalAlertSchema, record, 'not a valid autoir alert');
    const entities = input.entities.map((raw, index) => {
      const entity = buildEntity(raw);
      const field = `entities[${index}]`;
      if (!entity) throw badInput(`${field}: a ${raw.type} entity needs ${needs[raw.type]}`, { field });
      if (raw.key !== undefined && raw.key !== entity.key) {
        throw badInput(
          `${field}.key: ${JSON.stringify(raw.key)} is not the key of these attributes (${entity.key})`,
          {
            field: `${field}.key`,
          },
        );
      }
      return entity;
    });
    const draft: AlertDraft = {
      source: input.source,
      sourceRef: input.sourceRef ?? contentRef(record),
      title: input.title,
      description: input.description,
      severity: input.severity,
      category: normalizeCategory(input.category),
      detector: input.detector,
      mitreTechniques: [
        ...new Set((input.mitreTechniques ?? []).map((value) => normalizeTechnique(value) as string)),
      ].sort(),
      createdAt: normalizeTimestamp(input.createdAt) as string,
      firstActivityAt: normalizeTimestamp(input.firstActivityAt),
      lastActivityAt: normalizeTimestamp(input.lastActivityAt),
      entities: uniqueEntities(entities),
    };
    return { alerts: [dropUndefined(draft)] };
  },
};

/** Without its `undefined` fields, so stored and printed alerts carry only what is known. */
export function dropUndefined<T extends object>(value: T): T {
  // A new object rather than `delete`: deleting properties turns objects into slow dictionaries.
  const out: Record<string, unknown> = {};
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out as T;
}
