/**
 * The action center from the command line: `actions list|show|approve|reject|undo|cancel|create|export`.
 * The CLI works on the local store; what it writes is recorded as `cli:<user>`.
 */
import type { Command } from 'commander';
import { actionStatuses, actionTypes, isActionType, type ActionType } from '../../domain/action.js';
import { AutoirError } from '../../domain/errors.js';
import {
  actionsCsv,
  actionView,
  cancelActions,
  decideActions,
  requestAction,
  undoActions,
} from '../../respond/action-center.js';
import type { Store } from '../../store/ports.js';
import { collect, limitParser, table, truncate } from '../io.js';
import type { ActionRecord, ActionSource } from '../../domain/action.js';
import type { CliContext } from '../context.js';
import type { ActionFilter } from '../../store/actions/rows.js';

function oneOf<T extends string>(what: string, allowed: readonly T[], values: readonly string[]): T[] {
  for (const value of values)
    if (!(allowed as readonly string[]).includes(value))
      throw new AutoirError('AUTOIR_E_BAD_USAGE', `${what}: unknown ${value} (one of ${allowed.join(', ')})`);
  return values as T[];
}

function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((value) => value.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

interface FilterOptions {
  status?: string[];
  type?: string[];
  source?: string[];
  investigation?: string;
  group?: string;
  target?: string;
  since?: string;
  until?: string;
}

function filterFrom(options: FilterOptions): ActionFilter {
  const statuses = oneOf('--status', actionStatuses, splitList(options.status));
  const types = oneOf('--type', actionTypes, splitList(options.type));
  const sources = oneOf<ActionSource>(
    '--source',
    ['investigation', 'analyst', 'undo'],
    splitList(options.source),
  );
  return {
    ...(statuses.length ? { statuses } : {}),
    ...(types.length ? { types } : {}),
    ...(sources.length ? { sources } : {}),
    ...(options.investigation ? { investigationId: options.investigation } : {}),
    ...(options.group ? { groupName: options.group } : {}),
    ...(options.target ? { targetKey: options.target } : {}),
    ...(options.since ? { since: options.since } : {}),
    ...(options.until ? { until: options.until } : {}),
  };
}

function withFilters(command: Command): Command {
  return command
    .option(
      '--status <status>',
      `only these statuses (${actionStatuses.join(', ')}); repeat or comma-separate`,
      collect,
      [],
    )
    .option('--type <type>', 'only these action types; repeat or comma-separate', collect, [])
    .option('--source <source>', 'investigation, analyst or undo', collect, [])
    .option('--investigation <id>', 'only actions of this investigation')
    .option('--group <name>', 'only actions judged by this group')
    .option('--target <key>', 'only actions on this entity key')
    .option('--since <time>', 'created at or after (ISO 8601)')
    .option('--until <time>', 'created before (ISO 8601)');
}

/** Every action matching a filter (all pages). */
async function allActions(store: Store, filter: ActionFilter): Promise<ActionRecord[]> {
  const all: ActionRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.actions.list(filter, { limit: 500, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

function actionTable(actions: readonly ActionRecord[]): string {
  return table(
    ['ID', 'TYPE', 'TARGET', 'STATUS', 'DECIDED BY', 'INVESTIGATION', 'CREATED'],
    actions.map((action) => [
      action.id,
      action.type,
      truncate(action.targetKey, 60),
      action.status,
      action.decidedBy ?? '',
      action.investigationId ?? '',
      action.createdAt,
    ]),
  );
}

export function registerActionCommands(program: Command, context: CliContext): void {
  const { print, printJson, withStore } = context;
  const actor = () => `cli:${context.env.USER ?? context.env.USERNAME ?? 'unknown'}`;

  const actions = program
    .command('actions')
    .description('The action center: pending and past remediation actions; approve, reject, undo, cancel');

  withFilters(actions.command('list').description('List actions, newest first'))
    .option('--limit <n>', 'at most this many', limitParser(10_000), 100)
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV (every matching action)')
    .action(
      async (options: FilterOptions & { limit: number; json?: boolean; csv?: boolean }, command: Command) => {
        await withStore(command, async (store) => {
          const filter = filterFrom(options);
          if (options.csv) {
            print(actionsCsv(await allActions(store, filter)));
            return;
          }
          const page = await store.actions.list(filter, { limit: options.limit });
          if (options.json) printJson({ items: page.items.map(actionView), nextCursor: page.nextCursor });
          else print(page.items.length ? actionTable(page.items) : 'no actions\n');
        });
      },
    );

  actions
    .command('show')
    .description(
      'One action: its target, reasons, decision and the rule behind it, attempts and result, history',
    )
    .argument('<id>')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const action = await store.actions.get(id);
        if (!action) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no action ${id}`);
        const history = await store.actions.history(id);
        if (options.json) {
          printJson({ ...actionView(action), history });
          return;
        }
        print(
          `${action.id}  ${action.type}  ${action.status}\n` +
            `  target:      ${action.targetKey}${action.deviceKey && action.deviceKey !== action.targetKey ? ` on ${action.deviceKey}` : ''}\n` +
            `  requested:   ${action.requestedBy} at ${action.createdAt}\n` +
            `  decided:     ${action.decidedBy ?? '(waiting)'}${action.decidedAt ? ` at ${action.decidedAt}` : ''}${action.comment ? ` — ${action.comment}` : ''}\n` +
            `  rule:        ${action.decisionRule ?? ''}\n` +
            (action.expiresAt && action.status === 'pendingApproval'
              ? `  expires:     ${action.expiresAt}\n`
              : '') +
            `  attempts:    ${action.attempts}${action.connector ? ` via ${action.connector}` : ''}\n` +
            (action.resultMessage ? `  result:      ${action.resultMessage}\n` : '') +
            (action.undoOf ? `  undoes:      ${action.undoOf}\n` : '') +
            (action.undoneBy ? `  undone by:   ${action.undoneBy}\n` : '') +
            `  reasons:\n${action.reasons.map((r) => `    - ${r}\n`).join('')}` +
            `  history:\n${history.map((h) => `    ${h.at}  ${h.from ?? '·'} → ${h.to}  ${h.by}${h.message ? `  ${h.message}` : ''}\n`).join('')}`,
        );
      });
    });

  for (const decision of ['approve', 'reject'] as const) {
    withFilters(
      actions
        .command(decision)
        .description(
          `${decision === 'approve' ? 'Approve' : 'Reject'} pending actions of one type (--all: every pending action matching the filters, one type at a time)`,
        )
        .argument('[ids...]'),
    )
      .option('--all', 'every pending action matching the filters')
      .option('--comment <text>', 'why (recorded with the decision)')
      .option('--json', 'print JSON')
      .action(
        async (
          ids: string[],
          options: FilterOptions & { all?: boolean; comment?: string; json?: boolean },
          command: Command,
        ) => {
          if (ids.length > 0 === Boolean(options.all))
            throw new AutoirError('AUTOIR_E_BAD_USAGE', `give action ids or --all (not both)`);
          await withStore(command, async (store) => {
            const decided: ActionRecord[] = [];
            if (options.all) {
              const pending = await allActions(store, {
                ...filterFrom(options),
                statuses: ['pendingApproval'],
              });
              // One call per type: a bulk decision is about one kind of action.
              const byType = new Map<ActionType, string[]>();
              for (const action of pending)
                byType.set(action.type, [...(byType.get(action.type) ?? []), action.id]);
              for (const group of byType.values())
                decided.push(
                  ...(await decideActions(
                    store,
                    group,
                    decision,
                    actor(),
                    options.comment ?? null,
                    context.now(),
                  )),
                );
            } else {
              decided.push(
                ...(await decideActions(
                  store,
                  ids,
                  decision,
                  actor(),
                  options.comment ?? null,
                  context.now(),
                )),
              );
            }
            if (options.json) printJson(decided.map(actionView));
            else print(decided.length ? actionTable(decided) : `nothing to ${decision}\n`);
          });
        },
      );
  }

  for (const verb of ['undo', 'cancel'] as const)
    actions
      .command(verb)
      .description(
        verb === 'undo'
          ? 'Undo succeeded actions (release, restore, enable): the inverse action is queued and recorded'
          : 'Cancel actions not yet in a final state',
      )
      .argument('<ids...>')
      .option('--comment <text>', 'why')
      .option('--json', 'print JSON')
      .action(async (ids: string[], options: { comment?: string; json?: boolean }, command: Command) => {
        await withStore(command, async (store) => {
          const result =
            verb === 'undo'
              ? await undoActions(store, ids, actor(), options.comment ?? null, context.now())
              : await cancelActions(store, ids, actor(), options.comment ?? null, context.now());
          if (options.json) printJson(result.map(actionView));
          else print(actionTable(result));
        });
      });

  actions
    .command('create')
    .description(
      'Request an action yourself (queued at once; 409-style error when the same one is in flight)',
    )
    .requiredOption('--type <type>', `one of ${actionTypes.join(', ')}`)
    .requiredOption('--target <key>', 'entity key: device:…, file:sha256:…, user:…, ip:…')
    .option('--device <key>', 'the device it runs on (for a file)')
    .option('--comment <text>', 'why')
    .option('--image <path>', "the program a process runs, or a file's path (judged by the guardrails)")
    .option(
      '--override <reason>',
      'request it even though a critical-asset guardrail forbids it, for this reason (audited)',
    )
    .option('--json', 'print JSON')
    .action(
      async (
        options: {
          type: string;
          target: string;
          device?: string;
          comment?: string;
          image?: string;
          override?: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        if (!isActionType(options.type))
          throw new AutoirError(
            'AUTOIR_E_BAD_USAGE',
            `--type: unknown ${options.type} (one of ${actionTypes.join(', ')})`,
          );
        const type = options.type;
        await withStore(command, async (store) => {
          const action = await requestAction(
            store,
            {
              type,
              targetKey: options.target,
              deviceKey: options.device ?? null,
              comment: options.comment ?? null,
              ...(options.image
                ? {
                    parameters: options.target.startsWith('process:')
                      ? { imagePath: options.image }
                      : { path: options.image },
                  }
                : {}),
              ...(options.override ? { override: { reason: options.override } } : {}),
            },
            actor(),
            context.now(),
          );
          if (options.json) printJson(actionView(action));
          else print(actionTable([action]));
        });
      },
    );
}
