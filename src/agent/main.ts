/**
 * `autoir agent` as a process: the options, the signals, the exit code. `bin` starts it directly — without
 * loading the rest of autoir (the store, the server, the stages) — so that an idle agent stays small.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { packageVersion } from '../version.js';
import { runAgent, serverProblem } from './agent.js';

export interface AgentCommandOptions {
  readonly server: string;
  readonly state: string;
  readonly enroll?: string;
  readonly ca?: string;
}

/** Run the agent until SIGTERM or SIGINT; the exit code (2: bad usage or refused, 0: stopped). */
export async function runAgentCommand(
  options: AgentCommandOptions,
  stderr: { write(text: string): unknown },
): Promise<number> {
  const problem = serverProblem(options.server);
  if (problem) {
    stderr.write(`autoir agent: --server: ${problem}\n`);
    return 2;
  }
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
      log: (line) => stderr.write(`${new Date().toISOString()} ${line}\n`),
    });
    return 0;
  } catch (error) {
    stderr.write(`autoir agent: ${(error as Error).message}\n`);
    return 2;
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}

/** `autoir agent …` from the command line (the arguments after `agent`). */
export async function agentMain(argv: readonly string[]): Promise<number> {
  let values: Partial<Record<'server' | 'state' | 'enroll' | 'ca', string>>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        server: { type: 'string' },
        state: { type: 'string' },
        enroll: { type: 'string' },
        ca: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    process.stderr.write(`autoir agent: ${(error as Error).message} (autoir agent --help)\n`);
    return 2;
  }
  if (!values.server || !values.state) {
    process.stderr.write('autoir agent: --server URL and --state DIR are required (autoir agent --help)\n');
    return 2;
  }
  return runAgentCommand(
    {
      server: values.server,
      state: values.state,
      ...(values.enroll ? { enroll: values.enroll } : {}),
      ...(values.ca ? { ca: values.ca } : {}),
    },
    process.stderr,
  );
}
