/** The action center: Pending (approve or reject, one or many of a type, with a comment) and History (undo). */
import { Fragment, useEffect, useState } from 'react';
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

/** `4 actions · on 3 malicious, 1 suspicious`: what a group's actions would remediate. */
function verdictSummary(actions: readonly Action[]): string {
  const counts = new Map<string, number>();
  for (const action of actions)
    if (action.verdict) counts.set(action.verdict, (counts.get(action.verdict) ?? 0) + 1);
  const order = ['malicious', 'suspicious'];
  const rank = (verdict: string) => (order.includes(verdict) ? order.indexOf(verdict) : order.length);
  const on = [...counts.entries()]
    .sort((a, b) => rank(a[0]) - rank(b[0]))
    .map(([verdict, count]) => `${count} ${verdict}`)
    .join(', ');
  return `${actions.length} action${actions.length === 1 ? '' : 's'}${on ? ` · on ${on}` : ''}`;
}

/**
 * Keyboard shortcuts: j/k move between actions, x chooses, a/r approve/reject the chosen (the bar's buttons), o opens
 * the details, u undoes (History). Not while typing in a field.
 */
function useActionKeys({
  items,
  focused,
  setFocused,
  chosen,
  setChosen,
  open,
  setOpen,
  undo,
}: {
  items: readonly Action[];
  focused: string | null;
  setFocused: (id: string) => void;
  chosen: ReadonlySet<string>;
  setChosen: (chosen: Set<string>) => void;
  open: string | null;
  setOpen: (id: string | null) => void;
  undo: (id: string) => void;
}) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (
        target &&
        /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) &&
        (target as HTMLInputElement).type !== 'checkbox'
      )
        return;
      const index = items.findIndex((action) => action.id === focused);
      const move = (to: number) => {
        const action = items[Math.max(0, Math.min(items.length - 1, to))];
        if (!action) return;
        setFocused(action.id);
        document.querySelector<HTMLElement>(`tr[data-action="${action.id}"]`)?.focus();
      };
      const current = items[index];
      switch (event.key) {
        case 'j':
          move(index + 1);
          break;
        case 'k':
          move(index < 0 ? 0 : index - 1);
          break;
        case 'x': {
          if (!current || !document.querySelector(`tr[data-action="${current.id}"] input[type="checkbox"]`))
            return;
          const next = new Set(chosen);
          if (next.has(current.id)) next.delete(current.id);
          else next.add(current.id);
          setChosen(next);
          break;
        }
        case 'a':
        case 'r':
          document
            .querySelector<HTMLButtonElement>(`[data-decide="${event.key === 'a' ? 'approve' : 'reject'}"]`)
            ?.click();
          break;
        case 'o':
          if (current) setOpen(open === current.id ? null : current.id);
          break;
        case 'u':
          if (
            current?.status === 'succeeded' &&
            document.querySelector(`tr[data-action="${current.id}"] .row-buttons button + button`)
          )
            undo(current.id);
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [items, focused, setFocused, chosen, setChosen, open, setOpen, undo]);
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
  // Grouped by investigation, in the order the list gives (newest first).
  const groups: [string | null, Action[]][] = [];
  for (const action of items) {
    const last = groups.find(([id]) => id === action.investigationId);
    if (last) last[1].push(action);
    else groups.push([action.investigationId, [action]]);
  }
  const [focused, setFocused] = useState<string | null>(null);
  useActionKeys({
    items,
    focused,
    setFocused,
    chosen,
    setChosen,
    setOpen,
    open,
    undo: (id) => void undo(id),
  });

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
          <DecideBar
            actions={chosenActions}
            label="Decide on the chosen actions"
            onDone={() => {
              setChosen(new Set());
              reload();
            }}
          />
        )}
        <p className="muted small" id="action-keys">
          Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>x</kbd> choose · <kbd>a</kbd> approve or{' '}
          <kbd>r</kbd> reject the chosen · <kbd>o</kbd> details{tab === 'history' ? ' · ' : ''}
          {tab === 'history' && (
            <>
              <kbd>u</kbd> undo
            </>
          )}
        </p>
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
                <th scope="col">Why</th>
                <th scope="col">Rule</th>
                <th scope="col">{tab === 'pending' ? 'Expires' : 'Result'}</th>
                <th scope="col">
                  <span className="sr-only">Details</span>
                </th>
              </tr>
            </thead>
            {groups.map(([investigationId, actions]) => {
              const allChosen = actions.every((action) => chosen.has(action.id));
              return (
                <tbody key={investigationId ?? 'none'} data-investigation={investigationId ?? ''}>
                  <tr className="group-head">
                    {tab === 'pending' && responder && (
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Choose all ${actions.length} actions of ${investigationId ?? 'no investigation'}`}
                          checked={allChosen}
                          onChange={() => {
                            const next = new Set(chosen);
                            for (const action of actions)
                              if (allChosen) next.delete(action.id);
                              else next.add(action.id);
                            setChosen(next);
                          }}
                        />
                      </td>
                    )}
                    <th scope="rowgroup" colSpan={tab === 'pending' && responder ? 8 : 9}>
                      {investigationId ? (
                        <Link to={`/investigations/${investigationId}`}>{investigationId}</Link>
                      ) : (
                        'Asked for by analysts'
                      )}{' '}
                      <span className="muted">· {verdictSummary(actions)}</span>
                    </th>
                  </tr>
                  {actions.map((action) => (
                    <Fragment key={action.id}>
                      <tr
                        data-action={action.id}
                        data-type={action.type}
                        tabIndex={-1}
                        className={focused === action.id ? 'focused' : undefined}
                        onFocus={() => setFocused(action.id)}
                        onClick={() => setFocused(action.id)}
                      >
                        {tab === 'pending' && responder && (
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
                          <div>{action.title}</div>
                          <div className="muted small">
                            {action.id} · {action.type}
                          </div>
                        </td>
                        <td title={action.targetKey}>
                          {action.targetName}
                          {action.verdict && <span className="muted small"> ({action.verdict})</span>}
                          {action.deviceKey && action.deviceKey !== action.targetKey && (
                            <div className="muted small">on {action.deviceKey.replace(/^device:/, '')}</div>
                          )}
                        </td>
                        <td>
                          <Badge value={action.status} />
                        </td>
                        <td className="small">{action.reasons[0] ?? '—'}</td>
                        <td className="small rule">
                          {action.shadow && (
                            <div>
                              <Badge
                                value={action.shadow.outcome === 'approve' ? 'shadowRun' : 'shadowWait'}
                                label={`shadow ${action.shadow.level}: would ${action.shadow.outcome === 'approve' ? 'run' : 'wait'}`}
                              />
                            </div>
                          )}
                          {action.decisionRule ?? '—'}
                          {action.decidedBy && <div className="muted">by {action.decidedBy}</div>}
                        </td>
                        <td className="small">
                          {tab === 'pending' ? formatTime(action.expiresAt) : (action.resultMessage ?? '—')}
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
              );
            })}
          </table>
        )}
        <Pager cursors={cursors} setCursors={setCursors} next={data?.nextCursor} />
      </Panel>
    </section>
  );
}
