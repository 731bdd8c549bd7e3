/**
 * The investigation graph's story (web/src/graph-model.ts): what is drawn on its own and what folds into counted
 * groups, the left-to-right layers, and the path from the origin alert to each malicious entity — on an
 * investigation shaped like the LSASS campaign (a payload from Downloads opens lsass, starts shells, calls home),
 * with a crowd of benign processes around it.
 */
import { describe, expect, it } from 'vitest';
import {
  evidenceName,
  lines,
  storyGraph,
  type GraphAlert,
  type GraphEvidence,
  type StoryGraph,
} from '../web/src/graph-model.js';

const device = 'device:mkt01.pandalab.com';
const user = 'user:pandalab\\stevie.marie';
const proc = (id: string) => `process:mkt01.pandalab.com:${id}`;

function evidence(
  key: string,
  type: string,
  label: string,
  verdict: string,
  relations: [string, string][] = [],
  score = 0,
  aliases: string[] = [],
): GraphEvidence {
  return {
    key,
    type,
    label,
    verdict,
    score,
    aliases,
    relations: relations.map(([kind, to]) => ({ kind, key: to })),
  };
}

function campaign(benign = 60) {
  const rows: GraphEvidence[] = [
    evidence(
      proc('payload'),
      'process',
      'process winx64_payload.exe (pid 1988) on mkt01.pandalab.com',
      'malicious',
      [
        ['child', proc('cmd')],
        ['accessed', proc('lsass')],
        ['connectedTo', 'ip:10.0.5.13'],
        ['image', 'file:sha256:aa'],
        ['runsOn', device],
        ['ranAs', user],
      ],
      285,
      [proc('1988')],
    ),
    evidence(proc('cmd'), 'process', 'process cmd.exe (pid 7588) on mkt01.pandalab.com', 'malicious', [
      ['child', proc('whoami')],
      ['runsOn', device],
    ]),
    evidence(proc('whoami'), 'process', 'process whoami.exe (pid 5324) on mkt01.pandalab.com', 'suspicious', [
      ['runsOn', device],
    ]),
    evidence(
      proc('lsass'),
      'process',
      'process lsass.exe (pid 628) on mkt01.pandalab.com',
      'noThreatsFound',
      [['runsOn', device]],
    ),
    evidence('ip:10.0.5.13', 'ip', '10.0.5.13', 'malicious', [], 120),
    evidence('file:sha256:aa', 'file', 'file winx64_payload.exe (sha256 aa)', 'malicious', [], 100),
    evidence(device, 'device', 'device:mkt01.pandalab.com', 'malicious'),
    evidence(user, 'user', 'user:pandalab\\stevie.marie', 'suspicious'),
  ];
  for (let i = 0; i < benign; i += 1)
    rows.push(
      evidence(
        proc(`b${i}`),
        'process',
        `process svchost.exe (pid ${1000 + i}) on mkt01.pandalab.com`,
        'noThreatsFound',
        [
          ['runsOn', device],
          ['image', `file:path:svchost${i % 3}`],
        ],
      ),
    );
  for (let i = 0; i < 3; i += 1)
    rows.push(evidence(`file:path:svchost${i}`, 'file', `file svchost${i}.exe`, 'noThreatsFound'));
  const alerts: GraphAlert[] = [
    // Names the payload by its pid key, an alias of the evidence kept under its Sysmon GUID.
    {
      id: 'alr_39',
      title: 'LSASS Opened By A Program In A User-Writable Folder',
      severity: 'high',
      entities: [{ key: proc('1988') }, { key: device }, { key: user }],
    },
    ...Array.from({ length: 20 }, (_, i) => ({
      id: `alr_low${i}`,
      title: 'Windows Eventlog Cleared',
      severity: 'low',
      entities: [{ key: proc(`b${i}`) }, { key: device }],
    })),
  ];
  const actions = [
    { id: 'act_1', type: 'killProcess', status: 'pendingApproval', targetKey: proc('1988') },
    { id: 'act_2', type: 'blockIp', status: 'succeeded', targetKey: 'ip:10.0.5.13' },
  ];
  return { rows, alerts, actions };
}

const node = (graph: StoryGraph, id: string) => graph.nodes.find((candidate) => candidate.id === id);

describe('the investigation graph as a story', () => {
  it('keeps what incriminates on its own and folds the benign crowd into one counted node', () => {
    const { rows, alerts, actions } = campaign();
    const graph = storyGraph(rows, alerts, actions);
    expect(graph.nodes.length).toBeLessThanOrEqual(40);
    for (const id of [
      proc('payload'),
      proc('cmd'),
      proc('whoami'),
      proc('lsass'),
      'ip:10.0.5.13',
      device,
      'alr_39',
    ])
      expect(node(graph, id)?.kind, id).not.toBe(undefined);
    const crowd = graph.groups.find(
      (group) => group.type === 'process' && group.verdict === 'noThreatsFound',
    );
    expect(crowd).toMatchObject({ kind: 'group', id: 'group:process:noThreatsFound' });
    // Everything is somewhere: every piece of evidence and every alert on its own or in exactly one group.
    const members = graph.nodes.flatMap((candidate) => candidate.members);
    expect(members.sort()).toEqual(
      [...rows.map((row) => row.key), ...alerts.map((alert) => alert.id)].sort(),
    );
    expect(crowd!.label.replace('\n', ' ')).toBe(`${crowd!.count} processes · no threats found`);
    expect(crowd!.count).toBeGreaterThan(40);
    expect(node(graph, proc('payload'))).toMatchObject({
      label: 'winx64_payload.exe (pid\n1988) on MKT01',
      actions: ['killProcess (waiting)'],
    });
    expect(node(graph, 'ip:10.0.5.13')?.actions).toEqual(['blockIp (done)']);
    // No group of one: it would say "1 process".
    expect(graph.groups.every((group) => group.count >= 2)).toBe(true);
  });

  it('lays the story out left to right: alerts, then processes by their tree, then artifacts, then assets', () => {
    const { rows, alerts, actions } = campaign();
    const graph = storyGraph(rows, alerts, actions);
    const layer = (id: string) => node(graph, id)!.layer;
    expect(layer('alr_39')).toBe(0);
    expect(layer(proc('payload'))).toBe(1);
    expect(layer(proc('cmd'))).toBe(layer(proc('payload')) + 1);
    expect(layer(proc('whoami'))).toBe(layer(proc('cmd')) + 1);
    // What the payload opened sits just right of it, however deep the rest of the tree goes.
    expect(layer(proc('lsass'))).toBe(layer(proc('payload')) + 1);
    expect(layer('ip:10.0.5.13')).toBeGreaterThan(layer(proc('whoami')));
    expect(layer(device)).toBe(layer('ip:10.0.5.13') + 1);
    const places = new Set(graph.nodes.map((candidate) => `${candidate.x},${candidate.y}`));
    expect(places.size).toBe(graph.nodes.length);
  });

  it('draws the path from the origin alert to each malicious entity, and not to the victim', () => {
    const { rows, alerts, actions } = campaign();
    const graph = storyGraph(rows, alerts, actions);
    const pathEdges = graph.edges
      .filter((edge) => edge.onPath)
      .map((edge) => `${edge.source} ${edge.kind} ${edge.target}`);
    expect(pathEdges).toEqual(
      expect.arrayContaining([
        `alr_39 names ${proc('payload')}`,
        `${proc('payload')} connectedTo ip:10.0.5.13`,
        `${proc('payload')} child ${proc('cmd')}`,
      ]),
    );
    expect(node(graph, proc('lsass'))!.onPath).toBe(false);
    const accessed = graph.edges.find((edge) => edge.kind === 'accessed');
    expect(accessed).toMatchObject({ source: proc('payload'), target: proc('lsass'), emphasis: 'story' });
    // The alert naming a process does not also point at the device and user it implies.
    expect(graph.edges.some((edge) => edge.source === 'alr_39' && edge.target === device)).toBe(false);
    // A child's device is its parent's: only the first process of a chain points at it.
    expect(graph.edges.some((edge) => edge.source === proc('cmd') && edge.kind === 'runsOn')).toBe(false);
    expect(graph.edges.some((edge) => edge.source === proc('payload') && edge.kind === 'runsOn')).toBe(true);
  });

  it('opens a group on request, and everything when asked', () => {
    const { rows, alerts, actions } = campaign();
    const opened = storyGraph(rows, alerts, actions, { expanded: new Set(['group:process:noThreatsFound']) });
    expect(opened.groups.some((group) => group.id === 'group:process:noThreatsFound')).toBe(false);
    expect(node(opened, proc('b59'))?.kind).toBe('evidence');
    // Opening one group folds nothing else.
    const before = storyGraph(rows, alerts, actions);
    const crowd = before.groups.find((group) => group.id === 'group:process:noThreatsFound')!;
    expect(opened.nodes.length).toBe(before.nodes.length + crowd.count - 1);
    const all = storyGraph(rows, alerts, actions, { expandAll: true });
    expect(all.groups).toEqual([]);
    expect(all.nodes.length).toBe(rows.length + alerts.length);
  });

  it('survives cycles and relations to what is not evidence, and keeps 500 pieces to about 40 nodes', () => {
    const { rows, alerts, actions } = campaign(480);
    rows.push(
      evidence(proc('x'), 'process', 'process a.exe', 'suspicious', [
        ['child', proc('y')],
        ['child', 'process:gone'],
      ]),
      evidence(proc('y'), 'process', 'process b.exe', 'suspicious', [['child', proc('x')]]),
    );
    const graph = storyGraph(rows, alerts, actions);
    expect(graph.nodes.length).toBeLessThanOrEqual(40);
    expect(Math.abs(node(graph, proc('x'))!.layer - node(graph, proc('y'))!.layer)).toBe(1);
  });
});

describe('graph labels', () => {
  it('names evidence as analysts say it and breaks long names into two lines', () => {
    expect(
      evidenceName({ type: 'process', key: 'p', label: 'process cmd.exe (pid 7588) on mkt01.pandalab.com' }),
    ).toBe('cmd.exe (pid 7588) on MKT01');
    expect(
      evidenceName({
        type: 'registryValue',
        key: 'registryValue:hklm\\system\\currentcontrolset\\services\\rtcpef\\imagepath',
        label: 'registryValue:hklm\\system\\currentcontrolset\\services\\rtcpef\\imagepath',
      }),
    ).toBe('rtcpef\\imagepath');
    expect(
      evidenceName({
        type: 'service',
        key: 'service:mkt01.pandalab.com:rtcpef',
        label: 'service:mkt01.pandalab.com:rtcpef',
      }),
    ).toBe('rtcpef on MKT01');
    expect(lines('Shell Started By A Program In A User-Writable Folder')).toBe(
      'Shell Started By A\nProgram In A User-Writa…',
    );
    expect(lines('33c9c0fd-a282-4e59-8a2e-e33a8256319d.tmp')).toBe(
      '33c9c0fd-a282-4e59-8a2e-\ne33a8256319d.tmp',
    );
    expect(lines('short')).toBe('short');
  });
});
