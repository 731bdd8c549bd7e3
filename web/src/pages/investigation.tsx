/** One investigation: graph, alerts, devices, users, mailboxes, evidence with findings, log, pending actions. */
import { useCallback, useMemo, useState } from 'react';
import { api, can, type Alert, type Evidence, type Investigation, type Page, type Session } from '../api';
import { DecideBar } from '../components/decide';
import { InvestigationGraph, type GraphNode } from '../components/graph';
import { Badge, ChooseBox, Empty, ErrorBox, Loading, Panel, Tabs, useData } from '../components/ui';
import { formatDuration, formatTime } from '../format';
import { Link, useSearchParams } from '../router';

const TABS = [
  { id: 'graph', label: 'Graph' },
  { id: 'alerts', label: 'Alerts' },
  { id: 'devices', label: 'Devices' },
  { id: 'users', label: 'Users' },
  { id: 'mailboxes', label: 'Mailboxes' },
  { id: 'evidence', label: 'Evidence' },
  { id: 'log', label: 'Log' },
  { id: 'pending', label: 'Pending actions' },
];

const verdictOrder: Record<string, number> = { malicious: 0, suspicious: 1, unknown: 2, noThreatsFound: 3 };

function EvidenceTable({ rows }: { rows: readonly Evidence[] }) {
  if (rows.length === 0) return <Empty>None.</Empty>;
  return (
    <table className="grid evidence">
      <thead>
        <tr>
          <th scope="col">Verdict</th>
          <th scope="col">Evidence</th>
          <th scope="col">Roles</th>
          <th scope="col">Remediation</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} data-key={row.key}>
            <td>
              <Badge value={row.verdict} />
              <div className="muted small">score {row.score}</div>
            </td>
            <td>
              <div>
                {row.name} <span className="muted small">{row.type}</span>
              </div>
              <div className="mono small muted">{row.key}</div>
            </td>
            <td>{row.roles.join(', ') || '—'}</td>
            <td>
              <Badge value={row.remediationStatus} />
            </td>
            <td>
              {row.findings.length === 0 ? (
                <span className="muted">no findings</span>
              ) : (
                <ul className="findings">
                  {row.findings.map((finding, index) => (
                    <li key={index} className={finding.weight > 0 ? 'up' : finding.weight < 0 ? 'down' : ''}>
                      <span className="weight">
                        {finding.weight > 0 ? '+' : ''}
                        {finding.weight}
                      </span>{' '}
                      <span className="analyzer">{finding.analyzer}</span>: {finding.text}
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function InvestigationPage({ id, session }: { id: string; session: Session }) {
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'evidence';
  const investigation = useData(() => api<Investigation>(`/investigations/${encodeURIComponent(id)}`), [id]);
  const data = investigation.data;
  const incidentId = data?.incidentId;
  const alerts = useData(
    () =>
      incidentId
        ? api<Page<Alert>>('/alerts', { query: { incidentId, limit: 500 } })
        : Promise.resolve({ items: [], nextCursor: null } as Page<Alert>),
    [incidentId],
  );
  const [selected, setSelected] = useState<GraphNode | null>(null);
  const onSelect = useCallback((node: GraphNode | null) => setSelected(node), []);

  const evidence = useMemo(
    () =>
      [...(data?.evidence ?? [])].sort(
        (a, b) => (verdictOrder[a.verdict] ?? 9) - (verdictOrder[b.verdict] ?? 9) || b.score - a.score,
      ),
    [data],
  );
  const ofType = (type: string) => evidence.filter((row) => row.type === type);
  const verdictFilter = params.get('verdict') ?? '';
  const typeFilter = params.get('type') ?? '';
  const shownEvidence = evidence.filter(
    (row) => (!verdictFilter || row.verdict === verdictFilter) && (!typeFilter || row.type === typeFilter),
  );
  const pending = (data?.actions ?? []).filter((action) => action.status === 'pendingApproval');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const investigationAlerts = useMemo(() => {
    const ids = new Set(data?.alertIds ?? []);
    return (alerts.data?.items ?? []).filter((alert) => ids.has(alert.id));
  }, [alerts.data, data]);

  const selectedDetail = (() => {
    if (!selected || !data) return null;
    if (selected.kind === 'evidence') {
      const row = data.evidence.find((e) => e.key === selected.id);
      return row ? <EvidenceTable rows={[row]} /> : null;
    }
    const alert = investigationAlerts.find((a) => a.id === selected.id);
    return alert ? (
      <p>
        {alert.id}: {alert.title} <Badge value={alert.severity} /> — {formatTime(alert.createdAt)}
      </p>
    ) : null;
  })();

  const chosenIds = pending.filter((a) => chosen.has(a.id));

  return (
    <section aria-labelledby="investigation-title">
      <p className="crumbs">
        {incidentId ? <Link to={`/incidents/${incidentId}`}>{incidentId}</Link> : 'manual'} / {id}
      </p>
      <ErrorBox error={investigation.error} />
      <Loading when={investigation.loading && !data} />
      {data && (
        <>
          <h1 id="investigation-title">
            Investigation {data.id} <Badge value={data.status} />
          </h1>
          <p className="muted">
            {data.playbook} playbook · started {formatTime(data.startedAt)}
            {data.endedAt ? ` · ended ${formatTime(data.endedAt)}` : ''}
            {data.statusReason ? ` · ${data.statusReason}` : ''}
          </p>
          <Tabs
            tabs={TABS}
            active={tab}
            onChange={(next) => setParams({ tab: next })}
            label="Investigation"
          />
          {tab === 'graph' && (
            <Panel id="graph">
              <InvestigationGraph investigation={data} alerts={investigationAlerts} onSelect={onSelect} />
              <div className="selected" aria-live="polite">
                {selectedDetail ?? <span className="muted">Click a node for its details.</span>}
              </div>
            </Panel>
          )}
          {tab === 'alerts' && (
            <Panel id="alerts">
              <table className="grid">
                <thead>
                  <tr>
                    <th scope="col">Alert</th>
                    <th scope="col">Severity</th>
                    <th scope="col">Time</th>
                  </tr>
                </thead>
                <tbody>
                  {investigationAlerts.map((alert) => (
                    <tr key={alert.id}>
                      <td>
                        {alert.title} <span className="muted small">{alert.id}</span>
                      </td>
                      <td>
                        <Badge value={alert.severity} />
                      </td>
                      <td>{formatTime(alert.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Panel>
          )}
          {tab === 'devices' && (
            <Panel id="devices">
              <EvidenceTable rows={ofType('device')} />
            </Panel>
          )}
          {tab === 'users' && (
            <Panel id="users">
              <EvidenceTable rows={ofType('user')} />
            </Panel>
          )}
          {tab === 'mailboxes' && (
            <Panel id="mailboxes">
              <EvidenceTable
                rows={[...ofType('mailbox'), ...ofType('mailMessage'), ...ofType('mailCluster')]}
              />
            </Panel>
          )}
          {tab === 'evidence' && (
            <Panel id="evidence">
              <form
                className="filters"
                aria-label="Filter evidence"
                onSubmit={(event) => event.preventDefault()}
              >
                <label>
                  Verdict
                  <select
                    value={verdictFilter}
                    onChange={(event) => setParams({ verdict: event.target.value })}
                  >
                    <option value="">any</option>
                    {Object.keys(verdictOrder).map((verdict) => (
                      <option key={verdict} value={verdict}>
                        {verdict}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  Type
                  <select value={typeFilter} onChange={(event) => setParams({ type: event.target.value })}>
                    <option value="">any</option>
                    {[...new Set(evidence.map((row) => row.type))].sort().map((type) => (
                      <option key={type} value={type}>
                        {type}
                      </option>
                    ))}
                  </select>
                </label>
                <span className="muted">
                  {shownEvidence.length} of {evidence.length}
                </span>
              </form>
              <p className="muted small" data-testid="thresholds">
                A verdict comes from the sum of the findings' weights: score ≥ {data.thresholds.malicious}{' '}
                malicious, ≥ {data.thresholds.suspicious} suspicious, below that no threats found; a block
                indicator (weight {data.thresholds.block}) convicts and an allow indicator (
                {data.thresholds.allow}) clears whatever else was found.
              </p>
              <EvidenceTable rows={shownEvidence} />
            </Panel>
          )}
          {tab === 'log' && (
            <Panel id="log">
              <table className="grid">
                <thead>
                  <tr>
                    <th scope="col">Step</th>
                    <th scope="col">Started</th>
                    <th scope="col">Took</th>
                    <th scope="col">Waited before</th>
                    <th scope="col">Result</th>
                  </tr>
                </thead>
                <tbody>
                  {data.log.map((entry, index) => (
                    <tr key={index}>
                      <td>{entry.step}</td>
                      <td>{formatTime(entry.startedAt)}</td>
                      <td>{formatDuration(entry.durationMs)}</td>
                      <td>{entry.waitedAs ? `${formatDuration(entry.waitedMs)} ${entry.waitedAs}` : '—'}</td>
                      <td>{entry.result}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Panel>
          )}
          {tab === 'pending' && (
            <Panel id="pending">
              {pending.length === 0 ? (
                <Empty>No action waits for approval.</Empty>
              ) : (
                <>
                  {can(session.role, 'responder') && (
                    <>
                      <DecideBar
                        actions={chosenIds}
                        label="Decide on the chosen actions"
                        onDone={() => {
                          setChosen(new Set());
                          investigation.reload();
                        }}
                      />
                    </>
                  )}
                  <table className="grid">
                    <thead>
                      <tr>
                        {can(session.role, 'responder') && <th scope="col">Choose</th>}
                        <th scope="col">Action</th>
                        <th scope="col">Target</th>
                        <th scope="col">Rule</th>
                        <th scope="col">Why</th>
                      </tr>
                    </thead>
                    <tbody>
                      {pending.map((action) => (
                        <tr key={action.id}>
                          {can(session.role, 'responder') && (
                            <td>
                              <ChooseBox
                                id={action.id}
                                type={action.type}
                                chosen={chosen}
                                setChosen={setChosen}
                              />
                            </td>
                          )}
                          <td>
                            {action.id} {action.type}
                          </td>
                          <td title={action.targetKey}>{action.targetName}</td>
                          <td className="small">{action.decisionRule}</td>
                          <td className="small">{action.reasons[0]}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              )}
            </Panel>
          )}
        </>
      )}
    </section>
  );
}
