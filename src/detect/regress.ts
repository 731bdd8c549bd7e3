/**
 * SigmaHQ's regression suite: for every `regression_data/**\/info.yml`, the rule it names (found by id under
 * `SIGMA_DIR/rules*`, and in any further rule folders given) must match its JSON event(s).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseJsonRecord, RecordSplitter } from '../records/json-records.js';
import { readWindowsRecord, type WindowsRecord } from '../records/windows-record.js';
import { ruleTarget, windowsSigmaEvent, bucketOf } from './logsource.js';
import { isProblem, loadRuleFile, ruleFiles } from './ruleset.js';
import { isObject } from '../records/json.js';

export interface RegressionFailure {
  readonly ruleId: string;
  readonly case: string;
  readonly reason: string;
}

export interface RegressionCase {
  readonly ruleId: string;
  readonly case: string;
  /** Events in the case's JSON file, those of the rule's log source, and those the rule matched. */
  readonly events: number;
  readonly matched: number;
  /** `match_count` of info.yml, where given (SigmaHQ's own runner does not enforce it; see docs/detection.md). */
  readonly expected?: number;
}

export interface RegressionReport {
  /** Cases with a Windows JSON event (cases of other products, e.g. raw Cisco logs, are `skipped`). */
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly failures: readonly RegressionFailure[];
  readonly skipped: readonly RegressionFailure[];
  readonly cases: readonly RegressionCase[];
}

function findFiles(dir: string, name: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...findFiles(full, name));
    else if (entry === name) out.push(full);
  }
  return out;
}

/**
 * The rule files under `sigmaDir/rules*` and the further folders, by rule id (read from the text, compiled only
 * when needed).
 */
function ruleIndex(sigmaDir: string, moreRules: readonly string[]): Map<string, string> {
  const index = new Map<string, string>();
  const roots = readdirSync(sigmaDir)
    .filter((name) => name.startsWith('rules') && statSync(path.join(sigmaDir, name)).isDirectory())
    .map((name) => path.join(sigmaDir, name))
    .concat(moreRules);
  for (const file of ruleFiles(roots)) {
    const id = /^id:\s*['"]?([^\s'"]+)/m.exec(readFileSync(file, 'utf8'))?.[1];
    if (id) index.set(id.toLowerCase(), file);
  }
  return index;
}

/** The Windows records of a JSON file (one or several values). */
export function windowsRecordsOf(file: string): WindowsRecord[] | string {
  const splitter = new RecordSplitter();
  const records = [...splitter.push(readFileSync(file)), ...splitter.end()];
  const out: WindowsRecord[] = [];
  for (const record of records) {
    if (record.kind === 'problem') return `line ${record.line}: ${record.message}`;
    const parsed = parseJsonRecord(record);
    if (!parsed.ok) return `line ${parsed.line}: ${parsed.message}`;
    if (!isObject(parsed.value)) return `line ${record.line}: not a JSON object`;
    const read = readWindowsRecord(parsed.value);
    if (typeof read === 'string') return `line ${record.line}: ${read}`;
    out.push(read);
  }
  return out;
}

/** Run every case of `sigmaDir/regression_data`; `moreRules` are rule folders searched besides `sigmaDir/rules*`. */
export function runRegression(sigmaDir: string, moreRules: readonly string[] = []): RegressionReport {
  const dataDir = path.join(sigmaDir, 'regression_data');
  if (!existsSync(dataDir))
    throw new Error(`${dataDir}: no such directory (expected SIGMA_DIR/regression_data)`);
  for (const dir of moreRules)
    if (!existsSync(dir)) throw new Error(`${dir}: no such rule file or directory`);
  const rules = ruleIndex(sigmaDir, moreRules);
  const failures: RegressionFailure[] = [];
  const skipped: RegressionFailure[] = [];
  const cases: RegressionCase[] = [];
  let total = 0;
  for (const infoFile of findFiles(dataDir, 'info.yml')) {
    const where = path.relative(sigmaDir, path.dirname(infoFile));
    let info: unknown;
    try {
      info = parseYaml(readFileSync(infoFile, 'utf8'));
    } catch (error) {
      total++;
      failures.push({
        ruleId: '?',
        case: where,
        reason: `info.yml is not valid YAML: ${(error as Error).message}`,
      });
      continue;
    }
    const meta = isObject(info) && Array.isArray(info.rule_metadata) ? info.rule_metadata : [];
    const ruleId = String((isObject(meta[0]) ? meta[0].id : undefined) ?? '?');
    const tests =
      isObject(info) && Array.isArray(info.regression_tests_info) ? info.regression_tests_info : [];
    for (const test of tests.length > 0 ? tests : [{}]) {
      total++;
      const fail = (reason: string) => failures.push({ ruleId, case: where, reason });
      const evtxPath = isObject(test) && typeof test.path === 'string' ? test.path : undefined;
      const jsonFile = evtxPath
        ? path.join(sigmaDir, evtxPath.replace(/\.evtx$/i, '.json'))
        : path.join(path.dirname(infoFile), `${ruleId}.json`);
      if (!existsSync(jsonFile)) {
        // SigmaHQ has cases of other kinds (a raw Cisco log): not Windows events, not part of the JSON suite.
        total--;
        skipped.push({
          ruleId,
          case: where,
          reason: `no JSON event (${isObject(test) ? String(test.type) : '?'} case)`,
        });
        continue;
      }
      const ruleFile = rules.get(ruleId.toLowerCase());
      if (!ruleFile) {
        fail(`rule ${ruleId} is not in ${[path.join(sigmaDir, 'rules*'), ...moreRules].join(', ')}`);
        continue;
      }
      const rule = loadRuleFile(ruleFile);
      if (isProblem(rule)) {
        fail(`rule ${path.relative(sigmaDir, ruleFile)} does not compile: ${rule.reason}`);
        continue;
      }
      const records = windowsRecordsOf(jsonFile);
      if (typeof records === 'string') {
        fail(`${path.relative(sigmaDir, jsonFile)}: ${records}`);
        continue;
      }
      const target = ruleTarget(rule.logsource);
      if ('reason' in target) {
        fail(`rule has no events here: ${target.reason}`);
        continue;
      }
      const buckets = new Set(target.buckets);
      let matched = 0;
      let inScope = 0;
      for (const record of records) {
        const channel = record.channel ?? '';
        const applies =
          buckets.has('*') ||
          buckets.has(bucketOf(channel, record.eventId)) ||
          buckets.has(bucketOf(channel, '*'));
        if (!applies || (target.extra && !target.extra(record))) continue;
        inScope++;
        if (rule.matches(windowsSigmaEvent(record))) matched++;
      }
      const expected = isObject(test) && typeof test.match_count === 'number' ? test.match_count : undefined;
      cases.push({
        ruleId,
        case: where,
        events: records.length,
        matched,
        ...(expected !== undefined ? { expected } : {}),
      });
      // A case passes when the rule matches its event(s), as in SigmaHQ's regression runner.
      if (matched === 0)
        fail(`no event matched (${records.length} in the file, ${inScope} of the rule's log source)`);
    }
  }
  return { total, passed: total - failures.length, failed: failures.length, failures, skipped, cases };
}
