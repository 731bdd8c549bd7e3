/**
 * The executor: claims approved actions, runs each through the connector configured for its type and group with
 * a timeout, and records what came of it (connector.ts lists the outcomes). Retryable failures and timeouts come
 * back with capped exponential backoff until the attempts run out; an unreachable target waits as
 * pendingResource, retried until `unreachableFor` (3 days by default) has passed.
 *
 * Every attempt carries the action's idempotency key. A worker killed mid-call leaves the action `running` with
 * its claim; once the claim is released (a dead process of this host, at once) or its lease passes (another
 * host), the action is claimed and sent again — with the same key, so the receiver applies it once.
 */
import type { ExecutionPolicy, ResponsePolicy } from './policy-config.js';
import { loadPolicy } from './policy-config.js';
import { feedsConnector } from './feeds.js';
import type { ActionRecord } from '../domain/action.js';
import type {
  ActionOutcome,
  ActionRequest,
  AttemptResult,
  Connector,
  ConnectorEntry,
  ConnectorSource,
  ExecutorPorts,
} from './ports.js';
import { connectorFor } from './routing.js';
import { agentActionTypes, isOnline, type AgentRecord } from '../domain/agent.js';
import { silentLog, type Log } from '../domain/log.js';

export interface ExecutorOptions {
  readonly worker: string;
  readonly now: () => Date;
  /** The connector configurations in force (the YAML file's and the store's). */
  readonly connectors: ConnectorSource;
  /** Actions run at once by this worker. Default 8. */
  readonly concurrency?: number;
  /** The URL a connector's system posts asynchronous results to, per action; `null` when unknown. */
  readonly callbackUrl?: (actionId: string) => string | null;
  /** Aborts calls in progress (the worker is stopping). */
  readonly signal?: AbortSignal;
  /** Each attempt's outcome (info, warn when it will be tried again, error when it failed); connectors' lines. */
  readonly log?: Log;
}

export interface ExecutionSummary {
  readonly attempts: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly retried: number;
  readonly pendingResource: number;
  readonly accepted: number;
}

/** The delay before attempt `attempts + 1`: doubling from `backoffMs`, capped at `maxBackoffMs`. */
export function backoffDelay(attempts: number, policy: ExecutionPolicy): number {
  return Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** Math.max(0, attempts - 1));
}

/** What to record after an attempt, from the connector's outcome (or its timeout). Pure. */
export function attemptResult(
  outcome: ActionOutcome | { readonly status: 'timeout'; readonly message: string },
  action: Pick<ActionRecord, 'attempts' | 'unreachableSince'>,
  policy: ExecutionPolicy,
  now: Date,
): AttemptResult {
  const later = () => new Date(now.getTime() + backoffDelay(action.attempts, policy));
  switch (outcome.status) {
    case 'succeeded':
      return {
        status: 'succeeded',
        message: outcome.message,
        details: outcome.details as Record<string, unknown>,
      };
    case 'accepted':
      return {
        status: 'accepted',
        message: outcome.message ?? 'accepted: waiting for the result',
        deadline: new Date(now.getTime() + policy.callbackTimeoutMs),
      };
    case 'unreachable': {
      const since = action.unreachableSince ? Date.parse(action.unreachableSince) : now.getTime();
      if (now.getTime() - since >= policy.unreachableForMs)
        return {
          status: 'failed',
          message: `unreachable since ${new Date(since).toISOString()}, gave up: ${outcome.message}`,
        };
      return { status: 'pendingResource', message: outcome.message, nextAttemptAt: later() };
    }
    case 'timeout':
      if (action.attempts >= policy.maxAttempts)
        return {
          status: 'timedOut',
          message: `timed out on all ${action.attempts} attempts: ${outcome.message}`,
        };
      return { status: 'retry', message: outcome.message, nextAttemptAt: later() };
    case 'failed':
      if (outcome.retryable && action.attempts < policy.maxAttempts)
        return { status: 'retry', message: outcome.message, nextAttemptAt: later() };
      return {
        status: 'failed',
        message: outcome.retryable
          ? `failed on all ${action.attempts} attempts: ${outcome.message}`
          : outcome.message,
        details: outcome.details as Record<string, unknown>,
      };
  }
}

export function actionRequest(action: ActionRecord, callbackUrl: string | null): ActionRequest {
  return {
    id: action.id,
    type: action.type,
    targetKey: action.targetKey,
    deviceKey: action.deviceKey,
    parameters: action.parameters,
    investigationId: action.investigationId,
    undoOf: action.undoOf,
    idempotencyKey: action.idempotencyKey,
    attempt: action.attempts,
    decidedBy: action.decidedBy,
    callbackUrl,
  };
}

/** Claim and run approved actions, `concurrency` at a time, until none is claimable; returns what happened. */
export async function executePending(
  store: ExecutorPorts,
  options: ExecutorOptions,
): Promise<ExecutionSummary> {
  const summary = { attempts: 0, succeeded: 0, failed: 0, retried: 0, pendingResource: 0, accepted: 0 };
  const { execution: policy, isolation } = await loadPolicy(store);
  // autoir's own blocklist feeds come last: a configured connector that takes blocks is used first.
  const configs = [...(await options.connectors()), feedsConnector];
  // The claim must outlive the slowest connector's call; 30 s of margin for the write that follows.
  const leaseMs = Math.max(30_000, ...configs.map((config) => connectorTimeout(config))) + 30_000;
  const concurrency = options.concurrency ?? 8;
  // `concurrency` slots, each taking its next action as soon as its last one is done: one slow system (a
  // connector waiting for its timeout) holds one slot, not the others. Actions are claimed `concurrency` at a
  // time into a shared buffer (one claim transaction per batch, not per action).
  const buffer: ActionRecord[] = [];
  let claiming: Promise<void> | null = null;
  let exhausted = false;
  const next = async (): Promise<ActionRecord | undefined> => {
    for (;;) {
      const action = buffer.shift();
      if (action) return action;
      if (exhausted || options.signal?.aborted) return undefined;
      claiming ??= store.actions
        .claim(options.worker, options.now(), leaseMs, concurrency)
        .then((claimed) => {
          if (claimed.length === 0) exhausted = true;
          buffer.push(...claimed);
        })
        .finally(() => {
          claiming = null;
        });
      await claiming;
    }
  };
  /** Each device's agent, looked up once a pass. */
  const agentsByDevice = new Map<string, Promise<AgentRecord | undefined>>();
  const slot = async () => {
    for (;;) {
      const action = await next();
      if (!action) return;
      const viaAgent = await agentFor(store, action, agentsByDevice);
      const config = connectorFor(configs, action.type, action.group?.name ?? null);
      const connector = viaAgent ? `agent:${viaAgent.id}` : (config?.name ?? null);
      const log = (options.log ?? silentLog).child({
        action: action.id,
        type: action.type,
        target: action.targetKey,
        attempt: action.attempts,
        ...(connector ? { connector } : {}),
        ...(action.investigationId ? { investigation: action.investigationId } : {}),
      });
      const result = viaAgent
        ? await handToAgent(store, viaAgent, action, policy, isolation, options)
        : await attempt(action, config, policy, options, log);
      // Stopped mid-call: leave the action running under this claim; it is sent again (same key) after.
      if (options.signal?.aborted) return;
      summary.attempts++;
      if (result.status === 'succeeded') summary.succeeded++;
      else if (result.status === 'failed' || result.status === 'timedOut') summary.failed++;
      else if (result.status === 'retry') summary.retried++;
      else if (result.status === 'pendingResource') summary.pendingResource++;
      else summary.accepted++;
      await store.actions.finishAttempt(action.key, options.worker, connector, result, options.now());
      logAttempt(log, result);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, slot));
  return summary;
}

/** The agent of the action's device, when it has one and the agent carries out this type of action. */
async function agentFor(
  store: ExecutorPorts,
  action: ActionRecord,
  byDevice: Map<string, Promise<AgentRecord | undefined>>,
): Promise<AgentRecord | undefined> {
  const device = action.deviceKey ?? (action.targetKey.startsWith('device:') ? action.targetKey : null);
  if (!store.agents || !device || !(agentActionTypes as readonly string[]).includes(action.type))
    return undefined;
  let found = byDevice.get(device);
  if (!found) byDevice.set(device, (found = store.agents.forDevice(device)));
  return found;
}

/**
 * A device with an agent: the agent carries the action out. Online, it gets a task and the action runs until the
 * agent reports (accepted); offline, the action waits as pendingResource until the agent is back.
 */
async function handToAgent(
  store: ExecutorPorts,
  agent: AgentRecord,
  action: ActionRecord,
  policy: ExecutionPolicy,
  isolation: ResponsePolicy['isolation'],
  options: ExecutorOptions,
): Promise<AttemptResult> {
  const now = options.now();
  // An isolated host still reaches the policy's allow list (DNS, a jump host), besides autoir itself.
  const request = actionRequest(action, null);
  const sent =
    action.type === 'isolateDevice' && isolation.allow.length > 0
      ? {
          ...request,
          parameters: {
            ...request.parameters,
            allow: [
              ...new Set([
                ...(Array.isArray(request.parameters.allow) ? (request.parameters.allow as string[]) : []),
                ...isolation.allow,
              ]),
            ],
          },
        }
      : request;
  const outcome: ActionOutcome = isOnline(agent, now)
    ? (await store.agents?.enqueue(agent.id, sent, now),
      { status: 'accepted', message: `handed to agent ${agent.id} on ${agent.deviceKey}` })
    : {
        status: 'unreachable',
        message: `the agent ${agent.id} of ${agent.deviceKey} is offline (last seen ${agent.lastSeenAt})`,
      };
  return attemptResult(outcome, action, policy, now);
}

function connectorTimeout(config: ConnectorEntry): number {
  try {
    return config.connector().timeoutMs;
  } catch {
    return 30_000;
  }
}

/** An attempt's outcome in the log: info when done or accepted, warn when it waits or comes back, else error. */
function logAttempt(log: Log, result: AttemptResult): void {
  const detail = result.message ? { detail: result.message } : {};
  switch (result.status) {
    case 'succeeded':
      return log.info('action succeeded', detail);
    case 'accepted':
      return log.info('action accepted: waiting for its result', {
        ...detail,
        deadline: result.deadline.toISOString(),
      });
    case 'retry':
      return log.warn('action attempt failed: trying again', {
        err: result.message,
        nextAttemptAt: result.nextAttemptAt.toISOString(),
      });
    case 'pendingResource':
      return log.warn('action target unreachable: waiting for it', {
        err: result.message,
        nextAttemptAt: result.nextAttemptAt.toISOString(),
      });
    case 'failed':
    case 'timedOut':
      return log.error(result.status === 'failed' ? 'action failed' : 'action timed out', {
        err: result.message,
      });
  }
}

async function attempt(
  action: ActionRecord,
  config: ConnectorEntry | undefined,
  policy: ExecutionPolicy,
  options: ExecutorOptions,
  log: Log,
): Promise<AttemptResult> {
  if (!config)
    return {
      status: 'failed',
      message: `no connector handles ${action.type}${action.group ? ` for ${action.group.kind} group "${action.group.name}"` : ''}: add one (docs/connectors.md)`,
    };
  let connector: Connector;
  try {
    connector = config.connector();
  } catch (error) {
    return {
      status: 'failed',
      message: `connector ${config.name} is misconfigured: ${(error as Error).message}`,
    };
  }
  const timeout = AbortSignal.timeout(connector.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const request = actionRequest(action, options.callbackUrl?.(action.id) ?? null);
  let outcome: ActionOutcome | { status: 'timeout'; message: string };
  try {
    outcome = await connector.run(request, { signal, log });
  } catch (error) {
    outcome = signal.aborted
      ? { status: 'timeout', message: `${connector.name} did not answer within ${connector.timeoutMs} ms` }
      : { status: 'failed', retryable: true, message: `${connector.name}: ${(error as Error).message}` };
  }
  return attemptResult(outcome, action, policy, options.now());
}
