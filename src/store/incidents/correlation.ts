/**
 * What correlation writes and reads of incidents (correlate/ports.ts `CorrelationIncidents`): the lock that makes
 * steps take turns, the alerts waiting, the generation, the entity index's rows, and `apply` — one write of a step's
 * plan: new incidents, merges (redirected, their earlier redirects repointed), alerts assigned, links, summaries.
 */
import { sql, SqliteAdapter, type Kysely } from 'kysely';
import { bumpCorrelationGeneration } from '../entity-index.js';
import type { Database } from '../schema.js';
import { publicIncidentId } from '../../domain/ids.js';
import type { CorrelationIncidents, CorrelationPlan } from '../../correlate/ports.js';
import { newIncidentFields } from '../../domain/incident.js';
import type { Atomically } from '../query-helpers.js';
import type { Aggregate, IncidentStatements } from './rows.js';
import { CHUNK, aggregate, aggregateColumns, rowColumns, startColumns, toRow } from './rows.js';

export function correlationOperations(
  db: Kysely<Database>,
  atomically: Atomically,
  statements: IncidentStatements,
): Omit<CorrelationIncidents, 'keyTimelines' | 'neighbourAlerts'> & { countPending(): Promise<number> } {
  return {
    async lockForCorrelation() {
      if (db.getExecutor().adapter instanceof SqliteAdapter) {
        // A no-op write: SQLite takes its write lock now, so what this transaction reads is what it writes over.
        await sql`update incidents set id = id where id = -1`.execute(db);
        return;
      }
      await sql`select pg_advisory_xact_lock(727001)`.execute(db);
    },

    async pendingAlerts(limit) {
      const rows = await db
        .selectFrom('alerts')
        .select(rowColumns)
        .where('incident_id', 'is', null)
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toRow);
    },

    async correlationGeneration() {
      const row = await db
        .selectFrom('correlation_state')
        .select('generation')
        .where('id', '=', 1)
        .executeTakeFirstOrThrow();
      return Number(row.generation);
    },

    async timelineRows(from, after, limit) {
      const rows = await sql<{
        entity_hash: number | string;
        at: number | string;
        alert_id: number | string;
        device_hash: number | string;
      }>`select entity_hash, at, alert_id, device_hash from alert_entities
        where at >= ${from}${after ? sql` and (entity_hash, at, alert_id) > (${after.hash}, ${after.at}, ${after.alertId})` : sql``}
        order by entity_hash, at, alert_id limit ${limit}`.execute(db);
      return rows.rows.map((row) => ({
        hash: Number(row.entity_hash),
        at: Number(row.at),
        alertId: Number(row.alert_id),
        device: Number(row.device_hash),
      }));
    },

    async countPending() {
      const row = await db
        .selectFrom('alerts')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('incident_id', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    apply: (plan, now) =>
      atomically(async (executor) => {
        const nowMs = now.getTime();
        let created = 0;
        let merged = 0;
        let assigned = 0;
        const assignments: [number, string][] = [];
        // What the incidents of this step hold so far (targets and those merged into them).
        const ids = [
          ...new Set(
            plan.groups.flatMap((group) => [
              ...(group.target === null ? [] : [group.target]),
              ...group.merged.map((merge) => merge.id),
            ]),
          ),
        ];
        const stored = new Map<number, Aggregate>();
        for (let begin = 0; begin < ids.length; begin += CHUNK) {
          const rows = await executor
            .selectFrom('incidents')
            .select([
              'id',
              'lead_title',
              'lead_category',
              'severity',
              'alert_count',
              'first_activity_at',
              'last_activity_at',
              'entities',
              'devices',
            ])
            .where('id', 'in', ids.slice(begin, begin + CHUNK))
            .execute();
          for (const row of rows) stored.set(Number(row.id), row);
        }
        const partsOf = (group: CorrelationPlan['groups'][number]) =>
          [...(group.target === null ? [] : [group.target]), ...group.merged.map((merge) => merge.id)]
            .map((id) => stored.get(id))
            .filter((part): part is Aggregate => part !== undefined);

        // New incidents first, in a few statements; each is known by the alert it was created for.
        const created_ids = new Map<number, number>();
        const fresh = plan.groups.filter((group) => group.target === null);
        if (fresh.length > 0) {
          // Rows built column by column (an object spread per incident costs more than its aggregate).
          const start: Record<(typeof startColumns)[number], unknown> = {
            status: newIncidentFields.status,
            redirect_to: null,
            classification: newIncidentFields.classification,
            determination: newIncidentFields.determination,
            assignee: newIncidentFields.assignedTo,
            tags: JSON.stringify(newIncidentFields.tags),
            created_at: nowMs,
            updated_at: nowMs,
            analyst_updated_at: null,
          };
          const startValues = startColumns.map((column) => start[column]);
          const rows = fresh.map((group) => {
            const values = aggregate([], group.added);
            return [
              ...aggregateColumns.map((column) => values[column]),
              ...startValues,
              group.assign[0] as number,
            ];
          });
          const inserted = await statements.insertIncidents.runReturning(
            executor as unknown as Kysely<never>,
            rows,
          );
          if ('rowids' in inserted)
            inserted.rowids.forEach((id, index) =>
              created_ids.set(fresh[index]?.assign[0] as number, id as number),
            );
          else
            for (const row of inserted.rows as { id: number; origin_alert_id: number }[])
              created_ids.set(Number(row.origin_alert_id), Number(row.id));
          created += fresh.length;
        }
        const updates: unknown[][] = [];
        const merges: { id: number; target: number; alertId: number | null; entityKey: string | null }[] = [];
        const incidents: { id: number; alerts: number }[] = [];
        for (const group of plan.groups) {
          let target = group.target;
          if (target === null) {
            target = created_ids.get(group.assign[0] as number) as number;
            incidents.push({ id: target, alerts: group.assign.length });
          } else {
            // Automation's fields only: status, classification and the rest stay the analyst's.
            const values = aggregate(partsOf(group), group.added);
            incidents.push({ id: target, alerts: values.alert_count });
            updates.push([...aggregateColumns.map((column) => values[column]), nowMs, target]);
          }
          for (const merge of group.merged) merges.push({ ...merge, target });
          for (const id of group.assign) assignments.push([id, publicIncidentId(target)]);
        }
        // Each merged incident: its alerts move to the target, it redirects there (and so do the incidents merged
        // into it before), and the merge is recorded.
        // (A merged incident is never the target of another merge in the same plan: the statements' rows are
        // independent, as running them over arrays needs.)
        const merging = statements.merging;
        const bulk = executor as unknown as Kysely<never>;
        const from = (merge: (typeof merges)[number]) => publicIncidentId(merge.id);
        const to = (merge: (typeof merges)[number]) => publicIncidentId(merge.target);
        await merging.moveAlerts.run(
          bulk,
          merges.map((merge) => [to(merge), from(merge)]),
        );
        await merging.redirect.run(
          bulk,
          merges.map((merge) => ['redirected', merge.target, 0, nowMs, merge.id]),
        );
        await merging.repoint.run(
          bulk,
          merges.map((merge) => [merge.target, merge.id]),
        );
        await statements.insertMerges.runFlat(
          executor as unknown as Kysely<never>,
          merges.flatMap((merge) => [merge.id, merge.target, nowMs, merge.alertId, merge.entityKey]),
        );
        merged = merges.length;
        // Rows updated in the order of their ids: each statement's seek lands next to the previous one.
        await statements.updateAggregate.run(
          executor as unknown as Kysely<never>,
          updates.sort((a, b) => (a.at(-1) as number) - (b.at(-1) as number)),
        );
        assignments.sort((a, b) => a[0] - b[0]);
        await statements.assignAlert.run(
          executor as unknown as Kysely<never>,
          assignments.map(([id, incident]) => [incident, id]),
        );
        assigned = assignments.length;
        await statements.insertLinks.runFlat(
          executor as unknown as Kysely<never>,
          plan.links.flatMap((link) => [link.alertId, link.otherAlertId, link.entityKey, nowMs]),
        );
        await bumpCorrelationGeneration(executor as unknown as Kysely<never>);
        return { created, merged, assigned, incidents };
      }),
  };
}
