/** The JSON shape of an investigation (docs/api.md, JSON shapes), the same for `--json` and the API. */
import { describeEvidence } from './verdicts.js';
import { ALLOW_WEIGHT, BLOCK_WEIGHT, MALICIOUS_SCORE, SUSPICIOUS_SCORE } from '../domain/verdict.js';
import { entityName, targetName } from '../domain/entity-name.js';
import type { InvestigationDetail } from '../domain/investigation.js';

/** The documented JSON shape of an investigation. */
export function investigationView(detail: InvestigationDetail) {
  const byKey = new Map(detail.evidence.map((row) => [row.key, row]));
  return {
    id: detail.id,
    incidentId: detail.incidentId,
    status: detail.status,
    statusReason: detail.statusReason,
    playbook: detail.playbook,
    trigger: detail.trigger,
    startedAt: detail.startedAt,
    endedAt: detail.endedAt,
    createdAt: detail.createdAt,
    alertIds: detail.alertIds,
    thresholds: {
      malicious: MALICIOUS_SCORE,
      suspicious: SUSPICIOUS_SCORE,
      block: BLOCK_WEIGHT,
      allow: ALLOW_WEIGHT,
    },
    evidence: detail.evidence.map((row) => ({
      type: row.type,
      key: row.key,
      aliases: row.aliases,
      label: describeEvidence(row),
      name: entityName(row.entity),
      verdict: row.verdict,
      score: row.score,
      roles: row.roles,
      remediationStatus: row.remediationStatus,
      origin: row.origin,
      findings: row.findings,
      relations: row.relations,
    })),
    actions: detail.actions.map((action) => ({
      id: action.id,
      type: action.type,
      targetKey: action.targetKey,
      targetName: targetName(action.targetKey, byKey.get(action.targetKey)?.entity),
      deviceKey: action.deviceKey,
      status: action.status,
      proposalId: action.proposalId,
      decisionRule: action.decisionRule,
      reasons: action.reasons,
    })),
    log: detail.log.map((entry) => ({
      step: entry.step,
      startedAt: entry.startedAt,
      durationMs: entry.durationMs,
      result: entry.result,
      waitedMs: entry.waitedMs,
      waitedAs: entry.waitedAs,
      worker: entry.worker,
    })),
  };
}
