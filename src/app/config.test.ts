import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAutoirError } from '../domain/errors.js';
import { defaultProtectedProcesses } from '../domain/guardrails.js';
import { DEFAULT_BODY_LIMIT, detectionWith, readSettings } from './config.js';

describe('settings from the environment', () => {
  it('has defaults for everything, and SQLite in ./autoir-data unless told otherwise', () => {
    const settings = readSettings({});
    expect(settings.store).toEqual({ kind: 'sqlite', dataDir: path.resolve('autoir-data') });
    expect(settings.server).toEqual({
      bodyLimit: DEFAULT_BODY_LIMIT,
      logRequests: false,
      sessions: { idleMs: 12 * 3_600_000, cookieSecure: false },
      rateLimits: {},
    });
    expect(settings.correlation).toEqual({ infrastructure: [], warninglists: [] });
    expect(settings.investigation).toEqual({
      playbookDirs: [],
      limits: {},
      protectedProcesses: defaultProtectedProcesses,
    });
    expect(settings.detection).toEqual({});
    expect(readSettings({ AUTOIR_DATA: '/tmp/x' }, { dataDir: '/tmp/y' }).store).toEqual({
      kind: 'sqlite',
      dataDir: '/tmp/y',
    });
  });

  it('reads every variable into the setting it names', () => {
    const settings = readSettings({
      AUTOIR_DATABASE_URL: 'postgres://autoir@db/autoir',
      AUTOIR_DATABASE_SCHEMA: 'soc',
      AUTOIR_DATABASE_POOL: '24',
      AUTOIR_BODY_LIMIT: '2048',
      AUTOIR_LOG_REQUESTS: '1',
      AUTOIR_SESSION_IDLE: '30m',
      AUTOIR_COOKIE_SECURE: 'true',
      AUTOIR_PUBLIC_URL: 'https://autoir.example.com/',
      AUTOIR_CORRELATION_WINDOW: '2h',
      AUTOIR_CORRELATION_MAX_DEVICES: '7',
      AUTOIR_CORRELATION_MAX_ALERTS: '90',
      AUTOIR_INFRASTRUCTURE: 'ip:10.0.0.53, DEVICE:DC1.corp.example',
      AUTOIR_PLAYBOOKS: ['/a', '/b'].join(path.delimiter),
      AUTOIR_MAX_INVESTIGATIONS: '3',
      AUTOIR_INVESTIGATION_MAX_RUN: '5m',
      AUTOIR_ANALYZE_BATCH: '20',
      AUTOIR_RULE_STATUSES: 'stable,test',
      AUTOIR_RULE_MIN_LEVEL: 'high',
      AUTOIR_BUNDLED_RULES: '0',
      AUTOIR_CONNECTORS: 'connectors.yaml',
      AUTOIR_OUTBOUND_ALLOW: '10.20.0.0/16, edr.corp.example',
      AUTOIR_RATE_LIMIT: '600',
      AUTOIR_SIGN_IN_RATE_LIMIT: '3',
      AUTOIR_PROTECTED_PROCESSES: 'windows: EdrAgent.exe ; linux:postgres,nginx',
    });
    expect(settings.store).toEqual({
      kind: 'postgres',
      url: 'postgres://autoir@db/autoir',
      schema: 'soc',
      maxConnections: 24,
    });
    expect(settings.server).toEqual({
      bodyLimit: 2048,
      logRequests: true,
      sessions: { idleMs: 30 * 60_000, cookieSecure: true },
      publicUrl: 'https://autoir.example.com',
      rateLimits: { perAddress: 600, signInPerAddress: 3 },
    });
    expect(settings.correlation).toEqual({
      windowMs: 2 * 3_600_000,
      maxDevices: 7,
      maxAlerts: 90,
      infrastructure: ['ip:10.0.0.53', 'device:dc1.corp.example'],
      warninglists: [],
    });
    expect(settings.investigation).toEqual({
      playbookDirs: ['/a', '/b'],
      limits: { maxRunMs: 5 * 60_000, analyzeBatch: 20 },
      maxRunning: 3,
      protectedProcesses: {
        windows: [...defaultProtectedProcesses.windows, 'edragent.exe'],
        linux: [...defaultProtectedProcesses.linux, 'postgres', 'nginx'],
      },
    });
    expect(settings.detection).toEqual({ bundled: false, statuses: ['stable', 'test'], minLevel: 'high' });
    expect(settings.connectorsFile).toBe(path.resolve('connectors.yaml'));
    expect(settings.outboundAllow).toEqual(['10.20.0.0/16', 'edr.corp.example']);
  });

  it('names every bad value at once, as a usage error', () => {
    let caught: unknown;
    try {
      readSettings({
        AUTOIR_BODY_LIMIT: '12',
        AUTOIR_SESSION_IDLE: '30s',
        AUTOIR_CORRELATION_WINDOW: 'soon',
        AUTOIR_MAX_INVESTIGATIONS: '0',
        AUTOIR_RULE_STATUSES: 'stable,bogus',
        AUTOIR_PUBLIC_URL: 'ftp://x',
        AUTOIR_OUTBOUND_ALLOW: '10.0.0.0/99',
        AUTOIR_PROTECTED_PROCESSES: 'macos:launchd',
        AUTOIR_DATABASE_POOL: '0',
        AUTOIR_EVENT_RETENTION: '10m',
      });
    } catch (error) {
      caught = error;
    }
    expect(isAutoirError(caught) && caught.code).toBe('AUTOIR_E_BAD_USAGE');
    const message = (caught as Error).message;
    for (const expected of [
      'AUTOIR_BODY_LIMIT must be a whole number of bytes from 1024, got 12',
      'AUTOIR_SESSION_IDLE must be a duration from 1m to 7d (e.g. 12h), got 30s',
      'AUTOIR_CORRELATION_WINDOW must be a duration like 24h, got soon',
      'AUTOIR_MAX_INVESTIGATIONS must be a positive whole number, got 0',
      'AUTOIR_RULE_STATUSES: unknown rule status bogus',
      'AUTOIR_PUBLIC_URL must be an http:// or https:// URL, got ftp://x',
      'AUTOIR_OUTBOUND_ALLOW: 10.0.0.0/99: a prefix length from 0 to 32',
      'AUTOIR_PROTECTED_PROCESSES: "macos:launchd": expected windows:NAME,NAME or linux:NAME,NAME',
      'AUTOIR_DATABASE_POOL must be a whole number of connections from 1 to 1000, got 0',
      'AUTOIR_EVENT_RETENTION must be a duration of at least 1h (e.g. 90d), or off, got 10m',
    ])
      expect(message).toContain(expected);
  });

  it('keeps telemetry 30 days unless told otherwise, or for ever with off', () => {
    expect(readSettings({}).eventRetentionMs).toBe(30 * 24 * 3_600_000);
    expect(readSettings({ AUTOIR_EVENT_RETENTION: '90d' }).eventRetentionMs).toBe(90 * 24 * 3_600_000);
    expect(readSettings({ AUTOIR_EVENT_RETENTION: 'off' }).eventRetentionMs).toBeUndefined();
  });

  it("puts a command's rule options on top of the detection settings", () => {
    const base = readSettings({ AUTOIR_RULES: '/rules/a' }).detection;
    expect(detectionWith(base, { rules: ['/rules/b'], minLevel: 'critical' })).toEqual({
      ruleDirs: ['/rules/a', '/rules/b'],
      minLevel: 'critical',
    });
    expect(() => detectionWith(base, { statuses: 'nope' })).toThrow(/unknown rule status nope/);
  });

  it('reads single sign-on, and names what it lacks', () => {
    const settings = readSettings({
      AUTOIR_PUBLIC_URL: 'https://autoir.example.com',
      AUTOIR_OIDC_ISSUER: 'https://login.example.com/realms/soc',
      AUTOIR_OIDC_CLIENT_ID: 'autoir',
      AUTOIR_OIDC_CLIENT_SECRET: 's3cret-s3cret',
      AUTOIR_OIDC_ROLES: 'admin=soc-admins; responder=ir,soc-responders',
    });
    expect(settings.oidc).toEqual({
      issuer: 'https://login.example.com/realms/soc',
      clientId: 'autoir',
      clientSecret: 's3cret-s3cret',
      redirectUri: 'https://autoir.example.com/api/v1/session/oidc/callback',
      roleClaim: 'groups',
      roles: { admin: ['soc-admins'], responder: ['ir', 'soc-responders'] },
      nameClaim: 'preferred_username',
    });
    expect(() =>
      readSettings({ AUTOIR_OIDC_ISSUER: 'https://login.example.com', AUTOIR_OIDC_ROLES: 'boss=x' }),
    ).toThrow(
      /AUTOIR_OIDC_CLIENT_ID: needed[\s\S]*AUTOIR_OIDC_CLIENT_SECRET[\s\S]*AUTOIR_OIDC_ROLES: boss=x: ROLE=VALUE[\s\S]*AUTOIR_PUBLIC_URL: needed/,
    );
  });
});
