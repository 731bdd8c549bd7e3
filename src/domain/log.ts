/**
 * The log port: how the long-running parts (the worker loop, inputs, the executor and its connectors, the report
 * mailbox) say what they do. They are handed a `Log`; app/log.ts writes its lines (JSON or text, with the process's
 * role and pid). The domain's own rules never log: this file only names the port.
 */

/** Levels, most severe first. */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof logLevels)[number];

/**
 * What a line is about, as fields: `input`, `investigation`, `action`, `connector`, counts, and `err` (an Error or
 * its message: logged as its type, message and code). Never a credential, a token or a password.
 */
export type LogFields = Readonly<Record<string, unknown>>;

export type LogLine = (message: string, fields?: LogFields) => void;

export interface Log {
  readonly fatal: LogLine;
  readonly error: LogLine;
  readonly warn: LogLine;
  readonly info: LogLine;
  readonly debug: LogLine;
  readonly trace: LogLine;
  /** A log whose every line carries `fields` too. */
  child(fields: LogFields): Log;
}

/** A log whose lines of every level go to `write`, and whose children are made by `child`. */
export function logOf(
  write: (level: LogLevel, message: string, fields?: LogFields) => void,
  child: (fields: LogFields) => Log,
): Log {
  const line =
    (level: LogLevel): LogLine =>
    (message, fields) =>
      write(level, message, fields);
  return {
    fatal: line('fatal'),
    error: line('error'),
    warn: line('warn'),
    info: line('info'),
    debug: line('debug'),
    trace: line('trace'),
    child,
  };
}

/** A log that writes nothing (tests, and the commands that print their own summary). */
export const silentLog: Log = logOf(
  () => undefined,
  () => silentLog,
);
