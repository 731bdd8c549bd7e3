/**
 * Following files as tools write them (Wazuh's alerts.json, Suricata's eve.json, Zeek's `current/*.log`): paths,
 * directories and names with wildcards (`/opt/zeek/logs/current/*.log`), read as lines are appended, in any format
 * autoir reads. Each batch of whole lines is ingested in one transaction together with the offset it reaches, so a
 * restart — even after kill -9 — resumes exactly where the store says (and re-reading is harmless: events are
 * de-duplicated).
 *
 * Files are known by device and inode, not by name:
 * - **rotation by rename** (logrotate's default): the old file is read to its end through the handle still open on
 *   it, then let go; the new file at the path starts from its beginning;
 * - **copytruncate**: the file shrinks below the offset; what was appended between the last read and the copy is
 *   read from the copy (a sibling whose bytes before the offset are the ones last read), then the file is read
 *   again from its beginning;
 * - a new file matching a pattern is read from its beginning.
 * Only whole lines are read: a line still being written waits for its newline (or for its file to be rotated away).
 */
import { wait } from '../domain/wait.js';
import { singleDocument } from './input.js';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { DocumentParser } from './parse-batch.js';
import { ingestDocuments, type IngestOptions, type IngestSummary } from './pipeline.js';
import { EventRefs } from './prepare-event.js';
import type { IngestPorts, InputOffsets } from './ports.js';
import { silentLog, type Log } from '../domain/log.js';

export interface FollowPorts extends IngestPorts {
  readonly inputOffsets: InputOffsets;
}

export interface FollowOptions {
  /** The name offsets are kept under (`cli:follow`, a configured input's name). */
  readonly input: string;
  /** Files, directories (their files), or paths with `*` and `?` in the last part. */
  readonly patterns: readonly string[];
  readonly signal: AbortSignal;
  /** How often files are looked at (default 200 ms). */
  readonly pollMs?: number;
  /** The most bytes ingested in one batch (default 4 MiB). */
  readonly maxBatchBytes?: number;
  /** How ingest runs each batch (format, detection…). */
  readonly ingest?: Omit<IngestOptions, 'store' | 'atomic' | 'checkpoint'>;
  /** After each stored batch. */
  readonly onBatch?: (summary: IngestSummary, file: string) => void | Promise<void>;
  /** Files truncated or unreadable (warn, with `file`). */
  readonly log?: Log;
  /** Kept up to date while following: what is followed and how far behind it is. */
  readonly stats?: FollowStats;
}

/** How a follow is doing (updated in place). */
export interface FollowStats {
  /** Files followed now. */
  files: number;
  /** Bytes written to them and not yet stored. */
  bytesBehind: number;
  /** Since when there has been something unread (epoch ms), or undefined when caught up. */
  behindSince: number | undefined;
}

interface Tracked {
  readonly key: string;
  path: string;
  readonly handle: FileHandle;
  offset: number;
  /** The last bytes read before `offset`: they identify the copy a copytruncate leaves. */
  tail: Buffer;
  /** Leading `#` lines (a Zeek TSV header), given again before each batch that does not start the file. */
  header: Buffer | undefined;
  /** When the path stopped naming this file (rotated away or removed). */
  goneSince: number | undefined;
  /** Occurrence counts of repeated records so far: the file is one document read in batches. */
  refs: EventRefs;
}

const TAIL = 64;

function wildcard(name: string): RegExp | undefined {
  if (!/[*?]/.test(name)) return undefined;
  const escaped = name
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** The regular files the patterns name now. */
export async function expandPatterns(patterns: readonly string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const pattern of patterns) {
    const resolved = path.resolve(pattern);
    const match = wildcard(path.basename(resolved));
    const dir = match ? path.dirname(resolved) : resolved;
    if (!match) {
      const info = await stat(resolved).catch(() => undefined);
      if (info?.isFile()) files.add(resolved);
      if (!info?.isDirectory()) continue;
    }
    const names = await readdir(dir).catch(() => []);
    for (const name of names.sort())
      if (!match || match.test(name)) {
        const full = path.join(dir, name);
        if ((await stat(full).catch(() => undefined))?.isFile()) files.add(full);
      }
  }
  return [...files];
}

async function readAt(handle: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, offset);
  return buffer.subarray(0, bytesRead);
}

/** The leading `#` lines of the start of a file (Zeek TSV's header), or undefined. */
function headerOf(start: Buffer): Buffer | undefined {
  if (start[0] !== 0x23) return undefined;
  let end = 0;
  while (end < start.length && start[end] === 0x23) {
    const newline = start.indexOf(0x0a, end);
    if (newline < 0) return undefined;
    end = newline + 1;
  }
  return start.subarray(0, end);
}

/**
 * Count the records of a file's first `offset` bytes again, storing nothing: after a restart, a record repeated
 * later in the file is then told from one read again, as in an ingest of the whole file.
 */
async function replay(
  handle: FileHandle,
  offset: number,
  refs: EventRefs,
  name: string,
  formatId: string | undefined,
): Promise<void> {
  const parser = new DocumentParser({ name, refs, ...(formatId ? { formatId } : {}) });
  for (let position = 0; position < offset; position += 4 * 1024 * 1024)
    parser.push(await readAt(handle, position, Math.min(4 * 1024 * 1024, offset - position)));
  await parser.end();
}

/** Follow until `signal` aborts. */
export async function followFiles(store: FollowPorts, options: FollowOptions): Promise<void> {
  const pollMs = options.pollMs ?? 200;
  const maxBatch = options.maxBatchBytes ?? 4 * 1024 * 1024;
  const log = options.log ?? silentLog;
  const tracked = new Map<string, Tracked>();
  const stats = options.stats;
  /** Bytes not yet read, per file, as last seen. */
  const unread = new Map<string, number>();
  const noteUnread = (file: Tracked, size: number) => {
    if (!stats) return;
    unread.set(file.key, Math.max(0, size - file.offset));
    let behind = 0;
    for (const bytes of unread.values()) behind += bytes;
    stats.bytesBehind = behind;
    if (behind > 0) stats.behindSince ??= Date.now();
  };
  const saved = new Map((await store.inputOffsets.list(options.input)).map((item) => [item.fileKey, item]));

  const ingest = async (
    file: Tracked,
    name: string,
    bytes: Buffer,
    next: { key: string; path: string; offset: number },
  ) => {
    const body =
      file.header && !bytes.subarray(0, 1).equals(Buffer.from('#'))
        ? Buffer.concat([file.header, bytes])
        : bytes;
    const summary = await ingestDocuments(singleDocument(name, body), {
      ...options.ingest,
      store,
      refs: file.refs,
      atomic: true,
      checkpoint: (tx) =>
        (tx as FollowPorts).inputOffsets.set(options.input, next.key, next.path, next.offset, new Date()),
    });
    await options.onBatch?.(summary, name);
  };

  /** Read what was appended to `file`, in batches of whole lines. */
  const drain = async (file: Tracked, force: boolean) => {
    for (;;) {
      const size = (await file.handle.stat()).size;
      noteUnread(file, size);
      if (size < file.offset) {
        await recoverTruncated(file);
        continue;
      }
      if (size === file.offset) return;
      // The bytes before the offset must still be the ones read: otherwise the file was truncated and written
      // past the old offset between two looks.
      if (file.tail.length > 0) {
        const before = await readAt(file.handle, file.offset - file.tail.length, file.tail.length);
        if (!before.equals(file.tail)) {
          await recoverTruncated(file);
          continue;
        }
      }
      const chunk = await readAt(file.handle, file.offset, Math.min(maxBatch, size - file.offset));
      const end = chunk.lastIndexOf(0x0a);
      // A line still being written waits for its newline, unless its file is done (rotated away and quiet).
      const take = end >= 0 ? end + 1 : force ? chunk.length : 0;
      if (take === 0) return;
      const bytes = chunk.subarray(0, take);
      if (file.offset === 0) file.header = headerOf(bytes);
      await ingest(file, file.path, bytes, { key: file.key, path: file.path, offset: file.offset + take });
      file.offset += take;
      file.tail = Buffer.concat([file.tail, bytes]).subarray(-TAIL);
    }
  };

  /** The file shrank under its offset: a copytruncate. Read the rest from the copy, then start it again. */
  const recoverTruncated = async (file: Tracked) => {
    const dir = path.dirname(file.path);
    const base = path.basename(file.path);
    const copies = (await readdir(dir).catch(() => [])).filter(
      (name) => name !== base && name.startsWith(base),
    );
    let recovered = false;
    for (const name of copies) {
      const full = path.join(dir, name);
      const info = await stat(full).catch(() => undefined);
      if (!info?.isFile() || info.size < file.offset || `${info.dev}:${info.ino}` === file.key) continue;
      const handle = await open(full, 'r');
      try {
        const before = await readAt(handle, file.offset - file.tail.length, file.tail.length);
        if (!before.equals(file.tail)) continue;
        const rest = await readAt(handle, file.offset, info.size - file.offset);
        if (rest.length > 0) await ingest(file, full, rest, { key: file.key, path: file.path, offset: 0 });
        else await store.inputOffsets.set(options.input, file.key, file.path, 0, new Date());
        recovered = true;
        break;
      } finally {
        await handle.close();
      }
    }
    if (!recovered) {
      log.warn(
        `${file.path}: truncated below what was read (${file.offset} bytes) and no copy found: reading it again from the start`,
        { file: file.path, offset: file.offset },
      );
      await store.inputOffsets.set(options.input, file.key, file.path, 0, new Date());
    }
    file.offset = 0;
    file.tail = Buffer.alloc(0);
    file.refs = new EventRefs();
  };

  const look = async () => {
    const seen = new Set<string>();
    for (const file of await expandPatterns(options.patterns)) {
      const info = await stat(file).catch(() => undefined);
      if (!info) continue;
      const key = `${info.dev}:${info.ino}`;
      seen.add(key);
      const known = tracked.get(key);
      if (known) {
        known.path = file;
        known.goneSince = undefined;
        continue;
      }
      const handle = await open(file, 'r').catch(() => undefined);
      if (!handle) continue;
      const offset = saved.get(key)?.offset ?? 0;
      const refs = new EventRefs();
      if (offset > 0) await replay(handle, offset, refs, file, options.ingest?.format?.id);
      tracked.set(key, {
        key,
        path: file,
        handle,
        offset,
        tail:
          offset > 0
            ? await readAt(handle, Math.max(0, offset - TAIL), Math.min(TAIL, offset))
            : Buffer.alloc(0),
        header: headerOf(await readAt(handle, 0, 64 * 1024)),
        goneSince: undefined,
        refs,
      });
    }
    for (const file of tracked.values()) if (!seen.has(file.key)) file.goneSince ??= Date.now();
  };

  try {
    while (!options.signal.aborted) {
      await look();
      for (const file of [...tracked.values()]) {
        // A rotated-away file is read to its end; after two quiet seconds it is let go.
        const done = file.goneSince !== undefined && Date.now() - file.goneSince > 2000;
        try {
          await drain(file, done);
        } catch (error) {
          log.warn(`${file.path}: ${(error as Error).message}`, { file: file.path, err: error });
        }
        if (done) {
          await file.handle.close();
          tracked.delete(file.key);
          unread.delete(file.key);
        }
      }
      if (stats) {
        stats.files = tracked.size;
        // Caught up: each file was read to its last whole line (a line still being written is not behind).
        let behind = 0;
        for (const file of tracked.values()) {
          const size = (await file.handle.stat().catch(() => undefined))?.size ?? file.offset;
          const partial = size > file.offset ? size - file.offset : 0;
          unread.set(file.key, partial);
          behind += partial;
        }
        stats.bytesBehind = behind;
        stats.behindSince = undefined;
      }
      await wait(pollMs, options.signal);
    }
  } finally {
    for (const file of tracked.values()) await file.handle.close();
  }
}
