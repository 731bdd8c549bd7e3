/**
 * The entity index: one row per (entity, alert), keyed on a 53-bit hash of the entity key rather than the key
 * itself. Integer keys keep the index small and its inserts cheap (on SQLite, about half the cost per alert of
 * text keys); a hash match is confirmed against the alert's own entities, so a collision can never make an alert
 * name an entity it does not.
 */
import { sql, type Kysely } from 'kysely';

/** cyrb53: a fast 53-bit string hash, exact in a JavaScript number and in a 64-bit integer column. */
export function entityHash(key: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < key.length; index++) {
    const code = key.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * The device an alert counts for in the entity index (correlation's prevalence: on how many devices an entity is
 * seen): the smallest hash of its device entities' keys, whatever their order; 0 for an alert about no device. An
 * alert about two devices (lateral movement) counts for one of them.
 */
export function deviceHashOf(
  entities: readonly { readonly type: string; readonly key: string }[],
  /** The entities' key hashes, when the caller has them already (`entityHash` of each, in order). */
  hashes?: ArrayLike<number>,
): number {
  let least = 0;
  for (let index = 0; index < entities.length; index++) {
    const entity = entities[index] as { readonly type: string; readonly key: string };
    if (entity.type !== 'device') continue;
    const hash = hashes ? (hashes[index] as number) : entityHash(entity.key);
    if (least === 0 || hash < least) least = hash;
  }
  return least;
}

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
