/**
 * Network errors as connectors judge them: which mean the system cannot be reached now (the action waits as
 * `pendingResource`), found on an error, its `cause`, or the errors of an AggregateError (undici and net nest them).
 */
import { Socket } from 'node:net';

/** Error codes that mean the other side cannot be reached now. */
export const unreachableCodes: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  // undici's connect timeout (10 s): nothing answered the SYN, as with a host behind a dropping firewall.
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The `code` of a network error: on the error, on its `cause`, or on each error of an AggregateError. */
export function networkErrorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (current === null || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') return code;
    queue.push(cause);
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return undefined;
}

/**
 * Whether something accepts TCP connections at `address:port` within `timeoutMs`: the reason when not (`ECONNREFUSED`,
 * `timed out`), `undefined` when it does. For connector checks that cannot ask more without acting.
 */
export function tcpProblem(address: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (problem: string | undefined) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(timeoutMs, () => done('timed out'));
    socket.once('connect', () => done(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    socket.connect(port, address);
  });
}
