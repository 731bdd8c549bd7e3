/**
 * One real-world thing, one piece of evidence. Sources name the same process by different keys — Sysmon by its
 * ProcessGuid, the Security log by its pid (and sometimes its start time) — and the same file by its hash or by
 * its path on a device. Inside an investigation those keys are aliases of one thing: it gets one verdict and at
 * most one action. This module says which keys name the same thing, and which of them is the one to keep.
 *
 * Matching is deliberately strict: a pid is reused over time, a path holds different files over time, so a weak
 * key joins a strong one only when exactly one strong candidate fits it; an ambiguous key stays on its own.
 */
import type { Entity, FileEntity, ProcessEntity } from './entity.js';
import { baseName, pathKey } from './entity-values.js';

/** How specific a key is: a GUID or a hash names one thing for ever; a pid or a path only for a while. */
export function keyStrength(entity: Entity): number {
  if (entity.type === 'process') {
    const process = entity as ProcessEntity;
    return process.guid ? 3 : process.startedAt ? 2 : 1;
  }
  if (entity.type === 'file') {
    const file = entity as FileEntity;
    return file.sha256 ? 3 : file.sha1 || file.md5 ? 2 : 1;
  }
  return 0;
}

/** Start times this far apart are one process start seen by two clocks (Sysmon and the Security log). */
const START_SLACK_MS = 2000;

function sameProcess(strong: ProcessEntity, weak: ProcessEntity): boolean {
  if (strong.device !== weak.device || strong.pid === undefined || strong.pid !== weak.pid) return false;
  if (strong.guid && weak.guid) return false;
  if (
    strong.imagePath &&
    weak.imagePath &&
    baseName(strong.imagePath).toLowerCase() !== baseName(weak.imagePath).toLowerCase()
  )
    return false;
  if (strong.startedAt && weak.startedAt) {
    const apart = Math.abs(Date.parse(strong.startedAt) - Date.parse(weak.startedAt));
    if (!(apart <= START_SLACK_MS)) return false;
  }
  return true;
}

function sameFile(strong: FileEntity, weak: FileEntity): boolean {
  // Two digests of one algorithm decide on their own.
  for (const algorithm of ['sha256', 'sha1', 'md5'] as const)
    if (strong[algorithm] && weak[algorithm]) return strong[algorithm] === weak[algorithm];
  // A file known only by its path on a device is the hashed file seen at that path on that device.
  if (!strong.path || !weak.path || !strong.device || strong.device !== weak.device) return false;
  return pathKey(strong.path) === pathKey(weak.path);
}

/** Whether `weak` names the same thing as `strong` (a key at least as specific). */
export function namesSameThing(strong: Entity, weak: Entity): boolean {
  if (strong.key === weak.key || strong.type !== weak.type) return false;
  if (strong.type === 'process') return sameProcess(strong as ProcessEntity, weak as ProcessEntity);
  if (strong.type === 'file') return sameFile(strong as FileEntity, weak as FileEntity);
  return false;
}

/**
 * The one thing each weak key stands for among `entities` (several entities may share a key: the same thing seen
 * with different attributes, a file's hash at each path it had): `alias key → kept key`. A key is kept when it is the
 * most specific of its group; a weak key joins a stronger one only when exactly one candidate of the highest
 * strength fits (two GUIDs with the pid of a pid-only key leave it on its own).
 */
export function aliasesAmong(entities: readonly Entity[]): Map<string, string> {
  const byGroup = new Map<string, Entity[]>();
  for (const entity of entities) {
    const group = groupOf(entity);
    if (!group) continue;
    const list = byGroup.get(group);
    if (list) list.push(entity);
    else byGroup.set(group, [entity]);
  }
  const aliases = new Map<string, string>();
  for (const list of byGroup.values()) {
    if (list.length < 2) continue;
    const ordered = [...list].sort((a, b) => keyStrength(b) - keyStrength(a) || a.key.localeCompare(b.key));
    for (const weak of ordered) {
      const strength = keyStrength(weak);
      // Unique by key: the same thing may be seen twice (a file's hash at two paths it had).
      const candidates = [
        ...new Map(
          ordered
            .filter((strong) => keyStrength(strong) > strength && namesSameThing(strong, weak))
            .map((strong) => [strong.key, strong]),
        ).values(),
      ];
      if (candidates.length === 0) continue;
      const best = keyStrength(candidates[0] as Entity);
      const top = candidates.filter((candidate) => keyStrength(candidate) === best);
      if (top.length !== 1) continue;
      // Follow the chain: pid → pid@start → GUID ends at the GUID.
      let target = (top[0] as Entity).key;
      while (aliases.has(target)) target = aliases.get(target) as string;
      aliases.set(weak.key, target);
    }
  }
  // A weak key joined to a key that is itself an alias points at the end of the chain.
  for (const [alias, target] of aliases) {
    let end = target;
    while (aliases.has(end)) end = aliases.get(end) as string;
    aliases.set(alias, end);
  }
  return aliases;
}

/** Candidates are compared within a group: a process's device and pid, a file's device and name or its digests. */
function groupOf(entity: Entity): string | undefined {
  if (entity.type === 'process') {
    const process = entity as ProcessEntity;
    return process.pid === undefined ? undefined : `process|${process.device}|${process.pid}`;
  }
  if (entity.type === 'file') {
    const file = entity as FileEntity;
    if (file.path && file.device) return `file|${file.device}|${baseName(file.path).toLowerCase()}`;
    return undefined;
  }
  return undefined;
}

/** The entity kept, with what the alias knows and it does not (a pid, a command line, a path, a hash). */
export function mergeEntity<T extends Entity>(kept: T, alias: Entity): T {
  const merged: Record<string, unknown> = { ...(alias as unknown as Record<string, unknown>) };
  for (const [name, value] of Object.entries(kept)) if (value !== undefined) merged[name] = value;
  merged.key = kept.key;
  return merged as unknown as T;
}
