/**
 * Entities named by a Windows event's data (Sysmon and Security log fields), whatever the shipper: Sysmon's
 * `Image`, Wazuh's `image`, Winlogbeat's `winlog.event_data.Image` all read the same. Field names are compared
 * case-insensitively.
 */
import { type Entity, type FileEntity } from '../domain/entity.js';
import { text } from './json.js';
import { normalizeRegistryPath, parseHashList } from '../domain/entity-values.js';
import {
  createDomain,
  createFile,
  createIp,
  createProcess,
  createRegistryValue,
  createScheduledTask,
  createService,
  createUser,
} from '../domain/entity-builders.js';

/** Field lookup with case-insensitive names. */
export function fieldReader(data: Readonly<Record<string, unknown>>): (name: string) => string | undefined {
  const lower = new Map<string, unknown>();
  for (const [key, value] of Object.entries(data)) lower.set(key.toLowerCase(), value);
  return (name) => text(lower.get(name.toLowerCase()));
}

/**
 * The entities of one Windows event: processes (with image file and parent), users, files, network peers,
 * registry values, services and tasks. `device` is the computer the event came from.
 */
export function windowsEventEntities(
  device: string | undefined,
  data: Readonly<Record<string, unknown>>,
): Entity[] {
  const field = fieldReader(data);
  const entities: (Entity | undefined)[] = [];

  const user = createUser({ name: field('User') ?? field('AccountName'), sid: field('UserSid') });
  const subject = createUser({
    name: field('SubjectUserName'),
    domain: field('SubjectDomainName'),
    sid: field('SubjectUserSid'),
  });
  // The target of a Kerberos ticket request (4768, 4769, 4771) is the account asking: the actor, not a bystander.
  const kerberos = field('TicketEncryptionType') !== undefined || field('TicketOptions') !== undefined;
  const target = createUser({
    name: field('TargetUserName'),
    domain: field('TargetDomainName'),
    sid: field('TargetUserSid'),
    ...(kerberos ? {} : { roles: ['contextual'] as const }),
  });
  entities.push(user, subject, target);

  // Sysmon process fields (1, 3, 5, 7, 8, 10, 11, 12–14, 22…) and Security 4688 (NewProcessName/NewProcessId).
  // Hashes describe the process's image only on process events: on file events (Sysmon 15, 23, 26, 29) they are
  // the file written or deleted, on image loads (6, 7) the module loaded.
  const fileHashes = parseHashList(field('Hashes') ?? field('Hash'));
  const targetFilename = field('TargetFilename');
  const loaded = field('ImageLoaded');
  const hashes = targetFilename || loaded ? {} : fileHashes;
  // Security events name their process by ProcessName (4656, 4663, 4673…) or Application (5156).
  const imagePath =
    field('Image') ??
    field('NewProcessName') ??
    field('SourceImage') ??
    field('ProcessName') ??
    field('Application');
  const image: FileEntity | undefined = imagePath
    ? createFile({ ...hashes, path: imagePath, device })
    : hashes.sha256 || hashes.sha1 || hashes.md5
      ? createFile({ ...hashes, device })
      : undefined;
  const parentPath = field('ParentImage') ?? field('ParentProcessName');
  const parentImage = parentPath ? createFile({ path: parentPath, device }) : undefined;
  const parent = createProcess({
    device,
    guid: field('ParentProcessGuid'),
    pid: field('ParentProcessId') ?? (field('NewProcessName') ? field('ProcessId') : undefined),
    commandLine: field('ParentCommandLine'),
    imagePath: parentPath,
    imageKey: parentImage?.key,
    roles: ['parent'],
  });
  const process = createProcess({
    device,
    guid: field('ProcessGuid') ?? field('SourceProcessGuid'),
    pid: field('NewProcessId') ?? field('SourceProcessId') ?? field('ProcessId'),
    commandLine: field('CommandLine'),
    imagePath,
    imageKey: image?.key,
    parentKey: parent?.key,
    userKey: (user ?? subject)?.key,
  });
  entities.push(process, image, parent, parentImage);

  // Process access (Sysmon 10) and remote threads (8): the target process.
  const targetImage = field('TargetImage');
  if (targetImage) {
    const targetFile = createFile({ path: targetImage, device });
    entities.push(
      createProcess({
        device,
        guid: field('TargetProcessGuid'),
        pid: field('TargetProcessId'),
        imagePath: targetImage,
        imageKey: targetFile?.key,
        roles: ['contextual'],
      }),
      targetFile,
    );
  }

  // A handle to a process (Security 4656 / 4663 with ObjectType Process): the process opened, by its image.
  const objectName = field('ObjectName');
  if (objectName && field('ObjectType')?.toLowerCase() === 'process')
    entities.push(createFile({ path: objectName, device, roles: ['contextual'] }));

  // Files written, loaded, deleted; pipes are not files.
  if (targetFilename)
    entities.push(
      createFile({ ...(loaded ? {} : fileHashes), path: targetFilename, device, roles: ['created'] }),
    );
  if (loaded) entities.push(createFile({ ...fileHashes, path: loaded, device, roles: ['loaded'] }));

  // Network (Sysmon 3, Security 4624/4625/5156) and DNS (Sysmon 22).
  const sourceIp = field('SourceIp') ?? field('IpAddress') ?? field('SourceAddress');
  const destinationIp = field('DestinationIp') ?? field('DestAddress');
  entities.push(
    createIp({ address: sourceIp, roles: ['source'] }),
    createIp({ address: destinationIp, roles: ['destination'] }),
  );
  entities.push(
    createDomain({ name: field('DestinationHostname') }),
    createDomain({ name: field('QueryName') }),
  );

  // Registry (Sysmon 12–14): TargetObject is key path plus value name.
  const targetObject = field('TargetObject');
  if (targetObject) {
    const path = normalizeRegistryPath(targetObject);
    const cut = path ? path.lastIndexOf('\\') : -1;
    if (path && cut > 0) {
      entities.push(
        createRegistryValue({
          keyPath: path.slice(0, cut),
          valueName: path.slice(cut + 1),
          valueData: field('Details'),
          device,
          roles: ['edited'],
        }),
      );
    }
  }

  // Services (7045, 4697) and scheduled tasks (4698).
  const serviceName = field('ServiceName');
  if (serviceName)
    entities.push(
      createService({ device, name: serviceName, imagePath: field('ImagePath') ?? field('ServiceFileName') }),
    );
  const taskName = field('TaskName');
  if (taskName) entities.push(createScheduledTask({ device, name: taskName }));

  return entities.filter((entity): entity is Entity => entity !== undefined);
}
