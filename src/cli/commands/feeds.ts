/**
 * Blocklist feeds from the command line: `feeds show` (what is served now), `feeds token create|list|revoke`
 * (read-only tokens for the firewalls and resolvers that fetch them). docs/connectors.md#feeds.
 */
import type { Command } from 'commander';
import { AutoirError } from '../../domain/errors.js';
import { activeBlocks, createFeedToken } from '../../respond/feeds.js';
import type { CliContext } from '../context.js';
import { table } from '../io.js';

export function registerFeedCommands(program: Command, context: CliContext): void {
  const { io, print, printJson, withStore } = context;
  const actor = () => `cli:${context.env.USER ?? context.env.USERNAME ?? 'unknown'}`;
  const feeds = program
    .command('feeds')
    .description('Blocklist feeds for firewalls and resolvers: entries, tokens');
  feeds
    .command('show')
    .description(
      'What /feeds/ip.txt, domain.txt, url.txt and rpz.zone serve now, with the action behind each',
    )
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const blocks = await withStore(command, (store) => activeBlocks(store, context.now()));
      if (options.json) printJson({ items: blocks });
      else
        print(
          blocks.length === 0
            ? 'nothing blocked\n'
            : table(
                ['FEED', 'ENTRY', 'ACTION', 'SINCE'],
                blocks.map((block) => [block.kind, block.value, block.actionId, block.since]),
              ),
        );
    });
  const token = feeds.command('token').description('Read-only tokens for fetching the feeds');
  token
    .command('create')
    .description('Create a feed token and print it (it is not shown again)')
    .option('--name <name>', 'who fetches with it', 'feed')
    .option('--json', 'print JSON')
    .action(async (options: { name: string; json?: boolean }, command: Command) => {
      const { token: value, record } = await withStore(command, (store) =>
        createFeedToken(store.feedTokens, options.name, actor(), context.now()),
      );
      if (options.json) {
        printJson({ token: value, ...record });
        return;
      }
      print(`${value}\n`);
      io.stderr.write(
        `feed token ${record.id}: fetch /feeds/ip.txt, /feeds/domain.txt, /feeds/url.txt or /feeds/rpz.zone with Authorization: Bearer TOKEN (or ?token=TOKEN)\n`,
      );
    });
  token
    .command('list')
    .description('List feed tokens (never their values)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const list = await withStore(command, (store) => store.feedTokens.list());
      if (options.json) printJson(list);
      else
        print(
          list.length === 0
            ? 'no feed tokens\n'
            : table(
                ['ID', 'NAME', 'CREATED', 'LAST USED', 'STATUS'],
                list.map((record) => [
                  record.id,
                  record.name,
                  record.createdAt,
                  record.lastUsedAt ?? '—',
                  record.revokedAt ? `revoked ${record.revokedAt}` : 'active',
                ]),
              ),
        );
    });
  token
    .command('revoke')
    .description('Revoke a feed token: the feeds refuse it from now on')
    .argument('<id>', 'feed token id (ftk_…)')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const revoked = await withStore(command, (store) =>
        store.feedTokens.revoke(id, actor(), context.now()),
      );
      if (!revoked) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no feed token ${id}`);
      if (options.json) printJson(revoked);
      else print(`revoked ${revoked.id} (${revoked.name})\n`);
    });
}
