/**
 * The investigations workers run (investigate/ports.ts `InvestigationQueue`): claims under a bounded number
 * running, fenced step commits (domain/investigation-lifecycle.ts says what each one makes of the investigation).
 */
import { type Insertable, type Kysely } from 'kysely';
import { type InvestigationStatus } from '../../domain/investigation.js';
import { thisHostClaims, isDeadClaim } from '../claims.js';
import type { Database } from '../schema.js';
import type { EngineState } from '../../domain/investigation.js';
import type { InvestigationQueue } from '../../investigate/ports.js';
import type { Atomically } from '../query-helpers.js';
import { afterClaim, afterStep } from '../../domain/investigation-lifecycle.js';
import type { InvestigationChanges } from './changes.js';
import type { InvestigationRow } from './rows.js';
import { RUNNABLE, evidenceValues, toRecord } from './rows.js';

export function queueOperations(
  db: Kysely<Database>,
  atomically: Atomically,
  changes: InvestigationChanges,
): Pick<InvestigationQueue, 'releaseDeadClaims' | 'claim' | 'commitStep'> & {
  countRunnable(): Promise<number>;
} {
  const { isSqlite, lockForClaim } = changes;
  return {
    async releaseDeadClaims(holder) {
      const rows = await db
        .selectFrom('investigations')
        .select(['id', 'claimed_by'])
        .where('claimed_by', 'like', thisHostClaims)
        .execute();
      const dead = rows.filter(
        (row) => isDeadClaim(row.claimed_by) || (holder !== undefined && row.claimed_by === holder),
      );
      if (dead.length === 0) return 0;
      await db
        .updateTable('investigations')
        .set({ claimed_by: null, lease_until: null })
        .where(
          'id',
          'in',
          dead.map((row) => row.id),
        )
        .execute();
      return dead.length;
    },

    async claim(worker, now, leaseMs, maxRunning) {
      // Nothing claimable (most calls: a worker asks until none is left): no transaction, no claim lock.
      const any = await db
        .selectFrom('investigations')
        .select('id')
        .where('status', 'in', RUNNABLE)
        .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('lease_until', '<=', now.getTime())]))
        .limit(1)
        .executeTakeFirst();
      if (!any) return undefined;
      return atomically(async (executor) => {
        const time = now.getTime();
        await lockForClaim(executor);
        const held = await executor
          .selectFrom('investigations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', 'in', RUNNABLE)
          .where('claimed_by', 'is not', null)
          .where('lease_until', '>', time)
          .executeTakeFirstOrThrow();
        if (Number(held.n) >= maxRunning) return undefined;
        let query = executor
          .selectFrom('investigations')
          .selectAll()
          .where('status', 'in', RUNNABLE)
          .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('lease_until', '<=', time)]))
          .orderBy('id')
          .limit(1);
        if (!isSqlite) query = query.forUpdate().skipLocked();
        const row = await query.executeTakeFirst();
        if (!row) return undefined;
        const started = afterClaim(
          {
            status: row.status as InvestigationStatus,
            state: JSON.parse(row.state) as EngineState,
            startedAt: row.started_at === null ? null : Number(row.started_at),
            queuedAt: Number(row.queued_at),
          },
          time,
        );
        await executor
          .updateTable('investigations')
          .set({
            claimed_by: worker,
            lease_until: time + leaseMs,
            updated_at: time,
            ...(started
              ? {
                  status: started.status,
                  started_at: started.startedAt,
                  state: JSON.stringify(started.state),
                }
              : {}),
          })
          .where('id', '=', row.id)
          .execute();
        const claimed = await executor
          .selectFrom('investigations')
          .selectAll()
          .where('id', '=', row.id)
          .executeTakeFirstOrThrow();
        return toRecord(claimed as InvestigationRow, 0);
      });
    },

    commitStep: (key, worker, commit, now) =>
      atomically(async (executor) => {
        const time = now.getTime();
        const row = await executor
          .selectFrom('investigations')
          .select(['status', 'claimed_by', 'run_ms'])
          .where('id', '=', key)
          .executeTakeFirst();
        // Fenced: a worker whose claim was taken over (lease expired) writes nothing.
        if (!row || row.claimed_by !== worker) return false;
        const after = afterStep(row.status as InvestigationStatus, commit, time);
        await executor
          .insertInto('investigation_log')
          .values({
            investigation_id: key,
            step: commit.step,
            started_at: commit.startedAt,
            duration_ms: commit.durationMs,
            waited_ms: after.waitedMs,
            waited_as: after.waitedAs,
            result: commit.result,
            worker,
          })
          .execute();
        await executor
          .updateTable('investigations')
          .set({
            status: after.status,
            ...(commit.statusReason !== undefined ? { status_reason: commit.statusReason } : {}),
            step: commit.next,
            state: JSON.stringify(after.state),
            updated_at: time,
            run_ms: Number(row.run_ms) + commit.durationMs,
            ...(after.ended ? { ended_at: time } : {}),
            ...(after.claim === 'release'
              ? { claimed_by: null, lease_until: null }
              : { lease_until: after.claim.leaseUntil }),
          })
          .where('id', '=', key)
          .execute();
        // All of the step's evidence in one statement per 200 rows (one round trip, not one per row).
        // The last version of each piece of evidence (one statement may not touch a row twice).
        const latest = new Map((commit.evidence ?? []).map((evidence) => [evidence.key, evidence]));
        const rows = [...latest.values()].map((evidence) => evidenceValues(key, evidence, time));
        for (let start = 0; start < rows.length; start += 200)
          await executor
            .insertInto('investigation_evidence')
            .values(rows.slice(start, start + 200))
            .onConflict((conflict) =>
              conflict.columns(['investigation_id', 'entity_key']).doUpdateSet((eb) => ({
                type: eb.ref('excluded.type'),
                entity: eb.ref('excluded.entity'),
                origin: eb.ref('excluded.origin'),
                depth: eb.ref('excluded.depth'),
                analyzed: eb.ref('excluded.analyzed'),
                verdict: eb.ref('excluded.verdict'),
                score: eb.ref('excluded.score'),
                roles: eb.ref('excluded.roles'),
                remediation_status: eb.ref('excluded.remediation_status'),
                own_findings: eb.ref('excluded.own_findings'),
                findings: eb.ref('excluded.findings'),
                relations: eb.ref('excluded.relations'),
                aliases: eb.ref('excluded.aliases'),
              })),
            )
            .execute();
        // Evidence merged into another (an alias of the same thing) is no evidence of its own any more.
        const removed = (commit.removedEvidence ?? []).filter((evidenceKey) => !latest.has(evidenceKey));
        for (let start = 0; start < removed.length; start += 200)
          await executor
            .deleteFrom('investigation_evidence')
            .where('investigation_id', '=', key)
            .where('entity_key', 'in', removed.slice(start, start + 200))
            .execute();
        // What was proposed for a key merged away is now proposed for the key kept (unless that has its own), so
        // proposing again for the kept key finds it rather than adding a second action for the same thing.
        const keptFor = new Map<string, string>();
        for (const evidence of latest.values())
          for (const alias of evidence.aliases ?? []) keptFor.set(alias, evidence.key);
        for (const gone of removed) {
          const kept = keptFor.get(gone);
          if (!kept) continue;
          const moving = await executor
            .selectFrom('proposed_actions')
            .select(['id', 'type'])
            .where('investigation_id', '=', key)
            .where('target_key', '=', gone)
            .execute();
          for (const proposal of moving) {
            const taken = await executor
              .selectFrom('proposed_actions')
              .select('id')
              .where('investigation_id', '=', key)
              .where('type', '=', proposal.type)
              .where('target_key', '=', kept)
              .executeTakeFirst();
            if (!taken)
              await executor
                .updateTable('proposed_actions')
                .set({ target_key: kept, evidence_key: kept })
                .where('id', '=', proposal.id)
                .execute();
          }
        }
        // The step's proposals in one statement per 200: a repeat (same type and target) keeps the first's status
        // and rule and takes the last's reasons, as one insert after another would.
        const proposals = new Map<string, Insertable<Database['proposed_actions']>>();
        for (const action of commit.actions ?? []) {
          const proposalKey = JSON.stringify([action.type, action.targetKey]);
          const reasons = JSON.stringify(action.reasons);
          const first = proposals.get(proposalKey);
          if (first) {
            first.reasons = reasons;
            continue;
          }
          proposals.set(proposalKey, {
            investigation_id: key,
            type: action.type,
            target_key: action.targetKey,
            evidence_key: action.evidenceKey,
            status: action.refusal ? 'refused' : 'proposed',
            reasons,
            created_at: time,
            decision_rule: action.refusal
              ? `critical-asset guardrail: ${action.refusal.rule}; instead, ${action.refusal.instead}`
              : null,
          });
        }
        const proposalRows = [...proposals.values()];
        for (let start = 0; start < proposalRows.length; start += 200)
          await executor
            .insertInto('proposed_actions')
            .values(proposalRows.slice(start, start + 200))
            .onConflict((conflict) =>
              conflict
                .columns(['investigation_id', 'type', 'target_key'])
                .doUpdateSet((eb) => ({ reasons: eb.ref('excluded.reasons') })),
            )
            .execute();
        return true;
      }),

    async countRunnable() {
      const row = await db
        .selectFrom('investigations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'in', RUNNABLE)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
