/**
 * autoir's configuration: every `AUTOIR_*` environment variable, read and validated in one place, once. A bad value
 * is a usage error (exit code 2) naming the variable and what it takes; several bad values are named together.
 * Files the settings point at (warninglists, playbooks, rules, connectors) are read by the services that use them
 * (services.ts), once.
 *
 * | variable                                   | meaning                                                        |
 * | ------------------------------------------ | -------------------------------------------------------------- |
 * | `AUTOIR_DATA`                              | SQLite data directory (default `./autoir-data`; `--data` wins) |
 * | `AUTOIR_DATABASE_URL`, `_SCHEMA`           | PostgreSQL instead, optionally in one schema                   |
 * | `AUTOIR_DATABASE_POOL`                     | PostgreSQL connections each process opens at most (10)         |
 * | `AUTOIR_EVENT_RETENTION`                   | telemetry kept after its time and arrival (30d; `off`)         |
 * | `AUTOIR_BODY_LIMIT`                        | largest request body in bytes (default 10 MiB)                 |
 * | `AUTOIR_LOG_LEVEL`, `AUTOIR_LOG_FORMAT`     | serve's and worker's log: level (info), json or text (app/log.ts) |
 * | `AUTOIR_LOG_REQUESTS=1`                    | log every request as a JSON line                               |
 * | `AUTOIR_SESSION_IDLE`, `AUTOIR_COOKIE_SECURE` | web sessions: idle timeout (1m–7d), always-Secure cookie    |
 * | `AUTOIR_RATE_LIMIT`, `AUTOIR_SIGN_IN_RATE_LIMIT`, `_OVERALL_LIMIT` | requests/sign-ins a minute (per address) |
 * | `AUTOIR_PUBLIC_URL`                        | how connectors' systems reach this server (callbacks)          |
 * | `AUTOIR_CORRELATION_WINDOW`, `_MAX_DEVICES`, `_MAX_ALERTS` | correlation window and prevalence thresholds |
 * | `AUTOIR_INFRASTRUCTURE`                    | entity keys of the organisation's own infrastructure           |
 * | `AUTOIR_WARNINGLISTS`                      | more MISP warninglist files (separated like PATH)              |
 * | `AUTOIR_PLAYBOOKS`                         | more playbook files or directories (separated like PATH)       |
 * | `AUTOIR_MAX_INVESTIGATIONS`                | investigations run at once across all workers (default 10)     |
 * | `AUTOIR_INVESTIGATION_MAX_ENTITIES`, `_MAX_ACTIONS`, `_MAX_RUN` | caps that end one terminatedBySystem  |
 * | `AUTOIR_EXPANSION_APPROVAL`                | assets one expansion may add before it waits for approval      |
 * | `AUTOIR_ANALYZE_BATCH`                     | evidence analyzed per step (per transaction)                   |
 * | `AUTOIR_PROTECTED_PROCESSES`               | more processes never to kill: `windows:a.exe,b.exe;linux:nginx` |
 * | `AUTOIR_BENCH_STEP_DELAY_MS`               | benchmarks only: each investigation step waits this long (0)   |
 * | `AUTOIR_RULES`, `AUTOIR_RULE_STATUSES`, `AUTOIR_RULE_MIN_LEVEL`, `AUTOIR_BUNDLED_RULES=0` | detection rules |
 * | `AUTOIR_CONNECTORS`                        | a YAML file of connectors                                      |
 * | `AUTOIR_MAIL`                              | a YAML file: the SMTP relay and the report mailbox (app/mail.ts) |
 * | `AUTOIR_INPUTS`                            | a YAML file: followed files and syslog receivers (app/inputs.ts) |
 * | `AUTOIR_OIDC_ISSUER`, `_CLIENT_ID`, `_CLIENT_SECRET`, `_ROLES`, `_ROLE_CLAIM`, `_NAME_CLAIM` | single sign-on   |
 * | `AUTOIR_MAX_SPOOL`                         | bytes ingest may spool to disk at once for streamed zips (1 GiB) |
 * | `AUTOIR_KEY_FILE`                          | the key that seals stored secrets (default: data dir's)        |
 * | `AUTOIR_OUTBOUND_ALLOW`                    | addresses, CIDR ranges, host names autoir's requests may reach |
 * |                                            | beyond public addresses (comma-separated)                      |
 */
import path from 'node:path';
import type { DetectionConfig } from '../detect/detector.js';
import { sigmaLevels, sigmaStatuses, type SigmaLevel, type SigmaStatus } from '../detect/sigma.js';
import { durationMs } from '../domain/duration.js';
import { normalizeEntityKey } from '../domain/entity.js';
import {
  DEFAULT_SESSION_IDLE_MS,
  parseRoleMapping,
  SESSION_MAX_AGE_MS,
  type OidcSettings,
  type SessionOptions,
} from '../domain/access.js';
import { AutoirError } from '../domain/errors.js';
import {
  defaultProtectedProcesses,
  parseProtectedProcesses,
  type ProtectedProcesses,
} from '../domain/guardrails.js';
import { allowEntryProblem } from '../connectors/outbound.js';
import { readFileSync } from 'node:fs';
import type { EngineLimits } from '../investigate/engine.js';
import type { StoreConfig } from '../store/open-store.js';
import { logLevels, type LogLevel } from '../domain/log.js';
import { isLogFormat, isLogLevel, logFormats, type LogFormat } from './log.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** The largest request body by default: 10 MiB. */
export const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;

export interface Settings {
  readonly store: StoreConfig;
  readonly server: {
    readonly bodyLimit: number;
    readonly logRequests: boolean;
    readonly sessions: SessionOptions;
    /** How others reach this server (for connectors' callbacks), without a trailing slash. */
    readonly publicUrl?: string;
    /** Requests a minute per client address; sign-ins a minute per address and overall (api/server.ts). */
    readonly rateLimits: {
      readonly perAddress?: number;
      readonly signInPerAddress?: number;
      readonly signInOverall?: number;
    };
  };
  readonly correlation: {
    readonly windowMs?: number;
    readonly maxDevices?: number;
    readonly maxAlerts?: number;
    readonly infrastructure: readonly string[];
    /** Warninglist files beside the shipped ones. */
    readonly warninglists: readonly string[];
  };
  readonly investigation: {
    readonly playbookDirs: readonly string[];
    readonly limits: Partial<EngineLimits>;
    readonly maxRunning?: number;
    /** Processes never to be killed (domain/guardrails.ts): the built-in lists and `AUTOIR_PROTECTED_PROCESSES`. */
    readonly protectedProcesses: ProtectedProcesses;
    /** Benchmarks only (`AUTOIR_BENCH_STEP_DELAY_MS`): each investigation step waits this long, claim held. */
    readonly stepDelayMs?: number;
  };
  readonly detection: DetectionConfig;
  /** A YAML file of connectors, read at start. */
  readonly connectorsFile?: string;
  /** autoir's own mail: SMTP relay and report mailbox (app/mail.ts). */
  readonly mailFile?: string;
  /** The YAML file of inputs (`AUTOIR_INPUTS`): followed files, syslog receivers. */
  readonly inputsFile?: string;
  /** Where autoir's own requests may go beyond public addresses (connectors/outbound.ts). */
  readonly outboundAllow: readonly string[];
  /** The file of the key that seals stored secrets (app/secret-key.ts). */
  readonly keyFile?: string;
  /** Single sign-on for the web UI (api/oidc.ts), when `AUTOIR_OIDC_ISSUER` is set. */
  readonly oidc?: OidcSettings;
  /** The most bytes ingest spools to disk at once for zip archives that arrive as streams (ingest/input.ts). */
  readonly maxSpoolBytes?: number;
  /** How long telemetry is kept after its time and its arrival (`AUTOIR_EVENT_RETENTION`); undefined: for ever. */
  readonly eventRetentionMs?: number;
  /**
   * The log of `serve` and `worker` (app/log.ts): `AUTOIR_LOG_LEVEL` and `AUTOIR_LOG_FORMAT`, under their
   * `--log-level` and `--log-format`; unset: info, and text on a terminal, JSON otherwise.
   */
  readonly log: { readonly level?: LogLevel; readonly format?: LogFormat };
}

/** Telemetry is kept this long by default (`AUTOIR_EVENT_RETENTION`). */
export const DEFAULT_EVENT_RETENTION_MS = 30 * 24 * 3_600_000;

/** Options of a command that override settings. */
export interface SettingOverrides {
  /** `--data DIR`. */
  readonly dataDir?: string;
}

/** Read every setting from `env`; all bad values are reported at once. */
export function readSettings(env: Env, overrides: SettingOverrides = {}): Settings {
  const problems: string[] = [];
  const read = new Reader(env, problems);

  const url = env.AUTOIR_DATABASE_URL?.trim();
  const schema = env.AUTOIR_DATABASE_SCHEMA?.trim();
  const pool = read.integer('AUTOIR_DATABASE_POOL', 1, 1000, 'a whole number of connections from 1 to 1000');
  const store: StoreConfig = url
    ? { kind: 'postgres', url, ...(schema ? { schema } : {}), ...(pool ? { maxConnections: pool } : {}) }
    : { kind: 'sqlite', dataDir: path.resolve(overrides.dataDir ?? env.AUTOIR_DATA ?? 'autoir-data') };

  const bodyLimit =
    read.integer('AUTOIR_BODY_LIMIT', 1024, 2 ** 31, 'a whole number of bytes from 1024') ??
    DEFAULT_BODY_LIMIT;
  const idleMs =
    read.duration('AUTOIR_SESSION_IDLE', 60_000, SESSION_MAX_AGE_MS, 'a duration from 1m to 7d (e.g. 12h)') ??
    DEFAULT_SESSION_IDLE_MS;
  const publicUrl = read.url('AUTOIR_PUBLIC_URL');
  const retention =
    env.AUTOIR_EVENT_RETENTION?.trim().toLowerCase() === 'off'
      ? undefined
      : (read.duration(
          'AUTOIR_EVENT_RETENTION',
          3_600_000,
          Infinity,
          'a duration of at least 1h (e.g. 90d), or off',
        ) ?? DEFAULT_EVENT_RETENTION_MS);

  const statuses = read.list('AUTOIR_RULE_STATUSES', ',');
  for (const status of statuses)
    if (!(sigmaStatuses as readonly string[]).includes(status))
      problems.push(
        `AUTOIR_RULE_STATUSES: unknown rule status ${status} (one of ${sigmaStatuses.join(', ')})`,
      );
  const minLevel = env.AUTOIR_RULE_MIN_LEVEL?.trim() || undefined;
  if (minLevel !== undefined && !(sigmaLevels as readonly string[]).includes(minLevel))
    problems.push(`AUTOIR_RULE_MIN_LEVEL: unknown rule level ${minLevel} (one of ${sigmaLevels.join(', ')})`);
  const ruleDirs = read.list('AUTOIR_RULES', path.delimiter).map((dir) => path.resolve(dir));

  const maxEntities = read.positive('AUTOIR_INVESTIGATION_MAX_ENTITIES');
  const maxActions = read.positive('AUTOIR_INVESTIGATION_MAX_ACTIONS');
  const maxRunMs = read.duration('AUTOIR_INVESTIGATION_MAX_RUN', 1, Infinity, 'a duration like 10m');
  const expansionApprovalThreshold = read.positive('AUTOIR_EXPANSION_APPROVAL');
  const analyzeBatch = read.positive('AUTOIR_ANALYZE_BATCH');
  const maxRunning = read.positive('AUTOIR_MAX_INVESTIGATIONS');
  // Below the claim's lease (60 s): a step that waited longer would lose its claim every time.
  const stepDelayMs = read.integer(
    'AUTOIR_BENCH_STEP_DELAY_MS',
    0,
    10_000,
    'a whole number of ms from 0 to 10000',
  );
  const protectedProcesses = parseProtectedProcesses(env.AUTOIR_PROTECTED_PROCESSES);
  if (typeof protectedProcesses === 'string')
    problems.push(`AUTOIR_PROTECTED_PROCESSES: ${protectedProcesses}`);

  const oidc = readOidc(env, publicUrl, problems);
  const outboundAllow = read.list('AUTOIR_OUTBOUND_ALLOW', ',');
  for (const entry of outboundAllow) {
    const problem = allowEntryProblem(entry);
    if (problem !== undefined) problems.push(`AUTOIR_OUTBOUND_ALLOW: ${problem}`);
  }

  const logLevel = env.AUTOIR_LOG_LEVEL?.trim().toLowerCase() || undefined;
  if (logLevel !== undefined && !isLogLevel(logLevel))
    problems.push(`AUTOIR_LOG_LEVEL must be one of ${logLevels.join(', ')}, got ${logLevel}`);
  const logFormat = env.AUTOIR_LOG_FORMAT?.trim().toLowerCase() || undefined;
  if (logFormat !== undefined && !isLogFormat(logFormat))
    problems.push(`AUTOIR_LOG_FORMAT must be ${logFormats.join(' or ')}, got ${logFormat}`);

  const settings: Settings = {
    store,
    outboundAllow,
    log: {
      ...(logLevel !== undefined && isLogLevel(logLevel) ? { level: logLevel } : {}),
      ...(logFormat !== undefined && isLogFormat(logFormat) ? { format: logFormat } : {}),
    },
    ...(oidc ? { oidc } : {}),
    ...(env.AUTOIR_KEY_FILE?.trim() ? { keyFile: path.resolve(env.AUTOIR_KEY_FILE.trim()) } : {}),
    ...optional(
      'maxSpoolBytes',
      read.integer(
        'AUTOIR_MAX_SPOOL',
        1024 * 1024,
        Number.MAX_SAFE_INTEGER,
        'a whole number of bytes from 1 MiB',
      ),
    ),
    server: {
      bodyLimit,
      logRequests: env.AUTOIR_LOG_REQUESTS === '1',
      sessions: { idleMs, cookieSecure: read.flag('AUTOIR_COOKIE_SECURE') },
      ...(publicUrl ? { publicUrl } : {}),
      rateLimits: {
        ...optional('perAddress', read.positive('AUTOIR_RATE_LIMIT')),
        ...optional('signInPerAddress', read.positive('AUTOIR_SIGN_IN_RATE_LIMIT')),
        ...optional('signInOverall', read.positive('AUTOIR_SIGN_IN_OVERALL_LIMIT')),
      },
    },
    correlation: {
      ...optional('windowMs', read.duration('AUTOIR_CORRELATION_WINDOW', 1, Infinity, 'a duration like 24h')),
      ...optional('maxDevices', read.positive('AUTOIR_CORRELATION_MAX_DEVICES')),
      ...optional('maxAlerts', read.positive('AUTOIR_CORRELATION_MAX_ALERTS')),
      infrastructure: read.list('AUTOIR_INFRASTRUCTURE', ',').map(normalizeEntityKey),
      warninglists: read.list('AUTOIR_WARNINGLISTS', path.delimiter),
    },
    investigation: {
      playbookDirs: read.list('AUTOIR_PLAYBOOKS', path.delimiter),
      limits: {
        ...optional('maxEntities', maxEntities),
        ...optional('maxActions', maxActions),
        ...optional('maxRunMs', maxRunMs),
        ...optional('expansionApprovalThreshold', expansionApprovalThreshold),
        ...optional('analyzeBatch', analyzeBatch),
      },
      ...optional('maxRunning', maxRunning),
      ...(stepDelayMs ? { stepDelayMs } : {}),
      protectedProcesses:
        typeof protectedProcesses === 'string' ? defaultProtectedProcesses : protectedProcesses,
    },
    detection: {
      ...(ruleDirs.length > 0 ? { ruleDirs } : {}),
      ...(env.AUTOIR_BUNDLED_RULES === '0' ? { bundled: false } : {}),
      ...(statuses.length > 0 ? { statuses: statuses as SigmaStatus[] } : {}),
      ...(minLevel ? { minLevel: minLevel as SigmaLevel } : {}),
    },
    ...(env.AUTOIR_CONNECTORS?.trim() ? { connectorsFile: path.resolve(env.AUTOIR_CONNECTORS.trim()) } : {}),
    ...(env.AUTOIR_MAIL?.trim() ? { mailFile: path.resolve(env.AUTOIR_MAIL.trim()) } : {}),
    ...(env.AUTOIR_INPUTS?.trim() ? { inputsFile: path.resolve(env.AUTOIR_INPUTS.trim()) } : {}),
    ...(retention === undefined ? {} : { eventRetentionMs: retention }),
  };
  if (problems.length > 0)
    throw new AutoirError(
      'AUTOIR_E_BAD_USAGE',
      problems.length === 1 ? (problems[0] as string) : `bad settings:\n  ${problems.join('\n  ')}`,
      { details: { problems } },
    );
  return settings;
}

/**
 * Detection settings with a command's options on top: more rule folders, other statuses or level, without the
 * bundled rules. A bad status or level is a usage error naming the option.
 */
export function detectionWith(
  base: DetectionConfig,
  options: { rules?: readonly string[]; statuses?: string; minLevel?: string; bundled?: boolean },
): DetectionConfig {
  const statuses = options.statuses
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  for (const status of statuses ?? [])
    if (!(sigmaStatuses as readonly string[]).includes(status))
      throw new AutoirError(
        'AUTOIR_E_BAD_USAGE',
        `unknown rule status ${status} (one of ${sigmaStatuses.join(', ')})`,
      );
  if (options.minLevel !== undefined && !(sigmaLevels as readonly string[]).includes(options.minLevel))
    throw new AutoirError(
      'AUTOIR_E_BAD_USAGE',
      `unknown rule level ${options.minLevel} (one of ${sigmaLevels.join(', ')})`,
    );
  const ruleDirs = [...(base.ruleDirs ?? []), ...(options.rules ?? []).map((dir) => path.resolve(dir))];
  return {
    ...base,
    ...(ruleDirs.length > 0 ? { ruleDirs } : {}),
    ...(options.bundled === false ? { bundled: false } : {}),
    ...(statuses ? { statuses: statuses as SigmaStatus[] } : {}),
    ...(options.minLevel ? { minLevel: options.minLevel as SigmaLevel } : {}),
  };
}

/** The single sign-on settings, when `AUTOIR_OIDC_ISSUER` is set; their problems noted. */
function readOidc(env: Env, publicUrl: string | undefined, problems: string[]): OidcSettings | undefined {
  const issuer = env.AUTOIR_OIDC_ISSUER?.trim();
  if (!issuer) return undefined;
  const fileSecret = env.AUTOIR_OIDC_CLIENT_SECRET_FILE?.trim();
  let clientSecret = env.AUTOIR_OIDC_CLIENT_SECRET?.trim();
  if (!clientSecret && fileSecret)
    try {
      clientSecret = readFileSync(fileSecret, 'utf8').trim();
    } catch (error) {
      problems.push(`AUTOIR_OIDC_CLIENT_SECRET_FILE: cannot read ${fileSecret}: ${(error as Error).message}`);
    }
  const clientId = env.AUTOIR_OIDC_CLIENT_ID?.trim();
  const mapping = parseRoleMapping(env.AUTOIR_OIDC_ROLES ?? '');
  if (!/^https?:\/\//.test(issuer))
    problems.push(`AUTOIR_OIDC_ISSUER must be an http:// or https:// URL, got ${issuer}`);
  if (!clientId) problems.push('AUTOIR_OIDC_CLIENT_ID: needed with AUTOIR_OIDC_ISSUER');
  if (!clientSecret) problems.push('AUTOIR_OIDC_CLIENT_SECRET (or _FILE): needed with AUTOIR_OIDC_ISSUER');
  if (typeof mapping === 'string') problems.push(`AUTOIR_OIDC_ROLES: ${mapping}`);
  if (!publicUrl)
    problems.push(
      'AUTOIR_PUBLIC_URL: needed with AUTOIR_OIDC_ISSUER (the provider sends the browser back there)',
    );
  if (!clientId || !clientSecret || typeof mapping === 'string' || !publicUrl) return undefined;
  return {
    issuer,
    clientId,
    clientSecret,
    redirectUri: `${publicUrl}/api/v1/session/oidc/callback`,
    roleClaim: env.AUTOIR_OIDC_ROLE_CLAIM?.trim() || 'groups',
    roles: mapping,
    nameClaim: env.AUTOIR_OIDC_NAME_CLAIM?.trim() || 'preferred_username',
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Reads typed values out of the environment, noting what is wrong instead of stopping at the first. */
class Reader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  private text(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  positive(name: string): number | undefined {
    return this.integer(name, 1, Number.MAX_SAFE_INTEGER, 'a positive whole number');
  }

  integer(name: string, min: number, max: number, what: string): number | undefined {
    const text = this.text(name);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (Number.isInteger(value) && value >= min && value <= max) return value;
    this.problems.push(`${name} must be ${what}, got ${text}`);
    return undefined;
  }

  duration(name: string, min: number, max: number, what: string): number | undefined {
    const text = this.text(name);
    if (text === undefined) return undefined;
    const ms = durationMs(text);
    if (ms !== undefined && ms >= min && ms <= max) return ms;
    this.problems.push(`${name} must be ${what}, got ${text}`);
    return undefined;
  }

  flag(name: string): boolean {
    const text = this.text(name)?.toLowerCase();
    return text === '1' || text === 'true';
  }

  url(name: string): string | undefined {
    const text = this.text(name);
    if (text === undefined) return undefined;
    try {
      const parsed = new URL(text);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return text.replace(/\/+$/, '');
    } catch {
      // reported below
    }
    this.problems.push(`${name} must be an http:// or https:// URL, got ${text}`);
    return undefined;
  }

  list(name: string, separator: string): string[] {
    return (this.env[name] ?? '')
      .split(separator)
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
}
