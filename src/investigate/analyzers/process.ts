/**
 * Process analyzers: where it runs from and who started it (lineage, command line), and what it did (credential
 * access, code injection, network, persistence, dropped executables). Each also names the entities the process
 * relates to — its image file, children, destinations, injection targets, device and user — which join the
 * investigation when the process turns out incriminating.
 */
import { isBuiltInAccount, type ProcessEntity } from '../../domain/entity.js';
import type { Finding } from '../../domain/evidence.js';
import { specialAddress } from '../../domain/net.js';
import { finding, type AnalysisContext, type Analyzer, type RelatedEntity } from './analyzer.js';
import {
  DOCUMENT_AND_WEB_APPS,
  LOLBINS,
  SHELLS,
  CORE_WINDOWS_NAMES,
  fileName,
  folderOf,
  isExecutablePath,
  isSystemPath,
  isUserWritable,
  originalName,
  SERVER_APPS,
  WINDOWS_BINARIES,
} from '../../domain/os-paths.js';
import type { EventRecord } from '../../domain/event.js';
import {
  createDevice,
  createFile,
  createIp,
  createDomain,
  createProcess,
  createRegistryKey,
  createUser,
} from '../../domain/entity-builders.js';

const ACTIVITY_LIMIT = 5000;

/** The process's start event, its activity, and its children's starts: read once per process per run. */
interface ProcessFacts {
  readonly start: EventRecord | undefined;
  readonly parentStart: EventRecord | undefined;
  readonly activity: readonly EventRecord[];
  readonly children: readonly EventRecord[];
}

const facts = new WeakMap<AnalysisContext, Map<string, Promise<ProcessFacts>>>();

function factsOf(process: ProcessEntity, context: AnalysisContext): Promise<ProcessFacts> {
  let cache = facts.get(context);
  if (!cache) facts.set(context, (cache = new Map()));
  let found = cache.get(process.key);
  if (!found) {
    found = (async () => {
      const [chain, activity, children] = await Promise.all([
        context.query.processAncestors(process.key, 1),
        context.query.processActivity(process.key, undefined, ACTIVITY_LIMIT),
        context.query.processDescendants(process.key, 1),
      ]);
      const start = chain[0]?.processKey === process.key ? chain[0] : undefined;
      return { start, parentStart: start ? chain[1] : undefined, activity, children };
    })();
    cache.set(process.key, found);
  }
  return found;
}

function imageOf(process: ProcessEntity, start: EventRecord | undefined): string | undefined {
  return start?.imagePath ?? process.imagePath;
}

function label(process: { imagePath?: string; pid?: number }, fallback = 'the process'): string {
  const name = process.imagePath ? fileName(process.imagePath) : fallback;
  return process.pid === undefined ? name : `${name} (pid ${process.pid})`;
}

function pidOf(key: string | undefined): number | undefined {
  const match = key ? /:(\d+)$/.exec(key) : null;
  return match ? Number(match[1]) : undefined;
}

/** A process entity for a key seen in an event, with what the event says of it. */
export function processFor(
  key: string,
  device: string,
  imagePath?: string,
  start?: Pick<EventRecord, 'details'>,
): ProcessEntity | undefined {
  const value = key.slice('process:'.length + device.length + 1);
  const guid = /^[0-9a-f-]{36}$/.test(value) ? value : undefined;
  // A GUID key carries no pid; its start event does (Sysmon's ProcessId).
  const started = typeof start?.details?.pid === 'number' ? start.details.pid : undefined;
  return createProcess({ device, guid, pid: guid ? started : pidOf(key), imagePath });
}

// --- Lineage and command line ----------------------------------------------------------------------------

const ENCODED =
  /\s-(?:e|ec|en|enc|enco|encod|encode|encoded|encodedc|encodedco|encodedcom|encodedcomm|encodedcomma|encodedcomman|encodedcommand)\s+[a-z0-9+/=]{16,}/i;
const DOWNLOAD_CRADLE =
  /(?:iex|invoke-expression)\b.*(?:downloadstring|downloadfile|invoke-webrequest|iwr|net\.webclient)|(?:downloadstring|downloadfile)\s*\(/i;
const LONG_BASE64 = /[A-Za-z0-9+/]{120,}={0,2}/;
/** Command lines that blind the defenders: logs cleared, auditing or security tooling switched off. */
const DEFENCE_EVASION: readonly (readonly [RegExp, string])[] = [
  [/\bwevtutil(?:\.exe)?\b.*\s(?:cl|clear-log)\s/i, 'clears an event log'],
  [
    /\bclear-eventlog\b|\bremove-eventlog\b|\[system\.diagnostics\.eventing\.reader\.eventlogsession\]/i,
    'clears an event log',
  ],
  [
    /\bauditpol(?:\.exe)?\b.*(?:\/clear\b|\/remove\b|\/(?:success|failure):disable)/i,
    'switches auditing off',
  ],
  [/\bfltmc(?:\.exe)?\b.*\bunload\s+sysmon/i, "unloads Sysmon's driver"],
  [/\bsysmon(?:64)?(?:\.exe)?\b.*\s-u\b/i, 'uninstalls Sysmon'],
  [
    /\bset-mppreference\b.*-disable(?:realtimemonitoring|behaviormonitoring|ioavprotection|scriptscanning)\s+(?:\$true|1)/i,
    'switches Microsoft Defender protection off',
  ],
  [
    /\bsc(?:\.exe)?\s+(?:\\\\\S+\s+)?(?:stop|delete|config)\s+(?:windefend|sense|sysmon\S*|eventlog|mpssvc)\b/i,
    'stops or removes a security service',
  ],
];
/** Hosts where attackers park payloads: file-sharing, paste and tunnel services. */
const FILE_SHARING =
  /\b(?:transfer\.sh|anonfiles\.com|file\.io|gofile\.io|mega\.nz|pastebin\.com|paste\.ee|hastebin\.com|ghostbin\.\w+|raw\.githubusercontent\.com|gist\.githubusercontent\.com|cdn\.discordapp\.com|dropbox\.com|dl\.dropboxusercontent\.com|ufile\.io|temp\.sh|catbox\.moe|ngrok(?:-free)?\.(?:io|app)|trycloudflare\.com|onedrive\.live\.com|1drv\.ms)\b/i;

function commandLineFindings(image: string, commandLine: string): Finding[] {
  const found: Finding[] = [];
  const name = fileName(image);
  const line = commandLine.slice(0, 200);
  if (ENCODED.test(commandLine))
    found.push(finding('commandLine', 40, `runs an encoded PowerShell command: ${line}`));
  if (DOWNLOAD_CRADLE.test(commandLine))
    found.push(finding('commandLine', 35, `downloads and runs code in memory: ${line}`));
  const blob = LONG_BASE64.exec(commandLine)?.[0] ?? '';
  // Base64 mixes cases; long lower-case or hex tokens (browser switches, GUIDs) are not obfuscation.
  const base64 = /[A-Z].*[A-Z].*[A-Z]/.test(blob) && /[a-z].*[a-z].*[a-z]/.test(blob);
  // Only where code runs from text (shells, script hosts, LOLBins): browsers pass base64 settings legitimately.
  const interpreter = SHELLS.has(name) || LOLBINS.has(name);
  if (interpreter && ((commandLine.match(/\^/g)?.length ?? 0) >= 4 || (!ENCODED.test(commandLine) && base64)))
    found.push(finding('commandLine', 30, `obfuscated command line: ${line}`));
  if (name === 'rundll32.exe' || name === 'regsvr32.exe') {
    const dll = /([a-z]:\\[^,"]+\.(?:dll|ocx|cpl|tmp|dat))/i.exec(commandLine)?.[1];
    if (dll && isUserWritable(dll))
      found.push(finding('commandLine', 40, `${name} runs code from a user-writable folder: ${dll}`));
    if (/\/i:\s*https?:|scrobj\.dll/i.test(commandLine))
      found.push(finding('commandLine', 40, `${name} loads a remote scriptlet: ${line}`));
  }
  if (name === 'certutil.exe' && /-(?:urlcache|decode|decodehex)\b/i.test(commandLine))
    found.push(finding('commandLine', 40, `certutil.exe used to download or decode a file: ${line}`));
  if (name === 'bitsadmin.exe' && /\/transfer\b/i.test(commandLine))
    found.push(finding('commandLine', 30, `bitsadmin.exe used to download a file: ${line}`));
  if (name === 'mshta.exe' && /(?:https?:|javascript:|vbscript:)/i.test(commandLine))
    found.push(finding('commandLine', 40, `mshta.exe runs remote or inline script: ${line}`));
  if (name === 'desktopimgdownldr.exe' && /\/lockscreenurl:\s*https?:/i.test(commandLine))
    found.push(finding('commandLine', 35, `desktopimgdownldr.exe used to download a file: ${line}`));
  if (name === 'wmic.exe' && /\bprocess\s+call\s+create\b|\/node:\s*\S+/i.test(commandLine))
    found.push(finding('commandLine', 30, `wmic.exe starts a process (remotely or locally): ${line}`));
  if (
    name === 'appcmd.exe' &&
    /\b(?:set|add)\b.*\b(?:module|rewrite|handlers|isapiFilters)\b/i.test(commandLine)
  )
    found.push(
      finding('commandLine', 30, `appcmd.exe changes the web server's modules or handlers: ${line}`),
    );
  const evasion = DEFENCE_EVASION.find(([pattern]) => pattern.test(commandLine));
  if (evasion) found.push(finding('commandLine', 50, `${evasion[1]}: ${line}`));
  const sharing = FILE_SHARING.exec(commandLine)?.[0];
  if (sharing && (SHELLS.has(name) || LOLBINS.has(name) || WINDOWS_BINARIES.has(name)))
    found.push(finding('commandLine', 25, `${name} reaches a file-sharing or paste host: ${sharing}`));
  return found;
}

export const processLineageAnalyzer: Analyzer = {
  name: 'processLineage',
  types: ['process'],
  async analyze(evidence, context) {
    const process = evidence.entity as ProcessEntity;
    const { start, parentStart, children } = await factsOf(process, context);
    const image = imageOf(process, start);
    const findings: Finding[] = [];
    const related: RelatedEntity[] = [];
    const device = process.device;
    if (image) {
      const name = fileName(image);
      if (isUserWritable(image))
        findings.push(finding('processLineage', 25, `runs from a user-writable folder: ${folderOf(image)}`));
      else if (isSystemPath(image))
        findings.push(finding('processLineage', -10, `a Windows system binary at its system path: ${image}`));
      if (CORE_WINDOWS_NAMES.has(name) && !isSystemPath(image))
        findings.push(
          finding('processLineage', 45, `named like the Windows process ${name} but runs from ${image}`),
        );
      else if (WINDOWS_BINARIES.has(name) && isUserWritable(image))
        findings.push(
          finding(
            'processLineage',
            30,
            `a copy of the Windows binary ${name} in a user-writable folder: ${image}`,
          ),
        );
      const original = originalName(start?.details?.originalFileName as string | undefined);
      if (original && original !== name && WINDOWS_BINARIES.has(original))
        findings.push(
          finding(
            'processLineage',
            40,
            `a renamed copy of ${original} (its OriginalFileName), running as ${name}`,
          ),
        );
      const commandLine = start?.commandLine ?? process.commandLine;
      if (commandLine) findings.push(...commandLineFindings(image, commandLine));
      const parentImage = parentStart?.imagePath;
      if (parentImage) {
        const parentName = fileName(parentImage);
        if (SERVER_APPS.has(parentName) && (SHELLS.has(name) || LOLBINS.has(name)))
          findings.push(
            finding(
              'processLineage',
              40,
              `${name} started by ${parentName}: web and database servers do not start shells (a web shell, xp_cmdshell)`,
            ),
          );
        else if (DOCUMENT_AND_WEB_APPS.has(parentName) && (SHELLS.has(name) || LOLBINS.has(name)))
          findings.push(
            finding(
              'processLineage',
              40,
              `${name} started by ${parentName}: documents and browsers do not start shells`,
            ),
          );
        else if (isUserWritable(parentImage) && SHELLS.has(name))
          findings.push(
            finding(
              'processLineage',
              20,
              `${name} started by ${parentName}, which runs from ${folderOf(parentImage)}`,
            ),
          );
      }
      const file = createFile({
        sha256: start?.sha256,
        sha1: start?.sha1,
        md5: start?.md5,
        path: image,
        device,
      });
      if (file) related.push({ entity: file, relation: 'image' });
    }
    const shells = children.filter((child) => child.imagePath && SHELLS.has(fileName(child.imagePath)));
    if (shells.length > 0 && image && isUserWritable(image))
      findings.push(
        finding(
          'processLineage',
          20,
          `started ${shells.length} shell process${shells.length > 1 ? 'es' : ''} (${[...new Set(shells.map((c) => fileName(c.imagePath ?? '')))].join(', ')})`,
        ),
      );
    for (const child of children.slice(0, 50)) {
      const entity = child.processKey
        ? processFor(child.processKey, device, child.imagePath, child)
        : undefined;
      if (entity) related.push({ entity: { ...entity, commandLine: child.commandLine }, relation: 'child' });
    }
    const host = createDevice({ hostname: device });
    if (host) related.push({ entity: host, relation: 'runsOn' });
    const userKey = start?.userKey ?? process.userKey;
    if (userKey) {
      const user = createUser({ name: userKey.slice('user:'.length) });
      if (user && !isBuiltInAccount(user)) related.push({ entity: user, relation: 'ranAs' });
    }
    // What the start event says that the entity did not: the pid of a process known by its GUID, its image.
    const pid = typeof start?.details?.pid === 'number' ? start.details.pid : undefined;
    const learned = {
      ...(process.pid === undefined && pid !== undefined ? { pid } : {}),
      ...(!process.imagePath && image ? { imagePath: image } : {}),
    };
    return { findings, related, ...(Object.keys(learned).length > 0 ? { learned } : {}) };
  },
};

// --- Behaviour ------------------------------------------------------------------------------------------

const PROCESS_VM_READ = 0x10;
const PROCESS_VM_WRITE = 0x20;
const PROCESS_CREATE_THREAD = 0x2;
const PROCESS_DUP_HANDLE = 0x40;

function describeAccess(mask: number): string {
  const rights: string[] = [];
  if ((mask & 0x1fffff) === 0x1fffff) return 'PROCESS_ALL_ACCESS';
  if (mask & PROCESS_VM_READ) rights.push('PROCESS_VM_READ');
  if (mask & PROCESS_VM_WRITE) rights.push('PROCESS_VM_WRITE');
  if (mask & PROCESS_CREATE_THREAD) rights.push('PROCESS_CREATE_THREAD');
  if (mask & PROCESS_DUP_HANDLE) rights.push('PROCESS_DUP_HANDLE');
  if (mask & 0x400) rights.push('PROCESS_QUERY_INFORMATION');
  if (mask & 0x1000) rights.push('PROCESS_QUERY_LIMITED_INFORMATION');
  return rights.join(' | ') || 'no memory rights';
}

const C2_PORTS = new Set([4444, 4445, 1337, 31337, 50050, 8888, 6666, 6667, 9001, 5555, 2222, 8081]);
const WEB_PORTS = new Set([80, 443, 53, 8080, 8443]);
const RUN_KEY =
  /\\(?:currentversion\\(?:run|runonce|runservices|policies\\explorer\\run)|winlogon\\(?:shell|userinit)|image file execution options\\[^\\]+\\debugger|services\\[^\\]+\\imagepath)(?:\\|$)/i;

/** The file an event acted on (written, loaded), with its hashes. */
function targetFile(event: EventRecord, device: string) {
  return createFile({
    sha256: event.sha256,
    sha1: event.sha1,
    md5: event.md5,
    path: event.targetPath,
    device,
  });
}

/** Regular intervals between connections: the coefficient of variation of the gaps. */
function regularity(times: readonly number[]): number | undefined {
  if (times.length < 5) return undefined;
  const sorted = [...times].sort((a, b) => a - b);
  const gaps = sorted.slice(1).map((time, index) => time - (sorted[index] as number));
  const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
  if (mean < 1000) return undefined;
  const variance = gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / gaps.length;
  return Math.sqrt(variance) / mean;
}

export const processBehaviourAnalyzer: Analyzer = {
  name: 'processBehaviour',
  types: ['process'],
  async analyze(evidence, context) {
    const process = evidence.entity as ProcessEntity;
    const { start, activity } = await factsOf(process, context);
    const image = imageOf(process, start) ?? '';
    const system = image !== '' && isSystemPath(image);
    const findings: Finding[] = [];
    const related: RelatedEntity[] = [];
    const device = process.device;

    // Credential access: handles to LSASS with rights to read its memory.
    const lsass = activity.filter(
      (event) =>
        event.kind === 'processAccess' && event.targetPath && fileName(event.targetPath) === 'lsass.exe',
    );
    if (lsass.length > 0) {
      const masks = new Map<number, number>();
      for (const event of lsass) {
        const mask = Number.parseInt(String(event.details?.grantedAccess ?? '0'), 16) || 0;
        masks.set(mask, (masks.get(mask) ?? 0) + 1);
      }
      const reading = [...masks.keys()].filter(
        (mask) => mask & (PROCESS_VM_READ | PROCESS_VM_WRITE | PROCESS_DUP_HANDLE),
      );
      const shown = [...masks]
        .map(([mask, count]) => `0x${mask.toString(16)} (${describeAccess(mask)}) ×${count}`)
        .join(', ');
      const target = lsass[0] as EventRecord;
      if (reading.length > 0 && !system)
        findings.push(
          finding(
            'credentialAccess',
            60,
            `opened lsass.exe with rights to read its memory, where credentials live: ${shown}`,
          ),
        );
      else if (reading.length > 0)
        findings.push(finding('credentialAccess', 5, `a Windows component opened lsass.exe: ${shown}`));
      else findings.push(finding('credentialAccess', 10, `opened lsass.exe to query it: ${shown}`));
      const victim = target.targetProcessKey
        ? processFor(target.targetProcessKey, device, target.targetPath)
        : undefined;
      if (victim) related.push({ entity: victim, relation: 'accessed', roles: ['contextual'] });
    }

    // Code injection: threads created in other processes.
    const injections = activity.filter(
      (event) =>
        event.kind === 'remoteThread' && event.targetProcessKey && event.targetProcessKey !== process.key,
    );
    const injected = new Map<string, EventRecord>();
    for (const event of injections) injected.set(event.targetProcessKey as string, event);
    if (injected.size > 0) {
      const names = [...injected.values()].map((event) =>
        label({ imagePath: event.targetPath, pid: pidOf(event.targetProcessKey) }),
      );
      findings.push(
        system
          ? finding('injection', 5, `a Windows component created threads in ${names.join(', ')}`)
          : finding('injection', 50, `injected code: created a thread in ${names.join(', ')}`),
      );
      for (const [key, event] of injected) {
        const target = processFor(key, device, event.targetPath);
        if (target) related.push({ entity: target, relation: 'injectedInto' });
      }
    }

    // Network: destinations, ports, beaconing.
    // The host's own addresses (seen as the source of its connections) and special addresses are no destination.
    const own = new Set(
      activity.flatMap((event) => (event.kind === 'networkConnection' && event.srcIp ? [event.srcIp] : [])),
    );
    const connections = activity.filter(
      (event) =>
        event.kind === 'networkConnection' &&
        event.dstIp &&
        !own.has(event.dstIp) &&
        !specialAddress(event.dstIp),
    );
    const byDestination = new Map<string, EventRecord[]>();
    for (const event of connections) {
      const key = `${event.dstIp}|${event.dstPort ?? ''}`;
      const list = byDestination.get(key);
      if (list) list.push(event);
      else byDestination.set(key, [event]);
    }
    for (const [key, events] of byDestination) {
      const [address, portText] = key.split('|') as [string, string];
      const port = portText === '' ? undefined : Number(portText);
      const where = `${address}${port === undefined ? '' : `:${port}`}`;
      const ip = createIp({ address });
      if (ip) related.push({ entity: ip, relation: 'connectedTo' });
      if (!image) continue;
      if (isUserWritable(image))
        findings.push(
          finding(
            'network',
            15,
            `a program from a user-writable folder connected to ${where} (${events.length}×)`,
          ),
        );
      if (port !== undefined && C2_PORTS.has(port))
        findings.push(finding('network', 20, `connected to ${where}, a port remote-access tools use`));
      else if (port !== undefined && !WEB_PORTS.has(port) && port < 49152 && isUserWritable(image))
        findings.push(finding('network', 5, `connected to ${where}, an uncommon service port`));
      const cv = regularity(events.map((event) => Date.parse(event.time)));
      if (cv !== undefined && cv < 0.35)
        findings.push(
          finding('network', 25, `beacons: ${events.length} connections to ${where} at regular intervals`),
        );
    }
    const domains = new Set(
      activity
        .filter((event) => event.kind === 'dnsQuery' && event.domain)
        .map((event) => event.domain as string),
    );
    for (const name of [...domains].slice(0, 20)) {
      const domain = createDomain({ name });
      if (domain) related.push({ entity: domain, relation: 'resolved' });
    }

    // Persistence: autostart registry values, services, scheduled tasks.
    const autostarts = activity.filter(
      (event) =>
        (event.kind === 'registrySet' || event.kind === 'registryCreate') &&
        event.registryPath &&
        RUN_KEY.test(event.registryPath),
    );
    for (const event of autostarts.slice(0, 10)) {
      findings.push(
        finding(
          'persistence',
          system ? 5 : isUserWritable(image) ? 40 : 10,
          `set an autostart registry entry: ${event.registryPath}${event.registryValue ? ` = ${event.registryValue.slice(0, 120)}` : ''}`,
        ),
      );
      const key = createRegistryKey({ path: event.registryPath, device });
      if (key) related.push({ entity: key, relation: 'persisted', roles: ['created'] });
    }
    for (const event of activity
      .filter((event) => event.kind === 'serviceInstall' || event.kind === 'taskCreate')
      .slice(0, 10))
      findings.push(
        finding(
          'persistence',
          system ? 5 : 30,
          `${event.kind === 'serviceInstall' ? 'installed a service' : 'created a scheduled task'}: ${event.targetPath ?? event.commandLine ?? event.code}`,
        ),
      );

    // Code loaded from a network share, and unsigned code loaded into LSASS (a password filter, a security
    // package): each DLL named joins as `loaded`.
    const suspectLoads = new Map<string, { event: EventRecord; why: string }>();
    for (const event of activity) {
      if (event.kind !== 'imageLoad' || !event.targetPath) continue;
      const unc = /^\\\\(?![?.]\\)[^\\]+\\/.test(event.targetPath);
      const unsigned = event.details?.signed === false;
      if (unc) suspectLoads.set(event.targetPath.toLowerCase(), { event, why: 'from a network share' });
      else if (unsigned && fileName(image) === 'lsass.exe')
        suspectLoads.set(event.targetPath.toLowerCase(), { event, why: 'unsigned, into lsass.exe' });
    }
    if (suspectLoads.size > 0) {
      const shown = [...suspectLoads.values()]
        .slice(0, 5)
        .map(({ event, why }) => `${event.targetPath} (${why})`);
      findings.push(
        finding(
          'processBehaviour',
          30,
          `loaded code ${fileName(image) === 'lsass.exe' ? 'into the security authority ' : ''}that does not belong there: ${shown.join(', ')}`,
        ),
      );
      for (const { event } of [...suspectLoads.values()].slice(0, 20)) {
        const file = targetFile(event, device);
        if (file) related.push({ entity: file, relation: 'loaded', roles: ['loaded'] });
      }
    }

    // Executables written to user-writable folders.
    const dropped = new Map<string, EventRecord>();
    for (const event of activity)
      if (
        event.kind === 'fileCreate' &&
        event.targetPath &&
        isExecutablePath(event.targetPath) &&
        isUserWritable(event.targetPath)
      )
        dropped.set(event.targetPath.toLowerCase(), event);
    if (dropped.size > 0 && !system) {
      const names = [...dropped.values()].map((event) => event.targetPath as string);
      findings.push(
        finding(
          'fileActivity',
          10,
          `wrote executable files: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}`,
        ),
      );
      for (const event of [...dropped.values()].slice(0, 20)) {
        const file = targetFile(event, device);
        if (file) related.push({ entity: file, relation: 'created', roles: ['created'] });
      }
    }
    return { findings, related };
  },
};
