/**
 * Investigations' proposals planned into actions: those waiting, and one transaction that links each to its actions
 * (or marks it skipped) and lets its investigation follow.
 */
import { type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { ActionRecord } from '../../domain/action.js';
import type { ActionDraft, ActionPlanning } from '../../respond/ports.js';
import type { Atomically } from '../query-helpers.js';
import { type ActionChanges } from './changes.js';

/** Rows per statement. */
const CHUNK = 200;

export function proposalOperations(
  db: Kysely<Database>,
  atomically: Atomically,
  changes: ActionChanges,
): Pick<ActionPlanning, 'pendingProposals' | 'planProposals'> {
  const { insertMany, followInvestigation } = changes;
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
        // The proposals as they are now, in one read; then links and status changes written in few statements.
        const current = new Map<number, { status: string; investigation_id: number }>();
        const ids = items.map((item) => item.proposalId);
        for (let start = 0; start < ids.length; start += CHUNK)
          for (const row of await executor
            .selectFrom('proposed_actions')
            .select(['id', 'status', 'investigation_id'])
            .where('id', 'in', ids.slice(start, start + CHUNK))
            .execute())
            current.set(Number(row.id), {
              status: row.status,
              investigation_id: Number(row.investigation_id),
            });
        const links: { proposal_id: number; action_id: number; investigation_id: number }[] = [];
        // Proposal ids by the status and rule they take.
        const outcomes = new Map<string, { status: string; rule: string | null; ids: number[] }>();
        const settle = (proposalId: number, status: string, rule: string | null) => {
          const key = JSON.stringify([status, rule]);
          const outcome = outcomes.get(key) ?? { status, rule, ids: [] };
          outcome.ids.push(proposalId);
          outcomes.set(key, outcome);
        };
        // The drafts of every proposal still waiting, created together; then each proposal takes its actions.
        const planned: { proposalId: number; investigationKey: number; drafts: number }[] = [];
        const drafts: ActionDraft[] = [];
        for (const { proposalId, plan } of items) {
          const proposal = current.get(proposalId);
          // Planned by another worker meanwhile (or named twice here), or skipped: no actions.
          const waiting = proposal?.status === 'proposed';
          planned.push({
            proposalId,
            investigationKey: proposal?.investigation_id ?? 0,
            drafts: waiting && !('skip' in plan) ? plan.drafts.length : 0,
          });
          if (!proposal || !waiting) continue;
          current.set(proposalId, { ...proposal, status: 'planning' });
          touched.add(proposal.investigation_id);
          if ('skip' in plan) settle(proposalId, 'skipped', plan.skip);
          else {
            drafts.push(...plan.drafts);
            settle(proposalId, 'planned', plan.drafts[0]?.decision.rule ?? null);
          }
        }
        const created = await insertMany(executor, drafts, now);
        let next = 0;
        for (const { proposalId, investigationKey, drafts: count } of planned) {
          const actions = created.slice(next, next + count).map((result) => result.action);
          next += count;
          for (const action of actions)
            links.push({
              proposal_id: proposalId,
              action_id: action.key,
              investigation_id: investigationKey,
            });
          results.push(actions);
        }
        for (let start = 0; start < links.length; start += CHUNK)
          await executor
            .insertInto('proposal_actions')
            .values(links.slice(start, start + CHUNK))
            .onConflict((conflict) => conflict.doNothing())
            .execute();
        for (const { status, rule, ids: settled } of outcomes.values())
          for (let start = 0; start < settled.length; start += CHUNK)
            await executor
              .updateTable('proposed_actions')
              .set({ status, decision_rule: rule })
              .where('id', 'in', settled.slice(start, start + CHUNK))
              .execute();
        // Each investigation follows once, after all of its proposals are planned.
        for (const key of [...touched].sort((a, b) => a - b)) await followInvestigation(executor, key, now);
        return results;
      }),
  };
}
