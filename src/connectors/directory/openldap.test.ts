/**
 * The directory connector against a real OpenLDAP (Debian's slapd with the ppolicy overlay), through the action
 * center and the executor as an analyst uses it: a disabled user really cannot bind and the undo lets them in
 * again; a reset forces a password change; privileged groups are left and rejoined; a user the directory cannot
 * name exactly once is never touched.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../api/server.js';
import { hashToken } from '../../app/tokens.js';
import { runCli } from '../../cli/main.js';
import { secretBox } from '../secrets.js';
import { requestAction, undoActions } from '../../respond/action-center.js';
import { executePending } from '../../respond/executor.js';
import {
  directoryConnectorConfig,
  startSlapd,
  slapdBase,
  slapdPeople,
  slapdService,
  type Slapd,
} from '../../../test/helpers/slapd.js';
import { createTestStore, type TestStore } from '../../../test/helpers/stores.js';
import { connectorEntry } from '../../app/connectors.js';
import { parseConnectorConfig } from '../config.js';
import { outboundPolicy } from '../outbound.js';
import type { ActionType } from '../../domain/action.js';
import { silentLog } from '../../domain/log.js';

describe('the directory connector on OpenLDAP (slapd with ppolicy)', () => {
  let slapd: Slapd;
  let t: TestStore;
  const [alice, bob, carol, dave] = slapdPeople as [
    (typeof slapdPeople)[0],
    (typeof slapdPeople)[0],
    (typeof slapdPeople)[0],
    (typeof slapdPeople)[0],
  ];

  beforeAll(async () => {
    slapd = await startSlapd();
    t = await createTestStore('sqlite');
    process.env.AUTOIR_TEST_LDAP_PASSWORD = slapdService.password;
  }, 60_000);

  afterAll(async () => {
    await slapd?.stop();
    await t?.cleanup();
  });

  const connector = (settings: Record<string, unknown> = {}) =>
    connectorEntry(
      parseConnectorConfig(
        directoryConnectorConfig(slapd, { privilegedGroups: ['admins'], ...settings }),
        'test',
      ),
      { outbound: outboundPolicy(['127.0.0.1/32']) },
    );

  /** Request an action as an analyst, run the executor once, and return the action as it ended. */
  async function act(type: ActionType, targetKey: string, settings?: Record<string, unknown>) {
    const action = await requestAction(t.store, { type, targetKey }, 'user:rita', new Date());
    await executePending(t.store, {
      worker: 'test',
      now: () => new Date(),
      connectors: async () => [connector(settings)],
    });
    return (await t.store.actions.get(action.id))!;
  }
  async function undo(id: string, settings?: Record<string, unknown>) {
    const [inverse] = await undoActions(t.store, [id], 'user:rita', 'false positive', new Date());
    await executePending(t.store, {
      worker: 'test',
      now: () => new Date(),
      connectors: async () => [connector(settings)],
    });
    return (await t.store.actions.get(inverse!.id))!;
  }

  it('disables a user so that they cannot bind, and its undo lets them in again', async () => {
    expect(slapd.whoami(alice.dn, alice.password).status).toBe(0);
    const disable = await act('disableUser', 'user:autoir\\alice');
    expect(disable.status, disable.resultMessage ?? '').toBe('succeeded');
    expect(disable.resultMessage).toContain('alice');
    expect(slapd.read(alice.dn, ['pwdAccountLockedTime'])).toContain('pwdAccountLockedTime: 000001010000Z');
    const refused = slapd.whoami(alice.dn, alice.password);
    expect(refused.status).toBe(49);
    expect(refused.output).toContain('Account locked');
    // Bob is untouched.
    expect(slapd.whoami(bob.dn, bob.password).status).toBe(0);

    const enable = await undo(disable.id);
    expect(enable.status, enable.resultMessage ?? '').toBe('succeeded');
    expect(slapd.whoami(alice.dn, alice.password).status).toBe(0);
    expect((await t.store.actions.get(disable.id))?.status).toBe('undone');
  });

  it('leaves disabled, on undo, an account that was disabled before autoir acted', async () => {
    const first = await act('disableUser', 'user:carol@autoir.test');
    expect(first.status).toBe('succeeded');
    const again = await act('disableUser', 'user:carol@autoir.test');
    expect(again.resultMessage).toContain('already disabled');
    const enable = await undo(again.id);
    expect(enable.resultMessage).toContain('left disabled');
    expect(slapd.whoami(carol.dn, carol.password).status).toBe(49);
    await undo(first.id);
    expect(slapd.whoami(carol.dn, carol.password).status).toBe(0);
  });

  it('forces a password change: the user can bind but can do nothing before changing it', async () => {
    const reset = await act('resetPassword', 'user:autoir\\bob');
    expect(reset.status, reset.resultMessage ?? '').toBe('succeeded');
    const bind = slapd.whoami(bob.dn, bob.password);
    expect(bind.output).toContain('Password must be changed');
    expect(slapd.read(bob.dn, ['pwdReset'])).toContain('pwdReset: TRUE');
  });

  it('sets a random password that is not kept: the old one no longer works', async () => {
    const reset = await act('resetPassword', 'user:autoir\\dave', { resetPassword: 'random' });
    expect(reset.status, reset.resultMessage ?? '').toBe('succeeded');
    expect(JSON.stringify(reset)).not.toMatch(/\{SSHA\}/);
    expect(slapd.whoami(dave.dn, dave.password).status).toBe(49);
    expect(slapd.read(dave.dn, ['userPassword'])).not.toContain(
      Buffer.from(dave.password).toString('base64'),
    );
  });

  it('removes a user from privileged groups only, and the undo puts back exactly those memberships', async () => {
    const admins = `cn=admins,ou=groups,${slapdBase}`;
    const helpdesk = `cn=helpdesk,ou=groups,${slapdBase}`;
    const remove = await act('removePrivilegedGroups', 'user:autoir\\alice');
    expect(remove.status, remove.resultMessage ?? '').toBe('succeeded');
    expect(remove.resultDetails).toMatchObject({ groups: [admins] });
    expect(slapd.read(admins, ['member'])).not.toContain(alice.dn);
    expect(slapd.read(admins, ['member'])).toContain(bob.dn);
    expect(slapd.read(helpdesk, ['member'])).toContain(alice.dn);

    const restore = await undo(remove.id);
    expect(restore.status, restore.resultMessage ?? '').toBe('succeeded');
    expect(slapd.read(admins, ['member'])).toContain(alice.dn);
  });

  it('fails without touching anyone when the user is missing, of another domain, or ambiguous', async () => {
    const missing = await act('disableUser', 'user:autoir\\mallory');
    expect(missing.status).toBe('failed');
    expect(missing.resultMessage).toContain('no account');
    const foreign = await act('disableUser', 'user:otherdomain\\bob');
    expect(foreign.status).toBe('failed');
    expect(foreign.resultMessage).toContain('not an account of this directory');
    expect(slapd.whoami(bob.dn, bob.password).output).not.toContain('locked');
    // Alice's name with Bob's address names two accounts.
    const ambiguous = await requestAction(
      t.store,
      {
        type: 'disableUser',
        targetKey: 'user:autoir\\alice',
        parameters: { name: 'alice', domain: 'autoir', upn: bob.mail },
      },
      'user:rita',
      new Date(),
    );
    await executePending(t.store, {
      worker: 'test',
      now: () => new Date(),
      connectors: async () => [connector()],
    });
    const ended = (await t.store.actions.get(ambiguous.id))!;
    expect(ended.status).toBe('failed');
    expect(ended.resultMessage).toContain('matches 2 accounts');
    expect(slapd.whoami(alice.dn, alice.password).status).toBe(0);
  });

  it('never disables its own service account or a protected one, and says revokeSessions is not supported', async () => {
    const self = await act('disableUser', 'user:autoir\\alice', { protectedAccounts: ['alice'] });
    expect(self.status).toBe('failed');
    expect(self.resultMessage).toContain('protected account');
    const revoke = await act('revokeSessions', 'user:autoir\\alice');
    expect(revoke.status).toBe('failed');
    expect(revoke.resultMessage).toContain('not supported by this connector');
  });

  it('reports a wrong password as a failed bind, and a stopped directory as unreachable (the action waits)', async () => {
    process.env.AUTOIR_TEST_LDAP_WRONG = 'not-the-password';
    const wrong = await act('disableUser', 'user:autoir\\bob', { password: 'env:AUTOIR_TEST_LDAP_WRONG' });
    expect(wrong.status).toBe('failed');
    expect(wrong.resultMessage).toContain('invalid credentials');
    const closed = await act('disableUser', 'user:autoir\\bob', { url: 'ldap://127.0.0.1:9' });
    expect(closed.status).toBe('pendingResource');
    expect(closed.resultMessage).toContain('ECONNREFUSED');
  });

  it('checks the connection: reachable, authenticated, and what it can tell of its rights', async () => {
    const good = await connector().connector().check!({ signal: AbortSignal.timeout(5000), log: silentLog });
    expect(good).toMatchObject({ reachable: true, authenticated: true });
    process.env.AUTOIR_TEST_LDAP_WRONG = 'not-the-password';
    const bad = await connector({ password: 'env:AUTOIR_TEST_LDAP_WRONG' }).connector().check!({
      signal: AbortSignal.timeout(5000),
      log: silentLog,
    });
    expect(bad).toMatchObject({ reachable: true, authenticated: false });
    const down = await connector({ url: 'ldap://127.0.0.1:9' }).connector().check!({
      signal: AbortSignal.timeout(5000),
      log: silentLog,
    });
    expect(down).toMatchObject({ reachable: false });
  });

  it('is checked from the CLI (`connectors test NAME --json`, exit code 1 when not ok) and the API', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-ldap-cli-'));
    const file = path.join(dir, 'connectors.yaml');
    process.env.AUTOIR_TEST_LDAP_WRONG = 'not-the-password';
    const settings = (password: string) => ({
      url: slapd.url,
      directory: 'openldap',
      bindDn: slapdService.dn,
      password,
      baseDn: slapdBase,
    });
    writeFileSync(
      file,
      stringify({
        connectors: [
          { name: 'directory', kind: 'ldap', settings: settings('env:AUTOIR_TEST_LDAP_PASSWORD') },
          { name: 'wrong', kind: 'ldap', settings: settings('env:AUTOIR_TEST_LDAP_WRONG') },
        ],
      }),
    );
    const cli = async (args: string[]) => {
      let stdout = '';
      const code = await runCli(args, {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: () => undefined },
        stdin: Readable.from([]),
        env: { ...t.env, AUTOIR_CONNECTORS: file, AUTOIR_OUTBOUND_ALLOW: '127.0.0.1/32' },
      });
      return { code, json: () => JSON.parse(stdout) as Record<string, unknown> };
    };
    try {
      const good = await cli(['connectors', 'test', 'directory', '--json']);
      expect(good.code).toBe(0);
      expect(good.json()).toMatchObject({
        name: 'directory',
        kind: 'ldap',
        ok: true,
        reachable: true,
        authenticated: true,
      });
      const bad = await cli(['connectors', 'test', 'wrong', '--json']);
      expect(bad.code).toBe(1);
      expect(bad.json()).toMatchObject({ ok: false, reachable: true, authenticated: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const app = createServer({
      store: t.store,
      version: 'test',
      outbound: outboundPolicy(['127.0.0.1/32']),
      secrets: secretBox(randomBytes(32)),
    });
    try {
      await t.store.tokens.createToken(
        { name: 'root', role: 'admin', tokenHash: hashToken('autoir_root_ldap') },
        new Date(),
      );
      const headers = { authorization: 'Bearer autoir_root_ldap' };
      // The password given in the clear is sealed before it is stored.
      const put = await app.inject({
        method: 'PUT',
        url: '/api/v1/connectors/ldap-api',
        headers,
        payload: { kind: 'ldap', settings: settings(slapdService.password) },
      });
      expect(put.statusCode, put.body).toBe(200);
      const tested = await app.inject({ method: 'POST', url: '/api/v1/connectors/ldap-api/test', headers });
      expect(tested.statusCode, tested.body).toBe(200);
      expect(tested.json()).toMatchObject({ ok: true, authenticated: true });
      const missing = await app.inject({ method: 'POST', url: '/api/v1/connectors/nothing/test', headers });
      expect(missing.statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});
