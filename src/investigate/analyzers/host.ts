/**
 * What a host agent's investigation package (domain/agent.ts, stored as events of format `agent`) shows about a
 * device: autostart entries and running programs outside the operating system's folders, programs deleted while
 * they run, executables dropped lately in temp folders — each joins the investigation to be judged on its own;
 * and, for an autostart entry, the program it starts (so a malicious program makes the entry that starts it
 * malicious, and the entry is removed with it).
 */
import {
  createFile,
  createProcess,
  createScheduledTask,
  createService,
} from '../../domain/entity-builders.js';
import type { DeviceEntity, ScheduledTaskEntity, ServiceEntity } from '../../domain/entity.js';
import { agentPackageKey, type EventRecord } from '../../domain/event.js';
import type { Finding } from '../../domain/evidence.js';
import { fileName, isUnixSystemPath } from '../../domain/os-paths.js';
import { finding, nothing, type Analyzer, type AnalysisContext, type RelatedEntity } from './analyzer.js';

const AGENT_FORMAT = 'agent';
/** At most this many entries of each section join from one package. */
const MAX_JOINED = 20;
const TEMP = /^\/(?:tmp|var\/tmp|dev\/shm)\//;
/** Command lines that fetch and run, decode, or open a shell to a remote host. */
const DOWNLOAD_AND_RUN =
  /(curl|wget)[^|;]*\|\s*(ba|da|z)?sh\b|base64\s+-d|\/dev\/tcp\/|\bnc(at)?\s+-e\b|python[23]?\s+-c/;

const detail = (event: EventRecord, name: string) =>
  (event.details as Record<string, unknown> | undefined)?.[name];

/** The events of the device's newest package among `kinds`. */
async function newestPackage(
  context: AnalysisContext,
  deviceKey: string,
  kinds: EventRecord['kind'][],
): Promise<EventRecord[]> {
  // By the packages' own search term: the device's other telemetry is never read.
  const page = await context.events.searchEvents(
    { entityKeys: [agentPackageKey(deviceKey)], kinds },
    { limit: 2000 },
  );
  const mine = page.items.filter((event) => event.format === AGENT_FORMAT);
  const newest = mine.reduce<EventRecord | undefined>(
    (best, event) => (!best || event.ingestedAt > best.ingestedAt ? event : best),
    undefined,
  );
  return newest ? mine.filter((event) => detail(event, 'package') === detail(newest, 'package')) : [];
}

const outsideSystem = (program: string | undefined) => program !== undefined && !isUnixSystemPath(program);

export const hostPackageAnalyzer: Analyzer = {
  name: 'hostPackage',
  types: ['device'],
  async analyze(evidence, context) {
    const device = evidence.entity as DeviceEntity;
    const events = await newestPackage(context, evidence.key, [
      'serviceInstall',
      'taskCreate',
      'processStart',
      'fileCreate',
    ]);
    if (events.length === 0) return nothing;
    const host = device.key.slice('device:'.length);
    const findings: Finding[] = [];
    const related: RelatedEntity[] = [];
    const autostarts = events.filter(
      (event) =>
        (event.kind === 'serviceInstall' || event.kind === 'taskCreate') && outsideSystem(event.imagePath),
    );
    for (const event of autostarts.slice(0, MAX_JOINED)) {
      const name = String(detail(event, 'name') ?? event.targetPath ?? '');
      const entity =
        event.kind === 'serviceInstall'
          ? createService({ device: host, name, imagePath: event.imagePath })
          : createScheduledTask({ device: host, name: event.targetPath ?? name });
      if (entity) related.push({ entity, relation: 'hasAutostart', join: 'always' });
    }
    const processes = events.filter(
      (event) =>
        event.kind === 'processStart' &&
        (detail(event, 'exeDeleted') === true ||
          (event.imagePath !== undefined && TEMP.test(event.imagePath))),
    );
    for (const event of processes.slice(0, MAX_JOINED)) {
      const deleted = detail(event, 'exeDeleted') === true;
      findings.push(
        finding(
          'hostPackage',
          deleted ? 30 : 15,
          `${deleted ? 'runs a program deleted from disk' : 'runs a program from a temp folder'}: ${event.imagePath} (pid ${String(detail(event, 'pid'))})`,
        ),
      );
      const process = createProcess({
        device: host,
        pid: Number(detail(event, 'pid')),
        startedAt: event.time,
        imagePath: event.imagePath,
        commandLine: event.commandLine,
      });
      if (process) related.push({ entity: process, relation: 'hosts', join: 'always' });
    }
    const dropped = events.filter(
      (event) => event.kind === 'fileCreate' && event.targetPath !== undefined && TEMP.test(event.targetPath),
    );
    for (const event of dropped.slice(0, MAX_JOINED)) {
      const file = createFile({ device: host, path: event.targetPath, sha256: event.sha256 });
      if (file) related.push({ entity: file, relation: 'hosts', join: 'always' });
    }
    if (autostarts.length > 0)
      findings.push(
        finding(
          'hostPackage',
          0,
          `${autostarts.length} autostart entries start programs outside the system folders: ${autostarts
            .slice(0, 5)
            .map((event) => event.imagePath)
            .join(', ')}`,
        ),
      );
    return { findings, related };
  },
};

export const autostartAnalyzer: Analyzer = {
  name: 'autostart',
  types: ['service', 'scheduledTask'],
  async analyze(evidence, context) {
    const entity = evidence.entity as ServiceEntity | ScheduledTaskEntity;
    const events = await newestPackage(context, `device:${entity.device}`, [
      evidence.type === 'service' ? 'serviceInstall' : 'taskCreate',
    ]);
    const mine = events.filter((event) =>
      evidence.type === 'service'
        ? String(detail(event, 'name') ?? '').toLowerCase() === entity.name ||
          String(detail(event, 'name') ?? '').toLowerCase() === `${entity.name}.service`
        : event.targetPath === entity.name,
    );
    const event = mine.find((candidate) => outsideSystem(candidate.imagePath)) ?? mine[0];
    if (!event) return nothing;
    const findings: Finding[] = [];
    const related: RelatedEntity[] = [];
    const program = event.imagePath;
    if (program && outsideSystem(program))
      findings.push(
        finding('autostart', 20, `starts ${fileName(program)} from ${program}, outside the system folders`),
      );
    if (event.commandLine && DOWNLOAD_AND_RUN.test(event.commandLine))
      findings.push(
        finding('autostart', 40, `its command fetches or decodes and runs code: ${event.commandLine}`),
      );
    const file = program
      ? createFile({ device: entity.device, path: program, sha256: event.sha256 })
      : undefined;
    if (file) related.push({ entity: file, relation: 'autostarts', join: 'always' });
    const line = detail(event, 'line');
    return {
      findings,
      related,
      learned: {
        ...(program ? { imagePath: program } : {}),
        ...(typeof line === 'string' && mine.length === 1 ? { line } : {}),
      },
    };
  },
};
