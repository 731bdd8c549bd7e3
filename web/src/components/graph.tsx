/**
 * The investigation graph: alerts → the entities they name → evidence (coloured by verdict) → actions. Click a
 * node to see it; the Evidence tab holds the same as a table, for screen readers.
 */
import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from 'cytoscape';
import { useEffect, useRef } from 'react';
import type { Alert, Investigation } from '../api';
import { shortKey } from '../format';

export interface GraphNode {
  readonly id: string;
  readonly kind: 'alert' | 'evidence' | 'action';
  readonly label: string;
}

const colours: Record<string, string> = {
  malicious: '#d13438',
  suspicious: '#e8a317',
  noThreatsFound: '#2f9e44',
  unknown: '#868e96',
};

/**
 * The graph's elements. Unless `all`, only what matters is drawn: incriminated evidence, the evidence one relation
 * away from it, the alerts naming incriminated evidence, and the actions — so 500 entities stay readable.
 */
export function elementsOf(
  investigation: Investigation,
  alerts: readonly Alert[],
  all = false,
): ElementDefinition[] {
  const elements: ElementDefinition[] = [];
  const bad = new Set(
    investigation.evidence
      .filter((row) => row.verdict === 'malicious' || row.verdict === 'suspicious')
      .map((row) => row.key),
  );
  const near = new Set(bad);
  for (const row of investigation.evidence)
    for (const relation of row.relations) {
      // A device relates to every process on it: it joins, but does not pull in its whole process list.
      if (bad.has(row.key) && row.type !== 'device' && row.type !== 'user') near.add(relation.key);
      if (bad.has(relation.key) && !/^(device|user):/.test(relation.key)) near.add(row.key);
    }
  const shown = all ? investigation.evidence : investigation.evidence.filter((row) => near.has(row.key));
  const evidenceKeys = new Set(shown.map((row) => row.key));
  for (const row of shown)
    elements.push({
      data: {
        id: row.key,
        label:
          row.label === row.key
            ? `${row.type}\n${shortKey(row.key.slice(row.key.indexOf(':') + 1), 28)}`
            : shortKey(row.label, 40),
        kind: 'evidence',
        colour: colours[row.verdict] ?? colours.unknown,
        verdict: row.verdict,
        // Labels on what matters; the rest say what they are when selected.
        quiet: !bad.has(row.key),
      },
    });
  const edges = new Set<string>();
  const edge = (source: string, target: string, label: string) => {
    const id = `${source}->${target}`;
    if (edges.has(id) || !source || !target) return;
    edges.add(id);
    elements.push({ data: { id, source, target, label } });
  };
  for (const alert of alerts) {
    const named = alert.entities.filter((entity) => (all ? evidenceKeys : bad).has(entity.key));
    if (named.length === 0) continue;
    elements.push({
      data: { id: alert.id, label: shortKey(alert.title, 30), kind: 'alert', colour: '#5c7cfa', quiet: true },
    });
    for (const entity of named) edge(alert.id, entity.key, 'names');
  }
  for (const row of shown)
    for (const relation of row.relations)
      if (evidenceKeys.has(relation.key)) edge(row.key, relation.key, relation.kind);
  for (const action of investigation.actions) {
    if (!evidenceKeys.has(action.targetKey)) continue;
    elements.push({
      data: {
        id: action.id,
        label: `${action.type}\n${action.status}`,
        kind: 'action',
        colour: '#7048e8',
        quiet: false,
      },
    });
    edge(action.targetKey, action.id, 'remediated by');
  }
  return elements;
}

export function InvestigationGraph({
  investigation,
  alerts,
  onSelect,
  all = false,
}: {
  investigation: Investigation;
  alerts: readonly Alert[];
  onSelect: (node: GraphNode | null) => void;
  all?: boolean;
}) {
  const container = useRef<HTMLDivElement>(null);
  const graph = useRef<Core | null>(null);
  useEffect(() => {
    if (!container.current) return undefined;
    const elements = elementsOf(investigation, alerts, all);
    const nodes = elements.filter((element) => !('source' in element.data)).length;
    const dark = document.documentElement.dataset.theme === 'dark';
    const cy = cytoscape({
      container: container.current,
      elements,
      wheelSensitivity: 0.3,
      style: [
        {
          selector: 'node',
          style: {
            'background-color': 'data(colour)',
            label: (node: NodeSingular) => (node.data('quiet') && !all ? '' : (node.data('label') as string)),
            'font-size': 9,
            color: dark ? '#e9ecef' : '#212529',
            'text-wrap': 'wrap',
            'text-valign': 'bottom',
            'text-margin-y': 4,
            width: 22,
            height: 22,
          },
        },
        { selector: 'node[kind = "alert"]', style: { shape: 'round-rectangle', width: 26 } },
        { selector: 'node[kind = "action"]', style: { shape: 'diamond' } },
        {
          selector: 'node:selected',
          style: { 'border-width': 3, 'border-color': dark ? '#fff' : '#000', label: 'data(label)' },
        },
        {
          selector: 'edge',
          style: {
            width: 1,
            'line-color': dark ? '#495057' : '#ced4da',
            'target-arrow-shape': 'triangle',
            'target-arrow-color': dark ? '#495057' : '#ced4da',
            'curve-style': 'bezier',
          },
        },
      ],
      layout:
        nodes > 300
          ? { name: 'grid' }
          : {
              name: 'cose',
              animate: false,
              nodeRepulsion: () => 9000,
              idealEdgeLength: () => 70,
              // ~135 iterations instead of ~690: the layout is most of the graph's time to first paint.
              coolingFactor: 0.95,
            },
    });
    cy.on('tap', 'node', (event) => {
      const data = event.target.data() as { id: string; kind: GraphNode['kind']; label: string };
      onSelect({ id: data.id, kind: data.kind, label: data.label });
    });
    cy.on('tap', (event) => {
      if (event.target === cy) onSelect(null);
    });
    graph.current = cy;
    return () => {
      cy.destroy();
      graph.current = null;
    };
  }, [investigation, alerts, onSelect, all]);
  return (
    <div
      ref={container}
      className="graph"
      role="img"
      aria-label={`Graph of the investigation: ${all ? 'all evidence' : 'evidence judged malicious or suspicious and what it touches'}, the alerts naming it, and its actions`}
      data-testid="investigation-graph"
    />
  );
}
