/** `autoir rules list|show|test|stats|regress` and `autoir detect`: detection rules from the command line. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { detectionRules, ruleDirsOf } from '../../detect/detector.js';
import { ruleTarget, windowsSigmaEvent, bucketOf } from '../../detect/logsource.js';
import { runRegression, windowsRecordsOf } from '../../detect/regress.js';
import { buildRuleSet, isProblem, loadRuleFile, ruleFiles, type RuleSet } from '../../detect/ruleset.js';
import { rescanStoredEvents } from '../../ingest/rescan.js';
import { windowsMatcher } from '../../detect/matcher.js';
import { correlatePending } from '../../correlate/correlator.js';
import { sigmaLevels, sigmaStatuses, type SigmaRule } from '../../detect/sigma.js';
import { AutoirError } from '../../domain/errors.js';
import type { SwitchedOff } from '../../domain/rule-switches.js';
import type { CliContext } from '../context.js';
import { detectionWith, readSettings } from '../../app/config.js';
import { collect, table, truncate } from '../io.js';

interface RuleOptions {
  rules: string[];
  bundled: boolean;
  status?: string;
  minLevel?: string;
  json?: boolean;
}

function withRuleOptions(command: Command): Command {
  return command
    .option('--rules <path>', 'also load the rules in this file or directory (repeatable)', collect, [])
    .option('--no-bundled', 'leave out the rules shipped with autoir')
    .option(
      '--status <list>',
      `statuses that run (comma-separated; default stable,test,experimental; ${sigmaStatuses.join(', ')})`,
    )
    .option('--min-level <level>', `lowest level that runs (default low; ${sigmaLevels.join(', ')})`);
}

function summaryOf(rule: SigmaRule) {
  return {
    id: rule.id,
    title: rule.title,
    level: rule.level,
    status: rule.status,
    logsource: rule.logsource,
    tags: rule.tags,
    file: rule.file,
  };
}

export function registerRuleCommands(program: Command, helpers: CliContext): void {
  const { print, printJson } = helpers;
  const configOf = (options: RuleOptions) =>
    detectionWith(readSettings(helpers.env).detection, {
      rules: options.rules,
      bundled: options.bundled,
      ...(options.status !== undefined ? { statuses: options.status } : {}),
      ...(options.minLevel !== undefined ? { minLevel: options.minLevel } : {}),
    });
  const rules = program
    .command('rules')
    .description('Detection rules (Sigma): list, show, test, statistics, regression suite');

  withRuleOptions(
    rules
      .command('list')
      .description('The rules that run, by level; --all adds those that do not, with the reason'),
  )
    .option('--all', 'also rules left out by the filter, without events to run on, or that do not compile')
    .option('--json', 'print JSON')
    .action(async (options: RuleOptions & { all?: boolean }, command: Command) => {
      const set = detectionRules(configOf(options));
      // Rules an admin switched off on the store (UI, API): read when there is a store, never made for this.
      const store = helpers.settings(command).store;
      const off =
        store.kind === 'postgres' || existsSync(store.dataDir)
          ? await helpers.withStore(command, (opened) => opened.rules.switchedOff())
          : new Map<string, SwitchedOff>();
      const rows = set.rules.map(({ rule }) => {
        const switched = rule.id ? off.get(rule.id) : undefined;
        return {
          ...summaryOf(rule),
          state: switched
            ? `switched off by ${switched.by} ${switched.at.slice(0, 10)}${switched.reason ? `: ${switched.reason}` : ''}`
            : 'runs',
        };
      });
      const anyOff = rows.some((row) => row.state !== 'runs');
      if (options.all) {
        rows.push(
          ...set.filtered.map((rule) => ({ ...summaryOf(rule), state: 'filtered out (status or level)' })),
        );
        rows.push(
          ...set.inapplicable.map(({ rule, reason }) => ({
            ...summaryOf(rule),
            state: `no events: ${reason}`,
          })),
        );
      }
      const problems = options.all ? set.problems : [];
      if (options.json) {
        printJson([...rows, ...problems.map((problem) => ({ ...problem, state: problem.kind }))]);
        return;
      }
      print(
        table(
          ['ID', 'LEVEL', 'STATUS', 'LOGSOURCE', 'TITLE', ...(options.all || anyOff ? ['STATE'] : [])],
          rows.map((row) => [
            row.id ?? '',
            row.level ?? '',
            row.status ?? '',
            [row.logsource.product, row.logsource.category ?? row.logsource.service]
              .filter(Boolean)
              .join('/'),
            truncate(row.title, 70),
            ...(options.all || anyOff ? [truncate(row.state, 60)] : []),
          ]),
        ),
      );
      for (const problem of problems) print(`${problem.kind}: ${problem.file}: ${problem.reason}\n`);
    });

  withRuleOptions(
    rules
      .command('show')
      .description('One rule: what it looks for, where it runs')
      .argument('<id-or-file>', 'rule id or rule file'),
  )
    .option('--json', 'print JSON')
    .action((idOrFile: string, options: RuleOptions) => {
      let rule: SigmaRule | undefined;
      if (/\.ya?ml$/i.test(idOrFile)) {
        const loaded = loadRuleFile(path.resolve(idOrFile));
        if (isProblem(loaded))
          throw new AutoirError('AUTOIR_E_BAD_INPUT', `${loaded.file}: ${loaded.reason}`);
        rule = loaded;
      } else {
        const set = detectionRules({
          ...configOf(options),
          statuses: [...sigmaStatuses],
          minLevel: 'informational',
        });
        rule =
          set.rules.find((entry) => entry.rule.id === idOrFile)?.rule ??
          set.inapplicable.find((entry) => entry.rule.id === idOrFile)?.rule;
        if (!rule) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no rule with id ${idOrFile}`);
      }
      const target = ruleTarget(rule.logsource);
      const runsOn = 'reason' in target ? { reason: target.reason } : { events: target.buckets };
      if (options.json) {
        printJson({
          ...summaryOf(rule),
          description: rule.description,
          author: rule.author,
          fields: rule.fields,
          runsOn,
        });
        return;
      }
      print(
        `${rule.title}\n  id        ${rule.id ?? '-'}\n  level     ${rule.level ?? '-'}\n  status    ${rule.status ?? '-'}\n`,
      );
      print(
        `  logsource ${JSON.stringify(rule.logsource)}\n  runs on   ${'reason' in runsOn ? `nothing: ${runsOn.reason}` : runsOn.events.join(', ')}\n`,
      );
      print(`  fields    ${rule.fields.join(', ')}\n  file      ${rule.file}\n`);
      if (rule.description) print(`\n${rule.description.trim()}\n`);
      print(`\n${readFileSync(rule.file, 'utf8')}`);
    });

  rules
    .command('test')
    .description('Does a rule match these events? (Windows event JSON in any of its shapes)')
    .argument('<file>', 'rule file')
    .requiredOption('--event <file>', 'event JSON file (one or several events)')
    .option('--json', 'print JSON')
    .action((file: string, options: { event: string; json?: boolean }) => {
      const rule = loadRuleFile(path.resolve(file));
      if (isProblem(rule))
        throw new AutoirError('AUTOIR_E_BAD_INPUT', `${rule.file}: ${rule.reason}`, {
          location: { file: rule.file, ...(rule.field ? { field: rule.field } : {}) },
        });
      const records = windowsRecordsOf(path.resolve(options.event));
      if (typeof records === 'string')
        throw new AutoirError('AUTOIR_E_BAD_INPUT', `${options.event}: ${records}`);
      const target = ruleTarget(rule.logsource);
      const buckets = 'reason' in target ? new Set<string>() : new Set(target.buckets);
      const results = records.map((record, index) => {
        const inScope =
          !('reason' in target) &&
          (buckets.has('*') ||
            buckets.has(bucketOf(record.channel ?? '', record.eventId)) ||
            buckets.has(bucketOf(record.channel ?? '', '*'))) &&
          (!target.extra || target.extra(record));
        return {
          index,
          channel: record.channel,
          eventId: record.eventId,
          inScope,
          matched: inScope && rule.matches(windowsSigmaEvent(record)),
        };
      });
      if (options.json) {
        printJson({
          rule: summaryOf(rule),
          ...('reason' in target ? { runsOn: target.reason } : {}),
          events: results,
        });
        return;
      }
      for (const result of results)
        print(
          `event ${result.index + 1} (${result.channel ?? '?'} ${result.eventId}): ${result.matched ? 'MATCH' : result.inScope ? 'no match' : "not the rule's log source"}\n`,
        );
      if ('reason' in target) print(`the rule runs on no events here: ${target.reason}\n`);
    });

  withRuleOptions(
    rules.command('stats').description('How many rules load, run, are filtered out or cannot run, and why'),
  )
    .option('--json', 'print JSON')
    .action((options: RuleOptions) => {
      const config = configOf(options);
      const files = ruleFiles(ruleDirsOf(config));
      const set: RuleSet = buildRuleSet(
        files.map((file) => loadRuleFile(file)),
        {
          ...(config.statuses ? { statuses: config.statuses } : {}),
          ...(config.minLevel ? { minLevel: config.minLevel } : {}),
        },
      );
      const count = <T>(items: readonly T[], key: (item: T) => string) => {
        const out: Record<string, number> = {};
        for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
        return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
      };
      const stats = {
        files: files.length,
        runs: set.rules.length,
        filteredOut: set.filtered.length,
        withoutEvents: set.inapplicable.length,
        errors: set.problems.filter((problem) => problem.kind === 'error').length,
        unsupported: set.problems.filter((problem) => problem.kind === 'unsupported').length,
        byLevel: count(set.rules, (entry) => entry.rule.level ?? 'medium'),
        byLogsource: count(
          set.rules,
          (entry) =>
            entry.rule.logsource.category ??
            entry.rule.logsource.service ??
            entry.rule.logsource.product ??
            '?',
        ),
        withoutEventsBecause: count(set.inapplicable, (entry) => entry.reason),
        problems: set.problems.map((problem) => ({
          file: problem.file,
          kind: problem.kind,
          reason: problem.reason,
        })),
      };
      if (options.json) {
        printJson(stats);
        return;
      }
      print(
        `${stats.files} rule files: ${stats.runs} run, ${stats.filteredOut} filtered out by status or level, ${stats.withoutEvents} have no events here, ${stats.errors} malformed, ${stats.unsupported} unsupported\n`,
      );
      print(
        `\nrunning, by level:\n${Object.entries(stats.byLevel)
          .map(([key, value]) => `  ${key.padEnd(14)} ${value}`)
          .join('\n')}\n`,
      );
      print(
        `\nrunning, by log source:\n${Object.entries(stats.byLogsource)
          .map(([key, value]) => `  ${key.padEnd(28)} ${value}`)
          .join('\n')}\n`,
      );
      if (stats.withoutEvents > 0)
        print(
          `\nwithout events, because:\n${Object.entries(stats.withoutEventsBecause)
            .map(([key, value]) => `  ${String(value).padStart(5)}  ${key}`)
            .join('\n')}\n`,
        );
      for (const problem of stats.problems) print(`${problem.kind}: ${problem.file}: ${problem.reason}\n`);
    });

  rules
    .command('regress')
    .description(
      "Run SigmaHQ's regression suite: SIGMA_DIR/regression_data against the rules in SIGMA_DIR/rules*",
    )
    .argument('<sigma-dir>', 'a SigmaHQ checkout, or a folder laid out like one')
    .option('--rules <path>', 'also look for rules in this file or directory (repeatable)', collect, [])
    .option('--json', 'print JSON { total, passed, failed, failures: [{ ruleId, reason }] }')
    .action((sigmaDir: string, options: { json?: boolean; rules: string[] }) => {
      const report = runRegression(
        path.resolve(sigmaDir),
        options.rules.map((dir) => path.resolve(dir)),
      );
      if (options.json)
        printJson({
          total: report.total,
          passed: report.passed,
          failed: report.failed,
          failures: report.failures,
          skipped: report.skipped,
        });
      else {
        print(`${report.passed} of ${report.total} cases passed, ${report.failed} failed\n`);
        for (const failure of report.failures)
          print(`  ${failure.ruleId}  ${failure.case}\n      ${failure.reason}\n`);
        for (const skipped of report.skipped) print(`  skipped ${skipped.case}: ${skipped.reason}\n`);
      }
      if (report.failed > 0) helpers.setExitCode(1);
    });

  withRuleOptions(
    program
      .command('detect')
      .description(
        'Run the detection rules over stored events (e.g. after adding rules) and store their alerts',
      )
      .option('--since <time>', 'events from (ISO 8601)')
      .option('--until <time>', 'events until (ISO 8601)'),
  )
    .option('--json', 'print a JSON summary')
    .action(async (options: RuleOptions & { since?: string; until?: string }, command: Command) => {
      for (const name of ['since', 'until'] as const) {
        const value = options[name];
        if (value !== undefined && !Number.isFinite(Date.parse(value)))
          throw new AutoirError('AUTOIR_E_BAD_USAGE', `--${name}: ${value} is not an ISO 8601 date-time`);
      }
      const config = configOf(options);
      const summary = await helpers.withServices(command, async (services) => {
        const { store } = services;
        const detected = await rescanStoredEvents(store, windowsMatcher(config), {
          ...(options.since ? { since: options.since } : {}),
          ...(options.until ? { until: options.until } : {}),
        });
        return {
          ...detected,
          rules: detectionRules(config).rules.length,
          correlation: await correlatePending(store, services.correlation()),
        };
      });
      if (options.json) printJson(summary);
      else
        print(
          `${summary.rules} rules over ${summary.events} events: ${summary.detections} matches, ${summary.alerts} alerts (${summary.created} new, ${summary.updated} updated)\n`,
        );
    });
}
