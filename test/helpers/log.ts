/**
 * A log that keeps its lines (the log port, domain/log.ts), for tests of what the long-running parts say; and the
 * process log (app/log.ts) writing into a string, for tests of the lines as they are written.
 */
import { logOf, type Log, type LogFields, type LogLevel } from '../../src/domain/log.js';
import { createProcessLog, type LogFormat, type LogRole } from '../../src/app/log.js';

export interface RecordedLine {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A log whose lines (with the fields of its children) are kept in `lines`. */
export function recordingLog(): { log: Log; lines: RecordedLine[] } {
  const lines: RecordedLine[] = [];
  const make = (bound: LogFields): Log =>
    logOf(
      (level, message, fields) => void lines.push({ level, message, fields: { ...bound, ...fields } }),
      (fields) => make({ ...bound, ...fields }),
    );
  return { log: make({}), lines };
}

/** The process log writing into a string: `text()` is what it wrote, `json()` its lines parsed. */
export function capturedProcessLog(
  options: { level?: LogLevel; format?: LogFormat; role?: LogRole } = {},
): ReturnType<typeof createProcessLog> & { text(): string; json(): Record<string, unknown>[] } {
  let text = '';
  const processLog = createProcessLog(
    { level: options.level ?? 'info', format: options.format ?? 'json', role: options.role ?? 'worker' },
    { write: (chunk: string) => (text += chunk) },
  );
  return {
    ...processLog,
    text: () => text,
    json: () =>
      text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
