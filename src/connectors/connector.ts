/**
 * Kinds of connector: each is a manifest plus a `create` function — `defineConnector({ kind, settings, secrets,
 * create })` — that builds a configured `Connector` (the response stage's port, respond/ports.ts) from validated
 * settings. Connectors receive a capability object (`signal`, `log`) for each attempt, never globals.
 */
import type { z } from 'zod';
import type { Connector } from '../respond/ports.js';
import type { OutboundPolicy } from './outbound.js';

/** What the host lets a connector do, handed to `create`. */
export interface ConnectorContext {
  /** Where requests of its own may go (outbound.ts). */
  readonly outbound: OutboundPolicy;
}

/** A kind of connector: its settings schema and how to build one from validated settings. */
export interface ConnectorDefinition<S extends z.ZodType = z.ZodType> {
  readonly kind: string;
  readonly description: string;
  /** The kind-specific settings (url, secret, command, args…). */
  readonly settings: S;
  /** Names of settings that are secrets: never logged, never returned by the API (shown as `"***"`). */
  readonly secrets: readonly string[];
  /**
   * Defined only on the host (a configuration file, or the CLI run on the server), never through the API: a kind
   * whose settings say what the server executes.
   */
  readonly hostOnly?: boolean;
  create(name: string, settings: z.output<S>, timeoutMs: number, context: ConnectorContext): Connector;
}

export function defineConnector<S extends z.ZodType>(
  definition: ConnectorDefinition<S>,
): ConnectorDefinition {
  return definition as unknown as ConnectorDefinition;
}
