/** The incidents queue: filters and sort in the URL, server-side pagination, counts. */
import { useState } from 'react';
import { api, type IncidentSummary, type Page } from '../api';
import { Badge, Empty, ErrorBox, DateFilter, Loading, Pager, useData } from '../components/ui';
import { formatTime, shortKey } from '../format';
import { Link, useSearchParams } from '../router';

const SORTS = [
  { id: 'lastActivity', label: 'Last activity' },
  { id: 'severity', label: 'Severity' },
  { id: 'firstActivity', label: 'First activity' },
  { id: 'created', label: 'Created' },
  { id: 'alerts', label: 'Alert count' },
];

export function IncidentsPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'active';
  const severity = params.get('severity') ?? '';
  const assignedTo = params.get('assignedTo') ?? '';
  const tag = params.get('tag') ?? '';
  const sort = params.get('sort') ?? 'lastActivity';
  const since = params.get('since') ?? '';
  const until = params.get('until') ?? '';
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const key = `${status}|${severity}|${assignedTo}|${tag}|${sort}|${since}|${until}`;
  const [lastKey, setLastKey] = useState(key);
  if (key !== lastKey) {
    setLastKey(key);
    setCursors([]);
  }
  const { data, error, loading } = useData(
    () =>
      api<Page<IncidentSummary>>('/incidents', {
        query: { status, severity, assignedTo, tag, sort, since, until, limit: 50, cursor, count: 'true' },
      }),
    [status, severity, assignedTo, tag, sort, since, until, cursor],
  );
  return (
    <section aria-labelledby="incidents-title">
      <h1 id="incidents-title">Incidents</h1>
      <form className="filters" aria-label="Filter incidents" onSubmit={(event) => event.preventDefault()}>
        <label>
          Status
          <select value={status} onChange={(event) => setParams({ status: event.target.value })}>
            <option value="active">active</option>
            <option value="resolved">resolved</option>
            <option value="active,resolved">active or resolved</option>
            <option value="redirected">merged</option>
          </select>
        </label>
        <label>
          Severity
          <select value={severity} onChange={(event) => setParams({ severity: event.target.value })}>
            <option value="">any</option>
            {['critical', 'high', 'medium', 'low', 'informational'].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Assigned to
          <input
            defaultValue={assignedTo}
            onBlur={(event) => setParams({ assignedTo: event.target.value })}
          />
        </label>
        <label>
          Tag
          <input defaultValue={tag} onBlur={(event) => setParams({ tag: event.target.value })} />
        </label>
        <DateFilter label="Active since" value={since} onChange={(since) => setParams({ since })} />
        <DateFilter label="Active before" value={until} onChange={(until) => setParams({ until })} />
        <label>
          Sort by
          <select value={sort} onChange={(event) => setParams({ sort: event.target.value })}>
            {SORTS.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorBox error={error} />
      {data && (
        <p className="muted" aria-live="polite">
          {data.total ?? data.items.length} incidents
          {data.bySeverity &&
            ` — ${Object.entries(data.bySeverity)
              .map(([s, n]) => `${n} ${s}`)
              .join(', ')}`}
        </p>
      )}
      <Loading when={loading && !data} />
      {data && data.items.length === 0 && <Empty>No incidents match.</Empty>}
      {data && data.items.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">Incident</th>
              <th scope="col">Severity</th>
              <th scope="col">Status</th>
              <th scope="col">Alerts</th>
              <th scope="col">Main entities</th>
              <th scope="col">Assigned to</th>
              <th scope="col">Last activity</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((incident) => (
              <tr key={incident.id}>
                <td>
                  <Link to={`/incidents/${incident.id}`}>{incident.title}</Link>
                  <div className="muted small">{incident.id}</div>
                </td>
                <td>
                  <Badge value={incident.severity} />
                </td>
                <td>
                  <Badge value={incident.status} />
                </td>
                <td>{incident.alertCount}</td>
                <td className="small">
                  {incident.entities.slice(0, 3).map((entity) => (
                    <div key={entity.key}>{shortKey(entity.key, 40)}</div>
                  ))}
                </td>
                <td>{incident.assignedTo ?? '—'}</td>
                <td>{formatTime(incident.lastActivityAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager cursors={cursors} setCursors={setCursors} next={data?.nextCursor} />
    </section>
  );
}
