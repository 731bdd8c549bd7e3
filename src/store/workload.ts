/**
 * What waits to be done, read for monitoring (`/metrics`): alerts not yet in an incident, alerts not yet handed to
 * an investigation, investigations queued — with how long the oldest of each has waited. Each is one indexed
 * count (alerts_incident_idx, alerts_uninvestigated_idx, the investigations' status).
 */
import { sql, type Kysely } from 'kysely';
import type { Workload } from './ports.js';
import type { Database } from './schema.js';

export function createWorkloadReader(db: Kysely<Database>): () => Promise<Workload> {
  const iso = (ms: unknown) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());
  return async () => {
    const [uncorrelated, uninvestigated, queued] = await Promise.all([
      db
        .selectFrom('alerts')
        .select([sql<number>`count(*)`.as('count'), sql<number | null>`min(ingested_at)`.as('oldest')])
        .where('incident_id', 'is', null)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('alerts')
        .select([sql<number>`count(*)`.as('count'), sql<number | null>`min(ingested_at)`.as('oldest')])
        .where('investigated', '=', 0)
        .where('incident_id', 'is not', null)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('investigations')
        .select([sql<number>`count(*)`.as('count'), sql<number | null>`min(created_at)`.as('oldest')])
        .where('status', '=', 'queued')
        .executeTakeFirstOrThrow(),
    ]);
    return {
      alertsUncorrelated: Number(uncorrelated.count),
      oldestUncorrelatedAt: iso(uncorrelated.oldest),
      alertsUninvestigated: Number(uninvestigated.count),
      oldestUninvestigatedAt: iso(uninvestigated.oldest),
      investigationsQueued: Number(queued.count),
      oldestQueuedInvestigationAt: iso(queued.oldest),
    };
  };
}
