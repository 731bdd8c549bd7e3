/** The shell: sign-in gate, navigation, theme, live updates, and the page for the current path. */
import { useEffect, useState } from 'react';
import { api, setCsrfToken, setUnauthenticatedHandler, type Session } from './api';
import { LiveContext } from './components/ui';
import { ActionCenterPage } from './pages/action-center';
import { AlertsPage } from './pages/alerts';
import { DashboardPage } from './pages/dashboard';
import { DevicePage } from './pages/device';
import { EventsPage } from './pages/events';
import { IncidentPage } from './pages/incident';
import { IncidentsPage } from './pages/incidents';
import { InvestigationPage } from './pages/investigation';
import { RulesPage } from './pages/rules';
import { SettingsPage } from './pages/settings';
import { SignInPage } from './pages/sign-in';
import { Link, match, navigate, useLocation } from './router';

type Theme = 'light' | 'dark';

function initialTheme(): Theme {
  const saved = localStorage.getItem('autoir-theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Server-sent events: a counter that goes up whenever investigations or actions change. */
function useLive(enabled: boolean): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return undefined;
    const source = new EventSource('/api/v1/stream');
    let first = true;
    source.addEventListener('change', () => {
      // The first event says where things stand; later ones say something changed.
      if (first) first = false;
      else setVersion((v) => v + 1);
    });
    return () => source.close();
  }, [enabled]);
  return version;
}

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const { path } = useLocation();
  const live = useLive(Boolean(session));

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('autoir-theme', theme);
  }, [theme]);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken(null);
      setSession(null);
    });
    api<Session>('/session').then(
      (current) => {
        setCsrfToken(current.csrfToken);
        setSession(current);
      },
      () => setSession(null),
    );
  }, []);

  if (session === undefined) return <p className="muted boot">Loading…</p>;
  if (session === null)
    return (
      <SignInPage
        onSignedIn={(next) => {
          setCsrfToken(next.csrfToken);
          setSession(next);
        }}
      />
    );

  const signOut = async () => {
    try {
      await api('/session', { method: 'DELETE' });
    } finally {
      setCsrfToken(null);
      setSession(null);
      navigate('/');
    }
  };

  const nav = [
    { to: '/', label: 'Dashboard', active: path === '/' },
    { to: '/incidents', label: 'Incidents', active: path.startsWith('/incidents') },
    { to: '/alerts', label: 'Alerts', active: path.startsWith('/alerts') },
    { to: '/actions', label: 'Action center', active: path.startsWith('/actions') },
    { to: '/events', label: 'Events', active: path.startsWith('/events') },
    { to: '/rules', label: 'Rules', active: path.startsWith('/rules') },
    ...(session.role === 'admin'
      ? [{ to: '/settings', label: 'Settings', active: path.startsWith('/settings') }]
      : []),
  ];

  let page;
  let params: Record<string, string> | undefined;
  if (path === '/') page = <DashboardPage />;
  else if (path === '/incidents') page = <IncidentsPage />;
  else if (path === '/alerts') page = <AlertsPage session={session} />;
  else if ((params = match('/incidents/:id', path)))
    page = <IncidentPage id={params.id as string} session={session} />;
  else if ((params = match('/investigations/:id', path)))
    page = <InvestigationPage id={params.id as string} session={session} />;
  else if (path === '/actions') page = <ActionCenterPage session={session} />;
  else if (path === '/events') page = <EventsPage />;
  else if (path === '/rules') page = <RulesPage session={session} />;
  else if ((params = match('/devices/:key', path)))
    page = <DevicePage deviceKey={params.key as string} session={session} />;
  else if (path === '/settings' && session.role === 'admin') page = <SettingsPage />;
  else
    page = (
      <p>
        Nothing here. <Link to="/">Back to the dashboard</Link>
      </p>
    );

  return (
    <LiveContext.Provider value={live}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">autoir</span>
        <nav aria-label="Main">
          {nav.map((item) => (
            <Link
              key={item.to}
              to={item.to}
              className="nav"
              {...(item.active ? { 'aria-current': 'page' } : {})}
            >
              {item.label}
            </Link>
          ))}
        </nav>
        <span className="spacer" />
        <span className="who" title="signed in as">
          {session.principal} · {session.role}
        </span>
        <button
          type="button"
          className="ghost"
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
          aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
        >
          {theme === 'dark' ? '☀' : '☾'}
        </button>
        <button type="button" className="ghost" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main id="main">{page}</main>
    </LiveContext.Provider>
  );
}
