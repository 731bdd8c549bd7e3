/**
 * The entity index: one row per (entity, alert), keyed on `entityHash` of the entity key (domain/entity-hash.ts)
 * rather than the key itself — on SQLite about half the cost per alert of text keys. A hash match is confirmed
 * against the alert's own entities.
 */
import { sql, type Kysely } from 'kysely';

/**
 * The text by which an alert's stored entities (JSON) name an entity: `"key":"<key>"`. Entities are serialised
 * with `JSON.stringify`, so this text is exact.
 */
export function keyMarker(key: string): string {
  return `"key":${JSON.stringify(key)}`;
}

/**
 * Within a write: record that entity index rows of alerts (possibly in incidents) changed — a correlation step, an
 * alert stored again. A correlating process holding timelines in memory (correlate/timelines.ts) compares the
 * counter with the one it last wrote, and stops trusting them when it differs.
 */
export async function bumpCorrelationGeneration(db: Kysely<never>): Promise<void> {
  await sql`update correlation_state set generation = generation + 1 where id = 1`.execute(db);
}
