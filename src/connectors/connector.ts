/**
 * The Connector port: the adapter that carries out one remediation action on a real system (DESIGN.md §1).
 *
 * A connector is a manifest plus a `run` function (STYLE.md): `defineConnector({ kind, settings, create })`. The
 * executor (respond/executor.ts) picks the connector configured for an action's type and group, calls `run` with a
 * capability object (`signal`, `log`), and maps the outcome onto the action's state machine:
 *
 *   succeeded → succeeded;  accepted → running until the result arrives by callback;
 *   failed (retryable) → queued again with capped backoff;  failed → failed;
 *   unreachable → pendingResource (retried for up to 3 days);  signal aborted (timeout) → retried, then timedOut.
 *
 * Every attempt of one action carries the same idempotency key, so a receiver that remembers keys applies each
 * action once even when autoir sends it again (after a timeout, a 5xx, or a worker killed mid-call).
 */
import type { z } from 'zod';
import type { ActionType } from '../domain/action.js';

/** What a connector receives: the action, as JSON on the wire (webhook body, command stdin). */
export interface ActionRequest {
  /** `act_<n>`. */
  readonly id: string;
  readonly type: ActionType;
  /** The entity acted on: `device:…`, `file:sha256:…`, `process:…`, `user:…`, `mailMessage:…`, `ip:…`… */
  readonly targetKey: string;
  /** The device the action runs on, when it runs on one (quarantine a file *on* a device). */
  readonly deviceKey: string | null;
  /** What autoir knows about the target, e.g. `{ path, sha256, pid, commandLine, address }`. */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly investigationId: string | null;
  /** For an undo (releaseDevice, restoreFile…), the action it undoes. */
  readonly undoOf: string | null;
  /** The same for every attempt of this action. */
  readonly idempotencyKey: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** `user:<name>`, `token:<name>` or `policy:<rule>`. */
  readonly decidedBy: string | null;
  /** Where an asynchronous result is posted (`POST /api/v1/actions/:id/result`), when the server knows its URL. */
  readonly callbackUrl: string | null;
}

/** What came of one attempt. */
export type ActionOutcome =
  | {
      readonly status: 'succeeded';
      readonly message?: string;
      readonly details?: Readonly<Record<string, unknown>>;
    }
  /** The system took the action and will post the result later (`POST /api/v1/actions/:id/result`). */
  | { readonly status: 'accepted'; readonly message?: string }
  | {
      readonly status: 'failed';
      /** Worth trying again (a 5xx, a busy system); otherwise the action fails now. */
      readonly retryable: boolean;
      readonly message: string;
      readonly details?: Readonly<Record<string, unknown>>;
    }
  /** The target (or the system that reaches it) cannot be reached now: the action waits as pendingResource. */
  | { readonly status: 'unreachable'; readonly message: string };

/** Capabilities handed to a connector for one attempt; never globals. */
export interface ConnectorCapabilities {
  /** Aborted when the attempt's timeout passes or the worker stops. */
  readonly signal: AbortSignal;
  /** Lines for the worker's log. Never pass secrets. */
  readonly log: (message: string) => void;
}

/** A configured connector, ready to run actions. */
export interface Connector {
  /** The configured name (`edr`, `local-scripts`). */
  readonly name: string;
  readonly kind: string;
  /** Attempt timeout in ms (the executor aborts `signal` after it). */
  readonly timeoutMs: number;
  run(request: ActionRequest, capabilities: ConnectorCapabilities): Promise<ActionOutcome>;
}

/** A kind of connector: its settings schema and how to build one from validated settings. */
export interface ConnectorDefinition<S extends z.ZodType = z.ZodType> {
  readonly kind: string;
  readonly description: string;
  /** The kind-specific settings (url, secret, command, args…). */
  readonly settings: S;
  /** Names of settings that are secrets: never logged, never returned by the API (shown as `"***"`). */
  readonly secrets: readonly string[];
  create(name: string, settings: z.output<S>, timeoutMs: number): Connector;
}

export function defineConnector<S extends z.ZodType>(
  definition: ConnectorDefinition<S>,
): ConnectorDefinition {
  return definition as unknown as ConnectorDefinition;
}
