/**
 * Where input comes from: a file, a directory of files, `-` for standard input; each possibly gzip-compressed or
 * a zip archive (recognised by their first bytes, not their names). Yields one decompressed byte stream per
 * document, read lazily so that nothing is held whole in memory.
 */
import {
  createReadStream,
  createWriteStream,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import { createGunzip, createInflateRaw, crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { AutoirError, badInput, isAutoirError } from '../domain/errors.js';
import { formatBytes } from '../records/json-records.js';

export interface InputDocument {
  /** For messages: `alerts.json`, `logs.zip:day1/alerts.json`, `alerts.json.gz`, `-`. */
  readonly name: string;
  readonly chunks: AsyncIterable<Buffer>;
}

/** A file or archive entry that could not be read at all (a truncated zip, a broken gzip stream). */
export interface InputProblem {
  readonly name: string;
  readonly message: string;
}

export interface OpenInputOptions extends ReadHooks {
  /** Called with the number of bytes read from disk or standard input (compressed), for progress. */
  readonly onBytes?: (bytes: number) => void;
  readonly stdin?: Readable;
  /**
   * The most bytes spooled to temporary files at once (default 1 GiB): a zip that arrives as a stream (standard
   * input, inside another archive, gzip-compressed) is written to disk before it is read. Beyond this, the
   * archive is reported and skipped.
   */
  readonly maxSpoolBytes?: number;
}

/** What reading reports as it goes, for a progress display. */
export interface ReadHooks {
  /** Bytes handed to the parsers: decompressed, what the records are read from. */
  readonly onDocumentBytes?: (bytes: number) => void;
  /** A zip archive opened: its name and how many entries it holds. */
  readonly onArchive?: (name: string, entries: number) => void;
  /** The next entry of the archive opened last, and its size decompressed. */
  readonly onArchiveEntry?: (name: string, bytes: number) => void;
}

/** Default cap on the bytes spooled at once. */
export const DEFAULT_MAX_SPOOL_BYTES = 1024 * 1024 * 1024;

/** Archives (zip or gzip) inside one another, at most: a deeper one is reported, not opened. */
export const MAX_ARCHIVE_DEPTH = 4;

/** Where spools go: `autoir-zip-<pid>-<random>` in the temporary directory. */
const SPOOL_PREFIX = 'autoir-zip-';

let staleSpoolsRemoved = false;

/**
 * Remove spools left by processes that are gone (killed mid-ingest): once per process, before its first spool.
 * A spool names its process; one from an earlier release, which did not, is removed when a day old.
 */
export function removeStaleSpools(directory = os.tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => name.startsWith(SPOOL_PREFIX));
  } catch {
    return removed;
  }
  for (const name of names) {
    const full = path.join(directory, name);
    const pid = /^autoir-zip-(\d+)-/.exec(name)?.[1];
    let gone: boolean;
    if (pid === undefined) {
      try {
        gone = Date.now() - statSync(full).mtimeMs > 24 * 3_600_000;
      } catch {
        continue;
      }
    } else gone = Number(pid) !== process.pid && !isAlive(Number(pid));
    if (!gone) continue;
    rmSync(full, { recursive: true, force: true });
    removed.push(full);
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function newSpoolDir(): string {
  if (!staleSpoolsRemoved) {
    staleSpoolsRemoved = true;
    removeStaleSpools();
  }
  return mkdtempSync(path.join(os.tmpdir(), `${SPOOL_PREFIX}${process.pid}-`));
}

/** Bytes spooled at once across the archives of one `openDocuments`, against its cap. */
class SpoolBudget {
  private used = 0;
  constructor(readonly max: number) {}

  /** Count `bytes` more; false (nothing counted) when that would pass the cap. */
  take(bytes: number): boolean {
    if (this.used + bytes > this.max) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used -= bytes;
  }
}

/** File name endings read when walking a directory or an archive; anything else is skipped and listed. */
export const INPUT_EXTENSIONS = [
  '.json',
  '.jsonl',
  '.ndjson',
  '.log',
  '.gz',
  '.zip',
  '.eve',
  '.evtx',
  '.eml',
];

export interface InputPlan {
  /** Files to read, in order. */
  readonly files: readonly string[];
  /** Files in a directory that were skipped because of their name. */
  readonly skipped: readonly string[];
  /** Total size of the files, for a progress bar (undefined for standard input). */
  readonly totalBytes: number | undefined;
}

/** Resolve a path argument into the files to read. A missing path is a user error. */
export async function planInput(target: string): Promise<InputPlan> {
  if (target === '-') return { files: ['-'], skipped: [], totalBytes: undefined };
  let stats;
  try {
    stats = statSync(target);
  } catch {
    throw new AutoirError('AUTOIR_E_BAD_INPUT', `${target}: no such file or directory`, {
      location: { file: target },
    });
  }
  if (!stats.isDirectory()) return { files: [target], skipped: [], totalBytes: stats.size };
  const files: string[] = [];
  const skipped: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) (hasInputExtension(entry.name) ? files : skipped).push(full);
    }
  };
  await walk(target);
  const totalBytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
  return { files, skipped, totalBytes };
}

export function hasInputExtension(name: string): boolean {
  const lower = name.toLowerCase();
  return INPUT_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/**
 * Open every file of a plan as documents. Problems with one file (or archive entry) are yielded and the rest
 * goes on.
 */
export async function* openDocuments(
  plan: InputPlan,
  options: OpenInputOptions = {},
): AsyncGenerator<InputDocument | InputProblem> {
  const budget = new SpoolBudget(options.maxSpoolBytes ?? DEFAULT_MAX_SPOOL_BYTES);
  for (const file of plan.files) {
    const raw =
      file === '-' ? (options.stdin ?? process.stdin) : createReadStream(file, { highWaterMark: 256 * 1024 });
    try {
      yield* expand(
        file,
        guard(counted(raw, options.onBytes), file, 'read'),
        file === '-' ? undefined : file,
        budget,
        0,
        options,
      );
    } catch (error) {
      // A file that cannot be opened, or whose first bytes are already damaged: report it, go on with the rest.
      if (!isAutoirError(error) || error.family !== 'user') throw error;
      yield { name: file, message: error.message };
    }
  }
}

/** Recognise gzip and zip by their magic bytes; everything else is passed on as it is. */
async function* expand(
  name: string,
  chunks: AsyncIterable<Buffer>,
  filePath: string | undefined,
  budget: SpoolBudget,
  depth: number,
  hooks: ReadHooks,
): AsyncGenerator<InputDocument | InputProblem> {
  const { head, stream } = await peek(chunks);
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  const zip =
    head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05);
  if ((gzip || zip) && depth >= MAX_ARCHIVE_DEPTH) {
    yield {
      name,
      message: `an archive inside ${MAX_ARCHIVE_DEPTH} others: autoir opens archives nested ${MAX_ARCHIVE_DEPTH} deep at most`,
    };
    return;
  }
  if (gzip) {
    // `pipeline`, not `pipe`: an error of the compressed source must reach whoever reads the output.
    const output = pipeline(
      Readable.from(stream),
      createGunzip({ chunkSize: INFLATE_CHUNK }),
      () => undefined,
    );
    // A broken gzip stream surfaces as an error while reading; the pipeline reports it with the document's name.
    yield* expand(name, guard(output, name, 'gzip'), undefined, budget, depth + 1, hooks);
    return;
  }
  if (zip) {
    yield* readZip(name, filePath, stream, budget, depth, hooks);
    return;
  }
  yield { name, chunks: hooks.onDocumentBytes ? counted(stream, hooks.onDocumentBytes) : stream };
}

async function* readZip(
  name: string,
  filePath: string | undefined,
  stream: AsyncIterable<Buffer>,
  budget: SpoolBudget,
  depth: number,
  hooks: ReadHooks,
): AsyncGenerator<InputDocument | InputProblem> {
  // yauzl needs random access (the central directory is at the end): spool a stream to a temporary file first.
  let spoolDir: string | undefined;
  let spooled = 0;
  let zipPath = filePath;
  try {
    if (!zipPath) {
      spoolDir = newSpoolDir();
      zipPath = path.join(spoolDir, 'input.zip');
      let overBudget = false;
      const capped = async function* () {
        for await (const chunk of stream) {
          if (!budget.take(chunk.length)) {
            overBudget = true;
            return;
          }
          spooled += chunk.length;
          yield chunk;
        }
      };
      await pipelineAsync(Readable.from(capped()), createWriteStream(zipPath, { mode: 0o600 }));
      if (overBudget) {
        yield {
          name,
          message: `a zip archive that arrives as a stream is written to disk to be read, and this one passes the ${formatBytes(budget.max)} autoir spools at once: not read`,
        };
        return;
      }
    } else {
      // Drain the peeked stream so its bytes count towards progress; yauzl reads the file itself.
      for await (const _chunk of stream) void _chunk;
    }
    let zip: yauzl.ZipFile;
    try {
      zip = await openZip(zipPath);
    } catch (error) {
      // Some archivers write a wrong comment length at the very end (OTRF's empire_mimikatz_logonpasswords.zip says
      // 2,560 bytes of comment and has none). The archive is otherwise whole: read it with the length corrected.
      const repaired = /comment length/i.test((error as Error).message)
        ? repairCommentLength(zipPath)
        : undefined;
      if (!repaired) {
        yield { name, message: `not a readable zip archive: ${(error as Error).message}` };
        return;
      }
      spoolDir ??= repaired.dir;
      try {
        zip = await openZip(repaired.file);
      } catch (again) {
        yield { name, message: `not a readable zip archive: ${(again as Error).message}` };
        return;
      } finally {
        if (repaired.dir !== spoolDir) rmSync(repaired.dir, { recursive: true, force: true });
      }
    }
    hooks.onArchive?.(name, zip.entryCount);
    try {
      for await (const entry of zipEntries(zip)) {
        const entryName = `${name}:${entry.fileName}`;
        hooks.onArchiveEntry?.(entryName, entry.uncompressedSize);
        if (entry.fileName.endsWith('/') || entry.fileName.startsWith('__MACOSX/')) continue;
        if (!hasInputExtension(entry.fileName)) continue;
        let entryStream: AsyncIterable<Buffer>;
        try {
          entryStream = await openEntry(zip, entry);
        } catch (error) {
          yield { name: entryName, message: `cannot read this zip entry: ${(error as Error).message}` };
          continue;
        }
        yield* expand(entryName, guard(entryStream, entryName, 'zip'), undefined, budget, depth + 1, hooks);
      }
    } catch (error) {
      yield { name, message: `not a readable zip archive: ${(error as Error).message}` };
    } finally {
      zip.close();
    }
  } finally {
    if (spoolDir) rmSync(spoolDir, { recursive: true, force: true });
    budget.give(spooled);
  }
}

/**
 * A copy of a zip whose end-of-central-directory comment length is set to the bytes that actually follow it, or
 * `undefined` when there is no such record to correct.
 */
function repairCommentLength(file: string): { dir: string; file: string } | undefined {
  const bytes = readFileSync(file);
  const from = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= from; at--) {
    if (bytes.readUInt32LE(at) !== 0x06054b50) continue;
    const actual = bytes.length - at - 22;
    if (bytes.readUInt16LE(at + 20) === actual) return undefined;
    bytes.writeUInt16LE(actual, at + 20);
    const dir = newSpoolDir();
    const copy = path.join(dir, 'repaired.zip');
    writeFileSync(copy, bytes);
    return { dir, file: copy };
  }
  return undefined;
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      file,
      { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true },
      (error, zip) => (error || !zip ? reject(error ?? new Error('cannot open')) : resolve(zip)),
    );
  });
}

async function* zipEntries(zip: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  for (;;) {
    const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
      const onEntry = (found: yauzl.Entry) => {
        cleanup();
        resolve(found);
      };
      const onEnd = () => {
        cleanup();
        resolve(undefined);
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      const cleanup = () => {
        zip.off('entry', onEntry);
        zip.off('end', onEnd);
        zip.off('error', onError);
      };
      zip.on('entry', onEntry);
      zip.on('end', onEnd);
      zip.on('error', onError);
      zip.readEntry();
    });
    if (!entry) return;
    yield entry;
  }
}

/**
 * Decompressed output per step. zlib's default (16 KiB) makes every 16 KiB of a large entry wait for a turn of the
 * event loop, which the thread writing to the database does not give often: with 1 MiB steps, decompression keeps
 * ahead of parsing.
 */
const INFLATE_CHUNK = 1 << 20;

/**
 * An entry's bytes. Deflated entries are inflated here (with large steps, see INFLATE_CHUNK) and checked: their
 * size and CRC-32 must be those the archive records, so a damaged or truncated entry is an error, never a shorter
 * document.
 */
function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<AsyncIterable<Buffer>> {
  const deflated = entry.compressionMethod === 8;
  return new Promise((resolve, reject) => {
    zip.openReadStream(
      entry,
      (deflated ? { decompress: false } : {}) as yauzl.ZipFileOptions,
      (error, stream) => {
        if (error || !stream) {
          reject(error ?? new Error('no stream'));
          return;
        }
        if (!deflated) {
          resolve(stream);
          return;
        }
        const inflated = pipeline(stream, createInflateRaw({ chunkSize: INFLATE_CHUNK }), () => undefined);
        resolve(checked(inflated, entry.uncompressedSize, entry.crc32));
      },
    );
  });
}

async function* checked(stream: Readable, size: number, expectedCrc: number): AsyncGenerator<Buffer> {
  let length = 0;
  let crc = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    length += buffer.length;
    crc = crc32(buffer, crc);
    yield buffer;
  }
  if (length !== size) throw new Error(`the entry inflates to ${length} bytes, the archive says ${size}`);
  if (crc >>> 0 !== expectedCrc >>> 0) throw new Error('the entry does not match its CRC-32');
}

/** Read the first bytes (at least 4, for the magic numbers) without losing them. */
async function peek(chunks: AsyncIterable<Buffer>): Promise<{ head: Buffer; stream: AsyncIterable<Buffer> }> {
  const iterator = chunks[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < 4) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const buffer = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    parts.push(buffer);
    length += buffer.length;
  }
  const head = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, length);
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      if (head.length > 0) yield head;
      if (done) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      }
    } finally {
      // Stopped early (or failed): close what is underneath, so no file or stream stays open.
      await iterator.return?.();
    }
  }
  return { head, stream: replay() };
}

async function* counted(
  stream: AsyncIterable<Buffer | string>,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<Buffer> {
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    onBytes?.(buffer.length);
    yield buffer;
  }
}

/** Turn a decompression error into a user error naming the document. */
async function* guard(
  stream: AsyncIterable<Buffer>,
  name: string,
  what: 'gzip' | 'zip' | 'read',
): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    if (isAutoirError(error)) throw error;
    const reason = (error as Error).message;
    const message =
      what === 'read' ? `cannot read it (${reason})` : `the ${what} data is damaged or truncated (${reason})`;
    throw badInput(message, { file: name });
  }
}

/** One document of bytes already in memory, as `ingestDocuments` takes documents. */
export async function* singleDocument(name: string, bytes: Buffer): AsyncIterable<InputDocument> {
  yield {
    name,
    chunks: (async function* () {
      yield bytes;
    })(),
  };
}
