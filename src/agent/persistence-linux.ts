/**
 * Removing an autostart entry from a Linux host, and putting it back (domain/persistence.ts says which places and
 * how): a systemd unit is stopped, its file and the links that enable it are removed, systemd reloads; a cron,
 * unit or profile.d file goes as a whole, a line of `authorized_keys`, `/etc/crontab` or a shell profile goes on its
 * own. What was removed — bytes, mode, owner, times, links, whether the unit ran — is kept in the state directory
 * under the action's id, so that the undo puts back exactly that. A file a Debian package installed is never
 * removed (the package manager owns it).
 */
import { execFile } from 'node:child_process';
import {
  chmod,
  chown,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  realpath,
  rename,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  linuxPersistenceLocation,
  SYSTEMD_UNIT_DIRS,
  type PersistenceTarget,
} from '../domain/persistence.js';

const run = promisify(execFile);

/** A removed file, whole. */
interface RemovedFile {
  readonly path: string;
  readonly base64: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly atimeMs: number;
  readonly mtimeMs: number;
}

/** What a removal took away, to put it back. */
export interface RemovedPersistence {
  readonly kind: string;
  readonly path: string;
  readonly unit?: string;
  readonly file?: RemovedFile;
  /** Lines taken out of a file that stays, with their line numbers (0-based, in the file before removal). */
  readonly lines?: readonly { readonly index: number; readonly text: string }[];
  /** Symlinks that enabled the unit (`…/multi-user.target.wants/x.service`). */
  readonly links?: readonly { readonly link: string; readonly target: string }[];
  /** The unit was running when it was removed. */
  readonly wasActive?: boolean;
  readonly removedAt: string;
}

/** Whole files larger than this are not unit, cron or profile files. */
const MAX_FILE = 1024 * 1024;

/** systemd runs this host (not a container without it): units are stopped and reloaded through it. */
async function systemdRuns(): Promise<boolean> {
  return (await stat('/run/systemd/system').catch(() => undefined))?.isDirectory() === true;
}

async function systemctl(...args: string[]): Promise<string> {
  const { stdout } = await run('systemctl', args, { timeout: 60_000 });
  return stdout.trim();
}

/** The Debian package that installed `file`, if any (from dpkg's own file lists). */
export async function packageOwning(
  file: string,
  infoDir = '/var/lib/dpkg/info',
): Promise<string | undefined> {
  const names = await readdir(infoDir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.endsWith('.list')) continue;
    const list = await readFile(path.join(infoDir, name), 'utf8').catch(() => '');
    if (list.split('\n').includes(file)) return name.slice(0, -'.list'.length);
  }
  return undefined;
}

/** The unit file systemd would load for `unit`: the first of its folders that holds it. */
async function unitFile(unit: string): Promise<string | undefined> {
  for (const dir of SYSTEMD_UNIT_DIRS) {
    const candidate = path.join(dir, unit);
    if (await lstat(candidate).catch(() => undefined)) return candidate;
  }
  return undefined;
}

/** Symlinks in the unit folders' `.wants` / `.requires` folders that point to `unit`. */
async function enablingLinks(unit: string): Promise<{ link: string; target: string }[]> {
  const links: { link: string; target: string }[] = [];
  for (const dir of SYSTEMD_UNIT_DIRS) {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory() || !/\.(wants|requires)$/.test(entry.name)) continue;
      const link = path.join(dir, entry.name, unit);
      const target = await readlink(link).catch(() => undefined);
      if (target !== undefined) links.push({ link, target });
    }
  }
  return links;
}

/** Write `content` over `file` by a rename, keeping its mode, owner and times. */
async function replaceContent(file: string, content: string): Promise<void> {
  const info = await stat(file);
  const temporary = `${file}.autoir-${process.pid}`;
  await writeFile(temporary, content, { mode: info.mode & 0o7777 });
  await chown(temporary, info.uid, info.gid).catch(() => undefined);
  await chmod(temporary, info.mode & 0o7777);
  await rename(temporary, file);
}

async function removeWholeFile(file: string): Promise<RemovedFile> {
  const info = await lstat(file);
  if (!info.isFile()) throw new Error(`${file} is not a regular file`);
  if (info.size > MAX_FILE)
    throw new Error(`${file} is ${info.size} bytes: not an autostart file, left in place`);
  const owner = await packageOwning(file);
  if (owner)
    throw new Error(`${file} belongs to the package ${owner}: remove or reconfigure the package instead`);
  const removed: RemovedFile = {
    path: file,
    base64: (await readFile(file)).toString('base64'),
    mode: info.mode & 0o7777,
    uid: info.uid,
    gid: info.gid,
    atimeMs: info.atimeMs,
    mtimeMs: info.mtimeMs,
  };
  return removed;
}

/**
 * Remove the entry `target` names; what was removed is kept as `<dir>/<id>.json`. Safe to repeat: an entry already
 * gone is a result (nothing removed), and a second call for the same id returns what the first kept.
 */
export async function removePersistence(
  target: PersistenceTarget,
  dir: string,
  id: string,
): Promise<RemovedPersistence & { readonly nothing?: string }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const record = path.join(dir, `${id}.json`);
  const kept = await readFile(record, 'utf8').catch(() => undefined);
  if (kept) return JSON.parse(kept) as RemovedPersistence;
  const removedAt = new Date().toISOString();
  const file = target.path ?? (await unitFile(target.unit as string));
  if (!file)
    return {
      kind: 'systemdUnit',
      path: '',
      unit: target.unit,
      removedAt,
      nothing: `no unit file for ${target.unit}`,
    };
  const location = linuxPersistenceLocation(file);
  if (!location) throw new Error(`${file} is not an autostart place`);
  if (!(await lstat(file).catch(() => undefined)))
    return {
      kind: location.kind,
      path: file,
      removedAt,
      nothing: `${file} does not exist (already removed)`,
    };

  if (target.line !== undefined) {
    // A link is followed only to another autostart place: a planted `authorized_keys` → `/etc/passwd` link must not
    // make autoir edit /etc/passwd.
    const real = await realpath(file);
    if (real !== file && !linuxPersistenceLocation(real))
      throw new Error(`${file} links to ${real}, which is not an autostart place: left as it is`);
    const wanted = target.line.trim();
    const lines = (await readFile(real, 'utf8')).split('\n');
    const taken = lines.flatMap((text, index) => (text.trim() === wanted ? [{ index, text }] : []));
    if (taken.length === 0)
      return {
        kind: location.kind,
        path: file,
        removedAt,
        nothing: `no such line in ${file} (already removed)`,
      };
    const result: RemovedPersistence = { kind: location.kind, path: real, lines: taken, removedAt };
    await writeFile(record, JSON.stringify(result), { mode: 0o600 });
    await replaceContent(real, lines.filter((text) => text.trim() !== wanted).join('\n'));
    return result;
  }

  if (!location.wholeFile) throw new Error(`${file} is removed line by line only: give the line`);
  const unit = location.kind === 'systemdUnit' ? path.basename(file) : undefined;
  const removedFile = await removeWholeFile(file);
  const links = unit ? await enablingLinks(unit) : [];
  const managed = unit !== undefined && (await systemdRuns());
  const wasActive = managed
    ? (await systemctl('is-active', unit).catch(() => 'inactive')) === 'active'
    : false;
  const result: RemovedPersistence = {
    kind: location.kind,
    path: file,
    ...(unit ? { unit, links, wasActive } : {}),
    file: removedFile,
    removedAt,
  };
  // Kept before anything changes: a crash after this point is finished by the next attempt, which reads it back.
  await writeFile(record, JSON.stringify(result), { mode: 0o600 });
  if (managed && wasActive) await systemctl('stop', unit).catch(() => undefined);
  for (const { link } of links) await rm(link, { force: true });
  await rm(file, { force: true });
  if (managed) await systemctl('daemon-reload');
  return result;
}

/** Put back what the removal under `id` took away; an entry already back is left as it is. */
export async function restorePersistence(
  dir: string,
  id: string,
): Promise<RemovedPersistence & { readonly nothing?: string }> {
  const record = path.join(dir, `${id}.json`);
  const kept = await readFile(record, 'utf8').catch(() => undefined);
  if (!kept) return { kind: 'unknown', path: '', removedAt: '', nothing: `nothing was removed under ${id}` };
  const removed = JSON.parse(kept) as RemovedPersistence;
  if (removed.lines) {
    const lines = (await readFile(removed.path, 'utf8')).split('\n');
    const missing = removed.lines.filter(({ text }) => !lines.some((line) => line.trim() === text.trim()));
    for (const { index, text } of missing) lines.splice(Math.min(index, lines.length), 0, text);
    if (missing.length > 0) await replaceContent(removed.path, lines.join('\n'));
  }
  if (removed.file) {
    const { file } = removed;
    const bytes = Buffer.from(file.base64, 'base64');
    const present = await readFile(file.path).catch(() => undefined);
    if (present && !present.equals(bytes))
      throw new Error(
        `${file.path} exists again with other content: restore would overwrite it, left as it is`,
      );
    if (!present) {
      await mkdir(path.dirname(file.path), { recursive: true });
      await writeFile(file.path, bytes, { mode: file.mode });
      await chown(file.path, file.uid, file.gid).catch((error: Error) => {
        if (file.uid !== process.getuid?.()) throw error;
      });
      await chmod(file.path, file.mode);
      await utimes(file.path, file.atimeMs / 1000, file.mtimeMs / 1000);
    }
  }
  for (const { link, target } of removed.links ?? []) {
    if (await lstat(link).catch(() => undefined)) continue;
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(target, link);
  }
  if (removed.unit && (await systemdRuns())) {
    await systemctl('daemon-reload');
    if (removed.wasActive) await systemctl('start', removed.unit);
  }
  await rm(record);
  return removed;
}
