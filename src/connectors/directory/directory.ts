/**
 * The directory connector (`kind: ldap`): account actions on Active Directory or OpenLDAP over LDAP(S), as a
 * least-privilege service account. `disableUser` / `enableUser`, `resetPassword` (a change forced at the next
 * logon, or a random password), `removePrivilegedGroups` / `restorePrivilegedGroups`; `revokeSessions` is answered
 * "not supported" (a directory keeps no sessions). docs/connectors.md is its user-facing description.
 *
 * The user entity is matched to exactly one directory entry (by SID, UPN or e-mail, account name in one of the
 * connector's domains); no match, or more than one, fails the action with the reason and touches nothing. The
 * service account itself, built-in and critical accounts, and `protectedAccounts` are never touched.
 */
import { z } from 'zod';
import type { Entry } from 'ldapts';
import { abortError } from '../abort.js';
import { defineConnector, type ConnectorContext } from '../connector.js';
import { requireResolved } from '../secrets.js';
import {
  flavors,
  groupName,
  isPrivileged,
  memberChange,
  randomPassword,
  sameDn,
  type DirectoryFlavor,
  type UserIdentity,
} from './accounts.js';
import { fail } from '../outcome.js';
import { displayTarget, outcomeOfError, texts, withSession, type Session } from './session.js';
import type { ActionOutcome, ActionRequest, Connector, ConnectorCheck } from '../../respond/ports.js';

export const directorySettingsSchema = z
  .object({
    url: z.url({ protocol: /^ldaps?$/, error: 'an ldap:// or ldaps:// URL' }),
    /** `activeDirectory` or `openldap` (with the ppolicy overlay). */
    directory: z.enum(['activeDirectory', 'openldap'], { error: 'activeDirectory or openldap' }),
    /** The service account's DN (AD also takes `name@domain`). */
    bindDn: z.string().min(1),
    /** Its password: `env:NAME`, `file:/path`, or sealed when stored. */
    password: z.string().min(1),
    /** Where users and groups are searched. */
    baseDn: z.string().min(1),
    /** Upgrade an ldap:// connection with StartTLS. */
    startTls: z.boolean().default(false),
    /** PEM certificates trusted for the directory's certificate (absent: the system's CAs). */
    ca: z.string().includes('-----BEGIN CERTIFICATE-----', { error: 'PEM certificates' }).optional(),
    /** The name the directory's certificate carries, when the URL names it otherwise (an address). */
    serverName: z.string().min(1).optional(),
    /**
     * The domains (NetBIOS and DNS names) whose accounts live here; a user of another domain is not looked up.
     * Default: the DNS name the base DN spells (`DC=corp,DC=example` → `corp.example`) and its first label.
     */
    domains: z.array(z.string().min(1)).optional(),
    /** Groups `removePrivilegedGroups` removes a user from (names or DNs); AD has a default list. */
    privilegedGroups: z.array(z.string().min(1)).optional(),
    /** Accounts never touched (names, UPNs or DNs), beside the service account and built-in accounts. */
    protectedAccounts: z.array(z.string().min(1)).default([]),
    /** `forceChange` (the user picks a new password at the next logon) or `random` (a random one, then a change). */
    resetPassword: z.enum(['forceChange', 'random']).default('forceChange'),
  })
  .strict();

export type DirectorySettings = z.output<typeof directorySettingsSchema>;

/** The domains of a base DN: `DC=corp,DC=example` → `corp.example` and `corp`. */
export function domainsOf(baseDn: string): string[] {
  const labels = baseDn
    .split(/(?<!\\),/)
    .map((part) => /^\s*dc\s*=\s*(.+?)\s*$/i.exec(part)?.[1]?.toLowerCase())
    .filter((label): label is string => label !== undefined);
  return labels.length === 0 ? [] : [labels.join('.'), labels[0] as string];
}

/** Who the action is about: the entity's parameters, else what its key spells. */
export function identityOf(request: Pick<ActionRequest, 'targetKey' | 'parameters'>): UserIdentity {
  const p = request.parameters;
  const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const fromKey: { name?: string; domain?: string; upn?: string; sid?: string } = {};
  const value = request.targetKey.slice('user:'.length);
  if (/^s-1-\d/i.test(value)) fromKey.sid = value;
  else if (value.includes('\\')) {
    const [domain, name] = value.split('\\', 2) as [string, string];
    Object.assign(fromKey, { domain, name });
  } else if (value.includes('@')) fromKey.upn = value;
  else if (value) fromKey.name = value;
  const identity = {
    name: str(p.name) ?? fromKey.name,
    domain: str(p.domain) ?? fromKey.domain,
    upn: str(p.upn) ?? fromKey.upn,
    sid: str(p.sid) ?? fromKey.sid,
  };
  return Object.fromEntries(
    Object.entries(identity).filter(([, item]) => item !== undefined),
  ) as UserIdentity;
}

/** A short description of an identity for messages. */
function describe(identity: UserIdentity): string {
  const parts = [
    identity.name && `${identity.domain ? `${identity.domain}\\` : ''}${identity.name}`,
    identity.upn,
    identity.sid,
  ].filter(Boolean);
  return parts.join(' / ') || '(no name)';
}

interface Directory {
  readonly settings: DirectorySettings;
  readonly flavor: DirectoryFlavor;
  readonly domains: readonly string[];
  readonly target: string;
}

/** The one entry the identity names, or a failure saying why there is none to act on. */
async function findUser(directory: Directory, session: Session, identity: UserIdentity): Promise<Entry> {
  const { flavor, settings, domains } = directory;
  // An account name is only looked up in this directory's own domains: `other\bob` is not our `bob`.
  const usable = { ...identity };
  if (usable.name && usable.domain && !domains.includes(usable.domain.toLowerCase())) delete usable.name;
  const filter = flavor.userFilter(usable);
  if (filter === undefined)
    return fail(
      `${describe(identity)} is not an account of this directory (its domains: ${domains.join(', ') || 'none'})`,
    );
  const entries = await session.search(settings.baseDn, filter, ['dn', ...flavor.attributes], {
    sizeLimit: 3,
    buffers: flavor.buffers,
  });
  if (entries.length === 0)
    return fail(`no account in ${settings.baseDn} matches ${describe(identity)}: nothing was changed`);
  if (entries.length > 1)
    return fail(
      `${describe(identity)} matches ${entries.length} accounts (${entries
        .map((entry) => entry.dn)
        .join('; ')}): nothing was changed`,
    );
  const entry = entries[0] as Entry;
  const bind = settings.bindDn.toLowerCase();
  if (flavor.names(entry, domains).some((name) => name.toLowerCase() === bind || sameDn(name, bind)))
    return fail(`${entry.dn} is autoir's own service account: it is never changed by an action`);
  const builtIn = flavor.protectedReason(entry);
  if (builtIn) return fail(`${builtIn}: it is never changed by an action`);
  const label = flavor.label(entry).toLowerCase();
  const protectedBy = settings.protectedAccounts.find((account) =>
    account.includes('=') ? sameDn(account, entry.dn) : account.toLowerCase() === label,
  );
  if (protectedBy) return fail(`${entry.dn} is a protected account (protectedAccounts: ${protectedBy})`);
  return entry;
}

const undone = (request: ActionRequest): Record<string, unknown> => {
  const value = request.parameters.undone;
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
};

async function act(directory: Directory, session: Session, request: ActionRequest): Promise<ActionOutcome> {
  const { flavor, settings } = directory;
  const identity = identityOf(request);
  const user = await findUser(directory, session, identity);
  const who = `${flavor.label(user)} (${user.dn})`;
  switch (request.type) {
    case 'disableUser': {
      if (flavor.isDisabled(user))
        return {
          status: 'succeeded',
          message: `${who} was already disabled`,
          details: { dn: user.dn, wasDisabled: true },
        };
      await session.client.modify(user.dn, flavor.disable(user));
      return {
        status: 'succeeded',
        message: `${who} is disabled`,
        details: { dn: user.dn, wasDisabled: false },
      };
    }
    case 'enableUser': {
      if (undone(request).wasDisabled === true)
        return { status: 'succeeded', message: `${who} was disabled before autoir acted: left disabled` };
      const changes = flavor.enable(user);
      if (changes.length === 0) return { status: 'succeeded', message: `${who} was not disabled` };
      await session.client.modify(user.dn, changes);
      return { status: 'succeeded', message: `${who} is enabled`, details: { dn: user.dn } };
    }
    case 'resetPassword': {
      if (settings.resetPassword === 'forceChange') {
        await session.client.modify(user.dn, flavor.forceChange());
        return {
          status: 'succeeded',
          message: `${who} must choose a new password at the next logon`,
          details: { dn: user.dn, mode: 'forceChange' },
        };
      }
      const secure = settings.url.startsWith('ldaps:') || settings.startTls;
      if (flavor.passwordNeedsTls && !secure)
        return fail(
          `Active Directory sets passwords only over an encrypted connection: use ldaps:// or startTls`,
        );
      // The new password is not kept anywhere: the account is closed to whoever knew the old one; the help desk
      // gives the user a new one.
      await session.client.modify(user.dn, flavor.setPassword(randomPassword()));
      return {
        status: 'succeeded',
        message: `${who} has a new random password (not kept); the user must get a new one from the help desk`,
        details: { dn: user.dn, mode: 'random' },
      };
    }
    case 'removePrivilegedGroups': {
      const privileged = settings.privilegedGroups ?? flavor.defaultPrivilegedGroups;
      if (privileged.length === 0)
        return fail('no privileged groups are configured for this connector (settings.privilegedGroups)');
      const groups = (await session.search(settings.baseDn, flavor.groupFilter(user.dn), ['dn'])).filter(
        (group) => isPrivileged(group.dn, privileged),
      );
      for (const group of groups) await session.client.modify(group.dn, memberChange('delete', user.dn));
      return {
        status: 'succeeded',
        message:
          groups.length === 0
            ? `${who} is in no privileged group`
            : `${who} removed from ${groups.map((group) => groupName(group.dn)).join(', ')}`,
        details: { dn: user.dn, groups: groups.map((group) => group.dn) },
      };
    }
    case 'restorePrivilegedGroups': {
      const groups = undone(request).groups;
      if (!Array.isArray(groups))
        return fail('restorePrivilegedGroups puts back what a removePrivilegedGroups took: undo that action');
      const restored: string[] = [];
      for (const group of groups.filter((item): item is string => typeof item === 'string')) {
        const members = await session.search(group, '(objectClass=*)', ['member'], { scope: 'base' });
        const listed = members[0] ? texts(members[0], 'member') : [];
        if (listed.some((member) => sameDn(member, user.dn))) continue;
        await session.client.modify(group, memberChange('add', user.dn));
        restored.push(group);
      }
      return {
        status: 'succeeded',
        message: `${who} is back in ${groups.length === 0 ? 'no group (none was removed)' : groups.map((g) => groupName(String(g))).join(', ')}`,
        details: { dn: user.dn, groups: restored },
      };
    }
    default:
      return fail(`${request.type} is not an action of the directory connector`);
  }
}

/** What an operator sees when the connector is checked. */
async function check(directory: Directory, session: Session): Promise<ConnectorCheck> {
  const { settings, flavor } = directory;
  const users = await session.search(settings.baseDn, flavor.anyUser, ['dn'], { sizeLimit: 1 });
  if (flavor.kind === 'activeDirectory' && users[0]) {
    const rights = await session.search(users[0].dn, '(objectClass=*)', ['allowedAttributesEffective'], {
      scope: 'base',
    });
    const allowed = [rights[0]?.allowedAttributesEffective ?? []]
      .flat()
      .map((item) => String(item).toLowerCase());
    const missing = ['userAccountControl', 'pwdLastSet'].filter(
      (attribute) => !allowed.includes(attribute.toLowerCase()),
    );
    return {
      reachable: true,
      authenticated: true,
      permitted: missing.length === 0,
      message:
        missing.length === 0
          ? `bound as ${settings.bindDn}; it may write userAccountControl and pwdLastSet`
          : `bound as ${settings.bindDn}, but it may not write ${missing.join(', ')} on ${users[0].dn}`,
    };
  }
  return {
    reachable: true,
    authenticated: true,
    permitted: users.length > 0 ? null : false,
    message:
      users.length > 0
        ? `bound as ${settings.bindDn} and reads users under ${settings.baseDn} (OpenLDAP cannot tell write rights without writing)`
        : `bound as ${settings.bindDn}, but it finds no user under ${settings.baseDn}`,
  };
}

function createDirectory(
  name: string,
  settings: DirectorySettings,
  timeoutMs: number,
  { outbound }: ConnectorContext,
): Connector {
  requireResolved(name, 'password', settings.password);
  const directory: Directory = {
    settings,
    flavor: flavors[settings.directory],
    domains: (settings.domains ?? domainsOf(settings.baseDn)).map((domain) => domain.toLowerCase()),
    target: displayTarget(settings.url),
  };
  return {
    name,
    kind: 'ldap',
    timeoutMs,
    async run(request, { signal, log }) {
      if (signal.aborted) throw abortError(signal);
      if (request.type === 'revokeSessions')
        return {
          status: 'failed',
          retryable: false,
          message:
            'revokeSessions is not supported by this connector: a directory keeps no sign-in sessions (revoke them at the identity provider, or route revokeSessions to a connector that can)',
        };
      let outcome: ActionOutcome;
      try {
        outcome = await withSession(settings, outbound, timeoutMs, signal, (session) =>
          act(directory, session, request),
        );
      } catch (error) {
        if (signal.aborted) throw abortError(signal);
        outcome = outcomeOfError(error, directory.target);
      }
      log.debug(`${request.type} ${request.targetKey} at ${directory.target}: ${outcome.status}`, {
        target: directory.target,
        status: outcome.status,
      });
      return outcome;
    },
    async check({ signal }) {
      try {
        return await withSession(settings, outbound, timeoutMs, signal, (session) =>
          check(directory, session),
        );
      } catch (error) {
        const outcome = outcomeOfError(error, directory.target);
        const message = ('message' in outcome && outcome.message) || String(error);
        const authenticated = /bind|credentials/.test(message) ? false : null;
        return { reachable: outcome.status !== 'unreachable', authenticated, permitted: null, message };
      }
    },
  };
}

export const directoryConnector = defineConnector({
  kind: 'ldap',
  description:
    'Account actions on Active Directory or OpenLDAP: disable/enable, reset password, remove from privileged groups.',
  settings: directorySettingsSchema,
  secrets: ['password'],
  create: createDirectory,
});
