/**
 * Sigma matches → alerts. Each match becomes an alert draft; drafts of the same rule on the same process (or, with
 * no process, the same device) in the same time window are one alert (its `sourceRef`), merged with a count, the
 * first and last activity, and the entities of its events. Matching runs where events are parsed (ingest worker
 * threads); merging where alerts are written.
 */
import path from 'node:path';
import { normalizeCategory, normalizeTechniques, type AlertDraft, type Severity } from '../domain/alert.js';
import { uniqueEntities, type Entity } from '../domain/entity.js';
import type { EventDraft } from '../domain/event.js';
import { windowsEventEntities } from '../records/windows-entities.js';
import type { WindowsRecord } from '../records/windows-record.js';
import { packageRoot } from '../version.js';
import { loadRuleSet, type RuleFilter, type RuleSet } from './ruleset.js';
import { type SigmaLevel, type SigmaRule, type SigmaStatus } from './sigma.js';
import { parsePid } from '../domain/entity-values.js';
import { createDevice } from '../domain/entity-builders.js';

/** Where rules come from and which run. Plain data: it crosses to worker threads. */
export interface DetectionConfig {
  /** Rule files or directories; the bundled SigmaHQ Windows rules unless `bundled: false`. */
  readonly ruleDirs?: readonly string[];
  readonly bundled?: boolean;
  readonly statuses?: readonly SigmaStatus[];
  readonly minLevel?: SigmaLevel;
  /** Matches of one rule on one process within this many milliseconds are one alert (default one hour). */
  readonly windowMs?: number;
}

export const DEFAULT_WINDOW_MS = 60 * 60 * 1000;

/**
 * The rules shipped with autoir: SigmaHQ's Windows rules (`rules/sigma`, DRL 1.1; see rules/sigma/NOTICE.md) and
 * autoir's own (`rules/autoir`, for what the SigmaHQ set leaves out).
 */
export function bundledRulesDir(): string {
  return path.join(packageRoot(), 'rules');
}

export function ruleDirsOf(config: DetectionConfig): string[] {
  return [...(config.bundled === false ? [] : [bundledRulesDir()]), ...(config.ruleDirs ?? [])];
}

const cache = new Map<string, RuleSet>();
const byConfig = new WeakMap<DetectionConfig, RuleSet>();

/** The rule set of a configuration, loaded once per process (and per thread). */
export function detectionRules(config: DetectionConfig): RuleSet {
  // Called for every Windows event: the configuration object itself is the fast key.
  const known = byConfig.get(config);
  if (known) return known;
  const key = JSON.stringify([ruleDirsOf(config), config.statuses, config.minLevel]);
  let rules = cache.get(key);
  if (!rules) {
    const filter: RuleFilter = {
      ...(config.statuses ? { statuses: config.statuses } : {}),
      ...(config.minLevel ? { minLevel: config.minLevel } : {}),
    };
    rules = loadRuleSet(ruleDirsOf(config), filter);
    cache.set(key, rules);
  }
  byConfig.set(config, rules);
  return rules;
}

const SEVERITY: Readonly<Record<SigmaLevel, Severity>> = {
  informational: 'informational',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
};

/** `attack.credential-access` → `credentialAccess`: the first ATT&CK tactic of the tags. */
function categoryOf(tags: readonly string[]): string | undefined {
  for (const tag of tags) {
    const match = /^attack\.([a-z-]+)$/i.exec(tag);
    if (match && !/^(t\d|g\d|s\d)/i.test(match[1] as string)) {
      const category = normalizeCategory(match[1]);
      if (category) return category;
    }
  }
  return undefined;
}

/** The rule's description, and the attribution the Detection Rule License asks for. */
function attributed(rule: SigmaRule): string {
  const sigmaHq = rule.file.includes(`${path.sep}rules${path.sep}sigma${path.sep}`);
  const credit = `Sigma rule ${rule.id ?? rule.title}${rule.author ? ` by ${rule.author.trim()}` : ''}${sigmaHq ? ' (SigmaHQ, Detection Rule License 1.1)' : ''}.`;
  return rule.description ? `${rule.description.trim()}\n\n${credit}` : credit;
}

/** One match as an alert draft (eventCount 1). */
export function alertFromMatch(
  rule: SigmaRule,
  record: WindowsRecord,
  event: EventDraft,
  windowMs = DEFAULT_WINDOW_MS,
): AlertDraft {
  const device = createDevice({ hostname: record.computer });
  const deviceName = device ? device.key.slice('device:'.length) : undefined;
  const entities: Entity[] = uniqueEntities([device, ...windowsEventEntities(deviceName, record.data)]);
  const window = Math.floor(event.time / windowMs) * windowMs;
  // The process by device and pid, not by key: Sysmon (GUID) and the Security log (pid) report one process start
  // under different keys, and its matches in both logs are one alert.
  const pid = pidOf(record);
  const subject =
    pid !== undefined && event.deviceKey
      ? `${event.deviceKey}:pid:${pid}`
      : (event.processKey ?? event.deviceKey ?? 'unknown');
  const time = new Date(event.time).toISOString();
  return {
    source: 'sigma',
    sourceRef: `${rule.id ?? rule.title}:${subject}:${new Date(window).toISOString()}`,
    title: rule.title,
    description: attributed(rule),
    severity: SEVERITY[rule.level ?? 'medium'],
    ...(categoryOf(rule.tags) ? { category: categoryOf(rule.tags) } : {}),
    detector: `sigma:${rule.id ?? rule.title}`,
    mitreTechniques: normalizeTechniques(rule.tags),
    createdAt: time,
    firstActivityAt: time,
    lastActivityAt: time,
    entities,
    eventCount: 1,
  };
}

function pidOf(record: WindowsRecord): number | undefined {
  const data = record.data;
  return parsePid(data.NewProcessId ?? data.SourceProcessId ?? data.ProcessId ?? data.ProcessID);
}
