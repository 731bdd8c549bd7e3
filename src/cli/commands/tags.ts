/**
 * Asset tags from the command line: `tags add|remove|list`.
 */
import type { Command } from 'commander';
import { AutoirError } from '../../domain/errors.js';
import { table } from '../io.js';
import type { CliContext } from '../context.js';

export function registerTagCommands(program: Command, context: CliContext): void {
  const { print, printJson, withStore } = context;
  const actor = () => `cli:${context.env.USER ?? context.env.USERNAME ?? 'unknown'}`;

  const tags = program
    .command('tags')
    .description('Tags on devices, users and mailboxes (group rules, protected tags)');
  tags
    .command('add')
    .argument('<key>', 'entity key, e.g. device:dc01.example.com')
    .argument('<tag>')
    .action(async (key: string, tag: string, _options: unknown, command: Command) => {
      await withStore(command, async (store) => {
        await store.policy.addTag(key, tag, actor(), context.now());
        print(`tagged ${key} ${tag}\n`);
      });
    });
  tags
    .command('remove')
    .argument('<key>')
    .argument('<tag>')
    .action(async (key: string, tag: string, _options: unknown, command: Command) => {
      await withStore(command, async (store) => {
        if (!(await store.policy.removeTag(key, tag, actor(), context.now())))
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
}
