/** The configured inputs (followed files, syslog receivers): state, lag and counters as their processes report. */
import { api, type InputListing } from '../api';
import { ErrorBox, useData } from '../components/ui';
import { formatTime } from '../format';

/** A counter of an input's stats, or a dash. */
function stat(item: InputListing, name: string): string {
  const value = item.stats[name];
  return typeof value === 'number' ? value.toLocaleString() : '-';
}

export function Inputs() {
  const list = useData(() => api<InputListing[]>('/inputs'), []);
  const state = (item: InputListing) =>
    item.state === 'running' ? 'badge-good' : item.state === 'paused' ? 'badge-warn' : 'badge-bad';
  return (
    <>
      <p className="muted">
        Followed files and syslog receivers, configured in the file <code>AUTOIR_INPUTS</code> names and run
        by <code>autoir serve</code> or <code>autoir worker</code> (docs/inputs.md). As each input&apos;s
        process last reported it.{' '}
        <button type="button" className="small secondary" onClick={list.reload}>
          Refresh
        </button>
      </p>
      <ErrorBox error={list.error} />
      {list.data?.length === 0 ? (
        <p>No inputs configured.</p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">Input</th>
              <th scope="col">Kind</th>
              <th scope="col">State</th>
              <th scope="col">Lag</th>
              <th scope="col">Events</th>
              <th scope="col">Alerts</th>
              <th scope="col">Errors</th>
              <th scope="col">Reads / why</th>
              <th scope="col">Process</th>
              <th scope="col">Last report</th>
            </tr>
          </thead>
          <tbody>
            {(list.data ?? []).map((item) => (
              <tr key={item.name} data-testid={`input-${item.name}`}>
                <td>{item.name}</td>
                <td>{item.kind}</td>
                <td>
                  <span className={`badge ${state(item)}`}>{item.state}</span>
                </td>
                <td>{item.lagSeconds === null ? '-' : `${item.lagSeconds.toFixed(1)} s`}</td>
                <td>{stat(item, 'events')}</td>
                <td>{stat(item, 'alerts')}</td>
                <td>{stat(item, 'errors')}</td>
                <td className="small">{item.detail ?? '-'}</td>
                <td className="small">{item.owner ?? '-'}</td>
                <td className="small">{item.heartbeatAt ? formatTime(item.heartbeatAt) : '-'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
