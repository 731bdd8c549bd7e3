/**
 * The dashboard's charts, drawn with Chart.js on canvas — loaded only when the dashboard shows them (a chunk of its
 * own). Each canvas says what it shows in words (its accessible name), for screen readers and tests.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useRef } from 'react';
import type { DashboardCharts } from '../api';
import { formatDuration } from '../format';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const SEVERITY_COLOURS: Record<string, string> = {
  critical: '#7f1d1d',
  high: '#dc2626',
  medium: '#f59e0b',
  low: '#3b82f6',
  informational: '#9ca3af',
};
const DECISION_COLOURS: Record<string, string> = {
  policy: '#16a34a',
  approved: '#2563eb',
  rejected: '#dc2626',
  expired: '#a16207',
  undone: '#7c3aed',
  waiting: '#9ca3af',
};

function useChart(config: ChartConfiguration<'bar'>) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return undefined;
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [config]);
  return canvas;
}

const textColour = () =>
  getComputedStyle(document.documentElement).getPropertyValue('--text').trim() || '#1f2328';

function BarChart({
  label,
  labels,
  datasets,
  stacked = false,
  horizontal = false,
}: {
  label: string;
  labels: string[];
  datasets: { label: string; data: number[]; backgroundColor: string | string[] }[];
  stacked?: boolean;
  horizontal?: boolean;
}) {
  const colour = textColour();
  const canvas = useChart({
    type: 'bar',
    data: { labels, datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? 'y' : 'x',
      plugins: { legend: { display: datasets.length > 1, labels: { color: colour } } },
      scales: {
        x: { stacked, ticks: { color: colour, maxRotation: 0, autoSkip: true } },
        y: { stacked, ticks: { color: colour, precision: 0 }, beginAtZero: true },
      },
    },
  });
  return (
    <div className="chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}

/** `2026-03-02T13:00:00.000Z` as the bucket reads: the hour for hourly buckets, the day otherwise. */
function bucketLabel(at: string, bucketMs: number): string {
  return bucketMs < 86_400_000 ? `${at.slice(5, 10)} ${at.slice(11, 16)}` : at.slice(0, 10);
}

const describe = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${n} ${name}`)
    .join(', ') || 'none';

export function DashboardChartsView({ charts }: { charts: DashboardCharts }) {
  const severities = Object.keys(SEVERITY_COLOURS).filter((severity) =>
    charts.alerts.some((bucket) => (bucket.bySeverity[severity] ?? 0) > 0),
  );
  const totals: Record<string, number> = {};
  for (const bucket of charts.alerts)
    for (const [severity, n] of Object.entries(bucket.bySeverity))
      totals[severity] = (totals[severity] ?? 0) + n;
  const outcomes = Object.entries(charts.investigations).sort((a, b) => b[1] - a[1]);
  const decisions = Object.keys(DECISION_COLOURS).filter((decision) => charts.actionsByDecision[decision]);
  return (
    <div className="charts">
      <article className="card wide" aria-labelledby="chart-alerts">
        <h2 id="chart-alerts">Alerts over time</h2>
        <BarChart
          label={`Alerts over time by severity: ${describe(totals)}`}
          labels={charts.alerts.map((bucket) => bucketLabel(bucket.at, charts.bucketMs))}
          datasets={severities.map((severity) => ({
            label: severity,
            data: charts.alerts.map((bucket) => bucket.bySeverity[severity] ?? 0),
            backgroundColor: SEVERITY_COLOURS[severity] as string,
          }))}
          stacked
        />
      </article>
      <article className="card" aria-labelledby="chart-outcomes">
        <h2 id="chart-outcomes">Investigations by outcome</h2>
        <BarChart
          label={`Investigations by outcome: ${describe(charts.investigations)}`}
          labels={outcomes.map(([status]) => status)}
          datasets={[
            { label: 'investigations', data: outcomes.map(([, n]) => n), backgroundColor: '#2563eb' },
          ]}
          horizontal
        />
      </article>
      <article className="card" aria-labelledby="chart-decisions">
        <h2 id="chart-decisions">Actions by decision</h2>
        <BarChart
          label={`Actions by decision: ${describe(charts.actionsByDecision)}`}
          labels={decisions}
          datasets={[
            {
              label: 'actions',
              data: decisions.map((decision) => charts.actionsByDecision[decision] ?? 0),
              backgroundColor: decisions.map((decision) => DECISION_COLOURS[decision] as string),
            },
          ]}
          horizontal
        />
      </article>
      <article className="card" aria-labelledby="chart-times">
        <h2 id="chart-times">Time from alert</h2>
        <BarChart
          label={`Time from alert to verdict: median ${formatDuration(charts.timeToVerdictMs.median)}, p90 ${formatDuration(charts.timeToVerdictMs.p90)}; to remediation: median ${formatDuration(charts.timeToRemediationMs.median)}, p90 ${formatDuration(charts.timeToRemediationMs.p90)}`}
          labels={['to verdict', 'to remediation']}
          datasets={[
            {
              label: 'median (s)',
              data: [charts.timeToVerdictMs.median ?? 0, charts.timeToRemediationMs.median ?? 0].map(
                (ms) => ms / 1000,
              ),
              backgroundColor: '#2563eb',
            },
            {
              label: 'p90 (s)',
              data: [charts.timeToVerdictMs.p90 ?? 0, charts.timeToRemediationMs.p90 ?? 0].map(
                (ms) => ms / 1000,
              ),
              backgroundColor: '#93c5fd',
            },
          ]}
        />
        <dl>
          <dt>To verdict (median / p90)</dt>
          <dd>
            {formatDuration(charts.timeToVerdictMs.median)} / {formatDuration(charts.timeToVerdictMs.p90)} (
            {charts.timeToVerdictMs.count} investigations)
          </dd>
          <dt>To remediation (median / p90)</dt>
          <dd>
            {formatDuration(charts.timeToRemediationMs.median)} /{' '}
            {formatDuration(charts.timeToRemediationMs.p90)} ({charts.timeToRemediationMs.count})
          </dd>
        </dl>
      </article>
    </div>
  );
}
