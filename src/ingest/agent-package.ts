/**
 * An agent's investigation package (domain/agent.ts) as telemetry of its device, format `agent`: each running
 * process a `processStart` at its start time (with its program's hash and its parent), each socket a
 * `networkConnection` of the process holding it (listening ones as `other`), each logged-on user a `logon`, each
 * autostart entry a `serviceInstall` (unit) or `taskCreate` (cron), each recent executable a `fileCreate`. Stored
 * like any event, so investigations search them with the rest; an entry that cannot be read is counted and
 * skipped, never sinks the package.
 */
import type { InvestigationPackage } from '../domain/agent.js';
import { agentPackageKey, type EventDraft } from '../domain/event.js';
import { createProcess } from '../domain/entity-builders.js';
import { EventBuilder } from './event-builder.js';
import { EventRefs, prepareEvent } from './prepare-event.js';
import type { PreparedEvent } from './ports.js';

export const AGENT_FORMAT = 'agent';

/** The events of a package, prepared for the store, and how many entries were skipped. */
export function packageEvents(
  pack: InvestigationPackage,
  deviceKey: string,
  actionId: string,
): { readonly events: PreparedEvent[]; readonly skipped: number } {
  const collectedAt = Date.parse(pack.collectedAt);
  const host = deviceKey.slice('device:'.length);
  const refs = new EventRefs();
  const events: PreparedEvent[] = [];
  let skipped = 0;
  const processKeys = new Map<number, { key: string; exe?: string }>();
  for (const process of pack.processes ?? []) {
    const key = createProcess({ device: host, pid: process.pid, startedAt: process.startedAt })?.key;
    if (key) processKeys.set(process.pid, { key, ...(process.exe ? { exe: process.exe } : {}) });
  }
  const add = (
    section: string,
    entry: unknown,
    time: number,
    kind: EventDraft['kind'],
    fill: (event: EventBuilder) => Record<string, unknown> | void,
  ) => {
    try {
      const event = new EventBuilder({
        time: Number.isFinite(time) ? time : collectedAt,
        format: AGENT_FORMAT,
        source: `agent/${section}`,
        code: section,
        kind,
      });
      event.device(host);
      event.keys.add(agentPackageKey(deviceKey));
      const details = fill(event) ?? {};
      const draft = { ...event.build(), details: { ...details, package: actionId } };
      events.push(prepareEvent(draft, JSON.stringify({ [section]: entry, package: actionId }), refs));
    } catch {
      skipped++;
    }
  };

  for (const process of pack.processes ?? [])
    add('process', process, Date.parse(process.startedAt), 'processStart', (event) => {
      const own = processKeys.get(process.pid);
      if (!own) throw new Error('no process key');
      event.fields.processKey = event.keys.add(own.key);
      const parent = process.ppid === undefined ? undefined : processKeys.get(process.ppid);
      if (parent) event.fields.parentProcessKey = event.keys.add(parent.key);
      if (process.exe) event.fields.imagePath = process.exe;
      if (process.commandLine) event.fields.commandLine = process.commandLine;
      if (process.user) event.fields.userKey = event.user({ name: process.user });
      event.hashes({ sha256: process.sha256 });
      return { pid: process.pid, ...(process.exeDeleted ? { exeDeleted: true } : {}) };
    });

  for (const socket of pack.sockets ?? [])
    add('socket', socket, collectedAt, socket.state === 'listen' ? 'other' : 'networkConnection', (event) => {
      const owner = socket.pid === undefined ? undefined : processKeys.get(socket.pid);
      if (owner) {
        event.fields.processKey = event.keys.add(owner.key);
        if (owner.exe) event.fields.imagePath = owner.exe;
      }
      event.fields.protocol = socket.protocol;
      event.fields.srcIp = event.ip(socket.localIp);
      event.fields.srcPort = event.port(socket.localPort);
      if (socket.remoteIp) event.fields.dstIp = event.ip(socket.remoteIp);
      if (socket.remotePort !== undefined) event.fields.dstPort = event.port(socket.remotePort);
      return { state: socket.state };
    });

  for (const session of pack.sessions ?? [])
    add('session', session, session.since ? Date.parse(session.since) : collectedAt, 'logon', (event) => {
      event.fields.userKey = event.user({ name: session.user });
      if (!event.fields.userKey) throw new Error('no user');
      const from = session.from ? event.ip(session.from) : undefined;
      if (from) event.fields.srcIp = from;
      return { terminal: session.terminal, from: session.from };
    });

  for (const entry of pack.autostart ?? [])
    add(
      'autostart',
      entry,
      entry.modifiedAt ? Date.parse(entry.modifiedAt) : collectedAt,
      entry.kind === 'cron' || entry.kind === 'scheduledTask' ? 'taskCreate' : 'serviceInstall',
      (event) => {
        if (!entry.name || !entry.path) throw new Error('no name');
        event.fields.targetPath = entry.path;
        if (entry.program) event.fields.imagePath = entry.program;
        if (entry.command) event.fields.commandLine = entry.command;
        if (entry.user) event.fields.userKey = event.user({ name: entry.user });
        event.hashes({ sha256: entry.sha256 });
        return { autostart: entry.kind, name: entry.name, ...(entry.line ? { line: entry.line } : {}) };
      },
    );

  for (const file of pack.recentFiles ?? [])
    add('file', file, Date.parse(file.modifiedAt), 'fileCreate', (event) => {
      if (!file.path) throw new Error('no path');
      event.fields.targetPath = file.path;
      event.hashes({ sha256: file.sha256 });
      return { size: file.size, mode: file.mode, uid: file.uid };
    });

  return { events, skipped };
}
