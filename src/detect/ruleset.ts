/**
 * A set of compiled Sigma rules, indexed by the events they are written for (logsource.ts), with every rule that
 * could not be used listed with its reason.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { WindowsRecord } from '../records/windows-record.js';
import { bucketOf, ruleTarget, windowsSigmaEvent } from './logsource.js';
import {
  compileRule,
  sigmaLevels,
  type SigmaLevel,
  type SigmaProblem,
  type SigmaRule,
  type SigmaStatus,
} from './sigma.js';
import { SigmaError, type CompileOptions } from './sigma-types.js';

export interface RuleFilter {
  /** Statuses loaded (default: stable, test, experimental). */
  readonly statuses?: readonly SigmaStatus[];
  /** Lowest level loaded (default: low). */
  readonly minLevel?: SigmaLevel;
}

export const DEFAULT_STATUSES: readonly SigmaStatus[] = ['stable', 'test', 'experimental'];
export const DEFAULT_MIN_LEVEL: SigmaLevel = 'low';

export interface LoadedRule {
  readonly rule: SigmaRule;
  readonly extra?: (record: WindowsRecord) => boolean;
}

export interface RuleSet {
  /** Rules that run, each on the events of its logsource. */
  readonly rules: readonly LoadedRule[];
  /** Rules that compiled but have no events to run on here (e.g. Linux rules), with the reason. */
  readonly inapplicable: readonly { readonly rule: SigmaRule; readonly reason: string }[];
  /** Rules left out by the status and level filter. */
  readonly filtered: readonly SigmaRule[];
  /** Rules that could not be compiled: malformed, or valid Sigma autoir does not evaluate. */
  readonly problems: readonly SigmaProblem[];
  /** The rules that match a record (already limited to the record's log source). */
  match(record: WindowsRecord): SigmaRule[];
  /** How many rule evaluations `match` has run. */
  readonly evaluations: number;
}

/** Every `.yml` / `.yaml` file under these paths (files or directories), in name order. */
export function ruleFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (target: string) => {
    const stats = statSync(target);
    if (stats.isFile()) {
      out.push(target);
      return;
    }
    for (const name of readdirSync(target).sort()) {
      if (name.startsWith('.')) continue;
      const full = path.join(target, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/i.test(name)) out.push(full);
    }
  };
  for (const target of paths) walk(target);
  return out;
}

/** Compile one file; a problem instead of a rule when it cannot be used. */
export function loadRuleFile(file: string, options: CompileOptions = {}): SigmaRule | SigmaProblem {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { file, kind: 'error', reason: `cannot read it: ${(error as Error).message}` };
  }
  try {
    return compileRule(text, file, options);
  } catch (error) {
    const id = /^id:\s*['"]?([^\s'"]+)/m.exec(text)?.[1];
    const title = /^title:\s*(.+)$/m.exec(text)?.[1]?.trim();
    if (error instanceof SigmaError)
      return {
        file,
        id,
        title,
        kind: error.kind,
        ...(error.field ? { field: error.field } : {}),
        reason: error.message,
      };
    return { file, id, title, kind: 'error', reason: `the engine failed on it: ${(error as Error).message}` };
  }
}

export function isProblem(value: SigmaRule | SigmaProblem): value is SigmaProblem {
  return 'reason' in value && !('matches' in value);
}

export function buildRuleSet(
  loaded: readonly (SigmaRule | SigmaProblem)[],
  filter: RuleFilter = {},
): RuleSet {
  const statuses = new Set(filter.statuses ?? DEFAULT_STATUSES);
  const minRank = sigmaLevels.indexOf(filter.minLevel ?? DEFAULT_MIN_LEVEL);
  const rules: LoadedRule[] = [];
  const inapplicable: { rule: SigmaRule; reason: string }[] = [];
  const filtered: SigmaRule[] = [];
  const problems: SigmaProblem[] = [];
  const buckets = new Map<string, LoadedRule[]>();
  for (const item of loaded) {
    if (isProblem(item)) {
      problems.push(item);
      continue;
    }
    if (
      !statuses.has(item.status ?? 'experimental') ||
      sigmaLevels.indexOf(item.level ?? 'medium') < minRank
    ) {
      filtered.push(item);
      continue;
    }
    const target = ruleTarget(item.logsource);
    if ('reason' in target) {
      inapplicable.push({ rule: item, reason: target.reason });
      continue;
    }
    const entry: LoadedRule = { rule: item, ...(target.extra ? { extra: target.extra } : {}) };
    rules.push(entry);
    for (const bucket of target.buckets) {
      const list = buckets.get(bucket);
      if (list) list.push(entry);
      else buckets.set(bucket, [entry]);
    }
  }
  let evaluations = 0;
  const forBucket = new Map<string, readonly LoadedRule[]>();
  const candidates = (record: WindowsRecord): readonly LoadedRule[] => {
    const channel = record.channel ?? '';
    const key = bucketOf(channel, record.eventId);
    let list = forBucket.get(key);
    if (!list) {
      list = [
        ...(buckets.get(key) ?? []),
        ...(buckets.get(bucketOf(channel, '*')) ?? []),
        ...(buckets.get('*') ?? []),
      ];
      forBucket.set(key, list);
    }
    return list;
  };
  return {
    rules,
    inapplicable,
    filtered,
    problems,
    get evaluations() {
      return evaluations;
    },
    match(record) {
      const list = candidates(record);
      if (list.length === 0) return [];
      const event = windowsSigmaEvent(record);
      const out: SigmaRule[] = [];
      for (const entry of list) {
        evaluations++;
        if (entry.extra && !entry.extra(record)) continue;
        if (entry.rule.matches(event)) out.push(entry.rule);
      }
      return out;
    },
  };
}

/** Load every rule under these paths and index it. */
export function loadRuleSet(
  paths: readonly string[],
  filter: RuleFilter = {},
  options: CompileOptions = {},
): RuleSet {
  return buildRuleSet(
    ruleFiles(paths).map((file) => loadRuleFile(file, options)),
    filter,
  );
}
