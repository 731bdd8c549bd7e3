/**
 * Asset groups and their automation levels from the command line: `groups list|set|remove`.
 */
import type { Command } from 'commander';
import { AutoirError } from '../../domain/errors.js';
import {
  automationLevels,
  groupKinds,
  type AutomationLevel,
  type GroupKind,
  type MembershipRule,
  type ShadowSetting,
} from '../../domain/policy.js';
import { actionTypes, type ActionType } from '../../domain/action.js';
import { collect, table } from '../io.js';
import type { CliContext } from '../context.js';

function oneOf<T extends string>(what: string, allowed: readonly T[], values: readonly string[]): T[] {
  for (const value of values)
    if (!(allowed as readonly string[]).includes(value))
      throw new AutoirError('AUTOIR_E_BAD_USAGE', `${what}: unknown ${value} (one of ${allowed.join(', ')})`);
  return values as T[];
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

export function groupTable(
  groups: readonly {
    kind: string;
    name: string;
    rank: number;
    level: string;
    automateSuspicious: boolean;
    isDefault: boolean;
    rules: readonly MembershipRule[];
    shadow?: ShadowSetting | null;
  }[],
): string {
  return table(
    ['KIND', 'NAME', 'RANK', 'LEVEL', 'SHADOW', 'SUSPICIOUS', 'RULES'],
    groups.map((g) => [
      g.kind,
      g.name,
      g.isDefault ? 'default' : String(g.rank),
      g.level,
      g.shadow
        ? `${g.shadow.level}${g.shadow.actionTypes?.length ? ` (${g.shadow.actionTypes.join(', ')})` : ''}`
        : '-',
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

export function registerGroupCommands(program: Command, context: CliContext): void {
  const { print, printJson, withStore } = context;
  const actor = () => `cli:${context.env.USER ?? context.env.USERNAME ?? 'unknown'}`;

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
    .option(
      '--shadow <level>',
      `shadow automation: decide as if this level (${automationLevels.join(', ')}) were on, run nothing by itself, record what it would have done`,
    )
    .option('--shadow-actions <types>', 'the action types the shadow covers, comma-separated (default: all)')
    .option('--no-shadow', 'end shadow automation')
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
          shadow?: string | false;
          shadowActions?: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        const kind = oneOf('kind', groupKinds, [kindText])[0] as GroupKind;
        const level = options.level
          ? (oneOf('--level', automationLevels, [options.level])[0] as AutomationLevel)
          : undefined;
        const rank = options.rank === undefined ? undefined : Number(options.rank);
        if (options.shadowActions !== undefined && typeof options.shadow !== 'string')
          throw new AutoirError('AUTOIR_E_BAD_USAGE', '--shadow-actions needs --shadow <level>');
        const shadow: ShadowSetting | null | undefined =
          options.shadow === false
            ? null
            : options.shadow === undefined
              ? undefined
              : {
                  level: oneOf('--shadow', automationLevels, [options.shadow])[0] as AutomationLevel,
                  ...(options.shadowActions
                    ? {
                        actionTypes: oneOf(
                          '--shadow-actions',
                          actionTypes,
                          options.shadowActions.split(',').map((type) => type.trim()),
                        ) as ActionType[],
                      }
                    : {}),
                };
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
              ...(shadow !== undefined ? { shadow } : {}),
            },
            actor(),
            context.now(),
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
        if (!(await store.policy.deleteGroup(kind, name, actor(), context.now())))
          throw new AutoirError('AUTOIR_E_NOT_FOUND', `no ${kind} group ${name}`);
        print(`removed ${kind} group ${name}\n`);
      });
    });
}
