/**
 * The `autoir` command. It works directly on the local store (no token needed): SQLite in `--data DIR`,
 * `AUTOIR_DATA` or `./autoir-data`, or PostgreSQL when `AUTOIR_DATABASE_URL` is set. One module per resource
 * (commands/), each handed the same context (context.ts).
 *
 * Exit codes: 0 ok, 1 failure, 2 bad usage or bad input.
 */
import { Command, CommanderError } from 'commander';
import { exitCodeFor, formatLocation, isAutoirError } from '../domain/errors.js';
import { wasLogged } from './log.js';
import { packageVersion } from '../version.js';
import { registerActionCommands } from './commands/actions.js';
import { registerAlertCommands } from './commands/alerts.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerConnectorCommands } from './commands/connectors.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerEventCommands } from './commands/events.js';
import { registerGroupCommands } from './commands/groups.js';
import { registerIncidentCommands } from './commands/incidents.js';
import { registerIndicatorCommands } from './commands/indicators.js';
import { registerIngestCommand } from './commands/ingest.js';
import { registerIntelCommands } from './commands/intel.js';
import { registerInvestigationCommands } from './commands/investigations.js';
import { registerPolicyCommands } from './commands/policy.js';
import { registerRuleCommands } from './commands/rules.js';
import { registerServeCommand } from './commands/serve.js';
import { registerTagCommands } from './commands/tags.js';
import { registerTokenCommands } from './commands/tokens.js';
import { registerAgentCommands } from './commands/agents.js';
import { registerFeedCommands } from './commands/feeds.js';
import { registerReportCommands } from './commands/reports.js';
import { registerInputCommands } from './commands/inputs.js';
import { registerAgentCommand } from './commands/agent.js';
import { registerUserCommands } from './commands/users.js';
import { registerWorkCommands } from './commands/work.js';
import { createCliContext, type CliContext } from './context.js';
import type { CliIo } from './io.js';

/** Every command module, in the order `autoir --help` lists them. */
const commandModules: readonly ((program: Command, context: CliContext) => void)[] = [
  registerServeCommand,
  registerIngestCommand,
  registerInputCommands,
  registerAlertCommands,
  registerEventCommands,
  registerIncidentCommands,
  registerWorkCommands,
  registerInvestigationCommands,
  registerIndicatorCommands,
  registerIntelCommands,
  registerActionCommands,
  registerPolicyCommands,
  registerGroupCommands,
  registerTagCommands,
  registerConnectorCommands,
  registerAuditCommands,
  registerDemoCommand,
  registerRuleCommands,
  registerUserCommands,
  registerTokenCommands,
  registerAgentCommands,
  registerFeedCommands,
  registerReportCommands,
  registerAgentCommand,
];

/** CLI commands that write and are audited generically (command path as typed). */
const auditedCommands = new Set([
  'ingest',
  'alerts update',
  'incidents update',
  'investigations start',
  'investigations cancel',
  'investigations approve',
  'indicators add',
  'indicators remove',
  'intel import',
  'token create',
  'token revoke',
  'events prune',
  'demo',
]);

/** The `autoir` program with every command, writing to `io` (for running it, and for the CLI reference). */
export function createProgram(
  io: CliIo,
  setExitCode: (code: number) => void = () => undefined,
  /** Help text width; the terminal's when not given. */
  helpWidth?: number,
): Command {
  const program = new Command('autoir')
    .description('Automated investigation and response: alerts → incidents → verdicts → remediation actions.')
    .version(packageVersion(), '-V, --version')
    .option(
      '--data <dir>',
      'data directory of the embedded SQLite store (default: $AUTOIR_DATA or ./autoir-data)',
    )
    .showHelpAfterError('(run autoir --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  if (helpWidth !== undefined) program.configureHelp({ helpWidth });
  const context = createCliContext(io, setExitCode);
  for (const register of commandModules) register(program, context);
  // Writes of commands that do not audit themselves (the action center, policy, groups, tags and connectors write
  // their own entries, with before and after, in the write's transaction).
  program.hook('postAction', async (_program, action) => {
    const names: string[] = [];
    for (let command: Command | null = action; command && command !== program; command = command.parent)
      names.unshift(command.name());
    const operation = names.join(' ');
    if (!auditedCommands.has(operation)) return;
    await context.withStore(action, (store) =>
      store.audit.record(
        {
          actor: `cli:${io.env.USER ?? io.env.USERNAME ?? 'unknown'}`,
          operation: `cli.${names.join('.')}`,
          target: action.args.join(' ') || operation,
          after: action.opts(),
        },
        new Date(),
      ),
    );
  });
  return program;
}

/** Run the CLI with `argv` (without `node` and the script) and return the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = createProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      return error.exitCode === 0 ? 0 : 2;
    }
    // Logged already, as the fatal line of a JSON log (cli/log.ts).
    if (wasLogged(error)) return exitCodeFor(error);
    if (isAutoirError(error)) {
      const where = formatLocation(error.location);
      io.stderr.write(
        `autoir: ${where && !error.message.startsWith(where) ? `${where}: ` : ''}${error.message}\n`,
      );
      return exitCodeFor(error);
    }
    io.stderr.write(`autoir: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

/**
 * The command reference (docs/cli.md): every command's help, as `autoir … --help` prints it, generated from the
 * commands themselves.
 */
export function cliReference(io: CliIo): string {
  const sections: string[] = [];
  const visit = (command: Command, path: string[]) => {
    const name = [...path, command.name()].join(' ');
    if (command.commands.length === 0 || path.length === 0)
      sections.push(`## \`${name}\`\n\n\`\`\`text\n${command.helpInformation().trimEnd()}\n\`\`\`\n`);
    for (const sub of command.commands) visit(sub, [...path, command.name()]);
  };
  visit(
    createProgram(io, () => undefined, 110),
    [],
  );
  return [
    '# Command reference',
    '',
    'Generated from the commands themselves (`npm run docs:update`); the same text as `autoir COMMAND --help`.',
    'Exit codes: 0 ok, 1 failure, 2 bad usage or bad input. Settings (`AUTOIR_*`): [configuration.md](configuration.md).',
    '',
    ...sections,
  ].join('\n');
}
