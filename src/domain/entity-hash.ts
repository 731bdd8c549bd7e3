/**
 * Entity keys as numbers: correlation's entity index and its timelines in memory key on a 53-bit hash of the
 * entity key rather than the key itself (integer keys keep the index small and its inserts cheap). A hash match is
 * always confirmed against the alert's own entities, so a collision can never make an alert name an entity it does
 * not.
 */

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
