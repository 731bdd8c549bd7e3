/**
 * The planner: turns the proposals of investigations into actions, per the automation policy. Each action records
 * the rule that decided it — run at once (decided by `policy`), wait for approval, or not planned (`none`).
 *
 * A file is quarantined per device: one action for each device known to hold it (its own device, the devices of
 * the processes it ran as). An action already in flight for the same type and target (from another investigation)
 * carries the proposal instead of a new one.
 */
import { actionCatalog, actionTargetProblem, isActionType, type ActionType } from '../domain/action.js';
import { assetFacts, decideWithShadow, groupFor, type AssetGroup, type GroupKind } from '../domain/policy.js';
import { loadPolicy, type ResponsePolicy } from './policy-config.js';
import { publicInvestigationId } from '../domain/ids.js';
import { mailScope } from './mail-scope.js';
import type { Evidence } from '../domain/evidence.js';
import type { ActionDraft, PendingProposal } from './ports.js';
import type { PlannerPorts } from './ports.js';

export interface PlanSummary {
  readonly proposals: number;
  /** Actions created to run at once (policy-approved). */
  readonly approved: number;
  /** Actions created waiting for approval. */
  readonly pending: number;
  /** Proposals carried by an action already in flight. */
  readonly joined: number;
  /** Proposals not planned (automation level none, or no valid target). */
  readonly skipped: number;
}

/** The device keys an action of `type` on this evidence runs on (empty when it runs on none). */
export function devicesFor(
  type: ActionType,
  proposal: PendingProposal,
  evidence: readonly Evidence[],
): string[] {
  if (actionCatalog[type].scope !== 'device') return [];
  if (type === 'isolateDevice' || proposal.targetKey.startsWith('device:')) return [proposal.targetKey];
  const own = proposal.entity?.device;
  const devices = new Set<string>();
  if (typeof own === 'string' && own) devices.add(`device:${own}`);
  if (type === 'quarantineFile')
    for (const row of evidence)
      if (
        row.type === 'process' &&
        row.relations.some((r) => r.kind === 'image' && r.key === proposal.targetKey)
      )
        devices.add(`device:${(row.entity as { device: string }).device}`);
  return [...devices].sort();
}

function groupKindFor(type: ActionType): GroupKind {
  const scope = actionCatalog[type].scope;
  return scope === 'organization' ? 'device' : scope;
}

/** Plan every waiting proposal. */
export async function planPending(store: PlannerPorts, now: () => Date, limit = 500): Promise<PlanSummary> {
  const proposals = await store.actions.pendingProposals(limit);
  const summary = { proposals: proposals.length, approved: 0, pending: 0, joined: 0, skipped: 0 };
  if (proposals.length === 0) return summary;
  const policy = await loadPolicy(store);
  const groups = await store.policy.listGroups();
  // Per type, the automatic actions within its cap's window: counted in the store once a pass, then kept up to
  // date as this pass approves more (what it commits is not counted again). The same for shadow levels: what ran,
  // and what groups in shadow would have run.
  const capCounter = (withShadow: boolean) => {
    const counts = new Map<ActionType, number>();
    const recent = async (type: ActionType): Promise<number> => {
      let count = counts.get(type);
      if (count === undefined) {
        const cap = policy.guardrails.caps[type];
        count = cap
          ? await store.actions.countAutomatic(type, new Date(now().getTime() - cap.windowMs), { withShadow })
          : 0;
        counts.set(type, count);
      }
      return count;
    };
    return { recent, add: async (type: ActionType) => void counts.set(type, (await recent(type)) + 1) };
  };
  const automatic = capCounter(false);
  const wouldRun = capCounter(true);
  const counters = { recentAutomatic: automatic.recent, recentWouldRun: wouldRun.recent };
  // One transaction per investigation: its proposals are planned together, and it follows once.
  const byInvestigation = new Map<number, PendingProposal[]>();
  for (const proposal of proposals)
    byInvestigation.set(proposal.investigationKey, [
      ...(byInvestigation.get(proposal.investigationKey) ?? []),
      proposal,
    ]);
  for (const [investigationKey, group] of byInvestigation) {
    const evidence = await store.investigations.evidenceOf(investigationKey);
    // The tags of every target and device of this investigation's proposals, in one query.
    const tags = await store.policy.tagsOf([
      ...new Set(
        group.flatMap((proposal) => [
          proposal.targetKey,
          ...(isActionType(proposal.type) ? devicesFor(proposal.type, proposal, evidence) : []),
        ]),
      ),
    ]);
    const items: { proposalId: number; plan: Awaited<ReturnType<typeof planOne>> }[] = [];
    for (const proposal of group) {
      const plan = await planOne(proposal, evidence, tags, groups, policy, counters, now(), store.agents);
      items.push({ proposalId: proposal.id, plan });
      // Count this plan's automatic actions against the caps of the next ones (and what a shadow would have run).
      if (!('skip' in plan))
        for (const draft of plan.drafts) {
          const ran = draft.decision.outcome === 'approve';
          if (ran) await automatic.add(draft.type);
          if (ran || draft.shadow?.outcome === 'approve') await wouldRun.add(draft.type);
        }
    }
    const results = await store.actions.planProposals(items, now());
    for (const [index, actions] of results.entries()) {
      if ('skip' in (items[index]?.plan ?? {})) {
        summary.skipped++;
        continue;
      }
      for (const action of actions) {
        if (action.investigationId !== publicInvestigationId(investigationKey)) summary.joined++;
        else if (action.status === 'pendingApproval') summary.pending++;
        else summary.approved++;
      }
    }
  }
  return summary;
}

async function planOne(
  proposal: PendingProposal,
  evidence: readonly Evidence[],
  tags: ReadonlyMap<string, readonly string[]>,
  groups: readonly AssetGroup[],
  policy: ResponsePolicy,
  counters: {
    readonly recentAutomatic: (type: ActionType) => Promise<number>;
    readonly recentWouldRun: (type: ActionType) => Promise<number>;
  },
  now: Date,
  agents: PlannerPorts['agents'],
): Promise<{ drafts: ActionDraft[] } | { skip: string }> {
  const type = proposal.type;
  if (!isActionType(type)) return { skip: `${type} is not an action autoir knows` };
  const devices = devicesFor(type, proposal, evidence);
  const targets: (string | null)[] = actionCatalog[type].scope === 'device' ? devices : [null];
  if (targets.length === 0) return { skip: `no device known to run ${type} on ${proposal.targetKey}` };
  const byKey = new Map(evidence.map((row) => [row.key, row]));
  const drafts: ActionDraft[] = [];
  let skipped: string | undefined;
  for (const deviceKey of targets) {
    const problem =
      actionTargetProblem(type, proposal.targetKey, deviceKey) ??
      (actionCatalog[type].collects && deviceKey && !(await agents?.forDevice(deviceKey))
        ? `no agent on ${deviceKey} to collect from`
        : undefined);
    if (problem) {
      skipped = problem;
      continue;
    }
    const kind = groupKindFor(type);
    const subject =
      kind === 'device'
        ? (deviceKey ?? '')
        : proposal.targetKey.startsWith(`${kind}:`)
          ? proposal.targetKey
          : '';
    const os = deviceKey ? ((byKey.get(deviceKey)?.entity as { os?: string } | undefined)?.os ?? null) : null;
    const subjectTags = [
      ...(tags.get(proposal.targetKey) ?? []),
      ...(deviceKey ? (tags.get(deviceKey) ?? []) : []),
    ];
    const group = subject
      ? groupFor(groups, kind, assetFacts(subject, { os, tags: subjectTags }))
      : groupFor(groups, kind, assetFacts(`${kind}:`, {}));
    const recent = await counters.recentAutomatic(type);
    const entity = proposal.entity ?? {};
    const path =
      typeof entity.path === 'string'
        ? entity.path
        : typeof entity.imagePath === 'string'
          ? entity.imagePath
          : null;
    const shadowRecent = group.shadow
      ? (await counters.recentWouldRun(type)) + drafts.filter((d) => d.shadow?.outcome === 'approve').length
      : 0;
    const { decision, shadow } = decideWithShadow(
      {
        type,
        targetKey: proposal.targetKey,
        verdict:
          proposal.verdict === 'malicious' || proposal.verdict === 'suspicious' ? proposal.verdict : null,
        path,
        os,
        group,
        tags: subjectTags,
        recentAutomatic: recent + drafts.filter((d) => d.decision.outcome === 'approve').length,
      },
      policy.guardrails,
      policy.paths,
      shadowRecent,
    );
    if (decision.outcome === 'skip') {
      skipped = decision.rule;
      continue;
    }
    drafts.push({
      type,
      targetKey: proposal.targetKey,
      deviceKey,
      group: { kind: group.kind, name: group.name },
      investigationKey: proposal.investigationKey,
      evidenceKey: proposal.evidenceKey,
      verdict: proposal.verdict,
      source: 'investigation',
      parameters: actionCatalog[type].email ? { ...entity, ...mailScope(proposal.targetKey, byKey) } : entity,
      reasons: proposal.reasons,
      requestedBy: `investigation:${publicInvestigationId(proposal.investigationKey)}`,
      decision: { outcome: decision.outcome, by: 'policy', rule: decision.rule },
      expiresAt: new Date(now.getTime() + policy.approvalExpiryMs),
      shadow,
    });
  }
  if (drafts.length === 0) return { skip: skipped ?? 'nothing to plan' };
  return { drafts };
}
