/**
 * A device's process starts as a tree, each process once. Windows reports a start twice when both Sysmon (event 1,
 * keyed by its process GUID) and the Security log (4688, keyed by pid and time, its parent by pid alone) are
 * collected: the 4688 start of a process Sysmon also saw (same pid and program, within 2 s) joins it, and a parent
 * known by pid alone is the latest process with that pid started before the child.
 */

export interface ProcessStart {
  readonly id: string;
  readonly time: string;
  readonly processKey?: string | undefined;
  readonly parentProcessKey?: string | undefined;
  readonly imagePath?: string | undefined;
  readonly details?: unknown;
}

export interface ProcessTreeNode<E extends ProcessStart> {
  readonly event: E;
  /** Every key the process is known by (its own, and those of the duplicates joined to it). */
  readonly keys: string[];
  readonly children: ProcessTreeNode<E>[];
}

const SAME_START_MS = 2000;

/** `process:host:3672@2023-…` or `process:host:6108` → 3672 / 6108; a GUID key → its details' pid. */
export function pidOf(event: ProcessStart): number | undefined {
  const pid = (event.details as { pid?: unknown } | undefined)?.pid;
  if (typeof pid === 'number') return pid;
  const match = /:(\d+)(?:@.*)?$/.exec(event.processKey ?? '');
  return match ? Number(match[1]) : undefined;
}

const pidOnly = (key: string): number | undefined => {
  const match = /^process:[^:]+:(\d+)$/.exec(key);
  return match ? Number(match[1]) : undefined;
};

export function processTree<E extends ProcessStart>(events: readonly E[]): ProcessTreeNode<E>[] {
  const nodes = new Map<string, ProcessTreeNode<E>>();
  const byPid = new Map<number, ProcessTreeNode<E>[]>();
  const program = (event: ProcessStart) => (event.imagePath ?? '').toLowerCase();
  // Keyed by GUID (Sysmon) first, so the richer record is the one kept.
  const ordered = [...events]
    .filter((event) => event.processKey)
    .sort((a, b) => Number(/@|:\d+$/.test(a.processKey!)) - Number(/@|:\d+$/.test(b.processKey!)));
  for (const event of ordered) {
    const key = event.processKey!;
    if (nodes.has(key)) continue;
    const pid = pidOf(event);
    const at = Date.parse(event.time);
    const same =
      pid === undefined
        ? undefined
        : byPid
            .get(pid)
            ?.find(
              (node) =>
                program(node.event) === program(event) &&
                Math.abs(Date.parse(node.event.time) - at) <= SAME_START_MS,
            );
    if (same) {
      same.keys.push(key);
      nodes.set(key, same);
      continue;
    }
    const node: ProcessTreeNode<E> = { event, keys: [key], children: [] };
    nodes.set(key, node);
    if (pid !== undefined) byPid.set(pid, [...(byPid.get(pid) ?? []), node]);
  }
  const parentOf = (node: ProcessTreeNode<E>): ProcessTreeNode<E> | undefined => {
    const parentKey = node.event.parentProcessKey;
    if (!parentKey) return undefined;
    const known = nodes.get(parentKey);
    if (known) return known;
    const pid = pidOnly(parentKey);
    if (pid === undefined) return undefined;
    const at = Date.parse(node.event.time);
    return (byPid.get(pid) ?? [])
      .filter((candidate) => Date.parse(candidate.event.time) <= at)
      .sort((a, b) => Date.parse(b.event.time) - Date.parse(a.event.time))[0];
  };
  const roots: ProcessTreeNode<E>[] = [];
  const seen = new Set<ProcessTreeNode<E>>();
  for (const node of nodes.values()) {
    if (seen.has(node)) continue;
    seen.add(node);
    const parent = parentOf(node);
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const byTime = (a: ProcessTreeNode<E>, b: ProcessTreeNode<E>) =>
    Date.parse(a.event.time) - Date.parse(b.event.time);
  for (const node of seen) node.children.sort(byTime);
  return roots.sort(byTime);
}
