/**
 * Real servers from Debian's packages, started by a test: a free port, a program that must be installed (or the
 * test fails saying how to install it), a child process stopped at the end.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer as createNetServer, Socket } from 'node:net';

/** A free TCP port on `host`. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer().listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Throws, naming the Debian packages to install, when one of `programs` is not on PATH (or not executable). */
export function requirePrograms(programs: readonly string[], packages: string): void {
  const missing = programs.find((program) => spawnSync('sh', ['-c', `command -v ${program}`]).status !== 0);
  if (missing)
    throw new Error(`${missing} is missing: apt-get install -y ${packages} (scripts/test.sh installs it)`);
}

/** Whether something accepts TCP connections at host:port now. */
export function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.connect(port, host);
  });
}

/** A server process of a test; its output is kept for the error when it does not come up. */
export interface ServerProcess {
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Start `command`, keeping the end of its output; `stop` sends SIGTERM (SIGKILL after 5 s). */
export function spawnProcess(
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): ServerProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text = (text + chunk.toString()).slice(-8000)));
  child.stderr?.on('data', (chunk: Buffer) => (text = (text + chunk.toString()).slice(-8000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => text,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Start `command` and wait until `host:port` accepts connections (30 s), or fail with what it printed. The process
 * is stopped with SIGTERM (SIGKILL after 5 s) by `stop`.
 */
export async function startServer(
  command: string,
  args: readonly string[],
  host: string,
  port: number,
  options: SpawnOptions = {},
): Promise<ServerProcess> {
  const server = spawnProcess(command, args, options);
  const { child } = server;
  const deadline = Date.now() + 30_000;
  while (!(await listening(host, port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await server.stop();
      throw new Error(
        `${command} did not come up on ${host}:${port} (exit ${child.exitCode}):\n${server.output()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return server;
}
