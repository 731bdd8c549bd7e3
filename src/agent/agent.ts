/**
 * `autoir agent`: enrolls once with a one-time token, then long-polls the server for tasks (which counts as its
 * heartbeat), carries each out on the host and reports the result. A local journal — written before and after
 * each action — makes a crash or kill -9 harmless: a task done before the crash is reported again, not done again;
 * one interrupted mid-way is done again, which every operation tolerates (actions.ts). docs/agent.md.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import type Https from 'node:https';
import path from 'node:path';
import type { ActionRequest } from '../respond/ports.js';
import type { TaskResult } from './actions.js';
import { hostIdentity } from './identity.js';

export interface AgentOptions {
  /** The autoir server: `https://autoir.corp.example`, or `http://` on loopback only. */
  readonly server: string;
  /** A root-only directory: the credential, the journal, the quarantine. */
  readonly stateDir: string;
  /** The one-time enrollment token, for the first start. */
  readonly enrollToken?: string;
  /** A CA (or the server's own certificate) to trust, PEM. */
  readonly ca?: string;
  readonly version: string;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
  /** Seconds a poll waits for a task (default 25). */
  readonly pollWaitS?: number;
}

interface AgentState {
  readonly server: string;
  readonly agentId: string;
  readonly deviceKey: string;
  readonly credential: string;
}

interface Journal {
  readonly state: 'started' | 'done';
  readonly result?: TaskResult;
  readonly reported?: boolean;
}

/** Why a server URL is refused, or `undefined`. */
export function serverProblem(server: string): string | undefined {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return `not a URL: ${server}`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/.test(url.hostname))
    return undefined;
  return 'the server must be https:// (plain http:// only on loopback)';
}

async function writeJson(file: string, value: unknown): Promise<void> {
  const temporary = `${file}.tmp`;
  await writeFile(temporary, JSON.stringify(value), { mode: 0o600 });
  await rename(temporary, file);
}

async function readJson<T>(file: string): Promise<T | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

function call(
  options: Pick<AgentOptions, 'server' | 'ca' | 'signal'>,
  method: 'GET' | 'POST',
  route: string,
  body?: unknown,
  credential?: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const url = new URL(route, options.server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return transport(url.protocol).then(
    (transport) =>
      new Promise((resolve, reject) => {
        const request = transport.request(
          url,
          {
            method,
            signal: options.signal,
            ...(options.ca ? { ca: options.ca } : {}),
            headers: {
              accept: 'application/json',
              ...(payload ? { 'content-type': 'application/json' } : {}),
              ...(credential ? { authorization: `Bearer ${credential}` } : {}),
            },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let json: Record<string, unknown> = {};
              try {
                json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
              } catch {
                json = { text };
              }
              resolve({ status: response.statusCode ?? 0, json });
            });
          },
        );
        request.on('error', reject);
        request.end(payload);
      }),
  );
}

/** node:https only when the server speaks it: the TLS stack is most of a small process's memory. */
async function transport(protocol: string): Promise<Pick<typeof Https, 'request'>> {
  return protocol === 'https:' ? await import('node:https') : await import('node:http');
}

const errorText = (json: Record<string, unknown>) =>
  ((json.error as { message?: string } | undefined)?.message ?? JSON.stringify(json)).slice(0, 300);

/** Enroll (first start) or read the credential kept in the state directory. */
async function credentials(options: AgentOptions): Promise<AgentState> {
  await mkdir(options.stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(options.stateDir, 'agent.json');
  const kept = await readJson<AgentState>(file);
  if (kept) return kept;
  if (!options.enrollToken)
    throw new Error(
      `${options.stateDir} holds no credential: start once with --enroll TOKEN (autoir agents enroll-token create)`,
    );
  const identity = await hostIdentity(options.version);
  const response = await call(options, 'POST', '/api/v1/agent/enroll', {
    token: options.enrollToken,
    identity,
  });
  if (response.status !== 201)
    throw new Error(`enrollment refused (${response.status}): ${errorText(response.json)}`);
  const state: AgentState = {
    server: options.server,
    agentId: response.json.agentId as string,
    deviceKey: response.json.deviceKey as string,
    credential: response.json.credential as string,
  };
  await writeJson(file, state);
  options.log(`enrolled as ${state.agentId} for ${state.deviceKey}`);
  return state;
}

/**
 * The order of tasks handed over together: evidence first, as the host is; then stop processes before their
 * autostart entries go and their files are moved (a moved program still runs, under its new name).
 */
const ORDER = ['collectInvestigationPackage', 'killProcess', 'removePersistence', 'quarantineFile'];
const rank = (type: string) => (ORDER.includes(type) ? ORDER.indexOf(type) : ORDER.length);

/** Run until `signal` aborts. */
export async function runAgent(options: AgentOptions): Promise<void> {
  const problem = serverProblem(options.server);
  if (problem) throw new Error(problem);
  const state = await credentials(options);
  // An isolated host stays isolated across restarts and reboots. (What the agent does on the host is loaded only
  // when there is something to do: an idle agent stays small.)
  const isolated = existsSync(path.join(options.stateDir, 'isolation.json'))
    ? await (await import('./isolation-linux.js')).keepIsolated(options.stateDir)
    : undefined;
  if (isolated)
    options.log(
      `isolated since ${isolated.since} (${isolated.actionId}): only ${isolated.allowed.join(', ')}`,
    );
  const journalDir = path.join(options.stateDir, 'journal');
  await mkdir(journalDir, { recursive: true, mode: 0o700 });
  const wait = options.pollWaitS ?? 25;
  let backoff = 1000;
  let lastIdentity = 0;
  while (!options.signal.aborted) {
    try {
      // Now and then the host's identity (addresses change); the polls themselves keep the agent online.
      if (Date.now() - lastIdentity > 10 * 60_000) {
        const beat = await call(
          options,
          'POST',
          '/api/v1/agent/heartbeat',
          { identity: await hostIdentity(options.version) },
          state.credential,
        );
        if (beat.status === 401)
          throw new Error(`the server refuses this agent's credential: ${errorText(beat.json)}`);
        lastIdentity = Date.now();
      }
      const response = await call(
        options,
        'GET',
        `/api/v1/agent/tasks?wait=${wait}`,
        undefined,
        state.credential,
      );
      if (response.status === 401)
        throw new Error(`the server refuses this agent's credential: ${errorText(response.json)}`);
      if (response.status !== 200) throw new Error(`tasks: ${response.status} ${errorText(response.json)}`);
      const tasks = (response.json.items ?? []) as { actionId: string; request: ActionRequest }[];
      for (const task of [...tasks].sort((a, b) => rank(a.request.type) - rank(b.request.type)))
        await handle(options, state, journalDir, task.actionId, task.request);
      backoff = 1000;
    } catch (error) {
      if (options.signal.aborted) break;
      if (/refuses this agent's credential/.test((error as Error).message)) throw error;
      options.log(`server unreachable, retrying in ${backoff / 1000} s: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, backoff));
      backoff = Math.min(backoff * 2, 30_000);
    }
  }
}

/** One task: done at most once (the journal), reported until the server has it. */
async function handle(
  options: AgentOptions,
  state: AgentState,
  journalDir: string,
  actionId: string,
  request: ActionRequest,
): Promise<void> {
  if (!/^act_[\w-]+$/.test(actionId)) return;
  const file = path.join(journalDir, `${actionId}.json`);
  let entry = await readJson<Journal>(file);
  if (entry?.state !== 'done') {
    if (!entry) await writeJson(file, { state: 'started' } satisfies Journal);
    else options.log(`${actionId}: interrupted before, carrying it out again`);
    const { carryOut } = await import('./actions.js');
    const result = await carryOut(request, { stateDir: options.stateDir, server: options.server });
    entry = { state: 'done', result };
    await writeJson(file, entry);
    options.log(`${actionId} ${request.type}: ${result.status}: ${result.message}`);
  }
  const response = await call(
    options,
    'POST',
    `/api/v1/agent/tasks/${encodeURIComponent(actionId)}/result`,
    entry.result,
    state.credential,
  );
  // 409: recorded already (a report the server took before a crash here); 404: no longer open.
  if (response.status === 200 || response.status === 409 || response.status === 404)
    await writeJson(file, { ...entry, reported: true } satisfies Journal);
  else throw new Error(`result of ${actionId}: ${response.status} ${errorText(response.json)}`);
}
