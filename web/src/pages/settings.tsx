/**
 * Administration: automation levels and groups, tags, indicators, connectors, host agents, inputs, tokens and users.
 */
import { useState, type FormEvent } from 'react';
import {
  api,
  type Connector,
  type ConnectorTest,
  type DeviceGroup,
  type Indicator,
  type Page,
  type Role,
  type Token,
  type User,
} from '../api';
import { Badge, ErrorBox, Panel, Tabs, useAction, useData } from '../components/ui';
import { formatTime } from '../format';
import { useSearchParams } from '../router';
import { Agents } from './agents';
import { ShadowAgreement, ShadowSelect } from '../components/shadow';
import { Precision } from '../components/precision';
import { Inputs } from './inputs';

const LEVELS = ['full', 'semiAll', 'semiCore', 'semiNonTemp', 'none'];
const ROLES: Role[] = ['viewer', 'analyst', 'responder', 'admin'];

/** Device, mailbox and user groups share one shape. */
type Group = DeviceGroup;

function Groups() {
  const kinds = ['device', 'mailbox', 'user'];
  const lists = useData(
    () => Promise.all(kinds.map((kind) => api<Group[]>(`/${kind}-groups`))).then((all) => all.flat()),
    [],
  );
  const { error, run } = useAction();
  const [form, setForm] = useState({ kind: 'device', name: '', rule: '', level: 'semiAll' });
  const parseRule = (text: string) =>
    Object.fromEntries(
      text
        .split(',')
        .map((part) => part.split('=').map((s) => s.trim()))
        .filter((pair) => pair.length === 2 && pair[0] && pair[1]),
    );
  const add = (event: FormEvent) => {
    event.preventDefault();
    void run(
      () =>
        api(`/${form.kind}-groups/${encodeURIComponent(form.name)}`, {
          method: 'PUT',
          body: { rules: [parseRule(form.rule)], level: form.level },
        }),
      () => {
        setForm({ ...form, name: '', rule: '' });
        lists.reload();
      },
    );
  };
  return (
    <>
      <p className="muted">
        An asset joins the first group by rank whose rule matches, else its kind&apos;s Default group. New
        installations are semiAll: nothing runs without approval.
      </p>
      <ErrorBox error={lists.error ?? error} />
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Group</th>
            <th scope="col">Rank</th>
            <th scope="col">Rules</th>
            <th scope="col">Automation level</th>
            <th scope="col">Shadow</th>
            <th scope="col">
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(lists.data ?? []).map((group) => (
            <tr key={`${group.kind}:${group.name}`}>
              <td>{group.kind}</td>
              <td>{group.name}</td>
              <td>{group.isDefault ? 'last' : group.rank}</td>
              <td className="small">
                {group.isDefault
                  ? 'everything else'
                  : group.rules
                      .map((rule) =>
                        Object.entries(rule)
                          .map(([k, v]) => `${k}=${v}`)
                          .join(', '),
                      )
                      .join(' | ')}
              </td>
              <td>
                <select
                  aria-label={`Automation level of ${group.kind} group ${group.name}`}
                  value={group.level}
                  onChange={(event) =>
                    void run(
                      () =>
                        api(`/${group.kind}-groups/${encodeURIComponent(group.name)}`, {
                          method: 'PUT',
                          body: { level: event.target.value },
                        }),
                      lists.reload,
                    )
                  }
                >
                  {LEVELS.map((level) => (
                    <option key={level} value={level}>
                      {level}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <ShadowSelect
                  group={group}
                  change={(shadow) =>
                    void run(
                      () =>
                        api(`/${group.kind}-groups/${encodeURIComponent(group.name)}`, {
                          method: 'PUT',
                          body: { shadow },
                        }),
                      lists.reload,
                    )
                  }
                />
              </td>
              <td>
                {!group.isDefault && (
                  <button
                    type="button"
                    className="small secondary"
                    onClick={() =>
                      void run(
                        () =>
                          api(`/${group.kind}-groups/${encodeURIComponent(group.name)}`, {
                            method: 'DELETE',
                          }),
                        lists.reload,
                      )
                    }
                  >
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="filters" onSubmit={add} aria-label="Add a group">
        <label>
          Kind
          <select value={form.kind} onChange={(event) => setForm({ ...form, kind: event.target.value })}>
            {kinds.map((kind) => (
              <option key={kind}>{kind}</option>
            ))}
          </select>
        </label>
        <label>
          Name
          <input
            required
            value={form.name}
            onChange={(event) => setForm({ ...form, name: event.target.value })}
          />
        </label>
        <label>
          Rule
          <input
            required
            placeholder="name=srv*, domain=corp.example"
            value={form.rule}
            onChange={(event) => setForm({ ...form, rule: event.target.value })}
          />
        </label>
        <label>
          Level
          <select value={form.level} onChange={(event) => setForm({ ...form, level: event.target.value })}>
            {LEVELS.map((level) => (
              <option key={level}>{level}</option>
            ))}
          </select>
        </label>
        <button type="submit">Add group</button>
      </form>
      <ShadowAgreement />
      <Precision />
    </>
  );
}

function Indicators() {
  const list = useData(() => api<Page<Indicator>>('/indicators', { query: { limit: 200 } }), []);
  const { error, run } = useAction();
  const [form, setForm] = useState({ entityKey: '', action: 'block', title: '' });
  return (
    <>
      <ErrorBox error={list.error ?? error} />
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">Indicator</th>
            <th scope="col">Action</th>
            <th scope="col">Title</th>
            <th scope="col">Source</th>
            <th scope="col">
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.items ?? []).map((indicator) => (
            <tr key={indicator.id}>
              <td className="mono small">{indicator.entityKey}</td>
              <td>
                <Badge
                  value={indicator.action === 'block' ? 'malicious' : 'noThreatsFound'}
                  label={indicator.action}
                />
              </td>
              <td>{indicator.title ?? '—'}</td>
              <td>{indicator.source}</td>
              <td>
                <button
                  type="button"
                  className="small secondary"
                  onClick={() =>
                    void run(() => api(`/indicators/${indicator.id}`, { method: 'DELETE' }), list.reload)
                  }
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="filters"
        aria-label="Add an indicator"
        onSubmit={(event) => {
          event.preventDefault();
          void run(
            () => api('/indicators', { method: 'POST', body: { ...form, title: form.title || undefined } }),
            () => {
              setForm({ entityKey: '', action: 'block', title: '' });
              list.reload();
            },
          );
        }}
      >
        <label>
          Entity key
          <input
            required
            placeholder="file:sha256:… or ip:… or domain:…"
            value={form.entityKey}
            onChange={(event) => setForm({ ...form, entityKey: event.target.value })}
          />
        </label>
        <label>
          Action
          <select value={form.action} onChange={(event) => setForm({ ...form, action: event.target.value })}>
            <option>block</option>
            <option>allow</option>
          </select>
        </label>
        <label>
          Title
          <input value={form.title} onChange={(event) => setForm({ ...form, title: event.target.value })} />
        </label>
        <button type="submit">Add indicator</button>
      </form>
    </>
  );
}

/** A check's three answers: yes, no, or not known (not reached, or the kind cannot tell). */
function mark(value: boolean | null): string {
  return value === null ? '?' : value ? 'yes' : 'no';
}

function Connectors() {
  const list = useData(() => api<Connector[]>('/connectors'), []);
  const { error, run } = useAction();
  const [checks, setChecks] = useState<Record<string, ConnectorTest | 'checking'>>({});
  const test = (name: string) => {
    setChecks((current) => ({ ...current, [name]: 'checking' }));
    void run(
      async () => {
        const result = await api<ConnectorTest>(`/connectors/${encodeURIComponent(name)}/test`, {
          method: 'POST',
        });
        setChecks((current) => ({ ...current, [name]: result }));
      },
      () => undefined,
    );
  };
  return (
    <>
      <p className="muted">
        Connectors carry out approved actions. Add them with <code>autoir connectors add --file</code> or{' '}
        <code>PUT /api/v1/connectors/NAME</code> (docs/connectors.md); secrets are never shown.
      </p>
      <ErrorBox error={list.error ?? error} />
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Actions</th>
            <th scope="col">Groups</th>
            <th scope="col">Timeout</th>
            <th scope="col">Check</th>
            <th scope="col">
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(list.data ?? []).map((connector) => (
            <tr key={connector.name}>
              <td>{connector.name}</td>
              <td>{connector.kind}</td>
              <td className="small">{connector.actions.join(', ')}</td>
              <td>{connector.groups?.join(', ') ?? 'all'}</td>
              <td>{connector.timeout}</td>
              <td className="small" data-testid={`check-${connector.name}`}>
                <button type="button" className="small secondary" onClick={() => test(connector.name)}>
                  Test
                </button>{' '}
                {checks[connector.name] === 'checking' ? (
                  'checking…'
                ) : checks[connector.name] ? (
                  <span>
                    <span
                      className={`badge ${(checks[connector.name] as ConnectorTest).ok ? 'badge-good' : 'badge-bad'}`}
                    >
                      {(checks[connector.name] as ConnectorTest).ok ? 'ok' : 'not ok'}
                    </span>{' '}
                    reachable {mark((checks[connector.name] as ConnectorTest).reachable)}, authenticated{' '}
                    {mark((checks[connector.name] as ConnectorTest).authenticated)}, permitted{' '}
                    {mark((checks[connector.name] as ConnectorTest).permitted)}:{' '}
                    {(checks[connector.name] as ConnectorTest).message}
                  </span>
                ) : null}
              </td>
              <td>
                <button
                  type="button"
                  className="small secondary"
                  onClick={() =>
                    void run(
                      () => api(`/connectors/${encodeURIComponent(connector.name)}`, { method: 'DELETE' }),
                      list.reload,
                    )
                  }
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Access() {
  const tokens = useData(() => api<Token[]>('/tokens'), []);
  const users = useData(() => api<User[]>('/users'), []);
  const { error, run } = useAction();
  const [created, setCreated] = useState<string | null>(null);
  const [tokenForm, setTokenForm] = useState({ name: '', role: 'viewer' });
  const [userForm, setUserForm] = useState({ username: '', password: '', role: 'analyst' });
  return (
    <>
      <ErrorBox error={tokens.error ?? users.error ?? error} />
      <h2>Users</h2>
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Role</th>
            <th scope="col">Last sign-in</th>
            <th scope="col">
              <span className="sr-only">Disable</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((user) => (
            <tr key={user.username}>
              <td>{user.username}</td>
              <td>{user.role}</td>
              <td>{formatTime(user.lastLoginAt)}</td>
              <td>
                {user.disabledAt ? (
                  <span className="muted">disabled</span>
                ) : (
                  <button
                    type="button"
                    className="small secondary"
                    onClick={() =>
                      void run(
                        () =>
                          api(`/users/${encodeURIComponent(user.username)}`, {
                            method: 'PATCH',
                            body: { disabled: true },
                          }),
                        users.reload,
                      )
                    }
                  >
                    Disable
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="filters"
        aria-label="Add a user"
        onSubmit={(event) => {
          event.preventDefault();
          void run(
            () => api('/users', { method: 'POST', body: userForm }),
            () => {
              setUserForm({ username: '', password: '', role: 'analyst' });
              users.reload();
            },
          );
        }}
      >
        <label>
          Username
          <input
            required
            value={userForm.username}
            onChange={(event) => setUserForm({ ...userForm, username: event.target.value })}
          />
        </label>
        <label>
          Password (12+ characters)
          <input
            required
            type="password"
            autoComplete="new-password"
            minLength={12}
            value={userForm.password}
            onChange={(event) => setUserForm({ ...userForm, password: event.target.value })}
          />
        </label>
        <label>
          Role
          <select
            value={userForm.role}
            onChange={(event) => setUserForm({ ...userForm, role: event.target.value })}
          >
            {ROLES.map((role) => (
              <option key={role}>{role}</option>
            ))}
          </select>
        </label>
        <button type="submit">Add user</button>
      </form>

      <h2>API tokens</h2>
      {created && (
        <p role="status" className="notice">
          New token (shown once): <code>{created}</code>
        </p>
      )}
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span className="sr-only">Revoke</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(tokens.data ?? []).map((token) => (
            <tr key={token.id}>
              <td>{token.name}</td>
              <td>{token.role}</td>
              <td>{formatTime(token.createdAt)}</td>
              <td>{formatTime(token.lastUsedAt)}</td>
              <td>
                {token.revokedAt ? (
                  <span className="muted">revoked</span>
                ) : (
                  <button
                    type="button"
                    className="small secondary"
                    onClick={() =>
                      void run(() => api(`/tokens/${token.id}`, { method: 'DELETE' }), tokens.reload)
                    }
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="filters"
        aria-label="Create a token"
        onSubmit={(event) => {
          event.preventDefault();
          void run(
            async () => {
              const token = await api<{ token: string }>('/tokens', { method: 'POST', body: tokenForm });
              setCreated(token.token);
            },
            () => {
              setTokenForm({ name: '', role: 'viewer' });
              tokens.reload();
            },
          );
        }}
      >
        <label>
          Name
          <input
            required
            value={tokenForm.name}
            onChange={(event) => setTokenForm({ ...tokenForm, name: event.target.value })}
          />
        </label>
        <label>
          Role
          <select
            value={tokenForm.role}
            onChange={(event) => setTokenForm({ ...tokenForm, role: event.target.value })}
          >
            {ROLES.map((role) => (
              <option key={role}>{role}</option>
            ))}
          </select>
        </label>
        <button type="submit">Create token</button>
      </form>
    </>
  );
}

export function SettingsPage() {
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'groups';
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <Tabs
        tabs={[
          { id: 'groups', label: 'Automation and groups' },
          { id: 'indicators', label: 'Indicators' },
          { id: 'connectors', label: 'Connectors' },
          { id: 'agents', label: 'Hosts and agents' },
          { id: 'inputs', label: 'Inputs' },
          { id: 'access', label: 'Users and tokens' },
        ]}
        active={tab}
        onChange={(next) => setParams({ tab: next })}
        label="Settings"
      />
      <Panel id={tab}>
        {tab === 'groups' && <Groups />}
        {tab === 'indicators' && <Indicators />}
        {tab === 'connectors' && <Connectors />}
        {tab === 'agents' && <Agents />}
        {tab === 'inputs' && <Inputs />}
        {tab === 'access' && <Access />}
      </Panel>
    </section>
  );
}
