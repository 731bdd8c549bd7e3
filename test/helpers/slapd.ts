/**
 * A real OpenLDAP server (Debian's slapd) for a test: its own cn=config and database in a temporary folder, on a
 * free loopback port, with the ppolicy overlay (lockout on, a must-change after reset), a least-privilege service
 * account for autoir, people, and groups. Needs `slapd` and `ldap-utils` (scripts/test.sh installs them).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, requirePrograms, startServer, type ServerProcess } from './servers.js';

export const slapdBase = 'dc=autoir,dc=test';
export const slapdAdmin = { dn: `cn=admin,${slapdBase}`, password: 'admin-secret-1' };
/** The account autoir binds as: it may lock accounts, reset passwords and change group members, nothing else. */
export const slapdService = { dn: `cn=autoir,ou=services,${slapdBase}`, password: 'service-secret-1' };

/** A person of the test directory: `uid`, the DN, the password. */
export interface SlapdPerson {
  readonly uid: string;
  readonly dn: string;
  readonly password: string;
  readonly mail: string;
}

export const slapdPeople: readonly SlapdPerson[] = ['alice', 'bob', 'carol', 'dave'].map((uid) => ({
  uid,
  dn: `uid=${uid},ou=people,${slapdBase}`,
  password: `${uid}-password-1`,
  mail: `${uid}@autoir.test`,
}));

/**
 * The configuration of autoir's directory connector (`kind: ldap`) for this server, bound as the service account
 * (its password read from `AUTOIR_TEST_LDAP_PASSWORD`, which this sets).
 */
export function directoryConnectorConfig(
  slapd: Slapd,
  settings: Record<string, unknown> = {},
): Record<string, unknown> {
  process.env.AUTOIR_TEST_LDAP_PASSWORD = slapdService.password;
  return {
    name: 'directory',
    kind: 'ldap',
    settings: {
      url: slapd.url,
      directory: 'openldap',
      bindDn: slapdService.dn,
      password: 'env:AUTOIR_TEST_LDAP_PASSWORD',
      baseDn: slapdBase,
      ...settings,
    },
  };
}

export interface Slapd {
  readonly url: string;
  readonly server: ServerProcess;
  /** `ldapwhoami` as `dn`: its exit status and output (0: the bind worked). */
  whoami(dn: string, password: string): { status: number; output: string };
  /** `ldapsearch` as the admin: the LDIF of `dn`'s attributes (operational ones too). */
  read(dn: string, attributes?: readonly string[]): string;
  stop(): Promise<void>;
}

/** `user0000`… as the benchmark's many people (each with the password `bench-password-1`). */
export const benchPerson = (index: number): SlapdPerson => {
  const uid = `user${String(index).padStart(4, '0')}`;
  return {
    uid,
    dn: `uid=${uid},ou=people,${slapdBase}`,
    password: 'bench-password-1',
    mail: `${uid}@autoir.test`,
  };
};

function ldif(extraPeople: number): string {
  const person = (p: SlapdPerson, uidNumber: number) => `dn: ${p.dn}
objectClass: inetOrgPerson
objectClass: posixAccount
uid: ${p.uid}
cn: ${p.uid}
sn: ${p.uid}
mail: ${p.mail}
uidNumber: ${uidNumber}
gidNumber: 10000
homeDirectory: /home/${p.uid}
userPassword: ${p.password}
`;
  return `dn: ${slapdBase}
objectClass: dcObject
objectClass: organization
dc: autoir
o: autoir test

dn: ou=people,${slapdBase}
objectClass: organizationalUnit
ou: people

dn: ou=groups,${slapdBase}
objectClass: organizationalUnit
ou: groups

dn: ou=services,${slapdBase}
objectClass: organizationalUnit
ou: services

dn: ou=policies,${slapdBase}
objectClass: organizationalUnit
ou: policies

dn: cn=default,ou=policies,${slapdBase}
objectClass: pwdPolicy
objectClass: organizationalRole
cn: default
pwdAttribute: userPassword
pwdLockout: TRUE
pwdMaxFailure: 5
pwdMustChange: TRUE
pwdAllowUserChange: TRUE

dn: ${slapdService.dn}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: autoir
userPassword: ${slapdService.password}

${[...slapdPeople, ...Array.from({ length: extraPeople }, (_, index) => benchPerson(index))]
  .map((p, index) => person(p, 10001 + index))
  .join('\n')}
dn: cn=admins,ou=groups,${slapdBase}
objectClass: groupOfNames
cn: admins
member: ${slapdPeople[0]?.dn}
member: ${slapdPeople[1]?.dn}

dn: cn=helpdesk,ou=groups,${slapdBase}
objectClass: groupOfNames
cn: helpdesk
member: ${slapdPeople[0]?.dn}
member: ${slapdPeople[2]?.dn}
`;
}

function config(dir: string): string {
  const service = slapdService.dn;
  return `dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: ${dir}/slapd.pid

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb
olcModuleLoad: ppolicy

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif
include: file:///etc/ldap/schema/cosine.ldif
include: file:///etc/ldap/schema/inetorgperson.ldif
include: file:///etc/ldap/schema/nis.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: ${slapdBase}
olcDbDirectory: ${dir}/data
olcRootDN: ${slapdAdmin.dn}
olcRootPW: ${slapdAdmin.password}
olcAccess: {0}to attrs=userPassword,pwdReset,pwdAccountLockedTime by dn.exact="${service}" write by self write by anonymous auth by * none
olcAccess: {1}to dn.subtree="ou=groups,${slapdBase}" attrs=member by dn.exact="${service}" write by users read
olcAccess: {2}to * by users read by * none

dn: olcOverlay={0}ppolicy,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcPPolicyConfig
olcOverlay: {0}ppolicy
olcPPolicyDefault: cn=default,ou=policies,${slapdBase}
olcPPolicyHashCleartext: TRUE
olcPPolicyUseLockout: TRUE
`;
}

/** Start slapd on a free port with the test directory loaded. */
export async function startSlapd(options: { readonly extraPeople?: number } = {}): Promise<Slapd> {
  requirePrograms(['slapd', 'slapadd', 'ldapwhoami', 'ldapsearch'], 'slapd ldap-utils');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-slapd-'));
  const slapdDir = path.join(dir, 'slapd.d');
  mkdirSync(slapdDir);
  mkdirSync(path.join(dir, 'data'));
  writeFileSync(path.join(dir, 'config.ldif'), config(dir));
  const port = await freePort();
  writeFileSync(path.join(dir, 'data.ldif'), ldif(options.extraPeople ?? 0));
  const run = (args: string[]) => {
    const result = spawnSync('slapadd', args, { encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(`slapadd ${args.join(' ')} failed: ${result.stderr}${result.stdout}`);
  };
  run(['-n', '0', '-F', slapdDir, '-l', path.join(dir, 'config.ldif')]);
  run(['-F', slapdDir, '-b', slapdBase, '-l', path.join(dir, 'data.ldif')]);
  const url = `ldap://127.0.0.1:${port}`;
  // `-d 0`: in the foreground (the test stops it), logging nothing but errors.
  const server = await startServer('slapd', ['-d', '0', '-h', `${url}/`, '-F', slapdDir], '127.0.0.1', port);
  const tool = (program: string, args: string[]) => {
    const result = spawnSync(program, ['-x', '-H', url, ...args], { encoding: 'utf8' });
    return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
  };
  return {
    url,
    server,
    whoami: (dn, password) => tool('ldapwhoami', ['-D', dn, '-w', password, '-e', 'ppolicy']),
    read(dn, attributes = ['*', '+']) {
      const result = tool('ldapsearch', [
        '-LLL',
        '-D',
        slapdAdmin.dn,
        '-w',
        slapdAdmin.password,
        '-b',
        dn,
        '-s',
        'base',
        ...attributes,
      ]);
      if (result.status !== 0) throw new Error(`ldapsearch ${dn}: ${result.output}`);
      return result.output;
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
