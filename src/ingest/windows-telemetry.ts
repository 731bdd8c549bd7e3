/**
 * Windows event log records (windows-record.ts) → normalised telemetry events. One table per provider maps event
 * ids to an event kind and the fields that matter; the same code serves NXLog, Winlogbeat, evtx_dump JSON and raw
 * EVTX, so every shipper of the same event gives the same event.
 */
import { type EventDraft, type EventKind } from '../domain/event.js';
import type { WindowsRecord } from '../records/windows-record.js';
import { normalizeRegistryPath, parsePid } from '../domain/entity-values.js';
import { Reader, contextFields, ipKey, ipProtocol, statusOutcome } from './windows-reader.js';

/** What an event id means: its kind, and how to read its fields into the event. */
interface Mapping {
  readonly kind: EventKind;
  readonly read?: (event: Reader) => void;
}

const SYSMON = 'Microsoft-Windows-Sysmon';
const SECURITY = 'Microsoft-Windows-Security-Auditing';

/** Normalise one record. `undefined` time falls back to `fallbackTime` (never to the clock). */
export function windowsEventDraft(record: WindowsRecord, fallbackTime = 0): EventDraft {
  const reader = new Reader(record, fallbackTime);
  const mapping = mappingFor(record);
  // Sysmon's blocked executables and shredding (27, 28): what they report did not happen.
  if (blocked.has(record.eventId) && mapping === sysmon[record.eventId]) reader.draft.outcome = 'failure';
  reader.draft.kind = mapping.kind;
  mapping.read?.(reader);
  return reader.finish();
}

function mappingFor(record: WindowsRecord): Mapping {
  const provider = record.provider ?? '';
  const channel = record.channel ?? '';
  if (provider === SYSMON || channel === 'Microsoft-Windows-Sysmon/Operational')
    return sysmon[record.eventId] ?? OTHER;
  if (channel === 'Security' || provider === SECURITY) return security[record.eventId] ?? OTHER;
  if (channel === 'System' && record.eventId === 7045) return serviceInstalled;
  if (channel === 'Microsoft-Windows-PowerShell/Operational' || provider === 'Microsoft-Windows-PowerShell')
    return powershell[record.eventId] ?? OTHER;
  if (channel === 'Windows PowerShell' || provider === 'PowerShell') return classicPowershell;
  if (channel === 'Microsoft-Windows-TaskScheduler/Operational')
    return taskScheduler[record.eventId] ?? OTHER;
  return OTHER;
}

/** Any other event: whatever process and account it names. */
const OTHER: Mapping = {
  kind: 'other',
  read(e) {
    e.actor();
    if (!e.draft.userKey) e.subjectAndTarget(false);
    if (!e.draft.processKey) e.processFromSecurity('ProcessId', 'ProcessName');
  },
};

// --- Sysmon ------------------------------------------------------------------------------------------------

const processStart: Mapping = {
  kind: 'processStart',
  read(e) {
    e.actor();
    e.parent('ParentProcessGuid', 'ParentProcessId');
    e.hashes(e.field('Hashes'));
    e.draft.commandLine = e.field('CommandLine');
    // The name the binary was built under: a renamed copy of a Windows tool shows here (investigate reads it).
    // and its pid, which its GUID key does not carry (the Security log names the same process by pid).
    const original = e.field('OriginalFileName');
    const pid = parsePid(e.field('ProcessId'));
    if ((original && original !== '-' && original !== '?') || pid !== undefined)
      e.draft.details = {
        ...(pid !== undefined ? { pid } : {}),
        ...(original && original !== '-' && original !== '?' ? { originalFileName: original } : {}),
      };
  },
};

const targetFile = (kind: EventKind, hashField?: string): Mapping => ({
  kind,
  read(e) {
    e.actor();
    e.draft.targetPath = e.field('TargetFilename');
    if (hashField) e.hashes(e.field(hashField));
  },
});

const processToProcess = (kind: EventKind): Mapping => ({
  kind,
  read(e) {
    e.actor('SourceProcessGuid', 'SourceProcessId', 'SourceImage', 'SourceUser');
    e.draft.targetProcessKey = e.keys.add(
      e.processKey(e.field('TargetProcessGuid', 'TargetProcessGUID'), e.field('TargetProcessId')),
    );
    e.draft.targetPath = e.field('TargetImage');
    e.draft.targetUserKey = e.user(e.field('TargetUser'));
    // The rights asked for (`0x1010`): what credential-access analysis reads.
    const access = e.field('GrantedAccess');
    if (access) e.draft.details = { grantedAccess: access.toLowerCase() };
  },
});

const registry = (kind: EventKind): Mapping => ({
  kind,
  read(e) {
    e.actor();
    e.draft.registryPath = normalizeRegistryPath(e.field('TargetObject')) ?? e.field('TargetObject');
    e.draft.registryValue = e.field('Details') ?? e.field('NewName');
  },
});

const sysmon: Record<number, Mapping> = {
  1: processStart,
  2: targetFile('fileTimestamp'),
  3: {
    kind: 'networkConnection',
    read(e) {
      e.actor();
      e.network('SourceIp', 'SourcePort', 'DestinationIp', 'DestinationPort');
      e.draft.protocol = e.field('Protocol')?.toLowerCase();
      e.draft.domain = e.domain(e.field('DestinationHostname'));
    },
  },
  5: { kind: 'processEnd', read: (e) => e.actor() },
  6: {
    kind: 'driverLoad',
    read(e) {
      e.draft.targetPath = e.field('ImageLoaded');
      e.hashes(e.field('Hashes'));
      e.signature();
    },
  },
  7: {
    kind: 'imageLoad',
    read(e) {
      e.actor();
      e.draft.targetPath = e.field('ImageLoaded');
      e.hashes(e.field('Hashes'));
      e.signature();
    },
  },
  8: processToProcess('remoteThread'),
  9: {
    kind: 'rawDiskAccess',
    read(e) {
      e.actor();
      e.draft.targetPath = e.field('Device');
    },
  },
  10: processToProcess('processAccess'),
  11: targetFile('fileCreate'),
  12: {
    kind: 'registryCreate',
    read(e) {
      registry('registryCreate').read?.(e);
      if (/delete/i.test(e.field('EventType') ?? '')) e.draft.kind = 'registryDelete';
    },
  },
  13: registry('registrySet'),
  14: registry('registryRename'),
  15: targetFile('fileStream', 'Hash'),
  17: {
    kind: 'pipeCreate',
    read(e) {
      e.actor();
      e.draft.targetPath = e.field('PipeName');
    },
  },
  18: {
    kind: 'pipeConnect',
    read(e) {
      e.actor();
      e.draft.targetPath = e.field('PipeName');
    },
  },
  19: { kind: 'wmiEvent', read: (e) => e.actor() },
  20: { kind: 'wmiEvent', read: (e) => e.actor() },
  21: { kind: 'wmiEvent', read: (e) => e.actor() },
  22: {
    kind: 'dnsQuery',
    read(e) {
      e.actor();
      e.draft.domain = e.domain(e.field('QueryName'));
      // QueryResults: `type: 5 cdn.example.net;::ffff:93.184.216.34;` — the addresses it resolved to.
      for (const part of (e.field('QueryResults') ?? '').split(';')) e.keys.add(ipKey(part));
    },
  },
  23: targetFile('fileDelete', 'Hashes'),
  25: { kind: 'processTampering', read: (e) => e.actor() },
  26: targetFile('fileDelete', 'Hashes'),
  27: { ...targetFile('fileCreate', 'Hashes'), kind: 'fileCreate' },
  28: targetFile('fileDelete', 'Hashes'),
  29: targetFile('fileCreate', 'Hashes'),
};
// Blocked actions (27 executable blocked, 28 shredding blocked) did not happen.
const blocked = new Set([27, 28]);

// --- Security ----------------------------------------------------------------------------------------------

const logon = (kind: EventKind): Mapping => ({
  kind,
  read(e) {
    e.subjectAndTarget(true);
    e.draft.srcIp = e.ip(e.field('IpAddress'));
    e.draft.srcPort = e.port(e.field('IpPort'));
    e.processFromSecurity('ProcessId', 'ProcessName');
  },
});

const security: Record<number, Mapping> = {
  4624: logon('logon'),
  4625: { kind: 'logonFailed', read: (e) => (logon('logonFailed').read?.(e), (e.draft.outcome = 'failure')) },
  4634: { kind: 'logoff', read: (e) => e.subjectAndTarget(true) },
  4647: { kind: 'logoff', read: (e) => e.subjectAndTarget(true) },
  4648: {
    kind: 'explicitCredentials',
    read(e) {
      logon('explicitCredentials').read?.(e);
      e.draft.domain = e.domain(e.field('TargetServerName'));
    },
  },
  4672: { kind: 'specialPrivileges', read: (e) => e.subjectAndTarget(false) },
  4688: {
    kind: 'processStart',
    read(e) {
      // TargetUser* (Windows 10+) is the account the new process runs as; the subject is its creator's.
      e.subjectAndTarget(true);
      // The creator is ProcessId/ParentProcessName; the new process is NewProcessId/NewProcessName.
      e.processFromSecurity('NewProcessId', 'NewProcessName', true);
      const parentPid = e.field('ProcessId');
      e.draft.parentProcessKey = e.keys.add(e.processKey(undefined, parentPid));
      e.draft.commandLine = e.field('CommandLine');
    },
  },
  4689: {
    kind: 'processEnd',
    read(e) {
      e.subjectAndTarget(false);
      e.processFromSecurity('ProcessId', 'ProcessName');
    },
  },
  4697: {
    kind: 'serviceInstall',
    read(e) {
      e.subjectAndTarget(false);
      e.draft.targetPath = e.field('ServiceFileName');
      e.draft.commandLine = e.field('ServiceFileName');
    },
  },
  4698: {
    kind: 'taskCreate',
    read(e) {
      e.subjectAndTarget(false);
      e.draft.targetPath = e.field('TaskName');
    },
  },
  4702: {
    kind: 'taskChange',
    read(e) {
      e.subjectAndTarget(false);
      e.draft.targetPath = e.field('TaskName');
    },
  },
  4720: { kind: 'accountCreate', read: (e) => e.subjectAndTarget(false) },
  4722: { kind: 'accountChange', read: (e) => e.subjectAndTarget(false) },
  4724: { kind: 'accountChange', read: (e) => e.subjectAndTarget(false) },
  4738: { kind: 'accountChange', read: (e) => e.subjectAndTarget(false) },
  4768: {
    kind: 'kerberosTgt',
    read(e) {
      e.subjectAndTarget(true);
      e.draft.srcIp = e.ip(e.field('IpAddress'));
      e.draft.srcPort = e.port(e.field('IpPort'));
      e.draft.outcome = statusOutcome(e.field('Status'));
    },
  },
  4769: {
    kind: 'kerberosService',
    read(e) {
      e.subjectAndTarget(true);
      e.draft.srcIp = e.ip(e.field('IpAddress'));
      e.draft.srcPort = e.port(e.field('IpPort'));
      e.draft.targetPath = e.field('ServiceName');
      e.draft.outcome = statusOutcome(e.field('Status'));
    },
  },
  4771: {
    kind: 'kerberosTgt',
    read(e) {
      e.subjectAndTarget(true);
      e.draft.srcIp = e.ip(e.field('IpAddress'));
      e.draft.outcome = 'failure';
    },
  },
  4776: {
    kind: 'credentialValidation',
    read(e) {
      e.subjectAndTarget(true);
      e.draft.domain = e.domain(e.field('Workstation'));
      e.draft.outcome = statusOutcome(e.field('Status'));
    },
  },
  5140: {
    kind: 'shareAccess',
    read(e) {
      e.subjectAndTarget(false);
      e.draft.srcIp = e.ip(e.field('IpAddress'));
      e.draft.srcPort = e.port(e.field('IpPort'));
      e.draft.targetPath = e.field('ShareName');
    },
  },
  5145: {
    kind: 'shareAccess',
    read(e) {
      e.subjectAndTarget(false);
      e.draft.srcIp = e.ip(e.field('IpAddress'));
      e.draft.srcPort = e.port(e.field('IpPort'));
      const share = e.field('ShareName');
      const relative = e.field('RelativeTargetName');
      e.draft.targetPath = share && relative ? `${share}\\${relative}` : (share ?? relative);
    },
  },
  5156: {
    kind: 'networkConnection',
    read(e) {
      e.processFromSecurity('ProcessID', 'Application');
      e.processFromSecurity('ProcessId', 'Application');
      e.network('SourceAddress', 'SourcePort', 'DestAddress', 'DestPort');
      e.draft.protocol = ipProtocol(e.field('Protocol'));
    },
  },
  5157: {
    kind: 'networkConnection',
    read(e) {
      security[5156]?.read?.(e);
      e.draft.outcome = 'failure';
    },
  },
};

const serviceInstalled: Mapping = {
  kind: 'serviceInstall',
  read(e) {
    e.draft.userKey = e.user(e.field('AccountName'));
    e.draft.targetPath = e.field('ImagePath');
    e.draft.commandLine = e.field('ImagePath');
  },
};

// --- PowerShell --------------------------------------------------------------------------------------------

const powershell: Record<number, Mapping> = {
  4103: {
    kind: 'pipelineExecution',
    read(e) {
      // Context lines: `Host Application = …`, `User = …`, `Script Name = …`.
      const context = contextFields(e.field('ContextInfo'));
      e.draft.userKey = e.user(context.User);
      e.draft.imagePath = context.HostApplication;
      e.draft.commandLine = e.field('Payload');
      e.draft.targetPath = context.ScriptName || undefined;
    },
  },
  4104: {
    kind: 'scriptBlock',
    read(e) {
      e.draft.userKey = e.user(e.record.userSid);
      e.draft.commandLine = e.field('ScriptBlockText');
      e.draft.targetPath = e.field('Path');
    },
  },
};

/** Windows PowerShell 400/403/600/800: `HostApplication=…`, `UserId=…`, `CommandLine=…` in the message. */
const classicPowershell: Mapping = {
  kind: 'other',
  read(e) {
    const fields = { ...contextFields(e.record.message ?? ''), ...e.record.data };
    if (e.record.eventId === 800) e.draft.kind = 'pipelineExecution';
    e.draft.userKey = e.user(fields.UserId);
    e.draft.commandLine = fields.HostApplication ?? fields.CommandLine;
    e.draft.targetPath = fields.ScriptName || undefined;
  },
};

const taskScheduler: Record<number, Mapping> = {
  106: {
    kind: 'taskCreate',
    read(e) {
      e.draft.userKey = e.user(e.field('UserContext'));
      e.draft.targetPath = e.field('TaskName');
    },
  },
  140: {
    kind: 'taskChange',
    read(e) {
      e.draft.userKey = e.user(e.field('UserName'));
      e.draft.targetPath = e.field('TaskName');
    },
  },
};
