/**
 * The response policy from the command line: `policy show|set`.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { AutoirError } from '../../domain/errors.js';
import { loadPolicyDocument, parsePolicy, policyView, redactPolicy } from '../../respond/policy-config.js';
import type { CliContext } from '../context.js';
import { storablePolicy } from '../../app/stored-secrets.js';
import { groupTable } from './groups.js';
import { table } from '../io.js';
import { durationMs } from '../../domain/duration.js';
import { precisionReport } from '../../respond/precision.js';
import type { PrecisionRow } from '../../domain/precision.js';

/** Set `a.b.c` in a copy of `doc` to `value` (JSON when it parses, text otherwise). */
function setPath(doc: Record<string, unknown>, path: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  const copy = structuredClone(doc);
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node[key] = typeof next === 'object' && next !== null ? next : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
  return copy;
}

export function registerPolicyCommands(program: Command, context: CliContext): void {
  const { print, printJson, withServices, withStore } = context;
  const actor = () => `cli:${context.env.USER ?? context.env.USERNAME ?? 'unknown'}`;

  const policy = program
    .command('policy')
    .description('The response policy: expiry, guardrails, folders, retries, notifications');
  policy
    .command('show')
    .description('The policy in force (stored values over defaults) and the groups')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const groups = await store.policy.listGroups();
        const view = { ...(await policyView(store)), groups };
        const { effective } = view;
        if (options.json) printJson(view);
        else {
          print(`approval expiry: ${Math.round(effective.approvalExpiryMs / 3_600_000)} h\n`);
          print(`protected tags:  ${effective.guardrails.protectedTags.join(', ')}\n`);
          print(
            `caps:            ${Object.entries(effective.guardrails.caps)
              .map(([type, cap]) => `${type} ${cap?.max}/${Math.round((cap?.windowMs ?? 0) / 60_000)}min`)
              .join(', ')}\n`,
          );
          print(
            `notifications:   ${effective.notifications.webhook ? effective.notifications.webhook.url : 'none'}\n\n`,
          );
          print(groupTable(groups));
        }
      });
    });
  policy
    .command('set')
    .description(
      'Change the policy: `policy set approvalExpiry 3d`, `policy set guardrails.protectedTags \'["dc"]\'`, or --file',
    )
    .argument('[path]', 'dotted field path')
    .argument('[value]', 'JSON or text')
    .option('--file <file>', 'a whole policy document (YAML or JSON)')
    .action(
      async (
        path: string | undefined,
        value: string | undefined,
        options: { file?: string },
        command: Command,
      ) => {
        if (Boolean(options.file) === Boolean(path) || (path && value === undefined))
          throw new AutoirError('AUTOIR_E_BAD_USAGE', 'give PATH VALUE or --file FILE');
        await withServices(command, async ({ store, secrets }) => {
          const parsed = options.file
            ? parsePolicy(parseYaml(readFileSync(options.file, 'utf8')) as unknown, options.file)
            : parsePolicy(setPath(await loadPolicyDocument(store), path as string, value as string));
          const document = storablePolicy(parsed, secrets(), 'host');
          await store.policy.setSetting('policy', document, actor(), context.now(), redactPolicy);
          print('policy saved\n');
        });
      },
    );
  withPeriod(policy.command('shadow'))
    .description(
      'Shadow automation: per group in shadow and action type, what it would have done against what analysts did',
    )
    .action(async (options: { since?: string; until?: string; json?: boolean }, command: Command) => {
      const { since, until } = periodOf(options, context.now());
      await withStore(command, async (store) => {
        const groups = await store.actions.shadowAgreement(since, until);
        if (options.json) {
          printJson({ since: since.toISOString(), until: until.toISOString(), groups });
          return;
        }
        if (groups.length === 0) {
          print(`no action of a group in shadow between ${since.toISOString()} and ${until.toISOString()}\n`);
          return;
        }
        print(
          table(
            [
              'GROUP',
              'ACTION',
              'SHADOW',
              'WOULD RUN',
              'APPROVED',
              'REJECTED',
              'UNDONE',
              'PENDING',
              'WOULD WAIT',
              'AGREEMENT',
            ],
            groups.map((row) => {
              const run = row.wouldRun;
              const wait = row.wouldWait;
              return [
                `${row.group.kind}/${row.group.name}`,
                row.type,
                row.level,
                String(run.pending + run.approved + run.rejected + run.expired + run.undone),
                String(run.approved),
                String(run.rejected),
                String(run.undone),
                String(run.pending),
                String(wait.pending + wait.approved + wait.rejected + wait.expired + wait.undone),
                row.agreement === null ? '-' : `${Math.round(row.agreement * 100)} %`,
              ];
            }),
          ),
        );
      });
    });
  withPeriod(policy.command('precision'))
    .description(
      'Measured precision: what became of the actions investigations proposed, per action type and group, playbook, rule and analyzer; and where a group could automate more',
    )
    .action(async (options: { since?: string; until?: string; json?: boolean }, command: Command) => {
      const { since, until } = periodOf(options, context.now());
      await withStore(command, async (store) => {
        const report = await precisionReport(store, since, until);
        if (options.json) {
          printJson(report);
          return;
        }
        const columns = ['AUTOMATIC', 'APPROVED', 'REJECTED', 'UNDONE', 'EXPIRED', 'PENDING', 'PRECISION'];
        const figures = (row: PrecisionRow | Omit<PrecisionRow, 'key'>) => [
          String(row.automatic),
          String(row.approved),
          String(row.rejected),
          String(row.undone),
          String(row.expired),
          String(row.pending),
          row.precision === null ? '-' : `${Math.round(row.precision * 100)} %`,
        ];
        print(`actions proposed by investigations, ${since.toISOString()} to ${until.toISOString()}\n\n`);
        if (report.actionTypes.length === 0) {
          print('none\n');
          return;
        }
        print(
          table(
            ['GROUP', 'ACTION', ...columns],
            report.actionTypes.map((row) => [
              `${row.group.kind}/${row.group.name}`,
              row.type,
              ...figures(row),
            ]),
          ),
        );
        for (const [title, rows] of [
          ['PLAYBOOK', report.playbooks.map((row) => [row.playbook, ...figures(row)])],
          [
            'RULE',
            report.rules.map((row) => [row.title ? `${row.title} (${row.rule})` : row.rule, ...figures(row)]),
          ],
          ['ANALYZER', report.analyzers.map((row) => [row.analyzer, ...figures(row)])],
        ] as const) {
          print('\n');
          print(table([title, ...columns], rows));
        }
        for (const suggestion of report.suggestions) print(`\nsuggestion: ${suggestion.text}\n`);
      });
    });
}

function withPeriod(command: Command): Command {
  return command
    .option(
      '--since <time>',
      'actions created from: ISO 8601 or a duration back from now (30d, 12h); default 30d',
    )
    .option('--until <time>', 'actions created before (ISO 8601); default now')
    .option('--json', 'print JSON');
}

/** `--since` (a time, or a duration back from `--until`; default 30 days) and `--until` (default now). */
function periodOf(options: { since?: string; until?: string }, now: Date): { since: Date; until: Date } {
  const until = options.until === undefined ? now : timeOption('--until', options.until);
  const back = options.since === undefined ? durationMs('30d') : durationMs(options.since);
  const since =
    back !== undefined ? new Date(until.getTime() - back) : timeOption('--since', options.since as string);
  return { since, until };
}

function timeOption(option: string, text: string): Date {
  const time = Date.parse(text);
  if (!Number.isFinite(time))
    throw new AutoirError(
      'AUTOIR_E_BAD_USAGE',
      `${option}: not a time or a duration: ${JSON.stringify(text)}`,
    );
  return new Date(time);
}
