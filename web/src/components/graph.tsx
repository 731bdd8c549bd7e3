/**
 * The investigation graph, drawn as a story from left to right (web/src/graph-model.ts decides what is drawn and
 * where): origin alerts → processes → files, connections, registry → devices, users, mailboxes. Groups of one kind
 * and verdict show as one counted node that opens on click (or from the list under the graph, by keyboard); the
 * path from an origin alert to each malicious entity is drawn thick. The Evidence tab holds the same as a table,
 * for screen readers.
 */
import cytoscape, { type Core, type NodeSingular } from 'cytoscape';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Alert, Investigation } from '../api';
import { storyGraph, type StoryGraph, type StoryNode } from '../graph-model';

export interface GraphNode {
  readonly id: string;
  readonly kind: 'alert' | 'evidence';
  readonly label: string;
}

export const verdictColours: Record<string, string> = {
  malicious: '#d13438',
  suspicious: '#e8a317',
  noThreatsFound: '#2f9e44',
  unknown: '#868e96',
};
const severityColours: Record<string, string> = {
  high: '#364fc7',
  medium: '#5c7cfa',
  low: '#91a7ff',
  informational: '#bac8ff',
};
const PATH = '#d13438';

function colourOf(node: StoryNode): string {
  return node.type === 'alert'
    ? (severityColours[node.verdict] ?? severityColours.medium!)
    : (verdictColours[node.verdict] ?? verdictColours.unknown!);
}

/** Node text: the name, then the actions on it. */
function labelOf(node: StoryNode): string {
  if (node.actions.length === 0) return node.label;
  const shown = node.actions.slice(0, 2).join('\n⚑ ');
  return `${node.label}\n⚑ ${shown}${node.actions.length > 2 ? ` +${node.actions.length - 2}` : ''}`;
}

function draw(container: HTMLElement, story: StoryGraph, dark: boolean): Core {
  const ink = dark ? '#e9ecef' : '#212529';
  const paper = dark ? '#1e2228' : '#ffffff';
  const line = dark ? '#5c636a' : '#adb5bd';
  return cytoscape({
    container,
    wheelSensitivity: 0.3,
    minZoom: 0.2,
    maxZoom: 2.5,
    elements: [
      ...story.nodes.map((node) => ({
        data: {
          id: node.id,
          label: labelOf(node),
          kind: node.kind,
          colour: colourOf(node),
          count: node.count,
        },
        position: { x: node.x, y: node.y },
        classes: [node.onPath ? 'path' : '', node.type === 'alert' ? 'alert' : ''].join(' ').trim(),
      })),
      ...story.edges.map((edge) => ({
        data: {
          id: edge.id,
          source: edge.source,
          target: edge.target,
          label: edge.kind === 'names' ? '' : edge.count > 1 ? `${edge.kind} ×${edge.count}` : edge.kind,
        },
        classes: edge.emphasis,
      })),
    ],
    layout: { name: 'preset', fit: true, padding: 24 },
    style: [
      {
        selector: 'node',
        style: {
          'background-color': 'data(colour)',
          label: 'data(label)',
          'font-size': 14,
          color: ink,
          'text-wrap': 'wrap',
          'text-max-width': '400px',
          'text-halign': 'right',
          'text-valign': 'center',
          'text-margin-x': 6,
          'text-background-color': paper,
          'text-background-opacity': 0.85,
          'text-background-padding': '1px',
          width: 22,
          height: 22,
          'border-width': 1,
          'border-color': paper,
        },
      },
      { selector: 'node.alert', style: { shape: 'round-rectangle', width: 26, height: 18 } },
      {
        selector: 'node[kind = "group"]',
        style: {
          shape: 'round-octagon',
          width: 30,
          height: 30,
          'border-width': 3,
          'border-style': 'double',
          'border-color': ink,
          'font-weight': 'bold',
        },
      },
      { selector: 'node.path', style: { 'border-width': 3, 'border-color': PATH, 'border-style': 'solid' } },
      {
        selector: 'edge',
        style: {
          width: 1,
          'line-color': line,
          'target-arrow-shape': 'triangle',
          'target-arrow-color': line,
          'arrow-scale': 0.8,
          'curve-style': 'bezier',
          opacity: 0.7,
        },
      },
      { selector: 'edge.faint', style: { opacity: 0.18 } },
      {
        selector: 'edge.story, edge.path',
        style: {
          width: 2,
          'line-color': ink,
          'target-arrow-color': ink,
          opacity: 0.9,
          'z-index': 5,
          label: 'data(label)',
          'font-size': 10,
          color: ink,
          'text-rotation': 'autorotate',
          'text-background-color': paper,
          'text-background-opacity': 0.9,
        },
      },
      {
        selector: 'edge.path',
        style: {
          width: 3,
          'line-color': PATH,
          'target-arrow-color': PATH,
          color: PATH,
          opacity: 1,
          'z-index': 10,
        },
      },
      {
        selector: 'node:selected',
        style: { 'overlay-color': dark ? '#fff' : '#000', 'overlay-opacity': 0.15, 'overlay-padding': 6 },
      },
      {
        selector: 'edge.near',
        style: { opacity: 1, width: 2, 'line-color': ink, 'target-arrow-color': ink },
      },
    ],
  });
}

export function InvestigationGraph({
  investigation,
  alerts,
  onSelect,
}: {
  investigation: Investigation;
  alerts: readonly Alert[];
  onSelect: (node: GraphNode | null) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const graph = useRef<Core | null>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [expandAll, setExpandAll] = useState(false);
  const story = useMemo(
    () => storyGraph(investigation.evidence, alerts, investigation.actions, { expanded, expandAll }),
    [investigation, alerts, expanded, expandAll],
  );
  const expand = (id: string) => setExpanded((known) => new Set([...known, id]));

  useEffect(() => {
    if (!container.current) return undefined;
    const cy = draw(container.current, story, document.documentElement.dataset.theme === 'dark');
    const byId = new Map(story.nodes.map((node) => [node.id, node]));
    cy.on('tap', 'node', (event) => {
      const node = byId.get((event.target as NodeSingular).id());
      if (!node) return;
      if (node.kind === 'group') setExpanded((known) => new Set([...known, node.id]));
      else onSelect({ id: node.id, kind: node.kind === 'alert' ? 'alert' : 'evidence', label: node.label });
      cy.edges().removeClass('near');
      (event.target as NodeSingular).connectedEdges().addClass('near');
    });
    cy.on('tap', (event) => {
      if (event.target !== cy) return;
      cy.edges().removeClass('near');
      onSelect(null);
    });
    graph.current = cy;
    return () => {
      cy.destroy();
      graph.current = null;
    };
  }, [story, onSelect]);

  const malicious = story.nodes.filter(
    (node) => node.verdict === 'malicious' && node.type !== 'alert',
  ).length;
  return (
    <div className="story">
      <div className="toolbar">
        <label className="inline-check">
          <input
            type="checkbox"
            checked={expandAll}
            onChange={(event) => setExpandAll(event.target.checked)}
          />
          Show all {investigation.evidence.length} pieces of evidence and {alerts.length} alerts, none grouped
        </label>
        <button type="button" onClick={() => graph.current?.fit(undefined, 24)}>
          Zoom to fit
        </button>
        {expanded.size > 0 && (
          <button type="button" onClick={() => setExpanded(new Set())}>
            Group again
          </button>
        )}
      </div>
      <div
        ref={container}
        className="graph"
        role="img"
        aria-label={`Graph of the investigation from left to right: alerts, processes, files and connections, devices and users; ${story.nodes.length} nodes, ${story.groups.length} of them groups; the path to each of ${malicious} malicious entities drawn thick`}
        data-testid="investigation-graph"
        data-nodes={story.nodes.length}
      />
      <ul className="legend" aria-label="Legend">
        {(['malicious', 'suspicious', 'noThreatsFound', 'unknown'] as const).map((verdict) => (
          <li key={verdict}>
            <span className="swatch" style={{ background: verdictColours[verdict] }} />
            {
              {
                malicious: 'malicious',
                suspicious: 'suspicious',
                noThreatsFound: 'no threats found',
                unknown: 'not judged',
              }[verdict]
            }
          </li>
        ))}
        <li>
          <span className="swatch alert" style={{ background: severityColours.high }} />
          alert (darker: more severe)
        </li>
        <li>
          <span className="swatch group" />
          group — click to open
        </li>
        <li>
          <span className="swatch path" />
          path from an alert to a malicious entity
        </li>
        <li>⚑ action on it</li>
      </ul>
      {story.groups.length > 0 && (
        <div className="groups">
          <span className="muted">Grouped:</span>
          {story.groups.map((group) => (
            <button
              type="button"
              key={group.id}
              className="link"
              data-group={group.id}
              title={group.title}
              onClick={() => expand(group.id)}
            >
              {group.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
