/** Small building blocks: data loading that follows live updates, badges, tabs, errors. */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { ApiError } from '../api';

/** Bumped whenever the server says investigations or actions changed (server-sent events). */
export const LiveContext = createContext(0);

/**
 * Load data, again when `deps` change and whenever the server reports a change. Keeps showing the last data while
 * reloading, so live updates don't flash.
 */
export function useData<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const live = useContext(LiveContext);
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const latest = useRef(0);
  const run = useCallback(() => {
    const call = ++latest.current;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => call === latest.current && setState({ data, loading: false }),
      (error: unknown) => call === latest.current && setState({ error: error as Error, loading: false }),
    );
  }, deps);
  useEffect(run, [run, live]);
  return { ...state, reload: run };
}

const tone: Record<string, string> = {
  shadowRun: 'info',
  malicious: 'bad',
  suspicious: 'warn',
  noThreatsFound: 'good',
  unknown: 'muted',
  critical: 'bad',
  high: 'bad',
  medium: 'warn',
  low: 'info',
  informational: 'muted',
  succeeded: 'good',
  online: 'good',
  offline: 'warn',
  revoked: 'muted',
  remediated: 'good',
  failed: 'bad',
  timedOut: 'bad',
  rejected: 'muted',
  expired: 'muted',
  cancelled: 'muted',
  undone: 'muted',
  pendingApproval: 'warn',
  pendingResource: 'warn',
  queued: 'info',
  running: 'info',
  approved: 'info',
  active: 'info',
  resolved: 'good',
  partiallyRemediated: 'warn',
  partiallyInvestigated: 'warn',
  declined: 'muted',
};

export function Badge({ value, label }: { value: string; label?: string }) {
  return (
    <span className={`badge badge-${tone[value] ?? 'muted'}`} data-value={value}>
      {label ?? value}
    </span>
  );
}

export function ErrorBox({ error }: { error: Error | undefined }) {
  if (!error) return null;
  return (
    <div role="alert" className="error">
      {error instanceof ApiError ? `${error.message} (${error.code})` : error.message}
    </div>
  );
}

export function Loading({ when }: { when: boolean }) {
  return when ? (
    <p className="muted" aria-live="polite">
      Loading…
    </p>
  ) : null;
}

/** Tabs with the WAI-ARIA keyboard pattern: arrow keys move between tabs. */
export function Tabs({
  tabs,
  active,
  onChange,
  label,
}: {
  tabs: readonly { id: string; label: string }[];
  active: string;
  onChange: (id: string) => void;
  label: string;
}) {
  const onKey = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = tabs[(index + step + tabs.length) % tabs.length];
    if (next) {
      onChange(next.id);
      document.getElementById(`tab-${next.id}`)?.focus();
    }
  };
  return (
    <div role="tablist" aria-label={label} className="tabs">
      {tabs.map((tab, index) => (
        <button
          key={tab.id}
          id={`tab-${tab.id}`}
          role="tab"
          type="button"
          aria-selected={tab.id === active}
          aria-controls={`panel-${tab.id}`}
          tabIndex={tab.id === active ? 0 : -1}
          onClick={() => onChange(tab.id)}
          onKeyDown={(event) => onKey(event, index)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

export function Panel({ id, children }: { id: string; children: ReactNode }) {
  return (
    <div role="tabpanel" id={`panel-${id}`} aria-labelledby={`tab-${id}`} className="panel">
      {children}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted empty">{children}</p>;
}

/** Previous and next page over cursors the server hands out (it never counts pages). */
export function Pager({
  cursors,
  setCursors,
  next,
}: {
  cursors: readonly string[];
  setCursors: (cursors: string[]) => void;
  next: string | null | undefined;
}) {
  return (
    <div className="pager">
      <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
        Previous page
      </button>
      <button type="button" disabled={!next} onClick={() => next && setCursors([...cursors, next])}>
        Next page
      </button>
    </div>
  );
}

/** A checkbox choosing an action for a bulk decision. */
export function ChooseBox({
  id,
  type,
  chosen,
  setChosen,
}: {
  id: string;
  type: string;
  chosen: ReadonlySet<string>;
  setChosen: (chosen: Set<string>) => void;
}) {
  return (
    <input
      type="checkbox"
      aria-label={`Choose ${id} ${type}`}
      checked={chosen.has(id)}
      onChange={(event) => {
        const next = new Set(chosen);
        if (event.target.checked) next.add(id);
        else next.delete(id);
        setChosen(next);
      }}
    />
  );
}

/** A day picker for a time filter: the value is an ISO time at 00:00 UTC of the day picked, or unset. */
export function DateFilter({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (iso: string | undefined) => void;
}) {
  return (
    <label>
      {label}
      <input
        type="date"
        value={value.slice(0, 10)}
        onChange={(event) => onChange(event.target.value ? `${event.target.value}T00:00:00Z` : undefined)}
      />
    </label>
  );
}

/** Run a write, keep its error for an ErrorBox, and do `then` (a reload) when it succeeds. */
export function useAction() {
  const [error, setError] = useState<Error | undefined>();
  const run = async (work: () => Promise<unknown>, then: () => void) => {
    setError(undefined);
    try {
      await work();
      then();
    } catch (caught) {
      setError(caught as Error);
    }
  };
  return { error, run };
}
