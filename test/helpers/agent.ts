/** A real server on loopback and the host agent enrolled to it, for tests on both stores; a planted program. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  mkdirSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../../src/api/server.js';
import { runAgent } from '../../src/agent/agent.js';
import { agentView, createEnrollmentToken } from '../../src/respond/agents.js';
import type { AgentRecord } from '../../src/domain/agent.js';
import type { TestStore } from './stores.js';
import { until } from './until.js';

export interface LoopbackAgent {
  readonly app: FastifyInstance;
  readonly stateDir: string;
  readonly lines: string[];
  /** Enroll (first start) or start again with the credential kept; resolves once the agent is online. */
  start(): Promise<AgentRecord>;
  /** Stop the agent (the server goes on). */
  stop(): Promise<void>;
  /** Stop both, remove the state directory. */
  close(): Promise<void>;
}

export async function loopbackAgent(t: TestStore): Promise<LoopbackAgent> {
  const app = createServer({ store: t.store, version: 'test' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'autoir-agent-state-'));
  const lines: string[] = [];
  let controller: AbortController | undefined;
  let running: Promise<void> | undefined;
  const stop = async () => {
    controller?.abort();
    await running?.catch(() => undefined);
  };
  return {
    app,
    stateDir,
    lines,
    async start() {
      const enrolled = (await t.store.agents.list()).length > 0;
      const { token } = enrolled
        ? { token: undefined }
        : await createEnrollmentToken(t.store.agents, { lifetimeMs: 3_600_000 }, 'token:root', new Date());
      const address = app.server.address() as { port: number };
      controller = new AbortController();
      const since = new Date();
      running = runAgent({
        server: `http://127.0.0.1:${address.port}`,
        stateDir,
        ...(token ? { enrollToken: token } : {}),
        version: 'test',
        signal: controller.signal,
        log: (line) => lines.push(line),
        pollWaitS: 1,
      });
      // Online, and its credential kept: enrollment shows in the store before the agent has written it.
      return until('the agent online', async () => {
        const [first] = await t.store.agents.list();
        return first &&
          existsSync(path.join(stateDir, 'agent.json')) &&
          agentView(first, new Date()).online &&
          Date.parse(first.lastSeenAt) >= since.getTime() - 1000
          ? first
          : undefined;
      });
    },
    stop,
    async close() {
      await stop();
      await app.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/**
 * A "miner" of a test's own: a copy of sleep with bytes of its own (so its sha256 is unique and can go on a block
 * list), at `file`, started with `seconds`; the promise says the signal it ended by.
 */
export function plantMiner(
  file: string,
  seconds: number,
): { sha256: string; running: ChildProcess; exited: Promise<string | null> } {
  mkdirSync(path.dirname(file), { recursive: true });
  copyFileSync('/bin/sleep', file);
  appendFileSync(file, randomBytes(32));
  chmodSync(file, 0o755);
  const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  const running = spawn(file, [String(seconds)], { stdio: 'ignore' });
  const exited = new Promise<string | null>((resolve) =>
    running.once('exit', (_code, signal) => resolve(signal)),
  );
  return { sha256, running, exited };
}
