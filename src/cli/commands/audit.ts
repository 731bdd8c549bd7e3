/**
 * The audit log from the command line: `audit list`.
 */
import type { Command } from 'commander';
import { limitParser, table, truncate } from '../io.js';
import type { CliContext } from '../context.js';

export function registerAuditCommands(program: Command, context: CliContext): void {
  const { print, printJson, withStore } = context;

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
