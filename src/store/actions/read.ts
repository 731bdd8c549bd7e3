/**
 * Actions read: one, lists and counts with filters, history, the blast-radius count of automatic ones, dashboard
 * statistics, and digests of pending actions.
 */
import { type Kysely } from 'kysely';
import { type ActionStatus } from '../../domain/action.js';
import type { Database } from '../schema.js';
import { parseActionId } from '../../domain/ids.js';
import type { Page, PageRequest } from '../../domain/page.js';
import type { ActionLogEntry, ActionRecord } from '../../domain/action.js';
import type { ActionDecisions, ActionNotices, ActionPlanning } from '../../respond/ports.js';
import { type ActionChanges } from './changes.js';
import type { ActionFilter } from './rows.js';
import { applyFilter, toAction } from './rows.js';
import { isoOrNull } from '../query-helpers.js';
import type { ShadowAgreement } from '../../domain/shadow.js';
import { readShadowAgreement } from './shadow.js';
import { readPrecision } from './precision.js';
import type { MeasuredPrecision } from '../../domain/precision.js';

/** What the API, CLI and dashboard read of actions besides the action center's decisions. */
export interface ActionReads {
  getByKey(key: number): Promise<ActionRecord | undefined>;
  /** Newest first. */
  list(filter: ActionFilter, page: PageRequest): Promise<Page<ActionRecord>>;
  count(filter: ActionFilter): Promise<number>;
  history(id: string): Promise<ActionLogEntry[]>;
  /** For the dashboard: actions per status, and how long the pending ones have waited (now − created). */
  stats(now: Date): Promise<{
    byStatus: Record<string, number>;
    pending: number;
    oldestPendingAt: string | null;
    meanPendingWaitMs: number | null;
  }>;
  /** The latest time an action changed (ms), for live updates. */
  lastChange(): Promise<number>;
  /** Shadow automation: per group and action type, what the shadow would have done against the analysts' decisions. */
  shadowAgreement(since: Date, until: Date): Promise<ShadowAgreement[]>;
  /** Measured precision: what became of the actions investigations proposed, per type, playbook, rule, analyzer. */
  precision(since: Date, until: Date): Promise<MeasuredPrecision>;
}

export function readOperations(
  db: Kysely<Database>,
  changes: ActionChanges,
): ActionReads &
  Pick<ActionDecisions, 'get' | 'getMany'> &
  Pick<ActionPlanning, 'countAutomatic'> &
  ActionNotices {
  const { byKey, requireKey } = changes;
  return {
    async get(id) {
      const key = parseActionId(id);
      if (key === undefined) return undefined;
      const row = await byKey(db, key);
      return row ? toAction(row) : undefined;
    },

    async getMany(ids) {
      const keys = [...new Set(ids.map((id) => parseActionId(id)).filter((key) => key !== undefined))];
      const found: ActionRecord[] = [];
      for (let start = 0; start < keys.length; start += 500)
        for (const row of await db
          .selectFrom('actions')
          .selectAll()
          .where('id', 'in', keys.slice(start, start + 500))
          .execute())
          found.push(toAction(row));
      return found;
    },

    async getByKey(key) {
      const row = await byKey(db, key);
      return row ? toAction(row) : undefined;
    },

    async list(filter, page) {
      let query = db.selectFrom('actions').selectAll();
      query = applyFilter(query, filter);
      const cursor = page.cursor ? parseActionId(page.cursor) : undefined;
      if (cursor !== undefined) query = query.where('id', '<', cursor);
      const rows = await query
        .orderBy('id', 'desc')
        .limit(page.limit + 1)
        .execute();
      const items = rows.slice(0, page.limit).map(toAction);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > page.limit && last ? last.id : null };
    },

    async count(filter) {
      const row = await applyFilter(db.selectFrom('actions'), filter)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async history(id) {
      const key = requireKey(id);
      const rows = await db
        .selectFrom('action_log')
        .selectAll()
        .where('action_id', '=', key)
        .orderBy('id')
        .execute();
      return rows.map((row) => ({
        at: isoOrNull(row.at) as string,
        from: row.from_status as ActionStatus | null,
        to: row.to_status as ActionStatus,
        by: row.by,
        message: row.message,
      }));
    },

    shadowAgreement: (since, until) => readShadowAgreement(db, since, until),
    precision: (since, until) => readPrecision(db, since, until),

    async countAutomatic(type, since, options = {}) {
      const row = await db
        .selectFrom('actions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('type', '=', type)
        .where((eb) => {
          const ran = eb.and([eb('decided_by', '=', 'policy'), eb('decided_at', '>=', since.getTime())]);
          return options.withShadow
            ? eb.or([
                ran,
                eb.and([eb('shadow_outcome', '=', 'approve'), eb('created_at', '>=', since.getTime())]),
              ])
            : ran;
        })
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async stats(now) {
      const counted = await db
        .selectFrom('actions')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      const byStatus = Object.fromEntries(counted.map((row) => [row.status, Number(row.n)]));
      const pending = await db
        .selectFrom('actions')
        .select([
          (eb) => eb.fn.min('created_at').as('oldest'),
          (eb) => eb.fn.avg<number>('created_at').as('mean'),
        ])
        .where('status', '=', 'pendingApproval')
        .executeTakeFirst();
      const count = byStatus.pendingApproval ?? 0;
      return {
        byStatus,
        pending: count,
        oldestPendingAt: count && pending?.oldest != null ? isoOrNull(Number(pending.oldest)) : null,
        meanPendingWaitMs:
          count && pending?.mean != null ? Math.round(now.getTime() - Number(pending.mean)) : null,
      };
    },

    async lastChange() {
      const row = await db
        .selectFrom('actions')
        .select((eb) => eb.fn.max('updated_at').as('at'))
        .executeTakeFirst();
      return Number(row?.at ?? 0);
    },

    async pendingUnnotified(limit) {
      const rows = await db
        .selectFrom('actions')
        .selectAll()
        .where('status', '=', 'pendingApproval')
        .where('notified_at', 'is', null)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toAction);
    },

    async markNotified(keys, now) {
      for (let start = 0; start < keys.length; start += 500)
        await db
          .updateTable('actions')
          .set({ notified_at: now.getTime() })
          .where('id', 'in', keys.slice(start, start + 500))
          .execute();
    },
  };
}
