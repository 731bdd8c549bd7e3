/**
 * `autoir agent`: the host agent, run as root on the host it protects (docs/agent.md). `bin` runs it without
 * loading the rest of the CLI (agent/main.ts); this module gives it its place in `autoir --help` and docs/cli.md.
 */
import type { Command } from 'commander';
import { runAgentCommand, type AgentCommandOptions } from '../../agent/main.js';
import type { CliContext } from '../context.js';

export function registerAgentCommand(program: Command, context: CliContext): void {
  program
    .command('agent')
    .description('Run the host agent: enroll once, then carry out the actions the server hands this host')
    .requiredOption('--server <url>', 'the autoir server (https://…; http:// on loopback only)')
    .requiredOption('--state <dir>', 'a root-only directory for the credential, journal and quarantine')
    .option('--enroll <token>', 'a one-time enrollment token (first start only)')
    .option('--ca <file>', 'a CA or the server certificate to trust (PEM)')
    .action(async (options: AgentCommandOptions) => {
      const code = await runAgentCommand(options, context.io.stderr);
      if (code !== 0) process.exitCode = code;
    });
}
