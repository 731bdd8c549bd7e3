/** The detection rules that run: the noisiest first, what each raised, and an admin's switch (with the reason). */
import { useState } from 'react';
import { api, can, type Rule, type RuleList, type Session } from '../api';
import { Badge, Empty, ErrorBox, Loading, useAction, useData } from '../components/ui';
import { formatTime } from '../format';
import { Link, useSearchParams } from '../router';

const PAGE = 100;

export function RulesPage({ session }: { session: Session }) {
  const [params, setParams] = useSearchParams();
  const filters = {
    q: params.get('q') ?? '',
    enabled: params.get('enabled') ?? '',
    level: params.get('level') ?? '',
    sort: params.get('sort') ?? 'alerts',
  };
  const key = JSON.stringify(filters);
  const [offset, setOffset] = useState(0);
  const [lastKey, setLastKey] = useState(key);
  if (key !== lastKey) {
    setLastKey(key);
    setOffset(0);
  }
  const { data, error, loading, reload } = useData(
    () => api<RuleList>('/rules', { query: { ...filters, limit: PAGE, offset } }),
    [key, offset],
  );
  const admin = can(session.role, 'admin');
  const action = useAction();
  const toggle = (rule: Rule) => {
    const reason = rule.enabled ? window.prompt(`Why switch off “${rule.title}”?`) : undefined;
    if (reason === null) return;
    void action.run(
      () =>
        api(`/rules/${encodeURIComponent(rule.id)}/enabled`, {
          method: 'PUT',
          body: { enabled: !rule.enabled, ...(reason ? { reason } : {}) },
        }),
      reload,
    );
  };
  return (
    <section aria-labelledby="rules-title">
      <h1 id="rules-title">Detection rules</h1>
      <form className="filters" aria-label="Filter rules" onSubmit={(event) => event.preventDefault()}>
        <label>
          Search
          <input
            type="search"
            defaultValue={filters.q}
            placeholder="title, id or technique"
            onBlur={(event) => setParams({ q: event.target.value })}
            onKeyDown={(event) => {
              if (event.key === 'Enter') setParams({ q: event.currentTarget.value });
            }}
          />
        </label>
        <label>
          Switched
          <select value={filters.enabled} onChange={(event) => setParams({ enabled: event.target.value })}>
            <option value="">on or off</option>
            <option value="true">on</option>
            <option value="false">off</option>
          </select>
        </label>
        <label>
          Level
          <select value={filters.level} onChange={(event) => setParams({ level: event.target.value })}>
            <option value="">any</option>
            {['critical', 'high', 'medium', 'low', 'informational'].map((level) => (
              <option key={level} value={level}>
                {level}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sort by
          <select value={filters.sort} onChange={(event) => setParams({ sort: event.target.value })}>
            <option value="alerts">alerts raised (noisiest first)</option>
            <option value="level">level</option>
            <option value="title">title</option>
          </select>
        </label>
      </form>
      <ErrorBox error={error ?? action.error} />
      {data && (
        <p className="muted" aria-live="polite">
          {data.total} of {data.loaded} rules · {data.switchedOff} switched off
        </p>
      )}
      <Loading when={loading && !data} />
      {data && data.items.length === 0 && <Empty>No rules match.</Empty>}
      {data && data.items.length > 0 && (
        <table className="grid" aria-label="Rules">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Level</th>
              <th scope="col">Log source</th>
              <th scope="col">Alerts</th>
              <th scope="col">Last alert</th>
              <th scope="col">Switched</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((rule) => (
              <tr key={rule.id} data-rule={rule.id}>
                <td>
                  {rule.title}
                  <div className="muted small" title={rule.file}>
                    {rule.id}
                    {rule.techniques.length > 0 && ` · ${rule.techniques.join(', ')}`}
                  </div>
                </td>
                <td>{rule.level ? <Badge value={rule.level} /> : '—'}</td>
                <td className="small">
                  {[rule.logsource.product, rule.logsource.category, rule.logsource.service]
                    .filter(Boolean)
                    .join(' / ')}
                </td>
                <td>
                  {rule.alerts > 0 ? (
                    <Link to={`/alerts?q=${encodeURIComponent(rule.title)}`}>{rule.alerts}</Link>
                  ) : (
                    0
                  )}
                </td>
                <td>{formatTime(rule.lastAlertAt)}</td>
                <td>
                  {rule.enabled ? 'on' : 'off'}
                  {rule.switchedOff && (
                    <div className="muted small">
                      by {rule.switchedOff.by}, {formatTime(rule.switchedOff.at)}
                      {rule.switchedOff.reason && `: ${rule.switchedOff.reason}`}
                    </div>
                  )}
                  {admin && (
                    <div>
                      <button type="button" className="secondary small" onClick={() => toggle(rule)}>
                        {rule.enabled ? 'Switch off' : 'Switch on'}
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.total > PAGE && (
        <nav className="pager" aria-label="Pages">
          <button
            type="button"
            className="secondary"
            disabled={offset === 0}
            onClick={() => setOffset(offset - PAGE)}
          >
            Previous
          </button>
          <span className="muted">
            {offset + 1}–{Math.min(offset + PAGE, data.total)} of {data.total}
          </span>
          <button
            type="button"
            className="secondary"
            disabled={offset + PAGE >= data.total}
            onClick={() => setOffset(offset + PAGE)}
          >
            Next
          </button>
        </nav>
      )}
    </section>
  );
}
