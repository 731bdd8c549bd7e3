/**
 * What every command module is handed: output, the time, the exit code, and the services (app/services.ts) built
 * from the settings (`AUTOIR_*`, `--data`) — opened per command, closed when it ends.
 */
import type { Command } from 'commander';
import { readSettings, type Settings } from '../app/config.js';
import { openServices, type ServiceOptions, type Services } from '../app/services.js';
import { plainLog } from '../app/log.js';
import type { Store } from '../store/ports.js';
import type { CliIo } from './io.js';
import { invokedAs } from './self.js';

export interface CliContext {
  readonly io: CliIo;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly print: (text: string) => void;
  readonly printJson: (value: unknown) => void;
  readonly printErr: (text: string) => void;
  readonly now: () => Date;
  readonly setExitCode: (code: number) => void;
  /** autoir as the person at the terminal runs it (`autoir`, `npx autoir`, `node bin/autoir.js`), for hints. */
  readonly self: string;
  /** The settings, with the command's global options (`--data`). */
  settings(command: Command): Settings;
  /**
   * Run `work` on the services, closed after it. Their log is the one given (`serve`, `worker`), or warnings as
   * `autoir: …` lines on standard error.
   */
  withServices<T>(
    command: Command,
    work: (services: Services) => Promise<T>,
    options?: ServiceOptions,
  ): Promise<T>;
  /** Run `work` on the store, closed after it. */
  withStore<T>(command: Command, work: (store: Store) => Promise<T>): Promise<T>;
}

export function createCliContext(io: CliIo, setExitCode: (code: number) => void): CliContext {
  const settings = (command: Command) =>
    readSettings(io.env, { dataDir: command.optsWithGlobals<{ data?: string }>().data });
  const withServices = async <T>(
    command: Command,
    work: (services: Services) => Promise<T>,
    options: ServiceOptions = {},
  ): Promise<T> => {
    const services = await openServices(settings(command), { log: options.log ?? plainLog(io.stderr) });
    try {
      return await work(services);
    } finally {
      await services.close();
    }
  };
  return {
    io,
    env: io.env,
    print: (text) => io.stdout.write(text),
    printJson: (value) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    printErr: (text) => io.stderr.write(text),
    now: () => new Date(),
    setExitCode,
    // In-process callers (tests) run another script: no path of theirs belongs in a hint.
    self: invokedAs(
      io.env,
      /autoir(\.js)?$/.test(process.argv[1] ?? '') ? process.argv[1] : undefined,
      process.cwd(),
    ),
    settings,
    withServices,
    withStore: (command, work) => withServices(command, (services) => work(services.store)),
  };
}
