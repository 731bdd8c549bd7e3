/**
 * What the agent does on a Linux host, as typed operations (never a shell string): end a
 * process only when pid, start time and program all match, move a file into the quarantine and back with its
 * bytes, mode, owner and times.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  chmod,
  chown,
  copyFile,
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  utimes,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';

/** Clock ticks per second of /proc/<pid>/stat's start time (USER_HZ: 100 on every Linux architecture in use). */
const USER_HZ = 100;

/** A running process as /proc shows it: its program and when it started (epoch ms). */
export async function processInfo(
  pid: number,
): Promise<{ exe: string | undefined; startedAt: number } | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!stat) return undefined;
  // Field 22 (starttime), counted after the command name, which may hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[19]);
  const btime = Number(/^btime (\d+)$/m.exec(await readFile('/proc/stat', 'utf8'))?.[1]);
  const exe = await readlink(`/proc/${pid}/exe`).catch(() => undefined);
  return { exe, startedAt: btime * 1000 + (ticks * 1000) / USER_HZ };
}

/** Every process below `pid` (children, their children…) that started no earlier than it (epoch ms). */
export async function descendantsOf(pid: number, startedAt: number): Promise<number[]> {
  const children = new Map<number, number[]>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => undefined);
    if (!stat) continue;
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
  }
  const found: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    const info = await processInfo(next);
    if (!info || info.startedAt + 10 < startedAt) continue;
    found.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return found;
}

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** What the quarantine keeps beside a file's bytes, to put it back exactly. */
export interface QuarantineEntry {
  readonly path: string;
  readonly sha256: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly atimeMs: number;
  readonly mtimeMs: number;
  readonly quarantinedAt: string;
}

/** Move a file into `dir` (root-only) under `id`, with its metadata; the bytes are checked against `sha256`. */
export async function quarantine(file: string, sha256: string | undefined, dir: string, id: string) {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await stat(file);
  if (!info.isFile()) throw new Error(`${file} is not a regular file`);
  const actual = await sha256Of(file);
  if (sha256 && actual !== sha256.toLowerCase())
    throw new Error(`${file} has sha256 ${actual}, not ${sha256}: it is another file now, left in place`);
  const entry: QuarantineEntry = {
    path: file,
    sha256: actual,
    mode: info.mode & 0o7777,
    uid: info.uid,
    gid: info.gid,
    atimeMs: info.atimeMs,
    mtimeMs: info.mtimeMs,
    quarantinedAt: new Date().toISOString(),
  };
  const held = path.join(dir, `${id}.bin`);
  await writeFile(path.join(dir, `${id}.json`), JSON.stringify(entry), { mode: 0o600 });
  // Across file systems a rename fails: copy, then remove.
  await rename(file, held).catch(async () => {
    await copyFile(file, held);
    await rm(file);
  });
  await chmod(held, 0o400);
  return entry;
}

/** Put a quarantined file back: the same bytes, mode, owner and times; refused if something is at the path. */
export async function restore(dir: string, id: string): Promise<QuarantineEntry> {
  const entry = JSON.parse(await readFile(path.join(dir, `${id}.json`), 'utf8')) as QuarantineEntry;
  const held = path.join(dir, `${id}.bin`);
  if (await stat(entry.path).catch(() => undefined))
    throw new Error(`${entry.path} exists again: restore would overwrite it, left as it is`);
  if ((await sha256Of(held)) !== entry.sha256)
    throw new Error(`the quarantined copy of ${entry.path} changed`);
  await mkdir(path.dirname(entry.path), { recursive: true });
  await rename(held, entry.path).catch(async () => {
    await copyFile(held, entry.path);
    await rm(held);
  });
  await chown(entry.path, entry.uid, entry.gid).catch((error: Error) => {
    // Only root can give a file away: as another user the owner is restored only when it is that user.
    if (entry.uid !== process.getuid?.()) throw error;
  });
  await chmod(entry.path, entry.mode);
  await utimes(entry.path, entry.atimeMs / 1000, entry.mtimeMs / 1000);
  await rm(path.join(dir, `${id}.json`));
  return entry;
}
