/**
 * Microsoft Graph security `alerts_v2` (Microsoft 365 Defender, Defender for Endpoint/Office/Identity/Cloud Apps),
 * with its `evidence[]`. https://learn.microsoft.com/graph/api/resources/security-alert
 */
import { z } from 'zod';
import {
  normalizeCategory,
  normalizeTechniques,
  parseSeverity,
  type AlertDraft,
} from '../../domain/alert.js';
import {
  entityRoles,
  uniqueEntities,
  type Entity,
  type EntityRole,
  type FileEntity,
} from '../../domain/entity.js';
import { validate, zs, type InputFormat } from '../format.js';
import { dropUndefined } from './autoir.js';
import { isObject, text, type JsonObject } from '../../records/json.js';
import { joinPath, normalizeTimestamp } from '../../domain/entity-values.js';
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
  createUrl,
  createUser,
} from '../../domain/entity-builders.js';

const fileDetails = z
  .object({
    sha1: zs.str,
    sha256: zs.str,
    md5: zs.str,
    fileName: zs.str,
    filePath: zs.str,
    fileSize: zs.num,
    filePublisher: zs.str,
    signer: zs.str,
  })
  .nullish();

const userAccount = z
  .object({
    accountName: zs.str,
    domainName: zs.str,
    userSid: zs.str,
    azureAdUserId: zs.str,
    userPrincipalName: zs.str,
    displayName: zs.str,
  })
  .nullish();

const evidence = z.looseObject({
  '@odata.type': z.string(),
  roles: zs.strs,
  mdeDeviceId: zs.str,
});

const alertSchema = z.looseObject({
  id: z.string().min(1),
  title: z.string().min(1),
  description: zs.str,
  severity: zs.str,
  category: zs.str,
  serviceSource: zs.str,
  detectionSource: zs.str,
  detectorId: zs.str,
  mitreTechniques: zs.strs,
  createdDateTime: z
    .string()
    .refine((value) => normalizeTimestamp(value) !== undefined, 'must be an ISO 8601 date-time'),
  firstActivityDateTime: zs.str,
  lastActivityDateTime: zs.str,
  evidence: z.array(evidence).nullish(),
});

/** Per evidence type, the fields we read (checked so that a wrong type is reported with its path). */
const evidenceSchemas: Record<string, z.ZodType> = {
  deviceEvidence: z.looseObject({
    deviceDnsName: zs.str,
    azureAdDeviceId: zs.str,
    osPlatform: zs.str,
    ipInterfaces: zs.strs,
    loggedOnUsers: z.array(z.looseObject({ accountName: zs.str, domainName: zs.str })).nullish(),
  }),
  fileEvidence: z.looseObject({ fileDetails }),
  processEvidence: z.looseObject({
    processId: zs.num,
    parentProcessId: zs.num,
    processCommandLine: zs.str,
    processCreationDateTime: zs.str,
    parentProcessCreationDateTime: zs.str,
    imageFile: fileDetails,
    parentProcessImageFile: fileDetails,
    userAccount,
  }),
  registryKeyEvidence: z.looseObject({ registryKey: zs.str, registryHive: zs.str }),
  registryValueEvidence: z.looseObject({
    registryKey: zs.str,
    registryHive: zs.str,
    registryValue: zs.str,
    registryValueName: zs.str,
    registryValueType: zs.str,
  }),
  userEvidence: z.looseObject({ userAccount }),
  ipEvidence: z.looseObject({ ipAddress: zs.str }),
  urlEvidence: z.looseObject({ url: zs.str }),
  mailboxEvidence: z.looseObject({ primaryAddress: zs.str, displayName: zs.str, userAccount }),
  analyzedMessageEvidence: z.looseObject({
    internetMessageId: zs.str,
    subject: zs.str,
    senderIp: zs.str,
    recipientEmailAddress: zs.str,
    receivedDateTime: zs.str,
    urls: zs.strs,
    p1Sender: z.looseObject({ emailAddress: zs.str, domainName: zs.str }).nullish(),
    p2Sender: z.looseObject({ emailAddress: zs.str, domainName: zs.str }).nullish(),
  }),
  mailClusterEvidence: z.looseObject({ clusterBy: zs.str, clusterByValue: zs.str, query: zs.str }),
  cloudApplicationEvidence: z.looseObject({ appId: zs.strOrNum, displayName: zs.str }),
  oauthApplicationEvidence: z.looseObject({ appId: zs.str, displayName: zs.str }),
  dnsEvidence: z.looseObject({
    domainName: zs.str,
    hostIpAddress: z.looseObject({ ipAddress: zs.str }).nullish(),
  }),
};

type FileDetails = z.infer<typeof fileDetails>;
type UserAccount = z.infer<typeof userAccount>;

export const msgraphFormat: InputFormat = {
  id: 'msgraph',
  description: 'Microsoft Graph security alerts_v2 (Microsoft 365 Defender), with evidence[]',
  sniff: (record) =>
    record['@odata.type'] === '#microsoft.graph.security.alert' ||
    (typeof record.id === 'string' &&
      'evidence' in record &&
      ('serviceSource' in record || 'providerAlertId' in record)),
  parse(record) {
    const alert = validate(alertSchema, record, 'not a valid Microsoft Graph alert');
    const evidences = alert.evidence ?? [];
    evidences.forEach((item, index) => {
      const schema = evidenceSchemas[evidenceType(item['@odata.type'])];
      if (schema) validate(schema, item, `not a valid Microsoft Graph alert: evidence[${index}]`);
    });

    // File and process evidence name their device by mdeDeviceId only: find its name in the device evidence.
    const deviceNames = new Map<string, string>();
    for (const item of evidences) {
      const name = text(item.deviceDnsName);
      if (evidenceType(item['@odata.type']) === 'deviceEvidence' && name && item.mdeDeviceId) {
        deviceNames.set(item.mdeDeviceId.toLowerCase(), name);
      }
    }
    const deviceOf = (item: JsonObject): string | undefined => {
      const id = text(item.mdeDeviceId)?.toLowerCase();
      return id ? (deviceNames.get(id) ?? id) : undefined;
    };

    const entities = evidences.flatMap((item) => evidenceEntities(item, deviceOf));
    const draft: AlertDraft = {
      source: alert.serviceSource ?? 'microsoftGraph',
      sourceRef: alert.id,
      title: alert.title,
      description: alert.description ?? undefined,
      severity: parseSeverity(alert.severity) ?? 'medium',
      category: normalizeCategory(alert.category),
      detector: alert.detectorId ?? alert.detectionSource ?? undefined,
      mitreTechniques: normalizeTechniques(alert.mitreTechniques ?? []),
      createdAt: normalizeTimestamp(alert.createdDateTime) as string,
      firstActivityAt: normalizeTimestamp(alert.firstActivityDateTime),
      lastActivityAt: normalizeTimestamp(alert.lastActivityDateTime),
      entities: uniqueEntities(entities),
    };
    return { alerts: [dropUndefined(draft)] };
  },
};

function evidenceType(odataType: string): string {
  return odataType.replace(/^#?microsoft\.graph\.security\./, '');
}

function rolesOf(item: JsonObject): EntityRole[] {
  const known = new Set<string>(entityRoles);
  return (Array.isArray(item.roles) ? item.roles : []).filter(
    (role): role is EntityRole => typeof role === 'string' && known.has(role),
  );
}

function fileFrom(
  details: FileDetails,
  device: string | undefined,
  roles: EntityRole[] = [],
): FileEntity | undefined {
  if (!details) return undefined;
  return createFile({
    sha256: details.sha256,
    sha1: details.sha1,
    md5: details.md5,
    name: details.fileName,
    // Graph's filePath is the directory; the name is separate.
    directory: details.filePath,
    size: details.fileSize,
    publisher: details.filePublisher,
    signer: details.signer,
    device,
    roles,
  });
}

function userFrom(account: UserAccount, roles: EntityRole[] = []) {
  if (!account) return undefined;
  return createUser({
    name: account.accountName,
    domain: account.domainName,
    sid: account.userSid,
    upn: account.userPrincipalName,
    displayName: account.displayName,
    roles,
  });
}

function evidenceEntities(
  item: JsonObject,
  deviceOf: (item: JsonObject) => string | undefined,
): (Entity | undefined)[] {
  const roles = rolesOf(item);
  const get = (name: string) => item[name] as never;
  switch (evidenceType(String(item['@odata.type']))) {
    case 'deviceEvidence': {
      const users = (Array.isArray(item.loggedOnUsers) ? item.loggedOnUsers : []).filter(isObject);
      return [
        createDevice({
          hostname: text(item.deviceDnsName) ?? text(item.mdeDeviceId),
          os: text(item.osPlatform),
          ips: Array.isArray(item.ipInterfaces) ? (item.ipInterfaces as string[]) : [],
          externalIds: { mde: text(item.mdeDeviceId), azureAd: text(item.azureAdDeviceId) },
          roles,
        }),
        ...users.map((user) =>
          createUser({ name: text(user.accountName), domain: text(user.domainName), roles: ['contextual'] }),
        ),
      ];
    }
    case 'fileEvidence':
      return [fileFrom(get('fileDetails'), deviceOf(item), roles)];
    case 'processEvidence': {
      const device = deviceOf(item);
      const image = fileFrom(get('imageFile'), device);
      const parentImage = fileFrom(get('parentProcessImageFile'), device);
      const user = userFrom(get('userAccount'));
      const parentDetails = get('parentProcessImageFile') as FileDetails;
      const parent = createProcess({
        device,
        pid: item.parentProcessId as number | undefined,
        startedAt: text(item.parentProcessCreationDateTime),
        imagePath: imagePathOf(parentDetails),
        imageKey: parentImage?.key,
        roles: ['parent'],
      });
      const imageDetails = get('imageFile') as FileDetails;
      const process = createProcess({
        device,
        pid: item.processId as number | undefined,
        startedAt: text(item.processCreationDateTime),
        commandLine: text(item.processCommandLine),
        imagePath: imagePathOf(imageDetails),
        imageKey: image?.key,
        parentKey: parent?.key,
        userKey: user?.key,
        roles,
      });
      return [process, image, parent, parentImage, user];
    }
    case 'registryKeyEvidence':
      return [createRegistryKey({ path: text(item.registryKey), hive: text(item.registryHive), roles })];
    case 'registryValueEvidence':
      return [
        createRegistryValue({
          keyPath: text(item.registryKey),
          hive: text(item.registryHive),
          valueName: typeof item.registryValueName === 'string' ? item.registryValueName : undefined,
          valueData: text(item.registryValue),
          valueType: text(item.registryValueType),
          device: deviceOf(item),
          roles,
        }),
      ];
    case 'userEvidence':
      return [userFrom(get('userAccount'), roles)];
    case 'ipEvidence':
      return [createIp({ address: text(item.ipAddress), roles })];
    case 'urlEvidence':
      return [createUrl({ url: text(item.url), roles })];
    case 'mailboxEvidence':
      return [
        createMailbox({ address: text(item.primaryAddress), displayName: text(item.displayName), roles }),
        userFrom(get('userAccount')),
      ];
    case 'analyzedMessageEvidence': {
      const p1 = isObject(item.p1Sender) ? text(item.p1Sender.emailAddress) : undefined;
      const p2 = isObject(item.p2Sender) ? text(item.p2Sender.emailAddress) : undefined;
      return [
        createMailMessage({
          messageId: text(item.internetMessageId),
          subject: text(item.subject),
          sender: p2 ?? p1,
          recipient: text(item.recipientEmailAddress),
          receivedAt: text(item.receivedDateTime),
          roles,
        }),
        createMailbox({ address: text(item.recipientEmailAddress), roles: ['destination'] }),
        createMailbox({ address: p2 ?? p1, roles: ['source'] }),
        createIp({ address: text(item.senderIp), roles: ['source'] }),
        ...(Array.isArray(item.urls) ? item.urls : []).map((url) => createUrl({ url: text(url) })),
      ];
    }
    case 'mailClusterEvidence':
      return [
        createMailCluster({
          clusterId: [text(item.clusterBy), text(item.clusterByValue)].filter(Boolean).join(':') || undefined,
          query: text(item.query),
          roles,
        }),
      ];
    case 'cloudApplicationEvidence':
    case 'oauthApplicationEvidence':
      return [createCloudApp({ appId: text(item.appId), name: text(item.displayName), roles })];
    case 'dnsEvidence':
      return [
        createDomain({ name: text(item.domainName), roles }),
        createIp({ address: isObject(item.hostIpAddress) ? text(item.hostIpAddress.ipAddress) : undefined }),
      ];
    default:
      // Cloud resources, security groups, Kubernetes objects…: not entities autoir acts on (yet).
      return [];
  }
}

function imagePathOf(details: FileDetails): string | undefined {
  return details ? joinPath(details.filePath, details.fileName) : undefined;
}
