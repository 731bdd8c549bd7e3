/**
 * Investigations read and decided on by analysts: one whole, lists, its alerts, cancelling, approving scope
 * expansions, resolving its alerts, dashboard statistics.
 */
import { sql, type Kysely } from 'kysely';
import { AutoirError } from '../../domain/errors.js';
import { type InvestigationStatus } from '../../domain/investigation.js';
import { alertColumns, toAlertRecord } from '../alert-store.js';
import { decodeCursor, encodeCursor } from '../query-helpers.js';
import type { Database } from '../schema.js';
import { parseIncidentId, parseInvestigationId } from '../../domain/ids.js';
import type { Page, PageRequest } from '../../domain/page.js';
import type { EngineState, InvestigationDetail, InvestigationRecord } from '../../domain/investigation.js';
import type { InvestigationQueue } from '../../investigate/ports.js';
import type { Atomically } from '../query-helpers.js';
import { cancellation, expansionsApproved } from '../../domain/investigation-lifecycle.js';
import type { InvestigationChanges } from './changes.js';
import type { InvestigationRow } from './rows.js';
import { toEvidence, toRecord } from './rows.js';

/** What the API, CLI and dashboard read and decide of investigations. */
export interface InvestigationReads {
  get(id: string): Promise<InvestigationDetail | undefined>;
  list(filter: InvestigationFilter, page: PageRequest): Promise<Page<InvestigationRecord>>;
  /** Cancel (terminatedByUser). */
  cancel(id: string, by: string, comment: string | undefined, now: Date): Promise<InvestigationDetail>;
  /** Approve the waiting scope expansions: the investigation resumes and adds the assets. */
  approveExpansions(id: string, by: string, now: Date): Promise<InvestigationDetail>;
  /**
   * For the dashboard: investigations per status, and the mean time from an investigation's first alert arriving
   * to its first verdicts (the end of its first `decide` step), over the latest `sample` investigations.
   */
  stats(sample?: number): Promise<{ byStatus: Record<string, number>; meanTimeToVerdictMs: number | null }>;
  /** The latest time an investigation changed (ms), for live updates. */
  lastChange(): Promise<number>;
}

export function readOperations(
  db: Kysely<Database>,
  atomically: Atomically,
  changes: InvestigationChanges,
): InvestigationReads &
  Pick<InvestigationQueue, 'getByKey' | 'getRecord' | 'evidenceOf' | 'alertsOf' | 'resolveAlerts'> {
  const { alertCounts, loadDetail, requireKey, move } = changes;
  return {
    get: (id) => {
      const key = parseInvestigationId(id);
      return key === undefined ? Promise.resolve(undefined) : loadDetail(db, key);
    },

    getByKey: (key) => loadDetail(db, key),

    async getRecord(key) {
      const row = await db.selectFrom('investigations').selectAll().where('id', '=', key).executeTakeFirst();
      return row ? toRecord(row as InvestigationRow, 0) : undefined;
    },

    async evidenceOf(key) {
      const rows = await db
        .selectFrom('investigation_evidence')
        .selectAll()
        .where('investigation_id', '=', key)
        .orderBy('added_at')
        .orderBy('entity_key')
        .execute();
      return rows.map(toEvidence);
    },

    async alertsOf(key) {
      const rows = await db
        .selectFrom('alerts')
        .select(alertColumns)
        .where(
          'id',
          'in',
          db.selectFrom('investigation_alerts').select('alert_id').where('investigation_id', '=', key),
        )
        .orderBy('id')
        .execute();
      return rows.map((row) => toAlertRecord(row as Parameters<typeof toAlertRecord>[0]));
    },

    async list(filter, page) {
      const limit = Math.max(1, Math.min(page.limit, 1000));
      let query = db.selectFrom('investigations').selectAll();
      if (filter.statuses?.length) query = query.where('status', 'in', [...filter.statuses]);
      if (filter.playbook !== undefined) query = query.where('playbook', '=', filter.playbook);
      if (filter.incidentId !== undefined)
        query = query.where('incident_id', '=', parseIncidentId(filter.incidentId) ?? -1);
      if (filter.entityKey !== undefined)
        query = query.where(
          'id',
          'in',
          db
            .selectFrom('investigation_evidence')
            .select('investigation_id')
            .where('entity_key', '=', filter.entityKey),
        );
      if (page.cursor !== undefined) {
        const [, id] = decodeCursor(page.cursor);
        query = query.where('id', '<', id);
      }
      const rows = await query
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const items = rows.slice(0, limit);
      const counts = await alertCounts(
        db,
        items.map((row) => Number(row.id)),
      );
      const last = items[items.length - 1];
      return {
        items: items.map((row) => toRecord(row as InvestigationRow, counts.get(Number(row.id)) ?? 0)),
        nextCursor: rows.length > limit && last ? encodeCursor(0, Number(last.id)) : null,
      };
    },

    cancel: async (id, by, comment, now) => {
      const key = requireKey(id);
      await atomically(async (executor) => {
        await move(executor, key, { type: 'cancel' }, now.getTime(), {
          status_reason: cancellation(by, comment),
          step: 'done',
        });
        await executor
          .insertInto('investigation_log')
          .values({
            investigation_id: key,
            step: 'cancel',
            started_at: now.getTime(),
            duration_ms: 0,
            waited_ms: 0,
            waited_as: null,
            result: cancellation(by, comment),
            worker: by,
          })
          .execute();
      });
      return (await loadDetail(db, key)) as InvestigationDetail;
    },

    approveExpansions: async (id, by, now) => {
      const key = requireKey(id);
      await atomically(async (executor) => {
        const row = await executor
          .selectFrom('investigations')
          .select(['status', 'state'])
          .where('id', '=', key)
          .executeTakeFirst();
        if (!row) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no investigation ${id}`);
        const time = now.getTime();
        const { step, state, approved } = expansionsApproved(
          id,
          row.status as InvestigationStatus,
          JSON.parse(row.state) as EngineState,
          time,
        );
        await move(executor, key, { type: 'resume' }, time, {
          step,
          queued_at: time,
          status_reason: null,
          state: JSON.stringify(state),
        });
        await executor
          .insertInto('investigation_log')
          .values({
            investigation_id: key,
            step: 'approveExpansion',
            started_at: time,
            duration_ms: 0,
            waited_ms: 0,
            waited_as: null,
            result: `${by} approved adding ${approved.join(', ')}`,
            worker: by,
          })
          .execute();
      });
      return (await loadDetail(db, key)) as InvestigationDetail;
    },

    async resolveAlerts(key, now) {
      const result = await db
        .updateTable('alerts')
        .set({ status: 'resolved', status_by: 'automation', updated_at: now.getTime() })
        .where(
          'id',
          'in',
          db.selectFrom('investigation_alerts').select('alert_id').where('investigation_id', '=', key),
        )
        .where((eb) => eb.or([eb('status_by', 'is', null), eb('status_by', '=', 'automation')]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async stats(sample = 1000) {
      const counted = await db
        .selectFrom('investigations')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      const byStatus = Object.fromEntries(counted.map((row) => [row.status, Number(row.n)]));
      const latest = await db
        .selectFrom('investigations')
        .select('id')
        .orderBy('id', 'desc')
        .limit(sample)
        .execute();
      if (latest.length === 0) return { byStatus, meanTimeToVerdictMs: null };
      const ids = latest.map((row) => Number(row.id));
      const [verdicts, arrivals] = await Promise.all([
        db
          .selectFrom('investigation_log')
          .select(['investigation_id', (eb) => eb.fn.min(sql<number>`started_at + duration_ms`).as('at')])
          .where('investigation_id', 'in', ids)
          .where('step', '=', 'decide')
          .groupBy('investigation_id')
          .execute(),
        db
          .selectFrom('investigation_alerts')
          .innerJoin('alerts', 'alerts.id', 'investigation_alerts.alert_id')
          .select(['investigation_alerts.investigation_id', (eb) => eb.fn.min('alerts.ingested_at').as('at')])
          .where('investigation_alerts.investigation_id', 'in', ids)
          .groupBy('investigation_alerts.investigation_id')
          .execute(),
      ]);
      const arrived = new Map(arrivals.map((row) => [Number(row.investigation_id), Number(row.at)]));
      const waits = verdicts
        .map((row) => Number(row.at) - (arrived.get(Number(row.investigation_id)) ?? Number.NaN))
        .filter((wait) => Number.isFinite(wait) && wait >= 0);
      return {
        byStatus,
        meanTimeToVerdictMs: waits.length
          ? Math.round(waits.reduce((a, b) => a + b, 0) / waits.length)
          : null,
      };
    },

    async lastChange() {
      const row = await db
        .selectFrom('investigations')
        .select((eb) => eb.fn.max('updated_at').as('at'))
        .executeTakeFirst();
      return Number(row?.at ?? 0);
    },
  };
}

export interface InvestigationFilter {
  readonly statuses?: readonly InvestigationStatus[];
  readonly incidentId?: string;
  readonly playbook?: string;
  /** Only investigations holding this entity as evidence (a device, a file, a user…). */
  readonly entityKey?: string;
}
