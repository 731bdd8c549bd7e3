/**
 * The command connector, in the manner of Wazuh active responses: runs a local executable for each action, with
 * the action as one JSON line on standard input. The only place that starts processes for actions;
 * docs/connectors.md is its user-facing description.
 *
 * The executable runs without a shell, in a process group of its own, with the environment
 * `{ PATH, ...settings.env, AUTOIR_ACTION_ID, AUTOIR_ACTION_TYPE, AUTOIR_IDEMPOTENCY_KEY }`. Its result is the
 * last non-empty line of its standard output when that is a JSON `{ status, message?, details?, retryable? }`;
 * otherwise its exit code: 0 → succeeded, 75 (EX_TEMPFAIL) → failed, retryable, 69 (EX_UNAVAILABLE) →
 * unreachable, anything else → failed. When `signal` aborts, the process group gets SIGTERM, then SIGKILL 2 s
 * later, and `run` rejects with an `AbortError`/`TimeoutError` (see ../abort.ts) once the process is gone.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import { abortError } from '../abort.js';
import { defineConnector } from '../connector.js';
import { type ActionOutcome, type ActionRequest, type Connector } from '../../respond/ports.js';

export const commandSettingsSchema = z
  .object({
    /** The executable, by absolute path (no shell, no PATH lookup). */
    command: z.string().refine((value) => path.isAbsolute(value), 'an absolute path to an executable'),
    args: z.array(z.string()).default([]),
    /** Extra environment; every value is a secret (redacted, `env:NAME` allowed). */
    env: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not an environment variable name'), z.string())
      .optional(),
    cwd: z
      .string()
      .refine((value) => path.isAbsolute(value), 'an absolute path')
      .optional(),
  })
  .strict();

export type CommandSettings = z.output<typeof commandSettingsSchema>;

/** Exit codes from sysexits.h that mean something to autoir. */
export const exitCodes = { tempFail: 75, unavailable: 69 } as const;

const maxStdoutBytes = 1024 * 1024;
const maxStderrBytes = 64 * 1024;
/** Between SIGTERM and SIGKILL. */
const killGraceMs = 2000;
/** After the process exits, how long its output may stay open (held by a child it left behind). */
const drainMs = 1000;
const maxMessageLength = 500;

/** The last `limit` bytes of a stream: the result line and the last error line are at the end. */
class Tail {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.chunks.length > 1 && this.size - (this.chunks[0] as Buffer).length >= this.limit) {
      this.size -= (this.chunks.shift() as Buffer).length;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
  }
}

function lastLine(text: string): string | undefined {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const line = lines.at(-1);
  return line !== undefined && line.length > maxMessageLength ? `${line.slice(0, maxMessageLength)}…` : line;
}

const resultLineSchema = z.object({
  status: z.enum(['succeeded', 'failed', 'accepted', 'unreachable']),
  message: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  retryable: z.boolean().optional(),
});

/** The result line, when the last non-empty line of standard output is one. */
function parseResultLine(stdout: string): z.output<typeof resultLineSchema> | undefined {
  const line = stdout
    .split(/\r?\n/)
    .map((text) => text.trim())
    .filter((text) => text !== '')
    .at(-1);
  if (line === undefined || !line.startsWith('{')) return undefined;
  try {
    const parsed = resultLineSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function describeExit(code: number | null, signalName: NodeJS.Signals | null): string {
  if (code === null) return `was killed by ${signalName ?? 'a signal'}`;
  if (code === exitCodes.tempFail) return `exited with code ${code} (EX_TEMPFAIL)`;
  if (code === exitCodes.unavailable) return `exited with code ${code} (EX_UNAVAILABLE)`;
  return `exited with code ${code}`;
}

/** What came of a finished process: its result line, else its exit code. */
export function commandOutcome(
  command: string,
  exit: { code: number | null; signal: NodeJS.Signals | null },
  stdout: string,
  stderr: string,
): ActionOutcome {
  const how = describeExit(exit.code, exit.signal);
  const errorLine = lastLine(stderr);
  const because = `${command} ${how}${errorLine === undefined ? '' : `: ${errorLine}`}`;
  const result = parseResultLine(stdout);
  if (result !== undefined) {
    const message = result.message;
    const details = result.details;
    switch (result.status) {
      case 'succeeded':
        return {
          status: 'succeeded',
          ...(message === undefined ? {} : { message }),
          ...(details === undefined ? {} : { details }),
        };
      case 'accepted':
        return { status: 'accepted', ...(message === undefined ? {} : { message }) };
      case 'failed':
        return {
          status: 'failed',
          retryable: result.retryable ?? false,
          message: message ?? because,
          ...(details === undefined ? {} : { details }),
        };
      case 'unreachable':
        return { status: 'unreachable', message: message ?? because };
    }
  }
  if (exit.code === 0) return { status: 'succeeded' };
  if (exit.code === exitCodes.tempFail) return { status: 'failed', retryable: true, message: because };
  if (exit.code === exitCodes.unavailable) return { status: 'unreachable', message: because };
  return { status: 'failed', retryable: false, message: because };
}

function createCommand(name: string, settings: CommandSettings, timeoutMs: number): Connector {
  const { command, args, cwd } = settings;

  function run(request: ActionRequest, signal: AbortSignal): Promise<ActionOutcome> {
    if (signal.aborted) return Promise.reject(abortError(signal));
    return new Promise<ActionOutcome>((resolve, reject) => {
      const env: Record<string, string> = {
        ...(process.env.PATH === undefined ? {} : { PATH: process.env.PATH }),
        ...settings.env,
        AUTOIR_ACTION_ID: request.id,
        AUTOIR_ACTION_TYPE: request.type,
        AUTOIR_IDEMPOTENCY_KEY: request.idempotencyKey,
      };
      let child: ChildProcessByStdio<Writable, Readable, Readable>;
      try {
        // detached: a process group of its own, so that an abort also stops whatever the command started.
        child = spawn(command, args, {
          cwd,
          env,
          stdio: ['pipe', 'pipe', 'pipe'],
          detached: true,
          shell: false,
          windowsHide: true,
        });
      } catch (error) {
        resolve({ status: 'failed', retryable: false, message: `cannot run ${command}: ${String(error)}` });
        return;
      }

      const stdout = new Tail(maxStdoutBytes);
      const stderr = new Tail(maxStderrBytes);
      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      let killed = false;
      let settled = false;
      const timers: NodeJS.Timeout[] = [];

      const killGroup = (signalName: NodeJS.Signals): void => {
        if (child.pid === undefined) return;
        try {
          process.kill(-child.pid, signalName);
        } catch {
          // ESRCH: the group is gone already.
        }
      };
      const closeOutput = (): void => {
        child.stdout.destroy();
        child.stderr.destroy();
      };
      /** Ends the attempt once: with the outcome, or with the abort error when we killed the process. */
      const settle = (outcome?: () => ActionOutcome): void => {
        if (settled) return;
        settled = true;
        for (const timer of timers) clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (killed || outcome === undefined) reject(abortError(signal));
        else resolve(outcome());
      };
      const onAbort = (): void => {
        // Finished already, only its output still open: the action ran, so report what it said.
        if (exit !== undefined) {
          closeOutput();
          return;
        }
        killed = true;
        killGroup('SIGTERM');
        timers.push(
          setTimeout(() => {
            killGroup('SIGKILL');
            // SIGKILL cannot be refused; this only guards against a process stuck in the kernel.
            timers.push(setTimeout(() => settle(), killGraceMs));
          }, killGraceMs),
        );
      };

      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      // EPIPE when the command exits without reading its input: not an error of ours.
      child.stdin.on('error', () => undefined);
      child.on('error', (error: NodeJS.ErrnoException) => {
        if (child.pid !== undefined) return; // a failed kill: the exit or close event still comes
        settle(() => ({
          status: 'failed',
          retryable: false,
          message: `cannot run ${command}: ${error.code ?? error.message}${cwd === undefined ? '' : ` (in ${cwd})`}`,
        }));
      });
      child.on('exit', (code, signalName) => {
        exit = { code, signal: signalName };
        timers.push(setTimeout(closeOutput, drainMs));
      });
      child.on('close', (code: number | null, signalName: NodeJS.Signals | null) => {
        const finished = exit ?? { code, signal: signalName };
        settle(() => commandOutcome(command, finished, stdout.text(), stderr.text()));
      });
      signal.addEventListener('abort', onAbort, { once: true });
      child.stdin.end(`${JSON.stringify(request)}\n`);
    });
  }

  return {
    name,
    kind: 'command',
    async check() {
      try {
        await access(settings.command, constants.X_OK);
        return {
          reachable: true,
          authenticated: null,
          permitted: true,
          message: `${settings.command} is executable`,
        };
      } catch (error) {
        return {
          reachable: false,
          authenticated: null,
          permitted: null,
          message: `${settings.command}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        };
      }
    },
    timeoutMs,
    async run(request, { signal, log }) {
      log.debug(`running ${command}`, { command });
      const outcome = await run(request, signal);
      log.debug(`${command}: ${outcome.status}`, { command, status: outcome.status });
      return outcome;
    },
  };
}

export const commandConnector = defineConnector({
  kind: 'command',
  description: 'Runs a local executable for each action, the action as JSON on its standard input.',
  settings: commandSettingsSchema,
  secrets: ['env'],
  // What it runs is what the server executes: never defined through the API.
  hostOnly: true,
  create: createCommand,
});
