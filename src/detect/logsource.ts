/**
 * Which events a Sigma rule is written for. A rule's `logsource` (product / category / service) names a kind of
 * log; this table says which Windows events are that log, so a rule only ever runs on the events it was written
 * for. Field names: rules use Sysmon's (`Image`, `ParentImage`, `CommandLine`…); Security 4688 names them
 * differently, and is read through a field map. Documented in docs/detection.md.
 */
import type { WindowsRecord } from '../records/windows-record.js';
import type { SigmaLogsource } from './sigma.js';
import type { SigmaEvent } from './sigma-types.js';

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const PS = 'Microsoft-Windows-PowerShell/Operational';
const PS_CLASSIC = 'Windows PowerShell';

/** Categories → the (channel, event id) pairs that carry them. */
export const CATEGORY_EVENTS: Readonly<
  Record<string, readonly (readonly [channel: string, eventId: number])[]>
> = {
  process_creation: [
    [SYSMON, 1],
    ['Security', 4688],
  ],
  process_termination: [
    [SYSMON, 5],
    ['Security', 4689],
  ],
  network_connection: [[SYSMON, 3]],
  dns_query: [[SYSMON, 22]],
  image_load: [[SYSMON, 7]],
  driver_load: [[SYSMON, 6]],
  process_access: [[SYSMON, 10]],
  create_remote_thread: [[SYSMON, 8]],
  raw_access_thread: [[SYSMON, 9]],
  file_event: [[SYSMON, 11]],
  file_change: [[SYSMON, 2]],
  file_delete: [
    [SYSMON, 23],
    [SYSMON, 26],
  ],
  file_block_executable: [[SYSMON, 27]],
  file_block_shredding: [[SYSMON, 28]],
  file_executable_detected: [[SYSMON, 29]],
  create_stream_hash: [[SYSMON, 15]],
  registry_add: [[SYSMON, 12]],
  registry_delete: [[SYSMON, 12]],
  registry_set: [[SYSMON, 13]],
  registry_rename: [[SYSMON, 14]],
  registry_event: [
    [SYSMON, 12],
    [SYSMON, 13],
    [SYSMON, 14],
  ],
  pipe_created: [
    [SYSMON, 17],
    [SYSMON, 18],
  ],
  wmi_event: [
    [SYSMON, 19],
    [SYSMON, 20],
    [SYSMON, 21],
  ],
  sysmon_status: [
    [SYSMON, 4],
    [SYSMON, 16],
  ],
  sysmon_error: [[SYSMON, 255]],
  process_tampering: [[SYSMON, 25]],
  clipboard_capture: [[SYSMON, 24]],
  ps_module: [[PS, 4103]],
  ps_script: [[PS, 4104]],
  ps_classic_start: [[PS_CLASSIC, 400]],
  ps_classic_provider_start: [[PS_CLASSIC, 600]],
  ps_classic_script: [[PS_CLASSIC, 800]],
};

/** Registry categories are one Sysmon id (12) split by EventType. */
const REGISTRY_EVENT_TYPES: Readonly<Record<string, readonly string[]>> = {
  registry_add: ['CreateKey'],
  registry_delete: ['DeleteKey', 'DeleteValue'],
};

/** Services → the event log channel(s) they are. */
export const SERVICE_CHANNELS: Readonly<Record<string, readonly string[]>> = {
  security: ['Security'],
  system: ['System'],
  application: ['Application'],
  sysmon: [SYSMON],
  powershell: [PS],
  'powershell-classic': [PS_CLASSIC],
  taskscheduler: ['Microsoft-Windows-TaskScheduler/Operational'],
  wmi: ['Microsoft-Windows-WMI-Activity/Operational'],
  windefend: ['Microsoft-Windows-Windows Defender/Operational'],
  'dns-server': ['DNS Server'],
  'dns-server-analytic': ['Microsoft-Windows-DNSServer/Analytical'],
  'dns-client': ['Microsoft-Windows-DNS Client Events/Operational'],
  'driver-framework': ['Microsoft-Windows-DriverFrameworks-UserMode/Operational'],
  'bits-client': ['Microsoft-Windows-Bits-Client/Operational'],
  'codeintegrity-operational': ['Microsoft-Windows-CodeIntegrity/Operational'],
  'firewall-as': ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall'],
  ntlm: ['Microsoft-Windows-NTLM/Operational'],
  'security-mitigations': [
    'Microsoft-Windows-Security-Mitigations/KernelMode',
    'Microsoft-Windows-Security-Mitigations/UserMode',
  ],
  'printservice-admin': ['Microsoft-Windows-PrintService/Admin'],
  'printservice-operational': ['Microsoft-Windows-PrintService/Operational'],
  'smbclient-security': ['Microsoft-Windows-SmbClient/Security'],
  'smbclient-connectivity': ['Microsoft-Windows-SmbClient/Connectivity'],
  'terminalservices-localsessionmanager': [
    'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational',
  ],
  openssh: ['OpenSSH/Operational'],
  'appxdeployment-server': ['Microsoft-Windows-AppXDeploymentServer/Operational'],
  'appxpackaging-om': ['Microsoft-Windows-AppxPackaging/Operational'],
  applocker: [
    'Microsoft-Windows-AppLocker/MSI and Script',
    'Microsoft-Windows-AppLocker/EXE and DLL',
    'Microsoft-Windows-AppLocker/Packaged app-Deployment',
    'Microsoft-Windows-AppLocker/Packaged app-Execution',
  ],
  'msexchange-management': ['MSExchange Management'],
  'ldap-debug': ['Microsoft-Windows-LDAP-Client/Debug'],
  capi2: ['Microsoft-Windows-CAPI2/Operational'],
  'certificateservicesclient-lifecycle-system': [
    'Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational',
  ],
  dhcp: ['Microsoft-Windows-DHCP-Server/Operational'],
  'diagnosis-scripted': ['Microsoft-Windows-Diagnosis-Scripted/Operational'],
  'shell-core': ['Microsoft-Windows-Shell-Core/Operational'],
  vhdmp: ['Microsoft-Windows-VHDMP/Operational'],
  'lsa-server': ['Microsoft-Windows-LSA/Operational'],
  'kernel-shimengine': [
    'Microsoft-Windows-Kernel-ShimEngine/Operational',
    'Microsoft-Windows-Kernel-ShimEngine/Diagnostic',
  ],
  'hyper-v-worker': ['Microsoft-Windows-Hyper-V-Worker'],
  'iis-configuration': ['Microsoft-IIS-Configuration/Operational'],
  'microsoft-servicebus-client': ['Microsoft-ServiceBus-Client'],
  'application-experience': [
    'Microsoft-Windows-Application-Experience/Program-Telemetry',
    'Microsoft-Windows-Application-Experience/Program-Compatibility-Assistant',
  ],
  'sysmon-operational': [SYSMON],
};

/**
 * Where a rule's events are: bucket keys (`channel|eventId`, or `channel|*` for a whole channel), an extra test
 * (registry subcategories), or the reason there are none.
 */
export type RuleTarget =
  | { readonly buckets: readonly string[]; readonly extra?: (record: WindowsRecord) => boolean }
  | { readonly reason: string };

export function bucketOf(channel: string, eventId: number | '*'): string {
  return `${channel.toLowerCase()}|${eventId}`;
}

export function ruleTarget(logsource: SigmaLogsource): RuleTarget {
  const { product, category, service } = logsource;
  if (product !== undefined && product !== 'windows')
    return { reason: `no telemetry of product ${product} is read yet (logsource.product)` };
  if (category !== undefined) {
    const pairs = CATEGORY_EVENTS[category];
    if (!pairs) return { reason: `no telemetry read here carries logsource category ${category}` };
    const channels = service !== undefined ? SERVICE_CHANNELS[service] : undefined;
    const kept = channels ? pairs.filter(([channel]) => channels.includes(channel)) : pairs;
    const types = REGISTRY_EVENT_TYPES[category];
    return {
      buckets: kept.map(([channel, id]) => bucketOf(channel, id)),
      ...(types ? { extra: (record) => types.includes(record.data.EventType ?? '') } : {}),
    };
  }
  if (service !== undefined) {
    const channels = SERVICE_CHANNELS[service];
    if (!channels) return { reason: `no Windows event log is known for logsource service ${service}` };
    return { buckets: channels.map((channel) => bucketOf(channel, '*')) };
  }
  if (product === 'windows') return { buckets: ['*'] };
  return { reason: 'the logsource names no product, category or service' };
}

/** Security 4688 (and 4689) under Sysmon's names, as process_creation rules are written. */
const SECURITY_4688: Readonly<Record<string, string>> = {
  Image: 'NewProcessName',
  ParentImage: 'ParentProcessName',
  ProcessId: 'NewProcessId',
  ParentProcessId: 'ProcessId',
  User: 'TargetUserName',
  LogonId: 'TargetLogonId',
  IntegrityLevel: 'MandatoryLabel',
};

/** Data fields by lower-cased name, and by that name without spaces where it has some (and no field has it). */
function caseBlindFields(data: Readonly<Record<string, string>>): Map<string, string> {
  const fields = new Map<string, string>();
  for (const key in data) fields.set(key.toLowerCase(), data[key] as string);
  for (const key in data) {
    if (!key.includes(' ')) continue;
    const joined = key.toLowerCase().replaceAll(' ', '');
    if (!fields.has(joined)) fields.set(joined, data[key] as string);
  }
  return fields;
}

/** A Windows record as rules read it: its data fields, plus the System fields rules test (EventID, Channel…). */
export function windowsSigmaEvent(record: WindowsRecord): SigmaEvent {
  const data = record.data;
  const mapped =
    record.channel === 'Security' && (record.eventId === 4688 || record.eventId === 4689)
      ? SECURITY_4688
      : undefined;
  let lower: Map<string, string> | undefined;
  let all: string[] | undefined;
  const lowered = new Map<string, string | undefined>();
  const system: Record<string, string | undefined> = {
    EventID: String(record.eventId),
    Channel: record.channel,
    Provider_Name: record.provider,
    Computer: record.computer,
  };
  return {
    get(field) {
      const direct = data[field];
      if (direct !== undefined) return direct;
      if (field in system) return system[field];
      const alias = mapped?.[field];
      if (alias !== undefined && data[alias] !== undefined) return data[alias];
      // Shippers differ in the case of a few names (`SourceProcessGUID`): fall back to a case-blind lookup. Some
      // providers name data fields with spaces (Defender's `Process Name`); rules write them without.
      lower ??= caseBlindFields(data);
      return lower.get(field.toLowerCase());
    },
    values() {
      all ??= [...Object.values(data), ...(record.message ? [record.message] : [])];
      return all;
    },
    lower(field) {
      if (lowered.has(field)) return lowered.get(field);
      const value = this.get(field)?.toLowerCase();
      lowered.set(field, value);
      return value;
    },
  };
}
