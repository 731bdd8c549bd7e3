/** Hosts and their agents (admin): who is online, enrollment tokens for new hosts, revoking an agent. */
import { useState } from 'react';
import { api, type Agent } from '../api';
import { Badge, ErrorBox, useAction, useData } from '../components/ui';
import { formatTime } from '../format';

export function Agents() {
  const agents = useData(() => api<{ items: Agent[] }>('/agents').then((page) => page.items), []);
  const { error, run } = useAction();
  const [created, setCreated] = useState<{ token: string; expiresAt: string } | undefined>();
  const [form, setForm] = useState({ group: '', expiresIn: '24h' });
  const list = agents.data ?? [];
  return (
    <>
      <ErrorBox error={error ?? agents.error} />
      <p className="muted">
        {list.filter((agent) => agent.online).length} of {list.filter((agent) => !agent.revokedAt).length}{' '}
        agents online. Device actions for a device with an agent are carried out by it (docs/agent.md).
      </p>
      <table className="grid" aria-label="Agents">
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Status</th>
            <th scope="col">OS</th>
            <th scope="col">Version</th>
            <th scope="col">Addresses</th>
            <th scope="col">Group</th>
            <th scope="col">Last seen</th>
            <th scope="col">
              <span className="sr-only">Revoke</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((agent) => (
            <tr key={agent.id}>
              <td>
                {agent.fqdn ?? agent.hostname}{' '}
                <span className="muted small" title={agent.id}>
                  {agent.deviceKey}
                </span>
              </td>
              <td>
                <Badge value={agent.revokedAt ? 'revoked' : agent.online ? 'online' : 'offline'} />
              </td>
              <td>{agent.os}</td>
              <td>{agent.version}</td>
              <td className="small">{agent.addresses.slice(0, 4).join(', ')}</td>
              <td>{agent.group ?? '—'}</td>
              <td>{formatTime(agent.lastSeenAt)}</td>
              <td>
                {!agent.revokedAt && (
                  <button
                    type="button"
                    className="small secondary"
                    onClick={() =>
                      void run(
                        () => api(`/agents/${agent.id}/revoke`, { method: 'POST', body: {} }),
                        agents.reload,
                      )
                    }
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
          {list.length === 0 && (
            <tr>
              <td colSpan={8} className="muted">
                No agent enrolled yet: create an enrollment token, then run <code>autoir agent</code> on the
                host.
              </td>
            </tr>
          )}
        </tbody>
      </table>

      <h2>Enroll a host</h2>
      {created && (
        <p role="status" className="notice">
          Enrollment token (shown once, usable once until {formatTime(created.expiresAt)}):{' '}
          <code>{created.token}</code>
          <br />
          On the host, as root:{' '}
          <code>
            autoir agent --server {window.location.origin} --enroll {created.token} --state
            /var/lib/autoir-agent
          </code>
        </p>
      )}
      <form
        className="filters"
        aria-label="Create an enrollment token"
        onSubmit={(event) => {
          event.preventDefault();
          void run(async () => {
            const body = { expiresIn: form.expiresIn, ...(form.group ? { group: form.group } : {}) };
            setCreated(
              await api<{ token: string; expiresAt: string }>('/agents/enrollment-tokens', {
                method: 'POST',
                body,
              }),
            );
          }, agents.reload);
        }}
      >
        <label>
          Device group
          <input value={form.group} onChange={(event) => setForm({ ...form, group: event.target.value })} />
        </label>
        <label>
          Valid for
          <select
            value={form.expiresIn}
            onChange={(event) => setForm({ ...form, expiresIn: event.target.value })}
          >
            {['1h', '24h', '7d'].map((value) => (
              <option key={value}>{value}</option>
            ))}
          </select>
        </label>
        <button type="submit">Create enrollment token</button>
      </form>
    </>
  );
}
