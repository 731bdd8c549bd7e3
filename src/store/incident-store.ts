/**
 * Incidents: what correlation needs from storage (incidents/correlation.ts, incidents/timelines.ts) and what
 * analysts read and change (incidents/analyst.ts), over the rows of incidents/rows.ts.
 */
import type { Kysely } from 'kysely';
import type { CorrelationIncidents } from '../correlate/ports.js';
import { analystOperations, type IncidentQueries } from './incidents/analyst.js';
import { correlationOperations } from './incidents/correlation.js';
import { createIncidentStatements } from './incidents/rows.js';
import { timelineOperations } from './incidents/timelines.js';
import type { RunMany } from './bulk-insert.js';
import type { Atomically } from './query-helpers.js';
import { unnestRowTable, type RowTable } from './row-table.js';
import type { Database } from './schema.js';

/** Incidents: correlation's operations (correlate/ports.ts), and what the API and CLI read and change. */
export interface IncidentStore extends CorrelationIncidents, IncidentQueries {
  countPending(): Promise<number>;
}

export function createIncidentStore(
  db: Kysely<Database>,
  atomically: Atomically,
  runMany?: RunMany,
  rowTable: RowTable = unnestRowTable,
): IncidentStore {
  const statements = createIncidentStatements(runMany);
  return {
    ...correlationOperations(db, atomically, statements),
    ...timelineOperations(db, rowTable),
    ...analystOperations(db, atomically),
  };
}
