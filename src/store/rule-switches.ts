/** Detection rules switched off (detect/switches.ts), in the settings table, read through a short cache. */
import type { Kysely } from 'kysely';
import type { Atomically } from './query-helpers.js';
import { DISABLED_RULES_SETTING, switchedOffOf } from '../domain/rule-switches.js';
import type { RuleSwitches } from '../ingest/ports.js';
import { writeAudit } from './audit-store.js';
import type { Database } from './schema.js';

/** How long a process trusts what it read: switching a rule off elsewhere reaches it within this. */
const FRESH_MS = 5000;

/** What a store and the stores bound to its transactions share: the last read. */
export interface RuleSwitchCache {
  value?: { readonly at: number; readonly switched: ReturnType<typeof switchedOffOf> };
}

/** Reads and writes through `db` (the store's connection, or the transaction it is bound to). */
export function createRuleSwitches(
  db: Kysely<Database>,
  atomically: Atomically,
  cache: RuleSwitchCache,
): RuleSwitches {
  const read = async (executor: Kysely<Database>) => {
    const row = await executor
      .selectFrom('settings')
      .select('value')
      .where('key', '=', DISABLED_RULES_SETTING)
      .executeTakeFirst();
    return row ? (JSON.parse(row.value) as unknown) : undefined;
  };
  return {
    async switchedOff() {
      if (cache.value && Date.now() - cache.value.at < FRESH_MS) return cache.value.switched;
      const switched = switchedOffOf(await read(db));
      cache.value = { at: Date.now(), switched };
      return switched;
    },

    async set(ruleId, on, by, now, reason) {
      await atomically(async (trx) => {
        // The row is locked for the change on PostgreSQL (two people switching two rules keep both switches).
        await trx
          .insertInto('settings')
          .values({ key: DISABLED_RULES_SETTING, value: '{}', updated_at: now.getTime(), updated_by: by })
          .onConflict((conflict) => conflict.column('key').doUpdateSet({ key: DISABLED_RULES_SETTING }))
          .execute();
        const current = Object.fromEntries(switchedOffOf(await read(trx)));
        const before = current[ruleId];
        if (on) delete current[ruleId];
        else current[ruleId] = { by, at: now.toISOString(), ...(reason ? { reason } : {}) };
        await trx
          .updateTable('settings')
          .set({ value: JSON.stringify(current), updated_at: now.getTime(), updated_by: by })
          .where('key', '=', DISABLED_RULES_SETTING)
          .execute();
        await writeAudit(
          trx,
          {
            actor: by,
            operation: on ? 'rule.enable' : 'rule.disable',
            target: ruleId,
            before: before ? { enabled: false, ...before } : { enabled: true },
            after: on ? { enabled: true } : { enabled: false, ...(reason ? { reason } : {}) },
          },
          now,
        );
      });
      cache.value = undefined;
    },
  };
}
