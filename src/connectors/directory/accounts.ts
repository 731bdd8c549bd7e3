/**
 * What account actions mean in each kind of directory: how a user entity is found, what disabled means, how a
 * password change is forced, which groups are privileged.
 *
 * Active Directory: `userAccountControl` bit ACCOUNTDISABLE (2), `pwdLastSet: 0` (change at next logon), a new
 * password through `unicodePwd` (over TLS only), users found by `objectSid`, `userPrincipalName`, `mail` or
 * `sAMAccountName`; built-in accounts (Administrator, Guest, krbtgt) and critical system objects are never touched.
 * OpenLDAP: the ppolicy overlay's `pwdAccountLockedTime: 000001010000Z` (locked until an administrator unlocks it)
 * and `pwdReset: TRUE` (the password must be changed before anything else), users found by `uid` or `mail`.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { AndFilter, Attribute, Change, EqualityFilter, OrFilter, type Entry, type Filter } from 'ldapts';
import { bytes, text } from './session.js';

export type DirectoryKind = 'activeDirectory' | 'openldap';

/** Who an action is about, as the user entity names them. */
export interface UserIdentity {
  readonly name?: string;
  readonly domain?: string;
  readonly upn?: string;
  readonly sid?: string;
}

/** `S-1-5-21-…` as the bytes of an `objectSid`, or `undefined` when it is not a SID. */
export function sidBytes(sid: string): Buffer | undefined {
  const match = /^s-1-(\d{1,15})((?:-\d{1,10}){1,15})$/i.exec(sid);
  if (!match) return undefined;
  const subs = (match[2] as string).slice(1).split('-').map(Number);
  if (subs.some((value) => value > 0xffffffff)) return undefined;
  const buffer = Buffer.alloc(8 + 4 * subs.length);
  buffer[0] = 1;
  buffer[1] = subs.length;
  buffer.writeUIntBE(Number(match[1]), 2, 6);
  subs.forEach((value, index) => buffer.writeUInt32LE(value, 8 + 4 * index));
  return buffer;
}

/** The bytes of an `objectSid` as `S-1-5-21-…`. */
export function sidText(buffer: Buffer): string | undefined {
  if (buffer.length < 8 || buffer[0] !== 1) return undefined;
  const count = buffer[1] as number;
  if (buffer.length !== 8 + 4 * count) return undefined;
  const subs = Array.from({ length: count }, (_, index) => buffer.readUInt32LE(8 + 4 * index));
  return `S-1-${buffer.readUIntBE(2, 6)}${subs.map((value) => `-${value}`).join('')}`;
}

const replace = (type: string, values: string[] | Buffer[]) =>
  new Change({ operation: 'replace', modification: new Attribute({ type, values }) });
const remove = (type: string) => new Change({ operation: 'delete', modification: new Attribute({ type }) });

/** Add `dn` to a group's members, or take it out. */
export const memberChange = (operation: 'add' | 'delete', dn: string): Change =>
  new Change({ operation, modification: new Attribute({ type: 'member', values: [dn] }) });

/** AD's flag for a disabled account in `userAccountControl`. */
const ACCOUNTDISABLE = 2;
/** The ppolicy value of an account locked until an administrator unlocks it. */
const lockedForever = '000001010000Z';

/** A random password that meets Active Directory's complexity rules: 24 characters of four kinds. */
export function randomPassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#%+-.:=?@_'];
  const all = sets.join('');
  const chars = sets.map((set) => set[randomInt(set.length)] as string);
  while (chars.length < 24) chars.push(all[randomInt(all.length)] as string);
  for (let index = chars.length - 1; index > 0; index--) {
    const other = randomInt(index + 1);
    [chars[index], chars[other]] = [chars[other] as string, chars[index] as string];
  }
  return chars.join('');
}

/** `{SSHA}` of a password, so that a new password never reaches the directory in the clear to be stored. */
export function sshaHash(password: string): string {
  const salt = randomBytes(8);
  const digest = createHash('sha1').update(password).update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`;
}

/** How one kind of directory keeps accounts. */
export interface DirectoryFlavor {
  readonly kind: DirectoryKind;
  /** The filter that finds the user, or `undefined` when the identity names nothing this directory can look up. */
  userFilter(identity: UserIdentity): Filter | undefined;
  /** Attributes read with a user; `buffers` are read as bytes. */
  readonly attributes: string[];
  readonly buffers: string[];
  /** Why this account is never touched (a built-in or critical account), or `undefined`. */
  protectedReason(entry: Entry): string | undefined;
  isDisabled(entry: Entry): boolean;
  disable(entry: Entry): Change[];
  /** Changes that enable it; an empty list when it is not disabled. */
  enable(entry: Entry): Change[];
  /** Changes that make the user choose a new password at the next logon. */
  forceChange(): Change[];
  /** Changes that set `password` (and force a change after it). */
  setPassword(password: string): Change[];
  /** Whether setting a password needs an encrypted connection. */
  readonly passwordNeedsTls: boolean;
  /** The filter for groups that list `dn` as a direct member. */
  groupFilter(dn: string): Filter;
  /** Groups autoir removes a compromised account from, when the connector names none. */
  readonly defaultPrivilegedGroups: readonly string[];
  /** Every name the account binds or is known by: its DN, account name, UPN, `DOMAIN\\name`. */
  names(entry: Entry, domains: readonly string[]): string[];
  /** A filter for any user (the check's probe). */
  readonly anyUser: Filter;
  /** What the user is called in messages. */
  label(entry: Entry): string;
}

const or = (filters: Filter[]) => (filters.length === 1 ? (filters[0] as Filter) : new OrFilter({ filters }));
const eq = (attribute: string, value: string | Buffer) => new EqualityFilter({ attribute, value });

export const activeDirectory: DirectoryFlavor = {
  kind: 'activeDirectory',
  userFilter(identity) {
    const ids: Filter[] = [];
    const sid = identity.sid === undefined ? undefined : sidBytes(identity.sid);
    if (sid) ids.push(eq('objectSid', sid));
    if (identity.upn) ids.push(eq('userPrincipalName', identity.upn), eq('mail', identity.upn));
    if (identity.name) ids.push(eq('sAMAccountName', identity.name));
    if (ids.length === 0) return undefined;
    return new AndFilter({ filters: [eq('objectCategory', 'person'), eq('objectClass', 'user'), or(ids)] });
  },
  attributes: [
    'sAMAccountName',
    'userPrincipalName',
    'userAccountControl',
    'objectSid',
    'isCriticalSystemObject',
  ],
  buffers: ['objectSid'],
  protectedReason(entry) {
    const sid = bytes(entry, 'objectSid');
    const rid = sid && sid.length >= 12 ? sid.readUInt32LE(sid.length - 4) : undefined;
    if (rid === 500 || rid === 501 || rid === 502)
      return `${this.label(entry)} is a built-in account (RID ${rid})`;
    if (text(entry, 'isCriticalSystemObject')?.toUpperCase() === 'TRUE')
      return `${this.label(entry)} is a critical system object`;
    return undefined;
  },
  isDisabled: (entry) => (Number(text(entry, 'userAccountControl') ?? 0) & ACCOUNTDISABLE) !== 0,
  disable: (entry) => [
    replace('userAccountControl', [
      String(Number(text(entry, 'userAccountControl') ?? 512) | ACCOUNTDISABLE),
    ]),
  ],
  enable(entry) {
    const control = Number(text(entry, 'userAccountControl') ?? 512);
    return control & ACCOUNTDISABLE
      ? [replace('userAccountControl', [String(control & ~ACCOUNTDISABLE)])]
      : [];
  },
  forceChange: () => [replace('pwdLastSet', ['0'])],
  setPassword: (password) => [
    replace('unicodePwd', [Buffer.from(`"${password}"`, 'utf16le')]),
    replace('pwdLastSet', ['0']),
  ],
  passwordNeedsTls: true,
  groupFilter: (dn) => new AndFilter({ filters: [eq('objectClass', 'group'), eq('member', dn)] }),
  defaultPrivilegedGroups: [
    'Domain Admins',
    'Enterprise Admins',
    'Schema Admins',
    'Administrators',
    'Account Operators',
    'Backup Operators',
    'Server Operators',
    'Print Operators',
    'Group Policy Creator Owners',
    'DnsAdmins',
    'Key Admins',
    'Enterprise Key Admins',
  ],
  names(entry, domains) {
    const name = text(entry, 'sAMAccountName');
    const upn = text(entry, 'userPrincipalName');
    return [
      entry.dn,
      ...(upn ? [upn] : []),
      ...(name ? [name, ...domains.map((domain) => `${domain}\\${name}`)] : []),
    ];
  },
  anyUser: new AndFilter({ filters: [eq('objectCategory', 'person'), eq('objectClass', 'user')] }),
  label: (entry) => text(entry, 'sAMAccountName') ?? entry.dn,
};

export const openLdap: DirectoryFlavor = {
  kind: 'openldap',
  userFilter(identity) {
    const ids: Filter[] = [];
    if (identity.upn) ids.push(eq('mail', identity.upn));
    if (identity.name) ids.push(eq('uid', identity.name));
    if (ids.length === 0) return undefined;
    return new AndFilter({
      filters: [or([eq('objectClass', 'inetOrgPerson'), eq('objectClass', 'posixAccount')]), or(ids)],
    });
  },
  attributes: ['uid', 'mail', 'pwdAccountLockedTime', 'pwdReset'],
  buffers: [],
  protectedReason: () => undefined,
  isDisabled: (entry) => text(entry, 'pwdAccountLockedTime') === lockedForever,
  disable: () => [replace('pwdAccountLockedTime', [lockedForever])],
  enable: (entry) =>
    text(entry, 'pwdAccountLockedTime') === undefined ? [] : [remove('pwdAccountLockedTime')],
  forceChange: () => [replace('pwdReset', ['TRUE'])],
  setPassword: (password) => [replace('userPassword', [sshaHash(password)]), replace('pwdReset', ['TRUE'])],
  passwordNeedsTls: false,
  groupFilter: (dn) =>
    new AndFilter({
      filters: [
        or([eq('objectClass', 'groupOfNames'), eq('objectClass', 'groupOfUniqueNames')]),
        or([eq('member', dn), eq('uniqueMember', dn)]),
      ],
    }),
  defaultPrivilegedGroups: [],
  names: (entry) => [entry.dn, ...(text(entry, 'uid') ? [text(entry, 'uid') as string] : [])],
  anyUser: or([eq('objectClass', 'inetOrgPerson'), eq('objectClass', 'posixAccount')]),
  label: (entry) => text(entry, 'uid') ?? entry.dn,
};

export const flavors: Readonly<Record<DirectoryKind, DirectoryFlavor>> = {
  activeDirectory,
  openldap: openLdap,
};

/** A group's CN from its DN (`CN=Domain Admins,CN=Users,…` → `domain admins`), lower-case. */
export function groupName(dn: string): string {
  const first = dn.split(/(?<!\\),/)[0] ?? '';
  return first
    .replace(/^[a-z]+=/i, '')
    .replace(/\\(.)/g, '$1')
    .trim()
    .toLowerCase();
}

/** A DN compared case- and space-insensitively. */
export function sameDn(a: string, b: string): boolean {
  const norm = (dn: string) =>
    dn
      .split(/(?<!\\),/)
      .map((part) =>
        part
          .trim()
          .toLowerCase()
          .replace(/\s*=\s*/, '='),
      )
      .join(',');
  return norm(a) === norm(b);
}

/** Whether group `dn` is one of `privileged` (DNs, or names matched against the group's CN). */
export function isPrivileged(dn: string, privileged: readonly string[]): boolean {
  return privileged.some((entry) =>
    entry.includes('=') ? sameDn(entry, dn) : entry.toLowerCase() === groupName(dn),
  );
}
