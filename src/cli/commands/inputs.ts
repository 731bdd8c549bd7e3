/**
 * The configured inputs from the command line: `inputs list` — each input's state, the process running it, its
 * lag and its counters, as the process running it last reported them (docs/inputs.md).
 */
import type { Command } from 'commander';
import { listInputs } from '../../ingest/inputs.js';
import type { CliContext } from '../context.js';
import { table } from '../io.js';

export function registerInputCommands(program: Command, context: CliContext): void {
  const { print, printJson, withServices } = context;
  const inputs = program
    .command('inputs')
    .description(
      'Followed files and syslog receivers run by `autoir serve` / `autoir worker` (AUTOIR_INPUTS)',
    );
  inputs
    .command('list')
    .description('Each input: state, where it reads, the process running it, lag, counters')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const items = await withServices(command, async (services) =>
        listInputs(await services.store.inputs.list(), services.inputs(), new Date()),
      );
      if (options.json) {
        printJson({ items });
        return;
      }
      const count = (value: unknown) => (typeof value === 'number' ? String(value) : '-');
      print(
        items.length === 0
          ? 'no inputs: configure them in the file AUTOIR_INPUTS names (docs/inputs.md)\n'
          : table(
              ['INPUT', 'KIND', 'STATE', 'LAG', 'EVENTS', 'ALERTS', 'ERRORS', 'SINCE', 'READS / WHY'],
              items.map((item) => [
                item.name,
                item.kind,
                item.state,
                item.lagSeconds === null ? '-' : `${item.lagSeconds.toFixed(1)}s`,
                count(item.stats.events),
                count(item.stats.alerts),
                count(item.stats.errors),
                item.startedAt ?? '-',
                item.detail ?? '-',
              ]),
            ),
      );
    });
}
