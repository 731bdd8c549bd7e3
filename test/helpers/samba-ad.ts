/**
 * A real Active Directory domain controller for a test: Debian's Samba (`samba-ad-dc`), provisioned into a
 * temporary folder and run in a network namespace of its own (its LDAP, LDAPS and Kerberos ports are the standard
 * ones there, free of whatever the machine runs), reached over a veth link. Users alice (a Domain Admin), bob and
 * carol, and a service account `autoir-svc` with only the rights docs/connectors.md lists: write
 * userAccountControl and pwdLastSet on users, reset passwords, write the member attribute of groups.
 *
 * Needs root (a network namespace) and `samba samba-ad-dc samba-ad-provision ldap-utils iproute2`
 * (scripts/test.sh installs them).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requirePrograms, startServer, type ServerProcess } from './servers.js';

export const adBase = 'DC=autoir,DC=test';
export const adRealm = 'autoir.test';
export const adAdmin = { upn: `Administrator@${adRealm}`, password: 'Admin-Secret-123' };
export const adService = { upn: `autoir-svc@${adRealm}`, password: 'Service-Secret-123!' };
export const adPeople = ['alice', 'bob', 'carol'].map((name) => ({
  name,
  upn: `${name}@${adRealm}`,
  dn: `CN=${name},CN=Users,${adBase}`,
  password: `${name[0]?.toUpperCase()}${name.slice(1)}-Secret-123!`,
}));

export interface SambaAd {
  readonly url: string;
  /** Samba's own CA certificate (PEM), which signed the DC's certificate. */
  readonly ca: string;
  /** The name in the DC's certificate. */
  readonly serverName: string;
  /** The address range of the link, for autoir's outbound allow list. */
  readonly network: string;
  /**
   * A bind as `upn` over LDAPS (reading the root DSE; Samba has no WhoAmI operation): exit status and output
   * (`data 533`: disabled, `773`: must change the password, `52e`: wrong password).
   */
  bind(upn: string, password: string): { status: number; output: string };
  /** `ldapsearch` as the domain administrator: the LDIF of one entry's attributes. */
  read(dn: string, attributes: readonly string[]): string;
  stop(): Promise<void>;
}

/** Why Samba AD cannot run here, or `undefined` when it can. */
export function sambaAdProblem(): string | undefined {
  if (process.getuid?.() !== 0) return 'run as root (the domain controller runs in a network namespace)';
  try {
    requirePrograms(
      ['samba', 'samba-tool', 'ldapsearch', 'ip'],
      'samba samba-ad-dc samba-ad-provision ldap-utils iproute2',
    );
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

/** Attribute and class GUIDs of the AD schema, for the service account's rights. */
const guid = {
  userAccountControl: 'bf967a68-0de6-11d0-a285-00aa003049e2',
  pwdLastSet: 'bf967a0a-0de6-11d0-a285-00aa003049e2',
  resetPassword: '00299570-246d-11d0-a768-00aa006e0529',
  member: 'bf9679c0-0de6-11d0-a285-00aa003049e2',
  user: 'bf967aba-0de6-11d0-a285-00aa003049e2',
  group: 'bf967a9c-0de6-11d0-a285-00aa003049e2',
};

export async function startSambaAd(): Promise<SambaAd> {
  const problem = sambaAdProblem();
  if (problem) throw new Error(problem);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-samba-'));
  const tag = `${process.pid % 100000}`;
  const ns = `autoir-ad-${tag}`;
  const octet = 100 + (process.pid % 150);
  const [hostIp, dcIp] = [`10.79.${octet}.1`, `10.79.${octet}.2`];
  const run = (command: string, args: string[]) => {
    const result = spawnSync(command, args, { encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(
        `${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}${result.stdout}`,
      );
    return result.stdout;
  };
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  let server: ServerProcess | undefined;
  const cleanup = async () => {
    await server?.stop();
    spawnSync('ip', ['netns', 'del', ns]);
    spawnSync('ip', ['link', 'del', `aad${tag}`]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    spawnSync('ip', ['netns', 'del', ns]);
    ip('netns', 'add', ns);
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    ip('link', 'add', `aad${tag}`, 'type', 'veth', 'peer', 'name', 'dc0', 'netns', ns);
    ip('addr', 'add', `${hostIp}/30`, 'dev', `aad${tag}`);
    ip('link', 'set', `aad${tag}`, 'up');
    ip('-n', ns, 'addr', 'add', `${dcIp}/30`, 'dev', 'dc0');
    ip('-n', ns, 'link', 'set', 'dc0', 'up');

    const target = path.join(dir, 'dc');
    run('samba-tool', [
      'domain',
      'provision',
      `--realm=${adRealm.toUpperCase()}`,
      '--domain=AUTOIR',
      '--server-role=dc',
      '--dns-backend=NONE',
      '--host-name=dc1',
      `--adminpass=${adAdmin.password}`,
      `--targetdir=${target}`,
      `--option=interfaces=${dcIp}`,
      '--option=bind interfaces only=yes',
      '--option=server services=ldap,cldap,kdc',
      `--option=log file=${path.join(dir, 'samba.log')}`,
      `--option=pid directory=${dir}`,
      `--option=ncalrpc dir=${path.join(dir, 'ncalrpc')}`,
      `--option=winbindd socket directory=${path.join(dir, 'winbindd')}`,
    ]);
    const sam = ['-H', path.join(target, 'private', 'sam.ldb')];
    run('samba-tool', ['user', 'create', 'autoir-svc', adService.password, ...sam]);
    for (const person of adPeople)
      run('samba-tool', [
        'user',
        'create',
        person.name,
        person.password,
        `--mail-address=${person.upn}`,
        ...sam,
      ]);
    run('samba-tool', ['group', 'addmembers', 'Domain Admins', 'alice', ...sam]);
    const sid = /objectSid: (S-[\d-]+)/.exec(run('samba-tool', ['user', 'show', 'autoir-svc', ...sam]))?.[1];
    if (!sid) throw new Error('samba-tool user show autoir-svc: no objectSid');
    const ace = (right: string, object: string, onClass: string) =>
      `(OA;CI;${right};${object};${onClass};${sid})`;
    run('samba-tool', [
      'dsacl',
      'set',
      ...sam,
      `--objectdn=${adBase}`,
      '--action=allow',
      `--sddl=${[
        ace('WP', guid.userAccountControl, guid.user),
        ace('WP', guid.pwdLastSet, guid.user),
        ace('CR', guid.resetPassword, guid.user),
        ace('WP', guid.member, guid.group),
      ].join('')}`,
    ]);

    server = await startServer(
      'ip',
      ['netns', 'exec', ns, 'samba', '-i', '-s', path.join(target, 'etc', 'smb.conf')],
      dcIp,
      636,
    );
    const ca = readFileSync(path.join(target, 'private', 'tls', 'ca.pem'), 'utf8');
    const caFile = path.join(target, 'private', 'tls', 'ca.pem');
    const url = `ldaps://${dcIp}`;
    const tool = (program: string, args: string[]) => {
      const result = spawnSync(program, ['-x', '-H', url, ...args], {
        encoding: 'utf8',
        env: { ...process.env, LDAPTLS_CACERT: caFile, LDAPTLS_REQCERT: 'allow' },
      });
      return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
    };
    return {
      url,
      ca,
      serverName: `dc1.${adRealm}`,
      network: `${hostIp.replace(/\.1$/, '.0')}/30`,
      bind: (upn, password) =>
        tool('ldapsearch', ['-LLL', '-D', upn, '-w', password, '-b', '', '-s', 'base', 'dnsHostName']),
      read(dn, attributes) {
        const result = tool('ldapsearch', [
          '-LLL',
          '-D',
          adAdmin.upn,
          '-w',
          adAdmin.password,
          '-b',
          dn,
          '-s',
          'base',
          ...attributes,
        ]);
        if (result.status !== 0) throw new Error(`ldapsearch ${dn}: ${result.output}`);
        return result.output;
      },
      stop: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
