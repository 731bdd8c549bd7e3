/** The CLI run in-process against a test store's environment, its output captured. */
import { Readable } from 'node:stream';
import { runCli } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  json<T = unknown>(): T;
}

export async function runCliWith(
  env: Readonly<Record<string, string | undefined>>,
  args: string[],
  stdin: string | Buffer = '',
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from([Buffer.from(stdin)]),
    env: { ...env },
  });
  return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
}
