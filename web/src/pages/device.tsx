/**
 * One device: what happened on it, newest first — its alerts, the investigations that held it as evidence and the
 * actions on it — its process tree from the telemetry (processes an alert named marked), and its agent (admins).
 */
import { useMemo } from 'react';
import {
  api,
  can,
  type Action,
  type Agent,
  type Alert,
  type InvestigationSummary,
  type Page,
  type Session,
  type TelemetryEvent,
} from '../api';
import { Badge, Empty, ErrorBox, Loading, useData } from '../components/ui';
import { baseName, entityLabel, formatTime } from '../format';
import { pidOf, processTree, type ProcessTreeNode } from '../process-tree';
import { Link } from '../router';

interface TimelineItem {
  readonly at: string;
  readonly kind: 'alert' | 'investigation' | 'action';
  readonly id: string;
  readonly what: string;
  readonly state: string;
  readonly link?: string;
}

export function devicePath(deviceKey: string): string {
  return `/devices/${encodeURIComponent(deviceKey)}`;
}

export function DevicePage({ deviceKey, session }: { deviceKey: string; session: Session }) {
  const alerts = useData(
    () => api<Page<Alert>>('/alerts', { query: { entity: deviceKey, limit: 200 } }),
    [deviceKey],
  );
  // Its name as the server gives it beside the alerts naming it; its host until they come.
  const named = alerts.data?.items
    .flatMap((alert) => alert.entities)
    .find((entity) => entity.key === deviceKey);
  const name = named ? entityLabel(named) : deviceKey.replace(/^device:/, '');
  const investigations = useData(
    () => api<Page<InvestigationSummary>>('/investigations', { query: { entity: deviceKey, limit: 100 } }),
    [deviceKey],
  );
  const actions = useData(
    () => api<Page<Action>>('/actions', { query: { device: deviceKey, limit: 200 } }),
    [deviceKey],
  );
  const starts = useData(
    () =>
      api<Page<TelemetryEvent>>('/events', {
        query: { device: deviceKey, kind: 'processStart', order: 'asc', limit: 1000 },
      }),
    [deviceKey],
  );
  const admin = can(session.role, 'admin');
  const agents = useData(
    () => (admin ? api<{ items: Agent[] }>('/agents') : Promise.resolve({ items: [] as Agent[] })),
    [admin],
  );
  const agent = agents.data?.items.find((item) => item.deviceKey === deviceKey && !item.revokedAt);

  const timeline = useMemo(() => {
    const items: TimelineItem[] = [
      ...(alerts.data?.items ?? []).map((alert) => ({
        at: alert.createdAt,
        kind: 'alert' as const,
        id: alert.id,
        what: alert.title,
        state: alert.severity,
        ...(alert.incidentId ? { link: `/incidents/${alert.incidentId}` } : {}),
      })),
      ...(investigations.data?.items ?? []).map((investigation) => ({
        at: investigation.createdAt,
        kind: 'investigation' as const,
        id: investigation.id,
        what: `${investigation.playbook} playbook, ${investigation.alertCount} alerts`,
        state: investigation.status,
        link: `/investigations/${investigation.id}`,
      })),
      ...(actions.data?.items ?? []).map((action) => ({
        at: action.createdAt,
        kind: 'action' as const,
        id: action.id,
        what: action.title,
        state: action.status,
        link: `/actions?tab=history&id=${action.id}`,
      })),
    ];
    return items.sort((a, b) => b.at.localeCompare(a.at) || a.id.localeCompare(b.id));
  }, [alerts.data, investigations.data, actions.data]);

  const alerted = useMemo(
    () =>
      new Set(
        (alerts.data?.items ?? []).flatMap((alert) =>
          alert.entities.filter((entity) => entity.type === 'process').map((entity) => entity.key),
        ),
      ),
    [alerts.data],
  );
  const loading = alerts.loading || investigations.loading || actions.loading;

  return (
    <section aria-labelledby="device-title">
      <p className="crumbs">
        <Link to="/alerts">Alerts</Link> / device
      </p>
      <h1 id="device-title">{name}</h1>
      <p className="muted small">
        <code>{deviceKey}</code>
        {admin &&
          (agent ? (
            <>
              {' '}
              · agent {agent.version} on {agent.os}, <Badge value={agent.online ? 'online' : 'offline'} />{' '}
              last seen {formatTime(agent.lastSeenAt)}
            </>
          ) : (
            ' · no agent enrolled'
          ))}
      </p>
      <ErrorBox error={alerts.error ?? investigations.error ?? actions.error ?? starts.error} />
      <p aria-live="polite">
        {alerts.data?.items.length ?? '…'} alerts · {investigations.data?.items.length ?? '…'} investigations
        · {actions.data?.items.length ?? '…'} actions
      </p>
      <h2>Timeline</h2>
      <Loading when={loading && timeline.length === 0} />
      {!loading && timeline.length === 0 && (
        <Empty>Nothing happened on this device that autoir knows of.</Empty>
      )}
      {timeline.length > 0 && (
        <table className="grid" aria-label="Timeline">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">What</th>
              <th scope="col"></th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {timeline.map((item) => (
              <tr key={`${item.kind}:${item.id}`} data-kind={item.kind}>
                <td>{formatTime(item.at)}</td>
                <td>{item.kind}</td>
                <td>{item.link ? <Link to={item.link}>{item.what}</Link> : item.what}</td>
                <td>
                  <Badge value={item.state} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Process tree</h2>
      <Loading when={starts.loading && !starts.data} />
      {starts.data && (
        <ProcessTree events={starts.data.items} alerted={alerted} more={Boolean(starts.data.nextCursor)} />
      )}
    </section>
  );
}

/**
 * Process starts as a tree by parent (web/src/process-tree.ts: a start Sysmon and the Security log both reported
 * shows once); a parent the telemetry never saw start leaves its children at the top.
 */
function ProcessTree({
  events,
  alerted,
  more,
}: {
  events: readonly TelemetryEvent[];
  alerted: ReadonlySet<string>;
  more: boolean;
}) {
  const roots = useMemo(() => processTree(events), [events]);
  if (roots.length === 0) return <Empty>No process starts recorded for this device.</Empty>;
  return (
    <>
      {more && <p className="muted small">The first 1,000 process starts.</p>}
      <ul className="tree" aria-label="Process tree">
        {roots.map((node) => (
          <ProcessNode key={node.event.id} node={node} alerted={alerted} />
        ))}
      </ul>
    </>
  );
}

function ProcessNode({
  node,
  alerted,
}: {
  node: ProcessTreeNode<TelemetryEvent>;
  alerted: ReadonlySet<string>;
}) {
  const { event } = node;
  const flagged = node.keys.some((key) => alerted.has(key));
  return (
    <li data-process={event.processKey}>
      <span className={flagged ? 'flagged' : undefined} title={node.keys.join('\n')}>
        {event.imagePath ? baseName(event.imagePath) : (event.processKey ?? event.id)}
        {pidOf(event) !== undefined && <span className="muted small"> (pid {pidOf(event)})</span>}
        {flagged && <span className="badge badge-bad">alerted</span>}
      </span>{' '}
      <span className="muted small">
        {formatTime(event.time)}
        {event.commandLine ? ` · ${event.commandLine.slice(0, 160)}` : ''}
      </span>
      {node.children.length > 0 && (
        <ul>
          {node.children.map((child) => (
            <ProcessNode key={child.event.id} node={child} alerted={alerted} />
          ))}
        </ul>
      )}
    </li>
  );
}
