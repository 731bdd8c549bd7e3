/**
 * The action center and the response policy from the command line: `actions`, `policy`, `groups`, `tags`,
 * `connectors`, `audit`. The CLI works on the local store; what it writes is recorded as `cli:<user>`.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { loadConnectorFile, parseConnectorConfig, redactConnector } from '../connectors/config.js';
import { actionStatuses, actionTypes, isActionType, type ActionType } from '../domain/action.js';
import { AutoirError } from '../domain/errors.js';
import {
  automationLevels,
  groupKinds,
  type AutomationLevel,
  type GroupKind,
  type MembershipRule,
} from '../domain/policy.js';
import {
  actionsCsv,
  actionView,
  cancelActions,
  decideActions,
  requestAction,
  undoActions,
} from '../respond/action-center.js';
import { loadPolicyDocument, parsePolicy, redactPolicy, resolvePolicy } from '../respond/policy-config.js';
import type { ActionFilter } from '../store/action-store.js';
import type { Store } from '../store/ports.js';
import type { CommandHelpers } from './events.js';
import { collect, limitParser, table, truncate } from './io.js';
import type { ActionRecord, ActionSource } from '../domain/action.js';

type Helpers = CommandHelpers & { env: Readonly<Record<string, string | undefined>> };

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

function parseRule(text: string): MembershipRule {
  const rule: Record<string, string> = {};
  for (const part of text.split(',')) {
    const [key, ...rest] = part.split('=');
    const name = (key ?? '').trim();
    const value = rest.join('=').trim();
    if (!['name', 'domain', 'tag', 'os'].includes(name) || value === '')
      throw new AutoirError(
        'AUTOIR_E_BAD_USAGE',
        `--rule: expected name=…, domain=…, tag=… or os=… (comma-separated), got ${JSON.stringify(part)}`,
      );
    rule[name] = value;
  }
  return rule as MembershipRule;
}

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

export function registerActionCommands(program: Command, helpers: Helpers): void {
  const { print, printJson, withStore } = helpers;
  const actor = () => `cli:${helpers.env.USER ?? helpers.env.USERNAME ?? 'unknown'}`;

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
                    helpers.now(),
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
                  helpers.now(),
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
              ? await undoActions(store, ids, actor(), options.comment ?? null, helpers.now())
              : await cancelActions(store, ids, actor(), options.comment ?? null, helpers.now());
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
    .option('--json', 'print JSON')
    .action(
      async (
        options: { type: string; target: string; device?: string; comment?: string; json?: boolean },
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
            },
            actor(),
            helpers.now(),
          );
          if (options.json) printJson(actionView(action));
          else print(actionTable([action]));
        });
      },
    );

  // policy ----------------------------------------------------------------------------------------------------
  const policy = program
    .command('policy')
    .description('The response policy: expiry, guardrails, folders, retries, notifications');
  policy
    .command('show')
    .description('The policy in force (stored values over defaults) and the groups')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const document = await loadPolicyDocument(store);
        const effective = resolvePolicy(document);
        const groups = await store.policy.listGroups();
        const webhook = effective.notifications.webhook;
        const view = {
          stored: redactPolicy(document),
          effective: {
            ...effective,
            notifications: {
              ...effective.notifications,
              webhook: webhook ? { url: webhook.url, secret: '***' } : null,
            },
          },
          groups,
        };
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
        await withStore(command, async (store) => {
          const document = options.file
            ? parsePolicy(parseYaml(readFileSync(options.file, 'utf8')) as unknown, options.file)
            : parsePolicy(setPath(await loadPolicyDocument(store), path as string, value as string));
          await store.policy.setSetting('policy', document, actor(), helpers.now(), redactPolicy);
          print('policy saved\n');
        });
      },
    );

  // groups ----------------------------------------------------------------------------------------------------
  const groups = program
    .command('groups')
    .description('Device, mailbox and user groups and their automation levels');
  groups
    .command('list')
    .option('--kind <kind>', groupKinds.join(', '))
    .option('--json', 'print JSON')
    .action(async (options: { kind?: string; json?: boolean }, command: Command) => {
      const kind = options.kind ? oneOf('--kind', groupKinds, [options.kind])[0] : undefined;
      await withStore(command, async (store) => {
        const list = await store.policy.listGroups(kind);
        if (options.json) printJson(list);
        else print(groupTable(list));
      });
    });
  groups
    .command('set')
    .description(
      'Create or change a group: `groups set device Servers --rule name=srv* --rule tag=server --level semiCore`',
    )
    .argument('<kind>', groupKinds.join(', '))
    .argument('<name>')
    .option(
      '--rule <rule>',
      'a membership rule: name=…,domain=…,tag=…,os=… (fields ANDed; rules ORed); repeat',
      collect,
      [],
    )
    .option('--level <level>', automationLevels.join(', '))
    .option('--rank <n>', 'lower ranks are matched first')
    .option('--automate-suspicious', 'let actions for suspicious evidence run without approval')
    .option('--no-automate-suspicious', 'actions for suspicious evidence wait for approval (the default)')
    .option('--description <text>')
    .option('--json', 'print JSON')
    .action(
      async (
        kindText: string,
        name: string,
        options: {
          rule: string[];
          level?: string;
          rank?: string;
          automateSuspicious?: boolean;
          description?: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        const kind = oneOf('kind', groupKinds, [kindText])[0] as GroupKind;
        const level = options.level
          ? (oneOf('--level', automationLevels, [options.level])[0] as AutomationLevel)
          : undefined;
        const rank = options.rank === undefined ? undefined : Number(options.rank);
        if (rank !== undefined && !Number.isInteger(rank))
          throw new AutoirError('AUTOIR_E_BAD_USAGE', `--rank: a whole number, got ${options.rank}`);
        await withStore(command, async (store) => {
          const group = await store.policy.putGroup(
            {
              kind,
              name,
              ...(options.rule.length ? { rules: options.rule.map(parseRule) } : {}),
              ...(level ? { level } : {}),
              ...(rank !== undefined ? { rank } : {}),
              ...(options.automateSuspicious !== undefined
                ? { automateSuspicious: options.automateSuspicious }
                : {}),
              ...(options.description !== undefined ? { description: options.description } : {}),
            },
            actor(),
            helpers.now(),
          );
          if (options.json) printJson(group);
          else print(groupTable([group]));
        });
      },
    );
  groups
    .command('remove')
    .argument('<kind>')
    .argument('<name>')
    .action(async (kindText: string, name: string, _options: unknown, command: Command) => {
      const kind = oneOf('kind', groupKinds, [kindText])[0] as GroupKind;
      await withStore(command, async (store) => {
        if (!(await store.policy.deleteGroup(kind, name, actor(), helpers.now())))
          throw new AutoirError('AUTOIR_E_NOT_FOUND', `no ${kind} group ${name}`);
        print(`removed ${kind} group ${name}\n`);
      });
    });

  // tags ------------------------------------------------------------------------------------------------------
  const tags = program
    .command('tags')
    .description('Tags on devices, users and mailboxes (group rules, protected tags)');
  tags
    .command('add')
    .argument('<key>', 'entity key, e.g. device:dc01.example.com')
    .argument('<tag>')
    .action(async (key: string, tag: string, _options: unknown, command: Command) => {
      await withStore(command, async (store) => {
        await store.policy.addTag(key, tag, actor(), helpers.now());
        print(`tagged ${key} ${tag}\n`);
      });
    });
  tags
    .command('remove')
    .argument('<key>')
    .argument('<tag>')
    .action(async (key: string, tag: string, _options: unknown, command: Command) => {
      await withStore(command, async (store) => {
        if (!(await store.policy.removeTag(key, tag, actor(), helpers.now())))
          throw new AutoirError('AUTOIR_E_NOT_FOUND', `${key} has no tag ${tag}`);
        print(`untagged ${key} ${tag}\n`);
      });
    });
  tags
    .command('list')
    .argument('[key]')
    .option('--json', 'print JSON')
    .action(async (key: string | undefined, options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const list = await store.policy.listTags(key);
        if (options.json) printJson(list);
        else
          print(
            table(
              ['KEY', 'TAG', 'BY'],
              list.map((t) => [t.entityKey, t.tag, t.createdBy]),
            ),
          );
      });
    });

  // connectors ------------------------------------------------------------------------------------------------
  const connectors = program
    .command('connectors')
    .description('Connectors that carry out actions (docs/connectors.md)');
  connectors
    .command('list')
    .option('--json', 'print JSON (secrets shown as ***)')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const stored = (await store.policy.listConnectors()).map((row) =>
          redactConnector(parseConnectorConfig(row.config, `stored connector ${row.name}`)),
        );
        const file = helpers.env.AUTOIR_CONNECTORS
          ? loadConnectorFile(helpers.env.AUTOIR_CONNECTORS).map(redactConnector)
          : [];
        const all = [
          ...file.map((c) => ({ ...c, origin: 'file' })),
          ...stored.map((c) => ({ ...c, origin: 'store' })),
        ];
        if (options.json) printJson(all);
        else
          print(
            table(
              ['NAME', 'KIND', 'ACTIONS', 'GROUPS', 'TIMEOUT', 'ENABLED', 'FROM'],
              all.map((c) => [
                c.name,
                c.kind,
                c.actions.join(','),
                (c.groups ?? ['*']).join(','),
                c.timeout,
                String(c.enabled),
                c.origin,
              ]),
            ),
          );
      });
    });
  connectors
    .command('add')
    .description(
      'Store the connectors of a YAML file (`connectors: [...]`), replacing those of the same name',
    )
    .requiredOption('--file <file>')
    .action(async (options: { file: string }, command: Command) => {
      const configs = loadConnectorFile(options.file);
      await withStore(command, async (store) => {
        for (const config of configs)
          await store.policy.putConnector(
            config.name,
            config as unknown as Record<string, unknown>,
            actor(),
            helpers.now(),
            (c) => redactConnector(c as unknown as Parameters<typeof redactConnector>[0]),
          );
        print(`stored ${configs.map((c) => c.name).join(', ')}\n`);
      });
    });
  connectors
    .command('remove')
    .argument('<name>')
    .action(async (name: string, _options: unknown, command: Command) => {
      await withStore(command, async (store) => {
        if (!(await store.policy.deleteConnector(name, actor(), helpers.now())))
          throw new AutoirError('AUTOIR_E_NOT_FOUND', `no stored connector ${name}`);
        print(`removed connector ${name}\n`);
      });
    });

  // audit -----------------------------------------------------------------------------------------------------
  program
    .command('audit')
    .description('The audit log: every write, who made it, before and after')
    .command('list')
    .option('--actor <actor>')
    .option('--operation <op>', 'e.g. action.approve, policy.set, group.update')
    .option('--target <target>', 'exact, or a prefix ending in ":" (action:)')
    .option('--since <time>')
    .option('--until <time>')
    .option('--limit <n>', 'at most this many', limitParser(10_000), 100)
    .option('--json', 'print JSON')
    .action(
      async (
        options: {
          actor?: string;
          operation?: string;
          target?: string;
          since?: string;
          until?: string;
          limit: number;
          json?: boolean;
        },
        command: Command,
      ) => {
        await withStore(command, async (store) => {
          const page = await store.audit.list(
            {
              ...(options.actor ? { actor: options.actor } : {}),
              ...(options.operation ? { operation: options.operation } : {}),
              ...(options.target ? { target: options.target } : {}),
              ...(options.since ? { since: options.since } : {}),
              ...(options.until ? { until: options.until } : {}),
            },
            { limit: options.limit },
          );
          if (options.json) printJson(page);
          else
            print(
              table(
                ['AT', 'ACTOR', 'OPERATION', 'TARGET', 'AFTER'],
                page.items.map((e) => [
                  e.at,
                  e.actor,
                  e.operation,
                  e.target,
                  truncate(JSON.stringify(e.after) ?? '', 60),
                ]),
              ),
            );
        });
      },
    );
}

function groupTable(
  groups: readonly {
    kind: string;
    name: string;
    rank: number;
    level: string;
    automateSuspicious: boolean;
    isDefault: boolean;
    rules: readonly MembershipRule[];
  }[],
): string {
  return table(
    ['KIND', 'NAME', 'RANK', 'LEVEL', 'SUSPICIOUS', 'RULES'],
    groups.map((g) => [
      g.kind,
      g.name,
      g.isDefault ? 'default' : String(g.rank),
      g.level,
      g.automateSuspicious ? 'automated' : 'waits',
      g.isDefault
        ? '(everything else)'
        : g.rules
            .map((r) =>
              Object.entries(r)
                .map(([k, v]) => `${k}=${v}`)
                .join(','),
            )
            .join(' | '),
    ]),
  );
}
