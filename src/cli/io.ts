import { InvalidArgumentError } from 'commander';
import type { Readable } from 'node:stream';

/** What a command may touch: passed in, so that tests run the CLI in-process with their own streams. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly stdin: Readable;
  readonly env: NodeJS.ProcessEnv;
  /**
   * Resolves when the process is asked to stop (SIGINT/SIGTERM). Only `serve` asks: other commands keep Node's
   * default, so Ctrl-C stops them at once.
   */
  readonly waitForStop?: () => Promise<void>;
}

export function processIo(): CliIo {
  const waitForStop = () =>
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    waitForStop,
  };
}

/** A plain-text table with columns padded to their widest cell. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

export function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** A commander option that may be given several times: each value is added to the list. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A commander parser for `--limit`: a whole number from 1 to `max`. */
export function limitParser(max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < 1 || number > max)
      throw new InvalidArgumentError(
        `limit must be a whole number from 1 to ${max}, got ${JSON.stringify(value)}`,
      );
    return number;
  };
}
