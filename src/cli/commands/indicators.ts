/**
 * Allow and block indicators from the command line: `indicators add|list|remove`.
 */
import { Option, type Command } from 'commander';
import { severities, type Severity } from '../../domain/alert.js';
import { entityTypeOfKey, normalizeEntityKey } from '../../domain/entity.js';
import { AutoirError } from '../../domain/errors.js';
import { indicatorActions, type IndicatorAction, type IndicatorDraft } from '../../domain/indicator.js';
import { durationMs } from '../../domain/duration.js';
import { limitParser, table, truncate } from '../io.js';
import type { CliContext } from '../context.js';

const parseLimit = limitParser(1000);

export function registerIndicatorCommands(program: Command, context: CliContext): void {
  const { print, printJson, withStore } = context;
  const author = () => context.env.USER ?? context.env.USERNAME ?? 'analyst';

  const indicators = program
    .command('indicators')
    .description('Allow and block indicators (file hashes, IPs, domains, URLs, senders)');

  indicators
    .command('add')
    .description('Add an allow or block indicator')
    .argument('<action>', 'allow or block')
    .argument('<key>', 'entity key: file:sha256:…, ip:…, domain:…, url:…, mailbox:…')
    .option('--title <text>', 'a short title')
    .option('--description <text>', 'why')
    .addOption(new Option('--severity <severity>', 'severity').choices(severities))
    .option('--expires <duration>', 'expire after this long (e.g. 30d)')
    .option('--author <name>', 'who adds it (default: $USER)')
    .option('--json', 'print JSON')
    .action(
      async (
        action: string,
        key: string,
        options: Record<string, string | boolean | undefined>,
        command: Command,
      ) => {
        if (!(indicatorActions as readonly string[]).includes(action))
          throw new AutoirError('AUTOIR_E_BAD_USAGE', `action must be allow or block, got ${action}`);
        const entityKey = normalizeEntityKey(key);
        const type = entityTypeOfKey(entityKey);
        if (!type || !['file', 'ip', 'domain', 'url', 'mailbox'].includes(type))
          throw new AutoirError(
            'AUTOIR_E_BAD_USAGE',
            `${key} is not a file hash, IP, domain, URL or mailbox key`,
          );
        const expiresIn = typeof options.expires === 'string' ? durationMs(options.expires) : undefined;
        if (typeof options.expires === 'string' && expiresIn === undefined)
          throw new AutoirError('AUTOIR_E_BAD_USAGE', `--expires: not a duration: ${options.expires}`);
        const draft: IndicatorDraft = {
          entityKey,
          action: action as IndicatorAction,
          source: 'manual',
          ...(typeof options.title === 'string' ? { title: options.title } : {}),
          ...(typeof options.description === 'string' ? { description: options.description } : {}),
          ...(typeof options.severity === 'string' ? { severity: options.severity as Severity } : {}),
          ...(expiresIn !== undefined ? { expiresAt: context.now().getTime() + expiresIn } : {}),
        };
        const [stored] = await withStore(command, (store) =>
          store.investigations.addIndicators(
            [draft],
            typeof options.author === 'string' ? options.author : author(),
            context.now(),
          ),
        );
        if (options.json) printJson(stored);
        else print(`${stored?.id} ${action} ${entityKey}\n`);
      },
    );

  indicators
    .command('list')
    .description('Indicators, newest first')
    .addOption(new Option('--action <action>', 'only allow or block').choices(indicatorActions))
    .option('--key <key>', 'on this entity key')
    .option('--source <source>', 'from this source (manual, stix, misp)')
    .option('--limit <n>', 'how many (1–1000)', parseLimit, 50)
    .option('--cursor <cursor>', 'continue after a previous page')
    .option('--json', 'print a JSON array')
    .action(async (options: Record<string, string | number | boolean | undefined>, command: Command) => {
      const page = await withStore(command, (store) =>
        store.investigations.listIndicators(
          {
            ...(typeof options.action === 'string' ? { action: options.action as IndicatorAction } : {}),
            ...(typeof options.key === 'string' ? { entityKey: normalizeEntityKey(options.key) } : {}),
            ...(typeof options.source === 'string' ? { source: options.source } : {}),
          },
          {
            limit: options.limit as number,
            ...(typeof options.cursor === 'string' ? { cursor: options.cursor } : {}),
          },
        ),
      );
      if (options.json) return printJson(page.items);
      if (page.items.length === 0) return print('no indicators\n');
      print(
        table(
          ['ID', 'ACTION', 'KEY', 'SOURCE', 'EXPIRES', 'TITLE'],
          page.items.map((item) => [
            item.id,
            item.action,
            truncate(item.entityKey, 80),
            item.source,
            item.expiresAt ?? '-',
            truncate(item.title ?? '', 40),
          ]),
        ),
      );
    });

  indicators
    .command('remove')
    .description('Remove an indicator')
    .argument('<id>', 'indicator id (ind_…)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const removed = await withStore(command, (store) => store.investigations.removeIndicator(id));
      if (!removed) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no indicator ${id}`);
      print(`removed ${id}\n`);
    });
}
