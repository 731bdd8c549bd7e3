/**
 * Connectors from the command line: `connectors list|add|remove`.
 */
import type { Command } from 'commander';
import { loadConnectorFile, parseConnectorConfig, redactConnector } from '../../connectors/config.js';
import { storedConnectorProblem, testConnector } from '../../app/connectors.js';
import { clearSecretFields, storableConnector } from '../../app/stored-secrets.js';
import { AutoirError } from '../../domain/errors.js';
import { table } from '../io.js';
import type { CliContext } from '../context.js';

export function registerConnectorCommands(program: Command, context: CliContext): void {
  const { print, printJson, withServices, withStore } = context;
  const actor = () => `cli:${context.env.USER ?? context.env.USERNAME ?? 'unknown'}`;

  const connectors = program
    .command('connectors')
    .description('Connectors that carry out actions (docs/connectors.md)');
  connectors
    .command('list')
    .option('--json', 'print JSON (secrets shown as ***)')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const stored = (await store.policy.listConnectors()).map((row) => {
          const clear = clearSecretFields(row);
          const problem =
            storedConnectorProblem(row) ??
            (clear.length > 0
              ? `${clear.join(', ')} stored in the clear (sealed when a server or worker starts with a key)`
              : undefined);
          return {
            ...redactConnector(parseConnectorConfig(row.config, `stored connector ${row.name}`)),
            origin: `store (${row.definedOn})`,
            ...(problem === undefined ? {} : { problem }),
          };
        });
        const file = context.env.AUTOIR_CONNECTORS
          ? loadConnectorFile(context.env.AUTOIR_CONNECTORS).map(redactConnector)
          : [];
        const all: (ReturnType<typeof redactConnector> & { origin: string; problem?: string })[] = [
          ...file.map((c) => ({ ...c, origin: 'file' })),
          ...stored,
        ];
        if (options.json) printJson(all);
        else {
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
          for (const c of all) if (c.problem) print(`\n${c.name}: ${c.problem}\n`);
        }
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
      await withServices(command, async ({ store, secrets }) => {
        for (const config of configs)
          await store.policy.putConnector(
            {
              name: config.name,
              config: storableConnector(config, secrets(), 'host') as unknown as Record<string, unknown>,
              definedOn: 'host',
            },
            actor(),
            context.now(),
            (c) => redactConnector(c as unknown as Parameters<typeof redactConnector>[0]),
          );
        print(`stored ${configs.map((c) => c.name).join(', ')}\n`);
      });
    });
  connectors
    .command('test')
    .description(
      'Check a connector: its system answers, autoir is authenticated, and it has the rights its actions need (exit code 1 when not)',
    )
    .argument('<name>')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      await withServices(command, async (services) => {
        const stored = (await services.store.policy.listConnectors()).find((row) => row.name === name);
        const config = stored
          ? parseConnectorConfig(stored.config, `stored connector ${name}`)
          : context.env.AUTOIR_CONNECTORS
            ? loadConnectorFile(context.env.AUTOIR_CONNECTORS).find((item) => item.name === name)
            : undefined;
        if (!config)
          throw new AutoirError(
            'AUTOIR_E_NOT_FOUND',
            `no connector ${name} (stored, or in AUTOIR_CONNECTORS)`,
          );
        const box = services.secrets();
        const result = await testConnector(config, { outbound: services.outbound, ...(box ? { box } : {}) });
        if (options.json) printJson(result);
        else {
          const mark = (value: boolean | null) => (value === null ? '?' : value ? 'yes' : 'NO');
          print(
            `${result.name} (${result.kind}): ${result.ok ? 'ok' : 'NOT OK'}\n` +
              `  reachable: ${mark(result.reachable)}  authenticated: ${mark(result.authenticated)}  permitted: ${mark(result.permitted)}\n` +
              `  ${result.message}\n`,
          );
        }
        if (!result.ok) context.setExitCode(1);
      });
    });
  connectors
    .command('remove')
    .argument('<name>')
    .action(async (name: string, _options: unknown, command: Command) => {
      await withStore(command, async (store) => {
        if (!(await store.policy.deleteConnector(name, actor(), context.now())))
          throw new AutoirError('AUTOIR_E_NOT_FOUND', `no stored connector ${name}`);
        print(`removed connector ${name}\n`);
      });
    });
}
