/**
 * The directory connector against a real Active Directory: Debian's Samba as a domain controller (samba-ad-dc),
 * over LDAPS with its own CA, bound as a service account with delegated rights only. `userAccountControl`
 * ACCOUNTDISABLE, `pwdLastSet=0`, a random `unicodePwd`, Domain Admins membership — each checked by binding as the
 * user, and each undone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestAction, undoActions } from '../../respond/action-center.js';
import { executePending } from '../../respond/executor.js';
import { adBase, adPeople, adService, startSambaAd, type SambaAd } from '../../../test/helpers/samba-ad.js';
import { createTestStore, type TestStore } from '../../../test/helpers/stores.js';
import { connectorEntry } from '../../app/connectors.js';
import { parseConnectorConfig } from '../config.js';
import { outboundPolicy } from '../outbound.js';
import type { ActionType } from '../../domain/action.js';
import { silentLog } from '../../domain/log.js';

describe('the directory connector on Active Directory (Samba AD DC over LDAPS)', () => {
  let ad: SambaAd;
  let t: TestStore;
  const [alice, bob, carol] = adPeople as [(typeof adPeople)[0], (typeof adPeople)[0], (typeof adPeople)[0]];

  beforeAll(async () => {
    ad = await startSambaAd();
    t = await createTestStore('sqlite');
    process.env.AUTOIR_TEST_AD_PASSWORD = adService.password;
  }, 120_000);

  afterAll(async () => {
    await ad?.stop();
    await t?.cleanup();
  });

  const entry = (settings: Record<string, unknown> = {}) =>
    connectorEntry(
      parseConnectorConfig(
        {
          name: 'ad',
          kind: 'ldap',
          settings: {
            url: ad.url,
            directory: 'activeDirectory',
            bindDn: adService.upn,
            password: 'env:AUTOIR_TEST_AD_PASSWORD',
            baseDn: adBase,
            ca: ad.ca,
            serverName: ad.serverName,
            ...settings,
          },
        },
        'test',
      ),
      { outbound: outboundPolicy([ad.network]) },
    );
  const execute = (settings?: Record<string, unknown>) =>
    executePending(t.store, {
      worker: 'test',
      now: () => new Date(),
      connectors: async () => [entry(settings)],
    });

  async function act(type: ActionType, targetKey: string, settings?: Record<string, unknown>) {
    const action = await requestAction(t.store, { type, targetKey }, 'user:rita', new Date());
    await execute(settings);
    return (await t.store.actions.get(action.id))!;
  }
  async function undo(id: string) {
    const [inverse] = await undoActions(t.store, [id], 'user:rita', null, new Date());
    await execute();
    return (await t.store.actions.get(inverse!.id))!;
  }

  it('checks the service account: bound over LDAPS, and allowed to write what its actions change', async () => {
    const check = await entry().connector().check!({ signal: AbortSignal.timeout(10_000), log: silentLog });
    expect(check).toMatchObject({ reachable: true, authenticated: true, permitted: true });
  });

  it('disables an account (ACCOUNTDISABLE): its bind is refused as disabled; the undo enables it', async () => {
    const before = ad.bind(alice.upn, alice.password);
    expect(before.status, before.output).toBe(0);
    const disable = await act('disableUser', 'user:autoir\\alice');
    expect(disable.status, disable.resultMessage ?? '').toBe('succeeded');
    expect(ad.read(alice.dn, ['userAccountControl'])).toContain('userAccountControl: 514');
    expect(ad.bind(alice.upn, alice.password).output).toContain('data 533');
    const enable = await undo(disable.id);
    expect(enable.status, enable.resultMessage ?? '').toBe('succeeded');
    expect(ad.bind(alice.upn, alice.password).status).toBe(0);
  });

  it('forces a password change with pwdLastSet=0: the old password must be changed before use', async () => {
    const reset = await act('resetPassword', `user:${bob.upn}`);
    expect(reset.status, reset.resultMessage ?? '').toBe('succeeded');
    expect(ad.read(bob.dn, ['pwdLastSet'])).toContain('pwdLastSet: 0');
    expect(ad.bind(bob.upn, bob.password).output).toContain('data 773');
  });

  it('sets a random password (unicodePwd over LDAPS): the old one is refused', async () => {
    const reset = await act('resetPassword', 'user:autoir\\carol', { resetPassword: 'random' });
    expect(reset.status, reset.resultMessage ?? '').toBe('succeeded');
    expect(ad.bind(carol.upn, carol.password).output).toContain('data 52e');
  });

  it('removes a Domain Admin from Domain Admins, and the undo puts them back', async () => {
    const admins = `CN=Domain Admins,CN=Users,${adBase}`;
    expect(ad.read(admins, ['member'])).toContain(alice.dn);
    const remove = await act('removePrivilegedGroups', 'user:autoir\\alice');
    expect(remove.status, remove.resultMessage ?? '').toBe('succeeded');
    expect(remove.resultDetails).toMatchObject({ groups: [admins] });
    expect(ad.read(admins, ['member'])).not.toContain(alice.dn);
    const restore = await undo(remove.id);
    expect(restore.status, restore.resultMessage ?? '').toBe('succeeded');
    expect(ad.read(admins, ['member'])).toContain(alice.dn);
  });

  it('never touches the built-in Administrator or its own service account (krbtgt: the guardrail refuses it first)', async () => {
    await expect(
      requestAction(
        t.store,
        { type: 'disableUser', targetKey: 'user:autoir\\krbtgt' },
        'user:rita',
        new Date(),
      ),
    ).rejects.toThrow(/critical-asset guardrail/);
    for (const target of ['user:autoir\\administrator', 'user:autoir\\autoir-svc']) {
      const refused = await act('disableUser', target);
      expect(refused.status, target).toBe('failed');
      expect(refused.resultMessage, target).toMatch(/built-in|critical system object|own service account/);
    }
    expect(ad.bind(adService.upn, adService.password).status).toBe(0);
  });
});
