/** Every alert: filters and text search in the URL, pages, and an analyst's status for several at once. */
import { useState } from 'react';
import { api, can, type Alert, type Page, type Session } from '../api';
import { Badge, Empty, ErrorBox, DateFilter, Loading, Pager, useAction, useData } from '../components/ui';
import { entityLabel, formatTime } from '../format';
import { Link, useSearchParams } from '../router';
import { devicePath } from './device';

const STATUSES = ['new', 'inProgress', 'resolved'] as const;
const STATUS_LABEL: Record<(typeof STATUSES)[number], string> = {
  new: 'new',
  inProgress: 'in progress',
  resolved: 'resolved',
};

export function AlertsPage({ session }: { session: Session }) {
  const [params, setParams] = useSearchParams();
  const filters = {
    status: params.get('status') ?? '',
    minSeverity: params.get('minSeverity') ?? '',
    source: params.get('source') ?? '',
    technique: params.get('technique') ?? '',
    q: params.get('q') ?? '',
    since: params.get('since') ?? '',
    until: params.get('until') ?? '',
  };
  const key = JSON.stringify(filters);
  const [cursors, setCursors] = useState<string[]>([]);
  const [lastKey, setLastKey] = useState(key);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  if (key !== lastKey) {
    setLastKey(key);
    setCursors([]);
    setChosen(new Set());
  }
  const cursor = cursors[cursors.length - 1];
  const { data, error, loading, reload } = useData(
    () => api<Page<Alert>>('/alerts', { query: { ...filters, limit: 100, cursor } }),
    [key, cursor],
  );
  const action = useAction();
  const analyst = can(session.role, 'analyst');
  const items = data?.items ?? [];
  const allChosen = items.length > 0 && items.every((alert) => chosen.has(alert.id));
  const choose = (id: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
  };
  const setStatus = (status: (typeof STATUSES)[number]) =>
    action.run(
      () => api('/alerts/status', { method: 'POST', body: { ids: [...chosen], status } }),
      () => {
        setChosen(new Set());
        reload();
      },
    );

  return (
    <section aria-labelledby="alerts-title">
      <h1 id="alerts-title">Alerts</h1>
      <form className="filters" aria-label="Filter alerts" onSubmit={(event) => event.preventDefault()}>
        <label>
          Search titles
          <input
            type="search"
            defaultValue={filters.q}
            onBlur={(event) => setParams({ q: event.target.value })}
            onKeyDown={(event) => {
              if (event.key === 'Enter') setParams({ q: event.currentTarget.value });
            }}
          />
        </label>
        <label>
          Status
          <select value={filters.status} onChange={(event) => setParams({ status: event.target.value })}>
            <option value="">any</option>
            <option value="new,inProgress">open (new or in progress)</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {STATUS_LABEL[status]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Severity at least
          <select
            value={filters.minSeverity}
            onChange={(event) => setParams({ minSeverity: event.target.value })}
          >
            <option value="">any</option>
            {['critical', 'high', 'medium', 'low', 'informational'].map((severity) => (
              <option key={severity} value={severity}>
                {severity}
              </option>
            ))}
          </select>
        </label>
        <label>
          Source
          <input
            defaultValue={filters.source}
            onBlur={(event) => setParams({ source: event.target.value })}
          />
        </label>
        <label>
          ATT&amp;CK technique
          <input
            defaultValue={filters.technique}
            placeholder="T1003"
            onBlur={(event) => setParams({ technique: event.target.value })}
          />
        </label>
        <DateFilter label="Since" value={filters.since} onChange={(since) => setParams({ since })} />
        <DateFilter label="Before" value={filters.until} onChange={(until) => setParams({ until })} />
      </form>
      <ErrorBox error={error ?? action.error} />
      {analyst && items.length > 0 && (
        <div className="toolbar" role="group" aria-label="Status of the chosen alerts">
          <span className="muted" aria-live="polite">
            {chosen.size} chosen
          </span>
          {STATUSES.map((status) => (
            <button
              key={status}
              type="button"
              className="secondary small"
              disabled={chosen.size === 0}
              onClick={() => void setStatus(status)}
            >
              Mark {STATUS_LABEL[status]}
            </button>
          ))}
        </div>
      )}
      <Loading when={loading && !data} />
      {data && items.length === 0 && <Empty>No alerts match.</Empty>}
      {items.length > 0 && (
        <table className="grid" aria-label="Alerts">
          <thead>
            <tr>
              {analyst && (
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label="Choose every alert on this page"
                    checked={allChosen}
                    onChange={(event) =>
                      setChosen(event.target.checked ? new Set(items.map((alert) => alert.id)) : new Set())
                    }
                  />
                </th>
              )}
              <th scope="col">Alert</th>
              <th scope="col">Severity</th>
              <th scope="col">Status</th>
              <th scope="col">Entities</th>
              <th scope="col">Incident</th>
              <th scope="col">Time</th>
            </tr>
          </thead>
          <tbody>
            {items.map((alert) => (
              <tr key={alert.id} data-alert={alert.id}>
                {analyst && (
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Choose ${alert.title}`}
                      checked={chosen.has(alert.id)}
                      onChange={(event) => choose(alert.id, event.target.checked)}
                    />
                  </td>
                )}
                <td>
                  {alert.title}
                  <div className="muted small">
                    {alert.source}
                    {alert.mitreTechniques.length > 0 && ` · ${alert.mitreTechniques.join(', ')}`}
                  </div>
                </td>
                <td>
                  <Badge value={alert.severity} />
                </td>
                <td>
                  <Badge value={alert.status ?? 'new'} label={STATUS_LABEL[alert.status ?? 'new']} />
                  {alert.statusSetBy && <div className="muted small">{alert.statusSetBy}</div>}
                </td>
                <td className="small">
                  {alert.entities.slice(0, 4).map((entity) => (
                    <div key={entity.key} title={entity.key}>
                      {entity.type === 'device' ? (
                        <Link to={devicePath(entity.key)}>{entityLabel(entity)}</Link>
                      ) : (
                        entityLabel(entity)
                      )}
                    </div>
                  ))}
                  {alert.entities.length > 4 && (
                    <div className="muted">and {alert.entities.length - 4} more</div>
                  )}
                </td>
                <td>
                  {alert.incidentId ? (
                    <Link to={`/incidents/${alert.incidentId}`}>{alert.incidentId}</Link>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{formatTime(alert.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager cursors={cursors} setCursors={setCursors} next={data?.nextCursor} />
    </section>
  );
}
