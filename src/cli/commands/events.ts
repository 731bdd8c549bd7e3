/** `autoir events search|show|prune`: the telemetry events store from the command line. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { durationMs } from '../../domain/duration.js';
import { AutoirError } from '../../domain/errors.js';
import { eventKinds } from '../../domain/event.js';
import { collect, limitParser, table, truncate } from '../io.js';
import type { EventRecord } from '../../domain/event.js';
import { eventFilterFrom } from '../../investigate/event-filter.js';
import type { CliContext } from '../context.js';

type Options = Record<string, string | number | boolean | undefined>;

export function registerEventCommands(program: Command, helpers: CliContext): void {
  const { withStore, print, printJson } = helpers;
  const events = program.command('events').description('Search and manage stored telemetry events');

  events
    .command('search')
    .description('Find events, newest first (every option given must match)')
    .option('--device <key>', 'on this device (device:… key or host name; short names match the FQDN)')
    .option('--user <key>', 'naming this user (user:domain\\name, UPN or SID)')
    .option('--sha256 <hash>', 'naming a file with this SHA-256')
    .option('--hash <hash>', 'naming a file with this SHA-256, SHA-1 or MD5')
    .option('--ip <address>', 'naming this IP address (source or destination)')
    .option('--domain <name>', 'naming this domain')
    .option('--url <url>', 'naming this URL')
    .option('--entity <key>', 'naming this entity key (repeat for several)', collect, [])
    .option('--process <key>', 'done by this process (process:… key)')
    .option('--kind <list>', `only these kinds (comma-separated: ${eventKinds.join(', ')})`)
    .option('--since <time>', 'event time from (ISO 8601)')
    .option('--until <time>', 'event time until (ISO 8601)')
    .option('--limit <n>', 'how many (1–10000)', parseLimit, 50)
    .option('--cursor <cursor>', 'continue after a previous page')
    .addOption(
      new Option('--order <order>', 'newest or oldest first').choices(['desc', 'asc']).default('desc'),
    )
    .option('--json', 'print a JSON array of events')
    .action(async (options: Options, command: Command) => {
      const filter = eventFilterFrom(
        { ...(options as Record<string, string | undefined>), entity: options.entity as unknown as string[] },
        { field: (term) => `--${term}`, code: 'AUTOIR_E_BAD_USAGE' },
      );
      const page = await withStore(command, (store) =>
        store.events.searchEvents(filter, {
          limit: options.limit as number,
          cursor: options.cursor as string | undefined,
          order: options.order as 'asc' | 'desc',
        }),
      );
      if (options.json) {
        printJson(page.items);
        if (page.nextCursor) helpers.printErr(`more: --cursor ${page.nextCursor}\n`);
        return;
      }
      if (page.items.length === 0) {
        print('no events\n');
        return;
      }
      print(
        table(
          ['ID', 'TIME', 'KIND', 'DEVICE', 'WHAT'],
          page.items.map((event) => [
            event.id,
            event.time,
            event.kind,
            truncate(event.deviceKey?.slice('device:'.length) ?? '', 28),
            truncate(summarize(event), 90),
          ]),
        ),
      );
      if (page.nextCursor) print(`more: autoir events search … --cursor ${page.nextCursor}\n`);
    });

  events
    .command('show')
    .description('Show one event, with the record as it arrived')
    .argument('<id>', 'event id (evt_…)')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const [event, raw] = await withStore(
        command,
        async (store) => [await store.events.getEvent(id), await store.events.getEventRaw(id)] as const,
      );
      if (!event) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no event ${id}`);
      if (options.json) {
        printJson({ ...event, raw: parseMaybeJson(raw) });
        return;
      }
      for (const [name, value] of Object.entries(event)) {
        if (name === 'keys') continue;
        print(`  ${name.padEnd(18)} ${Array.isArray(value) ? value.join(', ') : String(value)}\n`);
      }
      print(`\nEntities:\n${event.keys.map((key) => `  ${key}`).join('\n')}\n`);
      if (raw !== undefined) print(`\nRaw record:\n${formatRaw(raw)}\n`);
    });

  events
    .command('prune')
    .description('Delete events older than a duration (by event time)')
    .requiredOption('--older-than <duration>', 'e.g. 30d, 12h, 90m, 2w', parseDuration)
    .option('--json', 'print JSON { deleted, before }')
    .action(async (options: { olderThan: number; json?: boolean }, command: Command) => {
      const before = new Date(helpers.now().getTime() - options.olderThan);
      const deleted = await withStore(command, (store) => store.events.pruneEvents(before));
      if (options.json) printJson({ deleted, before: before.toISOString() });
      else print(`deleted ${deleted} event${deleted === 1 ? '' : 's'} older than ${before.toISOString()}\n`);
    });
}

const parseLimit = limitParser(10_000);

/** `30d` → milliseconds, for commander. */
export function parseDuration(value: string): number {
  const ms = durationMs(value);
  if (ms === undefined)
    throw new InvalidArgumentError(
      `expected a duration like 30d, 12h, 90m or 2w, got ${JSON.stringify(value)}`,
    );
  return ms;
}

/** One line saying what happened. */
function summarize(event: EventRecord): string {
  const image = event.imagePath ? baseName(event.imagePath) : undefined;
  const network =
    event.dstIp || event.srcIp
      ? `${event.srcIp ?? '?'}${event.srcPort !== undefined ? `:${event.srcPort}` : ''} → ${event.dstIp ?? '?'}${event.dstPort !== undefined ? `:${event.dstPort}` : ''}`
      : undefined;
  const parts = [
    image,
    event.commandLine && event.kind === 'processStart' ? event.commandLine : undefined,
    event.targetPath,
    event.registryPath,
    network,
    event.domain,
    event.url,
    event.mailSubject,
    event.userKey,
  ].filter((part): part is string => Boolean(part));
  return parts.join('  ');
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1);
}

function parseMaybeJson(raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function formatRaw(raw: string): string {
  const value = parseMaybeJson(raw);
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}
