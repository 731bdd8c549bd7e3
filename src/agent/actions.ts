/**
 * The agent's typed action catalog: each action request is matched to one operation on the host, with its
 * parameters checked; anything else is refused. Every operation is safe to repeat (after a crash the journal may
 * hand it over again): a process already gone, a file already in the quarantine, are results, not errors.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ActionRequest } from '../respond/ports.js';
import { descendantsOf, processInfo, quarantine, restore } from './host-linux.js';
import { ISOLATION_TABLE, isolate, release } from './isolation-linux.js';
import { collectPackage } from './collect-linux.js';
import { persistenceTarget } from '../domain/persistence.js';
import { removePersistence, restorePersistence, type RemovedPersistence } from './persistence-linux.js';

export interface TaskResult {
  readonly status: 'succeeded' | 'failed';
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

/** A start time given with the action and the one /proc shows may differ by clock and rounding. */
const START_SLACK_MS = 2000;

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * The program a process runs, as the action names it: `/proc/<pid>/exe` follows the file when it is moved (into
 * the quarantine, where its original path is kept) and says ` (deleted)` when it is gone.
 */
async function programOf(exe: string | undefined, quarantineDir: string): Promise<string | undefined> {
  const path_ = exe?.replace(/ \(deleted\)$/, '');
  if (!path_?.startsWith(`${quarantineDir}/`) || !path_.endsWith('.bin')) return path_;
  const entry = await readFile(`${path_.slice(0, -'.bin'.length)}.json`, 'utf8').catch(() => undefined);
  return entry ? (JSON.parse(entry) as { path: string }).path : path_;
}

async function killProcess(request: ActionRequest, quarantineDir: string): Promise<TaskResult> {
  const parameters = request.parameters;
  const pid = typeof parameters.pid === 'number' ? parameters.pid : Number(text(parameters.pid) ?? NaN);
  if (!Number.isInteger(pid) || pid <= 1)
    return { status: 'failed', message: `killProcess needs a pid above 1, got ${String(parameters.pid)}` };
  const found = await processInfo(pid);
  if (!found)
    return { status: 'succeeded', message: `pid ${pid} is not running (already ended)`, details: { pid } };
  // The same pid may belong to another process by now: the start time and the program must match too.
  const startedAt = text(parameters.startedAt) ? Date.parse(text(parameters.startedAt) as string) : undefined;
  if (startedAt !== undefined && Math.abs(found.startedAt - startedAt) > START_SLACK_MS)
    return {
      status: 'succeeded',
      message: `pid ${pid} now belongs to a process started ${new Date(found.startedAt).toISOString()}, not the one of ${text(parameters.startedAt)}: the process named ended, the other is left alone`,
      details: { pid, reused: true },
    };
  const image = text(parameters.imagePath) ?? text(parameters.image);
  const program = await programOf(found.exe, quarantineDir);
  if (image && program && path.basename(program) !== path.basename(image.replace(/\\/g, '/')))
    return {
      status: 'succeeded',
      message: `pid ${pid} runs ${program}, not ${image}: the process named ended, the other is left alone`,
      details: { pid, reused: true, exe: found.exe },
    };
  if (startedAt === undefined && !image)
    return {
      status: 'failed',
      message: `killProcess needs the process's start time or program as well as pid ${pid}: a pid alone may name another process`,
    };
  // The tree, when asked: stopped first so that it starts no more children, then every descendant (each started
  // after it: an older process under a reused pid is no child of it), then the process itself.
  const tree = parameters.tree === true || parameters.tree === 'true';
  if (tree) process.kill(pid, 'SIGSTOP');
  const descendants = tree ? await descendantsOf(pid, found.startedAt) : [];
  for (const child of descendants) process.kill(child, 'SIGKILL');
  process.kill(pid, 'SIGKILL');
  return {
    status: 'succeeded',
    message: `killed pid ${pid} (${found.exe ?? 'unknown program'}, started ${new Date(found.startedAt).toISOString()})${tree ? ` and its ${descendants.length} descendants` : ''}`,
    details: {
      pid,
      exe: found.exe,
      startedAt: new Date(found.startedAt).toISOString(),
      ...(tree ? { descendants } : {}),
    },
  };
}

/** What a removal took or gave back, in words. */
function removedText(removed: RemovedPersistence): string {
  const links = removed.links?.length ? ` and ${removed.links.length} enabling links` : '';
  if (removed.lines) return `${removed.lines.length} line(s) of ${removed.path}`;
  return `${removed.unit ? `unit ${removed.unit} (${removed.path})` : removed.path}${links}`;
}

/** The result's details: what and where, never the file's bytes. */
function removedDetails(
  removed: RemovedPersistence & { readonly nothing?: string },
): Record<string, unknown> {
  return {
    kind: removed.kind,
    path: removed.path,
    ...(removed.unit ? { unit: removed.unit, wasActive: removed.wasActive ?? false } : {}),
    ...(removed.lines ? { lines: removed.lines } : {}),
    ...(removed.file
      ? {
          sha256: createHash('sha256').update(Buffer.from(removed.file.base64, 'base64')).digest('hex'),
          mode: removed.file.mode,
        }
      : {}),
    ...(removed.links ? { links: removed.links.map((entry) => entry.link) } : {}),
    ...(removed.nothing ? { nothing: true } : {}),
  };
}

/** Where the agent keeps its state, and the server it must still reach when the host is isolated. */
export interface HostContext {
  readonly stateDir: string;
  readonly server: string;
}

/** Carry out one action on this host. */
export async function carryOut(request: ActionRequest, host: HostContext): Promise<TaskResult> {
  const { stateDir } = host;
  const quarantineDir = path.join(stateDir, 'quarantine');
  const persistenceDir = path.join(stateDir, 'persistence');
  try {
    switch (request.type) {
      case 'killProcess':
        return await killProcess(request, quarantineDir);
      case 'quarantineFile': {
        const file = text(request.parameters.path);
        if (!file || !path.isAbsolute(file))
          return {
            status: 'failed',
            message: 'quarantineFile needs the absolute path of the file on this host',
          };
        const entry = await quarantine(file, text(request.parameters.sha256), quarantineDir, request.id);
        return { status: 'succeeded', message: `moved ${file} into the quarantine`, details: { ...entry } };
      }
      case 'restoreFile': {
        if (!request.undoOf)
          return { status: 'failed', message: 'restoreFile undoes a quarantineFile: undoOf is missing' };
        const entry = await restore(quarantineDir, request.undoOf);
        return { status: 'succeeded', message: `restored ${entry.path}`, details: { ...entry } };
      }
      case 'removePersistence': {
        if (request.targetKey.startsWith('registry'))
          return {
            status: 'failed',
            message: `${request.targetKey} is a Windows registry entry: this agent runs on Linux`,
          };
        const target = persistenceTarget(request.parameters);
        if (typeof target === 'string') return { status: 'failed', message: target };
        const removed = await removePersistence(target, persistenceDir, request.id);
        return {
          status: 'succeeded',
          message: removed.nothing ?? `removed ${removedText(removed)}`,
          details: removedDetails(removed),
        };
      }
      case 'restorePersistence': {
        if (!request.undoOf)
          return {
            status: 'failed',
            message: 'restorePersistence undoes a removePersistence: undoOf is missing',
          };
        const restored = await restorePersistence(persistenceDir, request.undoOf);
        return {
          status: 'succeeded',
          message: restored.nothing ?? `restored ${removedText(restored)}`,
          details: removedDetails(restored),
        };
      }
      case 'collectInvestigationPackage': {
        const collected = await collectPackage();
        return {
          status: 'succeeded',
          message: `collected ${collected.processes.length} processes, ${collected.sockets.length} sockets, ${collected.sessions.length} sessions, ${collected.autostart.length} autostart entries, ${collected.recentFiles.length} recent executables${collected.problems.length ? ` (${collected.problems.length} problems)` : ''}`,
          // The server stores the package as the device's events and keeps only its counts in the result.
          details: { package: collected },
        };
      }
      case 'isolateDevice': {
        const allow = Array.isArray(request.parameters.allow)
          ? (request.parameters.allow as unknown[]).filter(
              (entry): entry is string => typeof entry === 'string',
            )
          : [];
        const isolation = await isolate(stateDir, host.server, allow, request.id);
        return {
          status: 'succeeded',
          message: `isolated: only ${isolation.allowed.join(', ')} (and loopback, DHCP) reachable`,
          details: { ...isolation, table: `inet ${ISOLATION_TABLE}` },
        };
      }
      case 'releaseDevice': {
        const was = await release(stateDir);
        return {
          status: 'succeeded',
          message: was
            ? `released: table inet ${ISOLATION_TABLE} removed`
            : 'not isolated (nothing to release)',
        };
      }
      default:
        return {
          status: 'failed',
          message: `this agent does not carry out ${request.type} yet (it does: isolateDevice, releaseDevice, killProcess, quarantineFile, restoreFile, removePersistence, restorePersistence, collectInvestigationPackage)`,
        };
    }
  } catch (error) {
    return { status: 'failed', message: `${request.type}: ${(error as Error).message}` };
  }
}
