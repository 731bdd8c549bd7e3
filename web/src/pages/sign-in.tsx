/** Sign in with a local account or an API token; the server sets an HttpOnly session cookie. */
import { useEffect, useState, type FormEvent } from 'react';
import { api, type Session } from '../api';
import { ErrorBox } from '../components/ui';

export function SignInPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [mode, setMode] = useState<'account' | 'token'>('account');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  // Single sign-on, when the server has an OpenID Connect provider configured.
  const [sso, setSso] = useState(false);
  useEffect(() => {
    api<{ oidc: boolean; accounts: boolean }>('/session/providers')
      .then((providers) => {
        setSso(providers.oidc);
        // No local account yet (a fresh or demo store): only a token can work, so the form opens on it.
        if (!providers.accounts) setMode('token');
      })
      .catch(() => setSso(false));
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const session = await api<Session>('/session', {
        method: 'POST',
        body: mode === 'account' ? { username, password } : { token },
      });
      onSignedIn(session);
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin" id="main">
      <h1>autoir</h1>
      <p className="muted">Automated investigation and response</p>
      <form onSubmit={(event) => void submit(event)} aria-label="Sign in">
        <fieldset>
          <legend>Sign in with</legend>
          <label>
            <input
              type="radio"
              name="mode"
              checked={mode === 'account'}
              onChange={() => setMode('account')}
            />{' '}
            an account
          </label>
          <label>
            <input type="radio" name="mode" checked={mode === 'token'} onChange={() => setMode('token')} /> an
            API token
          </label>
        </fieldset>
        {mode === 'account' ? (
          <>
            <label htmlFor="username">Username</label>
            <input
              id="username"
              autoComplete="username"
              value={username}
              onChange={(event) => setUsername(event.target.value)}
              required
            />
            <label htmlFor="password">Password</label>
            <input
              id="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              required
            />
          </>
        ) : (
          <>
            <label htmlFor="token">API token</label>
            <input
              id="token"
              type="password"
              autoComplete="off"
              value={token}
              onChange={(event) => setToken(event.target.value)}
              required
            />
          </>
        )}
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {sso && (
        <p>
          <a className="button" href="/api/v1/session/oidc">
            Sign in with single sign-on
          </a>
        </p>
      )}
    </main>
  );
}
