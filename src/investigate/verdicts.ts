/**
 * Verdicts over the whole evidence graph. Each piece of evidence is first judged on its own findings (the base
 * verdict, domain/verdict.ts); then what it is related to adds findings: a file run by a malicious process, an
 * address it connected to, the device it ran on, the process it injected into. Relations carry only base
 * verdicts — one hop, never round and round — so weak evidence cannot talk itself into a strong verdict.
 */
import type { EntityRole, ProcessEntity, FileEntity } from '../domain/entity.js';
import type { Finding, Verdict } from '../domain/evidence.js';
import { decideVerdict, isIncriminating } from '../domain/verdict.js';
import type { EvidenceRow } from '../store/investigation-store.js';
import { fileName, isSystemPath } from './analyzers/windows-paths.js';

interface Rule {
  /** Weight given to the other end when this end is malicious; suspicious gives about half. */
  readonly malicious: number;
  readonly suspicious: number;
  /** What the other end reads: `{source}` is the incriminated evidence, `{verdict}` its verdict. */
  readonly text: string;
  /** Roles the other end takes when this end is malicious (or suspicious, for `rolesIfSuspicious`). */
  readonly roles?: readonly EntityRole[];
  readonly rolesIfSuspicious?: readonly EntityRole[];
  /** Whether a Windows system binary at its system path takes the finding (a LOLBin abused is not itself bad). */
  readonly skipSystemFiles?: boolean;
}

/** Relation kind → what flows forward (source → target) and backward (target → source). */
const RULES: Record<string, { forward?: Rule; backward?: Rule }> = {
  image: {
    forward: {
      malicious: 60,
      suspicious: 25,
      text: 'runs as {source}, judged {verdict}',
      skipSystemFiles: true,
    },
    backward: { malicious: 60, suspicious: 25, text: 'runs {source}, judged {verdict}' },
  },
  child: {
    forward: { malicious: 45, suspicious: 20, text: 'started by {source}, judged {verdict}' },
    backward: { malicious: 20, suspicious: 10, text: 'started {source}, judged {verdict}' },
  },
  connectedTo: {
    forward: {
      malicious: 70,
      suspicious: 35,
      text: 'contacted by {source}, judged {verdict}',
      roles: ['commandAndControl'],
    },
    backward: { malicious: 50, suspicious: 25, text: 'connected to {source}, judged {verdict}' },
  },
  resolved: { forward: { malicious: 10, suspicious: 5, text: 'looked up by {source}, judged {verdict}' } },
  injectedInto: {
    forward: {
      malicious: 50,
      suspicious: 25,
      text: 'code injected by {source}, judged {verdict}',
      roles: ['compromised'],
    },
  },
  created: { forward: { malicious: 45, suspicious: 20, text: 'written by {source}, judged {verdict}' } },
  persisted: {
    forward: { malicious: 60, suspicious: 30, text: 'autostart entry set by {source}, judged {verdict}' },
  },
  runsOn: {
    forward: {
      malicious: 70,
      suspicious: 30,
      text: 'runs {source}, judged {verdict}',
      roles: ['compromised'],
    },
  },
  ranAs: {
    forward: {
      malicious: 40,
      suspicious: 15,
      text: 'ran {source}, judged {verdict}',
      roles: ['compromised'],
    },
  },
  sameAs: {
    forward: { malicious: 70, suspicious: 35, text: 'the same process as {source}, judged {verdict}' },
    backward: { malicious: 70, suspicious: 35, text: 'the same process as {source}, judged {verdict}' },
  },
  accessed: {},
};

/** A short name for evidence in a sentence: `winx64_payload.exe (pid 1988) on mkt01.pandalab.com`. */
export function describeEvidence(evidence: EvidenceRow): string {
  if (evidence.type === 'process') {
    const process = evidence.entity as ProcessEntity;
    const name = process.imagePath ? fileName(process.imagePath) : 'process';
    return `process ${name}${process.pid === undefined ? '' : ` (pid ${process.pid})`} on ${process.device}`;
  }
  if (evidence.type === 'file') {
    const file = evidence.entity as FileEntity;
    const name = file.path ? fileName(file.path) : file.name;
    return `file ${name ?? evidence.key}${file.sha256 ? ` (sha256 ${file.sha256.slice(0, 12)}…)` : ''}`;
  }
  return evidence.key;
}

interface Contribution {
  readonly weight: number;
  readonly sources: string[];
  readonly text: string;
  readonly verdict: Verdict;
}

/** Judge every piece of evidence: verdict, score, roles and the findings that decided them. */
export function judgeEvidence(evidence: readonly EvidenceRow[]): EvidenceRow[] {
  const byKey = new Map(evidence.map((row) => [row.key, row]));
  const base = new Map(evidence.map((row) => [row.key, decideVerdict(row.ownFindings).verdict]));
  // target key → rule key → strongest contribution (one finding per kind of relation, naming its sources).
  const contributions = new Map<string, Map<string, Contribution>>();
  const roles = new Map<string, Set<EntityRole>>();

  const contribute = (rule: Rule, ruleKey: string, source: EvidenceRow, target: EvidenceRow) => {
    const verdict = base.get(source.key) as Verdict;
    if (!isIncriminating(verdict)) return;
    if (rule.skipSystemFiles && target.type === 'file') {
      const path = (target.entity as FileEntity).path;
      if (path && isSystemPath(path)) return;
    }
    const weight = verdict === 'malicious' ? rule.malicious : rule.suspicious;
    const given = verdict === 'malicious' ? rule.roles : rule.rolesIfSuspicious;
    if (given?.length) {
      const set = roles.get(target.key) ?? new Set<EntityRole>();
      for (const role of given) set.add(role);
      roles.set(target.key, set);
    }
    let perTarget = contributions.get(target.key);
    if (!perTarget) contributions.set(target.key, (perTarget = new Map()));
    const existing = perTarget.get(ruleKey);
    const name = describeEvidence(source);
    if (!existing || weight > existing.weight)
      perTarget.set(ruleKey, {
        weight,
        verdict,
        text: rule.text,
        sources: existing ? [name, ...existing.sources] : [name],
      });
    else existing.sources.push(name);
  };

  for (const source of evidence) {
    for (const relation of source.relations) {
      const target = byKey.get(relation.key);
      const rule = RULES[relation.kind];
      if (!target || !rule || target.key === source.key) continue;
      if (rule.forward) contribute(rule.forward, `${relation.kind}>`, source, target);
      if (rule.backward) contribute(rule.backward, `${relation.kind}<`, target, source);
    }
  }

  return evidence.map((row) => {
    const extra: Finding[] = [];
    for (const contribution of contributions.get(row.key)?.values() ?? []) {
      const [first, ...rest] = [...new Set(contribution.sources)].sort();
      const source = rest.length ? `${first} and ${rest.length} more` : (first as string);
      extra.push({
        analyzer: 'relations',
        weight: contribution.weight,
        text: contribution.text.replace('{source}', source).replace('{verdict}', contribution.verdict),
      });
    }
    const findings = [...row.ownFindings, ...extra];
    const decision = decideVerdict(findings);
    const allRoles = new Set<EntityRole>(row.roles);
    for (const role of roles.get(row.key) ?? []) allRoles.add(role);
    // A role is only as strong as the verdict: an address allow-listed is no C2, whatever contacted it.
    if (!isIncriminating(decision.verdict)) {
      allRoles.delete('commandAndControl');
      allRoles.delete('compromised');
    }
    return {
      ...row,
      verdict: decision.verdict,
      score: decision.score,
      findings,
      roles: [...allRoles].sort(),
    };
  });
}
