/** Open incidents by severity, pending actions and their wait, investigations by status, time to verdict. */
import { api, type Dashboard } from '../api';
import { Badge, ErrorBox, Loading, useData } from '../components/ui';
import { formatDuration, formatTime } from '../format';
import { Link } from '../router';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'];

/** How many there are in each status, each with its badge. */
function StatusCounts({ counts }: { counts: Record<string, number> }) {
  return (
    <ul className="counts">
      {Object.entries(counts).map(([status, count]) => (
        <li key={status}>
          <Badge value={status} /> {count}
        </li>
      ))}
    </ul>
  );
}

export function DashboardPage() {
  const { data, error, loading } = useData(() => api<Dashboard>('/dashboard'), []);
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Dashboard</h1>
      <ErrorBox error={error} />
      <Loading when={loading && !data} />
      {data && (
        <div className="cards">
          <article className="card" aria-labelledby="open-incidents">
            <h2 id="open-incidents">Open incidents</h2>
            <p className="big">
              <Link to="/incidents?status=active">{data.incidents.total}</Link>
            </p>
            <ul className="counts">
              {SEVERITIES.map((severity) => (
                <li key={severity}>
                  <Badge value={severity} />{' '}
                  <Link to={`/incidents?status=active&severity=${severity}`}>
                    {data.incidents.bySeverity[severity] ?? 0}
                  </Link>
                </li>
              ))}
            </ul>
          </article>
          <article className="card" aria-labelledby="pending-actions">
            <h2 id="pending-actions">Pending actions</h2>
            <p className="big" data-testid="pending-count">
              <Link to="/actions">{data.actions.pending}</Link>
            </p>
            <dl>
              <dt>Oldest waiting since</dt>
              <dd>{formatTime(data.actions.oldestPendingAt)}</dd>
              <dt>Mean wait</dt>
              <dd>{formatDuration(data.actions.meanPendingWaitMs)}</dd>
            </dl>
          </article>
          <article className="card" aria-labelledby="investigations">
            <h2 id="investigations">Investigations</h2>
            <StatusCounts counts={data.investigations.byStatus} />
            <dl>
              <dt>Mean time from alert to verdict</dt>
              <dd>{formatDuration(data.investigations.meanTimeToVerdictMs)}</dd>
            </dl>
          </article>
          <article className="card" aria-labelledby="actions-by-status">
            <h2 id="actions-by-status">Actions</h2>
            <StatusCounts counts={data.actions.byStatus} />
          </article>
        </div>
      )}
    </section>
  );
}
