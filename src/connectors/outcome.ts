/**
 * How a connector ends an action from deep inside its work: throw an `OutcomeError` with the outcome (a failure
 * naming what is wrong, or unreachable), caught where the connector maps errors to outcomes.
 */
import type { ActionOutcome } from '../respond/ports.js';

/** An outcome raised from inside a connector's work: the action ends with it. */
export class OutcomeError extends Error {
  constructor(readonly outcome: Exclude<ActionOutcome, { status: 'succeeded' } | { status: 'accepted' }>) {
    super(outcome.message);
  }
}

/** End the action as failed with `message` (not worth trying again unless `retryable`). */
export const fail = (message: string, retryable = false): never => {
  throw new OutcomeError({ status: 'failed', retryable, message });
};
