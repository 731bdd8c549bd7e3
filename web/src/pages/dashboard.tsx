/** Open incidents by severity, pending actions and their wait, investigations by status, time to verdict. */
import { lazy, Suspense } from 'react';
import { api, type Dashboard, type DashboardCharts } from '../api';
import { Badge, ErrorBox, Loading, useData } from '../components/ui';
import { formatDuration, formatTime } from '../format';
import { Link, useSearchParams } from '../router';

/** Chart.js comes with the charts: a chunk of its own, loaded when the dashboard is first shown. */
const ChartsView = lazy(() =>
  import('../components/charts').then((module) => ({ default: module.DashboardChartsView })),
);

const RANGES = [
  { id: 'all', label: 'all time', ms: undefined },
  { id: '24h', label: 'last 24 hours', ms: 24 * 3_600_000 },
  { id: '7d', label: 'last 7 days', ms: 7 * 86_400_000 },
  { id: '30d', label: 'last 30 days', ms: 30 * 86_400_000 },
  { id: '90d', label: 'last 90 days', ms: 90 * 86_400_000 },
] as const;

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
  const [params, setParams] = useSearchParams();
  const range = RANGES.find((item) => item.id === params.get('range')) ?? RANGES[0];
  const charts = useData(
    () =>
      api<DashboardCharts>('/dashboard/charts', {
        query: range.ms === undefined ? {} : { since: new Date(Date.now() - range.ms).toISOString() },
      }),
    [range.id],
  );
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
      <div className="filters">
        <label>
          Charts over
          <select value={range.id} onChange={(event) => setParams({ range: event.target.value })}>
            {RANGES.map((item) => (
              <option key={item.id} value={item.id}>
                {item.label}
              </option>
            ))}
          </select>
        </label>
        {charts.data?.since && (
          <span className="muted small">
            {formatTime(charts.data.since)} – {formatTime(charts.data.until)}
          </span>
        )}
      </div>
      <ErrorBox error={charts.error} />
      <Suspense fallback={<Loading when />}>{charts.data && <ChartsView charts={charts.data} />}</Suspense>
    </section>
  );
}
