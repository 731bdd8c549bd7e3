/** Hunting: search the stored telemetry by what it names, newest first or as a timeline; the terms in the URL. */
import { useState, type FormEvent } from 'react';
import { api, type Page, type TelemetryEvent } from '../api';
import { Empty, ErrorBox, Loading, Pager, useData } from '../components/ui';
import { formatTime } from '../format';
import { Link, useSearchParams } from '../router';
import { devicePath } from './device';

const TERMS = [
  { name: 'device', label: 'Device', hint: 'host name or device: key' },
  { name: 'user', label: 'User', hint: 'domain\\name, UPN or SID' },
  { name: 'hash', label: 'File hash', hint: 'SHA-256, SHA-1 or MD5' },
  { name: 'ip', label: 'IP address', hint: 'source or destination' },
  { name: 'domain', label: 'Domain', hint: '' },
  { name: 'url', label: 'URL', hint: '' },
  { name: 'process', label: 'Process', hint: 'process: key' },
] as const;

/** Offered as suggestions; any kind the API knows may be typed (comma-separated for several). */
const KINDS: readonly TelemetryEvent['kind'][] = [
  'processStart',
  'processAccess',
  'networkConnection',
  'dnsQuery',
  'httpRequest',
  'fileCreate',
  'imageLoad',
  'registrySet',
  'logon',
  'logonFailed',
  'serviceInstall',
  'taskCreate',
  'scriptBlock',
  'emailDelivered',
  'urlClick',
];

/** `datetime-local` wants `YYYY-MM-DDTHH:MM` in local time; the API takes ISO 8601 (UTC). */
const toLocal = (iso: string) => {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocal = (value: string) => (value ? new Date(value).toISOString() : undefined);

/** One line saying what happened: the program, what it touched, where it connected. */
export function eventSummary(event: TelemetryEvent): string {
  const program = event.imagePath?.split(/[\\/]/).pop();
  const network =
    event.dstIp || event.srcIp
      ? `${event.srcIp ?? '?'}${event.srcPort !== undefined ? `:${event.srcPort}` : ''} → ${event.dstIp ?? '?'}${event.dstPort !== undefined ? `:${event.dstPort}` : ''}`
      : undefined;
  return [
    program,
    event.kind === 'processStart' ? event.commandLine : undefined,
    event.targetPath,
    network,
    event.domain,
    event.url,
  ]
    .filter(Boolean)
    .join(' · ');
}

export function EventsPage() {
  const [params, setParams] = useSearchParams();
  const terms = Object.fromEntries(
    [...TERMS.map((term) => term.name), 'kind', 'since', 'until', 'order'].map((name) => [
      name,
      params.get(name) ?? '',
    ]),
  );
  const key = JSON.stringify(terms);
  const [cursors, setCursors] = useState<string[]>([]);
  const [lastKey, setLastKey] = useState(key);
  const [open, setOpen] = useState<string | undefined>();
  if (key !== lastKey) {
    setLastKey(key);
    setCursors([]);
  }
  const cursor = cursors[cursors.length - 1];
  const { data, error, loading } = useData(
    () =>
      api<Page<TelemetryEvent>>('/events', {
        query: { ...terms, order: terms.order || 'desc', limit: 100, cursor },
      }),
    [key, cursor],
  );
  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    setParams({
      ...Object.fromEntries(TERMS.map((term) => [term.name, text(term.name)])),
      kind: text('kind'),
      since: fromLocal(String(form.get('since') ?? '')),
      until: fromLocal(String(form.get('until') ?? '')),
      order: text('order') === 'asc' ? 'asc' : undefined,
    });
  };
  return (
    <section aria-labelledby="events-title">
      <h1 id="events-title">Event search</h1>
      <form className="filters" aria-label="Search events" onSubmit={search} key={key}>
        {TERMS.map((term) => (
          <label key={term.name}>
            {term.label}
            <input name={term.name} defaultValue={terms[term.name]} placeholder={term.hint} />
          </label>
        ))}
        <label>
          Kind
          <input name="kind" defaultValue={terms.kind} list="event-kinds" placeholder="any" />
          <datalist id="event-kinds">
            {KINDS.map((kind) => (
              <option key={kind} value={kind} />
            ))}
          </datalist>
        </label>
        <label>
          From
          <input type="datetime-local" name="since" defaultValue={toLocal(terms.since ?? '')} />
        </label>
        <label>
          Until
          <input type="datetime-local" name="until" defaultValue={toLocal(terms.until ?? '')} />
        </label>
        <label>
          Order
          <select name="order" defaultValue={terms.order || 'desc'}>
            <option value="desc">newest first</option>
            <option value="asc">timeline (oldest first)</option>
          </select>
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorBox error={error} />
      <Loading when={loading && !data} />
      {data && (
        <p className="muted" aria-live="polite">
          {data.items.length}
          {data.nextCursor ? '+' : ''} events
        </p>
      )}
      {data && data.items.length === 0 && <Empty>No events match.</Empty>}
      {data && data.items.length > 0 && (
        <table className="grid" aria-label="Events">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Kind</th>
              <th scope="col">Device</th>
              <th scope="col">User</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((event) => (
              <EventRow
                key={event.id}
                event={event}
                open={open === event.id}
                toggle={() => setOpen(open === event.id ? undefined : event.id)}
              />
            ))}
          </tbody>
        </table>
      )}
      <Pager cursors={cursors} setCursors={setCursors} next={data?.nextCursor} />
    </section>
  );
}

function EventRow({ event, open, toggle }: { event: TelemetryEvent; open: boolean; toggle: () => void }) {
  return (
    <>
      <tr>
        <td>
          <button type="button" className="link" aria-expanded={open} onClick={toggle}>
            {formatTime(event.time)}
          </button>
        </td>
        <td>{event.kind}</td>
        <td>
          {event.deviceKey ? (
            <Link to={devicePath(event.deviceKey)}>{event.deviceKey.replace(/^device:/, '')}</Link>
          ) : (
            '—'
          )}
        </td>
        <td>{event.userKey?.replace(/^user:/, '') ?? '—'}</td>
        <td className="small">{eventSummary(event)}</td>
      </tr>
      {open && (
        <tr>
          <td colSpan={5}>
            <EventDetail id={event.id} />
          </td>
        </tr>
      )}
    </>
  );
}

function EventDetail({ id }: { id: string }) {
  const { data, error } = useData(
    () => api<TelemetryEvent & { raw?: unknown }>(`/events/${id}`, { query: { include: 'raw' } }),
    [id],
  );
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading when />;
  const { raw, keys, ...fields } = data;
  return (
    <div className="event-detail">
      <dl>
        {Object.entries(fields).map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</dd>
          </div>
        ))}
      </dl>
      <p className="small">
        Names: <code>{keys.join(', ')}</code>
      </p>
      {raw !== undefined && (
        <pre aria-label="Record as it arrived">
          {typeof raw === 'string' ? raw : JSON.stringify(raw, null, 2)}
        </pre>
      )}
    </div>
  );
}
