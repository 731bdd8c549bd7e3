import { formatBytes } from '../records/json-records.js';

/** What the progress line knows at a moment, and what it prints from it. */
export interface ProgressState {
  readonly seconds: number;
  /** Bytes read from disk or standard input (compressed where the input is). */
  readonly rawBytes: number;
  /** The plan's size on disk, when known (not for standard input). */
  readonly totalBytes: number | undefined;
  /** Bytes the parsers read: decompressed. */
  readonly bytes: number;
  readonly alerts: number;
  readonly events: number;
  readonly errors: number;
  /** The archive being read and where in it, once one was opened. */
  readonly archive?: {
    readonly name: string;
    readonly entry: number;
    readonly entries: number;
    /** Of the entry being read: bytes read so far and its size decompressed. */
    readonly read: number;
    readonly size: number;
  };
}

function rate(count: number, seconds: number): string {
  return Math.round(count / Math.max(seconds, 0.001)).toLocaleString('en');
}

/**
 * `ingest: 48.2 MB read · 46 alerts · 53,959 events · 0 errors · 21,400 records/s · 19.3 MB/s · LSASS.zip: entry 2 of
 * 3`. How far it got: the share of the files on disk while they are read as they are, the entry of the archive once
 * one is open (its compressed size says nothing of what is left to parse).
 */
export function progressLine(state: ProgressState): string {
  const records = state.alerts + state.events;
  const where = state.archive
    ? ` · ${state.archive.name}: entry ${Math.min(state.archive.entry, state.archive.entries)} of ${state.archive.entries}` +
      (state.archive.size > 0
        ? `, ${Math.min(100, Math.floor((state.archive.read / state.archive.size) * 100))}% of ${formatBytes(state.archive.size)}`
        : '')
    : state.totalBytes
      ? ` · ${Math.min(100, Math.floor((state.rawBytes / state.totalBytes) * 100))}% of ${formatBytes(state.totalBytes)}`
      : '';
  return (
    `ingest: ${formatBytes(state.bytes)} read · ${state.alerts.toLocaleString('en')} alerts · ` +
    `${state.events.toLocaleString('en')} events · ${state.errors.toLocaleString('en')} errors · ` +
    `${rate(records, state.seconds)} records/s · ${formatBytes(Math.round(state.bytes / Math.max(state.seconds, 0.001)))}/s` +
    where
  );
}

/** A one-line progress display for a terminal, redrawn at most every 100 ms. */
export function createProgress(stream: { write(text: string): unknown }, totalBytes: number | undefined) {
  const started = Date.now();
  let rawBytes = 0;
  let bytes = 0;
  let alerts = 0;
  let events = 0;
  let errors = 0;
  let archive: { name: string; entry: number; entries: number; read: number; size: number } | undefined;
  let last = 0;
  const draw = (force = false) => {
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    const seconds = (now - started) / 1000;
    stream.write(
      `\r\x1b[2K${progressLine({ seconds, rawBytes, totalBytes, bytes, alerts, events, errors, ...(archive ? { archive } : {}) })}`,
    );
  };
  return {
    addBytes(count: number) {
      rawBytes += count;
      draw();
    },
    onDocumentBytes(count: number) {
      bytes += count;
      if (archive) archive.read += count;
      draw();
    },
    onArchive(name: string, entries: number) {
      archive = { name: name.split(/[\\/]/).pop() ?? name, entry: 0, entries, read: 0, size: 0 };
      draw();
    },
    onArchiveEntry(_name: string, size: number) {
      if (archive) {
        archive.entry += 1;
        archive.read = 0;
        archive.size = size;
      }
      draw();
    },
    update(counts: { alerts: number; events: number; errorCount: number }) {
      alerts = counts.alerts;
      events = counts.events;
      errors = counts.errorCount;
      draw();
    },
    done() {
      draw(true);
      stream.write('\r\x1b[2K');
    },
  };
}
