/** The action center: Pending (approve or reject, one or many of a type, with a comment) and History (undo). */
import { Fragment, useState } from 'react';
import { api, can, queryString, type Action, type ActionType, type Page, type Session } from '../api';
import { DecideBar } from '../components/decide';
import {
  Badge,
  ChooseBox,
  Empty,
  ErrorBox,
  DateFilter,
  Loading,
  Pager,
  Panel,
  Tabs,
  useData,
} from '../components/ui';
import { formatTime } from '../format';
import { Link, useSearchParams } from '../router';

const HISTORY =
  'approved,queued,running,pendingResource,succeeded,failed,timedOut,cancelled,rejected,expired,undone';

function ActionDetails({ id }: { id: string }) {
  const { data, error } = useData(() => api<Action>(`/actions/${id}`), [id]);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading when />;
  return (
    <div className="details">
      <p>
        <strong>Why:</strong>
      </p>
      <ul className="small">
        {data.reasons.map((reason, index) => (
          <li key={index}>{reason}</li>
        ))}
      </ul>
      <p>
        <strong>History:</strong>
      </p>
      <ol className="small">
        {(data.history ?? []).map((entry, index) => (
          <li key={index}>
            {formatTime(entry.at)} {entry.from ?? '·'} → {entry.to} by {entry.by}
            {entry.message ? ` — ${entry.message}` : ''}
          </li>
        ))}
      </ol>
    </div>
  );
}

export function ActionCenterPage({ session }: { session: Session }) {
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'pending';
  const type = params.get('type') ?? '';
  const investigation = params.get('investigation') ?? '';
  const group = params.get('group') ?? '';
  const source = params.get('source') ?? '';
  const since = params.get('since') ?? '';
  const until = params.get('until') ?? '';
  const status = tab === 'pending' ? 'pendingApproval' : (params.get('status') ?? HISTORY);
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const query = { status, type, investigation, group, source, since, until };
  // The action types the server knows, with the action that undoes each (none: no undo button).
  const catalog = useData(() => api<{ items: ActionType[] }>('/actions/types'), []);
  const types = catalog.data?.items ?? [];
  const undoable = new Set(types.filter((item) => item.undoType !== null).map((item) => item.type));
  const { data, error, loading, reload } = useData(
    () => api<Page<Action>>('/actions', { query: { ...query, limit: 100, cursor } }),
    [status, type, investigation, group, source, since, until, cursor],
  );
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState<string | null>(null);
  const [undoError, setUndoError] = useState<Error | undefined>();
  const responder = can(session.role, 'responder');
  const items = data?.items ?? [];
  const chosenActions = items.filter((action) => chosen.has(action.id));
  const chosenTypes = new Set(chosenActions.map((action) => action.type));

  const undo = async (id: string) => {
    setUndoError(undefined);
    try {
      await api('/actions/undo', {
        method: 'POST',
        body: { ids: [id], comment: 'undone from the action center' },
      });
      reload();
    } catch (caught) {
      setUndoError(caught as Error);
    }
  };

  return (
    <section aria-labelledby="actions-title">
      <h1 id="actions-title">Action center</h1>
      <Tabs
        tabs={[
          { id: 'pending', label: 'Pending' },
          { id: 'history', label: 'History' },
        ]}
        active={tab}
        onChange={(next) => {
          setChosen(new Set());
          setCursors([]);
          setParams({ tab: next, status: undefined });
        }}
        label="Action center"
      />
      <Panel id={tab}>
        <form className="filters" aria-label="Filter actions" onSubmit={(event) => event.preventDefault()}>
          <label>
            Type
            <select value={type} onChange={(event) => setParams({ type: event.target.value })}>
              <option value="">any</option>
              {types.map((item) => (
                <option key={item.type} value={item.type}>
                  {item.type}
                </option>
              ))}
            </select>
          </label>
          {tab === 'history' && (
            <label>
              Status
              <select value={status} onChange={(event) => setParams({ status: event.target.value })}>
                <option value={HISTORY}>any decided</option>
                {HISTORY.split(',').map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            Source
            <select value={source} onChange={(event) => setParams({ source: event.target.value })}>
              <option value="">any</option>
              <option value="investigation">investigation</option>
              <option value="analyst">analyst</option>
              <option value="undo">undo</option>
            </select>
          </label>
          <label>
            Investigation
            <input
              defaultValue={investigation}
              onBlur={(event) => setParams({ investigation: event.target.value })}
            />
          </label>
          <label>
            Group
            <input defaultValue={group} onBlur={(event) => setParams({ group: event.target.value })} />
          </label>
          <DateFilter label="Created since" value={since} onChange={(since) => setParams({ since })} />
          <DateFilter label="Created before" value={until} onChange={(until) => setParams({ until })} />
          <a className="button secondary" href={`/api/v1/actions/export${queryString(query)}`} download>
            Export CSV
          </a>
        </form>
        <ErrorBox error={error ?? undoError} />
        {data && <p className="muted">{data.total ?? items.length} actions</p>}
        {tab === 'pending' && responder && items.length > 0 && (
          <>
            {chosenTypes.size > 1 && (
              <p className="error" role="alert">
                Approve or reject actions of one type at a time.
              </p>
            )}
            <DecideBar
              ids={chosenTypes.size === 1 ? chosenActions.map((a) => a.id) : []}
              label="Decide on the chosen actions"
              onDone={() => {
                setChosen(new Set());
                reload();
              }}
            />
          </>
        )}
        <Loading when={loading && !data} />
        {data && items.length === 0 && (
          <Empty>{tab === 'pending' ? 'Nothing waits for approval.' : 'No actions.'}</Empty>
        )}
        {items.length > 0 && (
          <table className="grid actions">
            <thead>
              <tr>
                {tab === 'pending' && responder && <th scope="col">Choose</th>}
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Status</th>
                <th scope="col">Decided by</th>
                <th scope="col">Rule</th>
                <th scope="col">{tab === 'pending' ? 'Expires' : 'Result'}</th>
                <th scope="col">Investigation</th>
                <th scope="col">
                  <span className="sr-only">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((action) => (
                <Fragment key={action.id}>
                  <tr data-action={action.id} data-type={action.type}>
                    {tab === 'pending' && responder && (
                      <td>
                        <ChooseBox id={action.id} type={action.type} chosen={chosen} setChosen={setChosen} />
                      </td>
                    )}
                    <td>
                      <div>{action.title}</div>
                      <div className="muted small">
                        {action.id} · {action.type}
                      </div>
                    </td>
                    <td className="mono small">
                      {action.targetKey}
                      {action.deviceKey && action.deviceKey !== action.targetKey && (
                        <div className="muted">on {action.deviceKey}</div>
                      )}
                    </td>
                    <td>
                      <Badge value={action.status} />
                    </td>
                    <td>{action.decidedBy ?? '—'}</td>
                    <td className="small">{action.decisionRule ?? '—'}</td>
                    <td className="small">
                      {tab === 'pending' ? formatTime(action.expiresAt) : (action.resultMessage ?? '—')}
                    </td>
                    <td>
                      {action.investigationId ? (
                        <Link to={`/investigations/${action.investigationId}`}>{action.investigationId}</Link>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td className="row-buttons">
                      <button
                        type="button"
                        className="small secondary"
                        aria-expanded={open === action.id}
                        onClick={() => setOpen(open === action.id ? null : action.id)}
                      >
                        Details
                      </button>
                      {responder && action.status === 'succeeded' && undoable.has(action.type) && (
                        <button type="button" className="small" onClick={() => void undo(action.id)}>
                          Undo
                        </button>
                      )}
                    </td>
                  </tr>
                  {open === action.id && (
                    <tr>
                      <td colSpan={9}>
                        <ActionDetails id={action.id} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        )}
        <Pager cursors={cursors} setCursors={setCursors} next={data?.nextCursor} />
      </Panel>
    </section>
  );
}
