/**
 * The counts behind measured precision (domain/precision.ts): actions investigations proposed, created in a period,
 * by status, by whether policy ran them and whether they were undone — per action type in its group, per playbook,
 * per detection rule of the investigation's alerts, and per analyzer whose findings incriminated the evidence.
 */
import { type ExpressionBuilder, type Kysely } from 'kysely';
import type { ActionStatus } from '../../domain/action.js';
import type { Finding } from '../../domain/evidence.js';
import { precisionRows, type MeasuredPrecision, type OutcomeCount } from '../../domain/precision.js';
import type { Database } from '../schema.js';

/** 1 when the action was undone or an undo of it was asked for (it may still be queued). */
export function undoneFlag(eb: ExpressionBuilder<Database, 'actions'>) {
  return eb
    .case()
    .when(
      eb.or([
        eb('actions.undone_by', 'is not', null),
        eb.exists(
          eb.selectFrom('actions as undo').select('undo.id').whereRef('undo.undo_of', '=', 'actions.id'),
        ),
      ]),
    )
    .then(1)
    .else(0)
    .end();
}

const byPolicy = (eb: ExpressionBuilder<Database, 'actions'>) =>
  eb.case().when('actions.decided_by', '=', 'policy').then(1).else(0).end();

export async function readPrecision(
  db: Kysely<Database>,
  since: Date,
  until: Date,
): Promise<MeasuredPrecision> {
  const proposed = db
    .selectFrom('actions')
    .where('actions.source', '=', 'investigation')
    .where('actions.created_at', '>=', since.getTime())
    .where('actions.created_at', '<', until.getTime());
  const outcome = (row: { status: string; by_policy: unknown; undone: unknown; n: unknown }) => ({
    status: row.status as ActionStatus,
    byPolicy: Number(row.by_policy) === 1,
    undone: Number(row.undone) === 1,
    count: Number(row.n),
  });

  const types = await proposed
    .select((eb) => [
      'actions.group_kind',
      'actions.group_name',
      'actions.type',
      'actions.status',
      byPolicy(eb).as('by_policy'),
      undoneFlag(eb).as('undone'),
      eb.fn.countAll<number>().as('n'),
    ])
    .groupBy([
      'actions.group_kind',
      'actions.group_name',
      'actions.type',
      'actions.status',
      'by_policy',
      'undone',
    ])
    .execute();

  const playbooks = await proposed
    .innerJoin('investigations', 'investigations.id', 'actions.investigation_id')
    .select((eb) => [
      'investigations.playbook',
      'actions.status',
      byPolicy(eb).as('by_policy'),
      undoneFlag(eb).as('undone'),
      eb.fn.countAll<number>().as('n'),
    ])
    .groupBy(['investigations.playbook', 'actions.status', 'by_policy', 'undone'])
    .execute();

  // An action counts once for each rule that raised one of its investigation's alerts.
  const rules = await proposed
    .innerJoin('investigation_alerts', 'investigation_alerts.investigation_id', 'actions.investigation_id')
    .innerJoin('alerts', 'alerts.id', 'investigation_alerts.alert_id')
    .where('alerts.detector', 'is not', null)
    .select((eb) => [
      'alerts.detector',
      eb.fn.max('alerts.title').as('title'),
      'actions.status',
      byPolicy(eb).as('by_policy'),
      undoneFlag(eb).as('undone'),
      eb.fn.count<number>('actions.id').distinct().as('n'),
    ])
    .groupBy(['alerts.detector', 'actions.status', 'by_policy', 'undone'])
    .execute();

  // Analyzers: those whose findings weighed against the evidence the action remediates (read and folded here).
  const judged = await proposed
    .innerJoin('investigation_evidence', (join) =>
      join
        .onRef('investigation_evidence.investigation_id', '=', 'actions.investigation_id')
        .onRef('investigation_evidence.entity_key', '=', 'actions.evidence_key'),
    )
    .select((eb) => [
      'actions.status',
      byPolicy(eb).as('by_policy'),
      undoneFlag(eb).as('undone'),
      'investigation_evidence.findings',
    ])
    .execute();
  const analyzerCounts: OutcomeCount[] = [];
  for (const row of judged) {
    const analyzers = new Set(
      (JSON.parse(row.findings) as Finding[]).filter((finding) => finding.weight > 0).map((f) => f.analyzer),
    );
    for (const analyzer of analyzers) analyzerCounts.push({ key: analyzer, ...outcome({ ...row, n: 1 }) });
  }

  return {
    actionTypes: precisionRows(
      types.map((row) => ({
        key: JSON.stringify([row.group_kind ?? '', row.group_name ?? '', row.type]),
        ...outcome(row),
      })),
    ),
    playbooks: precisionRows(playbooks.map((row) => ({ key: row.playbook, ...outcome(row) }))),
    rules: precisionRows(rules.map((row) => ({ key: row.detector as string, ...outcome(row) }))),
    ruleTitles: Object.fromEntries(rules.map((row) => [row.detector as string, String(row.title ?? '')])),
    analyzers: precisionRows(analyzerCounts),
  };
}
