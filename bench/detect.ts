/**
 * `npm run bench -- detect [--dataset DIR]`: every bundled rule (SigmaHQ's Windows rules and autoir's, all
 * statuses and levels) over the host events of an OTRF campaign (default LSASS_campaign_01, 53,698 events). Times
 * apart: unzip + JSON.parse of the events (the baseline), loading and compiling the rules, and detection (reading
 * each record's fields and running the rules of its log source). Prints one JSON line.
 */
import path from 'node:path';
import { bundledRulesDir } from '../src/detect/detector.js';
import { loadRuleSet } from '../src/detect/ruleset.js';
import { sigmaStatuses } from '../src/detect/sigma.js';
import { openDocuments, planInput } from '../src/ingest/input.js';
import { readRecords } from '../src/records/json-records.js';
import { readWindowsRecord } from '../src/records/windows-record.js';
import { isObject } from '../src/records/json.js';

export async function benchDetect(options: { dataset: string }): Promise<Record<string, unknown>> {
  const plan = await planInput(options.dataset);
  // Baseline: unzip and JSON.parse every record of the host events.
  const parseStart = performance.now();
  const values: unknown[] = [];
  for await (const document of openDocuments(plan)) {
    if (!('chunks' in document)) throw new Error(`${document.name}: ${document.message}`);
    if (/\.log$/.test(document.name)) {
      for await (const chunk of document.chunks) void chunk;
      continue;
    }
    for await (const record of readRecords(document.chunks))
      if (record.kind === 'record') values.push(JSON.parse(record.text));
  }
  const parseSeconds = (performance.now() - parseStart) / 1000;

  const loadStart = performance.now();
  const rules = loadRuleSet([bundledRulesDir()], { statuses: [...sigmaStatuses], minLevel: 'informational' });
  const loadSeconds = (performance.now() - loadStart) / 1000;

  const detectStart = performance.now();
  let events = 0;
  let matches = 0;
  for (const value of values) {
    if (!isObject(value)) continue;
    const record = readWindowsRecord(value);
    if (typeof record === 'string') continue;
    events++;
    matches += rules.match(record).length;
  }
  const detectSeconds = (performance.now() - detectStart) / 1000;
  const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
  return {
    bench: 'detect',
    backend: 'none',
    dataset: path.basename(options.dataset),
    events,
    rules_loaded: rules.rules.length + rules.inapplicable.length + rules.filtered.length,
    rules_running: rules.rules.length,
    rule_problems: rules.problems.length,
    matches,
    rule_evaluations: rules.evaluations,
    detect_s: round(detectSeconds, 3),
    events_per_s: Math.round(events / detectSeconds),
    rule_evaluations_per_s: Math.round(rules.evaluations / detectSeconds),
    rule_load_s: round(loadSeconds, 3),
    parse_only_s: round(parseSeconds, 3),
    ratio_detect_vs_parse_only: round(detectSeconds / parseSeconds, 3),
    total_s: round(loadSeconds + detectSeconds, 3),
  };
}
