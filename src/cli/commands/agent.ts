/**
 * `autoir agent`: the host agent, run as root on the host it protects (docs/agent.md). It runs until SIGTERM or
 * SIGINT.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { runAgent, serverProblem } from '../../agent/agent.js';
import { AutoirError } from '../../domain/errors.js';
import { packageVersion } from '../../version.js';
import type { CliContext } from '../context.js';

export function registerAgentCommand(program: Command, context: CliContext): void {
  program
    .command('agent')
    .description('Run the host agent: enroll once, then carry out the actions the server hands this host')
    .requiredOption('--server <url>', 'the autoir server (https://…; http:// on loopback only)')
    .requiredOption('--state <dir>', 'a root-only directory for the credential, journal and quarantine')
    .option('--enroll <token>', 'a one-time enrollment token (first start only)')
    .option('--ca <file>', 'a CA or the server certificate to trust (PEM)')
    .action(async (options: { server: string; state: string; enroll?: string; ca?: string }) => {
      const problem = serverProblem(options.server);
      if (problem) throw new AutoirError('AUTOIR_E_BAD_USAGE', `--server: ${problem}`);
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      try {
        await runAgent({
          server: options.server,
          stateDir: path.resolve(options.state),
          ...(options.enroll ? { enrollToken: options.enroll } : {}),
          ...(options.ca ? { ca: readFileSync(options.ca, 'utf8') } : {}),
          version: packageVersion(),
          signal: controller.signal,
          log: (line) => context.io.stderr.write(`${new Date().toISOString()} ${line}\n`),
        });
      } catch (error) {
        throw new AutoirError('AUTOIR_E_BAD_USAGE', (error as Error).message);
      } finally {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
      }
    });
}
