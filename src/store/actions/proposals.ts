/**
 * Investigations' proposals planned into actions: those waiting, and one transaction that links each to its actions
 * (or marks it skipped) and lets its investigation follow.
 */
import { type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { ActionRecord } from '../../domain/action.js';
import type { ActionPlanning } from '../../respond/ports.js';
import type { Atomically } from '../query-helpers.js';
import { type ActionChanges } from './changes.js';

export function proposalOperations(
  db: Kysely<Database>,
  atomically: Atomically,
  changes: ActionChanges,
): Pick<ActionPlanning, 'pendingProposals' | 'planProposals'> {
  const { insert, followInvestigation } = changes;
  return {
    async pendingProposals(limit) {
      const rows = await db
        .selectFrom('proposed_actions')
        .leftJoin('investigation_evidence', (join) =>
          join
            .onRef('investigation_evidence.investigation_id', '=', 'proposed_actions.investigation_id')
            .onRef('investigation_evidence.entity_key', '=', 'proposed_actions.evidence_key'),
        )
        .select([
          'proposed_actions.id',
          'proposed_actions.investigation_id',
          'proposed_actions.type',
          'proposed_actions.target_key',
          'proposed_actions.evidence_key',
          'proposed_actions.reasons',
          'investigation_evidence.verdict',
          'investigation_evidence.entity',
        ])
        .where('proposed_actions.status', '=', 'proposed')
        .orderBy('proposed_actions.id')
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        id: Number(row.id),
        investigationKey: Number(row.investigation_id),
        type: row.type,
        targetKey: row.target_key,
        evidenceKey: row.evidence_key,
        reasons: JSON.parse(row.reasons) as string[],
        verdict: row.verdict,
        entity: row.entity ? (JSON.parse(row.entity) as Record<string, unknown>) : null,
      }));
    },

    planProposals: (items, now) =>
      atomically(async (executor) => {
        const results: ActionRecord[][] = [];
        const touched = new Set<number>();
        for (const { proposalId, plan } of items) {
          const proposal = await executor
            .selectFrom('proposed_actions')
            .select(['status', 'investigation_id'])
            .where('id', '=', proposalId)
            .executeTakeFirst();
          // Planned by another worker meanwhile.
          if (!proposal || proposal.status !== 'proposed') {
            results.push([]);
            continue;
          }
          touched.add(Number(proposal.investigation_id));
          if ('skip' in plan) {
            await executor
              .updateTable('proposed_actions')
              .set({ status: 'skipped', decision_rule: plan.skip })
              .where('id', '=', proposalId)
              .execute();
            results.push([]);
            continue;
          }
          const actions: ActionRecord[] = [];
          for (const draft of plan.drafts) {
            const { action } = await insert(executor, draft, now);
            actions.push(action);
            await executor
              .insertInto('proposal_actions')
              .values({
                proposal_id: proposalId,
                action_id: action.key,
                investigation_id: Number(proposal.investigation_id),
              })
              .onConflict((conflict) => conflict.doNothing())
              .execute();
          }
          await executor
            .updateTable('proposed_actions')
            .set({ status: 'planned', decision_rule: plan.drafts[0]?.decision.rule ?? null })
            .where('id', '=', proposalId)
            .execute();
          results.push(actions);
        }
        // Each investigation follows once, after all of its proposals are planned.
        for (const key of [...touched].sort((a, b) => a - b)) await followInvestigation(executor, key, now);
        return results;
      }),
  };
}
