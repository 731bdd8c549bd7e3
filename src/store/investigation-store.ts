/**
 * Investigations: what the engine needs to run them durably (claiming work with a lease, loading one, committing
 * a step all at once, fenced by the claim) and what analysts read and change. Every piece of an investigation's
 * state lives here, so a restarted process, or another worker, continues where the last one stopped.
 */
import { queueOperations } from './investigations/queue.js';
import { readOperations } from './investigations/read.js';
import { type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { InvestigationIntake, InvestigationQueue } from '../investigate/ports.js';
import type { Atomically } from './query-helpers.js';
import type { IndicatorStore } from './investigations/indicators.js';
import type { InvestigationReads } from './investigations/read.js';
import { indicatorOperations } from './investigations/indicators.js';
import { intakeOperations } from './investigations/intake.js';
import { investigationChanges } from './investigations/changes.js';

/** Public ids of actions (action-store.ts): `act_<n>`. */

/**
 * Investigations: the engine's queue (investigate/ports.ts), the intake of correlated alerts, and what the API and
 * CLI read and change.
 */
export interface InvestigationStore
  extends InvestigationQueue, InvestigationIntake, InvestigationReads, IndicatorStore {
  markInvestigated(alertIds: readonly number[]): Promise<void>;
  countRunnable(): Promise<number>;
}

export function createInvestigationStore(db: Kysely<Database>, atomically: Atomically): InvestigationStore {
  const changes = investigationChanges(db);
  return {
    ...intakeOperations(db, atomically),
    ...queueOperations(db, atomically, changes),
    ...readOperations(db, atomically, changes),
    ...indicatorOperations(db, atomically),
  };
}
