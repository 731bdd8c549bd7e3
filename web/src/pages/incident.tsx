/** One incident: summary, alerts, entities, the links that made it (with their reasons), investigations; analyst fields. */
import { useState, type FormEvent } from 'react';
import {
  api,
  can,
  type Alert,
  type IncidentDetail,
  type InvestigationSummary,
  type Page,
  type Session,
} from '../api';
import { IncidentTimeline } from '../components/incident-timeline';
import { Badge, Empty, ErrorBox, Loading, useData } from '../components/ui';
import { entityLabel, formatTime } from '../format';
import { Link } from '../router';

const CLASSIFICATIONS = ['unknown', 'truePositive', 'falsePositive', 'informationalExpectedActivity'];

export function IncidentPage({ id, session }: { id: string; session: Session }) {
  const incident = useData(() => api<IncidentDetail>(`/incidents/${encodeURIComponent(id)}`), [id]);
  const alerts = useData(() => api<Page<Alert>>('/alerts', { query: { incidentId: id, limit: 500 } }), [id]);
  const investigations = useData(
    () => api<Page<InvestigationSummary>>('/investigations', { query: { incidentId: id, limit: 50 } }),
    [id],
  );
  const [error, setError] = useState<Error | undefined>();
  const [comment, setComment] = useState('');
  const data = incident.data;
  const analyst = can(session.role, 'analyst');

  const patch = async (body: Record<string, unknown>) => {
    setError(undefined);
    try {
      await api(`/incidents/${encodeURIComponent(id)}`, { method: 'PATCH', body });
      incident.reload();
    } catch (caught) {
      setError(caught as Error);
    }
  };
  const addComment = async (event: FormEvent) => {
    event.preventDefault();
    if (!comment.trim()) return;
    try {
      await api(`/incidents/${encodeURIComponent(id)}/comments`, { method: 'POST', body: { text: comment } });
      setComment('');
      incident.reload();
    } catch (caught) {
      setError(caught as Error);
    }
  };

  const alertTitle = new Map((alerts.data?.items ?? []).map((alert) => [alert.id, alert.title]));
  // Entities by name, as the server names them beside the alerts; the key where no alert was read.
  const names = new Map(
    (alerts.data?.items ?? []).flatMap((alert) =>
      alert.entities.map((entity) => [entity.key, entityLabel(entity)]),
    ),
  );
  const nameOf = (key: string) => names.get(key) ?? key;
  // The links, one line per entity that joined alerts: 45 alerts joined through MKT01 read as one.
  const through = new Map<string, IncidentDetail['links'][number][]>();
  for (const link of data?.links ?? [])
    through.set(link.entityKey, [...(through.get(link.entityKey) ?? []), link]);
  const joined = [...through.entries()].sort((a, b) => b[1].length - a[1].length);

  return (
    <section aria-labelledby="incident-title">
      <p className="crumbs">
        <Link to="/incidents">Incidents</Link> / {id}
      </p>
      <ErrorBox error={incident.error ?? error} />
      <Loading when={incident.loading && !data} />
      {data && (
        <>
          <h1 id="incident-title">
            {data.title} <Badge value={data.severity} /> <Badge value={data.status} />
          </h1>
          <dl className="facts">
            <dt>Alerts</dt>
            <dd>{data.alertCount}</dd>
            <dt>First activity</dt>
            <dd>{formatTime(data.firstActivityAt)}</dd>
            <dt>Last activity</dt>
            <dd>{formatTime(data.lastActivityAt)}</dd>
            <dt>Classification</dt>
            <dd>
              {analyst ? (
                <select
                  aria-label="Classification"
                  value={data.classification}
                  onChange={(event) => void patch({ classification: event.target.value })}
                >
                  {CLASSIFICATIONS.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              ) : (
                data.classification
              )}
            </dd>
            <dt>Assigned to</dt>
            <dd>
              {analyst ? (
                <span className="inline">
                  {data.assignedTo ?? '—'}{' '}
                  <button
                    type="button"
                    className="small"
                    onClick={() => void patch({ assignedTo: session.principal.replace(/^\w+:/, '') })}
                  >
                    Assign to me
                  </button>
                </span>
              ) : (
                (data.assignedTo ?? '—')
              )}
            </dd>
            <dt>Tags</dt>
            <dd>{data.tags.join(', ') || '—'}</dd>
          </dl>

          <h2>Investigations</h2>
          {investigations.data?.items.length ? (
            <ul className="list">
              {investigations.data.items.map((investigation) => (
                <li key={investigation.id}>
                  <Link to={`/investigations/${investigation.id}`}>{investigation.id}</Link>{' '}
                  <Badge value={investigation.status} /> {investigation.playbook}
                  {investigation.statusReason && (
                    <span className="muted"> — {investigation.statusReason}</span>
                  )}
                </li>
              ))}
            </ul>
          ) : (
            <Empty>No investigation yet.</Empty>
          )}

          <h2>Timeline</h2>
          <IncidentTimeline
            incident={data}
            alerts={alerts.data?.items ?? []}
            investigations={investigations.data?.items ?? []}
          />

          <h2>Main entities</h2>
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">Entity</th>
                <th scope="col">Type</th>
                <th scope="col">Alerts naming it</th>
              </tr>
            </thead>
            <tbody>
              {data.entities.map((entity) => (
                <tr key={entity.key}>
                  <td title={entity.key}>{nameOf(entity.key)}</td>
                  <td>{entity.type}</td>
                  <td>{entity.alerts}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <h2>Alerts</h2>
          <Loading when={alerts.loading && !alerts.data} />
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">Alert</th>
                <th scope="col">Severity</th>
                <th scope="col">Source</th>
                <th scope="col">Time</th>
              </tr>
            </thead>
            <tbody>
              {(alerts.data?.items ?? []).map((alert) => (
                <tr key={alert.id}>
                  <td>
                    {alert.title} <span className="muted small">{alert.id}</span>
                  </td>
                  <td>
                    <Badge value={alert.severity} />
                  </td>
                  <td>{alert.source}</td>
                  <td>{formatTime(alert.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <h2>Why these alerts are one incident</h2>
          {data.links.length === 0 ? (
            <Empty>One alert: nothing joined it.</Empty>
          ) : (
            <ul className="list small joined">
              {joined.map(([entityKey, links]) => {
                const alertsJoined = new Set(links.flatMap((link) => [link.alertId, link.otherAlertId]));
                return (
                  <li key={entityKey} data-entity={entityKey}>
                    <strong title={entityKey}>{nameOf(entityKey)}</strong> (
                    {entityKey.slice(0, entityKey.indexOf(':'))}) joined {alertsJoined.size} alerts
                    {links.length > 1 ? ` in ${links.length} links` : ''}
                    {links.length === 1 ? (
                      <>
                        : {alertTitle.get(links[0]!.alertId) ?? links[0]!.alertId} ({links[0]!.alertId}) and{' '}
                        {alertTitle.get(links[0]!.otherAlertId) ?? links[0]!.otherAlertId} (
                        {links[0]!.otherAlertId})
                      </>
                    ) : (
                      <details>
                        <summary>each link</summary>
                        <ul>
                          {links.map((link) => (
                            <li key={`${link.alertId}-${link.otherAlertId}`}>
                              {alertTitle.get(link.alertId) ?? link.alertId} ({link.alertId}) joined{' '}
                              {alertTitle.get(link.otherAlertId) ?? link.otherAlertId} ({link.otherAlertId})
                            </li>
                          ))}
                        </ul>
                      </details>
                    )}
                  </li>
                );
              })}
            </ul>
          )}

          <h2>Comments</h2>
          {data.comments.length === 0 && <Empty>No comments.</Empty>}
          <ul className="list">
            {data.comments.map((c) => (
              <li key={`${c.createdAt}-${c.author}`}>
                <strong>{c.author}</strong> <span className="muted small">{formatTime(c.createdAt)}</span>
                <p>{c.text}</p>
              </li>
            ))}
          </ul>
          {analyst && (
            <form onSubmit={(event) => void addComment(event)} className="stack" aria-label="Add a comment">
              <label htmlFor="comment">Comment</label>
              <textarea id="comment" value={comment} onChange={(event) => setComment(event.target.value)} />
              <button type="submit">Add comment</button>
            </form>
          )}
        </>
      )}
    </section>
  );
}
