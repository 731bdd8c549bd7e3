/**
 * Host agents (`autoir agent`): a small program of autoir's own on each host, enrolled once with a one-time
 * enrollment token, then known by a credential of its own. It reports the host's identity — which becomes the
 * device's `device:` entity, so investigations on that device route their actions to it — and heartbeats that say
 * whether it is online (docs/agent.md).
 */
import { createDevice } from './entity-builders.js';

/** How often an agent says it is alive. */
export const HEARTBEAT_INTERVAL_MS = 30_000;
/** An agent unheard of for longer is offline: three missed heartbeats. */
export const ONLINE_WITHIN_MS = 3 * HEARTBEAT_INTERVAL_MS;

/** The typed catalog an agent carries out on its host; nothing else, and never a command line from the server. */
export const agentActionTypes = [
  'isolateDevice',
  'releaseDevice',
  'killProcess',
  'quarantineFile',
  'restoreFile',
  'removePersistence',
  'restorePersistence',
  'collectInvestigationPackage',
] as const;

/** What an agent reports of its host. */
export interface AgentIdentity {
  readonly hostname: string;
  readonly fqdn?: string;
  /** `linux`, `windows`, `darwin`, with the release: `linux 6.1.0-18-amd64`. */
  readonly os: string;
  /** The agent's own version (autoir's). */
  readonly version: string;
  /** `/etc/machine-id` on Linux: stable across renames. */
  readonly machineId?: string;
  readonly addresses: readonly string[];
}

export interface AgentRecord {
  /** `agt_<ulid>`. */
  readonly id: string;
  readonly deviceKey: string;
  readonly hostname: string;
  readonly fqdn: string | null;
  readonly os: string;
  readonly version: string;
  readonly machineId: string | null;
  readonly addresses: readonly string[];
  /** The device group its enrollment token named, if any. */
  readonly group: string | null;
  readonly enrolledAt: string;
  readonly lastSeenAt: string;
  readonly revokedAt: string | null;
}

export interface EnrollmentRecord {
  /** `enr_<ulid>`. */
  readonly id: string;
  readonly group: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly usedAt: string | null;
  readonly agentId: string | null;
}

/** Whether an agent is online: heard from within {@link ONLINE_WITHIN_MS}, and not revoked. */
export function isOnline(agent: Pick<AgentRecord, 'lastSeenAt' | 'revokedAt'>, now: Date): boolean {
  return agent.revokedAt === null && now.getTime() - Date.parse(agent.lastSeenAt) <= ONLINE_WITHIN_MS;
}

/** The device an agent speaks for: its FQDN when it has one, else its host name. */
export function agentDeviceKey(identity: Pick<AgentIdentity, 'hostname' | 'fqdn'>): string | undefined {
  return createDevice({ hostname: identity.fqdn ?? identity.hostname })?.key;
}

/** Problems with a reported identity, in words (an empty list when it is usable). */
export function identityProblems(identity: AgentIdentity): string[] {
  const problems: string[] = [];
  if (!agentDeviceKey(identity))
    problems.push(`hostname: not a host name: ${JSON.stringify(identity.hostname)}`);
  if (identity.addresses.length > 64) problems.push('addresses: at most 64');
  return problems;
}

/**
 * What `collectInvestigationPackage` brings back from a host: a snapshot, stored as events of the device (format
 * `agent`) so that investigations search it like any telemetry. Nothing in it is Linux-only: a Windows agent
 * fills the same fields (its services and scheduled tasks as `autostart`).
 */
export interface InvestigationPackage {
  readonly collectedAt: string;
  readonly processes: readonly {
    readonly pid: number;
    readonly ppid?: number;
    /** ISO time. */
    readonly startedAt: string;
    readonly exe?: string;
    /** The program file was deleted after it started (a classic of malware that cleans up after itself). */
    readonly exeDeleted?: boolean;
    readonly commandLine?: string;
    readonly user?: string;
    readonly sha256?: string;
  }[];
  readonly sockets: readonly {
    readonly protocol: 'tcp' | 'udp';
    /** `listen`, `established`, … */
    readonly state: string;
    readonly localIp: string;
    readonly localPort: number;
    readonly remoteIp?: string;
    readonly remotePort?: number;
    readonly pid?: number;
  }[];
  readonly sessions: readonly {
    readonly user: string;
    readonly terminal?: string;
    readonly from?: string;
    readonly since?: string;
  }[];
  readonly autostart: readonly {
    /** `systemdUnit`, `cron` (Linux); `service`, `scheduledTask`, `runKey` (Windows). */
    readonly kind: string;
    /** The unit's name, or the file the entry is in. */
    readonly name: string;
    readonly path: string;
    /** The command line it starts (a unit's ExecStart, a cron line's command). */
    readonly command: string;
    /** The program the command runs, with its hash when readable. */
    readonly program?: string;
    readonly sha256?: string;
    readonly user?: string;
    /** The line as written (a cron entry), to remove that line only. */
    readonly line?: string;
    readonly modifiedAt?: string;
  }[];
  /** Executables changed lately in temp and home folders. */
  readonly recentFiles: readonly {
    readonly path: string;
    readonly size: number;
    readonly modifiedAt: string;
    readonly sha256?: string;
    readonly mode: number;
    readonly uid: number;
  }[];
  /** What could not be read, in words (a section is partial rather than missing). */
  readonly problems: readonly string[];
}
