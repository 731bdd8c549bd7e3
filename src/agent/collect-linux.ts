/**
 * `collectInvestigationPackage` on a Linux host: a snapshot read from /proc, /var/run/utmp, the systemd unit
 * folders, the cron tables and the temp and home folders — processes with their program's hash and parent,
 * listening and established sockets with the process holding them, who is logged on, autostart entries with the
 * program they start, and executables changed lately where attackers drop them. Read-only; each section is bounded
 * so a busy host gives a package of a few hundred kilobytes, and whatever cannot be read is named in `problems`.
 */
import { lstat, open, readdir, readFile, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import type { InvestigationPackage } from '../domain/agent.js';
import { SYSTEMD_UNIT_DIRS } from '../domain/persistence.js';
import { processInfo, sha256Of } from './host-linux.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

const MAX_PROCESSES = 2000;
const MAX_SOCKETS = 2000;
const MAX_FILES = 500;
/** Programs larger than this are not hashed (a hash of a 2 GB file would take the agent's time). */
const MAX_HASHED = 64 * 1024 * 1024;
/** "Lately": changed within this window. */
const RECENT_MS = 14 * 24 * 3600 * 1000;
const DROP_DIRS = ['/tmp', '/var/tmp', '/dev/shm', '/root', '/home'];

/** Users by uid, from /etc/passwd. */
async function userNames(): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  for (const line of (await readFile('/etc/passwd', 'utf8').catch(() => '')).split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid && /^\d+$/.test(uid)) names.set(Number(uid), name);
  }
  return names;
}

/** One hash per program file, kept for the whole collection. */
function hasher(problems: string[]) {
  const cache = new Map<string, Promise<string | undefined>>();
  return (file: string): Promise<string | undefined> => {
    let found = cache.get(file);
    if (!found) {
      found = stat(file)
        .then((info) => (info.isFile() && info.size <= MAX_HASHED ? sha256Of(file) : undefined))
        .catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') problems.push(`hash of ${file}: ${error.code ?? error.message}`);
          return undefined;
        });
      cache.set(file, found);
    }
    return found;
  };
}

async function processes(
  users: Map<number, string>,
  hash: (file: string) => Promise<string | undefined>,
): Promise<{ list: Mutable<InvestigationPackage>['processes']; socketOwners: Map<string, number> }> {
  const list: Mutable<InvestigationPackage>['processes'] = [];
  const socketOwners = new Map<string, number>();
  const pids = (await readdir('/proc'))
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .sort((a, b) => a - b)
    .slice(0, MAX_PROCESSES);
  for (const pid of pids) {
    const info = await processInfo(pid);
    // Kernel threads have no program and no command line: not what an investigation looks for.
    if (!info?.exe) continue;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
    const commandLine = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''))
      .replace(/\0+$/, '')
      .replaceAll('\0', ' ');
    const exeDeleted = info.exe.endsWith(' (deleted)');
    const exe = exeDeleted ? info.exe.slice(0, -' (deleted)'.length) : info.exe;
    // A deleted program can still be read, and hashed, through /proc/<pid>/exe.
    const sha256 = await hash(exeDeleted ? `/proc/${pid}/exe` : exe);
    list.push({
      pid,
      ...(Number.isInteger(ppid) ? { ppid } : {}),
      startedAt: new Date(info.startedAt).toISOString(),
      exe,
      ...(exeDeleted ? { exeDeleted } : {}),
      ...(commandLine ? { commandLine: commandLine.slice(0, 4096) } : {}),
      ...(users.has(uid) ? { user: users.get(uid) } : {}),
      ...(sha256 ? { sha256 } : {}),
    });
    for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && !socketOwners.has(inode)) socketOwners.set(inode, pid);
    }
  }
  return { list, socketOwners };
}

const TCP_STATES: Record<string, string> = {
  '01': 'established',
  '02': 'synSent',
  '03': 'synReceived',
  '06': 'timeWait',
  '08': 'closeWait',
  '0A': 'listen',
};

/** An address of /proc/net/{tcp,udp}{,6}: little-endian 32-bit words in hex. */
export function procAddress(hex: string): { ip: string; port: number } {
  const [address = '', port = '0'] = hex.split(':');
  const words = address.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((word) =>
    (word.match(/../g) ?? []).reverse().map((byte) => parseInt(byte, 16)),
  );
  let ip: string;
  if (bytes.length === 4) ip = bytes.join('.');
  else if (bytes.slice(0, 12).join(',') === '0,0,0,0,0,0,0,0,0,0,255,255') ip = bytes.slice(12).join('.');
  else {
    const groups: string[] = [];
    for (let index = 0; index < 16; index += 2)
      groups.push((((bytes[index] ?? 0) << 8) | (bytes[index + 1] ?? 0)).toString(16));
    ip = groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
  }
  return { ip, port: parseInt(port, 16) };
}

async function sockets(owners: Map<string, number>): Promise<Mutable<InvestigationPackage>['sockets']> {
  const list: Mutable<InvestigationPackage>['sockets'] = [];
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) {
    const lines = (await readFile(`/proc/net/${table}`, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const protocol = table.startsWith('tcp') ? 'tcp' : 'udp';
      const state =
        protocol === 'tcp'
          ? (TCP_STATES[fields[3] as string] ?? 'other')
          : fields[3] === '07'
            ? 'listen'
            : 'established';
      if (protocol === 'tcp' && state !== 'listen' && state !== 'established' && state !== 'synSent')
        continue;
      const local = procAddress(fields[1] as string);
      const remote = procAddress(fields[2] as string);
      const pid = owners.get(fields[9] as string);
      const listening = state === 'listen';
      list.push({
        protocol,
        state,
        localIp: local.ip,
        localPort: local.port,
        ...(listening ? {} : { remoteIp: remote.ip, remotePort: remote.port }),
        ...(pid ? { pid } : {}),
      });
      if (list.length >= MAX_SOCKETS) return list;
    }
  }
  return list;
}

/** Who is logged on: USER_PROCESS records of /var/run/utmp (glibc's 384-byte `struct utmp`). */
export function utmpSessions(bytes: Buffer): Mutable<InvestigationPackage>['sessions'] {
  const text = (start: number, length: number) =>
    bytes.toString('utf8', start, start + length).replace(/\0.*$/s, '');
  const sessions: Mutable<InvestigationPackage>['sessions'] = [];
  for (let offset = 0; offset + 384 <= bytes.length; offset += 384) {
    if (bytes.readInt32LE(offset) !== 7) continue;
    const user = text(offset + 44, 32);
    if (!user) continue;
    const from = text(offset + 76, 256);
    const seconds = bytes.readInt32LE(offset + 340);
    sessions.push({
      user,
      terminal: text(offset + 8, 32),
      ...(from ? { from } : {}),
      ...(seconds > 0 ? { since: new Date(seconds * 1000).toISOString() } : {}),
    });
  }
  return sessions;
}

/** The program a command line runs: its first word, when it is an absolute path. */
const programOf = (command: string) => {
  const first =
    command
      .replace(/^[-@!+:]+/, '')
      .trim()
      .split(/\s+/)[0] ?? '';
  return first.startsWith('/') ? first : undefined;
};

async function autostart(
  hash: (file: string) => Promise<string | undefined>,
  problems: string[],
): Promise<Mutable<InvestigationPackage>['autostart']> {
  const entries: Mutable<InvestigationPackage>['autostart'] = [];
  const add = async (entry: Omit<InvestigationPackage['autostart'][number], 'sha256'>) => {
    const sha256 = entry.program ? await hash(entry.program) : undefined;
    entries.push({ ...entry, ...(sha256 ? { sha256 } : {}) });
  };
  const seen = new Set<string>();
  for (const dir of SYSTEMD_UNIT_DIRS)
    for (const name of (await readdir(dir).catch(() => [] as string[])).sort()) {
      if (!/\.(service|timer)$/.test(name) || seen.has(name)) continue;
      seen.add(name);
      const file = path.join(dir, name);
      const info = await lstat(file).catch(() => undefined);
      if (!info?.isFile()) continue;
      const unit = await readFile(file, 'utf8').catch(() => '');
      const command = /^ExecStart=(.*)$/m.exec(unit)?.[1]?.trim() ?? '';
      await add({
        kind: 'systemdUnit',
        name,
        path: file,
        command,
        ...(programOf(command) ? { program: programOf(command) } : {}),
        user: /^User=(.+)$/m.exec(unit)?.[1]?.trim() ?? 'root',
        modifiedAt: new Date(info.mtimeMs).toISOString(),
      });
    }
  const cronFiles: { file: string; user?: string }[] = [{ file: '/etc/crontab' }];
  for (const name of await readdir('/etc/cron.d').catch(() => [] as string[]))
    cronFiles.push({ file: path.join('/etc/cron.d', name) });
  for (const name of await readdir('/var/spool/cron/crontabs').catch(() => [] as string[]))
    cronFiles.push({ file: path.join('/var/spool/cron/crontabs', name), user: name });
  for (const { file, user } of cronFiles) {
    const content = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') problems.push(`${file}: ${error.code ?? error.message}`);
      return '';
    });
    const modifiedAt = (await stat(file).catch(() => undefined))?.mtimeMs;
    for (const line of content.split('\n')) {
      const trimmed = line.trim();
      if (!trimmed || trimmed.startsWith('#') || /^[A-Za-z_]+\s*=/.test(trimmed)) continue;
      // min hour dom mon dow [user] command, or @reboot [user] command.
      const fields = trimmed.split(/\s+/);
      const schedule = fields[0]?.startsWith('@') ? 1 : 5;
      const owner = user ?? fields[schedule];
      const command = fields.slice(user ? schedule : schedule + 1).join(' ');
      if (!command) continue;
      await add({
        kind: 'cron',
        name: file,
        path: file,
        command,
        ...(programOf(command) ? { program: programOf(command) } : {}),
        ...(owner ? { user: owner } : {}),
        line: trimmed,
        ...(modifiedAt ? { modifiedAt: new Date(modifiedAt).toISOString() } : {}),
      });
    }
  }
  return entries;
}

async function isElf(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const { buffer } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return buffer.toString('latin1') === '\x7fELF';
  } finally {
    await handle.close();
  }
}

/** Executables (any execute bit, or an ELF header) changed within {@link RECENT_MS} under the drop folders. */
async function recentFiles(
  hash: (file: string) => Promise<string | undefined>,
  now: number,
): Promise<Mutable<InvestigationPackage>['recentFiles']> {
  const found: Mutable<InvestigationPackage>['recentFiles'] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (found.length >= MAX_FILES) return;
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < 4 && entry.name !== 'node_modules' && entry.name !== '.cache')
          await walk(file, depth + 1);
        continue;
      }
      if (!entry.isFile()) continue;
      const info = await stat(file).catch(() => undefined);
      if (!info || now - info.mtimeMs > RECENT_MS) continue;
      const executable = (info.mode & 0o111) !== 0 || (info.size >= 4 && (await isElf(file)));
      if (!executable) continue;
      const sha256 = await hash(file);
      found.push({
        path: file,
        size: info.size,
        modifiedAt: new Date(info.mtimeMs).toISOString(),
        ...(sha256 ? { sha256 } : {}),
        mode: info.mode & 0o7777,
        uid: info.uid,
      });
      if (found.length >= MAX_FILES) return;
    }
  };
  for (const dir of DROP_DIRS) await walk(dir, 0);
  return found;
}

/** Collect the package (read-only). */
export async function collectPackage(now = new Date()): Promise<InvestigationPackage> {
  const problems: string[] = [];
  const hash = hasher(problems);
  const users = await userNames();
  const { list, socketOwners } = await processes(users, hash);
  const utmp = await readFile('/var/run/utmp').catch(() => Buffer.alloc(0));
  return {
    collectedAt: now.toISOString(),
    processes: list,
    sockets: await sockets(socketOwners),
    sessions: utmpSessions(utmp),
    autostart: await autostart(hash, problems),
    recentFiles: await recentFiles(hash, now.getTime()),
    problems: problems.slice(0, 100),
  };
}
