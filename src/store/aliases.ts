/**
 * Entity aliases (domain/entity.ts `entityAliases`): the other keys under which a source that knows less may name
 * an entity. Learnt from every alert and event written; used to resolve keys on write (alerts) and to widen
 * searches (events).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

const LOOKUP_CHUNK = 500;

/** Record aliases. An alias claimed by two different entities becomes ambiguous (null): nobody can tell which is meant. */
export async function registerAliases(
  db: Kysely<Database>,
  pairs: readonly (readonly [string, string])[],
  nowMs: number,
): Promise<void> {
  const targets = new Map<string, string | null>();
  for (const [alias, key] of pairs) {
    const existing = targets.get(alias);
    targets.set(alias, existing === undefined || existing === key ? key : null);
  }
  if (targets.size === 0) return;
  const rows = [...targets].map(([alias_key, entity_key]) => ({ alias_key, entity_key, updated_at: nowMs }));
  for (let start = 0; start < rows.length; start += LOOKUP_CHUNK) {
    await db
      .insertInto('entity_aliases')
      .values(rows.slice(start, start + LOOKUP_CHUNK))
      .onConflict((conflict) =>
        conflict.column('alias_key').doUpdateSet({
          entity_key: sql<
            string | null
          >`case when entity_aliases.entity_key = excluded.entity_key then excluded.entity_key else null end`,
          updated_at: (eb) => eb.ref('excluded.updated_at'),
        }),
      )
      .execute();
  }
}

export async function loadAliases(
  db: Kysely<Database>,
  keys: readonly string[],
): Promise<Map<string, string | null>> {
  const found = new Map<string, string | null>();
  for (let start = 0; start < keys.length; start += LOOKUP_CHUNK) {
    const rows = await db
      .selectFrom('entity_aliases')
      .select(['alias_key', 'entity_key'])
      .where('alias_key', 'in', keys.slice(start, start + LOOKUP_CHUNK))
      .execute();
    for (const row of rows) found.set(row.alias_key, row.entity_key);
  }
  return found;
}

/**
 * Every key that names the same entity as `key`: the key, what it is an alias of, and the aliases of that. For
 * searches over records stored before an alias was known.
 */
export async function equivalentKeys(db: Kysely<Database>, key: string): Promise<string[]> {
  // One statement: what `key` is an alias of, and the aliases of `key` or of that.
  const rows = await db
    .selectFrom('entity_aliases')
    .select(['alias_key', 'entity_key'])
    .where((eb) =>
      eb.or([
        eb('alias_key', '=', key),
        eb('entity_key', '=', key),
        eb(
          'entity_key',
          '=',
          eb
            .selectFrom('entity_aliases as target')
            .select('target.entity_key')
            .where('target.alias_key', '=', key),
        ),
      ]),
    )
    .execute();
  const canonical = rows.find((row) => row.alias_key === key)?.entity_key ?? key;
  const keys = new Set([key, canonical]);
  for (const row of rows) if (row.entity_key === canonical) keys.add(row.alias_key);
  return [...keys];
}
