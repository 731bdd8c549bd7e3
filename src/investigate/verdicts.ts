/**
 * Verdicts over the whole evidence graph. Each piece of evidence is first judged on its own findings (the base
 * verdict, domain/verdict.ts); then what it is related to adds findings: a file run by a malicious process, an
 * address it connected to, the device it ran on, the process it injected into. Relations carry only base
 * verdicts — one hop, never round and round — so weak evidence cannot talk itself into a strong verdict.
 */
import type { EntityRole, ProcessEntity, FileEntity } from '../domain/entity.js';
import type { Finding, Verdict, Evidence } from '../domain/evidence.js';
import { decideVerdict, isIncriminating } from '../domain/verdict.js';
import { fileName } from '../domain/os-paths.js';
import { fileImplication, legitimateBecause } from './implication.js';

interface Rule {
  /** Weight given to the other end when this end is malicious; suspicious gives about half. */
  readonly malicious: number;
  readonly suspicious: number;
  /** What the other end reads: `{source}` is the incriminated evidence, `{verdict}` its verdict. */
  readonly text: string;
  /** Roles the other end takes when this end is malicious. */
  readonly roles?: readonly EntityRole[];
  /**
   * Only into a file implicated by itself or written by the attacker (implication.ts): a legitimate binary a
   * malicious process ran — a living-off-the-land binary — is not itself bad.
   */
  readonly onlyImplicated?: boolean;
  /**
   * Carry the source's final verdict rather than its base one. Only for relations into devices and users: they
   * pass nothing on, so a final verdict cannot come back round.
   */
  readonly fromFinal?: boolean;
  /**
   * Carry only the source's own judgement (its analyzers' findings), not what relations added to it: for flows
   * back from a part to what holds it (a URL to its message, a member to its cluster, a child to its parent), so
   * that one piece of evidence reached by several paths is not counted again along each.
   */
  readonly fromOwn?: boolean;
}

/** Relation kind → what flows forward (source → target) and backward (target → source). */
const RULES: Record<string, { forward?: Rule; backward?: Rule }> = {
  image: {
    forward: {
      malicious: 60,
      suspicious: 25,
      text: 'runs as {source}, judged {verdict}',
      onlyImplicated: true,
    },
    backward: { malicious: 60, suspicious: 25, text: 'runs {source}, judged {verdict}' },
  },
  child: {
    forward: { malicious: 45, suspicious: 20, text: 'started by {source}, judged {verdict}' },
    backward: { malicious: 20, suspicious: 10, text: 'started {source}, judged {verdict}', fromOwn: true },
  },
  connectedTo: {
    forward: {
      malicious: 70,
      suspicious: 35,
      text: 'contacted by {source}, judged {verdict}',
      roles: ['commandAndControl'],
    },
    backward: {
      malicious: 50,
      suspicious: 25,
      text: 'connected to {source}, judged {verdict}',
      fromOwn: true,
    },
  },
  resolved: {
    forward: {
      malicious: 10,
      suspicious: 5,
      text: 'looked up by {source}, judged {verdict}',
      fromOwn: true,
    },
  },
  injectedInto: {
    forward: {
      malicious: 50,
      suspicious: 25,
      text: 'code injected by {source}, judged {verdict}',
      roles: ['compromised'],
    },
  },
  created: { forward: { malicious: 45, suspicious: 20, text: 'written by {source}, judged {verdict}' } },
  loaded: { forward: { malicious: 45, suspicious: 20, text: 'loaded by {source}, judged {verdict}' } },
  // An autostart entry and the program it starts (from a host agent's package, analyzers/host.ts).
  autostarts: {
    forward: {
      malicious: 40,
      suspicious: 20,
      text: 'started automatically by {source}, judged {verdict}',
      onlyImplicated: true,
    },
    backward: { malicious: 60, suspicious: 30, text: 'starts {source}, judged {verdict}' },
  },
  // What a device's package shows on it: joins to be judged on its own, passes nothing.
  hasAutostart: {},
  hosts: {},
  persisted: {
    forward: { malicious: 60, suspicious: 30, text: 'autostart entry set by {source}, judged {verdict}' },
  },
  forwardsTo: {
    forward: {
      malicious: 40,
      suspicious: 20,
      text: 'receives mail forwarded by {source}, judged {verdict}',
      roles: ['attacker'],
    },
  },
  // Identity: where a user signed in from, and the devices they logged on to.
  signInFrom: {
    forward: { malicious: 0, suspicious: 0, text: 'signed in to {source}, judged {verdict}' },
    backward: {
      malicious: 60,
      suspicious: 30,
      text: 'signed in from {source}, judged {verdict}',
      roles: ['compromised'],
      fromOwn: true,
    },
  },
  // An account that attacked the directory: the addresses it acted from, the accounts it created.
  actedFrom: {
    forward: {
      malicious: 45,
      suspicious: 20,
      text: 'where {source}, judged {verdict}, signed in from',
      roles: ['attacker'],
    },
  },
  createdAccount: {
    forward: { malicious: 45, suspicious: 20, text: 'created by {source}, judged {verdict}' },
  },
  loggedOnTo: {
    forward: {
      malicious: 30,
      suspicious: 10,
      text: 'logged on to by {source}, judged {verdict}',
      fromFinal: true,
    },
  },
  runsOn: {
    forward: {
      malicious: 70,
      suspicious: 30,
      text: 'runs {source}, judged {verdict}',
      roles: ['compromised'],
      fromFinal: true,
    },
  },
  ranAs: {
    forward: {
      malicious: 40,
      suspicious: 15,
      text: 'ran {source}, judged {verdict}',
      roles: ['compromised'],
      fromFinal: true,
    },
  },
  accessed: {},
  // E-mail: a message and its cluster, what it contains, who sent and received it, who clicked its links.
  // A message and its cluster: the cluster is judged by its members' own findings, and passes its verdict on.
  memberOf: {},
  clusterMember: {
    forward: { malicious: 50, suspicious: 30, text: 'one of the cluster {source}, judged {verdict}' },
    backward: { malicious: 60, suspicious: 30, text: 'holds {source}, judged {verdict}', fromOwn: true },
  },
  contains: {
    forward: { malicious: 40, suspicious: 30, text: 'in {source}, judged {verdict}' },
    backward: { malicious: 50, suspicious: 25, text: 'contains {source}, judged {verdict}', fromOwn: true },
  },
  deliveredTo: { forward: { malicious: 0, suspicious: 0, text: 'received {source}, judged {verdict}' } },
  sentBy: {
    forward: { malicious: 60, suspicious: 30, text: 'sent {source}, judged {verdict}', roles: ['attacker'] },
  },
  clickedOn: {
    forward: {
      malicious: 40,
      suspicious: 30,
      text: 'opened {source}, judged {verdict}',
      roles: ['compromised'],
      fromFinal: true,
    },
  },
  clickedBy: {
    forward: {
      malicious: 40,
      suspicious: 30,
      text: 'opened {source}, judged {verdict}',
      roles: ['compromised'],
      fromFinal: true,
    },
  },
};

/** A short name for evidence in a sentence: `winx64_payload.exe (pid 1988) on mkt01.pandalab.com`. */
export function describeEvidence(evidence: Evidence): string {
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
  readonly ruleKey: string;
  readonly rule: Rule;
  readonly source: string;
  readonly weight: number;
  readonly verdict: Verdict;
}

/** Rounds of propagation: a verdict travels this many hops (file → process on another device → its device). */
const ROUNDS = 3;

/** Judge every piece of evidence: verdict, score, roles and the findings that decided them. */
export function judgeEvidence(evidence: readonly Evidence[]): Evidence[] {
  const byKey = new Map(evidence.map((row) => [row.key, row]));
  // A relation naming another key of the same thing (an alias) leads to that thing.
  for (const row of evidence) for (const alias of row.aliases) if (!byKey.has(alias)) byKey.set(alias, row);
  // Every (source → target, rule) edge, both directions of each relation.
  const edges: { rule: Rule; ruleKey: string; source: Evidence; target: Evidence }[] = [];
  for (const source of evidence)
    for (const relation of source.relations) {
      const target = byKey.get(relation.key);
      const rule = RULES[relation.kind];
      if (!target || !rule || target.key === source.key) continue;
      if (rule.forward) edges.push({ rule: rule.forward, ruleKey: `${relation.kind}>`, source, target });
      if (rule.backward)
        edges.push({ rule: rule.backward, ruleKey: `${relation.kind}<`, source: target, target: source });
    }

  const own = new Map(evidence.map((row) => [row.key, decideVerdict(row.ownFindings).verdict]));
  // target → contributions; recomputed each round from the verdicts of the round before.
  let contributions = new Map<string, Contribution[]>();
  const verdictWithout = (row: Evidence, excluded: string | undefined): Verdict =>
    decideVerdict([
      ...row.ownFindings,
      ...(contributions.get(row.key) ?? [])
        .filter((c) => c.source !== excluded)
        .map((c) => ({ analyzer: 'relations', weight: c.weight, text: '' })),
    ]).verdict;

  // Living off the land: files that nothing implicates by itself, and who wrote each file.
  const unimplicated = new Set(
    evidence.filter((row) => row.type === 'file' && !fileImplication(row)).map((row) => row.key),
  );
  const writers = new Map<string, Evidence[]>();
  for (const { ruleKey, source, target } of edges)
    if (ruleKey === 'created>') {
      const list = writers.get(target.key);
      if (list) list.push(source);
      else writers.set(target.key, [source]);
    }
  /** Files a malicious process ran but that kept their innocence: file → the processes. */
  let shielded = new Map<string, Contribution[]>();

  const round = (final: boolean) => {
    const next = new Map<string, Contribution[]>();
    const spared = new Map<string, Contribution[]>();
    for (const { rule, ruleKey, source, target } of edges) {
      if ((rule.fromFinal === true) !== final) continue;
      // What the source is judged without what the target told it: evidence does not vouch for itself.
      const verdict = rule.fromOwn ? (own.get(source.key) as Verdict) : verdictWithout(source, target.key);
      if (!isIncriminating(verdict)) continue;
      if (
        rule.onlyImplicated &&
        unimplicated.has(target.key) &&
        !(writers.get(target.key) ?? []).some((writer) => isIncriminating(verdictWithout(writer, target.key)))
      ) {
        spared.set(target.key, [
          ...(spared.get(target.key) ?? []),
          { ruleKey, rule, source: source.key, weight: 0, verdict },
        ]);
        continue;
      }
      const list = next.get(target.key) ?? [];
      list.push({
        ruleKey,
        rule,
        source: source.key,
        weight: verdict === 'malicious' ? rule.malicious : rule.suspicious,
        verdict,
      });
      next.set(target.key, list);
    }
    if (!final) shielded = spared;
    return next;
  };
  for (let index = 0; index < ROUNDS; index++) contributions = round(false);
  // Devices and users last, from final verdicts (they pass nothing on).
  const sinks = round(true);
  for (const [key, list] of sinks) contributions.set(key, [...(contributions.get(key) ?? []), ...list]);

  return evidence.map((row) => {
    // One finding per kind of relation: the strongest, naming every source.
    const byRule = new Map<string, Contribution[]>();
    for (const contribution of contributions.get(row.key) ?? []) {
      const list = byRule.get(contribution.ruleKey) ?? [];
      list.push(contribution);
      byRule.set(contribution.ruleKey, list);
    }
    const extra: Finding[] = [];
    const gained = new Set<EntityRole>();
    for (const list of byRule.values()) {
      const strongest = list.reduce((best, c) => (c.weight > best.weight ? c : best));
      const names = [...new Set(list.map((c) => describeEvidence(byKey.get(c.source) as Evidence)))].sort();
      const first = describeEvidence(byKey.get(strongest.source) as Evidence);
      const others = names.filter((name) => name !== first).length;
      extra.push({
        analyzer: 'relations',
        weight: strongest.weight,
        text: strongest.rule.text
          .replace('{source}', others ? `${first} and ${others} more` : first)
          .replace('{verdict}', strongest.verdict),
      });
      for (const c of list)
        for (const role of c.verdict === 'malicious' ? (c.rule.roles ?? []) : []) gained.add(role);
    }
    const spared = shielded.get(row.key);
    if (spared && spared.length > 0) {
      const names = [...new Set(spared.map((c) => describeEvidence(byKey.get(c.source) as Evidence)))].sort();
      const verdict = spared.some((c) => c.verdict === 'malicious') ? 'malicious' : 'suspicious';
      extra.push({
        analyzer: 'relations',
        weight: 0,
        text: `runs as ${names[0]}${names.length > 1 ? ` and ${names.length - 1} more` : ''}, judged ${verdict} — not held against the file (living off the land): ${legitimateBecause(row)}`,
      });
    }
    const findings = [...row.ownFindings, ...extra];
    const decision = decideVerdict(findings);
    const allRoles = new Set<EntityRole>([...row.roles, ...gained]);
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
