/**
 * Allow and block indicators: added by analysts or imported (a source's reference updates in place), listed,
 * looked up by entity key for investigations, removed.
 */
import { type Kysely } from 'kysely';
import type { Indicator, IndicatorDraft } from '../../domain/indicator.js';
import { decodeCursor, encodeCursor } from '../query-helpers.js';
import type { Database } from '../schema.js';
import { indicatorIds } from '../../domain/ids.js';
import type { Page, PageRequest } from '../../domain/page.js';
import type { Atomically } from '../query-helpers.js';
import { toIndicator } from './rows.js';

/** Allow and block indicators, as analysts and imports keep them. */
export interface IndicatorStore {
  addIndicators(drafts: readonly IndicatorDraft[], by: string, now: Date): Promise<Indicator[]>;
  listIndicators(filter: IndicatorFilter, page: PageRequest): Promise<Page<Indicator>>;
  /** Active indicators on any of these keys. */
  indicatorsFor(keys: readonly string[], now: Date): Promise<Indicator[]>;
  removeIndicator(id: string): Promise<boolean>;
}

export function indicatorOperations(db: Kysely<Database>, atomically: Atomically): IndicatorStore {
  return {
    addIndicators: (drafts, by, now) =>
      atomically(async (executor) => {
        const time = now.getTime();
        const stored: Indicator[] = [];
        for (const draft of drafts) {
          const values = {
            entity_key: draft.entityKey,
            action: draft.action,
            title: draft.title ?? null,
            description: draft.description ?? null,
            source: draft.source,
            source_ref: draft.sourceRef ?? null,
            severity: draft.severity ?? null,
            expires_at: draft.expiresAt ?? null,
            created_at: time,
            created_by: by,
          };
          const row =
            draft.sourceRef === undefined
              ? await executor
                  .insertInto('indicators')
                  .values(values)
                  .returningAll()
                  .executeTakeFirstOrThrow()
              : await executor
                  .insertInto('indicators')
                  .values(values)
                  .onConflict((conflict) =>
                    conflict.columns(['source', 'source_ref']).doUpdateSet({
                      entity_key: values.entity_key,
                      action: values.action,
                      title: values.title,
                      description: values.description,
                      severity: values.severity,
                      expires_at: values.expires_at,
                    }),
                  )
                  .returningAll()
                  .executeTakeFirstOrThrow();
          stored.push(toIndicator(row));
        }
        return stored;
      }),

    async listIndicators(filter, page) {
      const limit = Math.max(1, Math.min(page.limit, 1000));
      let query = db.selectFrom('indicators').selectAll();
      if (filter.action) query = query.where('action', '=', filter.action);
      if (filter.entityKey) query = query.where('entity_key', '=', filter.entityKey);
      if (filter.source) query = query.where('source', '=', filter.source);
      if (page.cursor !== undefined) query = query.where('id', '<', decodeCursor(page.cursor)[1]);
      const rows = await query
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return {
        items: items.map((row) => toIndicator(row)),
        nextCursor: rows.length > limit && last ? encodeCursor(0, Number(last.id)) : null,
      };
    },

    async indicatorsFor(keys, now) {
      if (keys.length === 0) return [];
      const rows = await db
        .selectFrom('indicators')
        .selectAll()
        .where('entity_key', 'in', [...new Set(keys)])
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now.getTime())]))
        .orderBy('id')
        .execute();
      return rows.map((row) => toIndicator(row));
    },

    async removeIndicator(id) {
      const key = indicatorIds.parse(id);
      if (key === undefined) return false;
      const result = await db.deleteFrom('indicators').where('id', '=', key).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

export interface IndicatorFilter {
  readonly action?: 'allow' | 'block';
  readonly entityKey?: string;
  readonly source?: string;
}
