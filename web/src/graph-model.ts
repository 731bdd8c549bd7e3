/**
 * The investigation graph as a story, before anything is drawn: which nodes to show, which to fold into counted
 * groups, where each goes, and the path from an origin alert to each malicious entity.
 *
 * Layers run left to right — origin alerts → processes (by depth in their tree: a child right of its parent, a
 * process right of the one that opened or injected into it) → files, connections, registry and other artifacts →
 * devices, users and mailboxes. Entities of one kind and verdict fold into one counted node ("76 processes · no
 * threats found") until at most `maxNodes` remain; what incriminates (malicious, then suspicious, the alert that
 * named it, what it touched) stays on its own. A group expands on request. Pure data: `components/graph.tsx`
 * draws it, tests read it.
 */

export interface GraphEvidence {
  readonly key: string;
  readonly aliases?: readonly string[];
  readonly type: string;
  readonly label: string;
  readonly verdict: string;
  readonly score: number;
  readonly relations: readonly { readonly kind: string; readonly key: string }[];
}

export interface GraphAlert {
  readonly id: string;
  readonly title: string;
  readonly severity: string;
  readonly entities: readonly { readonly key: string }[];
}

export interface GraphAction {
  readonly id: string;
  readonly type: string;
  readonly status: string;
  readonly targetKey: string;
}

export interface StoryNode {
  readonly id: string;
  readonly kind: 'alert' | 'evidence' | 'group';
  /** Entity type, or `alert`. */
  readonly type: string;
  /** What the node says on the canvas: a name, or a count and what it counts. */
  readonly label: string;
  /** The full name or key, for hover and the details panel. */
  readonly title: string;
  /** Verdict for evidence and groups of evidence, severity for alerts and groups of alerts. */
  readonly verdict: string;
  readonly count: number;
  /** Evidence keys or alert ids this node stands for. */
  readonly members: readonly string[];
  /** Actions on what the node stands for: `killProcess (waiting)`. */
  readonly actions: readonly string[];
  readonly layer: number;
  readonly x: number;
  readonly y: number;
  /** On the path from an origin alert to a malicious entity. */
  readonly onPath: boolean;
}

export interface StoryEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** `names` (alert → entity) or the relation's kind. */
  readonly kind: string;
  /** How many relations between members it stands for. */
  readonly count: number;
  readonly onPath: boolean;
  /**
   * How it is drawn: `path` (to a malicious entity), `story` (what a process did: accessed, injected into,
   * connected to, created…), `plain`, or `faint` (to or from a group, where it stands for many).
   */
  readonly emphasis: 'path' | 'story' | 'plain' | 'faint';
}

export interface StoryGraph {
  readonly nodes: readonly StoryNode[];
  readonly edges: readonly StoryEdge[];
  /** The groups drawn, largest first: what can be expanded. */
  readonly groups: readonly StoryNode[];
}

export interface StoryOptions {
  /** Group ids the analyst opened. */
  readonly expanded?: ReadonlySet<string>;
  /** Every entity and alert on its own. */
  readonly expandAll?: boolean;
  readonly maxNodes?: number;
}

export const LAYER_WIDTH = 250;
export const ROW_HEIGHT = 64;

const verdictRank: Record<string, number> = { malicious: 0, suspicious: 1, unknown: 3, noThreatsFound: 4 };
const severityRank: Record<string, number> = { high: 0, medium: 1, low: 2, informational: 3 };
const assetTypes = new Set(['device', 'user', 'mailbox']);
/** Relations that tell what a process did to something else: the story's verbs. */
const storyRelations = new Set([
  'accessed',
  'injectedInto',
  'connectedTo',
  'resolved',
  'created',
  'persisted',
]);
/** Relations from process to process that place the second right of the first. */
const processOrder = new Set(['child', 'accessed', 'injectedInto', 'created']);
/** Implied for a child by its parent: drawn from the first process of a chain only. */
const contextRelations = new Set(['runsOn', 'ranAs']);

const plural: Record<string, string> = {
  process: 'processes',
  registryKey: 'registry keys',
  registryValue: 'registry values',
  ip: 'IP addresses',
  url: 'URLs',
  mailMessage: 'mail messages',
  mailCluster: 'mail clusters',
  scheduledTask: 'scheduled tasks',
  cloudApp: 'cloud apps',
};
const verdictWords: Record<string, string> = {
  malicious: 'malicious',
  suspicious: 'suspicious',
  noThreatsFound: 'no threats found',
  unknown: 'not judged',
};

function many(type: string, count: number): string {
  if (count === 1) return type;
  return plural[type] ?? `${type}s`;
}

/** An evidence row's name as drawn: the server's label without its leading type, hosts as analysts say them. */
export function evidenceName(row: Pick<GraphEvidence, 'type' | 'key' | 'label'>): string {
  let name = row.label;
  if (name === row.key) {
    name = name.slice(name.indexOf(':') + 1);
    // Registry paths: the last two parts say what it is.
    if (row.type.startsWith('registry')) name = name.split('\\').slice(-2).join('\\');
    if (row.type === 'file' && name.startsWith('sha256:')) name = `file ${name.slice(7, 19)}…`;
    // Services and tasks are keyed by their host: `rtcpef on MKT01`.
    const onHost = /^([a-z0-9.-]+):(.+)$/i.exec(name);
    if ((row.type === 'service' || row.type === 'scheduledTask') && onHost)
      name = `${onHost[2]} on ${onHost[1]}`;
  } else if (name.startsWith(`${row.type} `)) name = name.slice(row.type.length + 1);
  return name.replace(/ on ([a-z0-9-]+)(\.[a-z0-9.-]+)?$/i, (_, host: string) => ` on ${host.toUpperCase()}`);
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** Text broken into at most `max` lines of `width` characters, at spaces where it can be. */
export function lines(text: string, width = 24, max = 2): string {
  const out: string[] = [];
  let rest = text.trim();
  while (rest !== '' && out.length < max) {
    if (rest.length <= width) {
      out.push(rest);
      rest = '';
      break;
    }
    const space = rest.lastIndexOf(' ', width);
    const cut = space > width / 3 ? space : width;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '') out[out.length - 1] = clip(`${out[out.length - 1]!} ${rest}`, width);
  return out.join('\n');
}

const statusWords: Record<string, string> = {
  pendingApproval: 'waiting',
  pendingResource: 'waiting for a connector',
  succeeded: 'done',
  timedOut: 'timed out',
};

function groupId(kind: 'alert' | 'evidence', type: string, verdict: string): string {
  return `group:${kind === 'alert' ? 'alert' : type}:${verdict}`;
}

interface Draft {
  id: string;
  kind: StoryNode['kind'];
  type: string;
  verdict: string;
  members: string[];
  label: string;
  title: string;
  actions: string[];
  rank: number;
}

/** The graph to draw for an investigation, its alerts and its actions. */
export function storyGraph(
  evidence: readonly GraphEvidence[],
  alerts: readonly GraphAlert[],
  actions: readonly GraphAction[],
  options: StoryOptions = {},
): StoryGraph {
  const maxNodes = options.maxNodes ?? 40;
  const expanded = options.expanded ?? new Set<string>();
  const byKey = new Map<string, GraphEvidence>();
  for (const row of evidence) {
    byKey.set(row.key, row);
    for (const alias of row.aliases ?? []) if (!byKey.has(alias)) byKey.set(alias, row);
  }
  const canonical = (key: string) => byKey.get(key)?.key;

  // 1. Candidates for a node of their own, most telling first.
  // What a malicious entity did something to (the lsass it opened) ranks just after it; what a suspicious one
  // touched, after the suspicious.
  const touched = new Map<string, number>();
  for (const row of evidence)
    if (row.verdict === 'malicious' || row.verdict === 'suspicious')
      for (const relation of row.relations) {
        const key = canonical(relation.key);
        const rank = row.verdict === 'malicious' ? 0.7 : 2;
        if (key && storyRelations.has(relation.kind))
          touched.set(key, Math.min(touched.get(key) ?? rank, rank));
      }
  const evidenceRank = (row: GraphEvidence) =>
    Math.min(verdictRank[row.verdict] ?? 3, touched.get(row.key) ?? 9);
  const namedBy = new Map<string, GraphAlert[]>();
  for (const alert of alerts)
    for (const entity of alert.entities) {
      const key = canonical(entity.key);
      if (key) namedBy.set(key, [...(namedBy.get(key) ?? []), alert]);
    }
  const bySeverity = (a: GraphAlert, b: GraphAlert) =>
    (severityRank[a.severity] ?? 9) - (severityRank[b.severity] ?? 9) || a.id.localeCompare(b.id);
  // The alert that best explains each malicious entity comes right after it.
  const origin = new Set<string>();
  const malicious = evidence.filter((row) => row.verdict === 'malicious').sort((a, b) => b.score - a.score);
  for (const row of malicious) {
    const best = [...(namedBy.get(row.key) ?? [])].sort(bySeverity)[0];
    if (best && origin.size < 6) origin.add(best.id);
  }

  const actionsOn = new Map<string, string[]>();
  for (const action of actions) {
    const key = canonical(action.targetKey) ?? action.targetKey;
    actionsOn.set(key, [
      ...(actionsOn.get(key) ?? []),
      `${action.type} (${statusWords[action.status] ?? action.status})`,
    ]);
  }

  const drafts: Draft[] = [
    ...evidence.map((row): Draft => ({
      id: row.key,
      kind: 'evidence',
      type: row.type,
      verdict: row.verdict,
      members: [row.key],
      label: evidenceName(row),
      title: row.label,
      actions: actionsOn.get(row.key) ?? [],
      rank: evidenceRank(row) * 1e6 - row.score,
    })),
    ...alerts.map((alert): Draft => ({
      id: alert.id,
      kind: 'alert',
      type: 'alert',
      verdict: alert.severity,
      members: [alert.id],
      label: alert.title,
      title: `${alert.id}: ${alert.title} (${alert.severity})`,
      actions: [],
      // Origin alerts just after the malicious; the others after every entity that incriminates.
      rank: origin.has(alert.id) ? 0.5e6 : 2.5e6 + (severityRank[alert.severity] ?? 9),
    })),
  ].sort((a, b) => a.rank - b.rank || a.id.localeCompare(b.id));

  // 2. Fold into groups by kind and verdict, then take out the most telling while the budget allows.
  const homeOf = (draft: Draft) =>
    groupId(draft.kind === 'alert' ? 'alert' : 'evidence', draft.type, draft.verdict);
  const groups = new Map<string, Set<Draft>>();
  for (const draft of drafts) {
    const home = homeOf(draft);
    if (!groups.has(home)) groups.set(home, new Set());
    groups.get(home)!.add(draft);
  }
  const alone = new Set<Draft>();
  const takeOut = (draft: Draft) => {
    groups.get(homeOf(draft))!.delete(draft);
    alone.add(draft);
  };
  let opened = 0;
  for (const [id, members] of groups)
    if (options.expandAll || expanded.has(id))
      for (const draft of [...members]) {
        takeOut(draft);
        opened += 1;
      }
  // What the analyst opened does not count: opening one group never folds another.
  const count = () => alone.size - opened + [...groups.values()].filter((members) => members.size > 0).length;
  for (const draft of drafts) {
    if (alone.has(draft)) continue;
    const members = groups.get(homeOf(draft))!;
    // Out of a group of one or two, the count does not grow: the last one left stands alone too.
    if (members.size <= 2 || count() < maxNodes) takeOut(draft);
  }
  for (const members of groups.values()) if (members.size === 1) takeOut([...members][0]!);

  const nodeOf = new Map<string, string>();
  const nodes: Draft[] = [];
  for (const draft of drafts)
    if (alone.has(draft)) {
      nodes.push(draft);
      nodeOf.set(draft.id, draft.id);
    }
  for (const [id, members] of groups) {
    if (members.size === 0) continue;
    const list = [...members];
    const first = list[0]!;
    const kind = first.kind === 'alert' ? 'alert' : 'evidence';
    nodes.push({
      id,
      kind: 'group',
      type: first.type,
      verdict: first.verdict,
      members: list.map((draft) => draft.id),
      label:
        kind === 'alert'
          ? `${list.length} ${first.verdict} alerts`
          : `${list.length} ${many(first.type, list.length)} · ${verdictWords[first.verdict] ?? first.verdict}`,
      title: list
        .slice(0, 12)
        .map((draft) => draft.label)
        .join('\n')
        .concat(list.length > 12 ? `\n… and ${list.length - 12} more` : ''),
      actions: list.flatMap((draft) => draft.actions),
      rank: Math.min(...list.map((draft) => draft.rank)),
    });
    for (const draft of list) nodeOf.set(draft.id, id);
  }

  // 3. Edges between what is drawn, several relations between two nodes as one.
  const edgeMap = new Map<string, { source: string; target: string; kind: string; count: number }>();
  const link = (from: string, to: string, kind: string) => {
    if (from === to) return;
    const id = `${from}->${to}`;
    const known = edgeMap.get(id);
    if (known) known.count += 1;
    else edgeMap.set(id, { source: from, target: to, kind, count: 1 });
  };
  const hasProcessParent = new Set<string>();
  for (const row of evidence)
    if (row.type === 'process')
      for (const relation of row.relations) {
        const key = canonical(relation.key);
        if (key && relation.kind === 'child' && nodeOf.get(key) !== nodeOf.get(row.key))
          hasProcessParent.add(key);
      }
  for (const row of evidence)
    for (const relation of row.relations) {
      const key = canonical(relation.key);
      if (!key) continue;
      if (contextRelations.has(relation.kind) && hasProcessParent.has(row.key)) continue;
      link(nodeOf.get(row.key)!, nodeOf.get(key)!, relation.kind);
    }
  for (const alert of alerts) {
    const named = [
      ...new Set(alert.entities.map((entity) => canonical(entity.key)).filter((key) => key !== undefined)),
    ];
    // An alert naming a process or a file points at it, not at the device and user it implies.
    const specific = named.filter((key) => !assetTypes.has(byKey.get(key)!.type));
    for (const key of specific.length > 0 ? specific : named)
      link(nodeOf.get(alert.id)!, nodeOf.get(key)!, 'names');
  }
  const edges = [...edgeMap.entries()].map(([id, edge]) => ({ id, ...edge }));

  // 4. Layers, order within them, positions.
  // Only processes on their own order the columns: a group of 76 would otherwise sit in the middle of every chain.
  // A child right of its parent; a process another opened or injected into just right of the first that did.
  const single = nodes
    .filter((node) => node.type === 'process' && node.kind === 'evidence')
    .map((node) => node.id);
  const processDepth = depths(
    single,
    edges.filter((edge) => edge.kind === 'child'),
  );
  const reached = new Map<string, number>();
  for (const edge of edges)
    if (
      processOrder.has(edge.kind) &&
      edge.kind !== 'child' &&
      processDepth.has(edge.source) &&
      processDepth.has(edge.target)
    )
      reached.set(
        edge.target,
        Math.min(reached.get(edge.target) ?? Infinity, processDepth.get(edge.source)! + 1),
      );
  for (const [id, depth] of reached) if (depth > processDepth.get(id)!) processDepth.set(id, depth);
  const maxDepth = Math.max(0, ...processDepth.values());
  const layerOf = (node: Draft): number => {
    if (node.type === 'alert') return 0;
    if (node.type === 'process') return 1 + (processDepth.get(node.id) ?? maxDepth);
    if (assetTypes.has(node.type)) return maxDepth + 3;
    return maxDepth + 2;
  };
  const layers = new Map<number, Draft[]>();
  for (const node of [...nodes].sort((a, b) => a.rank - b.rank || a.id.localeCompare(b.id))) {
    const layer = layerOf(node);
    if (!layers.has(layer)) layers.set(layer, []);
    layers.get(layer)!.push(node);
  }
  const used = [...layers.keys()].sort((a, b) => a - b);
  const column = new Map(used.map((layer, index) => [layer, index]));
  const position = orderLayers(
    used.map((layer) => layers.get(layer)!.map((node) => node.id)),
    edges,
  );

  // 5. The path from an origin alert to each malicious entity.
  const path = pathsToMalicious(
    nodes
      .filter((node) => node.kind === 'alert' || (node.kind === 'group' && node.type === 'alert'))
      .map((node) => node.id),
    nodes.filter((node) => node.verdict === 'malicious' && node.type !== 'alert').map((node) => node.id),
    edges,
  );

  const story = nodes.map((node): StoryNode => ({
    id: node.id,
    kind: node.kind,
    type: node.type,
    label: lines(node.label),
    title: node.title,
    verdict: node.verdict,
    count: node.members.length,
    members: node.members,
    actions: [...new Set(node.actions)],
    layer: column.get(layerOf(node))!,
    x: column.get(layerOf(node))! * LAYER_WIDTH,
    y: position.get(node.id)! * ROW_HEIGHT,
    onPath: path.nodes.has(node.id),
  }));
  const grouped = new Set(nodes.filter((node) => node.kind === 'group').map((node) => node.id));
  return {
    nodes: story,
    edges: edges.map((edge) => ({
      ...edge,
      onPath: path.edges.has(edge.id),
      emphasis: path.edges.has(edge.id)
        ? 'path'
        : storyRelations.has(edge.kind) || edge.kind === 'injectedInto'
          ? 'story'
          : grouped.has(edge.source) || grouped.has(edge.target)
            ? 'faint'
            : 'plain',
    })),
    groups: story.filter((node) => node.kind === 'group').sort((a, b) => b.count - a.count),
  };
}

/** Longest chain of `edges` above each of `ids`, cycles broken where they close. */
function depths(
  ids: readonly string[],
  edges: readonly { source: string; target: string }[],
): Map<string, number> {
  const inSet = new Set(ids);
  const out = new Map<string, string[]>();
  for (const edge of edges)
    if (inSet.has(edge.source) && inSet.has(edge.target))
      out.set(edge.source, [...(out.get(edge.source) ?? []), edge.target]);
  // Depth-first order, ignoring edges back into the path being walked.
  const order: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const back = new Set<string>();
  const visit = (id: string) => {
    state.set(id, 'open');
    for (const next of out.get(id) ?? []) {
      if (state.get(next) === 'open') back.add(`${id}->${next}`);
      else if (!state.has(next)) visit(next);
    }
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of ids) if (!state.has(id)) visit(id);
  const depth = new Map(ids.map((id) => [id, 0]));
  for (const id of order.reverse())
    for (const next of out.get(id) ?? [])
      if (!back.has(`${id}->${next}`)) depth.set(next, Math.max(depth.get(next)!, depth.get(id)! + 1));
  return depth;
}

/** Rows within each layer: neighbours side by side (barycentre sweeps), the whole centred on 0. */
function orderLayers(
  layers: readonly string[][],
  edges: readonly { source: string; target: string }[],
): Map<string, number> {
  const neighbours = new Map<string, string[]>();
  for (const edge of edges) {
    neighbours.set(edge.source, [...(neighbours.get(edge.source) ?? []), edge.target]);
    neighbours.set(edge.target, [...(neighbours.get(edge.target) ?? []), edge.source]);
  }
  const layerIndex = new Map<string, number>();
  layers.forEach((ids, index) => ids.forEach((id) => layerIndex.set(id, index)));
  const order = layers.map((ids) => [...ids]);
  const row = new Map<string, number>();
  const place = () =>
    order.forEach((ids) => ids.forEach((id, index) => row.set(id, index - (ids.length - 1) / 2)));
  place();
  const sweep = (index: number, from: (other: number) => boolean) => {
    const ids = order[index]!;
    const centre = new Map<string, number>();
    for (const id of ids) {
      const rows = (neighbours.get(id) ?? [])
        .filter((other) => from(layerIndex.get(other)!))
        .map((other) => row.get(other)!);
      centre.set(id, rows.length > 0 ? rows.reduce((a, b) => a + b, 0) / rows.length : row.get(id)!);
    }
    // Stable: ties keep the rank order (most telling first).
    order[index] = ids
      .map((id, position) => ({ id, position }))
      .sort((a, b) => centre.get(a.id)! - centre.get(b.id)! || a.position - b.position)
      .map((entry) => entry.id);
    place();
  };
  for (let pass = 0; pass < 3; pass += 1) {
    for (let index = 1; index < order.length; index += 1) sweep(index, (other) => other < index);
    for (let index = order.length - 2; index >= 0; index -= 1) sweep(index, (other) => other > index);
  }
  return row;
}

/** Shortest ways from the alerts to each target, along the edges' direction where one exists. */
function pathsToMalicious(
  sources: readonly string[],
  targets: readonly string[],
  edges: readonly { id: string; source: string; target: string }[],
): { nodes: Set<string>; edges: Set<string> } {
  const onPath = { nodes: new Set<string>(), edges: new Set<string>() };
  const search = (directed: boolean) => {
    const next = new Map<string, { node: string; edge: string }[]>();
    const add = (from: string, to: string, edge: string) =>
      next.set(from, [...(next.get(from) ?? []), { node: to, edge }]);
    for (const edge of edges) {
      add(edge.source, edge.target, edge.id);
      if (!directed) add(edge.target, edge.source, edge.id);
    }
    const via = new Map<string, { from: string; edge: string } | null>(sources.map((id) => [id, null]));
    const queue = [...sources];
    for (let head = 0; head < queue.length; head += 1)
      for (const step of next.get(queue[head]!) ?? [])
        if (!via.has(step.node)) {
          via.set(step.node, { from: queue[head]!, edge: step.edge });
          queue.push(step.node);
        }
    return via;
  };
  const directed = search(true);
  const undirected = search(false);
  for (const target of targets) {
    const via = directed.has(target) ? directed : undirected;
    if (!via.has(target)) continue;
    for (let at: string | undefined = target; at !== undefined;) {
      onPath.nodes.add(at);
      const step: { from: string; edge: string } | null | undefined = via.get(at);
      if (!step) break;
      onPath.edges.add(step.edge);
      at = step.from;
    }
  }
  return onPath;
}
