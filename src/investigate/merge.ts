/**
 * One real-world thing, one piece of evidence: after evidence joins, keys that name the same process or file
 * (domain/same-thing.ts) are merged into the most specific one. The merged evidence keeps every alias, the best
 * origin, the union of roles and relations; relations anywhere that pointed at an alias point at the kept key.
 * A merge that taught the kept evidence something new (an alert about its pid key) sends it back to analysis.
 */
import { aliasesAmong, mergeEntity } from '../domain/same-thing.js';
import type { Evidence, Relation } from '../domain/evidence.js';
import type { Entity } from '../domain/entity.js';

const ORIGIN_RANK: Record<Evidence['origin'], number> = { alert: 3, manual: 2, expansion: 1, related: 0 };

/** Alias key → kept key, for every alias recorded on the evidence. */
export function aliasIndex(evidence: Iterable<Evidence>): Map<string, string> {
  const index = new Map<string, string>();
  for (const row of evidence) for (const alias of row.aliases) index.set(alias, row.key);
  return index;
}

/**
 * Merge evidence naming the same thing. Changes `evidence` in place; merged and rewritten rows go to `changed`,
 * the keys merged away to `removed`.
 */
export function mergeSameThings(
  evidence: Map<string, Evidence>,
  changed: Map<string, Evidence>,
  removed: Set<string>,
  sightings: readonly Entity[] = [],
): number {
  // Sightings: other views of evidence analyzers just saw (the hashed file at the path it was renamed to).
  const seen = sightings.filter((entity) => evidence.has(entity.key));
  const aliases = aliasesAmong([...[...evidence.values()].map((row) => row.entity), ...seen]);
  if (aliases.size === 0) return 0;
  const target = (key: string) => aliases.get(key) ?? key;
  for (const [aliasKey, keptKey] of aliases) {
    const alias = evidence.get(aliasKey);
    const kept = evidence.get(keptKey);
    if (!alias || !kept) continue;
    const merged: Evidence = {
      ...kept,
      entity: mergeEntity(kept.entity, alias.entity),
      aliases: [...new Set([...kept.aliases, alias.key, ...alias.aliases])].sort(),
      origin: ORIGIN_RANK[alias.origin] > ORIGIN_RANK[kept.origin] ? alias.origin : kept.origin,
      depth: Math.min(kept.depth, alias.depth),
      roles: [...new Set([...kept.roles, ...alias.roles])].sort(),
      relations: [...kept.relations, ...alias.relations],
      // Analyzed again, as one: alerts and indicators about the alias count for it once.
      analyzed: false,
    };
    evidence.delete(aliasKey);
    changed.delete(aliasKey);
    removed.add(aliasKey);
    evidence.set(keptKey, merged);
  }
  // Relations through aliases now lead to the kept evidence; none to itself, none twice.
  for (const row of evidence.values()) {
    if (!row.relations.some((relation) => aliases.has(relation.key)) && !changedBy(row, removed)) continue;
    const seen = new Set<string>();
    const relations: Relation[] = [];
    for (const relation of row.relations) {
      const key = target(relation.key);
      const id = `${relation.kind}|${key}`;
      if (key === row.key || seen.has(id)) continue;
      seen.add(id);
      relations.push(key === relation.key ? relation : { kind: relation.kind, key });
    }
    const updated = { ...row, relations };
    evidence.set(row.key, updated);
    changed.set(row.key, updated);
  }
  return aliases.size;
}

/** Whether this row absorbed an alias (its relations may hold duplicates). */
function changedBy(row: Evidence, removed: Set<string>): boolean {
  return row.aliases.some((alias) => removed.has(alias));
}
