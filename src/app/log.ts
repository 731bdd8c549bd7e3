/**
 * The log of a long-running process (`autoir serve`, `autoir worker`): one pino logger, one stream (standard error),
 * shared by the HTTP server's request log and the log port (domain/log.ts) handed to the worker, the inputs, the
 * executor and its connectors, the report mailbox.
 *
 * - `json`: one JSON object a line — `level` (fatal, error, warn, info, debug, trace), `time` (ISO 8601), `role`
 *   (serve or worker), `pid`, `hostname`, `msg`, and the line's fields (`input`, `investigation`, `action`,
 *   `connector`, `err: { type, message, code, stack }`…).
 * - `text`: the same line for a person: `time LEVEL message key=value…`.
 *
 * Credentials never reach it: the request log has no headers, and fields named like credentials are censored.
 */
import { hostname } from 'node:os';
import { pino, type Logger } from 'pino';
import { logLevels, logOf, type Log, type LogLevel } from '../domain/log.js';

export const logFormats = ['json', 'text'] as const;
export type LogFormat = (typeof logFormats)[number];

/** What the process is, in every line: the command that runs it. */
export type LogRole = 'serve' | 'worker';

export interface LogOptions {
  readonly level: LogLevel;
  readonly format: LogFormat;
  readonly role: LogRole;
}

export interface ProcessLog {
  readonly log: Log;
  /** The same logger, for the HTTP server (fastify's `loggerInstance`). */
  readonly pino: Logger;
  readonly level: LogLevel;
  readonly format: LogFormat;
}

export interface LogDestination {
  write(text: string): unknown;
}

/** Text on a terminal, JSON otherwise (journald, a container's log, a file). */
export function defaultLogFormat(stream: { readonly isTTY?: boolean }): LogFormat {
  return stream.isTTY ? 'text' : 'json';
}

/** The process's log, writing to `destination` (standard error). */
export function createProcessLog(options: LogOptions, destination: LogDestination): ProcessLog {
  const stream: LogDestination =
    options.format === 'json'
      ? destination
      : {
          write: (chunk: string) => {
            for (const line of chunk.split('\n'))
              if (line !== '')
                destination.write(`${textLine(JSON.parse(line) as Record<string, unknown>)}\n`);
          },
        };
  const logger = pino(
    {
      level: options.level,
      base: { role: options.role, pid: process.pid, hostname: hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: serializeError },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
          'password',
          'token',
          'secret',
        ],
        censor: '***',
      },
    },
    stream,
  );
  return { log: fromPino(logger), pino: logger, level: options.level, format: options.format };
}

/** The log port over a pino logger. */
function fromPino(logger: Logger): Log {
  return logOf(
    (level, message, fields) => (fields ? logger[level](fields, message) : logger[level](message)),
    (fields) => fromPino(logger.child(fields)),
  );
}

/**
 * The log of the commands that are not services (`run`, `demo`, …): warnings and errors as `autoir: message` lines
 * (what they always printed), the rest dropped.
 */
export function plainLog(destination: LogDestination): Log {
  const write = (message: string) => void destination.write(`autoir: ${message}\n`);
  const nothing = () => undefined;
  const log: Log = {
    fatal: write,
    error: write,
    warn: write,
    info: nothing,
    debug: nothing,
    trace: nothing,
    child: () => log,
  };
  return log;
}

/** An error as a field: its type, message, code and stack (a message given as text stays text). */
export function serializeError(value: unknown): unknown {
  if (typeof value === 'string') return { message: value };
  if (!(value instanceof Error)) return value;
  const code = (value as { code?: unknown }).code;
  // A connection refused on every address of a name is an AggregateError with no message of its own.
  const message =
    value.message ||
    (value instanceof AggregateError
      ? value.errors.map((inner) => (inner instanceof Error ? inner.message : String(inner))).join('; ')
      : '') ||
    String(code ?? value.name);
  return {
    type: value.constructor.name,
    message,
    ...(code === undefined || code === null ? {} : { code: String(code) }),
    ...(value.stack ? { stack: value.stack } : {}),
  };
}

const hidden = new Set(['time', 'level', 'msg', 'pid', 'hostname', 'role']);

/** One JSON line as text: `2025-06-01T10:00:00.000Z WARN  message key=value err="…"`. */
export function textLine(record: Readonly<Record<string, unknown>>): string {
  const level = typeof record.level === 'string' ? record.level.toUpperCase() : String(record.level);
  const fields: string[] = [];
  for (const [key, value] of Object.entries(record))
    if (!hidden.has(key)) fields.push(...textFields(key, value));
  const time = typeof record.time === 'string' ? record.time : new Date().toISOString();
  return [`${time} ${level.padEnd(5)} ${String(record.msg ?? '')}`, ...fields].join(' ');
}

function textFields(key: string, value: unknown): string[] {
  if (key === 'err' && value !== null && typeof value === 'object') {
    const error = value as { message?: unknown; code?: unknown };
    return [
      `err=${textValue(error.message ?? '')}`,
      ...(error.code === undefined ? [] : [`err.code=${textValue(error.code)}`]),
    ];
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return Object.entries(value).flatMap(([inner, item]) => textFields(`${key}.${inner}`, item));
  return [`${key}=${textValue(value)}`];
}

function textValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value === undefined) return '';
  return JSON.stringify(value) ?? String(value);
}

/** Whether `text` names a level. */
export function isLogLevel(text: string): text is LogLevel {
  return (logLevels as readonly string[]).includes(text);
}

/** Whether `text` names a format. */
export function isLogFormat(text: string): text is LogFormat {
  return (logFormats as readonly string[]).includes(text);
}
