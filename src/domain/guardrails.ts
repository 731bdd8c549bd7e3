/**
 * Critical-asset guardrails: actions autoir never proposes, whatever the verdict, because carrying them out would
 * crash or cripple the host or the domain it protects — killing a process Windows or Linux cannot live without,
 * quarantining a genuine operating-system binary, disabling the accounts the domain itself runs on. Each refusal
 * says the rule in words and what to do instead. An analyst can still request such an action by hand, with an
 * explicit override that is recorded in the audit log (respond/action-center.ts).
 */
import type { ActionType } from './action.js';
import {
  isBuiltInAccount,
  type Entity,
  type FileEntity,
  type ProcessEntity,
  type UserEntity,
} from './entity.js';
import { baseName } from './entity-values.js';
import { createFile, createProcess, createUser } from './entity-builders.js';
import { isSystemPath, isUnixSystemPath } from './os-paths.js';

/** Why an action is refused, and the right action instead. */
export interface Refusal {
  readonly rule: string;
  readonly instead: string;
}

/** Process names (lower-case) whose kill would stop the operating system, per platform. */
export interface ProtectedProcesses {
  readonly windows: readonly string[];
  readonly linux: readonly string[];
}

const WINDOWS_CRITICAL: Readonly<Record<string, string>> = {
  system: 'the Windows kernel process',
  'secure system': "the kernel's virtualisation-based security process",
  registry: "the kernel's registry process",
  'memory compression': "the kernel's memory-compression process",
  'smss.exe': 'the session manager: Windows stops (CRITICAL_PROCESS_DIED) without it',
  'csrss.exe': 'the client/server runtime: Windows stops (CRITICAL_PROCESS_DIED) without it',
  'wininit.exe': 'the Windows start-up process: Windows stops (CRITICAL_PROCESS_DIED) without it',
  'winlogon.exe': 'the logon process: ending it stops Windows or signs every user off',
  'services.exe': 'the service control manager: Windows stops (CRITICAL_PROCESS_DIED) without it',
  'lsass.exe': 'the local security authority: Windows restarts without it',
  'lsaiso.exe': "Credential Guard's isolated security authority: Windows restarts without it",
  'svchost.exe':
    'a service host: ending it stops every service it hosts, and the RPC or DCOM host stops Windows',
};

const LINUX_CRITICAL: Readonly<Record<string, string>> = {
  systemd: 'the init system: the kernel panics without it',
  init: 'the init process: the kernel panics without it',
  'systemd-journald': "the system's journal: logging stops without it",
  'systemd-logind': 'the login manager: sessions and logins stop without it',
  'systemd-udevd': 'the device manager',
  'dbus-daemon': 'the system message bus: system services stop answering without it',
  'dbus-broker': 'the system message bus: system services stop answering without it',
  sshd: 'the SSH server: remote administration of the host stops without it',
};

/** The built-in lists; `AUTOIR_PROTECTED_PROCESSES` adds to them (app/config.ts), never removes. */
export const defaultProtectedProcesses: ProtectedProcesses = {
  windows: Object.keys(WINDOWS_CRITICAL),
  linux: Object.keys(LINUX_CRITICAL),
};

const KERNEL_PROCESSES = new Set(['system', 'registry', 'memory compression', 'secure system']);

const windowsPath = (path: string) => /^(?:[a-z]:|\\\\|\\device\\|\\systemroot|%)/i.test(path);

function processRefusal(process: ProcessEntity, protectedNames: ProtectedProcesses): Refusal | undefined {
  const image = process.imagePath;
  const name = image ? baseName(image).toLowerCase() : undefined;
  const label = `${name ?? 'process'}${process.pid === undefined ? '' : ` (pid ${process.pid})`}`;
  const instead =
    'contain it instead: kill the malicious process it started, remove what the attacker installed through it, or isolate the device';
  if (process.pid === 4 && (!image || name === 'system' || windowsPath(image)))
    return {
      rule: `${label} is the Windows kernel's System process: ending it stops the operating system`,
      instead,
    };
  if (process.pid === 0) return { rule: `pid 0 is the kernel's idle process: it cannot be ended`, instead };
  if (process.pid === 1 && (!image || !windowsPath(image)))
    return { rule: `${label} is pid 1, the init process: ending it panics the kernel`, instead };
  if (process.pid === 2 && image !== undefined && !windowsPath(image) && name === 'kthreadd')
    return { rule: `${label} is the kernel's thread daemon`, instead };
  if (!image || !name) return undefined;
  const kernel = KERNEL_PROCESSES.has(name) && !/[\\/]/.test(image);
  if (kernel || windowsPath(image) || /\.exe$/i.test(name)) {
    if (!protectedNames.windows.includes(name)) return undefined;
    // A built-in name elsewhere than the system folders is masquerading, and may be stopped; a name the user
    // added is protected wherever it runs.
    if (WINDOWS_CRITICAL[name] && !kernel && !isSystemPath(image)) return undefined;
    const why =
      WINDOWS_CRITICAL[name] ?? 'on the list of processes this site protects (AUTOIR_PROTECTED_PROCESSES)';
    return { rule: `${label} is ${image}, ${why}: autoir never proposes ending it`, instead };
  }
  if (!protectedNames.linux.includes(name)) return undefined;
  if (LINUX_CRITICAL[name] && !isUnixSystemPath(image) && image !== name) return undefined;
  // sshd: only the listening server; a session's process (`sshd: alice@pts/0`) may be ended.
  if (
    name === 'sshd' &&
    process.commandLine &&
    /sshd: \S+@|\[priv\]|\[net\]|\[accepted\]/.test(process.commandLine)
  )
    return undefined;
  const why =
    LINUX_CRITICAL[name] ?? 'on the list of processes this site protects (AUTOIR_PROTECTED_PROCESSES)';
  return { rule: `${label} is ${image}, ${why}: autoir never proposes ending it`, instead };
}

function fileRefusal(file: FileEntity, implicated: string | undefined): Refusal | undefined {
  const path = file.path;
  if (!path || implicated) return undefined;
  if (!isSystemPath(path) && !isUnixSystemPath(path)) return undefined;
  return {
    rule: `${path} is a genuine operating-system binary (at its system path, and nothing implicates the file itself): quarantining it would break the system`,
    instead: 'stop the malicious process that ran it, and block what it was told to do',
  };
}

/** Accounts Debian and other distributions create for the system and its daemons (no person logs on as them). */
const LINUX_SERVICE_ACCOUNTS = new Set([
  'daemon',
  'bin',
  'sys',
  'sync',
  'games',
  'man',
  'lp',
  'mail',
  'news',
  'uucp',
  'proxy',
  'www-data',
  'backup',
  'list',
  'irc',
  'gnats',
  'nobody',
  '_apt',
  'messagebus',
  'sshd',
  'postgres',
  'mysql',
  'redis',
  'nginx',
  'apache',
  'ntp',
  'chrony',
  'polkitd',
  'avahi',
  'dnsmasq',
  'unbound',
  'bind',
  'postfix',
  'dovecot',
  'vmail',
  'syslog',
]);

/** Accounts the domain or the host runs on: disabling or resetting them by automation breaks it. */
function accountRefusal(
  user: UserEntity,
  type: ActionType,
  implicated: string | undefined,
): Refusal | undefined {
  const name = user.name?.toLowerCase();
  if (!name) return undefined;
  const instead = 'contain the sessions and devices the attacker used, and rotate the account by hand';
  if (name === 'krbtgt')
    return {
      rule: `${user.key} signs every Kerberos ticket of the domain: a ${type} by automation invalidates them all`,
      instead:
        'reset it twice, by hand, with the replication interval between (the documented golden-ticket recovery)',
    };
  // A `$` account the attacker created (a hidden user, a machine account for delegation abuse) is theirs.
  if (name.endsWith('$') && !implicated)
    return {
      rule: `${user.key} is a computer account: a ${type} cuts the computer (a domain controller, if it is one) off the domain`,
      instead,
    };
  // A local account (no domain) a Unix host runs as: root, and the accounts packages create for their daemons.
  if (
    !user.domain &&
    !user.upn &&
    (name === 'root' || LINUX_SERVICE_ACCOUNTS.has(name) || name.startsWith('systemd-'))
  )
    return {
      rule: `${user.key} is ${name === 'root' ? "a host's superuser" : 'an account a Unix host runs its services as'}: a ${type} by automation can lock the administrators out or stop those services`,
      instead:
        'stop the processes running as it, remove what the attacker left, and rotate its credentials by hand',
    };
  if (isBuiltInAccount(user))
    return {
      rule: `${user.key} is an account Windows runs its own services as (a built-in or virtual account): it has no password to reset, and disabling it stops those services`,
      instead: 'stop the processes running as it, and fix what let the attacker in',
    };
  return undefined;
}

/**
 * Whether autoir may propose `type` on `target`: `undefined` when it may, else the refusal. `implicated` says
 * what makes the target the attacker's own: a file at a system path written by the attacker (or unsigned,
 * renamed, block-listed) may be quarantined; a `$` account the attacker created may be disabled.
 */
export function guardrailRefusal(
  type: ActionType,
  target: Entity,
  options: { readonly implicated?: string; readonly protectedProcesses?: ProtectedProcesses } = {},
): Refusal | undefined {
  const protectedNames = options.protectedProcesses ?? defaultProtectedProcesses;
  if (type === 'killProcess' && target.type === 'process')
    return processRefusal(target as ProcessEntity, protectedNames);
  if (type === 'quarantineFile' && target.type === 'file')
    return fileRefusal(target as FileEntity, options.implicated);
  if (
    (type === 'disableUser' || type === 'resetPassword' || type === 'revokeSessions') &&
    target.type === 'user'
  )
    return accountRefusal(target as UserEntity, type, options.implicated);
  return undefined;
}

/** `AUTOIR_PROTECTED_PROCESSES`: `windows:a.exe,b.exe;linux:nginx` — names added to the built-in lists. */
export function parseProtectedProcesses(text: string | undefined): ProtectedProcesses | string {
  const windows = [...defaultProtectedProcesses.windows];
  const linux = [...defaultProtectedProcesses.linux];
  for (const part of (text ?? '')
    .split(';')
    .map((piece) => piece.trim())
    .filter(Boolean)) {
    const [platform, names] = part.split(':', 2) as [string, string | undefined];
    const list =
      platform.trim().toLowerCase() === 'windows'
        ? windows
        : platform.trim().toLowerCase() === 'linux'
          ? linux
          : undefined;
    if (!list || names === undefined) return `"${part}": expected windows:NAME,NAME or linux:NAME,NAME`;
    for (const name of names
      .split(',')
      .map((piece) => piece.trim().toLowerCase())
      .filter(Boolean))
      if (!list.includes(name)) list.push(name);
  }
  return { windows, linux };
}

/**
 * The entity an analyst's request names, from its key and the parameters given with it (`imagePath`,
 * `commandLine`, `path`): what the guardrails judge a request by.
 */
export function requestedEntity(
  targetKey: string,
  parameters: Readonly<Record<string, unknown>> = {},
): Entity | undefined {
  const text = (name: string) =>
    typeof parameters[name] === 'string' ? (parameters[name] as string) : undefined;
  const colon = targetKey.indexOf(':');
  const type = targetKey.slice(0, colon);
  const value = targetKey.slice(colon + 1);
  if (type === 'process') {
    const cut = value.lastIndexOf(':');
    const device = value.slice(0, cut);
    const id = value.slice(cut + 1);
    const [pid, startedAt] = id.split('@') as [string, string | undefined];
    const guid = /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
    return createProcess({
      device,
      guid,
      pid: guid ? (typeof parameters.pid === 'number' ? parameters.pid : text('pid')) : pid,
      startedAt,
      imagePath: text('imagePath') ?? text('image'),
      commandLine: text('commandLine'),
    });
  }
  if (type === 'file') {
    const [kind, rest] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
    if (kind === 'path') {
      const cut = rest.indexOf(':');
      return createFile({ device: rest.slice(0, cut), path: text('path') ?? rest.slice(cut + 1) });
    }
    return createFile({ [kind]: rest, path: text('path'), device: text('device') });
  }
  if (type === 'user') return createUser({ name: value });
  return undefined;
}
