/**
 * Kinds of connector: each is a manifest plus a `create` function — `defineConnector({ kind, settings, secrets,
 * create })` — that builds a configured `Connector` (the response stage's port, respond/ports.ts) from validated
 * settings. Connectors receive a capability object (`signal`, `log`) for each attempt, never globals.
 */ import type { z } from 'zod';
import type { Connector } from '../respond/ports.js';

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
