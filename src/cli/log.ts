/**
 * The log of the long-running commands (`serve`, `worker`): their `--log-level` and `--log-format` options, the
 * process log they open on standard error (app/log.ts), and what becomes of the error that stops them.
 */
import { Option, type Command } from 'commander';
import { createProcessLog, defaultLogFormat, logFormats, type LogFormat, type LogRole } from '../app/log.js';
import type { ProcessLog } from '../app/log.js';
import { logLevels, type LogLevel } from '../domain/log.js';
import type { CliContext } from './context.js';

export interface LogCommandOptions {
  readonly logLevel?: LogLevel;
  readonly logFormat?: LogFormat;
}

/** Add `--log-level` and `--log-format` to a long-running command. */
export function addLogOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--log-level <level>',
        'the least severe lines logged (default: $AUTOIR_LOG_LEVEL, or info)',
      ).choices(logLevels),
    )
    .addOption(
      new Option(
        '--log-format <format>',
        'json (a JSON object a line), or text for people (default: $AUTOIR_LOG_FORMAT; text on a terminal, else json)',
      ).choices(logFormats),
    );
}

/** The process log of a long-running command: its options over the settings, on standard error. */
export function openProcessLog(
  context: CliContext,
  command: Command,
  role: LogRole,
  options: LogCommandOptions,
  defaults: { readonly format?: LogFormat } = {},
): ProcessLog {
  const settings = context.settings(command).log;
  return createProcessLog(
    {
      level: options.logLevel ?? settings.level ?? 'info',
      format: options.logFormat ?? settings.format ?? defaults.format ?? defaultLogFormat(context.io.stderr),
      role,
    },
    context.io.stderr,
  );
}

const logged = new WeakSet<object>();

/**
 * Run a long-running command's work. The error that stops it is logged as a fatal line when the log is JSON (a
 * plain `autoir: …` line would break the stream), and the CLI prints nothing more for it (`wasLogged`); in text,
 * it is printed as any command's error is.
 */
export async function runLogged<T>(processLog: ProcessLog, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (processLog.format === 'json' && error instanceof Error) {
      processLog.log.fatal('stopped by an error', { err: error });
      logged.add(error);
    }
    throw error;
  }
}

/** Whether `error` was logged already (runLogged). */
export function wasLogged(error: unknown): boolean {
  return error instanceof Error && logged.has(error);
}
